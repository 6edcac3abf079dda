/**
 * Block v7: a clock that keeps its period but for a skipped sample now and then (SKAB's pump
 * bench logger) as its few deviations (sparse jitter), and code tables that skip runs of unused
 * symbols. The expectations come from outside the codec: the entropy of where the skips fall
 * (Shannon), the format's words for the blocks written by hand, the v6 encoder for "never longer".
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Good } from '../status.js';
import type { ArchivedSample } from '../types.js';
import { BitWriter, unzigzag, zigzag } from './bits.js';
import { decodeBlock, encodeBlock } from './block.js';
import { Symbols, codeLengths, writeCoded } from './huffman.js';
import { writeRunsV3 } from './runs.js';
import { cutShortErrors, expectDamageFailsAsCorrupt, expectDecodesTo, jitterBlockHead, sealed, sealedWithZeroValues, toBits, uint, zz } from './testing.js';
import { propertyRuns } from '../testing/property-runs.js';

const T0 = Date.UTC(2026, 0, 1);
const points = (t: number[], values: (i: number) => number = (i) => i % 5): ArchivedSample[] =>
  t.map((time, i) => ({ t: time, value: values(i), status: Good, flags: 0 }));

/** A seeded generator (no Math.random: the same cases every run). */
function rng(seed: number): () => number {
  return () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

/** n samples a period apart, each interval a period longer with probability p (a logger's skipped sample); ms jitter on top. */
function skipping(n: number, period: number, p: number, seed: number, jitter = 0): number[] {
  const random = rng(seed);
  const t = [T0];
  for (let i = 1; i < n; i++) t.push(t[i - 1]! + (random() < p ? 2 : 1) * period + Math.round((random() - 0.5) * 2 * jitter));
  return t;
}

/** Bits of a block's timestamps: the block against the same block on a regular clock (values and statuses identical). */
function timestampBits(t: number[], version?: number): number {
  const regular = t.map((_, i) => T0 + i * (t[1]! - t[0]!));
  const flat = () => 0;
  return (encodeBlock(points(t, flat), version).length - encodeBlock(points(regular, flat), version).length) * 8;
}

const entropyBits = (p: number, n: number): number => -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p)) * n;

describe('sparse jitter (block v7)', () => {
  // Shannon: where k skips fall among n intervals at rate p takes n H(p) bits at the least.
  it('a 1 s clock that skips one sample in 12 costs less than 1.3x the entropy of where the skips fall; v6 took over 1.8x', () => {
    for (const seed of [1, 2, 3]) {
      const t = skipping(1100, 1000, 0.08, seed);
      const floor = entropyBits(0.08, 1099);
      expect(timestampBits(t)).toBeLessThan(floor * 1.3);
      expect(timestampBits(t, 6)).toBeGreaterThan(floor * 1.8);
      expectDecodesTo(points(t), encodeBlock(points(t)));
    }
  });

  it('round-trip exactly and are never longer than v6 but for the form bit (property: periods, skip rates, jitter, quanta)', () => {
    const shape = fc.record({
      n: fc.integer({ min: 1, max: 2500 }),
      period: fc.integer({ min: 1, max: 600_000 }),
      p: fc.double({ min: 0, max: 0.6, noNaN: true }),
      jitter: fc.constantFrom(0, 0, 1, 3, 40),
      seed: fc.integer({ min: 1, max: 2 ** 30 }),
    });
    fc.assert(fc.property(shape, ({ n, period, p, jitter, seed }) => {
      const t = skipping(n, period, p, seed, Math.min(jitter, Math.floor(period / 3)));
      const v7 = encodeBlock(points(t));
      expectDecodesTo(points(t), v7);
      expect(v7.length).toBeLessThanOrEqual(encodeBlock(points(t), 6).length + 1);
    }), { numRuns: propertyRuns(300) });
  });

  /** A v7 block written by hand: sparse jitter timestamps (first, quantum, base, then the deviations not 0 at their intervals), values 0. */
  function handBlock(first: number, q: number, base: number, n: number, deviations: [number, number][]): Uint8Array {
    const w = jitterBlockHead(7, n, first, q, base);
    w.write(1, 1); // sparse
    w.writeUint(deviations.length);
    if (deviations.length > 0) {
      // gap j: intervals not deviating since the one before (interval i is t[i] - t[i - 1], from 1)
      const gaps = deviations.map(([at], j) => at - 1 - (j === 0 ? 0 : deviations[j - 1]![0]));
      const g = new Symbols().fill(gaps.map(unzigzag), 0, gaps.length);
      writeCoded(w, g, codeLengths(g.counts), true);
      const values = deviations.map(([, d]) => (d > 0 ? d - 1 : d));
      const v = new Symbols().fill(values, 0, values.length);
      writeCoded(w, v, codeLengths(v.counts), true);
    }
    return sealedWithZeroValues(w, n);
  }

  it('reads a block written by hand from the format: the base interval but where a deviation is given', () => {
    // quantum 10 ms, base 100 quanta (1 s); interval 2 is a skipped sample (+100), interval 5 is 20 ms short, interval 6 two samples long
    const c = decodeBlock(handBlock(T0, 10, 100, 8, [[2, 100], [5, -2], [6, 200]]));
    expect(Array.from(c.t)).toEqual([T0, T0 + 1000, T0 + 3000, T0 + 4000, T0 + 5000, T0 + 5980, T0 + 8980, T0 + 9980]);
    expect(Array.from(decodeBlock(handBlock(T0, 1000, 1, 4, [])).t)).toEqual([T0, T0 + 1000, T0 + 2000, T0 + 3000]);
  });

  it('a deviation past the last interval, an interval below zero and a section cut short are corrupt, named', () => {
    expect(() => decodeBlock(handBlock(T0, 1, 1000, 4, [[4, 1]]))).toThrow('corrupt block: timestamps: deviation 0 after a gap of 3 falls past sample 3');
    expect(() => decodeBlock(handBlock(T0, 1, 5, 4, [[2, -6]]))).toThrow('corrupt block: timestamps: negative delta at sample 2');
    const errors = cutShortErrors(handBlock(T0, 1, 1000, 40, [[3, 1], [9, 1], [30, -7]]));
    expect(errors.some((e) => e.includes('truncated while reading timestamps (sparse jitter)'))).toBe(true);
  });

  it('damaged sparse sections (checksum made to match) fail with a corrupt-block error, never another error', () => {
    const good = encodeBlock(points(skipping(1000, 1000, 0.05, 9)));
    // After the header (3 bytes) and the count (1000): '1' coded, '1' against a base, the first time, quantum 1000 ms, base 1, '1' sparse.
    const form = '11' + uint(zz(T0)) + uint(1000) + uint(1) + '1';
    expect(toBits(good.subarray(3), uint(1000).length + form.length)).toBe(uint(1000) + form);
    expectDamageFailsAsCorrupt(good);
  });
});

