/**
 * Which load's data is in place: an answer overtaken by a newer view is
 * dropped, and `loaded` names the load whose data the chart may draw (the
 * page reports a range change only at the first draw of the newest one).
 * The station is a scripted answer here: what it answers is checked in
 * app/main/trends/history.test.ts and the e2e trends spec.
 */
import { describe, expect, it } from 'vitest';
import { encodeFloats, encodeRuns, encodeTimes } from '../../../shared/history/columns.js';
import { TrendData } from './data.js';
import { heldRule } from './held.js';

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

describe('trend data live samples', () => {
  // The archive's newest point of a level that then held: 15.369 at t0; the next live sample 4.5 min later.
  const t0 = 1_796_530_719_000, t1 = t0 + 268_000;
  const version = { version: 1, validFrom: 0, validTo: null, description: '', unit: 'm', range: null, stepped: false, compression: { kind: 'none' as const } };
  const raw = { n: 1, t: encodeTimes([t0]), value: encodeFloats([15.369]), status: encodeRuns([0]), flags: encodeRuns([0]), complete: true };
  const api = { call: async () => ({ start: t0 - 60_000, end: t1, buckets: 1000, series: [{ tag: 'TK101.Level', kind: 'analog', versions: [version], before: null, after: null, raw }] }) } as unknown as ConstructorParameters<typeof TrendData>[0];
  const rule = heldRule({ samplingIntervalMs: 500, queueSize: 1, perPublish: 1 });

  async function drawn(latestT: number | undefined): Promise<[number, number][]> {
    const latest = latestT === undefined ? undefined : { tag: 'TK101.Level', t: latestT, value: 15.369, status: 0 };
    const data = new TrendData(api, { held: () => rule, latest: () => latest });
    await data.load(['TK101.Level'], t0 - 60_000, t1 + 60_000, 1000);
    data.append([{ tag: 'TK101.Level', t: t1, value: 13.3, status: 0 }]);
    const tr = data.pens.get('TK101.Level')!.trace;
    return Array.from({ length: tr.n - 1 }, (_, i) => [tr.t[i + 1]!, tr.v[i + 1]!]);
  }

  it('a value that held since the archive\'s newest point (the tag\'s live value) stands until one cycle before the next sample', async () => {
    expect(await drawn(t0)).toEqual([[t0, 15.369], [t1 - 500, 15.369], [t1, 13.3]]);
  });

  it('a newest sample after the archived point (not archived yet) is drawn, and the value holds from it', async () => {
    expect(await drawn(t0 + 1000)).toEqual([[t0, 15.369], [t0 + 1000, 15.369], [t1 - 500, 15.369], [t1, 13.3]]);
  });

  it('with no newest sample known, nothing is taken for held', async () => {
    expect(await drawn(undefined)).toEqual([[t0, 15.369], [t1, 13.3]]);
  });
});
