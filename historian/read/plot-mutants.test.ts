/**
 * Plot cases written for the mutants StrykerJS left alive in plot.ts (README, "Mutation testing
 * (plot.ts)"): refused queries, the moves snapMs allows and those it does not, status and flags
 * per bucket, discrete and text tags, volume boundaries, ranges beyond exact integer arithmetic
 * and more edge blocks than one decode batch. Times are ms after T0; every expectation is worked
 * out by hand from the samples written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Bad, BadNoData, Good, Uncertain, UncertainDataSubNormal } from '../status.js';
import { DAY, T0, tagConfig, tempDir } from '../store/testing.js';
import { Flag, type TagKind } from '../types.js';
import type { PlotSeries } from './types.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

type Sample = [ms: number, value: number | boolean | string, status?: number];

function archive(blockSize: number, samples: Sample[], kind: TagKind = 'analog'): Historian {
  const tmp = tempDir();
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, blockSize, sortWindowMs: 0, now: () => T0 + 400 * DAY });
  cleanups.push(tmp.remove, () => h.close());
  h.defineTag(tagConfig('P', {}, kind), T0 - 5000 * DAY);
  h.insert('P', samples.map(([ms, value, status]) => ({ t: T0 + ms, value, status: status ?? Good })));
  h.flush();
  return h;
}

/** A plot over [T0 + fromMs, T0 + toMs). */
const plot = (h: Historian, fromMs: number, toMs: number, buckets: number, snapMs = 0): PlotSeries =>
  h.readPlot({ tags: 'P', start: T0 + fromMs, end: T0 + toMs, buckets, snapMs })[0]!;

describe('plot queries refused', () => {
  const h = () => archive(64, [[0, 1]]);

  it('a bucket count that is not a whole number >= 1', () => {
    const a = h();
    expect(() => plot(a, 0, 1000, 0)).toThrow('plot read: buckets: expected an integer >= 1, got 0');
    expect(() => plot(a, 0, 1000, -2)).toThrow('plot read: buckets: expected an integer >= 1, got -2');
    expect(() => plot(a, 0, 1000, 1.5)).toThrow('plot read: buckets: expected an integer >= 1, got 1.5');
  });

  it('an empty or reversed range', () => {
    const a = h();
    expect(() => plot(a, 1000, 1000, 1)).toThrow(`plot read: expected start < end, got ${T0 + 1000} .. ${T0 + 1000}`);
    expect(() => plot(a, 1000, 0, 1)).toThrow(`plot read: expected start < end, got ${T0 + 1000} .. ${T0}`);
  });
});

describe('snapMs: a good block crossing one edge counts whole on its larger side', () => {
  // 10 buckets of 10 ms over [0, 100): the edge between buckets 0 and 1 is at 10 ms. Each block
  // is exactly the samples listed (blockSize = their number); a sample's value is its time.
  const blockAcross = (ms: number[], snapMs: number) =>
    plot(archive(ms.length, ms.map((t) => [t, t])), 0, 100, 10, snapMs);
  const firstTwo = (p: PlotSeries) => [[p.count[0], p.count[1]], [p.first[0], p.first[1]], [p.max[0], p.max[1]]];

  it('2 ms before and 3 ms after the edge, snap 3: all in bucket 1', () => {
    expect(firstTwo(blockAcross([8, 9, 10, 11, 12], 3))).toEqual([[0, 5], [NaN, 8], [NaN, 12]]);
  });

  it('1 ms before and 3 ms after, snap 1 (the tolerance is inclusive): all in bucket 1', () => {
    expect(firstTwo(blockAcross([9, 10, 11, 12], 1))).toEqual([[0, 4], [NaN, 9], [NaN, 12]]);
  });

  it('3 ms before and 1 ms after, snap 1: all in bucket 0', () => {
    expect(firstTwo(blockAcross([7, 8, 9, 10], 1))).toEqual([[4, 0], [7, NaN], [10, NaN]]);
  });

  it('2 ms on each side, snap 2: a tie stays in the earlier bucket', () => {
    expect(firstTwo(blockAcross([8, 9, 10, 11], 2))).toEqual([[4, 0], [8, NaN], [11, NaN]]);
  });

  it('2 ms before and 2 ms after, snap 1: both sides beyond the tolerance, decoded', () => {
    expect(firstTwo(blockAcross([8, 9, 10, 11], 1))).toEqual([[2, 2], [8, 10], [9, 11]]);
  });

  it('a block across two edges is decoded whatever the tolerance', () => {
    const p = blockAcross([9, 15, 21], 5);
    expect([...p.count].slice(0, 3)).toEqual([1, 1, 1]);
    expect([...p.first].slice(0, 3)).toEqual([9, 15, 21]);
  });

  it('the edge is the first whole ms of the next bucket: 100,001 ms in 10,000 buckets opens bucket 1 at +11 ms', () => {
    // Bucket 0 is [0, 10.0001): ms 9 and 10 lie in it, 11 in bucket 1 (start + width rounds to +10 ms).
    const h = archive(3, [[9, 9], [10, 10], [11, 11]]);
    const exact = plot(h, 0, 100_001, 10_000);
    expect([exact.count[0], exact.count[1]]).toEqual([2, 1]);
    const snapped = plot(h, 0, 100_001, 10_000, 2); // 2 ms before the edge, 1 ms after
    expect([snapped.count[0], snapped.count[1], snapped.last[0]]).toEqual([3, 0, 11]);
  });
});

