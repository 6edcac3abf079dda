import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArchiveLockedError, Historian } from './index.js';
import { identity, processState } from './writer-lock.js';

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

  it('tells a stale lock by boot and start time, not by pid alone (a restarted container gets pid 1 again)', async () => {
    const me = identity(process.pid);
    expect(me.bootId).toMatch(/^[0-9a-f-]{36}$/); // Linux
    const lock = (over: object) => {
      const dir = tmp();
      writeFileSync(join(dir, 'writer.lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: '2026-01-01T00:00:00Z', ...me, ...over }));
      return dir;
    };
    // This very process holds it: refused.
    expect(() => Historian.open(lock({}))).toThrow(ArchiveLockedError);
    // Our pid, but a process that started at another time (the station before the container restarted): stale.
    await Historian.open(lock({ startTicks: me.startTicks! - 1 })).close();
    // Our pid and start time, but another boot: stale.
    await Historian.open(lock({ bootId: '00000000-0000-0000-0000-000000000000' })).close();
    // A live process that holds it: refused; the same pid with another start time (pid reused): stale.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 100));
      const owner = { pid: child.pid, ...identity(child.pid!) };
      expect(() => Historian.open(lock(owner))).toThrow(new RegExp(`process ${child.pid}`));
      await Historian.open(lock({ ...owner, startTicks: owner.startTicks! + 1 })).close();
    } finally {
      child.kill();
    }
  });

  it('reads the state from /proc/<pid>/stat, whatever the command name holds', () => {
    expect(processState('4242 (node) Z 1 4242 4242 0 -1 4228108 ...')).toBe('Z');
    expect(processState('4242 (a b) c) X 1 4242')).toBe('X');
    expect(processState('4242 (node) S 1 4242')).toBe('S');
    expect(processState('')).toBeUndefined();
  });

  it('takes over the lock of a writer killed but not yet reaped by its parent (a zombie: state Z)', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const pid = child.pid!;
    const stat = () => readFileSync(`/proc/${pid}/stat`, 'utf8');
    const dir = tmp();
    writeFileSync(join(dir, 'writer.lock'), JSON.stringify({ pid, host: hostname(), since: '2026-01-01T00:00:00Z', ...identity(pid) }));
    expect(() => Historian.open(dir)).toThrow(new RegExp(`process ${pid}`)); // alive: its lock holds
    process.kill(pid, 'SIGKILL');
    // This thread reaps its children only when its event loop runs: until then the child is a zombie.
    let state = processState(stat());
    for (let spins = 0; state !== 'Z' && spins < 50_000_000; spins++) state = processState(stat());
    expect(state).toBe('Z');
    const h = Historian.open(dir); // synchronous: the child is still the zombie the lock names
    expect(processState(stat())).toBe('Z');
    await h.close();
    await exited;
  });
});
