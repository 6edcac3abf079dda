/**
 * The station's own records (flagged Cyclic: HIST's cyclic record, deadband's hold record) are not
 * values the source gave. Part 13's sample-based aggregates are over the raw values (Count
 * §5.4.3.23, Average §5.4.3.5, StandardDeviationSample §5.4.3.37, Minimum/Maximum and their
 * ActualTime, Range §5.4.3.10-14, Start/End §5.4.3.24-25, Delta §5.4.3.27): they skip them. The
 * time-weighted ones read the line the archive draws, and the records are what keep it a step
 * (TimeAverage §5.4.3.6, Interpolative §5.4.3.2): they use them. Every expectation below is
 * worked out by hand from those definitions over the values the test gave.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { codeOf, Good, HistorianMultiValue, BadNoData } from '../status.js';
import { T0, DAY, tagConfig, tempDir } from '../store/testing.js';
import { Flag, type HistValue } from '../types.js';
import { computeProcessed, type AggregateName } from './index.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const s = (sec: number) => T0 + sec * 1000;
/** What the source gave: a step up after 19 s without a change, another after 20 s. */
const SOURCE = [[0, 10], [1, 20], [20, 50], [40, 5], [41, 0]] as const;
/** What a 1 s acquisition cycle makes the station add: the held value one cycle before each new one after a gap. */
const CYCLIC = [[19, 20], [39, 50]] as const;

function archive(): Historian {
  const tmp = tempDir();
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, now: () => T0 + DAY });
  cleanups.push(tmp.remove, () => h.close());
  h.defineTag(tagConfig('TK101.Level', { cycleMs: 1000 }), T0);
  h.append('TK101.Level', SOURCE.map(([sec, value]) => ({ t: s(sec), value, status: Good })));
  h.flush();
  return h;
}

describe('sample-based aggregates skip the station\'s Cyclic records; time-weighted ones use them', () => {
  it('the archive holds the source\'s values and the station\'s records, flagged Cyclic', () => {
    const rows = archive().readRaw({ tags: 'TK101.Level', start: s(0), end: s(60) }).rows;
    const all = [...SOURCE.map(([sec, v]) => [sec, v, 0]), ...CYCLIC.map(([sec, v]) => [sec, v, Flag.Cyclic])].sort((a, b) => a[0]! - b[0]!);
    expect(rows.map((r) => [(r.t - T0) / 1000, r.value, r.flags & Flag.Cyclic])).toEqual(all);
  });

  // [aggregate, from s, to s, expected value, expected time (s; null: the interval start), MultiValue]
  type Want = [AggregateName, number, number, number | 'BadNoData', number | null, boolean?];
  const mean = (10 + 20 + 50 + 5 + 0) / 5; // 17
  const sd = Math.sqrt([10, 20, 50, 5, 0].reduce((a, v) => a + (v - mean) ** 2, 0) / 4); // sqrt(1580 / 4)
  const wants: Want[] = [
    // Over the whole minute: five values from the source, not seven.
    ['Count', 0, 60, 5, null],
    ['Average', 0, 60, 17, null],
    ['StandardDeviation', 0, 60, sd, null],
    // 50 came once from the source (the cyclic 50 at 39 s is not a second one: no MultiValue).
    ['Maximum', 0, 60, 50, null, false],
    ['MaximumActualTime', 0, 60, 50, 20, false],
    ['Minimum', 0, 60, 0, null, false],
    ['Range', 0, 60, 50, null],
    // 15-35 s: the source gave 50 at 20 s only; the held 20 re-stamped at 19 s is not its first value.
    ['Start', 15, 35, 50, 20],
    ['End', 15, 35, 50, 20],
    ['Delta', 15, 35, 0, null],
    ['Count', 15, 35, 1, null],
    ['Average', 15, 35, 50, null],
    ['Minimum', 15, 35, 50, null],
    // 0-20 s: the last value the source gave is 20 at 1 s, not its copy at 19 s.
    ['End', 0, 20, 20, 1],
    ['Delta', 0, 20, 10, null],
    // 19-20 s holds only the station's record: data stands there (the 20 held), the source gave none.
    ['Count', 19, 20, 0, null],
    ['Average', 19, 20, 'BadNoData', null],
    ['Start', 19, 20, 'BadNoData', null],
    // Time-weighted, along the archive's line 10@0, 20@1, 20@19, 50@20, 50@39, 5@40 (trapezoids):
    // 15 + 20·18 + 35 + 50·19 + 27.5 = 1387.5 over 40 s. Without the records the ramps would give 30.75.
    ['TimeAverage', 0, 40, 1387.5 / 40, null],
    // At 10 s the value held since 1 s (20 up to the record at 19 s), not 20 + 30·9/19 on a ramp to 50.
    ['Interpolative', 10, 11, 20, null],
  ];

  /** What differs from the hand-worked value, in words (empty when nothing does). */
  const mismatch = (got: HistValue, [aggregate, from, to, value, at, multi]: Want): string[] => {
    const what = `${aggregate} over ${from}-${to} s`;
    if (value === 'BadNoData') return codeOf(got.status) === BadNoData ? [] : [`${what}: ${String(got.value)}, expected BadNoData`];
    const out: string[] = [];
    if (codeOf(got.status) !== Good) out.push(`${what}: status 0x${got.status.toString(16)}, expected Good`);
    if (!(Math.abs((got.value as number) - value) < 1e-9)) out.push(`${what}: ${String(got.value)}, expected ${value}`);
    if (got.t !== s(at ?? from)) out.push(`${what}: at ${(got.t - T0) / 1000} s, expected ${at ?? from} s`);
    if (multi !== undefined && ((got.status & HistorianMultiValue) !== 0) !== multi) out.push(`${what}: MultiValue ${!multi}, expected ${multi}`);
    return out;
  };

  it('through the archive\'s processed read (the analog column path)', () => {
    const h = archive();
    const wrong = wants.flatMap((want) => {
      const [aggregate, from, to] = want;
      const [got] = h.readProcessed({ tags: 'TK101.Level', start: s(from), end: s(to), intervalMs: 0, aggregate })[0]!.values;
      return mismatch(got!, want);
    });
    expect(wrong).toEqual([]);
  });

  it('through computeProcessed over the archive\'s raw rows, flags and all (the object path)', () => {
    const rows = archive().readRaw({ tags: 'TK101.Level', start: s(0), end: s(60) }).rows;
    const wrong = wants.flatMap((want) => {
      const [aggregate, from, to] = want;
      const [got] = computeProcessed(rows, s(from), s(to), 0, aggregate, {}, s(41));
      return mismatch(got!, want);
    });
    expect(wrong).toEqual([]);
  });
});
