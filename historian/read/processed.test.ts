import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { aggregateNames, computeProcessed } from '../aggregates/index.js';
import { Historian } from '../index.js';
import { Bad, BadNoData, Good, UncertainDataSubNormal } from '../status.js';
import { T0, DAY, tagConfig, tempDir } from '../store/testing.js';
import type { HistValue, Sample } from '../types.js';
import { propertyRuns } from '../testing/property-runs.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/**
 * The reference: the samples the test wrote (read back from nowhere), the bounding sample on
 * each side, through H2's object path computeProcessed (checked against Part 13 Annex A in
 * aggregates/annexA.test.ts). Nothing of the read path under test computes the expectation.
 */
function referenceProcessed(samples: readonly Sample[], stepped: boolean, start: number, end: number, intervalMs: number,
  aggregate: (typeof aggregateNames)[number]): HistValue[] {
  const lo = Math.min(start, end), hi = Math.max(start, end);
  const points: HistValue[] = samples.map((x) => ({ ...x, flags: 0 }));
  const data = points.filter((x) => x.t >= lo && x.t <= hi);
  const before = points.filter((x) => x.t < lo).at(-1);
  if (before) data.unshift(before);
  const after = points.find((x) => x.t > hi);
  if (after) data.push(after);
  return computeProcessed(data, start, end, intervalMs, aggregate, { stepped }, (after ?? data[data.length - 1])?.t);
}

/** The values, or the error's message: both paths must refuse the same queries alike. */
function outcome(fn: () => HistValue[]): { values: HistValue[] } | { error: string } {
  try {
    return { values: fn() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const same = (a: HistValue[], b: HistValue[]) => {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => {
    const y = b[i]!;
    if (!(x.t === y.t && Object.is(x.value, y.value) && x.status === y.status && x.flags === y.flags)) {
      expect.fail(`interval ${i}: got ${JSON.stringify([x.t, String(x.value), x.status, x.flags])}, ` +
        `expected ${JSON.stringify([y.t, String(y.value), y.status, y.flags])}`);
    }
  });
};

describe('processed reads through columns', () => {
  it('equal computeProcessed over the samples written, for every aggregate, on random data with random quality (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.record({
        dt: fc.integer({ min: 0, max: 3000 }),
        v: fc.oneof(fc.integer({ min: -500, max: 500 }).map((k) => k / 10), fc.double({ min: -1e6, max: 1e6, noNaN: true })),
        status: fc.constantFrom(Good, Good, Good, UncertainDataSubNormal, Bad, BadNoData),
      }), { minLength: 0, maxLength: 300 }),
      fc.integer({ min: 2, max: 70 }), fc.boolean(),
      fc.integer({ min: -5000, max: 200_000 }), fc.integer({ min: -200_000, max: 200_000 }), fc.integer({ min: 0, max: 30 }),
      (steps, blockSize, stepped, startOffset, span, intervals) => {
        const intervalMs = intervals === 0 ? 0 : Math.max(1, Math.ceil(Math.abs(span) / intervals));
        const tmp = tempDir();
        const h = Historian.open(tmp.dir, { flushIntervalMs: 0, blockSize, now: () => T0 + 400 * DAY });
        cleanups.push(tmp.remove, () => h.close());
        h.defineTag(tagConfig('P', { stepped }), T0);
        let t = T0;
        const samples = steps.map((s) => ({ t: (t += Math.max(1, s.dt)), value: s.v, status: s.status }));
        h.append('P', samples);
        h.defineTag(tagConfig('Q', { stepped: !stepped }), T0);
        const q = samples.map((x) => ({ ...x, t: x.t + 700, value: -x.value }));
        h.append('Q', q);
        h.flush();
        const start = T0 + startOffset, end = start + span;
        for (const aggregate of aggregateNames) {
          const got = outcome(() => h.readProcessed({ tags: 'P', start, end, intervalMs, aggregate })[0]!.values);
          const want = outcome(() => referenceProcessed(samples, stepped, start, end, intervalMs, aggregate));
          if ('error' in want) expect(got).toEqual(want); // e.g. start = end: both refuse alike
          else if ('error' in got) expect.fail(`${aggregate}: threw ${got.error}`);
          else same(got.values, want.values);
        }
        // Two tags in one query: the second reuses the first's collect buffer.
        if (start !== end) {
          const both = h.readProcessed({ tags: ['P', 'Q'], start, end, intervalMs, aggregate: 'TimeAverage' });
          same(both[0]!.values, referenceProcessed(samples, stepped, start, end, intervalMs, 'TimeAverage'));
          same(both[1]!.values, referenceProcessed(q, !stepped, start, end, intervalMs, 'TimeAverage'));
        }
      }), { numRuns: propertyRuns(100) });
  });
});
