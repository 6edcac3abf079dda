import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeFloats, decodeRuns, decodeTimes, encodeFloats, encodeRuns, encodeTimes, fromBase64, toBase64 } from './columns.js';

/** Runs fn where there is no Buffer: the console's path (atob / btoa or the native codec). */
function withoutBuffer<T>(fn: () => T): T {
  const saved = globalThis.Buffer;
  // @ts-expect-error taken away for the call
  delete globalThis.Buffer;
  try {
    return fn();
  } finally {
    globalThis.Buffer = saved;
  }
}

describe('history columns', () => {
  it('times survive exactly: integer ms as Int32 deltas, NaN kept, anything else as Float64', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 1.6e12, max: 1.8e12 }), fc.constant(NaN), fc.double({ noDefaultInfinity: true }))), (xs) => {
        const back = decodeTimes(JSON.parse(JSON.stringify(encodeTimes(xs))), xs.length);
        expect(Array.from(back)).toEqual(xs);
      }),
    );
    const regular = Array.from({ length: 1000 }, (_, i) => 1.7e12 + i * 1000);
    expect('i32d' in encodeTimes(regular)).toBe(true);
    // A 30-day jump does not fit an Int32 delta: the column falls back to Float64, still exact.
    // -0 (fast-check found it) is kept as -0, through the Float64 column.
    expect(Object.is(decodeTimes(JSON.parse(JSON.stringify(encodeTimes([0, -0, 5]))), 3)[1], -0)).toBe(true);
    const jump = [1.7e12, 1.7e12 + 30 * 86_400_000];
    expect('f64' in encodeTimes(jump)).toBe(true);
    expect(Array.from(decodeTimes(encodeTimes(jump), 2))).toEqual(jump);
  });

  it('values keep their bits (NaN, -0, extremes); runs rebuild the status column', () => {
    fc.assert(
      fc.property(fc.array(fc.double()), fc.array(fc.constantFrom(0, 0x808c0000, 0x40a40000, 0xffffffff), { maxLength: 300 }), (vs, st) => {
        const v = decodeFloats(JSON.parse(JSON.stringify(encodeFloats(vs))), vs.length);
        expect(Array.from(v)).toEqual(vs);
        expect(Array.from(decodeRuns(encodeRuns(st), st.length))).toEqual(st);
      }),
    );
    expect(Object.is(decodeFloats(encodeFloats([-0]), 1)[0], -0)).toBe(true);
  });

  it('refuses columns of the wrong length instead of reading past them', () => {
    expect(() => decodeFloats(encodeFloats([1, 2, 3]), 4)).toThrow(/expected 32 bytes, got 24/);
    expect(() => decodeRuns([0, 3], 4)).toThrow(/hold 3 values, expected 4/);
    expect(() => decodeRuns([0, 5], 4)).toThrow(/overflows/);
  });

  it('base64 without Node\'s Buffer (the console\'s path) matches Buffer\'s', () => {
    const bytes = Uint8Array.from({ length: 70_001 }, (_, i) => (i * 7919) & 255);
    const viaBuffer = toBase64(bytes);
    expect(viaBuffer).toBe(Buffer.from(bytes).toString('base64'));
    expect(withoutBuffer(() => toBase64(bytes))).toBe(viaBuffer);
    expect(Array.from(withoutBuffer(() => fromBase64(viaBuffer, bytes.length)))).toEqual(Array.from(bytes));
    const times = [1.7e12, 1.7e12 + 1000, NaN, 1.7e12 + 2500];
    expect(Array.from(withoutBuffer(() => decodeTimes(encodeTimes(times), 4)))).toEqual(times);
    expect(Array.from(fromBase64(viaBuffer, bytes.length))).toEqual(Array.from(bytes));
  });
});
