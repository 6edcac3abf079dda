/**
 * TimeAverage2, Total, Total2, DurationInStateZero/NonZero and NumberOfTransitions (Part 13 v1.05
 * §5.4.3.7-9, 22-24) through the archive's processed read: a pump's run signal (discrete, archived
 * only at its changes) and a flow transmitter (analog, sloped, with the station's Cyclic records).
 * Every expectation is worked out by hand below from the definitions, over the values the test gave:
 * - simple bounding values (§3.1.9): the value in force at a time is the last point at or before it,
 *   used only when it is non-Bad (Uncertain is Bad here: TreatUncertainAsBad defaults true);
 * - TimeAverage2 = area under the line over the non-Bad time / that time; a stepped tag holds each
 *   value, a sloped one draws lines, but a region ending at a Bad value holds its start (and is
 *   Uncertain, §5.4.3.2.2); Total2 = TimeAverage2 × that time (s) = the area in value·s;
 * - Total = TimeAverage × the interval (s): TimeAverage's sloped lines between interpolated bounds;
 * - PercentTime status with PercentDataGood = PercentDataBad = 100: Good only when all of the known
 *   time is non-Bad, Bad only when all of it is Bad, else Uncertain_DataSubNormal;
 * - NumberOfTransitions compares each non-Bad value with the non-Bad one before it (the first ever
 *   is a transition); PercentValues status over the values and that bound.
 * Intervals of 20 s from -30 s: before the data, the start of data (partial), whole ones, one with
 * Bad and Uncertain values, the end of data at 60 s (partial), after it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Bad, BadNoData, Good, Uncertain, UncertainDataSubNormal, codeOf } from '../status.js';
import { T0, DAY, tagConfig, tempDir } from '../store/testing.js';
import { Flag, type HistValue } from '../types.js';
import type { AggregateName } from './index.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const s = (sec: number) => T0 + sec * 1000;
const U = UncertainDataSubNormal;

/** The pump runs 10-30 s and 45-60 s; its value at 40 s is Bad (5 s of unknown state). */
const PUMP = [[0, false, Good], [10, true, Good], [30, false, Good], [40, false, Bad], [45, true, Good], [60, false, Good]] as const;
/** The flow: Uncertain at 30 s, Bad at 40 s. The station adds its held records after 9 s quiet (1 s cycle). */
const FLOW = [[0, 0, Good], [10, 10, Good], [20, 10, Good], [30, 20, Uncertain], [40, 0, Bad], [45, 30, Good], [60, 30, Good]] as const;

function archive(): Historian {
  const tmp = tempDir();
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, now: () => T0 + DAY });
  cleanups.push(tmp.remove, () => h.close());
  h.defineTag(tagConfig('P101.Run', { stepped: true }, 'discrete'), T0);
  h.append('P101.Run', PUMP.map(([sec, value, status]) => ({ t: s(sec), value, status })));
  h.defineTag(tagConfig('FT101.Flow', { cycleMs: 1000 }), T0);
  h.append('FT101.Flow', FLOW.map(([sec, value, status]) => ({ t: s(sec), value, status })));
  h.flush();
  return h;
}

/** [value, status code, Partial] of each interval -30..-10, -10..10, 10..30, 30..50, 50..70, 70..90 s. */
type Row = [number, number, boolean] | 'BadNoData';
const NO: Row = 'BadNoData';

function read(h: Historian, tag: string, aggregate: AggregateName): HistValue[] {
  return h.readProcessed({ tags: tag, start: s(-30), end: s(90), intervalMs: 20_000, aggregate })[0]!.values;
}

