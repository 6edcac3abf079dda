/**
 * README ("Historian CLI"): several files in one import, as a checker imports the Numenta Anomaly
 * Benchmark's files (each `timestamp,value`: every file's one tag is "value"). A later file's rows
 * at the times of an earlier one's replace them, as a second import would: counted as replacing
 * (not "compressed away") and warned of, naming the tag and --tag-prefix. Figures counted by hand
 * from the rows below. Child processes (the CLI as a user runs it) on temp archives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historianCli } from '../testing/cli.js';

let dir: string;
const cli = (...args: string[]) => historianCli(dir, ...args);

beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'vigil-cli-files-run-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const times = ['2013-12-02 21:15:00', '2013-12-02 21:20:00', '2013-12-02 21:25:00'];
const nab = (values: string[]) => `timestamp,value\n${times.map((t, i) => `${t},${values[i]}`).join('\n')}\n`;

describe('one import of several files feeding one tag', { timeout: 120_000 }, () => {
  it('the second file replaces the first one\'s values: counted and said', () => {
    writeFileSync(join(dir, 'machine_temperature.csv'), nab(['73.96732207', '74.935882', '76.12416182']));
    writeFileSync(join(dir, 'ambient_temperature.csv'), nab(['69.88083514', '71.22022706', '70.87780496']));
    const data = join(dir, 'nab');
    const r = cli('import', 'machine_temperature.csv', 'ambient_temperature.csv', '--data', data);
    expect(r.stdout).toContain('machine_temperature.csv: 3 samples accepted (3 appended, 0 late), 1 tag created, 0 lines rejected');
    expect(r.stdout).toContain('ambient_temperature.csv: 3 samples accepted (0 appended, 3 late of which 3 replaced archived values), 0 lines rejected');
    expect(r.stdout).toContain('2 files: 6 samples accepted, 3 added (3 replacing values archived at their times)');
    expect(r.stderr).toContain('ambient_temperature.csv: warning: 3 values replaced archived ones, of a tag an earlier file of this import fed too (value): ' +
      'a wide file\'s column names are its tags; to keep each file\'s values, import each file on its own with its own --tag-prefix');
    expect(r.code).toBe(0);
    const e = cli('export', '--data', data, '--tag', 'value', '--from', '2013-12-02T21:00Z', '--to', '2013-12-02T22:00Z');
    expect(e.stdout.trim().split('\n').slice(1).map((row) => row.split(',').slice(0, 3).join(','))).toEqual([
      '2013-12-02T21:15:00.000Z,value,69.88083514', '2013-12-02T21:20:00.000Z,value,71.22022706', '2013-12-02T21:25:00.000Z,value,70.87780496',
    ]);
  });
});
