/**
 * writeNumber writes what String(v) writes (the reference), and what it writes reads back as v;
 * writeCsvNumber and numberText (CSV exports) the same but "-0" for negative zero (String(-0) is
 * "0", which reads back as +0).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numberText, writeCsvNumber, writeNumber } from './number-text.js';

const text = (v: number) => {
  const out = new Uint8Array(64);
  return Buffer.from(out.subarray(0, writeNumber(out, 0, v))).toString('latin1');
};
const csvText = (v: number) => {
  const out = new Uint8Array(64);
  return Buffer.from(out.subarray(0, writeCsvNumber(out, 0, v))).toString('latin1');
};

describe('number text', () => {
  it('writes decimals of a few places, integers, signs and zeros as String(v)', () => {
    for (const v of [0, -0, 1, -1, 0.1, 0.2 + 0.1, 2.675, -12.5, 1e-6, 1.5e-7, 123456789.123, 999999999999999.9, 1e15, 1e21, 5e-324,
      Number.MAX_VALUE, 4503599627370495.5, 0.000123, 90.6454, 238.852, 3702.3]) {
      expect(text(v)).toBe(String(v));
    }
    expect(text(-0)).toBe('0'); // String(-0): the sync's line protocol wants it so
  });

  it('writes negative zero as -0 for CSV (it reads back as -0), anything else as String(v)', () => {
    for (const v of [-0, 0, 1, -1, -0.005, 1e21, 5e-324]) {
      const want = Object.is(v, -0) ? '-0' : String(v);
      expect(csvText(v)).toBe(want);
      expect(numberText(v)).toBe(want);
    }
    expect(Object.is(Number(csvText(-0)), -0)).toBe(true);
  });

  it('equals String(v) and reads back exactly, on decimals of 0 to 12 places and on any double (property)', () => {
    fc.assert(fc.property(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.integer({ min: 0, max: 12 }), (m, d) => {
      const v = m / 10 ** d;
      expect(text(v)).toBe(String(v));
      expect(Number(text(v))).toBe(v);
    }), { numRuns: 5_000 });
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
      expect(text(v)).toBe(String(v));
    }), { numRuns: 5_000 });
  });
});
