/**
 * Decimal-sourced values cost what their digits cost, whatever the resolution up to 9 decimals
 * (the scaled-integer encoding); only values that need more fall back to the IEEE 754 XOR
 * encoding. Checked by size, not by header bytes, so a change of block layout keeps the test.
 */
import { describe, expect, it } from 'vitest';
import { Good } from '../status.js';
import type { ArchivedSample } from '../types.js';
import { decodeBlock, encodeBlock } from './index.js';

const T0 = Date.UTC(2026, 0, 1);
const N = 4096;

/** A noisy random walk of integers around 1.23e8 (steps of -50..50), deterministic. */
function integerWalk(): number[] {
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  let k = 123_456_789;
  return Array.from({ length: N }, () => (k += Math.floor(random() * 101) - 50));
}

/** The walk as values with d decimals: k / 10^d, the double nearest to the decimal number. */
const block = (ks: number[], d: number): ArchivedSample[] =>
  ks.map((k, i) => ({ t: T0 + i * 1000, value: k / 10 ** d, status: Good, flags: 0 }));

describe('decimal resolution', () => {
  const ks = integerWalk();

  it('a 4096-point block of 9-decimal values stays under 2 bytes a sample (as IEEE 754 bits it costs about 5)', () => {
    const points = block(ks, 9);
    expect(points[0]!.value).toBe(0.123456822); // the data really has 9 decimals
    const bytes = encodeBlock(points);
    expect(bytes.length).toBeLessThan(2 * N);
    expect([...decodeBlock(bytes).value]).toEqual(points.map((p) => p.value));
  });

  it('the same digits cost the same at every resolution from 0 to 9 decimals', () => {
    const integers = encodeBlock(block(ks, 0)).length;
    const sizes = Array.from({ length: 10 }, (_, d) => encodeBlock(block(ks, d)).length);
    // Only the scale in the header differs: the integers and their deltas are the same.
    expect(sizes).toEqual(sizes.map(() => integers));
  });

  it('values that need 10 decimals are stored losslessly (they may cost more)', () => {
    const points = block(ks, 10);
    expect([...decodeBlock(encodeBlock(points)).value]).toEqual(points.map((p) => p.value));
  });
});
