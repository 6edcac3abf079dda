/**
 * Which load's data is in place: an answer overtaken by a newer view is
 * dropped, and `loaded` names the load whose data the chart may draw (the
 * page reports a range change only at the first draw of the newest one).
 * The station is a scripted answer here: what it answers is checked in
 * app/main/trends/history.test.ts and the e2e trends spec.
 */
import { describe, expect, it } from 'vitest';
import { TrendData } from './data.js';

function scripted() {
  const waiting: ((v: unknown) => void)[] = [];
  const api = { call: () => new Promise((resolve) => waiting.push(resolve)) } as unknown as ConstructorParameters<typeof TrendData>[0];
  const answer = (i: number) => waiting[i]!({ start: 0, end: 1, buckets: 1, series: [] });
  return { api, answer };
}

describe('trend data loads', () => {
  it('drops an answer overtaken by a newer view; loaded follows the newest load once it is in place', async () => {
    const { api, answer } = scripted();
    const data = new TrendData(api);
    const first = data.load(['A'], 0, 1000, 10);
    const second = data.load(['A'], 0, 2000, 10);
    expect(data.current).toBe(2);
    expect(data.loaded).toBe(0);
    answer(0);
    expect(await first).toBe(false);
    expect(data.loaded).toBe(0); // the first answer came, but the view moved on
    answer(1);
    expect(await second).toBe(true);
    expect(data.loaded).toBe(2);
    expect(data.loaded).toBe(data.current);
  });

  it('an answer that arrives after a newer load started leaves the older data in place', async () => {
    const { api, answer } = scripted();
    const data = new TrendData(api);
    const first = data.load(['A'], 0, 1000, 10);
    answer(0);
    expect(await first).toBe(true);
    expect(data.loaded).toBe(1);
    void data.load(['A'], 0, 2000, 10);
    expect(data.loaded).toBe(1); // still drawing the first while the second is under way
    expect(data.current).toBe(2);
  });
});
