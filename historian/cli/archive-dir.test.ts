/** What --data names, as a user meets it: the CLI in a child process on temp dirs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historianCli } from '../testing/cli.js';

let dir: string;

const cli = (...args: string[]) => historianCli(dir, ...args);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-cli-data-'));
  writeFileSync(join(dir, 'gap.csv'), 'time,tag,value\n2026-03-01T00:00:00Z,TK1.Level,1.5\n2026-03-01T00:00:01Z,TK1.Level,1.6\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('historian CLI --data', { timeout: 120_000 }, () => {
  it("refuses a station's data directory and names its archive, creating nothing", () => {
    const station = join(dir, 'station');
    mkdirSync(station);
    writeFileSync(join(station, 'accounts.sqlite'), ''); // what a station's data directory holds beside archive/
    const before = readdirSync(station);
    for (const args of [['import', 'gap.csv', '--data', station], ['stats', '--data', station]]) {
      const r = cli(...args);
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr).toContain(`${station}: a Vigil station's data directory, not an archive: its archive is ${join(station, 'archive')}`);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack
    }
    expect(readdirSync(station)).toEqual(before);
  });

  it('refuses a --data that is a file, or under a file, with one line', () => {
    const file = join(dir, 'gap.csv');
    const a = cli('import', 'gap.csv', '--data', file);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain(`${file}: not a directory`);
    const b = cli('import', 'gap.csv', '--data', join(file, 'archive'));
    expect(b.code).toBe(1);
    expect(b.stderr).toContain(`${join(file, 'archive')}: cannot be made: a file is in its path (${file})`);
    for (const r of [a, b]) expect(r.stderr).not.toMatch(/EEXIST|ENOTDIR|\n\s+at /);
  });

  it('makes a new archive directory for its owner alone, and imports into it', () => {
    const fresh = join(dir, 'fresh', 'archive');
    const r = cli('import', 'gap.csv', '--data', fresh);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(fresh, 'catalog.sqlite'))).toBe(true);
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
  });
});
