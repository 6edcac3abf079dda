import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bad, Good, UncertainLastUsableValue } from '../status.js';
import type { SampleColumns } from '../types.js';
import { encodeBlockColumns } from './block.js';
import { blockBytesAtLeast } from './bound.js';
import { propertyRuns } from '../testing/property-runs.js';

const T0 = 1_700_000_000_000;

function columns(t: number[], value: number[], status: number[]): SampleColumns {
  const n = t.length;
  return { t: Float64Array.from(t), value: Float64Array.from(value), status: Uint32Array.from(status), flags: new Uint8Array(n), length: n };
}

/** Values shaped as process data is: a walk, white noise around a level, held runs, a ramp, flat, a few levels, float32s, or not decimal at all. */
const shapes = fc.record({
  n: fc.integer({ min: 1, max: 3000 }),
  decimals: fc.integer({ min: 0, max: 6 }),
  step: fc.integer({ min: 0, max: 100_000 }),
  hold: fc.integer({ min: 1, max: 12 }),
  shape: fc.constantFrom('walk', 'white', 'held', 'ramp', 'flat', 'float', 'nan', 'neg0', 'levels', 'f32'),
  jitter: fc.integer({ min: 0, max: 2000 }),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
  badEvery: fc.integer({ min: 0, max: 50 }),
});

interface Shape { n: number; decimals: number; step: number; hold: number; shape: string; jitter: number; seed: number; badEvery: number }

function block({ n, decimals, step, hold, shape, jitter, seed, badEvery }: Shape): SampleColumns {
  let x = seed;
  const random = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const t: number[] = [], value: number[] = [], status: number[] = [];
  let k = Math.round((random() - 0.5) * 1e6), time = T0;
  for (let i = 0; i < n; i++) {
    if (shape === 'walk' && i % hold === 0) k += Math.round((random() - 0.5) * 2 * step);
    if (shape === 'held' && i % hold === 0) k += Math.round(random() * step) + 1;
    if (shape === 'ramp') k += step;
    if (shape === 'levels') k = Math.floor(random() * random() * hold) * step;
    const white = shape === 'white' ? Math.round((random() + random() + random() - 1.5) * step) : 0;
    time += 1000 + Math.round((random() - 0.5) * jitter);
    t.push(time);
    const bad = badEvery > 0 && i % badEvery === badEvery - 1;
    value.push(shape === 'float' ? k / 3 : shape === 'white' ? (k + white) / 10 ** decimals : shape === 'nan' && bad ? NaN : shape === 'neg0' && bad ? -0 : shape === 'f32' ? Math.fround(k / 10 ** decimals) : k / 10 ** decimals);
    status.push(bad ? Bad : i % 97 === 5 ? UncertainLastUsableValue : Good);
  }
  return columns(t, value, status);
}

describe('blockBytesAtLeast', () => {
  it('is never above the encoded size, whatever the data', () => {
    fc.assert(fc.property(shapes, (s) => {
      const c = block(s);
      expect(blockBytesAtLeast(c)).toBeLessThanOrEqual(encodeBlockColumns(c).length);
    }), { numRuns: propertyRuns(300) });
  });

  it('on edge blocks: one sample, two, a flat block, a ramp across mini-blocks', () => {
    const cases = [
      columns([T0], [4.2], [Good]),
      columns([T0, T0 + 1000], [1, -1], [Good, Good]),
      columns(Array.from({ length: 500 }, (_, i) => T0 + i * 1000), new Array<number>(500).fill(37.5), new Array<number>(500).fill(Good)),
      columns(Array.from({ length: 500 }, (_, i) => T0 + i * 1000), Array.from({ length: 500 }, (_, i) => i * 0.25 + (i >= 200 ? i : 0)), new Array<number>(500).fill(Good)),
    ];
    for (const c of cases) expect(blockBytesAtLeast(c)).toBeLessThanOrEqual(encodeBlockColumns(c).length);
  });

  // Where the floor is the size but for the header's slack: deltas +3 and -1 alternating (each its
  // class's raw bits and 1 code bit; every value new, so no table is tried), and XOR's single bit
  // for a repeated value.
  it('on blocks it bounds to within a few bytes', () => {
    const n = 4000;
    const t = Array.from({ length: n }, (_, i) => T0 + i * 1000);
    const good = new Array<number>(n).fill(Good);
    for (const c of [columns(t, t.map((_, i) => i + (i % 2) * 2), good), columns(t, new Array<number>(n).fill(1 / 3), good)]) {
      const bytes = encodeBlockColumns(c).length;
      expect(blockBytesAtLeast(c)).toBeLessThanOrEqual(bytes);
      expect(blockBytesAtLeast(c)).toBeGreaterThan(bytes - 40);
    }
  });

  // What the raw window relies on to skip the encode: on noise the floor is close to the size.
  it('is most of the encoded size on a noisy signal', () => {
    const c = block({ n: 2000, decimals: 3, step: 400, hold: 1, shape: 'walk', jitter: 0, seed: 7, badEvery: 0 });
    const bytes = encodeBlockColumns(c).length;
    expect(blockBytesAtLeast(c)).toBeGreaterThan(0.7 * bytes);
  });
});
