/**
 * A text tag (a machine state, an operating mode) in a resampled export: its column holds the
 * state each interval's aggregate returns (Interpolative: the state held at the interval's start;
 * Start/End: the text archived), quoted and formula-guarded as any text cell; empty only where
 * Bad or no data, as the header says. Read back by the project's own checker
 * (scripts/verify-trend-csv.py, Python's csv module), from a real archive; values by hand.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Historian } from '../../../../historian/index.js';
import type { AggregateName } from '../../../../historian/aggregates/config.js';
import { BadSensorFailure, Good } from '../../../../historian/status.js';
import { tagConfig, tempDir } from '../../../../historian/store/testing.js';
import { versionsOver } from '../history-encode.js';
import { runExport } from './run.js';

const root = new URL('../../../../', import.meta.url).pathname;
const tmp = tempDir('vigil-export-text-');
const T0 = Date.UTC(2024, 2, 1); // a round minute: the export's intervals start on it
let h: Historian;

beforeAll(() => {
  h = Historian.open(join(tmp.dir, 'archive'), { flushIntervalMs: 0, sortWindowMs: 0 });
  h.defineTag(tagConfig('P101.Mode', {}, 'text'), T0 - 60_000);
  // RUNNING from the start, a state with a comma at 60 s, one a spreadsheet would run at 120 s, Bad at 180 s.
  h.append('P101.Mode', [
    { t: T0, value: 'RUNNING', status: Good },
    { t: T0 + 60_000, value: 'STOPPED, "local"', status: Good },
    { t: T0 + 120_000, value: '=CMD', status: Good },
    { t: T0 + 180_000, value: '', status: BadSensorFailure },
  ]);
  h.defineTag(tagConfig('FT101.Flow', { unit: 'kg/s' }), T0 - 60_000);
  h.append('FT101.Flow', [0, 60, 120, 180].map((sec) => ({ t: T0 + sec * 1000, value: 2, status: Good })));
  h.flush();
});
afterAll(async () => {
  await h.close();
  tmp.remove();
});

interface Checked { ok: boolean; problem?: string; columns: string[]; data: string[][] }

async function exported(aggregate: AggregateName | undefined, name: string): Promise<Checked> {
  const start = T0, end = T0 + 240_000;
  const pens = ['P101.Mode', 'FT101.Flow'].map((tag) => ({ tag, kind: h.versions(tag)[0]!.config.kind, versions: versionsOver(h.versions(tag), start, end) }));
  const chunks: Buffer[] = [];
  await runExport(
    h,
    { station: 'S', user: 'op1', exportedAt: T0, start, end, timeZone: null, shape: 'resampled', aggregate, intervalMs: 60_000, pens },
    { write: (b) => void chunks.push(Buffer.from(b)), cancelled: () => false, progress: () => undefined },
  );
  const file = join(tmp.dir, name);
  writeFileSync(file, Buffer.concat(chunks));
  let out: string;
  try {
    out = execFileSync('python3', [join(root, 'scripts/verify-trend-csv.py'), '--json', file], { encoding: 'utf8' });
  } catch (err) {
    out = String((err as { stdout?: string }).stdout);
  }
  return JSON.parse(out.trim()) as Checked;
}

const iso = (sec: number) => new Date(T0 + sec * 1000).toISOString();

describe('a text tag in a resampled export', () => {
  it('Automatic (Interpolative for a text tag): each interval holds the state at its start, never an empty Good cell', async () => {
    const r = await exported(undefined, 'auto.csv');
    expect(r.ok, r.problem).toBe(true);
    expect(r.columns).toEqual(['time', 'P101.Mode', 'FT101.Flow', 'status']);
    expect(r.data.map((row) => row.slice(0, 3))).toEqual([
      [iso(0), 'RUNNING', '2'],
      [iso(60), 'STOPPED, "local"', '2'],
      [iso(120), "'=CMD", '2'],
      // The sensor failed at 180 s: Part 13's Interpolative gives the last good state, not Good, as the status says.
      [iso(180), "'=CMD", '2'],
    ]);
    expect(r.data[3]![3]).toMatch(/^P101\.Mode=Uncertain/);
    // Good states: the status cell names nothing for the rows before the sensor failed.
    expect(r.data.slice(0, 3).map((row) => row[3])).toEqual(['', '', '']);
  });

  it('End: the text archived, with its sample time', async () => {
    const r = await exported('End', 'end.csv');
    expect(r.ok, r.problem).toBe(true);
    expect(r.columns).toEqual(['time', 'P101.Mode', 'P101.Mode sample time', 'FT101.Flow', 'FT101.Flow sample time', 'status']);
    expect(r.data.slice(0, 3).map((row) => row.slice(0, 3))).toEqual([
      [iso(0), 'RUNNING', iso(0)],
      [iso(60), 'STOPPED, "local"', iso(60)],
      [iso(120), "'=CMD", iso(120)],
    ]);
    // Bad at 180 s: no value and no time, the status named.
    expect(r.data[3]!.slice(1, 3)).toEqual(['', '']);
    expect(r.data[3]![5]).toMatch(/^P101\.Mode=Bad/);
  });
});
