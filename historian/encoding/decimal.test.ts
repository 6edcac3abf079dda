import { describe, expect, it } from 'vitest';
import { BitReader, BitWriter } from './bits.js';
import { decimalScale, readDecimalValues, writeDecimalValues } from './decimal.js';
import { reader } from './testing.js';

/** Writes with writeDecimalValues, checks the bit count, reads back exactly. */
function roundTrip(values: number[], d: number, bits?: number): void {
  const w = new BitWriter();
  writeDecimalValues(w, values, values.length, d, new Float64Array(values.length));
  if (bits !== undefined) expect(w.bits).toBe(bits);
  const written = w.bits;
  const out = new Float64Array(values.length);
  const r = new BitReader(w.finish(), 0);
  readDecimalValues(r, out, values.length, d);
  expect(Array.from(out)).toEqual(values);
  expect(r.pos).toBe(written); // the reader takes exactly the bits written, no more, no fewer
}

describe('decimal values section', () => {
  // Guards the -0 check in decimalScale: -0 scaled to an integer would decode as +0.
  it('gives no decimal scale for -0 (a value the integers cannot hold)', () => {
    expect(decimalScale([1, -0], 2)).toBe(-1);
  });

  // Guards the strict k < 2^51 limit: 2^51 / 10 scales to exactly 2^51 at d = 1, one past the limit.
  it('gives no decimal scale when the scaled integer reaches 2^51', () => {
    expect(decimalScale([2 ** 51 / 10], 1)).toBe(-1);
    expect(decimalScale([2 ** 50 / 10], 1)).toBe(1);
  });

  // Guards the mini-block end (min, not max): 3 values, deltas 5 and -5: first 6+4, header 1+(6+4)+6, 2×4 bits.
  it('writes a short block in exactly the bits of its one mini-block', () => {
    // zigzag(10) = 20: 6 + 5 bits; deltas 5, -5: min -5 (zigzag 9: 6 + 4), width bitLength(10) = 4.
    roundTrip([10, 15, 10], 0, 11 + 1 + 10 + 6 + 2 * 4);
  });

  // Guards the per-mini-block min/max scan: an outlier in the next mini-block must not widen this one.
  it('frames each mini-block of 64 deltas on its own deltas only', () => {
    const values = [0];
    for (let i = 1; i <= 64; i++) values.push(i % 2); // deltas 1, -1, ...: min -1, width 2
    values.push(1 + 1000); // second mini-block: one delta 1000, min 1000, width 0
    // first: 6 bits (0); block 1: 1 + (6+1) + 6 + 64×2; block 2: 1 + (6 + bitLength(2000)=11) + 6.
    roundTrip(values, 0, 6 + (1 + 7 + 6 + 128) + (1 + 17 + 6));
  });

  // Guards the wide (> 32 bit) delta path: offsets written and read with writeBig/readBig, added to min.
  it('round-trips deltas wider than 32 bits', () => {
    roundTrip([0, 5e9, 0, 7e12, -3e12, 1], 0);
    roundTrip([0, 0.5, 6e9, -6e9, 0.25, 1e10], 2);
  });

  // Guards the width limit (> 53, not >= 53): deltas ±(2^52 - 2) span 2^53 - 4, a width of 53.
  it('round-trips a mini-block of width 53', () => {
    const big = 2 ** 51 - 1;
    roundTrip([-big, big, -big], 0);
  });

  // Guards the width-32 boundary between read() and readBig().
  it('round-trips a mini-block of width exactly 32', () => {
    roundTrip([0, 2 ** 32 - 1, 0, 2 ** 32 - 1], 0);
  });

  // Guards the repeat-frame check: a first mini-block that repeats a frame never sent is corrupt.
  it('rejects a first mini-block that repeats a missing frame', () => {
    const r = reader((w) => { w.writeUint(0); w.write(0, 1); });
    expect(() => readDecimalValues(r, new Float64Array(2), 2, 0)).toThrow('corrupt block: values (decimal): mini-block at sample 1 repeats a missing frame');
  });

  // Guards the width check: a 6-bit width of 60 is corrupt (deltas have at most 53 bits).
  it('rejects a bit width over 53', () => {
    const r = reader((w) => { w.writeUint(0); w.write(1, 1); w.writeUint(0); w.write(60, 6); });
    expect(() => readDecimalValues(r, new Float64Array(2), 2, 0)).toThrow('corrupt block: values (decimal): bit width 60 at sample 1');
  });

  // Guards the range check: integers reaching -2^53 (min -2^52 twice) are corrupt, not rounded.
  it('rejects integers that reach 2^53 in magnitude', () => {
    const r = reader((w) => {
      w.writeUint(0);
      w.write(1, 1);
      w.writeUint(2 ** 53 - 1); // zigzag(-2^52)
      w.write(0, 6);
    });
    expect(() => readDecimalValues(r, new Float64Array(3), 3, 0)).toThrow('corrupt block: values (decimal): integer out of range at sample 2');
  });

  // Guards the section name in errors: a truncated section says it was reading decimal values.
  it('names the decimal values in a truncation error', () => {
    expect(() => readDecimalValues(new BitReader(new Uint8Array(0), 0), new Float64Array(1), 1, 0)).toThrow('truncated while reading values (decimal)');
  });
});