describe('code tables with runs of unused symbols (block v7)', () => {
  /** A section of these residuals coded by hand into a v7 block's value section (coded values: the first, then the deltas). */
  function codedValuesBlock(deltas: number[], version: number, gaps: boolean): Uint8Array {
    const n = deltas.length + 1;
    const w = new BitWriter(256);
    w.byte(version);
    w.byte(2); // coded values
    w.byte(0);
    w.writeUint(n);
    w.write(0, 1); // plain timestamps: the first, the quantum, then one frame of width 0 per 64
    w.writeUint(zigzag(T0));
    w.writeUint(1000);
    for (let i = 1; i < n; i += 64) {
      w.write(0b10, 2);
      w.writeUint(1);
      w.write(0, 6);
    }
    w.writeUint(zigzag(5));
    const s = new Symbols().fill(deltas, 0, deltas.length);
    writeCoded(w, s, codeLengths(s.counts), gaps);
    writeRunsV3(w, new Array<number>(n).fill(Good), new Array<number>(n).fill(0), n);
    return sealed(w);
  }

  // Deltas 0 0 0 0 (a run: symbol 57) and 3 (symbol 3): 53 unused symbols between them.
  const deltas = [0, 0, 0, 0, 3, 0, 0, 0, 0, 3, -1];
  const expected = [5, 5, 5, 5, 5, 8, 8, 8, 8, 8, 11, 10];

  it('reads a run of unused symbols as 15 and a 6-bit count, 3 to 66 of them, and only in v7', () => {
    const v7 = codedValuesBlock(deltas, 7, true), dense = codedValuesBlock(deltas, 6, false);
    expect(Array.from(decodeBlock(v7).value)).toEqual(expected);
    expect(Array.from(decodeBlock(dense).value)).toEqual(expected);
    expect(Array.from(decodeBlock(codedValuesBlock(deltas, 7, false)).value)).toEqual(expected); // v7 may still write each length
    // symbols 1, 3 and 57 used: 2 unused alone (4 bits either way), 4..56 unused, 212 bits dense, 10 as one run
    expect(dense.length - v7.length).toBeGreaterThanOrEqual(Math.floor(202 / 8));
    expect(dense.length - v7.length).toBeLessThanOrEqual(Math.ceil(202 / 8));
    // a v6 reader has no escape: 15 is a code longer than 12 bits
    const v6WithRun = codedValuesBlock(deltas, 6, true);
    expect(() => decodeBlock(v6WithRun)).toThrow('corrupt block: values (coded): code longer than 12 bits');
  });

  it('a run of unused symbols past the last used one is corrupt, named', () => {
    // one residual class only (symbol 1): lo = hi = 1; a table written by hand with a run there
    const w = new BitWriter(64);
    w.byte(7);
    w.byte(2);
    w.byte(0);
    w.writeUint(2);
    w.write(0, 1);
    w.writeUint(zigzag(T0));
    w.writeUint(1000);
    w.write(0b10, 2);
    w.writeUint(1);
    w.write(0, 6);
    w.writeUint(0);
    w.write(0, 7);
    w.write(3, 7); // symbols 0..3
    w.write(15, 4);
    w.write(2, 6); // 5 unused from symbol 0: past 3
    writeRunsV3(w, [Good, Good], [0, 0], 2);
    expect(() => decodeBlock(sealed(w))).toThrow("corrupt block: values (coded): code table's unused symbols 0..4 run past its last used one, 3");
  });

  it('never make a table longer than v6 (property: residuals with and without runs of zeros)', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.constant(0), fc.integer({ min: -5000, max: 5000 })), { minLength: 2, maxLength: 600 }), (deltas) => {
      let k = 0;
      const values = [0, ...deltas.map((d) => (k += d))];
      const t = values.map((_, i) => T0 + i * 1000);
      const v7 = encodeBlock(points(t, (i) => values[i]!));
      expectDecodesTo(points(t, (i) => values[i]!), v7);
      expect(v7.length).toBeLessThanOrEqual(encodeBlock(points(t, (i) => values[i]!), 6).length);
    }), { numRuns: propertyRuns(300) });
  });
});
