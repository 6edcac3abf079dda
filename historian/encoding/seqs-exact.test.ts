import { describe, expect, it } from 'vitest';
import { decodeSeqs, encodeSeqs } from './seqs.js';
import { bin, fromBits, toBits, uint } from './testing.js';

const frame = (min: number, width: number) => '1' + uint(min) + bin(width, 6);
const decode = (bytes: Uint8Array, n: number) => {
  const out = new Float64Array(n);
  decodeSeqs(bytes, -1, out, n);
  return Array.from(out);
};
const runsOf = (lengths: number[], values: number[]) => lengths.flatMap((l, k) => Array<number>(l).fill(values[k]!));

describe('sequence numbers: exact bits', () => {
  // the first run's delta repeats the second's (not NaN, written as 0): values 5, 8, 6 -> zigzag deltas 6, 6, 3
  it('writes the first delta as the second', () => {
    const seqs = [5, 8, 6];
    const bits = uint(3) + uint(5) + frame(1, 0) + frame(3, 2) + bin(3, 2) + bin(3, 2) + bin(0, 2);
    expect(toBits(encodeSeqs(seqs, 3)!)).toBe(bits.padEnd(Math.ceil(bits.length / 8) * 8, '0'));
    expect(decode(encodeSeqs(seqs, 3)!, 3)).toEqual(seqs);
  });

  // a mini-block's frame covers its own 64 runs only: the 65th run's length must not widen the first frame
  it('frames each mini-block of 64 runs on its own runs', () => {
    const lengths = [...Array<number>(64).fill(1), 2];
    const values = Array.from({ length: 65 }, (_, k) => k);
    const seqs = runsOf(lengths, values);
    const bits = uint(65) + uint(0) + frame(1, 0) + frame(2, 0) + frame(2, 0) + '0';
    expect(toBits(encodeSeqs(seqs, seqs.length)!)).toBe(bits.padEnd(Math.ceil(bits.length / 8) * 8, '0'));
    expect(decode(encodeSeqs(seqs, seqs.length)!, seqs.length)).toEqual(seqs);
  });

  // '0' (previous frame) only when both min and width are the previous frame's
  it('repeats a frame only when min and width both match', () => {
    const lengths = [...Array<number>(64).fill(1), ...Array<number>(64).fill(2), ...Array.from({ length: 64 }, (_, k) => 2 + (k % 2))];
    const values = Array.from({ length: 192 }, (_, k) => k);
    const seqs = runsOf(lengths, values);
    const third = Array.from({ length: 64 }, (_, k) => bin(k % 2, 1)).join('');
    const bits = uint(192) + uint(0) + frame(1, 0) + frame(2, 0) + frame(2, 0) + '0' + frame(2, 1) + third + '0';
    expect(toBits(encodeSeqs(seqs, seqs.length)!)).toBe(bits.padEnd(Math.ceil(bits.length / 8) * 8, '0'));
    expect(decode(encodeSeqs(seqs, seqs.length)!, seqs.length)).toEqual(seqs);
  });

  // exactly 64 runs ending on a byte boundary: the decoder must not read a 65th mini-block
  it('reads exactly ceil(runs / 64) mini-blocks', () => {
    const seqs = Array.from({ length: 64 }, (_, i) => i);
    const bits = uint(64) + uint(0) + frame(1, 0) + frame(2, 0);
    expect(bits.length).toBe(48);
    expect(toBits(encodeSeqs(seqs, 64)!)).toBe(bits);
    expect(decode(encodeSeqs(seqs, 64)!, 64)).toEqual(seqs);
  });

  // width 53 (deltas up to 2^53 - 2) is valid; a sequence number of 2^52 or more is refused at encoding
  // (it used to be accepted and make a block whose delta needed 54 bits, which the decoder rejects)
  it('accepts width 53 and refuses sequence numbers it could not decode', () => {
    const seqs = [0, 2 ** 52 - 1, 2 ** 52 - 2]; // zigzag deltas 2^53 - 2, 2^53 - 2, 1: width 53
    const bits = uint(3) + uint(0) + frame(1, 0) + frame(1, 53) + bin(2 ** 53 - 3, 53) + bin(2 ** 53 - 3, 53) + bin(0, 53);
    expect(toBits(encodeSeqs(seqs, 3)!)).toBe(bits.padEnd(Math.ceil(bits.length / 8) * 8, '0'));
    expect(decode(encodeSeqs(seqs, 3)!, 3)).toEqual(seqs);
    expect(() => encodeSeqs([0, 2 ** 52], 2)).toThrow('encodeSeqs: sample 1: sequence number 4503599627370496 is not an integer >= 0 and < 2^52');
    expect(() => encodeSeqs([2 ** 53 - 1, 0, 5], 3)).toThrow(/sample 0: .* is not an integer >= 0 and < 2\^52/);
  });

  // no samples is a caller error, not a null (uniform) block
  it('refuses no samples', () => {
    expect(() => encodeSeqs([], 0)).toThrow('encodeSeqs: no samples');
  });
});

describe('sequence numbers: corrupt input', () => {
  const bad = (bits: string, n: number) => () => decode(fromBits(bits), n);

  // each check has its own message (a later check would catch some, under another name)
  it('names each fault', () => {
    expect(bad('', 1)).toThrow('corrupt block: truncated while reading sequence numbers');
    expect(bad(uint(0), 3)).toThrow('corrupt block: sequence numbers: 0 runs for 3 samples');
    expect(() => decode(encodeSeqs([1, 2, 3], 3)!, 2)).toThrow('corrupt block: sequence numbers: 3 runs for 2 samples');
    expect(bad(uint(1) + uint(0) + '0' + '1' + frame(0, 0), 1)).toThrow('corrupt block: sequence numbers: a mini-block repeats a missing frame');
    expect(bad(uint(2) + uint(0) + frame(1, 0) + '0', 2)).toThrow('corrupt block: sequence numbers: a mini-block repeats a missing frame');
    expect(bad(uint(1) + uint(0) + frame(0, 0) + frame(0, 0), 1)).toThrow('corrupt block: sequence numbers: run of 0 overflows 1 samples');
    expect(() => decode(encodeSeqs([1, 1, 2], 3)!, 2)).toThrow('corrupt block: sequence numbers: run of 1 overflows 2 samples');
    expect(bad(uint(1) + uint(0) + frame(1, 54) + '0'.repeat(64), 1)).toThrow('corrupt block: sequence numbers: width 54');
  });
});
