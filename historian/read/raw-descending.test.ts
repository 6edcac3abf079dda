/**
 * Raw reads newest first (end < start, OPC UA Part 11 ReadRaw), across several day volumes and
 * many small blocks, for analog and discrete tags, with and without bounding values, by tag and
 * merged by time. Expectations are the written samples, listed by hand in reverse.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { DAY, T0, tagConfig, tempDir } from '../store/testing.js';
import { Flag } from '../types.js';

const H = 3_600_000;
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** A: value k at k·6 h (k = 0..11, three day volumes); B: -k at 3 h + k·6 h; D: k even at k·12 h. */
function archive(): Historian {
  const tmp = tempDir();
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, blockSize: 2, volumePeriod: 'day', now: () => T0 + 400 * DAY });
  cleanups.push(tmp.remove, () => h.close());
  for (const name of ['A', 'B']) h.defineTag(tagConfig(name), T0);
  h.defineTag(tagConfig('D', {}, 'discrete'), T0);
  h.insert('A', Array.from({ length: 12 }, (_, k) => ({ t: T0 + k * 6 * H, value: k, status: Good })));
  h.insert('B', Array.from({ length: 12 }, (_, k) => ({ t: T0 + 3 * H + k * 6 * H, value: -k, status: Good })));
  h.insert('D', Array.from({ length: 6 }, (_, k) => ({ t: T0 + k * 12 * H, value: k % 2 === 0, status: Good })));
  h.flush();
  return h;
}

const hours = (rows: { t: number }[]) => rows.map((r) => (r.t - T0) / H);

describe('raw reads, newest first', () => {
  it('an analog tag across three volumes and many blocks', () => {
    const h = archive();
    const rows = h.readRaw({ tags: 'A', start: T0 + 3 * DAY, end: T0 - 1 }).rows;
    expect(hours(rows)).toEqual([66, 60, 54, 48, 42, 36, 30, 24, 18, 12, 6, 0]);
    expect(rows.map((r) => r.value)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('both ends are inclusive, and the bounds are the values just outside, in request order', () => {
    const h = archive();
    const inside = h.readRaw({ tags: 'A', start: T0 + 48 * H, end: T0 + 12 * H }).rows;
    expect(hours(inside)).toEqual([48, 42, 36, 30, 24, 18, 12]);
    const bounded = h.readRaw({ tags: 'A', start: T0 + 50 * H, end: T0 + 10 * H, bounds: true }).rows;
    expect(hours(bounded)).toEqual([54, 48, 42, 36, 30, 24, 18, 12, 6]);
    expect(bounded.map((r) => (r.flags & Flag.Bounding) !== 0)).toEqual([true, false, false, false, false, false, false, false, true]);
  });

  it('start = end is not a descending read: the value there is both its bounds; between two values, the two around it, oldest first', () => {
    const h = archive();
    expect(hours(h.readRaw({ tags: 'A', start: T0 + 12 * H, end: T0 + 12 * H, bounds: true }).rows)).toEqual([12]);
    expect(hours(h.readRaw({ tags: 'A', start: T0 + 13 * H, end: T0 + 13 * H, bounds: true }).rows)).toEqual([12, 18]);
  });

  it('a discrete tag', () => {
    const h = archive();
    const rows = h.readRaw({ tags: 'D', start: T0 + 3 * DAY, end: T0 }).rows;
    expect(hours(rows)).toEqual([60, 48, 36, 24, 12, 0]);
    expect(rows.map((r) => r.value)).toEqual([false, true, false, true, false, true]);
  });

  it('many tags merged by time, newest first, pages included', () => {
    const h = archive();
    const q = { tags: ['A', 'B'], start: T0 + 27 * H, end: T0 + 6 * H, order: 'time' as const };
    const rows = h.readRaw(q).rows;
    expect(rows.map((r) => [r.tag, (r.t - T0) / H])).toEqual([
      ['B', 27], ['A', 24], ['B', 21], ['A', 18], ['B', 15], ['A', 12], ['B', 9], ['A', 6],
    ]);
    const first = h.readRaw({ ...q, pageSize: 3 });
    expect(hours(first.rows)).toEqual([27, 24, 21]);
    const second = h.readRaw({ ...q, pageSize: 3, continuation: first.continuation });
    expect(hours(second.rows)).toEqual([18, 15, 12]);
  });

  it('by tag: each tag newest first, in the order asked', () => {
    const h = archive();
    const rows = h.readRaw({ tags: ['B', 'A'], start: T0 + 20 * H, end: T0 + 5 * H }).rows;
    expect(rows.map((r) => [r.tag, (r.t - T0) / H])).toEqual([['B', 15], ['B', 9], ['A', 18], ['A', 12], ['A', 6]]);
  });
});
