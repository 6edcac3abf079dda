/**
 * Intervals (Part 13 §5.4.2.2, Table 12) and intervals that hold no value: before the start
 * of data, from a Bad_NoData entry on, or between values. Expectations are Table 12, the
 * "Before Start of Data: Bad_NoData" line of every aggregate table, Table 36/37 ("if no
 * values are in the interval then the StatusCode is Bad_NoData") and literals.
 */
import { describe, expect, it } from 'vitest';
import { Bad, BadNoData, Good, HistorianPartial, HistorianRaw, codeOf } from '../status.js';
import type { Sample } from '../types.js';
import { computeProcessed } from './index.js';
import { makeIntervals } from './intervals.js';

const T0 = Date.UTC(2026, 0, 1);
const s = (sec: number, value: Sample['value'], status = Good): Sample => ({ t: T0 + sec * 1000, value, status });
type Name = Parameters<typeof computeProcessed>[4];
/** The one interval [T0 + from s, T0 + to s), with the data known to `eod` s when given. */
const over = (data: Sample[], from: number, to: number, aggregate: Name, eod?: number) =>
  computeProcessed(data, T0 + from * 1000, T0 + to * 1000, 0, aggregate, {}, eod === undefined ? undefined : T0 + eod * 1000)[0]!;

describe('interval generation (Table 12)', () => {
  it('refuses a start or an end that is not a time, naming both', () => {
    expect(() => computeProcessed([], NaN, T0, 0, 'Count')).toThrow(
      new RangeError(`processed read: start and end must be ms since epoch, got NaN and ${T0}`),
    );
    expect(() => computeProcessed([], T0, Infinity, 0, 'Count')).toThrow(
      new RangeError(`processed read: start and end must be ms since epoch, got ${T0} and Infinity`),
    );
  });

  it('a ProcessingInterval longer than the range is the Int = 0 row: one complete interval, not Partial', () => {
    const data = [s(0, 1), s(5, 2), s(10, 3)];
    for (const intervalMs of [0, 10_000, 25_000]) {
      const r = computeProcessed(data, T0, T0 + 10_000, intervalMs, 'Count', {}, T0 + 20_000);
      expect(r.length, String(intervalMs)).toBe(1);
      expect([r[0]!.value, r[0]!.status & HistorianPartial], String(intervalMs)).toEqual([2, 0]);
    }
  });

  it('answers up to 1 000 000 intervals and refuses one more', () => {
    expect(makeIntervals(0, 1_000_000, 1).length).toBe(1_000_000);
    expect(() => makeIntervals(0, 1_000_001, 1)).toThrow('1000001 intervals of 1 ms requested, more than 1000000');
  });
});

describe('intervals without data are Bad_NoData', () => {
  it('an interval before the first value, or ending where it stands, has no data', () => {
    expect(codeOf(over([s(20, 1)], 0, 10, 'Count', 30).status)).toBe(BadNoData);
    expect(codeOf(over([s(10, 1)], 0, 10, 'Count', 30).status)).toBe(BadNoData);
    // The same interval holding the value counts it: the data is not refused as such.
    expect(over([s(10, 1)], 0, 11, 'Count', 30).value).toBe(1);
  });

  it('an interval from a Bad_NoData entry on (acquisition stopped) has no data, though a value stands before it', () => {
    const data = [s(0, 1), s(5, NaN, BadNoData)];
    expect(codeOf(over(data, 5, 10, 'Count').status)).toBe(BadNoData);
    expect(codeOf(over(data, 5, 10, 'DurationGood').status)).toBe(BadNoData);
  });
});

describe('an interval inside the data with no value in it', () => {
  // 5 stands from -5 s over the whole interval [0 s, 10 s); 9 comes exactly at its end.
  const data = [s(-5, 5), s(10, 9)];

  it('Start and End: no value in the interval, Bad_NoData (Tables 36, 37)', () => {
    for (const name of ['Start', 'End'] as const) {
      const v = over(data, 0, 10, name, 30);
      expect([v.t, v.value, codeOf(v.status)], name).toEqual([T0, NaN, BadNoData]);
    }
  });

  it('StandardDeviation: no Good value, no deviation to give (Bad_NoData, not 0)', () => {
    const v = over(data, 0, 10, 'StandardDeviation', 30);
    expect([v.value, codeOf(v.status)]).toEqual([NaN, BadNoData]);
  });

  it('End passes over a Bad_NoData entry to the last value in the interval (as Start does in Annex A)', () => {
    const v = over([s(2, 5), s(6, NaN, BadNoData), s(12, 9)], 0, 10, 'End', 30);
    expect([v.t, v.value, codeOf(v.status), v.status & 0x3]).toEqual([T0 + 2000, 5, Good, HistorianRaw]);
  });

  it('TimeAverage with no start bound and only a Bad value before a Good one at the end: nothing to average', () => {
    // No non-Bad value at or before 0 s (no start bound) and none in [0 s, 10 s): the partial interval is empty.
    const v = over([s(2, NaN, Bad), s(10, 4)], 0, 10, 'TimeAverage', 30);
    expect([v.value, codeOf(v.status)]).toEqual([NaN, BadNoData]);
  });
});
