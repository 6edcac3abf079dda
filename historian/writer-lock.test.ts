import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArchiveLockedError, Historian } from './index.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'vigil-lock-'));

describe('one writer per archive', () => {
  it('refuses a second writer while the first is open, and names it', async () => {
    const dir = tmp();
    const first = Historian.open(dir);
    expect(() => Historian.open(dir)).toThrow(ArchiveLockedError);
    expect(() => Historian.open(dir)).toThrow(new RegExp(`process ${process.pid} on ${hostname()}`));
    await first.close();
    expect(existsSync(join(dir, 'writer.lock'))).toBe(false);
    const again = Historian.open(dir);
    await again.close();
  });

  it('takes over the lock of a process that died (kill -9, power cut)', async () => {
    const dir = tmp();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const pid = Number(dead.stdout.toString());
    writeFileSync(join(dir, 'writer.lock'), JSON.stringify({ pid, host: hostname(), since: '2026-01-01T00:00:00Z' }));
    const h = Historian.open(dir);
    await h.close();
  });

  it('treats a half-written lock as stale', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'writer.lock'), '{"pid": 12');
    const h = Historian.open(dir);
    await h.close();
  });
});
