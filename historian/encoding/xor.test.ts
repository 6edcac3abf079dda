import { describe, expect, it } from 'vitest';
import { BitReader, BitWriter } from './bits.js';
import { readXorValues, writeXorValues } from './xor.js';
import { reader } from './testing.js';

/** Writes with writeXorValues, checks the bit count, reads back bit-exactly. */
function roundTrip(values: number[], bits?: number): void {
  const w = new BitWriter();
  writeXorValues(w, Float64Array.from(values), values.length);
  if (bits !== undefined) expect(w.bits).toBe(bits);
  const out = new Float64Array(values.length);
  readXorValues(new BitReader(w.finish(), 0), out, values.length);
  for (let i = 0; i < values.length; i++) expect(Object.is(out[i], values[i]), `value ${i}: ${out[i]} vs ${values[i]}`).toBe(true);
}

describe('xor values section', () => {
  // Guards the hi/lo word indexing when writing and reading: values that differ in both halves.
  it('round-trips values that differ in both 32-bit halves', () => {
    roundTrip([Math.PI, Math.E, 1 / 3, -0, NaN, Infinity, 1e-300, -Math.PI]);
  });

  // Guards the repeat case: an unchanged value costs the single bit '0'.
  it('writes a repeated value as one bit', () => {
    roundTrip([Math.PI, Math.PI], 64 + 1);
  });

  // Guards leading zeros when only the low word differs: 1 and the next double, xor = 1: lz 31 (capped), tz 0, 33 bits.
  it('counts leading zeros across the low word', () => {
    roundTrip([1, 1 + 2 ** -52], 64 + 2 + 5 + 6 + 33);
  });

  // Guards trailing zeros when only the high word differs: 1 ^ 2 = 0x7ff00000:00000000: lz 1, tz 52, 11 bits.
  it('counts trailing zeros across the high word', () => {
    roundTrip([1, 2], 64 + 2 + 5 + 6 + 11);
  });

  // Guards window reuse (lead >= 0, lz >= lead, tz >= trail): 1, -1, 1 flip the sign bit twice: lz 0, tz 63, 1 bit.
  it('reuses the previous window, also at zero leading zeros', () => {
    roundTrip([1, -1, 1], 64 + (2 + 5 + 6 + 1) + (2 + 1));
  });

  // Guards the shift by exactly 32 trailing zeros when reading: 0 then the double with bits 0x00000001:00000000.
  it('round-trips a difference with exactly 32 trailing zeros', () => {
    roundTrip([0, 2 ** -1042, 0], 64 + (2 + 5 + 6 + 1) + (2 + 1));
  });

  // Guards the window check: 31 leading zeros and 64 meaningful bits would leave -31 trailing.
  it('rejects a window wider than the word', () => {
    const r = reader((w) => { w.write(0, 32); w.write(0, 32); w.write(0b11, 2); w.write(31, 5); w.write(63, 6); });
    expect(() => readXorValues(r, new Float64Array(2), 2)).toThrow('corrupt block: values (xor): window of 64 bits after 31 leading zeros at sample 1');
  });

  // Guards the first-window check: '10' (reuse) before any window was sent is corrupt.
  it('rejects a window reused before one was set', () => {
    const r = reader((w) => { w.write(0, 32); w.write(0, 32); w.write(0b10, 2); w.write(0, 16); });
    expect(() => readXorValues(r, new Float64Array(2), 2)).toThrow('corrupt block: values (xor): window reused before one was set at sample 1');
  });

  // Guards the section name in errors.
  it('names the xor values in a truncation error', () => {
    expect(() => readXorValues(new BitReader(new Uint8Array(2), 0), new Float64Array(1), 1)).toThrow('truncated while reading values (xor)');
  });
});
