import { describe, expect, it } from 'vitest';
import { makeTags, TagSignal } from './dataset.js';
import { countOf, plantData, samplesOf } from './feed.js';

describe('plant data as column windows', () => {
  it('gives back, window by window, the samples the tags\' signals produce (booleans for discrete tags)', () => {
    const t0 = Date.UTC(2024, 0, 1), seed = 7;
    const data = plantData(40, 600, 60, t0, seed);
    // The signals again, straight from the generator: what the windows must hold.
    const signals = makeTags(40, seed).map((t) => new TagSignal(t, t0, 1000, seed));
    let total = 0, discrete = 0;
    data.windows.forEach((w, k) => {
      const expected = signals.map((s) => s.next(t0 + (k + 1) * 60_000 - 1));
      expect(samplesOf(data, w)).toEqual(expected);
      expected.forEach((samples, i) => {
        expect(countOf(w, i)).toBe(samples.length);
        total += samples.length;
        discrete += samples.filter((s) => typeof s.value === 'boolean').length;
      });
    });
    expect(data.windows).toHaveLength(10);
    expect(data.samples).toBe(total);
    expect(discrete).toBeGreaterThan(0);
  });
});
