/**
 * Smoothed values (block v6, value encoding 5): a measurement's white noise around a slow level
 * costs about half a bit a sample less as residuals against a smoothed level than as deltas.
 * Round trips are exact (fast-check, every decimal scale and sign, values up to the fixed
 * point's limit), the format is pinned by a block written by hand and decoded against a BigInt
 * reference of its arithmetic, v5 blocks still read, and damage fails as corrupt.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Good } from '../status.js';
import type { ArchivedSample } from '../types.js';
import { zigzag } from './bits.js';
import { ValueEncoding, decodeBlock, encodeBlock } from './block.js';
import { Symbols, codeLengths, writeCoded } from './huffman.js';
import { cutShortErrors, expectDamageFailsAsCorrupt, expectDecodesTo, handWrittenBlock } from './testing.js';
import { propertyRuns } from '../testing/property-runs.js';

const T0 = Date.UTC(2026, 0, 1);
const points = (values: number[]): ArchivedSample[] => values.map((value, i) => ({ t: T0 + i * 1000, value, status: Good, flags: 0 }));

/** A seeded generator of roughly normal draws (the sum of three uniforms). */
function noise(seed: number): () => number {
  let x = seed;
  const u = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return () => (u() + u() + u() - 1.5) * 2;
}

/** White noise of `sd` units of 10^-decimals around a level that drifts slowly: a process transmitter. */
function transmitter(n: number, level: number, sd: number, decimals: number, seed: number): number[] {
  const r = noise(seed);
  const p = 10 ** decimals;
  return Array.from({ length: n }, (_, i) => Math.round(level * p + Math.sin(i / 300) * sd + r() * sd) / p);
}

/**
 * The decoder's arithmetic in BigInt, written from the format's words: the level starts at the
 * first value times 256; each value is the level rounded half up to a unit plus its residual;
 * the level then moves by floor((value × 256 − level) / 2^shift).
 */
function referenceValues(k0: number, shift: number, residuals: number[]): number[] {
  let level = BigInt(k0) * 256n;
  const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));
  const out = [k0];
  for (const r of residuals) {
    const k = floorDiv(level + 128n, 256n) + BigInt(r);
    out.push(Number(k));
    level += floorDiv(k * 256n - level, 2n ** BigInt(shift));
  }
  return out;
}

/** A v6 block of smoothed values written by hand: scale d, first value, shift, residuals through the entropy stage. */
function handSmoothed(d: number, k0: number, shift: number, residuals: number[]): Uint8Array {
  const s = new Symbols().fill(Float64Array.from(residuals), 0, residuals.length);
  const lengths = codeLengths(s.counts);
  return handWrittenBlock(6, ValueEncoding.Smoothed, d, residuals.length + 1, (w) => {
    w.writeUint(zigzag(k0));
    w.writeUint(shift);
    writeCoded(w, s, lengths);
  });
}

