import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { baselineBytes, decimals } from './zlib-baseline.js';

describe('zlib baseline of issue 12', () => {
  it('finds the fewest decimals that keep every value', () => {
    expect(decimals([1, 2, 3])).toBe(0);
    expect(decimals([0.25, 90.6454])).toBe(4);
    expect(decimals([Math.PI])).toBe(-1);
  });

  it('is 8 header bytes plus the deflated zigzag varints of one block, values as they are or as deltas, whichever is smaller', () => {
    const samples = [
      { t: 1000, value: 1.5, status: 0 }, { t: 2000, value: 2.5, status: 0 }, { t: 3000, value: -1, status: 0 },
    ];
    // timestamps: 1000, then deltas 1000, then delta-of-delta 0; values x10: 15, 25, -10 (or deltas 15, 10, -35), zigzag LEB128 by hand
    const time = [0xd0, 0x0f, 0xd0, 0x0f, 0x00];
    const asIs = Uint8Array.from([...time, 30, 50, 19]);
    const asDeltas = Uint8Array.from([...time, 30, 20, 69]);
    const expected = {
      valuesAsIs: 8 + deflateSync(asIs, { level: 9 }).length,
      valuesAsDeltas: 8 + deflateSync(asDeltas, { level: 9 }).length,
    };
    const got = baselineBytes(samples);
    expect(got).toEqual({ ...expected, bytes: Math.min(expected.valuesAsIs, expected.valuesAsDeltas) });
  });

});
