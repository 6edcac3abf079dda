/**
 * GrowingColumns, directly: the capacity it starts with and grows to (by doubling, or to what is
 * needed when that is more), the values kept across a growth, and appendWithin's lo..hi filter
 * (both ends inclusive, an empty range, slots of the block past its length). Expectations are
 * literals worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { GrowingColumns } from './growing-columns.js';
import type { SampleColumns } from '../types.js';

/** A decoded block holding times `ts` (value t * 10, status t), then `stale` slots past its length. */
function block(ts: number[], stale: number[] = []): SampleColumns {
  const all = [...ts, ...stale];
  return {
    t: Float64Array.from(all),
    value: Float64Array.from(all, (t) => t * 10),
    status: Uint32Array.from(all),
    flags: new Uint8Array(all.length),
    length: ts.length,
  };
}

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

/** The first `length` values as plain arrays. */
function contents(g: GrowingColumns): { t: number[]; value: number[]; status: number[] } {
  return {
    t: [...g.t.subarray(0, g.length)],
    value: [...g.value.subarray(0, g.length)],
    status: [...g.status.subarray(0, g.length)],
  };
}

describe('GrowingColumns', () => {
  it('starts with room for 1024 values, or lead + 1 when that is more, and length = lead', () => {
    for (const [lead, cap] of [[0, 1024], [3, 1024], [1023, 1024], [1024, 1025], [2000, 2001]] as const) {
      const g = new GrowingColumns(lead);
      expect([g.length, g.t.length, g.value.length, g.status.length]).toEqual([lead, cap, cap, cap]);
    }
  });

  it('reserve keeps the arrays while the values fit exactly, then doubles', () => {
    const g = new GrowingColumns(0);
    const t = g.t;
    g.reserve(1024);
    expect(g.t).toBe(t);
    expect(g.t.length).toBe(1024);
    g.reserve(1025);
    expect([g.t.length, g.value.length, g.status.length]).toEqual([2048, 2048, 2048]);
  });

  it('reserve grows to what is needed when that is more than double', () => {
    const g = new GrowingColumns(0);
    g.reserve(5000);
    expect([g.t.length, g.value.length, g.status.length]).toEqual([5000, 5000, 5000]);
    g.reserve(5001);
    expect(g.t.length).toBe(10000);
  });

  it('reserve counts the values already there and copies them into the new arrays', () => {
    const g = new GrowingColumns(2);
    g.put(0, 1, 10, 1);
    g.put(1, 2, 20, 2);
    g.reserve(1022); // 2 + 1022 = 1024: fits
    expect(g.t.length).toBe(1024);
    g.reserve(1023); // 1025: doubles
    expect(g.t.length).toBe(2048);
    expect(contents(g)).toEqual({ t: [1, 2], value: [10, 20], status: [1, 2] });
  });

  it('appendWithin keeps lo <= t <= hi (both ends included) after the lead slots', () => {
    const g = new GrowingColumns(1);
    g.put(0, -1, -10, 7);
    g.appendWithin(block([1, 2, 3, 4, 5]), 2, 4);
    expect(contents(g)).toEqual({ t: [-1, 2, 3, 4], value: [-10, 20, 30, 40], status: [7, 2, 3, 4] });
    g.appendWithin(block([6, 7]), 6, 7);
    expect(contents(g)).toEqual({ t: [-1, 2, 3, 4, 6, 7], value: [-10, 20, 30, 40, 60, 70], status: [7, 2, 3, 4, 6, 7] });
    g.appendWithin(block([8, 9, 10]), 9, 9);
    expect(contents(g).t).toEqual([-1, 2, 3, 4, 6, 7, 9]);
  });

  it('appendWithin adds nothing when no value is in range, all before, all after, or lo > hi', () => {
    const g = new GrowingColumns(0);
    g.appendWithin(block([1, 2, 3]), 10, 20);
    g.appendWithin(block([30, 40]), 10, 20);
    g.appendWithin(block([4]), 5, 3);
    g.appendWithin(block([]), 0, 100);
    expect(g.length).toBe(0);
  });

  it('appendWithin reads no further than the block length (slots past it are left from a larger block)', () => {
    const g = new GrowingColumns(0);
    g.appendWithin(block([1, 2, 3], [0, 15]), 10, 20);
    expect(g.length).toBe(0);
    g.appendWithin(block([1, 12, 13], [14]), 10, 20);
    expect(contents(g)).toEqual({ t: [12, 13], value: [120, 130], status: [12, 13] });
  });

  it('appendWithin grows past the first 1024 values by doubling, keeping what was there', () => {
    const g = new GrowingColumns(0);
    g.appendWithin(block(range(0, 1500)), -Infinity, Infinity);
    expect([g.length, g.t.length]).toEqual([1500, 2048]);
    g.appendWithin(block(range(1500, 1500)), -Infinity, Infinity);
    expect([g.length, g.t.length]).toEqual([3000, 4096]);
    expect(contents(g)).toEqual({ t: range(0, 3000), value: range(0, 3000).map((t) => t * 10), status: range(0, 3000) });
  });

  it('reset empties the columns to `lead` slots, keeping their memory', () => {
    const g = new GrowingColumns(0);
    g.appendWithin(block(range(0, 1500)), -Infinity, Infinity);
    const t = g.t;
    g.reset(2);
    expect([g.length, g.t.length]).toEqual([2, 2048]);
    expect(g.t).toBe(t);
    g.put(0, -2, -20, 1);
    g.put(1, -1, -10, 2);
    g.appendWithin(block([5]), 0, 10);
    expect(contents(g)).toEqual({ t: [-2, -1, 5], value: [-20, -10, 50], status: [1, 2, 5] });
  });
});