describe('status and flags per bucket', () => {
  it('an empty bucket is BadNoData with the NoData flag; a bucket with data has no flag', () => {
    const p = plot(archive(64, [[0, 1], [2500, 3]]), 0, 3000, 3);
    expect([...p.status]).toEqual([Good, BadNoData, Good]);
    expect([...p.flags]).toEqual([0, Flag.NoData, 0]);
  });

  it('a block of only Bad values answered from its summary: Bad, no min or max', () => {
    const h = archive(2, [[100, 5, Bad], [200, 6, Bad], [1100, 7], [1200, 8]]);
    const p = plot(h, 0, 2000, 2);
    expect([...p.count]).toEqual([2, 2]);
    expect([...p.status]).toEqual([Bad, Good]);
    expect([...p.min]).toEqual([NaN, 7]);
    expect([...p.first]).toEqual([NaN, 7]);
  });

  it('a decoded block across an edge: its Bad sample is counted but not drawn', () => {
    // One block 8..11 ms over the edge at 10 ms (snap 0: decoded); the Bad sample at 9 ms has
    // the value 100, which must not become bucket 0's max.
    const h = archive(4, [[8, 1], [9, 100, Bad], [10, 2], [11, 3]]);
    const p = plot(h, 0, 100, 10);
    expect([p.count[0], p.count[1]]).toEqual([2, 2]);
    expect([p.max[0], p.max[1]]).toEqual([1, 3]);
    expect([p.last[0], p.last[1]]).toEqual([1, 3]);
    expect([p.status[0], p.status[1]]).toEqual([UncertainDataSubNormal, Good]);
  });

  it('discrete: booleans count as 0/1 and states as themselves; a Bad value is not drawn, an Uncertain one is (marked)', () => {
    const h = archive(64, [[0, true], [500, false, Bad], [1000, false], [2000, 2], [3000, true, Uncertain]], 'discrete');
    const p = plot(h, 0, 4000, 4);
    expect([...p.count]).toEqual([2, 1, 1, 1]);
    expect([...p.min]).toEqual([1, 0, 2, 1]);
    expect([...p.max]).toEqual([1, 0, 2, 1]);
    expect([...p.status]).toEqual([UncertainDataSubNormal, Good, Good, Uncertain]);
  });

  it('text: a Good text value is counted but has no number to draw', () => {
    const p = plot(archive(64, [[0, 'open'], [1000, 'shut']], 'text'), 0, 2000, 2);
    expect([...p.count]).toEqual([1, 1]);
    expect([...p.status]).toEqual([Bad, Bad]);
    expect([...p.max]).toEqual([NaN, NaN]);
  });
});

describe('reads across volumes and batches', () => {
  it('discrete samples either side of a day volume boundary are counted once', () => {
    // Volumes are days: T0 is midnight, so -1000 lies in the day before.
    const h = archive(64, [[-1000, 1], [0, 0], [1, 1]], 'discrete');
    const p = plot(h, -2000, 2000, 2);
    expect([...p.count]).toEqual([1, 2]);
    expect([...p.first]).toEqual([1, 0]);
  });

  it('more than 256 blocks across edges (one decode batch) count each sample once', () => {
    // Blocks of 2 at ms (0, 1), (2, 3) …; buckets of 2 ms from +1: every block straddles an edge.
    const h = archive(2, Array.from({ length: 601 }, (_, i): Sample => [i, i]));
    const p = plot(h, 1, 601, 300);
    expect(p.count.every((c) => c === 2)).toBe(true);
    expect([p.first[0], p.last[0], p.first[299], p.last[299]]).toEqual([1, 2, 599, 600]);
  });

  it('near the epoch, where start + 7·width rounds above the edge: 4,000 s in 28 buckets still opens bucket 7 at +1,000 s', () => {
    // 7 · (4,000,000 / 28) is 1,000,000.0000000001 in doubles: its ceiling is one ms late.
    const tmp = tempDir();
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, blockSize: 2, sortWindowMs: 0, now: () => 10 * DAY });
    cleanups.push(tmp.remove, () => h.close());
    h.defineTag(tagConfig('P'), 0);
    h.insert('P', [{ t: 999_999, value: 6, status: Good }, { t: 1_000_000, value: 7, status: Good }]);
    h.flush();
    const p = h.readPlot({ tags: 'P', start: 0, end: 4_000_000, buckets: 28 })[0]!;
    expect([p.count[6], p.first[6], p.count[7], p.first[7]]).toEqual([1, 6, 1, 7]);
  });

  it('a range of 130 years in 4,096 columns (beyond exact integer arithmetic) puts each sample in its column', () => {
    // 4,096 buckets of 1e9 ms from 3,000.5 buckets before T0: T0 is halfway into bucket 3,000.
    const h = archive(64, [[0, 1], [1e9, 2], [2e9 - 1, 3]]);
    const p = plot(h, -3000.5e9, 1095.5e9, 4096);
    expect([p.count[2999], p.count[3000], p.count[3001], p.count[3002]]).toEqual([0, 1, 1, 1]);
    expect([p.first[3000], p.first[3001], p.first[3002]]).toEqual([1, 2, 3]);
    expect(p.t[3000]! - T0).toBe(-0.5e9);
  });
});
