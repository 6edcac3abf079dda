import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSeqs, encodeSeqs } from './seqs.js';

const roundTrip = (seqs: number[]) => {
  const bytes = encodeSeqs(seqs, seqs.length);
  const out = new Float64Array(seqs.length);
  decodeSeqs(bytes, seqs[0]!, out, seqs.length);
  return { bytes, out: Array.from(out) };
};

describe('write sequence numbers of a block', () => {
  it('round-trips any numbers, in any order, and stores nothing when all are equal', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 2 ** 40 })), { minLength: 1, maxLength: 700 }),
      (seqs) => { expect(roundTrip(seqs).out).toEqual(seqs); }));
    expect(roundTrip([7, 7, 7]).bytes).toBeNull();
  });

  it('costs a few bytes for a live tag (one sample per flush) and for flushes of a window each', () => {
    const live = Array.from({ length: 512 }, (_, i) => 1000 + i);
    const windows = Array.from({ length: 512 }, (_, i) => 1000 + Math.floor(i / 60));
    expect(roundTrip(live).bytes!.length).toBeLessThanOrEqual(16);
    expect(roundTrip(windows).bytes!.length).toBeLessThanOrEqual(32);
  });

  it('rejects runs that do not cover the block', () => {
    const bytes = encodeSeqs([1, 2, 3], 3)!;
    expect(() => decodeSeqs(bytes, 1, new Float64Array(4), 4)).toThrow(/corrupt block: sequence numbers/);
    expect(() => decodeSeqs(bytes, 1, new Float64Array(2), 2)).toThrow(/corrupt block: sequence numbers/);
    expect(() => encodeSeqs([1, -1], 2)).toThrow(/not an integer >= 0/);
  });
});