function mismatches(got: HistValue[], want: Row[], what: string): string[] {
  const out: string[] = [];
  if (got.length !== want.length) return [`${what}: ${got.length} intervals, expected ${want.length}`];
  want.forEach((w, k) => {
    const g = got[k]!;
    const at = `${what} at ${(g.t - T0) / 1000} s`;
    if (g.t !== s(-30 + 20 * k)) out.push(`${at}: stamped ${(g.t - T0) / 1000} s, expected ${-30 + 20 * k} s`);
    if (w === 'BadNoData') {
      if (codeOf(g.status) !== BadNoData) out.push(`${at}: ${String(g.value)} status 0x${g.status.toString(16)}, expected BadNoData`);
      return;
    }
    const [value, code, partial] = w;
    if (codeOf(g.status) !== code) out.push(`${at}: status 0x${codeOf(g.status).toString(16)}, expected 0x${code.toString(16)}`);
    if (code !== Bad && !(Math.abs((g.value as number) - value) < 1e-9)) out.push(`${at}: ${String(g.value)}, expected ${value}`);
    if (((g.flags & Flag.Partial) !== 0) !== partial) out.push(`${at}: Partial ${!partial}, expected ${partial}`);
    if ((g.flags & Flag.Calculated) === 0) out.push(`${at}: Calculated bit missing`);
  });
  return out;
}

