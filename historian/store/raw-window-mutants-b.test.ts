import { describe, expect, it } from 'vitest';
import { Flag } from '../types.js';
import { encodeBlock } from './codec.js';
import { type RawSpan, RawWindow, settleDecided, settleWith } from './raw-window.js';
import type { StoredPoint } from './volume.js';

/**
 * Survivors of StrykerJS in raw-window.ts lines 111-222 (span, cut, drop, settleWith, mergeSpan);
 * README "Mutation testing (raw-window.ts, lines 111-222)". Expectations are literals worked out
 * from the comments: cut() returns the samples of [first, last] and lets go of those up to last;
 * the merge holds the samples of [first, last] and the points, a point winning at an equal time
 * unless it is a record the historian added (Cyclic).
 */

const P = (t: number, value: number, flags = 0, status = 0): StoredPoint => ({ t, value, status, flags });
/** Samples at whole seconds a..b with value = the second (a ramp: regular times, equal deltas, cheap to encode). */
const ramp = (a: number, b: number): StoredPoint[] => Array.from({ length: b - a + 1 }, (_, k) => P((a + k) * 1000, a + k));
const spanOf = (points: readonly StoredPoint[]): RawSpan => ({
  t: Float64Array.from(points, (p) => p.t),
  value: Float64Array.from(points, (p) => p.value as number),
  status: Uint32Array.from(points, (p) => p.status),
});
/** A block's points: ends on the ramp, three cyclic records with digits the codec cannot shrink (at sample times: they give way). */
const blockPoints = (): StoredPoint[] => [
  P(0, 0), P(4000, Math.PI, Flag.Cyclic), P(9000, Math.E, Flag.Cyclic), P(14000, Math.SQRT2, Flag.Cyclic), P(19000, 19),
];

describe('RawWindow.cut', () => {
  const sample = (t: number) => ({ t, value: t * 10, status: t * 0x10000 });

  it('returns the samples of [first, last] with their values and statuses, then holds only later ones from last + 1', () => {
    // guards raw-window.ts:111 `this.t[j]! <= last` -> true (samples after last in the span),
    // :112 `this.status.slice(i, j)` -> `this.status` (every status column slot, from index 0),
    // :122 `x <= last` -> false / `x < last` (samples up to last not let go),
    // :123 `this.from <= last + 1` -> false / `this.from > last + 1` (from not moved on),
    // :123 `this.from = last - 1` (the window claims samples before last + 1)
    const w = new RawWindow(100);
    for (let t = 1; t <= 10; t++) w.keep(sample(t));
    const span = w.cut(3, 6)!;
    expect(Array.from(span.t)).toEqual([3, 4, 5, 6]);
    expect(Array.from(span.value)).toEqual([30, 40, 50, 60]);
    expect(Array.from(span.status)).toEqual([0x30000, 0x40000, 0x50000, 0x60000]);
    expect(w.size).toBe(4); // 7, 8, 9, 10
    expect([w.covers(6), w.covers(7)]).toEqual([false, true]);
    expect(Array.from(w.cut(7, 10)!.t)).toEqual([7, 8, 9, 10]);
  });

  it('returns null for a block starting before the window, and does not claim samples it never held', () => {
    // guards raw-window.ts:120 `this.from <= first` -> true (a span though samples before it are missing),
    // :123 `this.from <= last + 1` -> true / `this.from > last + 1` (from moved back to last + 1)
    const w = new RawWindow(100);
    for (let t = 20; t <= 25; t++) w.keep(sample(t));
    expect(w.cut(1, 5)).toBeNull();
    expect(w.size).toBe(6);
    expect([w.covers(10), w.covers(19), w.covers(20)]).toEqual([false, false, true]);
    // An empty window (from = Infinity) stays empty-handed too.
    const e = new RawWindow(100);
    expect(e.cut(1, 5)).toBeNull();
    expect(e.covers(1e15)).toBe(false);
  });

  it('a window of one sample cut at it: empty afterwards, holding from the next millisecond', () => {
    // guards raw-window.ts:123 `this.from <= last - 1` (from = last not moved on),
    // :129 `k < this.n` -> true / `k <= this.n` (drop reads past the samples: size goes negative)
    const w = new RawWindow(100);
    w.keep(sample(5));
    expect(Array.from(w.cut(5, 5)!.t)).toEqual([5]);
    expect(w.size).toBe(0);
    expect([w.covers(5), w.covers(6)]).toEqual([false, true]);
    w.keep(sample(6));
    expect(w.size).toBe(1);
    expect(Array.from(w.cut(6, 6)!.value)).toEqual([60]);
  });
});