describe('smoothed values (block v6)', () => {
  it('store white noise around a level smoothed, at least 2.5 % under v5 (coded deltas)', () => {
    for (const [sd, seed] of [[30, 2], [300, 3], [3000, 1]] as const) {
      const p = points(transmitter(1000, 3702.3, sd, 1, seed));
      const v6 = encodeBlock(p), v5 = encodeBlock(p, 5);
      expect(v6[1]).toBe(ValueEncoding.Smoothed);
      expect(v5[1]).toBe(ValueEncoding.Coded);
      expect(v6.length).toBeLessThan(v5.length * 0.975);
      expectDecodesTo(p, v6);
      expectDecodesTo(p, v5); // a v5 block still reads
    }
  });

  it('leave a random walk (deltas are its best prediction), held, flat and short blocks as before', () => {
    const r = noise(9);
    let k = 500_000;
    const walk = points(Array.from({ length: 1000 }, () => (k += Math.round(r() * 50)) / 1000));
    expect(encodeBlock(walk)[1]).toBe(ValueEncoding.Coded);
    const held = points(Array.from({ length: 1000 }, (_, i) => Math.floor(i / 7) % 3));
    expect(encodeBlock(held)[1]).not.toBe(ValueEncoding.Smoothed);
    const short = points(transmitter(15, 10, 300, 2, 4));
    expect(encodeBlock(short)[1]).not.toBe(ValueEncoding.Smoothed);
    for (const p of [walk, held, short]) expectDecodesTo(p, encodeBlock(p));
  });

  it('leave values past 2^44 units to the deltas', () => {
    const big = points(transmitter(500, 2 ** 44 / 1000 + 7, 300, 3, 5));
    const bytes = encodeBlock(big);
    expect(bytes[1]).not.toBe(ValueEncoding.Smoothed);
    expectDecodesTo(big, bytes);
  });

  it('round-trip exactly and are never longer than v5 (property: any decimals, signs, levels and noise, up to the fixed point limit)', () => {
    const arb = fc.record({
      n: fc.integer({ min: 1, max: 1500 }),
      decimals: fc.integer({ min: 0, max: 9 }),
      level: fc.integer({ min: -(2 ** 43), max: 2 ** 43 }),
      sd: fc.integer({ min: 0, max: 100_000 }),
      seed: fc.integer({ min: 1, max: 2 ** 30 }),
    });
    let smoothed = 0;
    fc.assert(fc.property(arb, ({ n, decimals, level, sd, seed }) => {
      const r = noise(seed);
      const p = 10 ** decimals;
      const values = Array.from({ length: n }, () => (level + Math.round(r() * sd)) / p);
      const pts = points(values);
      const bytes = encodeBlock(pts);
      if (bytes[1] === ValueEncoding.Smoothed) smoothed++;
      expectDecodesTo(pts, bytes);
      expect(bytes.length).toBeLessThanOrEqual(encodeBlock(pts, 5).length);
    }), { numRuns: propertyRuns(300) });
    expect(smoothed).toBeGreaterThan(0); // the property reached the encoding it checks
  });

  it('decode a block written by hand from the format, every shift, as the BigInt reference computes', () => {
    const r = noise(11);
    for (let shift = 1; shift <= 6; shift++) {
      const residuals = Array.from({ length: 300 }, () => Math.round(r() * 40));
      const k0 = -123_456 + shift;
      const bytes = handSmoothed(2, k0, shift, residuals);
      const got = Array.from(decodeBlock(bytes).value);
      expect(got).toEqual(referenceValues(k0, shift, residuals).map((k) => k / 100));
    }
  });

  it('reject a shift outside 1..6, and fail as corrupt when damaged or cut short', () => {
    expect(() => decodeBlock(handSmoothed(0, 5, 0, [1, 2, 3]))).toThrow('corrupt block: values (smoothed): shift 0, expected 1 to 6');
    expect(() => decodeBlock(handSmoothed(0, 5, 7, [1, 2, 3]))).toThrow('corrupt block: values (smoothed): shift 7, expected 1 to 6');
    expect(() => decodeBlock(handSmoothed(0, 2 ** 44, 3, [1]))).toThrow('corrupt block: values (smoothed): first value out of range');
    expect(() => decodeBlock(handSmoothed(0, 2 ** 44 - 1, 3, [5]))).toThrow('corrupt block: values (smoothed): value out of range at sample 1');
    const p = points(transmitter(400, 81.7, 30, 3, 6));
    const bytes = encodeBlock(p);
    expect(bytes[1]).toBe(ValueEncoding.Smoothed);
    expectDamageFailsAsCorrupt(bytes);
    expect(cutShortErrors(bytes).some((e) => e.includes('values (smoothed)'))).toBe(true);
  });

  it('is not read from a v5 block', () => {
    expect(() => decodeBlock(handWrittenBlock(5, ValueEncoding.Smoothed, 0, 2, (w) => { w.writeUint(0); w.writeUint(1); }))).toThrow('corrupt block: unknown value encoding 5');
  });
});