describe('discrete and stepped aggregates over a real archive, by hand from Part 13', () => {
  it('the archive holds the flow\'s held records, flagged Cyclic, each repeating the value before it', () => {
    const rows = archive().readRaw({ tags: 'FT101.Flow', start: s(0), end: s(90) }).rows;
    const held = rows.filter((r) => (r.flags & Flag.Cyclic) !== 0);
    expect(held.map((r) => (r.t - T0) / 1000)).toEqual([9, 19, 29, 39, 59]);
    // A held record repeats the value (and quality) before it: it can never be a transition.
    for (const r of held) {
      const before = rows[rows.indexOf(r) - 1]!;
      expect([r.value, codeOf(r.status)]).toEqual([before.value, codeOf(before.status)]);
    }
  });

  // The pump, stepped (discrete). Regions per interval (s): state, quality.
  //  -10..10: no data -10..0, false 0..10            → known 20 s, 10 non-Bad, 10 Bad
  //   10..30: true 10..30                            → all Good (the change at 30 s is the next interval's)
  //   30..50: false 30..40, Bad 40..45, true 45..50  → 15 of 20 s non-Bad
  //   50..70: true 50..60, not known after 60 s      → 10 s known, all Good; Partial
  const pump: Partial<Record<AggregateName, Row[]>> = {
    // The duty cycle: the fraction of the non-Bad time it ran.
    TimeAverage2: [NO, [(0 * 10) / 10, U, true], [(1 * 20) / 20, Good, false], [(0 * 10 + 1 * 5) / 15, U, false], [(1 * 10) / 10, Good, true], NO],
    // Run-seconds.
    Total2: [NO, [0 * 10, U, true], [1 * 20, Good, false], [0 * 10 + 1 * 5, U, false], [1 * 10, Good, true], NO],
    DurationInStateZero: [NO, [10_000, U, true], [0, Good, false], [10_000, U, false], [0, Good, true], NO],
    DurationInStateNonZero: [NO, [0, U, true], [20_000, Good, false], [5_000, U, false], [10_000, Good, true], NO],
    // -10..10: false at 0 s, nothing before it: 1. 10..30: true at 10 s (false before): 1; the
    // change at 30 s is at the end time, not included. 30..50: false at 30 s, the Bad at 40 s
    // skipped, true at 45 s against false: 2; values Good 2 + bound Good, Bad 1: Uncertain.
    // 50..70: false at 60 s against true at 45 s: 1.
    NumberOfTransitions: [NO, [1, Good, true], [1, Good, false], [2, U, false], [1, Good, true], NO],
    // TimeAverage's sloped lines between interpolated bounds (§5.4.3.6), × the interval (§5.4.3.8),
    // in value·s. -10..10: no start bound, the part from 0 s: false at 0 s to the end bound true at
    // 10 s. 10..30: true at 10 s slopes to false at 30 s: 10 run-seconds where the pump ran 20.
    // 30..50: false at 30 s, the Bad at 40 s skipped (Uncertain), true at 45 s, end bound at 50 s on
    // the line from true at 45 s to false at 60 s: 1 − 5/15. 50..70: start bound 1 − 5/15, false at
    // 60 s, then the value extrapolated (held) after the end of data: Uncertain.
    Total: [
      NO,
      [((0 + 1) / 2) * 10, Good, true],
      [((1 + 0) / 2) * 20, Good, false],
      [((0 + 1) / 2) * 15 + ((1 + (1 - 5 / 15)) / 2) * 5, U, false],
      [(((1 - 5 / 15) + 0) / 2) * 10 + 0 * 10, U, true],
      NO,
    ],
  };

  // The flow, sloped (analog, Stepped false), with held records at 9, 19, 29, 39 (Uncertain), 59 s.
  // TreatUncertainAsBad: the Uncertain 20 at 30 s and its held copy at 39 s are Bad.
  //  -10..10: no data -10..0; 0 at 0 and 9 s, then a line to 10 at 10 s: area 0·9 + ½(0+10)·1 = 5
  //   10..30: 10 held 10..29 (flat lines through the held records), 29..30 ends at the Uncertain
  //           20: only its starting 10 is used, and the region is Uncertain: area 10·20 = 200
  //   30..50: Bad 30..45 (Uncertain, held Uncertain, Bad), 30 at 45 to 30 held at 59 s: 30·5 = 150
  //   50..70: 30 until 60 s, not known after; Partial
  const flow: Partial<Record<AggregateName, Row[]>> = {
    TimeAverage2: [NO, [5 / 10, U, true], [200 / 20, U, false], [150 / 5, U, false], [(30 * 10) / 10, Good, true], NO],
    Total2: [NO, [5, U, true], [200, U, false], [150, U, false], [30 * 10, Good, true], NO],
    // Zero state: the value 0 (the Bad 0 at 40 s is not counted). States hold (no lines), so the
    // region 29..30 is Good here: its end point does not matter to a step (§5.4.3.2.2).
    DurationInStateZero: [NO, [10_000, U, true], [0, Good, false], [0, U, false], [0, Good, true], NO],
    DurationInStateNonZero: [NO, [0, U, true], [20_000, Good, false], [5_000, U, false], [10_000, Good, true], NO],
    // The source's values only: 0 (first ever), 10 at 10 s, 30 at 45 s (against 10 at 20 s: the
    // Uncertain 20 is Bad), none at 60 s (30 again). 30..50 counts Bad 2 (30, 40 s), Good 1 + bound.
    NumberOfTransitions: [NO, [1, Good, true], [1, Good, false], [1, U, false], [0, Good, true], NO],
    // TimeAverage × 20 s. 10..30: 10 flat to 29 s, then to the end bound at 30 s interpolated
    // between the usable 10 at 29 s and 30 at 45 s: 10 + 20·1/16; Bad skipped: Uncertain.
    // 30..50: start bound 10 + 20·1/16 at 30 s, a line to 30 at 45 s, 30 to 50 s.
    // -10..10: no start bound, the part from 0 s (Partial): 0·9 + ½(0+10)·1.
    Total: [
      NO,
      [0 * 9 + ((0 + 10) / 2) * 1, Good, true],
      [10 * 19 + ((10 + (10 + 20 / 16)) / 2) * 1, U, false],
      [(((10 + 20 / 16) + 30) / 2) * 15 + 30 * 5, U, false],
      [30 * 20, U, true],
      NO,
    ],
  };

  for (const [tag, table] of [['P101.Run', pump], ['FT101.Flow', flow]] as const) {
    it(`${tag}: ${Object.keys(table).join(', ')}`, () => {
      const h = archive();
      const wrong = Object.entries(table).flatMap(([aggregate, want]) =>
        mismatches(read(h, tag, aggregate as AggregateName), want!, `${tag} ${aggregate}`));
      expect(wrong).toEqual([]);
    });
  }

  it('TimeAverage still slopes a held state (§5.4.3.6); TimeAverage2 holds it', () => {
    const h = archive();
    const range = { tags: 'P101.Run', start: s(10), end: s(30), intervalMs: 0 };
    expect(h.readProcessed({ ...range, aggregate: 'TimeAverage' })[0]!.values[0]!.value).toBe(0.5);
    expect(h.readProcessed({ ...range, aggregate: 'TimeAverage2' })[0]!.values[0]!.value).toBe(1);
  });
});
