import { describe, expect, it } from 'vitest';
import { BitReader, BitWriter, zigzag } from './bits.js';
import { codedTimestamps, codedValues, heldValues, readCodedTimestamps, readCodedValues, readHeldValues } from './coded.js';
import { reader } from './testing.js';

/** A reader over the bits as in a block: 4 bytes (the checksum's place) after their end. */
function blockReader(w: BitWriter): BitReader {
  const body = w.finish();
  const buf = new Uint8Array(body.length + 4);
  buf.set(body);
  return new BitReader(buf, 0, body.length);
}

/** codedTimestamps written and read back: the literal timestamps, every bit written taken. */
function timestampsRoundTrip(t: number[], q: number): void {
  const s = codedTimestamps(t, t.length, q);
  const w = new BitWriter();
  s.write(w);
  expect(w.bits).toBe(s.bits);
  const r = blockReader(w);
  const out = new Float64Array(t.length);
  readCodedTimestamps(r, out, t.length);
  expect(Array.from(out)).toEqual(t);
  expect(r.pos).toBe(s.bits);
}

describe('coded timestamps section', () => {
  // Guards the n < 2 early return: one timestamp is the first value alone (zigzag 2000: 6 + 11 bits).
  it('reads a single timestamp as the first value alone', () => {
    const r = reader((w) => w.writeUint(zigzag(1000)));
    const out = new Float64Array(1);
    readCodedTimestamps(r, out, 1);
    expect(out[0]).toBe(1000);
  });

  // Guards the n < 3 early return: two timestamps are first, quantum and first delta, no code table.
  it('reads two timestamps from first, quantum and first delta', () => {
    const r = reader((w) => { w.writeUint(zigzag(5000)); w.writeUint(1000); w.writeUint(3); });
    const out = new Float64Array(2);
    readCodedTimestamps(r, out, 2);
    expect(Array.from(out)).toEqual([5000, 8000]);
    expect(r.remaining).toBeLessThan(8);
  });

  // Guards deltas in quanta (divided, not multiplied, by the quantum) and the third timestamp on.
  it('round-trips timestamps on a 1000 ms quantum', () => {
    timestampsRoundTrip([0, 1000, 4000, 5000, 8000, 9000, 9000, 12000], 1000);
    timestampsRoundTrip([10, 20, 30], 10);
  });

  // Guards the quantum check: a quantum of 0 is corrupt.
  it('rejects a time quantum of 0', () => {
    const r = reader((w) => { w.writeUint(0); w.writeUint(0); w.writeUint(1); });
    expect(() => readCodedTimestamps(r, new Float64Array(3), 3)).toThrow('corrupt block: timestamps: time quantum 0');
  });

  // Guards the negative-delta check: 0, 10, 5 codes a delta of -5 quanta.
  it('rejects a negative delta', () => {
    const s = codedTimestamps([0, 10, 5], 3, 1);
    const w = new BitWriter();
    s.write(w);
    expect(() => readCodedTimestamps(blockReader(w), new Float64Array(3), 3)).toThrow('corrupt block: timestamps: negative delta at sample 2');
  });

  // Guards the integer-range check: 0, 2^52, 2^53 + 2 (quantum 2) lands past the safe integers.
  it('rejects timestamps past the safe integer range', () => {
    const s = codedTimestamps([0, 2 ** 52, 2 ** 53 + 2], 3, 2);
    const w = new BitWriter();
    s.write(w);
    expect(() => readCodedTimestamps(blockReader(w), new Float64Array(3), 3)).toThrow('corrupt block: timestamps: outside the integer range');
  });

  // Guards the section name in errors.
  it('names the coded timestamps in a truncation error', () => {
    expect(() => readCodedTimestamps(new BitReader(new Uint8Array(0), 0), new Float64Array(1), 1)).toThrow('truncated while reading timestamps (coded)');
  });
});

describe('coded values section', () => {
  // Guards the n > 1 test: one value is the first integer alone, no code table after it.
  it('reads a single value as the first integer alone', () => {
    const r = reader((w) => w.writeUint(zigzag(-1234)));
    const out = new Float64Array(1);
    readCodedValues(r, out, 1, 2);
    expect(out[0]).toBe(-12.34);
    expect(r.remaining).toBeLessThan(8);
  });

  // Guards the section name in errors.
  it('names the coded values in a truncation error', () => {
    expect(() => readCodedValues(new BitReader(new Uint8Array(0), 0), new Float64Array(1), 1, 0)).toThrow('truncated while reading values (coded)');
  });
});

