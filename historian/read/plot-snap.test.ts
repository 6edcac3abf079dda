/**
 * Plot buckets as pixel columns (snapMs): a block of good values crossing a
 * bucket edge by at most snapMs counts whole on its larger side instead of
 * being decoded. Checked against the raw samples the test wrote: buckets still
 * partition the samples in time order, each bucket's figures are those of the
 * samples between its first and last time, no value moves more than snapMs
 * from its bucket, nothing outside the range is counted, and a block with a
 * value that is not good is never moved.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Good, UncertainDataSubNormal } from '../status.js';
import { DAY, T0, tagConfig, tempDir } from '../store/testing.js';
import type { PlotSeries } from './types.js';
import { propertyRuns } from '../testing/property-runs.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

interface Written { t: number; value: number; status: number }

function archive(samples: Written[]): Historian {
  const tmp = tempDir();
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, blockSize: 64, sortWindowMs: 0, now: () => T0 + 400 * DAY });
  cleanups.push(tmp.remove, () => h.close());
  h.defineTag(tagConfig('P'), T0 - DAY);
  h.insert('P', samples);
  h.flush();
  return h;
}

/** n samples 1 s apart from T0, integer values from a seeded walk. */
function series(n: number, seed: number, status: (i: number) => number = () => Good): Written[] {
  let x = seed;
  return Array.from({ length: n }, (_, i) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return { t: T0 + i * 1000, value: (x >>> 16) % 1000, status: status(i) };
  });
}

const plot = (h: Historian, start: number, end: number, buckets: number, snapMs = 0): PlotSeries =>
  h.readPlot({ tags: 'P', start, end, buckets, snapMs })[0]!;

function checkAgainstSamples(p: PlotSeries, samples: Written[], snapMs: number): void {
  const inRange = samples.filter((s) => s.t >= p.start && s.t < p.end);
  let lastT = -Infinity;
  let counted = 0;
  for (let b = 0; b < p.count.length; b++) {
    if (p.count[b] === 0) continue;
    const firstT = p.firstT[b]!, bLastT = p.lastT[b]!;
    const own = inRange.filter((s) => s.t >= firstT && s.t <= bLastT);
    expect(firstT).toBeGreaterThan(lastT); // buckets in time order, none sharing a sample
    expect(p.count[b]).toBe(own.length);
    expect(p.first[b]).toBe(own[0]!.value);
    expect(p.last[b]).toBe(own.at(-1)!.value);
    expect(p.min[b]).toBe(Math.min(...own.map((s) => s.value)));
    expect(p.max[b]).toBe(Math.max(...own.map((s) => s.value)));
    // The edges in exact arithmetic (start + b·width rounds: b·(end - start) / n does not when whole).
    const n = p.count.length;
    const from = p.start + (b * (p.end - p.start)) / n, to = p.start + ((b + 1) * (p.end - p.start)) / n;
    expect(firstT).toBeGreaterThanOrEqual(Math.max(p.start, from - snapMs));
    expect(bLastT).toBeLessThan(Math.min(p.end, to + snapMs));
    lastT = bLastT;
    counted += own.length;
  }
  expect(counted).toBe(inRange.length);
}

describe('plot buckets snapped to blocks', () => {
  it('partition the samples, each bucket exact over its own values, none moved more than snapMs (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1 << 30 }), fc.integer({ min: 8, max: 40 }), fc.integer({ min: 0, max: 90_000 }), fc.integer({ min: 0, max: 100 }), (seed, buckets, startOffset, percent) => {
        const samples = series(4000, seed);
        const h = archive(samples);
        const start = T0 + startOffset, end = T0 + 4_000_000 - startOffset;
        const snapMs = ((end - start) / buckets / 2) * (percent / 100);
        checkAgainstSamples(plot(h, start, end, buckets, snapMs), samples, snapMs);
        checkAgainstSamples(plot(h, start, end, buckets), samples, 0);
      }),
      { numRuns: propertyRuns(16) },
    );
  });

  it('moves blocks only when asked: with snapMs some bucket differs from the exact one', () => {
    const samples = series(4000, 7);
    const h = archive(samples);
    const exact = plot(h, T0, T0 + 4_000_000, 37);
    const snapped = plot(h, T0, T0 + 4_000_000, 37, 4_000_000 / 37 / 2);
    // The exact buckets, from the samples alone.
    const width = 4_000_000 / 37;
    const expected = Array.from({ length: 37 }, (_, b) => samples.filter((s) => Math.floor((s.t - T0) / width) === b).length);
    expect([...exact.count]).toEqual(expected);
    expect([...snapped.count]).not.toEqual(expected);
  });

  it('never moves a block holding a value that is not good', () => {
    const samples = series(4000, 11, (i) => (i % 50 === 17 ? UncertainDataSubNormal : Good));
    const h = archive(samples);
    const exact = plot(h, T0, T0 + 4_000_000, 29);
    const snapped = plot(h, T0, T0 + 4_000_000, 29, 4_000_000 / 29 / 2);
    expect([...snapped.count]).toEqual([...exact.count]);
    expect([...snapped.min]).toEqual([...exact.min]);
    expect([...snapped.status]).toEqual([...exact.status]);
  });

  it('refuses a tolerance beyond half a bucket, or negative', () => {
    const h = archive(series(10, 1));
    expect(() => plot(h, T0, T0 + 10_000, 2, 2501)).toThrow(/snapMs: expected 0 to half a bucket \(2500 ms\), got 2501/);
    expect(() => plot(h, T0, T0 + 10_000, 2, -1)).toThrow(/snapMs/);
  });
});
