/**
 * Distinct values (block v5, value encoding 4): a signal that takes a few values, as a coarse
 * converter's pressure or a pulse-counting flow meter writes them. Round trips are bit-exact
 * (fast-check), v5 is never longer than v4, the encoder picks the table where it is the
 * shorter, and damaged tables and ranks fail as corrupt.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadSensorFailure, Good } from '../status.js';
import type { ArchivedSample } from '../types.js';
import { unzigzag, zigzag } from './bits.js';
import { ValueEncoding, decodeBlock, encodeBlock } from './block.js';
import { Symbols, codeLengths, writeCoded } from './huffman.js';
import { distinctBitsAtLeast } from './distinct.js';
import { crcRewritten, cutShortErrors, expectDamageFailsAsCorrupt, expectDecodesTo, handWrittenBlock } from './testing.js';
import { propertyRuns } from '../testing/property-runs.js';

const T0 = Date.UTC(2026, 0, 1);

/** Values drawn from a few levels (a lattice offset + k x step, or any integers), with a skew; timestamps regular or not. */
const fewLevels = fc.record({
  decimals: fc.integer({ min: 0, max: 9 }),
  levels: fc.array(fc.integer({ min: -2e9, max: 2e9 }), { minLength: 1, maxLength: 300 }),
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 1500 }),
  skew: fc.integer({ min: 1, max: 4 }),
  regular: fc.boolean(),
  bad: fc.integer({ min: -1, max: 50 }),
}).map(({ decimals, levels, picks, skew, regular, bad }) => picks.map((p, i): ArchivedSample => {
  // p^skew concentrates the picks on the first levels, as a transmitter sits near one reading.
  const level = levels[Math.floor(((p % 1000) / 1000) ** skew * levels.length)]!;
  return { t: T0 + i * 1000 + (regular ? 0 : (p % 7) * 100), value: level / 10 ** decimals, status: i === bad ? BadSensorFailure : Good, flags: 0 };
}));


/** A v5 distinct-values block written by hand from the format (samples a second apart from 0): table entries and ranks as given. */
function handBlock(t: number[], entries: number[], ranks: number[], m = entries.length): Uint8Array {
  return handWrittenBlock(5, ValueEncoding.Distinct, 0, t.length, (w) => {
    w.writeUint(m);
    entries.forEach((k, j) => w.writeUint(zigzag(j === 0 ? k : k - entries[j - 1]!)));
    const s = new Symbols().fill(ranks.map(unzigzag), 0, t.length);
    writeCoded(w, s, codeLengths(s.counts));
  });
}

