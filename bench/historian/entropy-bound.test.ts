/**
 * The information bound (entropy-bound.ts) is a lower bound: the rounded-Gaussian entropy matches
 * a histogram of a million draws, and no tag of the real-shaped sets is coded by the historian's
 * own lossless block codec in fewer bits than the bound says it carries.
 */
import { describe, expect, it } from 'vitest';
import { encodeBlock } from '../../historian/encoding/block.js';
import { rng } from './dataset.js';
import { boundBits, roundedGaussBits } from './entropy-bound.js';
import { realSets } from './real-shaped.js';

describe('the information bound of real-shaped data', () => {
  it('rounded Gaussian entropy: a histogram of draws, at a step\'s fraction up to many steps', () => {
    const random = rng(11);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    for (const sigma of [0.3, 0.8, 2, 6, 40]) {
      // Per offset of the mean within a step (the bound's average over them), a histogram of draws.
      const OFFSETS = 16, N = 100_000;
      let h = 0;
      for (let j = 0; j < OFFSETS; j++) {
        const counts = new Map<number, number>();
        for (let i = 0; i < N; i++) {
          const k = Math.round(j / OFFSETS + sigma * gauss());
          counts.set(k, (counts.get(k) ?? 0) + 1);
        }
        for (const c of counts.values()) h -= (c / N) * Math.log2(c / N) / OFFSETS;
      }
      expect(Math.abs(roundedGaussBits(sigma) - h), `sigma ${sigma}`).toBeLessThan(0.01);
    }
  });

  it('no tag is coded below its bound by the lossless block codec', () => {
    for (const set of realSets(3, Date.UTC(2024, 0, 1), 0.05)) {
      for (const tag of set.tags) {
        const bytes = encodeBlock(tag.samples.map((s) => ({ ...s, flags: 0 }))).length;
        expect(bytes * 8, tag.name).toBeGreaterThanOrEqual(boundBits(tag) * tag.samples.length);
      }
    }
  });
});