describe('settleWith (a sealed block: its points, or its span\'s samples merged with them when that encodes shorter)', () => {
  it('keeps the points of a block without points (nothing to merge into)', () => {
    // guards raw-window.ts:191 `points.length === 0` -> false (the merge reads the first point of none: TypeError)
    const none: StoredPoint[] = [];
    expect(settleWith(none, spanOf(ramp(0, 19)))).toBe(none);
  });

  it('a late insert at a sample\'s time wins over it; the cyclic records give way to theirs', () => {
    // guards raw-window.ts:214 `p.flags & Flag.Cyclic` -> true (every point at a sample's time gives way)
    const points = blockPoints();
    points.splice(2, 0, P(7000, 7.5)); // the late insert corrects the sample at 7 s
    const expected = ramp(0, 19);
    expected[7] = P(7000, 7.5);
    expect(settleWith(points, spanOf(ramp(0, 19)))).toEqual(expected);
  });

  it('a cyclic record at the block\'s last time gives way to the sample there; one at its first time stays', () => {
    // The first one stands for samples in the block before (a hold record: they lie on a line to it,
    // and the raw sample at its time may be up to 2·dev off that line): kept, the sample there dropped.
    const points = [P(0, 0.5, Flag.Cyclic), ...blockPoints().slice(1, 4), P(19000, Math.LN10, Flag.Cyclic)];
    expect(settleWith(points, spanOf(ramp(0, 19)))).toEqual([P(0, 0.5, Flag.Cyclic), ...ramp(1, 19)]);
  });

  it('a point between two samples is kept and no sample is lost', () => {
    // guards raw-window.ts:213 `i < n && span.t[i] === p.t` -> true, `i < n || ...`, `span.t[i] === p.t` -> true
    // (the sample after the point taken as the one at its time: skipped)
    const points = blockPoints();
    points.splice(2, 0, P(7500, 7.5));
    expect(settleWith(points, spanOf(ramp(0, 19)))).toEqual([...ramp(0, 7), P(7500, 7.5), ...ramp(8, 19)]);
  });

  it('samples before the first point and after the last are not the block\'s', () => {
    // guards raw-window.ts:209 `i < n && span.t[i]! < first` -> false, `i >= n` (samples before first merged),
    // :209 `i++` -> `i--` (no sample merged at all: the points stay),
    // :222 `i < n || ...`, `span.t[i]! <= last` -> true / `> last` (samples after last merged)
    expect(settleWith(blockPoints(), spanOf(ramp(-3, 22)))).toEqual(ramp(0, 19));
  });

  it('a sample repeated at the last point\'s time: the point stands for one, the repeat stays (as mid-span)', () => {
    // The writer never passes repeated times (its samples strictly increase); the merge's rule holds
    // for them all the same: each point stands for one sample at its time.
    // guards raw-window.ts:222 `i < n && span.t[i]! <= last` -> false, `i >= n`, `span.t[i]! < last` (the repeat dropped),
    // :222 `i++` -> `i--` (samples pushed again, backwards)
    const span = spanOf([...ramp(0, 19), P(19000, 19.5)]);
    expect(settleWith(blockPoints(), span)).toEqual([...ramp(0, 19), P(19000, 19.5)]);
    // Mid-span, the same: the point at 7 s stands for the first sample there, the repeat follows it.
    const mid = spanOf([...ramp(0, 7), P(7000, 7.5), ...ramp(8, 19)]);
    const points = blockPoints();
    points.splice(2, 0, P(7000, 7.25));
    expect(settleWith(points, mid)).toEqual([...ramp(0, 6), P(7000, 7.25), P(7000, 7.5), ...ramp(8, 19)]);
  });

  it('a merge that adds no sample keeps the points, even where a cyclic record would give way', () => {
    // Every sample time has its point (one a late insert flagged Cyclic: the only way the writer
    // gets there, hold records come after suppressed samples): the points are what a lossless tag
    // would store, nothing is gained on it. Here the merge (the ramp) would encode shorter.
    // guards raw-window.ts:193 `merged.length > points.length` -> true / `>=`
    const points = ramp(0, 19);
    points[7] = P(7000, Math.PI, Flag.Cyclic);
    expect(encodeBlock(ramp(0, 19)).length).toBeLessThan(encodeBlock(points).length);
    expect(settleWith(points, spanOf(ramp(0, 19)))).toBe(points);
  });

  it('a merge that encodes to the same bytes keeps the points', () => {
    // guards raw-window.ts:193 `encodeBlock(merged).length < encodeBlock(points).length` -> `<=`
    const points = [P(0, 0), P(2000, 1)];
    const merged = [P(0, 0), P(1000, 0.5), P(2000, 1)];
    expect(encodeBlock(merged).length).toBe(encodeBlock(points).length);
    expect(settleWith(points, spanOf(merged))).toBe(points);
  });
});

describe('settleDecided (a block decide() sealed: the smaller by the bytes it weighed, no encoding)', () => {
  it('stores the samples merged with the points when decide() found them the smaller, else the points', () => {
    const points = blockPoints();
    expect(settleDecided(points, spanOf(ramp(0, 19)), { n: 20, bytes: 90, pointsBytes: 100 })).toEqual(ramp(0, 19));
    expect(settleDecided(points, spanOf(ramp(0, 19)), { n: 20, bytes: 100, pointsBytes: 100 })).toBe(points);
    expect(settleDecided(points, spanOf(ramp(0, 19)), { n: 20, bytes: 100, pointsBytes: 95 })).toBe(points);
  });

  it('gives what settleWith gives when the bytes are what encoding them says', () => {
    const points = blockPoints();
    const span = spanOf(ramp(0, 19));
    const bytes = encodeBlock(ramp(0, 19)).length, pointsBytes = encodeBlock(points).length;
    expect(settleDecided(points, span, { n: 20, bytes, pointsBytes })).toEqual(settleWith(points, span));
  });
});
