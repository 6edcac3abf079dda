/**
 * Float32 values (block v5, scale byte flag 0x80): an OPC UA Float or a PLC's REAL arrives as a
 * double that no ten or fewer decimals make exact (23.45 as a float is 23.450000762939453), so
 * v4 XOR-coded it. v5 stores the decimal of each float printed shortest and decodes it through
 * Math.fround. Round trips are bit-exact (fast-check), v5 is never longer than v4 on them, and
 * the flag is refused where the format does not allow it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Good } from '../status.js';
import type { ArchivedSample } from '../types.js';
import { ValueEncoding, decodeBlock, encodeBlock } from './block.js';
import { writeDecimalValues } from './decimal.js';
import { crcRewritten, expectDecodesTo, handWrittenBlock } from './testing.js';
import { propertyRuns } from '../testing/property-runs.js';

const T0 = Date.UTC(2026, 0, 1);

const points = (values: number[]): ArchivedSample[] => values.map((value, i) => ({ t: T0 + i * 1000, value, status: Good, flags: 0 }));


/** A hand-written block: version, the scale byte, decimal (frame of reference) integers. */
const handBlock = (version: number, scale: number, ints: number[]): Uint8Array =>
  handWrittenBlock(version, ValueEncoding.Decimal, scale, ints.length, (w) => writeDecimalValues(w, ints, ints.length, 0, new Float64Array(ints.length))); // d 0: the integers as they are

describe('float32 values (block v5)', () => {
  it('round-trip bit-exact, never longer than v4 but for one timestamp bit (property: decimals of 1-8 digits and any float, as float32s)', () => {
    const decimalFloat = fc.tuple(fc.integer({ min: -99_999_999, max: 99_999_999 }), fc.integer({ min: 0, max: 7 })).map(([k, d]) => Math.fround(k / 10 ** d));
    const anyFloat = fc.float({ noNaN: false });
    fc.assert(fc.property(fc.array(fc.oneof(decimalFloat, anyFloat), { minLength: 1, maxLength: 800 }), (values) => {
      const p = points(values);
      const v5 = encodeBlock(p);
      expectDecodesTo(p, v5);
      // + 1: v5's coded timestamps carry one bit more (their form), which may take a byte.
      expect(v5.length).toBeLessThanOrEqual(encodeBlock(p, 4).length + 1);
    }), { numRuns: propertyRuns(300) });
  });

  it('a noisy transmitter read as Float is stored as decimals, in under half the bytes of v4', () => {
    let seed = 5;
    const random = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
    let level = 90.6454;
    const values = Array.from({ length: 1000 }, () => Math.fround(Math.round((level += (random() - 0.5) * 0.01) * 1e4 + (random() - 0.5) * 40) / 1e4));
    expect(values.some((v) => Math.round(v * 1e9) / 1e9 !== v)).toBe(true); // not decimal as doubles
    const v5 = encodeBlock(points(values)), v4 = encodeBlock(points(values), 4);
    expect(v4[1]).toBe(ValueEncoding.Xor);
    expect(v5[2]).toBe(0x80 | 4);
    expect(v5.length).toBeLessThan(v4.length * 0.5);
    expectDecodesTo(points(values), v5);
  });

  it('decodes a hand-written block: integers at scale 0x82 are Math.fround of them / 100', () => {
    const c = decodeBlock(handBlock(5, 0x82, [2345, -1, 0, 34028]));
    expect(Array.from(c.value)).toEqual([Math.fround(23.45), Math.fround(-0.01), 0, Math.fround(340.28)]);
    expect(Array.from(c.value)).not.toEqual([23.45, -0.01, 0, 340.28]);
  });

  it('refuses the float32 flag before v5, past scale 9, and on XOR values', () => {
    expect(() => decodeBlock(handBlock(4, 0x82, [1, 2]))).toThrow('corrupt block: decimal scale 130');
    expect(() => decodeBlock(handBlock(5, 0x8a, [1, 2]))).toThrow('corrupt block: decimal scale 138');
    const xor = encodeBlock(points([1 / 3, 2 / 3]));
    expect(xor[1]).toBe(ValueEncoding.Xor);
    const bad = xor.slice();
    bad[2] = 0x80;
    crcRewritten(bad);
    expect(() => decodeBlock(bad)).toThrow('corrupt block: decimal scale 128');
  });

  it('a block with a value that is not a float32 stays XOR, bit-exact', () => {
    for (const odd of [1 / 3, 5e-324]) {
      const p = points([Math.fround(1.1), Math.fround(2.2), odd]);
      const b = encodeBlock(p);
      expect(b[1]).toBe(ValueEncoding.Xor);
      expectDecodesTo(p, b);
    }
  });

  it('-0 or NaN beside float32s: coded apart from v8 (the float32s stay decimal), XOR before, bit-exact', () => {
    for (const odd of [-0, NaN]) {
      const p = points([Math.fround(1.1), Math.fround(2.2), odd]);
      const b = encodeBlock(p);
      expect(b[1]).not.toBe(ValueEncoding.Xor);
      expect(b[2]).toBe(0x80 | 0x20 | 1); // float32s of one decimal, exceptions after them
      expectDecodesTo(p, b);
      expect(encodeBlock(p, 7)[1]).toBe(ValueEncoding.Xor);
    }
  });
});
