/**
 * Near-decimal values (block v5, scale byte flag 0x40): a CSV whose program printed doubles in
 * full (0.12984500000000002 beside 0.054711) is stored as decimals plus each value's distance
 * in units in the last place. Oracles here are BigInt views of the IEEE 754 bits, not near.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Good } from '../status.js';
import type { ArchivedSample } from '../types.js';
import { ValueEncoding, decodeBlock, encodeBlock } from './block.js';
import { writeDecimalValues } from './decimal.js';
import { Symbols, codeLengths, writeCoded } from './huffman.js';
import { addUlps, ulpsBetween } from './near.js';
import { expectDecodesTo, handWrittenBlock } from './testing.js';
import { propertyRuns } from '../testing/property-runs.js';

const T0 = Date.UTC(2026, 0, 1);
const f = new Float64Array(1);
const b = new BigInt64Array(f.buffer);
const bitsOf = (v: number): bigint => { f[0] = v; return b[0]!; };
const fromBits = (x: bigint): number => { b[0] = x; return f[0]!; };
/** v moved by u units in the last place, through the bits as a 64-bit integer. */
const nudge = (v: number, u: number): number => fromBits(bitsOf(v) + BigInt(u));

const points = (values: number[]): ArchivedSample[] => values.map((value, i) => ({ t: T0 + i * 1000, value, status: Good, flags: 0 }));


/** A hand-written block: decimal integers at scale byte `scale`, then corrections through the entropy stage. */
function handBlock(version: number, scale: number, ints: number[], corrections: number[]): Uint8Array {
  const n = ints.length;
  return handWrittenBlock(version, ValueEncoding.Decimal, scale, n, (w) => {
    writeDecimalValues(w, ints, n, 0, new Float64Array(n));
    const s = new Symbols().fill(corrections, 0, n);
    writeCoded(w, s, codeLengths(s.counts));
  });
}

describe('near-decimal values (block v5)', () => {
  it('ulpsBetween and addUlps agree with the bits as 64-bit integers (property)', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(fc.property(finite, fc.integer({ min: -1023, max: 1023 }), (v, u) => {
      const w = nudge(v, u);
      fc.pre(Number.isFinite(w) && Math.sign(bitsOf(w) < 0n ? -1 : 1) === Math.sign(bitsOf(v) < 0n ? -1 : 1));
      expect(ulpsBetween(w, v)).toBe(u);
      expect(Object.is(addUlps(v, u), w)).toBe(true);
    }), { numRuns: propertyRuns(2000) });
    expect(ulpsBetween(Number('0.12984500000000002'), 0.129845)).toBe(1);
    expect(ulpsBetween(Number('1.9811299999999998'), 1.98113)).toBe(-1);
  });

  it('round-trip bit-exact, never longer than v4 but for one timestamp bit (property: decimals, some a few units off)', () => {
    const value = fc.tuple(fc.integer({ min: -99_999_999, max: 99_999_999 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: -3, max: 3 }), fc.boolean())
      .map(([k, d, u, off]) => (off ? nudge(k / 10 ** d, u) : k / 10 ** d));
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 800 }), (values) => {
      const p = points(values);
      const v5 = encodeBlock(p);
      expectDecodesTo(p, v5);
      // + 1: v5's coded timestamps carry one bit more (their form), which may take a byte.
      expect(v5.length).toBeLessThanOrEqual(encodeBlock(p, 4).length + 1);
    }), { numRuns: propertyRuns(300) });
  });

  // The cells as a copy of SKAB's pump bench (waico/SKAB, data/valve1/1.csv at 1eebf056) prints them.
  it('a pump-bench column with printing noise is stored as decimals and corrections, in under half the bytes of v4', () => {
    const cells = ['0.039578300000000004', '0.0409274', '0.040108', '0.0395919', '0.040563400000000005', '0.039799', '0.0404811', '0.040010699999999996'];
    let seed = 9;
    const random = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
    // 1,000 readings: the cells above, and more of their kind (7 digits, a quarter a unit off).
    const values = Array.from({ length: 1000 }, (_, i) => {
      if (i < cells.length) return Number(cells[i]);
      const clean = Math.round((0.0400 + (random() - 0.5) * 0.0016) * 1e7) / 1e7;
      return random() < 0.25 ? nudge(clean, random() < 0.5 ? 1 : -1) : clean;
    });
    const v5 = encodeBlock(points(values)), v4 = encodeBlock(points(values), 4);
    expect(v4[1]).toBe(ValueEncoding.Xor);
    expect(v5[2]).toBe(0x40 | 7);
    expect(v5.length).toBeLessThan(v4.length * 0.5);
    expectDecodesTo(points(values), v5);
  });

  it('decodes a hand-written block: each decimal moved by its correction', () => {
    const c = decodeBlock(handBlock(5, 0x40, [1, 2, 3, 0], [0, 1, -1, 1]));
    expect(Array.from(c.value)).toEqual([1, nudge(2, 1), nudge(3, -1), 5e-324]);
  });

  it('refuses the flag before v5 or with the float32 flag, and corrections past 1023 units', () => {
    expect(() => decodeBlock(handBlock(4, 0x40, [1, 2], [0, 1]))).toThrow('corrupt block: decimal scale 64');
    expect(() => decodeBlock(handBlock(5, 0xc0, [1, 2], [0, 1]))).toThrow('corrupt block: decimal scale 192');
    expect(() => decodeBlock(handBlock(5, 0x40, [1, 2], [0, 1024]))).toThrow('corrupt block: values (corrections): 1024 units in the last place at sample 1');
  });

  it('a correction of exactly 1023 units is read; a section cut short names the corrections', () => {
    expect(decodeBlock(handBlock(5, 0x40, [1, 2], [0, 1023])).value[1]).toBe(nudge(2, 1023));
    // Corrections for 2 samples where the block has 40: the codes run out inside the section.
    const n = 40;
    const cut = handWrittenBlock(5, ValueEncoding.Decimal, 0x40, n, (w) => {
      writeDecimalValues(w, Array.from({ length: n }, (_, i) => i), n, 0, new Float64Array(n));
      const c = new Symbols().fill([1, -1], 0, 2);
      writeCoded(w, c, codeLengths(c.counts));
    });
    expect(() => decodeBlock(cut)).toThrow(/corrupt block: (values \(corrections\)|truncated while reading values \(corrections\))/);
  });

  it('tiny negatives and values far from any decimal stay XOR, bit-exact', () => {
    for (const odd of [-5e-324, 1 / 3, Math.PI]) {
      const p = points([0.129845, Number('0.12984500000000002'), odd]);
      const block = encodeBlock(p);
      expect(block[1]).toBe(ValueEncoding.Xor);
      expectDecodesTo(p, block);
    }
  });

  it('-0 beside near-decimals: coded apart from v8 (they stay near-decimal), XOR before, bit-exact', () => {
    const p = points([0.129845, Number('0.12984500000000002'), -0]);
    const block = encodeBlock(p);
    expect(block[2]).toBe(0x40 | 0x20 | 6); // near-decimals of six decimals, exceptions after them
    expectDecodesTo(p, block);
    expect(encodeBlock(p, 7)[1]).toBe(ValueEncoding.Xor);
  });
});
