/**
 * The edges of computeProcessed: interval generation (descending, single,
 * short last), end of data, Boolean and text data, and input validation.
 */
import { describe, expect, it } from 'vitest';
import { BadNoData, Good, HistorianPartial, UncertainDataSubNormal, codeOf, isGood } from '../status.js';
import { Flag, type Sample } from '../types.js';
import { annexEnd, annexStart, at, historian2, historian4 } from './fixtures/historians.js';
import { aggregateNames, computeProcessed } from './index.js';

const good = (t: number, value: number): Sample => ({ t, value, status: Good });

describe('intervals', () => {
  it('returns descending requests newest first, each interval equal to its forward computation', () => {
    const h = historian2;
    const back = computeProcessed(h.data, annexEnd, annexStart, 16000, 'Count', h.config);
    // Table 12: steps back from the start (12:01:40); the short rest [12:00:00, 12:00:04) is last.
    expect(back.map((v) => v.t)).toEqual(
      ['12:01:24', '12:01:08', '12:00:52', '12:00:36', '12:00:20', '12:00:04', '12:00:00'].map((x) => at(x)),
    );
    const bounds = [...back.map((v) => v.t), annexEnd].sort((a, b) => a - b);
    back.forEach((v) => {
      const hi = bounds[bounds.indexOf(v.t) + 1];
      const [fwd] = computeProcessed(h.data, v.t, hi, 0, 'Count', h.config);
      expect({ value: v.value, status: codeOf(v.status) }).toEqual({ value: fwd.value, status: codeOf(fwd.status) });
    });
    expect(back[6].status & HistorianPartial, 'the 4 s rest is incomplete').toBe(HistorianPartial);
  });

  it('makes one interval when intervalMs is 0 or covers the range', () => {
    const h = historian2;
    for (const ms of [0, 100_000, 500_000]) {
      const r = computeProcessed(h.data, annexStart, annexEnd, ms, 'Count', h.config);
      expect(r.length).toBe(1);
      expect(r[0].value).toBe(10); // the ten Good values
    }
  });

  it('marks a short last interval Partial even when data covers it', () => {
    const data = [good(0, 1), good(10_000, 2)];
    const r = computeProcessed(data, 0, 7000, 5000, 'Average', {}, 20_000);
    expect(r.map((v) => v.t)).toEqual([0, 5000]);
    const c = computeProcessed(data, 0, 7000, 5000, 'Count', {}, 20_000);
    expect(c[0].status & HistorianPartial).toBe(0);
    expect(c[1].status & HistorianPartial).toBe(HistorianPartial);
  });

  it('rejects start = end, negative and non-finite intervals, and too many intervals', () => {
    expect(() => computeProcessed([], 5, 5, 1, 'Count')).toThrow(/start equals end/);
    expect(() => computeProcessed([], 0, 10, -1, 'Count')).toThrow(/intervalMs must be >= 0/);
    expect(() => computeProcessed([], 0, 10, NaN, 'Count')).toThrow(/intervalMs/);
    expect(() => computeProcessed([], 0, 1e9, 1, 'Count')).toThrow(/more than 1000000/);
  });
});

