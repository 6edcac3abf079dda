/**
 * The entropy stage on hand-built streams: the table (first and last symbol in 7 bits each, 4
 * bits of code length per symbol between), the codes, their raw bits, and the errors on corrupt
 * tables and codes. Sizes are counted by hand from the format in huffman.ts.
 */
import { describe, expect, it } from 'vitest';
import { BitReader, BitWriter } from './bits.js';
import { codedValues, readCodedValues } from './coded.js';
import { readCodedSums } from './huffman.js';

/** A reader over the bits with the 4 spare bytes a block's checksum gives. */
function blockReader(build: (w: BitWriter) => void): BitReader {
  const w = new BitWriter();
  build(w);
  const body = w.finish();
  const buf = new Uint8Array(body.length + 4);
  buf.set(body);
  return new BitReader(buf, 0, body.length);
}

/** Table for the given lengths of symbols lo..lo+lengths.length-1. */
function table(w: BitWriter, lo: number, lengths: number[]): void {
  w.write(lo, 7);
  w.write(lo + lengths.length - 1, 7);
  for (const l of lengths) w.write(l, 4);
}

const sums = (r: BitReader, n: number, start = 0) => {
  const out = new Float64Array(n + 1);
  readCodedSums(r, out, 1, n + 1, start, 1);
  return Array.from(out.subarray(1));
};

/** codedValues written and read back; returns the section's bits. */
function valuesRoundTrip(values: number[]): number {
  const s = codedValues(values, values.length, 0);
  const w = new BitWriter();
  s.write(w);
  expect(w.bits).toBe(s.bits);
  const body = w.finish();
  const buf = new Uint8Array(body.length + 4);
  buf.set(body);
  const out = new Float64Array(values.length);
  readCodedValues(new BitReader(buf, 0, body.length), out, values.length, 0);
  expect(Array.from(out)).toEqual(values);
  return s.bits;
}

describe('entropy stage symbols', () => {
  // Guards runs of zeros: 4 zero deltas are one run symbol (57: run 4, 2 raw bits), not 4 zero symbols.
  it('codes a run of zeros as one symbol', () => {
    // first writeUint(zigzag(5) = 10): 10; table: 14 + 4; one code of 1 bit + 2 raw bits.
    expect(valuesRoundTrip([5, 5, 5, 5, 5])).toBe(10 + 18 + 3);
  });

  // Guards the raw bits of runs and residuals (value minus the class's power of two).
  it('round-trips runs and residuals with raw bits', () => {
    valuesRoundTrip([0, 0, 0, 0, 0, 0, 3, 3, -7, 100, 100, 100, 100, 100, 100, 100, 99, 1e6]);
  });
});

