/**
 * A compressed tag at a steady value archives one point and then holds the rest within its
 * deviation: the writer's newest sample, not archived, tells how long the value held (PI's
 * snapshot). Processed and at-time reads after the last archived point use it, so two hours of a
 * steady level are not BadNoData after the first interval; beyond it the data ends as before.
 * Expected values by hand: every sample is 5 (or true), so every average is 5.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { HistorianReader } from './client.js';
import { Good, UncertainLastUsableValue, codeOf, severity } from '../status.js';
import { T0, tagConfig, tempDir } from '../store/testing.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const HOUR = 3_600_000;
/** Two hours of a steady value at 1 s, flushed as the station does (background flushes). */
function steady(compression: 'deadband' | 'swinging-door') {
  const tmp = tempDir();
  let now = T0;
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => now });
  cleanups.push(tmp.remove, () => h.close());
  h.defineTag(tagConfig('L', { compression: { kind: compression, deviation: 0.5 } }), T0);
  h.defineTag(tagConfig('D', {}, 'discrete'), T0);
  for (let i = 0; i < 7200; i++) {
    h.append('L', [{ t: T0 + i * 1000, value: 5, status: Good }]);
    h.append('D', [{ t: T0 + i * 1000, value: true, status: Good }]);
    now = T0 + i * 1000 + 500;
    if (i % 10 === 9) h.flush(false);
  }
  return { h, dir: tmp.dir };
}

describe('after the last archived point of a steady tag', () => {
  it.each(['deadband', 'swinging-door'] as const)('%s: the time average of every half hour the value held, the last one partial', (compression) => {
    const { h } = steady(compression);
    expect(h.readRaw({ tags: 'L', start: T0, end: T0 + 2 * HOUR, pageSize: 100 }).rows).toHaveLength(1); // one point archived
    const values = h.readProcessed({ tags: 'L', start: T0, end: T0 + 2 * HOUR, intervalMs: HOUR / 2, aggregate: 'TimeAverage' })[0]!.values;
    expect(values.map((v) => v.value)).toEqual([5, 5, 5, 5]);
    // The data ends a second before the last interval does (the newest sample at 1:59:59).
    expect(values.map((v) => severity(v.status))).toEqual(['good', 'good', 'good', 'uncertain']);
    // After the newest sample: nothing known.
    const later = h.readProcessed({ tags: 'L', start: T0 + 2 * HOUR, end: T0 + 3 * HOUR, intervalMs: HOUR, aggregate: 'TimeAverage' })[0]!.values;
    expect(severity(later[0]!.status)).toBe('bad');
  });

  it('at a time: the held value, good; after the newest sample, the last usable value', () => {
    const { h } = steady('deadband');
    const [l, d] = h.readAtTime({ tags: ['L', 'D'], times: [T0 + HOUR, T0 + 3 * HOUR] });
    expect(l!.values.map((v) => [v.value, codeOf(v.status)])).toEqual([[5, Good], [5, UncertainLastUsableValue]]);
    expect(d!.values.map((v) => [v.value, codeOf(v.status)])).toEqual([[true, Good], [true, UncertainLastUsableValue]]);
  });

  it('the reader worker (the trends\' reads) reads the same from the state the writer saved', async () => {
    const { dir } = steady('deadband');
    const own = new HistorianReader(dir);
    cleanups.push(() => own.close());
    const values = (await own.processed({ tags: 'L', start: T0, end: T0 + 2 * HOUR, intervalMs: HOUR / 2, aggregate: 'TimeAverage' }))[0]!.values;
    expect(values.map((v) => v.value)).toEqual([5, 5, 5, 5]);
  });
});
