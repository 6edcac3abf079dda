/**
 * Cases for the mutants StrykerJS left alive in raw-window.ts lines 43-109 (README, "Mutation
 * testing (raw-window.ts, lines 43-109)"). They drive RawWindow through its public methods, as
 * tag-writer.ts does: keep() each raw sample, note() each archived point of the open block,
 * due()/decide() when the window is full, startAt() when a block opens, cut() when it is sealed.
 */
import { describe, expect, it } from 'vitest';
import { encodeBlock } from './codec.js';
import { RawWindow } from './raw-window.js';
import type { StoredPoint } from './volume.js';

/** 14 noisy samples, one a second (quarter steps: exact in float64). */
const V = [22.25, 2.25, 3, 24, 14.75, 15.5, 5.25, 2, 1, 20.25, 24.75, 10.25, 15.75, 20.75];
/** The sample (or the point archived from it) i, at second `first + i`. */
const at = (i: number, first = 0): StoredPoint => ({ t: (first + i) * 1000, value: V[i]!, status: 0, flags: 0 });

/** A window holding the 14 samples from second `first`, with the points `noted` (indexes into V) of a block starting at blockStart. */
function window(noted: number[], first = 0, blockStart = first * 1000): RawWindow {
  const w = new RawWindow(4096);
  V.forEach((_, i) => w.keep(at(i, first)));
  for (const i of noted) w.note(at(i, first), blockStart);
  return w;
}

const bytes = (points: StoredPoint[]): number => encodeBlock(points).length;
const samples = V.map((_, i) => at(i));

describe('keep (memory bound)', () => {
  // guards raw-window.ts:43 `this.n >= 2 * this.max` -> `false`, -> `this.n > 2 * this.max`
  it('holds at most 2 x max samples: the one after them starts the window over', () => {
    const w = new RawWindow(2);
    for (let i = 0; i < 4; i++) w.keep(at(i));
    expect(w.size).toBe(4);
    w.keep(at(4));
    expect(w.size).toBe(1);
    // The window now starts at the fifth sample: a block starting before it is not covered.
    expect([w.covers(3000), w.covers(4000)]).toEqual([false, true]);
  });
});

describe('covers', () => {
  // guards raw-window.ts:53 `this.from <= blockStart` -> `false`, -> `this.from < blockStart`
  it('covers a block starting at or after its first sample, not one before', () => {
    const w = new RawWindow(100);
    w.keep({ t: 10_000, value: 1, status: 0 });
    expect([w.covers(9_999), w.covers(10_000), w.covers(10_001)]).toEqual([false, true, true]);
  });
});

