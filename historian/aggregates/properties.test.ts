/**
 * Properties that must hold for any archive, checked on random ones
 * (fast-check): orderings, partitions and sums the aggregates promise.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bad, BadNoData, Good, Uncertain, codeOf, isBad, isGood } from '../status.js';
import type { HistValue, Sample } from '../types.js';
import { computeProcessed, type AggregateConfig } from './index.js';

const span = 60_000;

/** Ascending samples in [0, span) with integer times and bounded values. */
const archive = (statuses: number[]): fc.Arbitrary<Sample[]> =>
  fc
    .array(
      fc.record({
        t: fc.integer({ min: 0, max: span - 1 }),
        value: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        status: fc.constantFrom(...statuses),
      }),
      { maxLength: 60 },
    )
    .map((xs) => xs.sort((a, b) => a.t - b.t));

const goodArchive = archive([Good]);
const mixedArchive = archive([Good, Good, Good, Uncertain, Bad, BadNoData]);
const window = fc.record({
  start: fc.integer({ min: -10_000, max: span }),
  length: fc.integer({ min: 1, max: span }),
  // 0 (one interval) or at most a few hundred intervals: keeps each run fast.
  intervalMs: fc.oneof(fc.constant(0), fc.integer({ min: 200, max: 20_000 })),
});
const config = fc.record({
  treatUncertainAsBad: fc.boolean(),
  stepped: fc.boolean(),
  useSlopedExtrapolation: fc.boolean(),
});

const num = (v: HistValue): number => Number(v.value);
const hasValue = (v: HistValue): boolean => !isBad(v.status);
const run = (data: Sample[], w: { start: number; length: number; intervalMs: number }, name: Parameters<typeof computeProcessed>[4], cfg?: Partial<AggregateConfig>) =>
  computeProcessed(data, w.start, w.start + w.length, w.intervalMs, name, cfg, span);

describe('aggregate properties', () => {
  it('Minimum <= Average <= Maximum, Range = Maximum - Minimum, on Good data', () => {
    fc.assert(
      fc.property(goodArchive, window, (data, w) => {
        const [min, avg, max, range] = (['Minimum', 'Average', 'Maximum', 'Range'] as const).map((a) => run(data, w, a));
        avg.forEach((a, k) => {
          expect(hasValue(a)).toBe(hasValue(min[k]));
          if (!hasValue(a)) return;
          expect(num(min[k])).toBeLessThanOrEqual(num(a) + 1e-6);
          expect(num(a)).toBeLessThanOrEqual(num(max[k]) + 1e-6);
          expect(num(range[k])).toBeCloseTo(num(max[k]) - num(min[k]), 6);
        });
      }),
    );
  });

  it('TimeAverage of Good data stays within the values it is drawn through', () => {
    fc.assert(
      fc.property(goodArchive, window, (data, w) => {
        if (data.length === 0) return;
        const lo = Math.min(...data.map((s) => Number(s.value)));
        const hi = Math.max(...data.map((s) => Number(s.value)));
        for (const v of run(data, w, 'TimeAverage')) {
          if (!hasValue(v)) continue;
          expect(num(v)).toBeGreaterThanOrEqual(lo - 1e-6);
          expect(num(v)).toBeLessThanOrEqual(hi + 1e-6);
        }
      }),
    );
  });

  it('Count equals the number of Good raw values, however the range is cut', () => {
    fc.assert(
      fc.property(mixedArchive, window, config, (data, w, cfg) => {
        const end = w.start + w.length;
        const goodIn = data.filter((s) => isGood(s.status) && s.t >= w.start && s.t < end).length;
        // PercentDataBad 100 with Good checked first: a Count is Bad only when every value is Bad.
        const counts = run(data, w, 'Count', cfg).filter((v) => codeOf(v.status) !== BadNoData && v.status >>> 30 !== 2);
        expect(counts.reduce((sum, v) => sum + num(v), 0)).toBe(goodIn);
      }),
    );
  });

  it('DurationGood + DurationBad fill every known interval (TreatUncertainAsBad); percents sum to 100', () => {
    fc.assert(
      fc.property(mixedArchive, window, fc.boolean(), (data, w, stepped) => {
        const cfg = { treatUncertainAsBad: true, stepped };
        const good = run(data, w, 'DurationGood', cfg);
        const bad = run(data, w, 'DurationBad', cfg);
        const pGood = run(data, w, 'PercentGood', cfg);
        const pBad = run(data, w, 'PercentBad', cfg);
        const bounds = good.map((v, k) => [v.t, good[k + 1]?.t ?? w.start + w.length] as const);
        good.forEach((g, k) => {
          if (codeOf(g.status) === BadNoData) return;
          const [s, e] = bounds[k];
          const known = Math.min(e, span) - s;
          expect(num(g) + num(bad[k])).toBe(known);
          expect(num(pGood[k]) + num(pBad[k])).toBeCloseTo((100 * known) / (e - s), 9);
        });
      }),
    );
  });

  it('Delta = End - Start and MinimumActualTime holds the Minimum, on Good data', () => {
    fc.assert(
      fc.property(goodArchive, window, (data, w) => {
        const [delta, first, last, min, minAt] = (['Delta', 'Start', 'End', 'Minimum', 'MinimumActualTime'] as const).map((a) => run(data, w, a));
        delta.forEach((d, k) => {
          if (!hasValue(d)) return;
          expect(num(d)).toBeCloseTo(num(last[k]) - num(first[k]), 6);
          expect(minAt[k].value).toBe(min[k].value);
          expect(minAt[k].t).toBeGreaterThanOrEqual(min[k].t);
        });
      }),
    );
  });

  it('Interpolative returns a Good raw value unchanged at its own time', () => {
    fc.assert(
      fc.property(goodArchive, config, (data, cfg) => {
        const unique = data.filter((s, i) => i === 0 || s.t !== data[i - 1].t);
        for (const s of unique.slice(0, 10)) {
          const [v] = computeProcessed(unique, s.t, s.t + 1, 0, 'Interpolative', cfg, span);
          expect(v.value).toBe(s.value);
          expect(v.flags).toBe(0);
        }
      }),
    );
  });

  it('StandardDeviation is never negative; intervals tile the range in order', () => {
    fc.assert(
      fc.property(mixedArchive, window, config, (data, w, cfg) => {
        const sd = run(data, w, 'StandardDeviation', cfg);
        const step = w.intervalMs === 0 || w.intervalMs >= w.length ? w.length : w.intervalMs;
        expect(sd.length).toBe(Math.ceil(w.length / step));
        sd.forEach((v, k) => {
          expect(v.t).toBe(w.start + k * step);
          if (hasValue(v)) expect(num(v)).toBeGreaterThanOrEqual(0);
        });
      }),
    );
  });
});