describe('held values section', () => {
  // Guards the single-run case: m = 1 is runs 1, first value, first length; no code tables written.
  it('writes a flat block as one run in exactly 3 integers', () => {
    const s = heldValues(new Array(1000).fill(2.5), 1000, 1)!;
    // writeUint(1): 6+1, writeUint(zigzag(25) = 50): 6+6, writeUint(1000): 6+10.
    expect(s.bits).toBe(7 + 12 + 16);
    const w = new BitWriter();
    s.write(w);
    const r = new BitReader(w.finish(), 0);
    const out = new Float64Array(1000);
    readHeldValues(r, out, 1000, 1);
    expect(out.every((v) => v === 2.5)).toBe(true);
    expect(r.pos).toBe(35);
  });

  // Guards the cut-off (heldValues: more runs than `n * 0.8` -> null): values with more runs than 0.8 n
  // are not costed as held values at all (a speed choice); at exactly 0.8 n they still are.
  it('is null above 0.8 n runs and a section at exactly 0.8 n', () => {
    expect(heldValues([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 10, 0)).toBeNull(); // 10 runs of 10
    expect(heldValues([0, 0, 1, 2, 3, 4, 5, 6, 7, 8], 10, 0)).toBeNull(); // 9 runs of 10
    const values = [0, 0, 0, 1, 2, 3, 4, 5, 6, 7]; // 8 runs of 10
    const s = heldValues(values, 10, 0);
    expect(s).not.toBeNull();
    const w = new BitWriter();
    s!.write(w);
    const out = new Float64Array(10);
    readHeldValues(blockReader(w), out, 10, 0);
    expect(Array.from(out)).toEqual(values);
  });

  // Guards the m <= n check (m === n allowed): one run of one sample.
  it('reads one run covering one sample', () => {
    const r = reader((w) => { w.writeUint(1); w.writeUint(zigzag(7)); w.writeUint(1); });
    const out = new Float64Array(1);
    readHeldValues(r, out, 1, 0);
    expect(out[0]).toBe(7);
  });

  // Guards the run count check: 0 runs is corrupt.
  it('rejects 0 runs', () => {
    const r = reader((w) => { w.writeUint(0); w.writeUint(0); w.writeUint(1); });
    expect(() => readHeldValues(r, new Float64Array(2), 2, 0)).toThrow('corrupt block: values (held): 0 runs for 2 samples');
  });

  // Guards the run length check: a run of 3 samples in a block of 2 overflows.
  it('rejects a run longer than the block', () => {
    const r = reader((w) => { w.writeUint(1); w.writeUint(0); w.writeUint(3); });
    expect(() => readHeldValues(r, new Float64Array(2), 2, 0)).toThrow('corrupt block: values (held): run 0 of 3 samples overflows 2');
  });

  // Guards the len >= 1 check: a run of 0 samples is corrupt.
  it('rejects a run of 0 samples', () => {
    const r = reader((w) => { w.writeUint(1); w.writeUint(0); w.writeUint(0); });
    expect(() => readHeldValues(r, new Float64Array(2), 2, 0)).toThrow('corrupt block: values (held): run 0 of 0 samples overflows 2');
  });

  // Guards the coverage check: runs covering 1 of 2 samples leave a sample unset.
  it('rejects runs that do not cover the block', () => {
    const r = reader((w) => { w.writeUint(1); w.writeUint(0); w.writeUint(1); });
    expect(() => readHeldValues(r, new Float64Array(2), 2, 0)).toThrow('corrupt block: values (held): runs cover 1 of 2 samples');
  });

  // Guards the section names in errors: the run count, then the run lengths.
  it('names the held values and their run lengths in truncation errors', () => {
    expect(() => readHeldValues(new BitReader(new Uint8Array(0), 0), new Float64Array(1), 1, 0)).toThrow('truncated while reading values (held)');
    const r = reader((w) => { w.writeUint(1); w.writeUint(0); });
    expect(() => readHeldValues(new BitReader(r.buf.subarray(0, 2), 0), new Float64Array(1), 1, 0)).toThrow('truncated while reading values (held run lengths)');
  });
});

describe('sections computed together (each kind reuses its symbols from block to block)', () => {
  /** Pseudo-random integers in [-range, range], the same for the same seed. */
  function noise(n: number, range: number, seed: number): number[] {
    let x = seed;
    return Array.from({ length: n }, () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return (x % (2 * range + 1)) - range;
    });
  }

  /** Each section written after all three were computed reads back its own input. */
  function roundTrip(n: number, seed: number): void {
    const values = noise(n, 5000, seed).map((v) => v / 100);
    const held = values.map((_, i) => values[i - (i % 7)]!); // runs of 7
    const t: number[] = [];
    for (const jitter of noise(n, 40, seed + 1)) t.push((t.at(-1) ?? 1_700_000_000_000) + 1000 + jitter);
    const sections = { values: codedValues(values, n, 2), held: heldValues(held, n, 2)!, times: codedTimestamps(t, n, 1) };
    const written = Object.fromEntries(Object.entries(sections).map(([k, s]) => {
      const w = new BitWriter();
      s.write(w);
      expect(w.bits).toBe(s.bits);
      return [k, w];
    }));
    const out = new Float64Array(n);
    readCodedValues(blockReader(written.values!), out, n, 2);
    expect(Array.from(out)).toEqual(values);
    readHeldValues(blockReader(written.held!), out, n, 2);
    expect(Array.from(out)).toEqual(held);
    readCodedTimestamps(blockReader(written.times!), out, n);
    expect(Array.from(out)).toEqual(t);
  }

  it('write and read back their own input, block after block', () => {
    roundTrip(3000, 1);
    roundTrip(200, 2); // smaller than the columns the first left
    roundTrip(5000, 3); // larger: the columns grow
  });

  it('past the kept size (fresh columns), then a small block again', () => {
    roundTrip(20_000, 4);
    roundTrip(100, 5);
  });
});