describe('distinct values (block v5)', () => {
  it('round-trip bit-exact, and never longer than v4 but for one timestamp bit (property)', () => {
    fc.assert(fc.property(fewLevels, (points) => {
      const v5 = encodeBlock(points);
      expectDecodesTo(points, v5);
      // + 1: v5's coded timestamps carry one bit more (their form), which may take a byte.
      expect(v5.length).toBeLessThanOrEqual(encodeBlock(points, 4).length + 1);
    }), { numRuns: propertyRuns(400) });
  });

  it('round-trip the edge values (NaN, ±Infinity, -0, huge and tiny) among few levels', () => {
    const edges = [NaN, Infinity, -Infinity, -0, 0, 1e300, 5e-324, 2 ** 53, 0.1 + 0.2, 123.456789012, 1e-9, -2.5, 7];
    fc.assert(fc.property(fc.array(fc.constantFrom(...edges), { minLength: 1, maxLength: 600 }), (values) => {
      const points = values.map((value, i): ArchivedSample => ({ t: T0 + i * 1000, value, status: Good, flags: 0 }));
      expectDecodesTo(points, encodeBlock(points));
    }), { numRuns: propertyRuns(300) });
  });

  // SKAB's pump bench (waico/SKAB): the pressure sits on a converter's steps of 0.327927.
  it('a transmitter on a coarse converter is coded as a table, in under half the bytes of v4', () => {
    let seed = 11;
    const random = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
    const points: ArchivedSample[] = Array.from({ length: 1100 }, (_, i) => {
      const step = Math.round((random() + random() + random() - 1.5) * 2); // -3..3, mostly 0 and ±1
      return { t: T0 + i * 1000, value: Math.round((0.054711 + step * 0.327927) * 1e6) / 1e6, status: Good, flags: 0 };
    });
    const v5 = encodeBlock(points), v4 = encodeBlock(points, 4);
    expect(v5[1]).toBe(ValueEncoding.Distinct);
    expect(v5.length).toBeLessThan(v4.length * 0.5);
    expectDecodesTo(points, v5);
  });

  it('a noisy signal is not coded as a table (too many values to try)', () => {
    const points: ArchivedSample[] = Array.from({ length: 1000 }, (_, i) => ({ t: T0 + i * 1000, value: Math.round(Math.sin(i) * 1e6) / 1e4, status: Good, flags: 0 }));
    expect(encodeBlock(points)[1]).not.toBe(ValueEncoding.Distinct);
  });

  it('reads a block written by hand from the format: values most frequent first, ranks through the entropy stage', () => {
    const t = [0, 1000, 2000, 3000, 4000, 5000];
    // Table [5, 7, -3]: rank 0 is 5, rank 1 is 7, rank 2 is -3.
    const c = decodeBlock(handBlock(t, [5, 7, -3], [0, 1, 0, 0, 2, 1]));
    expect(Array.from(c.value)).toEqual([5, 7, 5, 5, -3, 7]);
    expect(Array.from(c.t)).toEqual(t);
  });

  // Guards the count table's probing: 200 values in 1,024 slots collide, and each must keep its own count.
  it('a block of 200 values, most of them rare, is coded as a table and read back exactly', () => {
    const random = ((seed) => () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32))(21);
    const levels = Array.from({ length: 200 }, () => Math.floor(random() * 1e9)); // random keys: an even progression would hash without a collision
    const points = Array.from({ length: 4000 }, (_, i): ArchivedSample => ({ t: T0 + i * 1000, value: levels[i < 200 ? i : Math.floor(random() ** 6 * 200)]! / 100, status: Good, flags: 0 }));
    const block = encodeBlock(points);
    expect(block[1]).toBe(ValueEncoding.Distinct);
    expectDecodesTo(points, block);
  });

  // Guards the ranking: the most frequent value is rank 0 (its repeats a run of zeros) wherever it
  // first appears, so a rare first value costs what a rare last one does.
  it('ranks by count, not by first appearance', () => {
    // 8 most of the time, every tenth sample 3, 4 or 5; a 1 once, first or last.
    const pattern = Array.from({ length: 999 }, (_, i) => (i % 10 === 0 ? 3 + ((i / 10) % 3) : 8));
    pattern[998] = 5;
    const at = (values: number[]) => values.map((v, i): ArchivedSample => ({ t: T0 + i * 1000, value: v, status: Good, flags: 0 }));
    const rareFirst = at([1, ...pattern]), rareLast = at([...pattern, 1]);
    const a = encodeBlock(rareFirst), b = encodeBlock(rareLast);
    expect(a[1]).toBe(ValueEncoding.Distinct);
    expect(a.length).toBe(b.length);
  });

  // The floor from counts, by hand from the format: m = 2 (6 + 2 bits), the table 5 (zigzag 10: 6 + 4)
  // and +2 (zigzag 4: 6 + 3), one sample of rank 1 (bitLength 1): 28 bits.
  it('weighs a table from its counts: the count, the entries, each rank\'s raw bits', () => {
    expect(distinctBitsAtLeast([...new Array<number>(15).fill(5), 7], 16, 0)).toBe(28);
    expect(distinctBitsAtLeast([...new Array<number>(22).fill(5), 9, 7], 24, 0)).toBe(8 + 10 + 9 + 9 + 1 + 2); // 7 before 9: ties by value
    // Ties by value whatever came first: 6 then 40 (+1: 8 bits, +34: 13), not 40 then 6 (13 and 13).
    expect(distinctBitsAtLeast([...new Array<number>(22).fill(5), 40, 6], 24, 0)).toBe(8 + 10 + 8 + 13 + 1 + 2);
    expect(distinctBitsAtLeast(Array.from({ length: 16 }, (_, i) => i), 16, 0)).toBe(-1); // 16 values: past n/8
  });

  it('reads a table as long as the block (the format allows it)', () => {
    expect(Array.from(decodeBlock(handBlock([0, 1000], [5, 7], [1, 0])).value)).toEqual([7, 5]);
  });

  it('a table entry of 2^53 or more is corrupt, named', () => {
    const table = (diffs: number[]) => handWrittenBlock(5, ValueEncoding.Distinct, 0, 3, (w) => {
      w.writeUint(3);
      for (const d of diffs) w.writeUint(zigzag(d));
      const s = new Symbols().fill([0, 0, 0], 0, 3);
      writeCoded(w, s, codeLengths(s.counts));
    });
    expect(() => decodeBlock(table([2 ** 52 - 1, 2 ** 52 - 1, 2]))).toThrow('corrupt block: values (distinct): integer out of range'); // exactly 2^53
    expect(() => decodeBlock(table([2 ** 52 - 1, 2 ** 52 - 1, 2 ** 52 - 1]))).toThrow('corrupt block: values (distinct): integer out of range');
    expect(Array.from(decodeBlock(table([2 ** 52 - 1, 2 ** 52 - 1, 1])).value)).toEqual([2 ** 52 - 1, 2 ** 52 - 1, 2 ** 52 - 1]); // 2^53 - 1: rank 0 is the first
  });

  it('a table cut short names the table; ranks cut short name the ranks', () => {
    const block = handWrittenBlock(5, ValueEncoding.Distinct, 0, 4, (w) => {
      w.writeUint(2);
      w.writeUint(zigzag(123456789));
      w.writeUint(zigzag(987654321));
      const s = new Symbols().fill([0, -1, 0, 0], 0, 4);
      writeCoded(w, s, codeLengths(s.counts));
    });
    expect(cutShortErrors(block).some((e) => e.includes('truncated while reading values (distinct)'))).toBe(true);
    const ranks = handWrittenBlock(5, ValueEncoding.Distinct, 0, 40, (w) => {
      w.writeUint(2);
      w.writeUint(zigzag(5));
      w.writeUint(zigzag(2));
      const s = new Symbols().fill([0, -1], 0, 2); // 2 ranks coded, 40 samples
      writeCoded(w, s, codeLengths(s.counts));
    });
    expect(() => decodeBlock(ranks)).toThrow(/values \(distinct ranks\)/);
  });

  it('a rank past the table, an empty table or one longer than the block is corrupt, named', () => {
    const t = [0, 1000, 2000, 3000];
    expect(() => decodeBlock(handBlock(t, [5, 7], [0, 1, 2, 0]))).toThrow('corrupt block: values (distinct): rank 2 at sample 2, only 2 values');
    expect(() => decodeBlock(handBlock(t, [], [0, 0, 0, 0], 0))).toThrow('corrupt block: values (distinct): 0 values for 4 samples');
    expect(() => decodeBlock(handBlock(t, [1, 2, 3, 4, 5], [0, 1, 2, 3], 5))).toThrow('corrupt block: values (distinct): 5 values for 4 samples');
  });

  it('a v5 encoding in a v4 block is refused', () => {
    const bad = handBlock([0, 1000], [5, 7], [0, 1]);
    bad[0] = 4;
    crcRewritten(bad);
    expect(() => decodeBlock(bad)).toThrow('corrupt block: unknown value encoding 4');
  });

  it('damaged distinct sections (checksum made to match) fail with a corrupt-block error, never another error', () => {
    const points: ArchivedSample[] = Array.from({ length: 300 }, (_, i) => ({ t: T0 + i * 1000, value: [32, 32.9962, 32.004][i % 3]! + (i % 11 === 0 ? 1 : 0), status: Good, flags: 0 }));
    const good = encodeBlock(points);
    expect(good[1]).toBe(ValueEncoding.Distinct);
    expectDamageFailsAsCorrupt(good);
  });
});