describe('data and configuration', () => {
  it('gives Bad_NoData everywhere for an empty archive', () => {
    for (const name of aggregateNames) {
      const r = computeProcessed([], 0, 10_000, 5000, name);
      expect(r.every((v) => v.status === BadNoData && v.flags === Flag.NoData), name).toBe(true);
    }
  });

  it('treats time after endOfData as not yet known', () => {
    const data = [good(0, 10), good(5000, 20)];
    // Data known to 12 s: [5 s, 10 s) complete, [10 s, 15 s) partial, [15 s, 20 s) nothing.
    const r = computeProcessed(data, 0, 20_000, 5000, 'DurationGood', {}, 12_000);
    expect(r.map((v) => v.value)).toEqual([5000, 5000, 2000, NaN]);
    expect(r.map((v) => (v.status & HistorianPartial) !== 0)).toEqual([false, false, true, false]);
    expect(codeOf(r[3].status)).toBe(BadNoData);
    expect(() => computeProcessed(data, 0, 20_000, 5000, 'Count', {}, 4000)).toThrow(/endOfData .* before the last sample/);
  });

  it('interpolates Boolean data with steps and keeps Booleans Boolean', () => {
    const h = historian4;
    const r = computeProcessed(h.data, annexStart, annexEnd, 5000, 'Interpolative', h.config);
    expect(r[1].value).toBe(true); // 12:00:05 holds 12:00:02's TRUE
    expect(r[5].value).toBe(false); // 12:00:25 is raw FALSE
    const max = computeProcessed(h.data, annexStart, annexEnd, 16000, 'Maximum', h.config);
    expect(max[0].value).toBe(true);
  });

  it('refuses numeric aggregates on text, and counts text', () => {
    const text: Sample[] = [{ t: 0, value: 'open', status: Good }, { t: 1000, value: 'shut', status: Good }];
    for (const name of ['Average', 'TimeAverage', 'Minimum', 'Range', 'Delta', 'StandardDeviation'] as const) {
      expect(() => computeProcessed(text, 0, 2000, 0, name), name).toThrow(/needs numeric or Boolean data/);
    }
    expect(computeProcessed(text, 0, 2000, 0, 'Count', {}, 2000)[0].value).toBe(2);
    expect(computeProcessed(text, 0, 2000, 0, 'End', {}, 2000)[0].value).toBe('shut');
    expect(computeProcessed(text, 0, 2000, 1000, 'Interpolative', {}, 2000).map((v) => v.value)).toEqual(['open', 'shut']);
  });

  it('rejects unsorted data, bad times and inconsistent percentages, naming the field', () => {
    expect(() => computeProcessed([good(10, 1), good(5, 2)], 0, 20, 0, 'Count')).toThrow(/data\[1\]\.t: expected ascending/);
    expect(() => computeProcessed([good(NaN, 1)], 0, 20, 0, 'Count')).toThrow(/data\[0\]\.t/);
    expect(() => computeProcessed([], 0, 20, 0, 'Count', { percentDataBad: 120 })).toThrow(/percentDataBad/);
    expect(() => computeProcessed([], 0, 20, 0, 'Count', { percentDataGood: 40, percentDataBad: 50 })).toThrow(/percentDataGood/);
    expect(() => computeProcessed([], 0, 20, 0, 'Median' as never)).toThrow(/unknown aggregate 'Median'/);
  });

  it('extrapolates after the last value, stepped or sloped, always Uncertain', () => {
    const data = [good(0, 0), good(1000, 10)];
    const stepped = computeProcessed(data, 0, 4000, 1000, 'Interpolative');
    expect(stepped.map((v) => v.value)).toEqual([0, 10, 10, 10]);
    const sloped = computeProcessed(data, 0, 4000, 1000, 'Interpolative', { useSlopedExtrapolation: true });
    expect(sloped.map((v) => v.value)).toEqual([0, 10, 20, 30]);
    expect(sloped.slice(2).every((v) => codeOf(v.status) === UncertainDataSubNormal && v.flags === Flag.Interpolated)).toBe(true);
    expect(isGood(sloped[1].status) && sloped[1].flags === 0).toBe(true);
  });

  it('reports an Uncertain value beyond the Good extreme (TreatUncertainAsBad false)', () => {
    // A level of 98 % flagged Uncertain must not hide behind a Good maximum of 80 %.
    const data: Sample[] = [good(0, 80), { t: 1000, value: 98, status: 0x40000000 }, good(2000, 70)];
    const [max] = computeProcessed(data, 0, 3000, 0, 'Maximum', { treatUncertainAsBad: false }, 3000);
    expect(max.value).toBe(80);
    expect(codeOf(max.status)).toBe(UncertainDataSubNormal);
  });

  it('keeps precision on large offsets (StandardDeviation)', () => {
    const data = [1e9 + 0.1, 1e9 + 0.2, 1e9 + 0.3].map((v, i) => good(i * 1000, v));
    const [sd] = computeProcessed(data, 0, 3000, 0, 'StandardDeviation', {}, 3000);
    expect(Number(sd.value)).toBeCloseTo(0.1, 6);
  });
});
