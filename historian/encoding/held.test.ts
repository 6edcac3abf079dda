/**
 * Held values (block v4, value encoding 3): runs of equal values, as an analyzer that repeats
 * its reading for a few samples writes them. Round trips are bit-exact (fast-check), the
 * encoder picks them only where they are the shorter, and damaged runs fail as corrupt.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadSensorFailure, Good } from '../status.js';
import type { ArchivedSample } from '../types.js';
import { ValueEncoding, encodeBlock } from './block.js';
import { expectDamageFailsAsCorrupt, expectDecodesTo } from './testing.js';
import { propertyRuns } from '../testing/property-runs.js';

const T0 = Date.UTC(2026, 0, 1);

/** Runs of equal values: 5 to 7 significant digits, held 1 to 8 samples; timestamps regular or irregular. */
const heldBlock = fc.record({
  decimals: fc.integer({ min: 0, max: 9 }),
  runs: fc.array(fc.tuple(fc.integer({ min: -2e9, max: 2e9 }), fc.integer({ min: 1, max: 8 })), { minLength: 1, maxLength: 120 }),
  regular: fc.boolean(),
  steps: fc.array(fc.integer({ min: 0, max: 200_000 }), { minLength: 1000, maxLength: 1000 }),
  bad: fc.integer({ min: -1, max: 50 }),
}).map(({ decimals, runs, regular, steps, bad }) => {
  const points: ArchivedSample[] = [];
  let t = T0;
  for (const [k, len] of runs) {
    for (let i = 0; i < len; i++) {
      points.push({ t, value: k / 10 ** decimals, status: points.length === bad ? BadSensorFailure : Good, flags: 0 });
      t += regular ? 180_000 : steps[points.length % steps.length]!;
    }
  }
  return points;
});


describe('held values (block v4)', () => {
  it('round-trip bit-exact, and never longer than v3 (property)', () => {
    fc.assert(fc.property(heldBlock, (points) => {
      const v4 = encodeBlock(points, 4);
      expectDecodesTo(points, v4);
      expect(v4.length).toBeLessThanOrEqual(encodeBlock(points, 3).length);
    }), { numRuns: propertyRuns(400) });
  });

  it('round-trip the edge values too (NaN, ±Infinity, -0, huge and tiny, many decimals) held in runs', () => {
    const edges = [NaN, Infinity, -Infinity, -0, 0, 1e300, -1e300, 5e-324, 2 ** 53, 0.1 + 0.2, 123.456789012, 1e-9, -2.5];
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom(...edges), fc.integer({ min: 1, max: 6 })), { minLength: 1, maxLength: 40 }), (runs) => {
      const points: ArchivedSample[] = [];
      for (const [v, len] of runs) for (let i = 0; i < len; i++) points.push({ t: T0 + points.length * 1000 + (points.length % 3), value: v, status: Good, flags: 0 });
      expectDecodesTo(points, encodeBlock(points));
    }), { numRuns: propertyRuns(300) });
  });

  it('an analyzer holding 5 samples is coded as held values, in fewer bytes than v3', () => {
    let seed = 3;
    const random = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
    let v = 0;
    const points: ArchivedSample[] = Array.from({ length: 2000 }, (_, i) => {
      if (i % 5 === 0) v = Math.round((90.6454 + (random() - 0.5) * 0.5) * 1e4) / 1e4;
      return { t: T0 + i * 180_000, value: v, status: Good, flags: 0 };
    });
    const v4 = encodeBlock(points, 4), v3 = encodeBlock(points, 3);
    expect(v4[1]).toBe(ValueEncoding.Held);
    expect(v4.length).toBeLessThan(v3.length * 0.9);
    expectDecodesTo(points, v4);
  });

  it('damaged held sections (checksum made to match) fail with a corrupt-block error, never another error', () => {
    const points: ArchivedSample[] = Array.from({ length: 300 }, (_, i) => ({ t: T0 + i * 1000, value: Math.floor(i / 4) / 100, status: Good, flags: 0 }));
    const good = encodeBlock(points);
    expect(good[1]).toBe(ValueEncoding.Held);
    expectDamageFailsAsCorrupt(good);
  });
});
