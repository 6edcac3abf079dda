/**
 * Jittered clocks (block v5, timestamps coded as intervals against a base interval): a server's
 * source timestamps a second apart give or take a few ms, a logger that skips a second now and
 * then. Round trips are exact (fast-check), the encoder takes the form only where it is the
 * shorter, and a damaged section fails as corrupt.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Good } from '../status.js';
import type { ArchivedSample } from '../types.js';
import { decodeBlock, encodeBlock } from './block.js';
import { Symbols, codeLengths, writeCoded } from './huffman.js';
import { cutShortErrors, expectDamageFailsAsCorrupt, expectDecodesTo, jitterBlockHead, sealedWithZeroValues, toBits } from './testing.js';
import { propertyRuns } from '../testing/property-runs.js';

const T0 = Date.UTC(2026, 0, 1);
const points = (t: number[]): ArchivedSample[] => t.map((time, i) => ({ t: time, value: i % 5, status: Good, flags: 0 }));

/** A seeded generator (no Math.random: the same cases every run). */
function rng(seed: number): () => number {
  return () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

/** n times a period apart: off the grid by up to ±jitter ms each, or each interval off by it (a free-running clock). */
function clock(n: number, period: number, jitter: number, grid: boolean, seed: number): number[] {
  const random = rng(seed);
  const t: number[] = [];
  let free = T0;
  for (let i = 0; i < n; i++) {
    const off = Math.round((random() - 0.5) * 2 * jitter);
    free += i === 0 ? 0 : period + off;
    t.push(grid ? T0 + i * period + off + jitter : free);
  }
  return t;
}

describe('jittered clocks (block v5)', () => {
  it('round-trip exactly, whatever the clock (property)', () => {
    const shape = fc.record({
      n: fc.integer({ min: 1, max: 1500 }),
      period: fc.integer({ min: 1, max: 600_000 }),
      jitter: fc.integer({ min: 0, max: 500 }),
      grid: fc.boolean(),
      skips: fc.integer({ min: 0, max: 30 }),
      seed: fc.integer({ min: 1, max: 2 ** 30 }),
    });
    fc.assert(fc.property(shape, ({ n, period, jitter, grid, skips, seed }) => {
      const t = clock(n, period, Math.min(jitter, Math.floor(period / 2)), grid, seed);
      // a skipped period every so often (a logger's clock)
      for (let i = 1, extra = 0; i < n; i++) {
        if (skips > 0 && i % (skips + 3) === 0) extra += period;
        t[i]! += extra;
      }
      expectDecodesTo(points(t), encodeBlock(points(t)));
    }), { numRuns: propertyRuns(400) });
  });

  // A server's sampling loop: on its grid give or take a few ms. (A free-running clock, each
  // interval off by the jitter, is as cheap as v4's frame of reference of the intervals.)
  it('a 1 s clock on its grid with ±3 ms of jitter takes fewer bytes than in v4; a free-running one no more', () => {
    const grid = clock(1000, 1000, 3, true, 17), free = clock(1000, 1000, 3, false, 17);
    expect(encodeBlock(points(grid)).length).toBeLessThan(encodeBlock(points(grid), 4).length - 15);
    expect(encodeBlock(points(free)).length).toBeLessThanOrEqual(encodeBlock(points(free), 4).length + 1);
    expectDecodesTo(points(grid), encodeBlock(points(grid)));
  });

  /** The two timestamp form bits after the header and a count of 1000 (6 + 10 bits). */
  const formBits = (block: Uint8Array): string => toBits(block.subarray(3), 18).slice(16);

  // Guards the base interval: the median of the first three, in quanta. A skipped first interval,
  // a step of the period after the first, and a 10 ms quantum each leave the base at the clock's
  // period, so the form is taken and costs about what the plain clock does.
  it('takes the median of the first three intervals, in quanta, as the base', () => {
    const jittered = (intervals: number[], q: number): number[] => {
      const random = rng(3);
      const t = [T0];
      for (let i = 1; i < 1000; i++) t.push(t[i - 1]! + (intervals[i - 1] ?? intervals.at(-1)!) + q * Math.round((random() - 0.5) * 40));
      return t;
    };
    const plain = encodeBlock(points(jittered([1000], 1))).length;
    for (const [intervals, q] of [[[2000, 1000], 1], [[1000, 1000], 10], [[1000, 2000, 2000], 1]] as [number[], number][]) {
      const block = encodeBlock(points(jittered(intervals, q)));
      expect(formBits(block), `${intervals} q ${q}`).toBe('11');
      expect(block.length, `${intervals} q ${q}`).toBeLessThan(plain * 1.1);
      expectDecodesTo(points(jittered(intervals, q)), block);
    }
  });

  it('a regular clock costs what it did in v4 but for the form bit', () => {
    const t = Array.from({ length: 1000 }, (_, i) => T0 + i * 1000);
    expect(encodeBlock(points(t)).length).toBeLessThanOrEqual(encodeBlock(points(t), 4).length + 1);
  });

  /** A v5 block written by hand with jitter timestamps: first, quantum, base, deviations as given; values 0. */
  function handBlock(first: number, q: number, base: number, deviations: number[]): Uint8Array {
    const n = deviations.length + 1;
    const w = jitterBlockHead(5, n, first, q, base);
    const s = new Symbols().fill(deviations, 0, deviations.length);
    writeCoded(w, s, codeLengths(s.counts));
    return sealedWithZeroValues(w, n);
  }

  it('reads a block written by hand from the format: each interval the base plus its deviation, in quanta', () => {
    const c = decodeBlock(handBlock(T0, 10, 100, [0, 1, -2, 100]));
    expect(Array.from(c.t)).toEqual([T0, T0 + 1000, T0 + 2010, T0 + 2990, T0 + 4990]);
  });

  it('a quantum of 0, times past 2^53 and deviations cut short are corrupt, named', () => {
    expect(() => decodeBlock(handBlock(T0, 0, 100, [0, 1]))).toThrow('corrupt block: timestamps: time quantum 0');
    expect(() => decodeBlock(handBlock(2 ** 46, 2 ** 40, 2 ** 12, [0, 0]))).toThrow('corrupt block: timestamps: outside the integer range');
    const errors = cutShortErrors(handBlock(T0, 1, 1000, [0, 1, -1, 2, 0, 0, 3]));
    expect(errors.some((e) => e.includes('truncated while reading timestamps (jitter)'))).toBe(true);
  });

  it('an interval below zero is corrupt, named', () => {
    expect(() => decodeBlock(handBlock(T0, 1, 5, [0, -6]))).toThrow('corrupt block: timestamps: negative delta at sample 2');
  });

  it('damaged jitter sections (checksum made to match) fail with a corrupt-block error, never another error', () => {
    const t = clock(1000, 1000, 20, true, 5);
    const good = encodeBlock(points(t));
    // After the header (3 bytes) and the count (1000: 6 + 10 bits): '1' coded, '1' against a base.
    expect(toBits(good.subarray(3), 18).slice(16)).toBe('11');
    expectDamageFailsAsCorrupt(good);
  });
});