describe('entropy stage decoding of corrupt input', () => {
  // Guards the table range check: last symbol before the first.
  it('rejects a table whose last symbol comes before its first', () => {
    const r = blockReader((w) => { w.write(5, 7); w.write(3, 7); });
    expect(() => sums(r, 1)).toThrow('corrupt block: header: code table for symbols 5..3');
  });

  // Guards the table range check: symbol 108 does not exist (hi >= SYMBOLS).
  it('rejects a table past the last symbol', () => {
    const r = blockReader((w) => { w.write(107, 7); w.write(108, 7); w.write(1, 4); w.write(1, 4); });
    expect(() => sums(r, 1)).toThrow('corrupt block: header: code table for symbols 107..108');
  });

  // Guards the length limit: 13 bits is too long, 12 is allowed.
  it('rejects a code longer than 12 bits and reads one of 12', () => {
    expect(() => sums(blockReader((w) => table(w, 0, [13])), 1)).toThrow('corrupt block: header: code longer than 12 bits');
    const r = blockReader((w) => { table(w, 0, [12]); w.write(0, 12); });
    expect(sums(r, 1, 7)).toEqual([7]);
  });

  // Guards the canonical codes of 12 bits (next code per length up to MAX_LEN): lengths 1 and 12 give '0' and '100000000000'.
  it('decodes a 12-bit canonical code next to a 1-bit one', () => {
    // symbol 1 (zigzag 1 = -1): '0'; symbol 2 (zigzag in [2, 4), 1 raw bit): '1' then 11 zeros, raw 0 -> +1.
    const r = blockReader((w) => { table(w, 1, [1, 12]); w.write(0b100000000000, 12); w.write(0, 1); w.write(0, 1); });
    expect(sums(r, 2)).toEqual([1, 0]);
  });

  // Guards the Kraft check: three codes of 1 bit do not fit.
  it('rejects overfull code lengths', () => {
    expect(() => sums(blockReader((w) => table(w, 0, [1, 1, 1])), 1)).toThrow('corrupt block: header: code lengths overfull');
  });

  // Guards the spare-bytes check: without 4 bytes after the bits the decoder refuses to run.
  it('needs 4 bytes after the end of the bits', () => {
    const w = new BitWriter();
    table(w, 0, [1]);
    w.write(0, 6);
    const r = new BitReader(w.finish(), 0);
    expect(() => sums(r, 1)).toThrow('readCodedSums: the buffer needs 4 bytes after the end of the bits');
  });

  // Guards the no-code check: '1' where only '0' is a code.
  it('rejects bits that are no code', () => {
    const r = blockReader((w) => { table(w, 0, [1]); w.write(0b01, 2); w.write(0, 4); });
    expect(() => sums(r, 2)).toThrow('corrupt block: header: no code at sample 2');
  });

  // Guards the end check on codes (pos + len > end, not >=): 18 table bits + 6 codes end exactly at byte 3.
  it('reads codes up to the last bit and rejects a code past it', () => {
    expect(sums(blockReader((w) => { table(w, 0, [1]); w.write(0, 6); }), 6, 4)).toEqual([4, 4, 4, 4, 4, 4]);
    expect(() => sums(blockReader((w) => { table(w, 0, [1]); w.write(0, 6); }), 7)).toThrow('corrupt block: header: no code at sample 7');
  });

  // Guards the end check on raw bits (pos + len + n > end, not >=): table of symbols 3 ('0', 2 raw bits) and 4 ('1', 3 raw bits): 22 bits.
  it('reads raw bits up to the last bit and rejects raw bits past it', () => {
    // '0' 01 -> zigzag 5 = -3; '0' 10 -> 6 = +3; '1' 000 -> 8 = +4: 22 + 10 bits end exactly at byte 4.
    expect(sums(blockReader((w) => { table(w, 3, [1, 1]); w.write(0b001, 3); w.write(0b010, 3); w.write(0b1000, 4); }), 3)).toEqual([-3, 0, 4]);
    // Three symbols 3, then '1' in the last bit: its 3 raw bits are past the end.
    expect(() => sums(blockReader((w) => { table(w, 3, [1, 1]); w.write(0b001, 3); w.write(0b010, 3); w.write(0b001, 3); w.write(1, 1); }), 4)).toThrow('corrupt block: truncated while reading header');
    // '0' 01, '1' 000, then '1' at bit 29: its raw bits 30..32 run one bit past the end.
    expect(() => sums(blockReader((w) => { table(w, 3, [1, 1]); w.write(0b001, 3); w.write(0b1000, 4); w.write(0b100, 3); }), 3)).toThrow('corrupt block: truncated while reading header');
  });

  // Guards the run checks: a run of 1 is not a run; a run of 4 past the end overflows.
  it('rejects runs of one zero and runs past the end', () => {
    // symbol 55: runs in [1, 2), no raw bits: a run of 1.
    expect(() => sums(blockReader((w) => { table(w, 55, [1]); w.write(0, 6); }), 2)).toThrow('corrupt block: header: run of 1 zeros at sample 1 overflows 3');
    // symbol 57: runs in [4, 8), 2 raw bits 00: a run of 4 for 2 samples.
    expect(() => sums(blockReader((w) => { table(w, 57, [1]); w.write(0, 6); }), 2)).toThrow('corrupt block: header: run of 4 zeros at sample 1 overflows 3');
  });

  // Guards symbol 54 (a run class of no length): a corrupt table giving it a code must fail, not loop.
  it('rejects a code for symbol 54, which no residual has', () => {
    expect(() => sums(blockReader((w) => { table(w, 54, [1]); w.write(0, 6); }), 2)).toThrow('corrupt block: header: code for symbol 54, which no residual has');
  });

  // Guards huffman.ts:225 `lo <= RUN_BASE`: the decoder's length scratch is shared by every block, so a
  // rejected table's length for symbol 54 stays in it; a later table above 54 must not be judged by it.
  it('decodes a table above symbol 54 after a table with a code for 54 was rejected', () => {
    expect(() => sums(blockReader((w) => { table(w, 54, [1]); w.write(0, 6); }), 2)).toThrow('code for symbol 54');
    // symbol 56: runs in [2, 4), 1 raw bit; code '0', raw '0': a run of 2 zeros for samples 1 and 2.
    expect(sums(blockReader((w) => { table(w, 56, [1]); w.write(0, 2); }), 2)).toEqual([0, 0]);
  });

  // Guards the range check: 2^53 - 1 plus 1 reaches 2^53.
  it('rejects a running sum that reaches 2^53', () => {
    // symbol 1: zigzag 1 (no raw bits) = -1; symbol 2: zigzag in [2, 4), 1 raw bit: 0 -> 2 -> +1.
    const r = blockReader((w) => { table(w, 2, [1]); w.write(0, 2); w.write(0, 4); });
    expect(() => sums(r, 1, 2 ** 53 - 1)).toThrow('corrupt block: header: integer out of range');
  });
});
