/** The alarm bench's parts on a small load: the figures' shape and the baseline's count, not the times. */
import { describe, expect, it } from 'vitest';
import { benchBatches, measureEngine } from './engine.js';
import { percentile } from './latency.js';

describe('bench alarms', () => {
  it('evaluates every sample in both loops and reports rates and their ratio', () => {
    const p = { tags: 200, batches: 120, runs: 1 };
    const batches = benchBatches(p);
    const f = measureEngine(p, batches);
    const beyond = batches.flat().filter((s) => (s.value as number) >= 85 || (s.value as number) <= 15).length;
    expect(f).toMatchObject({ samples: 24_000, baselineBeyondLimit: beyond });
    expect(f.transitions).toBeGreaterThan(0);
    expect(f.ratio).toBeCloseTo(f.engineEvaluationsPerSecond / f.baselineEvaluationsPerSecond, 9);
  });

  it('percentiles by the nearest-rank method', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(xs, 50), percentile(xs, 99), percentile(xs, 100), percentile([7], 99)]).toEqual([50, 99, 100, 7]);
  });
});
