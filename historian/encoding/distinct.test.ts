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
import { crcRewritten, expectDecodesTo, handWrittenBlock } from './testing.js';
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
    for (let at = 3; at < good.length - 4; at++) {
      for (const mask of [0x01, 0x10, 0x80]) {
        const bad = good.slice();
        bad[at]! ^= mask;
        crcRewritten(bad);
        let decoded: ReturnType<typeof decodeBlock> | null = null;
        try {
          decoded = decodeBlock(bad);
        } catch (err) {
          expect(String(err)).toMatch(/corrupt block/);
        }
        if (decoded) expect(decoded.length).toBeLessThanOrEqual(2 ** 20);
      }
    }
  });
});
