/**
 * A resampled export with the Part 13 aggregates for discrete and stepped signals: a pump's duty
 * cycle (TimeAverage2, §5.4.3.7: its state held, not sloped), its run-seconds (Total2, §5.4.3.9),
 * its starts (NumberOfTransitions, §5.4.3.24), and the header's `# aggregate` record naming the unit
 * where the value is not in the tag's (value·s, ms, count). Read back by the project's own checker
 * (scripts/verify-trend-csv.py), from a real archive; values by hand.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Historian } from '../../../../historian/index.js';
import type { AggregateName } from '../../../../historian/aggregates/config.js';
import { Good } from '../../../../historian/status.js';
import { tagConfig, tempDir } from '../../../../historian/store/testing.js';
import { versionsOver } from '../history-encode.js';
import { runExport } from './run.js';

const root = new URL('../../../../', import.meta.url).pathname;
const tmp = tempDir('vigil-export-discrete-');
const T0 = Date.UTC(2024, 2, 1); // a round minute: the export's intervals start on it
let h: Historian;

beforeAll(() => {
  h = Historian.open(join(tmp.dir, 'archive'), { flushIntervalMs: 0, sortWindowMs: 0 });
  h.defineTag(tagConfig('P101.Run', { stepped: true }, 'discrete'), T0 - 700_000);
  // Off since long before; on 15-45 s, off 45-90 s, on from 90 s (still on at 180 s).
  h.append('P101.Run', [[-600, false], [15, true], [45, false], [90, true], [180, true]].map(([sec, value]) => ({
    t: T0 + (sec as number) * 1000, value: value as boolean, status: Good,
  })));
  h.defineTag(tagConfig('FT101.Flow', { unit: 'kg/s' }), T0 - 700_000);
  h.append('FT101.Flow', [-600, 180].map((sec) => ({ t: T0 + sec * 1000, value: 2, status: Good })));
  h.flush();
});
afterAll(async () => {
  await h.close();
  tmp.remove();
});

interface Checked { ok: boolean; problem?: string; header: string[][]; data: string[][] }

async function exported(aggregate: AggregateName, tags: string[], name: string): Promise<Checked> {
  const start = T0, end = T0 + 180_000;
  const pens = tags.map((tag) => ({ tag, kind: h.versions(tag)[0]!.config.kind, versions: versionsOver(h.versions(tag), start, end) }));
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

const records = (r: Checked) => r.header.filter((l) => l[0] === '# aggregate').map((l) => l.slice(1));

describe('trend export: aggregates for discrete and stepped signals', () => {
  it('TimeAverage2: the pump\'s duty cycle per minute, its state held', async () => {
    const r = await exported('TimeAverage2', ['P101.Run'], 'duty.csv');
    expect(r.ok, r.problem).toBe(true);
    // 0-60 s: on 15-45 s, 30 of 60 s; 60-120 s: on 90-120 s, 30 of 60; 120-180 s: on throughout.
    expect(r.data.map((row) => Number(row[1]))).toEqual([30 / 60, 30 / 60, 1]);
    expect(records(r)).toEqual([['P101.Run', 'TimeAverage2']]);
  });

  it('Total2 and NumberOfTransitions: the header names their units', async () => {
    const total = await exported('Total2', ['P101.Run', 'FT101.Flow'], 'total.csv');
    expect(total.ok, total.problem).toBe(true);
    // Run-seconds 30, 30, 60; the flow, 2 kg/s throughout: 120 kg a minute.
    expect(total.data.map((row) => [Number(row[1]), Number(row[2])])).toEqual([[30, 120], [30, 120], [60, 120]]);
    expect(records(total)).toEqual([
      ['P101.Run', 'Total2', 'unit: value·s (time integral)'],
      ['FT101.Flow', 'Total2', 'unit: kg/s·s (time integral)'],
    ]);
    const starts = await exported('NumberOfTransitions', ['P101.Run'], 'starts.csv');
    expect(starts.ok, starts.problem).toBe(true);
    // On at 15 s, off at 45 s; on at 90 s; none after (on again at 180 s is no change, and the range's end).
    expect(starts.data.map((row) => Number(row[1]))).toEqual([2, 1, 0]);
    expect(records(starts)).toEqual([['P101.Run', 'NumberOfTransitions', 'unit: count']]);
  });
});
