/**
 * Option values that start with a minus, typed as a user types them (child processes):
 * `--tz -05:00`, `--range -10:50`, `export --offset -03:30` take the next argument, as GNU
 * getopt gives an option that requires one; an option whose value is truly missing (last, or
 * followed by another option) is still a usage error saying so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historianCli } from '../testing/cli.js';

let dir: string;
const cli = (...args: string[]) => historianCli(dir, ...args);
const day = ['--from', '2024-05-01T00:00:00Z', '--to', '2024-05-02T00:00:00Z'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-cli-dash-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('option values starting with a minus', { timeout: 120_000 }, () => {
  it('import --tz -05:00 --range -10:50, export --offset -03:30: read as given', () => {
    // 07:00 at UTC-5 is 12:00Z. Deadband 1% of -10..50 is 0.6: 0.1 and 0.2 are within it (with the
    // file's own span, 0..5, it were 0.05 and every value kept).
    writeFileSync(join(dir, 'flow.csv'), ['time,FT1', '2024-05-01 07:00:00,0', '2024-05-01 07:01:00,0.1', '2024-05-01 07:02:00,0.2',
      '2024-05-01 07:03:00,0.3', '2024-05-01 07:04:00,5', ''].join('\n'));
    const spaced = cli('import', 'flow.csv', '--wide', '--tz', '-05:00', '--compression', 'deadband:1%', '--range', '-10:50', '--data', 'a');
    expect([spaced.code, spaced.stdout.split('\n')[0]]).toEqual([0, 'flow.csv: 5 samples accepted (5 appended, 0 late), 1 tag created, 0 lines rejected']);
    // the same as the documented `=` spelling
    const joined = cli('import', 'flow.csv', '--wide', '--tz=-05:00', '--compression', 'deadband:1%', '--range=-10:50', '--data', 'b');
    expect([joined.code, joined.stdout]).toEqual([0, spaced.stdout]);

    const exported = cli('export', '--data', 'a', '--tag', 'FT1', ...day, '--offset', '-03:30');
    expect([exported.code, exported.stderr]).toEqual([0, '']);
    const lines = exported.stdout.split('\r\n');
    expect(lines[1]).toBe('2024-05-01T08:30:00.000-03:30,FT1,0,,Good,0x00000400,,analog');
    expect(lines.at(-2)).toBe('2024-05-01T08:34:00.000-03:30,FT1,5,,Good,0x00000400,,analog');
    expect(lines.filter((l) => /,FT1,0\.[12],/.test(l))).toEqual([]);
    expect(exported.stdout).toBe(cli('export', '--data', 'b', '--tag', 'FT1', ...day, '--offset=-03:30').stdout);
  });

  it('a value truly missing is still a usage error (exit 2) saying so', () => {
    const last = cli('export', '--data', 'a', '--tag', 'FT1', ...day, '--offset');
    expect(last.code).toBe(2);
    expect(last.stderr).toMatch(/^historian export: Option '--offset <value>' argument missing\n/);
    const beforeOption = cli('export', '--data', '--tag', 'FT1', ...day);
    expect(beforeOption.code).toBe(2);
    expect(beforeOption.stderr).toMatch(/^historian export: Option '--data' argument is ambiguous\.\nDid you forget to specify the option argument for '--data'\?/);
    const beforeHelp = cli('import', 'flow.csv', '--data', 'a', '--tz', '-h');
    expect(beforeHelp.code).toBe(2);
    expect(beforeHelp.stderr).toMatch(/^historian import: Option '--tz' argument is ambiguous\./);
    // After `--` every argument is a file, as before.
    const files = cli('import', '--data', 'a', '--', '-05:00');
    expect([files.code, files.stderr]).toEqual([1, '-05:00: no such file\n']);
  });
});
