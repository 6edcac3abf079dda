/**
 * Plot buckets are half-open, [start + i·width, start + (i+1)·width), and the range is
 * [start, end): samples exactly on start, on every bucket edge and on end, with blocks small
 * enough that some are answered from their summaries and others decoded across an edge.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { BadNoData, Good } from '../status.js';
import { DAY, T0, tagConfig, tempDir } from '../store/testing.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

function archive(blockSize: number, samples: Array<[number, number]>, kind: 'analog' | 'discrete' = 'analog'): Historian {
  const tmp = tempDir();
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, blockSize, sortWindowMs: 0, now: () => T0 + 400 * DAY });
  cleanups.push(tmp.remove, () => h.close());
  h.defineTag(tagConfig('P', {}, kind), T0 - DAY);
  h.insert('P', samples.map(([s, value]) => ({ t: T0 + s * 1000, value, status: Good })));
  h.flush();
  return h;
}

const plot = (h: Historian, startS: number, endS: number, buckets: number) =>
  h.readPlot({ tags: 'P', start: T0 + startS * 1000, end: T0 + endS * 1000, buckets })[0]!;

describe('plot bucket edges', () => {
  for (const blockSize of [1, 2, 3, 512]) {
    it(`samples at start, +1 s and +2 s over [start, start + 2 s) in 2 buckets count [1, 1] (blocks of ${blockSize})`, () => {
      const h = archive(blockSize, [[0, 10], [1, 11], [2, 12]]);
      const p = plot(h, 0, 2, 2);
      expect([...p.count]).toEqual([1, 1]);
      expect([...p.first]).toEqual([10, 11]);
      expect([...p.last]).toEqual([10, 11]); // the sample on end belongs to no bucket
      expect([...p.max]).toEqual([10, 11]);
    });

    it(`a sample on each edge opens its bucket; before start and on end are outside (blocks of ${blockSize})`, () => {
      const h = archive(blockSize, [[-1, -1], [0, 0], [0.5, 5], [1, 1], [1.5, 15], [2, 2], [2.5, 25], [3, 3], [4, 4], [5, 50]]);
      const p = plot(h, 0, 4, 4);
      expect([...p.count]).toEqual([2, 2, 2, 1]);
      expect([...p.firstT].map((t) => (t - T0) / 1000)).toEqual([0, 1, 2, 3]);
      expect([...p.lastT].map((t) => (t - T0) / 1000)).toEqual([0.5, 1.5, 2.5, 3]);
      expect([...p.min]).toEqual([0, 1, 2, 3]);
      expect([...p.max]).toEqual([5, 15, 25, 3]);
      expect([...p.t].map((t) => (t - T0) / 1000)).toEqual([0, 1, 2, 3]);
      expect([...p.status]).toEqual([Good, Good, Good, Good]);
    });
  }

  it('a range that ends exactly on a sample leaves it out; one ms later takes it in', () => {
    const h = archive(512, [[0, 1], [1, 2], [2, 3]]);
    expect(plot(h, 0, 2, 1).count[0]).toBe(2);
    const p = h.readPlot({ tags: 'P', start: T0, end: T0 + 2001, buckets: 1 })[0]!;
    expect(p.count[0]).toBe(3);
    expect(p.last[0]).toBe(3);
  });

  it('a range that starts one ms after a sample leaves it out; empty buckets are BadNoData', () => {
    const h = archive(512, [[0, 1], [4, 2]]);
    const p = h.readPlot({ tags: 'P', start: T0 + 1, end: T0 + 4001, buckets: 2 })[0]!;
    expect([...p.count]).toEqual([0, 1]);
    expect(p.status[0]).toBe(BadNoData);
  });

  it('an edge that is a whole ms while the width is not: 4,000 s in 28 buckets, a sample on +1,000 s opens bucket 7', () => {
    // 1,000,000 · 28 / 4,000,000 = 7 exactly; 1,000,000 / (4,000,000 / 28) in doubles is 6.999…
    for (const blockSize of [1, 512]) {
      const h = archive(blockSize, [[999, 1], [1000, 2], [2000, 3], [3000, 4]]);
      const p = plot(h, 0, 4000, 28);
      const at = (b: number) => [p.count[b], p.first[b]];
      expect(at(6)).toEqual([1, 1]);
      expect(at(7)).toEqual([1, 2]);
      expect(at(14)).toEqual([1, 3]);
      expect(at(21)).toEqual([1, 4]);
      expect((p.t[7]! - T0) / 1000).toBe(1000);
    }
  });

  it('discrete tags follow the same edges', () => {
    const h = archive(512, [[0, 1], [1, 0], [2, 1]], 'discrete');
    expect([...plot(h, 0, 2, 2).count]).toEqual([1, 1]);
  });
});
