/**
 * The CLI on an archive with a damaged or missing past volume file: `volumes list` shows it,
 * `volumes detach` takes it out without touching the file, `export` leaves it out with a warning
 * naming the file. A child process on copies of one archive in a temp dir.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { DAY, T0, tagConfig } from '../store/testing.js';
import { historianCli } from '../testing/cli.js';

let dir: string;
let copies = 0;

function cli(...args: string[]) {
  return historianCli(dir, ...args);
}

const value = (d: number, k: number) => d * 1000 + k + 0.25;

/** Tag A: 100 samples a day on 2024-03-01, -02 and -03 (volumes day-2024-03-0{1,2,3}.sqlite). */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-cli-unreadable-'));
  const h = Historian.open(join(dir, 'template'), { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0 + 3 * DAY });
  h.defineTag(tagConfig('A', { unit: 'bar' }), T0);
  for (let d = 0; d < 3; d++) {
    h.append('A', Array.from({ length: 100 }, (_, k) => ({ t: T0 + d * DAY + k * 1000, value: value(d, k), status: Good })));
    h.flush();
  }
  await h.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the template archive and the path of one of its volume files. */
function archive(volume: string): { data: string; file: string } {
  const data = join(dir, `a${copies++}`);
  cpSync(join(dir, 'template'), data, { recursive: true });
  return { data, file: join(data, 'volumes', volume) };
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const DAY0 = 'day-2024-03-01.sqlite';
/** The value column of exported CSV rows. */
const valuesOf = (csv: string) => csv.trim().split('\n').slice(1).map((line) => Number(line.split(',')[2]));
const expected = (days: number[]) => days.flatMap((d) => Array.from({ length: 100 }, (_, k) => value(d, k)));
const exportA = (data: string) => cli('export', '--data', data, '--tag', 'A', '--from', '2024-03-01T00:00:00Z', '--to', '2024-03-04T00:00:00Z');

describe('historian CLI with a damaged or missing past volume', { timeout: 120_000 }, () => {
  it('volumes list shows a damaged volume as UNREADABLE and names the file on stderr', () => {
    const { data, file } = archive(DAY0);
    truncateSync(file, 3000);
    const before = sha(file);
    const r = cli('volumes', 'list', '--data', data);
    expect(r.code).toBe(0);
    const row = r.stdout.split('\n').find((l) => l.includes(DAY0));
    expect(row).toMatch(/ attached {2}UNREADABLE: database disk image is malformed \(SQLITE_CORRUPT\)$/);
    expect(r.stdout.split('\n').filter((l) => l.includes('UNREADABLE'))).toHaveLength(1);
    expect(r.stderr).toContain(`historian volumes: warning: volume ${DAY0} cannot be read: ${file}: database disk image is malformed`);
    expect(r.stderr).toContain(`npm run historian -- volumes detach ${DAY0} --data ${data}`);
    expect(sha(file)).toBe(before);
  });

  it('volumes detach takes a damaged volume out (the file byte for byte as it was); export then reads the rest', () => {
    const { data, file } = archive(DAY0);
    truncateSync(file, 3000);
    const before = sha(file);
    const r = cli('volumes', 'detach', DAY0, '--data', data);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^ {3}1 {2}${DAY0.replace(/\./g, '\\.')} .* detached\\n$`));
    expect(sha(file)).toBe(before);
    const e = exportA(data);
    expect(e.code).toBe(0);
    expect(valuesOf(e.stdout)).toEqual(expected([1, 2]));
    expect(sha(file)).toBe(before);
  });

  it('export with a volume file missing: the other days, and a warning with the full path (exit code 1)', () => {
    const { data, file } = archive('day-2024-03-02.sqlite');
    rmSync(file);
    const r = exportA(data);
    expect(r.code).toBe(1);
    expect(valuesOf(r.stdout)).toEqual(expected([0, 2]));
    expect(r.stderr).toContain(`historian export: warning: volume day-2024-03-02.sqlite cannot be read: ${file}: the file is missing.`);
  });

  it('export with a damaged volume: the other days, and a warning naming the file and SQLite\'s reason (exit code 1)', () => {
    const { data, file } = archive(DAY0);
    truncateSync(file, 3000);
    const before = sha(file);
    const r = exportA(data);
    expect(r.code).toBe(1);
    expect(valuesOf(r.stdout)).toEqual(expected([1, 2]));
    expect(r.stderr).toContain(`historian export: warning: volume ${DAY0} cannot be read: ${file}: database disk image is malformed (SQLITE_CORRUPT).`);
    expect(sha(file)).toBe(before);
  });
});