describe('note', () => {
  // guards raw-window.ts:57 `this.from <= blockStart` -> `true`
  it('ignores the points of a block that started before the window: decide() gives up, it does not seal', () => {
    // Samples from second 10; the block started at second 0, so the window does not hold its
    // start. Noted, these points (all but the last two samples') would make the samples win,
    // as they do in 'seals on the newest sample' below.
    const w = window([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 10, 0);
    expect(w.covers(0)).toBe(false);
    expect(w.decide()).toBe(false);
    expect(w.decided).toBeNull();
    expect(w.size).toBe(0);
  });
});

describe('due', () => {
  // guards raw-window.ts:64 `Math.min(blockPoints, this.max)` -> `Math.max(blockPoints, this.max)`
  it('is due at the lossless block size when under max, and at max when the block size is over it', () => {
    const w = new RawWindow(100);
    for (let i = 0; i < 10; i++) w.keep(at(i));
    expect([w.due(10), w.due(11)]).toEqual([true, false]);
    const small = new RawWindow(4);
    for (let i = 0; i < 4; i++) small.keep(at(i));
    expect([small.due(100), small.due(5)]).toEqual([true, true]);
    const three = new RawWindow(4);
    for (let i = 0; i < 3; i++) three.keep(at(i));
    expect(three.due(100)).toBe(false);
  });

  // guards raw-window.ts:64 `this.from !== Infinity` -> `true`
  it('is never due while it holds no sample, whatever the block size (the writer never asks with 0)', () => {
    const w = new RawWindow(4);
    expect(w.due(0)).toBe(false);
    // Given up (decide() with no point): empty again.
    w.keep(at(0));
    expect(w.decide()).toBe(false);
    expect(w.due(0)).toBe(false);
  });
});

describe('decide', () => {
  // guards raw-window.ts:79 `this.t[k]! > points[points.length - 1]!.t` -> `false`, -> `<=`
  it('seals on the newest sample: the block spans every sample up to it, not only up to its last point', () => {
    // Points at seconds 0-11, the samples run to 13: the block ends on 13 (the compressor's
    // restart() archives it), holding all 14 samples; its points (12 + the newest sample) take
    // more than 90% of the samples' bytes.
    const w = window([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const pointsBytes = bytes([...samples.slice(0, 12), samples[13]!]);
    expect(pointsBytes).toBeGreaterThan(0.9 * bytes(samples));
    expect(w.decide()).toBe(true);
    expect(w.decided).toEqual({ n: 14, bytes: bytes(samples), pointsBytes });
  });

  // guards raw-window.ts:79 `this.t[k]! > points[points.length - 1]!.t` -> `true`, -> `>=`
  it('does not add the newest sample again when the last point is at its time', () => {
    // Points at every second but 6, the last at 13 (the newest sample): 14 samples, not 15.
    const w = window([0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13]);
    expect(w.decide()).toBe(true);
    expect(w.decided).toEqual({ n: 14, bytes: bytes(samples), pointsBytes: bytes(samples.filter((_, i) => i !== 6)) });
  });

  // guards raw-window.ts:82 `merged.length > points.length` -> `true`, -> `>=`; the whole
  // condition -> `true`; `&&` -> `||`
  it('gives up when the points are every sample: the samples add nothing', () => {
    const w = window([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(w.decide()).toBe(false);
    expect(w.decided).toBeNull();
    expect(w.size).toBe(0);
    expect(w.covers(0)).toBe(false);
  });

  // guards raw-window.ts:82 `encodeBlock(points).length > CLOSE_CALL * bytes` -> `true`,
  // `CLOSE_CALL * bytes` -> `CLOSE_CALL / bytes`; raw-window.ts:88 `return false` -> `return true`
  it('gives up when the points are far the smaller (a compressor that keeps few points), and frees the samples', () => {
    // Points: the first sample and the newest (the block's end): 2 points against 14 samples.
    const w = window([0]);
    expect(bytes([samples[0]!, samples[13]!])).toBeLessThan(0.5 * bytes(samples));
    expect(w.decide()).toBe(false);
    expect(w.decided).toBeNull();
    expect(w.size).toBe(0);
  });

  // guards raw-window.ts:82 `encodeBlock(points).length > CLOSE_CALL * bytes` -> `>=`
  it('gives up when the points take exactly 90% of the samples\' bytes (not within CLOSE_CALL)', () => {
    // Points at seconds 0, 1, 4-8, 10, 11 and the newest sample (13): 36 bytes against the
    // samples' 40 (the fixture was searched for this exact ratio).
    const w = window([0, 1, 4, 5, 6, 7, 8, 10, 11]);
    expect(bytes([0, 1, 4, 5, 6, 7, 8, 10, 11, 13].map((i) => samples[i]!))).toBe(36);
    expect(bytes(samples)).toBe(40);
    expect(w.decide()).toBe(false);
    expect(w.decided).toBeNull();
  });

  // guards raw-window.ts:76 `this.from <= points[0]!.t` -> `true`
  it('gives up when the first point is before the window\'s first sample (the window lacks the block\'s start)', () => {
    // Out of the writer's contract (a point before its block's start): the window holds samples
    // from second 10; a point at second 5 noted for a block said to start at 10.
    const w = window([], 10);
    w.note({ t: 5000, value: 7, status: 0, flags: 0 }, 10_000);
    for (let i = 0; i < 12; i++) w.note(at(i, 10), 10_000);
    expect(w.decide()).toBe(false);
    expect(w.decided).toBeNull();
  });
});

describe('startAt', () => {
  // guards raw-window.ts:101 the body emptied; raw-window.ts:102 `x < t` -> `false`
  it('lets go of the samples before the new block', () => {
    const w = window([]);
    w.startAt(5000);
    expect(w.size).toBe(9);
    expect([...w.cut(5000, 13_000)!.t]).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13].map((s) => s * 1000));
  });

  // guards raw-window.ts:103 `this.from <= t` -> `false`, -> `this.from > t`
  it('covers the new block and no earlier one', () => {
    const w = window([]);
    w.startAt(5000);
    expect([w.covers(4000), w.covers(5000)]).toEqual([false, true]);
  });

  // guards raw-window.ts:103 `this.from <= t` -> `true`, -> `this.from > t`
  it('does not cover a block that started before the window\'s first sample', () => {
    const w = window([], 10);
    w.startAt(5000);
    expect([w.covers(5000), w.covers(10_000)]).toEqual([false, true]);
    expect(w.cut(5000, 23_000)).toBeNull();
  });

  // guards raw-window.ts:101 the body emptied (the points are dropped with the old block)
  it('forgets the points of the block before', () => {
    // Points of the block at second 0 noted, then a block opens at second 0 again (the writer
    // opens a new one): with no point of the new block noted, decide() has nothing to weigh.
    const w = window([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    w.startAt(0);
    expect(w.decide()).toBe(false);
  });
});

describe('span (through cut)', () => {
  // guards raw-window.ts:109 `i < this.n && this.t[i]! < first` -> `false`, `i < this.n` ->
  // `i >= this.n`, `this.t[i]! < first` -> `<=`, `i++` -> `i--`
  it('starts at the block\'s first sample: none before it, that one included', () => {
    const w = window([]);
    const span = w.cut(5000, 9000)!;
    expect([...span.t]).toEqual([5000, 6000, 7000, 8000, 9000]);
    expect([...span.value]).toEqual([15.5, 5.25, 2, 1, 20.25]);
  });
});

describe('decide on a stepped signal (a compressor that keeps few points)', () => {
  /** 40 samples a second: `a` before second s1, `b` from s1 to s2, `a` again from s2. */
  const stepped = (s1: number, s2: number, a: number, b: number): StoredPoint[] =>
    Array.from({ length: 40 }, (_, i) => ({ t: i * 1000, value: i < s1 || i >= s2 ? a : b, status: 0, flags: 0 }));
  const windowOf = (all: StoredPoint[], noted: number[]): RawWindow => {
    const w = new RawWindow(4096);
    for (const s of all) w.keep(s);
    for (const i of noted) w.note(all[i]!, 0);
    return w;
  };

  it('gives up on a close call when fewer than one sample in 4 is a point: both take a few dozen bytes, a seal only adds a block', () => {
    // 100 until second 10, then 250: points at 0, 9, 10 and the newest (39), 22 bytes against the samples' 23.
    const all = stepped(10, 40, 100, 250);
    const points = [0, 9, 10, 39];
    expect([bytes(points.map((i) => all[i]!)), bytes(all)]).toEqual([22, 23]);
    const w = windowOf(all, [0, 9, 10]);
    expect(w.decide()).toBe(false);
    expect(w.decided).toBeNull();
  });

  it('seals on the samples when they are the smaller, however few the points', () => {
    // 100, 175.5 from second 5, 100 from 21; 8 points of 40 samples: 29 bytes against 26.
    const all = stepped(5, 21, 100, 175.5);
    const points = [0, 4, 10, 11, 21, 23, 37, 39];
    expect([bytes(points.map((i) => all[i]!)), bytes(all)]).toEqual([29, 26]);
    const w = windowOf(all, points);
    expect(w.decide()).toBe(true);
    expect(w.decided).toEqual({ n: 40, bytes: 26, pointsBytes: 29 });
  });
});
