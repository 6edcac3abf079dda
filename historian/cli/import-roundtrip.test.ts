/**
 * README ("Historian CLI"): an export reads back with import, and importing a file twice changes
 * nothing. A station's archive (HIST cyclic records, values back-filled from a server's history,
 * limit bits, Bad values, discrete and text tags) is exported by the CLI, imported into the same
 * archive and into a fresh one, and exported again: byte for byte the first export. The figures are
 * counted by hand from the samples written below. Child processes (the CLI as a user runs it) on temp archives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { BadSensorFailure, Good } from '../status.js';
import { Flag } from '../types.js';
import { historianCli } from '../testing/cli.js';

let dir: string;
const cli = (...args: string[]) => historianCli(dir, ...args);
const T0 = Date.UTC(2026, 0, 1);
const at = (s: number) => T0 + s * 1000;
const range = ['--from', '2026-01-01T00:00Z', '--to', '2026-01-02T00:00Z'];

beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'vigil-cli-roundtrip-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A live station's archive, written as the station writes it. Level (cycle 1 s, lossless): 1 at 0 s,
 * 2 at 1 s, 3 at 10 s and 4 at 20 s: HIST adds 2 at 9 s and 3 at 19 s (Cyclic), 6 rows. Flow:
 * 3 values back-filled at 30-32 s (Backfilled), 5 Bad at 33 s, 6 at 34 s pinned at its high
 * limit (InfoType DataValue + LimitHigh, 0x00000600): 5 rows. Pump (discrete) on 0 s, off 5 s: 2
 * rows. Mode (text) AUTO 0 s, MANUAL 5 s: 2 rows. 15 rows in all.
 */
async function stationArchive(data: string): Promise<void> {
  const h = Historian.open(data, { flushIntervalMs: 0, sortWindowMs: 0 });
  const tag = (name: string, kind: 'analog' | 'discrete' | 'text', cycleMs: number) =>
    h.defineTag({ name, kind, description: '', unit: kind === 'analog' ? 'm' : '', compression: { kind: 'none' }, stepped: kind !== 'analog', cycleMs }, 0);
  tag('Level', 'analog', 1000);
  tag('Flow', 'analog', 0);
  tag('Pump', 'discrete', 0);
  tag('Mode', 'text', 0);
  h.append('Level', [1, 2].map((v, i) => ({ t: at(i), value: v, status: Good })));
  h.append('Level', [{ t: at(10), value: 3, status: Good }]);
  h.append('Level', [{ t: at(20), value: 4, status: Good }]);
  h.insert('Flow', [30, 31, 32].map((s) => ({ t: at(s), value: s / 10, status: Good, flags: Flag.Backfilled })));
  h.append('Flow', [{ t: at(33), value: 5, status: BadSensorFailure }, { t: at(34), value: 6, status: 0x00000600 }]);
  h.append('Pump', [{ t: at(0), value: true, status: Good }, { t: at(5), value: false, status: Good }]);
  h.append('Mode', [{ t: at(0), value: 'AUTO', status: Good }, { t: at(5), value: 'MANUAL', status: Good }]);
  await h.close();
}

describe('historian export read back with import', { timeout: 120_000 }, () => {
  it('into its own archive: nothing replaced, flags kept, the second export byte for byte the first', async () => {
    const data = join(dir, 'station');
    await stationArchive(data);
    expect(cli('export', '--data', data, '--tag', '*', ...range, '--out', 'first.csv').code).toBe(0);
    const first = readFileSync(join(dir, 'first.csv'), 'utf8');
    const rows = first.trim().split('\r\n').slice(1);
    expect(rows).toHaveLength(15);
    // What a read adds is in the file: InfoType DataValue on every status (Part 11; Good: Level 6, Flow's back-filled 3,
    // Pump 2, Mode 2), Cyclic and Backfilled flags.
    expect(rows.filter((r) => r.includes(',Good,0x00000400,'))).toHaveLength(13);
    expect(rows.filter((r) => r.includes(',Good,0x00000600,'))).toHaveLength(1);
    expect(rows.filter((r) => r.includes(',Cyclic,'))).toHaveLength(2);
    expect(rows.filter((r) => r.includes(',Backfilled,'))).toHaveLength(3);

    const again = cli('import', 'first.csv', '--data', data);
    expect([again.code, again.stdout.split('\n')]).toEqual([0, [
      'first.csv: 0 samples accepted (0 appended, 0 late, 15 already archived as given), 0 lines rejected',
      'first.csv: 0 samples accepted, 0 archived',
      '',
    ]]);
    expect(cli('export', '--data', data, '--tag', '*', ...range, '--out', 'second.csv').code).toBe(0);
    expect(readFileSync(join(dir, 'second.csv'), 'utf8')).toBe(first);
  });

  it('into a fresh archive: the same rows with their flags; a file without flags imported over it replaces nothing', async () => {
    const data = join(dir, 'fresh');
    const imported = cli('import', 'first.csv', '--data', data);
    expect([imported.code, imported.stdout.split('\n')[1]]).toEqual([0, 'first.csv: 15 samples accepted, 15 archived']);
    expect(cli('export', '--data', data, '--tag', '*', ...range, '--out', 'third.csv').code).toBe(0);
    expect(readFileSync(join(dir, 'third.csv'), 'utf8')).toBe(readFileSync(join(dir, 'first.csv'), 'utf8'));
    // The plain values of Level (a file without status or flags columns): Good, as archived; the Cyclic records stay.
    writeFileSync(join(dir, 'plain.csv'), `time,tag,value\n${[[0, 1], [1, 2], [9, 2], [10, 3], [19, 3], [20, 4]]
      .map(([s, v]) => `${new Date(at(s!)).toISOString()},Level,${v}`).join('\n')}\n`);
    const plain = cli('import', 'plain.csv', '--data', data);
    expect(plain.stdout.split('\n')[0]).toBe('plain.csv: 0 samples accepted (0 appended, 0 late, 6 already archived as given), 0 lines rejected');
    expect(cli('export', '--data', data, '--tag', '*', ...range, '--out', 'fourth.csv').code).toBe(0);
    expect(readFileSync(join(dir, 'fourth.csv'), 'utf8')).toBe(readFileSync(join(dir, 'first.csv'), 'utf8'));
  });

  it('a correction of a cyclic record replaces it and adds nothing', async () => {
    const data = join(dir, 'corrected');
    await stationArchive(data);
    writeFileSync(join(dir, 'fix.csv'), `time,tag,value\n${new Date(at(9)).toISOString()},Level,2.5\n`);
    const fix = cli('import', 'fix.csv', '--data', data);
    expect([fix.code, fix.stdout.split('\n')]).toEqual([0, [
      'fix.csv: 1 sample accepted (0 appended, 1 late of which 1 replaced an archived value), 0 lines rejected',
      'fix.csv: 1 sample accepted, 0 added (1 replacing values archived at their times)',
      '',
    ]]);
    expect(cli('export', '--data', data, '--tag', 'Level', ...range, '--out', 'fixed.csv').code).toBe(0);
    expect(readFileSync(join(dir, 'fixed.csv'), 'utf8')).toContain('2026-01-01T00:00:09.000Z,Level,2.5,m,Good,0x00000400,,analog\r\n');
  });
});
