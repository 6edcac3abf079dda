import { describe, expect, it } from 'vitest';
import { BitReader, BitWriter } from './bits.js';
import { readRuns, readRunsV3, writeRuns } from './runs.js';
import { bin, fromBits, toBits, uint } from './testing.js';

const decode = (bits: string, n: number, v3 = false) => {
  const r = new BitReader(fromBits(bits), 0);
  const status = new Uint32Array(n);
  const flags = new Uint8Array(n);
  if (v3) readRunsV3(r, status, flags, n);
  else readRuns(r, status, flags, n);
  return { status: Array.from(status), flags: Array.from(flags) };
};

describe('status runs: exact bits and corrupt input', () => {
  // status 1 in the first run must be written out ('1' + 32 bits), not taken as the missing previous status;
  // a second run with the same status costs one bit, not 33
  it('writes the first status always and repeats one bit', () => {
    const w = new BitWriter();
    writeRuns(w, [1, 1, 1], [0, 0, 4], 3);
    const expected = uint(2) + uint(2) + '1' + bin(1, 32) + bin(0, 8) + uint(1) + '0' + bin(4, 8);
    const nbits = w.bits;
    expect(toBits(w.finish(), nbits)).toBe(expected);
    expect(decode(expected, 3)).toEqual({ status: [1, 1, 1], flags: [0, 0, 4] });
  });

  // the run count is checked before anything is read (its own message)
  it('rejects more runs than samples and zero runs', () => {
    expect(() => decode(uint(2) + uint(1) + '1' + bin(0, 32) + bin(0, 8) + uint(1) + '0' + bin(0, 8), 1))
      .toThrow('corrupt block: status runs: 2 runs for 1 samples');
    expect(() => decode(uint(0), 3)).toThrow('corrupt block: status runs: 0 runs for 3 samples');
  });

  // an empty block has zero runs, which is fine
  it('accepts zero runs for zero samples', () => {
    expect(decode(uint(0), 0)).toEqual({ status: [], flags: [] });
  });

  // a run of length 0 or past the block is corrupt
  it('rejects a zero-length or overflowing run', () => {
    expect(() => decode(uint(1) + uint(0) + '1' + bin(0, 32) + bin(0, 8), 2))
      .toThrow('corrupt block: status runs: run 0 of length 0 overflows 2 samples');
    expect(() => decode(uint(1) + uint(3) + '1' + bin(0, 32) + bin(0, 8), 2))
      .toThrow('corrupt block: status runs: run 0 of length 3 overflows 2 samples');
  });

  // the first run cannot repeat a previous status: there is none
  it('rejects a first run that repeats a missing status', () => {
    expect(() => decode(uint(1) + uint(2) + '0' + bin(0, 8), 2))
      .toThrow('corrupt block: status runs: first run repeats a missing status');
  });

  // runs that cover fewer samples than the block leave samples undefined
  it('rejects runs that do not cover the block', () => {
    expect(() => decode(uint(1) + uint(2) + '1' + bin(0, 32) + bin(0, 8), 3))
      .toThrow('corrupt block: status runs cover 2 of 3 samples');
  });

  // the v3 leading bit is read under the section's name
  it('names the section when its first bit is missing', () => {
    const r = new BitReader(new Uint8Array(0), 0);
    expect(() => readRunsV3(r, new Uint32Array(1), new Uint8Array(1), 1)).toThrow('corrupt block: truncated while reading status runs');
  });
});
