/**
 * Units across a unit change, through the CLI as a user runs it (child processes, real archives in
 * a temp folder). The expected units and values are the ones written below by hand:
 * - Vigil's own export writes each row with "the unit of the tag's configuration valid at that
 *   time" (historian/csv/README.md, Export): P1 in bar, then in kPa. Imported into an empty data
 *   directory it must come back whole: every row, each in its unit (a version per unit, from the
 *   first row in it). Into an archive whose P1 says otherwise, the rows that contradict it are
 *   rejected naming file, line, column and the unit expected, and nothing stored changes.
 * - A wide file's units row states one unit per column; against an archive whose tag changed its
 *   unit, each row is in the unit in force at its time (not the newest): bar rows of the bar years
 *   import, kPa values at a time bar was in force are rejected, not archived as bar.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { historianCli } from '../testing/cli.js';
import type { TagConfig } from '../types.js';

let dir: string;
const cli = (...args: string[]) => historianCli(dir, ...args);
const T0 = Date.UTC(2026, 10, 1);
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
const config = (unit: string): TagConfig => ({ name: 'P1', kind: 'analog', description: '', unit, compression: { kind: 'none' }, stepped: false, cycleMs: 0 });

beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vigil-cli-units-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An archive where P1 was in bar (1.5, 1.6, 1.7 at 0-2 s) and, reconfigured at 10 s, in kPa (170-172 at 10-12 s). */
async function unitChange(data: string): Promise<void> {
  const h = Historian.open(data, { flushIntervalMs: 0, sortWindowMs: 0 });
  h.defineTag(config('bar'), T0 - 1000);
  h.append('P1', [1.5, 1.6, 1.7].map((value, i) => ({ t: T0 + i * 1000, value, status: Good })));
  h.flush();
  h.defineTag(config('kPa'), T0 + 10_000);
  h.append('P1', [170, 171, 172].map((value, i) => ({ t: T0 + 10_000 + i * 1000, value, status: Good })));
  await h.close();
}

/** P1 in an archive: its rows [s, value] and its versions' [from (s, -1 before T0), unit]. */
async function p1(data: string): Promise<{ rows: unknown[]; units: unknown[] }> {
  const h = Historian.open(data, { flushIntervalMs: 0, sortWindowMs: 0 });
  try {
    const rows = h.readRaw({ tags: ['P1'], start: T0 - 3_600_000, end: T0 + 3_600_000 }).rows.map((r) => [(r.t - T0) / 1000, r.value]);
    const units = h.versions('P1').map((v) => [v.validFrom <= T0 - 1000 ? -1 : (v.validFrom - T0) / 1000, v.config.unit]);
    return { rows, units };
  } finally {
    await h.close();
  }
}

describe('Vigil\'s export across a unit change', () => {
  it('imports into an empty data directory whole: each row in its unit, the change a version at the first kPa row', async () => {
    await unitChange(join(dir, 'station'));
    const out = join(dir, 'p1.csv');
    expect(cli('export', '--data', 'station', '--tag', 'P1', '--from', iso(-60), '--to', iso(3600), '--out', 'p1.csv').code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(`${iso(2)},P1,1.7,bar,`);
    expect(text).toContain(`${iso(10)},P1,170,kPa,`);

    const run = cli('import', 'p1.csv', '--data', 'fresh');
    expect([run.code, run.stderr]).toEqual([0, expect.stringContaining('0 lines rejected')]);
    // The change is said, not silent: a file that mixed units by mistake is seen in its summary.
    expect(run.stderr).toContain(`unit changed: P1 to "kPa" from ${iso(10)}`);
    expect(await p1(join(dir, 'fresh'))).toEqual({
      rows: [[0, 1.5], [1, 1.6], [2, 1.7], [10, 170], [11, 171], [12, 172]],
      units: [[-1, 'bar'], [10, 'kPa']],
    });
    // Exported again from the fresh archive: the same rows in the same units.
    expect(cli('export', '--data', 'fresh', '--tag', 'P1', '--from', iso(-60), '--to', iso(3600), '--out', 'again.csv').code).toBe(0);
    const rowsOf = (t: string) => t.split('\r\n').slice(1).map((l) => l.split(',').slice(0, 4).join(','));
    expect(rowsOf(readFileSync(join(dir, 'again.csv'), 'utf8'))).toEqual(rowsOf(text));
  });

  it('into an archive whose P1 was in bar all along: the kPa rows are rejected naming line, column and unit; nothing stored changes', async () => {
    await unitChange(join(dir, 'station'));
    expect(cli('export', '--data', 'station', '--tag', 'P1', '--from', iso(-60), '--to', iso(3600), '--out', 'p1.csv').code).toBe(0);
    const other = join(dir, 'other');
    const h = Historian.open(other, { flushIntervalMs: 0, sortWindowMs: 0 });
    h.defineTag(config('bar'), T0 - 1000);
    h.append('P1', [{ t: T0 + 20_000, value: 2.5, status: Good }]);
    await h.close();

    const run = cli('import', 'p1.csv', '--data', 'other');
    expect(run.code).toBe(1);
    // Lines 5-7 of the export (header, 3 bar rows): 170-172 kPa are not bar.
    for (const line of [5, 6, 7]) expect(run.stderr).toContain(`p1.csv:${line}: field "unit": expected "bar" (the unit of P1 in the archive); got "kPa"`);
    expect(await p1(other)).toEqual({ rows: [[0, 1.5], [1, 1.6], [2, 1.7], [20, 2.5]], units: [[-1, 'bar']] });
  });
});

describe('a wide file\'s units row against a tag whose unit changed', () => {
  it('reads each row in the unit in force at its time: bar rows of the bar time import, kPa values at a bar time are rejected', async () => {
    await unitChange(join(dir, 'station'));
    writeFileSync(join(dir, 'bar.csv'), ['Timestamp,P1', 'Units,bar', `${iso(3)},1.8`, `${iso(4)},1.9`, ''].join('\r\n'));
    const bar = cli('import', 'bar.csv', '--data', 'station');
    expect([bar.code, bar.stderr]).toEqual([0, expect.stringContaining('0 lines rejected')]);

    writeFileSync(join(dir, 'kpa.csv'), ['Timestamp,P1', 'Units,kPa', `${iso(5)},195`, `${iso(13)},173`, ''].join('\r\n'));
    const kpa = cli('import', 'kpa.csv', '--data', 'station');
    expect(kpa.code).toBe(1);
    expect(kpa.stderr).toContain(`kpa.csv:3: field "P1": expected a value in "bar" (the unit of P1 at ${iso(5)} in the archive); ` +
      'this column is in "kPa", as its units row on line 2 says; got "195"');
    expect(await p1(join(dir, 'station'))).toEqual({
      rows: [[0, 1.5], [1, 1.6], [2, 1.7], [3, 1.8], [4, 1.9], [10, 170], [11, 171], [12, 172], [13, 173]],
      units: [[-1, 'bar'], [10, 'kPa']],
    });
  });

  it('refuses the whole file when its unit is none the tag ever had, naming them', async () => {
    await unitChange(join(dir, 'station'));
    writeFileSync(join(dir, 'psi.csv'), ['Timestamp,P1', 'Units,psi', `${iso(13)},25.1`, ''].join('\r\n'));
    const run = cli('import', 'psi.csv', '--data', 'station');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`psi.csv:2: units row, column "P1": expected one of the units of P1 in the archive ` +
      `("bar" until ${iso(10)}, "kPa" since ${iso(10)}); got "psi"`);
    expect((await p1(join(dir, 'station'))).rows).toHaveLength(6);
  });
});
