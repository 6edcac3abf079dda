/**
 * history.* through the dispatcher against a real archive, answered by the
 * historian's reader worker; expectations from the historian's own
 * synchronous reads on this thread (a separate path), after a trip through
 * JSON and structured clone, as the two transports carry them.
 */
import { truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Historian, HistorianReader } from '../../../historian/index.js';
import { BadSensorFailure, codeOf, Good, isGood } from '../../../historian/status.js';
import { tagConfig, tempDir } from '../../../historian/store/testing.js';
import { Dispatcher } from '../api/dispatcher.js';
import { internalConnection } from '../api/connection.js';
import { silentLogger } from '../log.js';
import { decodeSeries } from '../../shared/history/decode.js';
import { HistoryService, unavailableSpans } from './history.js';
import type { Result } from '../../shared/api.js';

const T0 = Date.UTC(2025, 0, 6);
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let shared: Historian;
beforeAll(() => {
  shared = archive();
  const own = cleanups.splice(0);
  afterAll(async () => {
    for (const c of own.reverse()) await c();
  });
});

/** A: 1 s analog for 2 h with a 10-minute BadSensorFailure span; D: discrete steps; U: a unit change at 1 h. */
function archive(): Historian {
  const tmp = tempDir('vigil-trends-');
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0 });
  cleanups.push(tmp.remove, () => h.close());
  h.defineTag(tagConfig('A', { unit: 'm', range: { low: 0, high: 20 } }), T0 - 1000);
  h.defineTag(tagConfig('D', { stepped: true }, 'discrete'), T0 - 1000);
  h.defineTag(tagConfig('U', { unit: 'bar' }), T0 - 1000);
  h.defineTag(tagConfig('U', { unit: 'kPa' }), T0 + 3_600_000);
  const a = [];
  for (let i = 0; i < 7200; i++) {
    const t = T0 + i * 1000;
    const bad = i >= 1800 && i < 2400;
    a.push({ t, value: bad ? NaN : Math.round((10 + 5 * Math.sin(i / 300)) * 1000) / 1000, status: bad ? BadSensorFailure : Good });
  }
  h.append('A', a);
  h.append('D', Array.from({ length: 12 }, (_, i) => ({ t: T0 + i * 600_000, value: i % 2 === 0, status: Good })));
  h.append('U', Array.from({ length: 120 }, (_, i) => ({ t: T0 + i * 60_000, value: i, status: Good })));
  h.flush();
  return h;
}

function dispatcher(h: Historian): (method: string, params: unknown) => Promise<unknown> {
  const d = new Dispatcher(silentLogger());
  const history = new HistoryService(h);
  d.register('trends', {
    'history.plot': (p) => history.plot(p),
    'history.raw': (p) => history.raw(p),
    'history.processed': (p) => history.processed(p),
  });
  const conn = internalConnection();
  return async (method, params) => {
    const res = await d.dispatch(method, params, conn);
    // What crosses WebSocket (JSON) and Electron IPC (structured clone).
    const json = JSON.parse(JSON.stringify(res)) as typeof res;
    expect(structuredClone(res)).toEqual(res);
    return json;
  };
}

describe('history API', () => {
  it('plot: the historian\'s buckets, columns intact through JSON, with statuses and the versions over the range', async () => {
    const h = shared;
    const call = dispatcher(h);
    const res = (await call('history.plot', { tags: ['A', 'U'], start: T0, end: T0 + 7_200_000, buckets: 240 })) as { ok: true; result: Result<'history.plot'> };
    expect(res.ok).toBe(true);
    const [a, u] = res.result.series.map(decodeSeries);
    // Pixel columns by default: blocks within half a bucket of an edge are not cut (plot-snap.test.ts).
    const [ref] = h.readPlot({ tags: 'A', start: T0, end: T0 + 7_200_000, buckets: 240, snapMs: 15_000 });
    expect(a!.plot).toBeDefined();
    for (const k of ['min', 'max', 'first', 'last', 'firstT', 'lastT', 'count'] as const) expect(Array.from(a!.plot![k])).toEqual(Array.from(ref![k]));
    expect(Array.from(a!.plot!.status)).toEqual(Array.from(ref!.status));
    // Asked for, every edge to the ms.
    const exact = (await call('history.plot', { tags: ['A'], start: T0, end: T0 + 7_200_000, buckets: 240, exactEdges: true })) as { ok: true; result: Result<'history.plot'> };
    const [refExact] = h.readPlot({ tags: 'A', start: T0, end: T0 + 7_200_000, buckets: 240 });
    expect(Array.from(decodeSeries(exact.result.series[0]!).plot!.count)).toEqual(Array.from(refExact!.count));
    // Buckets 60..79 hold the bad span (30 s each: 1800 s .. 2400 s).
    expect(a!.plot!.status[65]! >>> 30).toBe(2);
    expect(a!.versions.map((v) => v.unit)).toEqual(['m']);
    expect(u!.versions.map((v) => [v.unit, v.validFrom])).toEqual([['bar', T0 - 1000], ['kPa', T0 + 3_600_000]]);
    expect(a!.before).toBeNull();
    expect(a!.after).toBeNull();
  });

  it('plot: a tag with few values in the range comes back raw, with the values around it', async () => {
    const h = shared;
    const call = dispatcher(h);
    const start = T0 + 100_000, end = T0 + 160_000;
    const res = (await call('history.plot', { tags: ['A', 'D'], start, end, buckets: 600, rawBelow: 1200 })) as { ok: true; result: Result<'history.plot'> };
    const [a, d] = res.result.series.map(decodeSeries);
    // The historian's raw read: the values in [start, end), and the newest one before start (read newest first).
    const inside = h.readRaw({ tags: 'A', start, end: end - 1 }).rows;
    const before = h.readRaw({ tags: 'A', start: start - 1, end: 0, pageSize: 1 }).rows[0]!;
    expect(a!.raw?.complete).toBe(true);
    expect(Array.from(a!.raw!.t)).toEqual(inside.map((r) => r.t));
    expect(Array.from(a!.raw!.value)).toEqual(inside.map((r) => r.value));
    expect(a!.before).toEqual({ t: before.t, value: before.value, status: before.status });
    expect(a!.after!.t).toBe(end);
    // D has nothing inside: raw and empty, with the step before it.
    expect(d!.raw!.n).toBe(0);
    expect(d!.before).toMatchObject({ t: T0, value: 1 });
  });

  it('plot: a bucket that ends bad before empty ones says so, so the console does not bridge it', async () => {
    const tmp = tempDir('vigil-trends-');
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0 });
    cleanups.push(tmp.remove, () => h.close());
    h.defineTag(tagConfig('S'), T0 - 1);
    // Good then bad within bucket 0; nothing until bucket 5 (a good value again).
    h.append('S', [
      { t: T0 + 10, value: 1, status: Good },
      { t: T0 + 20, value: NaN, status: BadSensorFailure },
      { t: T0 + 550, value: 2, status: Good },
    ]);
    h.flush();
    const call = dispatcher(h);
    const res = (await call('history.plot', { tags: ['S'], start: T0, end: T0 + 1000, buckets: 10 })) as { ok: true; result: Result<'history.plot'> };
    const s = decodeSeries(res.result.series[0]!);
    expect(s.plot!.status[0]! >>> 30).toBe(1); // some good, some not
    expect(codeOf(s.plot!.endStatus[0]!)).toBe(BadSensorFailure);
    expect(isGood(s.plot!.endStatus[5]!)).toBe(true);
  });

  it('plot and raw shared out among reader workers: the same answers, in the tags\' order, as one reader gives', async () => {
    const h = shared;
    // One more reader: tags 0 and 2 on the historian's, tag 1 on the other.
    const extra = [new HistorianReader(h.dir)];
    cleanups.push(() => Promise.all(extra.map((r) => r.close())).then(() => undefined));
    const one = new HistoryService(h);
    const two = new HistoryService(h, () => extra);
    const tags = ['U', 'A', 'D'];
    const plot = { tags, start: T0, end: T0 + 7_200_000, buckets: 120, rawBelow: 50 };
    const raw = { tags, start: T0 + 1_000_000, end: T0 + 3_000_000, limit: 500 };
    expect(await two.plot(plot)).toEqual(await one.plot(plot));
    expect(await two.raw(raw)).toEqual(await one.raw(raw));
    const answer = await two.plot(plot);
    expect(answer.series.map((s) => s.tag)).toEqual(tags);
    // D has 12 values in the range (at most 50): raw; A and U have more: plot buckets.
    expect(answer.series.map((s) => ('raw' in s && s.raw ? 'raw' : 'plot'))).toEqual(['plot', 'plot', 'raw']);
  });

  it('raw and processed: the historian\'s values; an unknown tag is a bad request, not a failure', async () => {
    const h = shared;
    const call = dispatcher(h);
    const raw = (await call('history.raw', { tags: ['D'], start: T0, end: T0 + 7_200_000, limit: 5 })) as { ok: true; result: Result<'history.raw'> };
    const d = decodeSeries(raw.result.series[0]!);
    expect(d.raw!.complete).toBe(false);
    expect(Array.from(d.raw!.value)).toEqual([1, 0, 1, 0, 1]);
    const proc = (await call('history.processed', { tags: ['A'], start: T0, end: T0 + 3_600_000, intervalMs: 600_000, aggregate: 'Average' })) as {
      ok: true;
      result: Result<'history.processed'>;
    };
    const p = decodeSeries(proc.result.series[0]!);
    const [ref] = h.readProcessed({ tags: 'A', start: T0, end: T0 + 3_600_000, intervalMs: 600_000, aggregate: 'Average' });
    expect(Array.from(p.processed!.value)).toEqual(ref!.values.map((v) => v.value));
    expect(Array.from(p.processed!.status)).toEqual(ref!.values.map((v) => v.status));
    const bad = (await call('history.plot', { tags: ['A', 'Nope'], start: T0, end: T0 + 1000, buckets: 10 })) as { ok: false; error: { code: string; i18n: unknown } };
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request', i18n: { key: 'history.error.unknownTag', params: { tag: 'Nope' } } } });
    const backwards = (await call('history.raw', { tags: ['A'], start: T0 + 10, end: T0 })) as { ok: false; error: { code: string } };
    expect(backwards.error.code).toBe('bad_request');
  });

  it('a volume whose file cannot be read: every answer over it names its span as unavailable; the others none', async () => {
    // Three days of 1-minute values in daily volumes; the middle day's file is truncated.
    const tmp = tempDir('vigil-trends-damaged-');
    cleanups.push(tmp.remove);
    const day = Date.UTC(2025, 0, 1), DAY = 86_400_000;
    const first = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, volumePeriod: 'day' });
    first.defineTag(tagConfig('A', { unit: 'm' }), day - 1);
    first.append('A', Array.from({ length: 3 * 1440 }, (_, i) => ({ t: day + i * 60_000, value: i % 100, status: Good })));
    await first.close();
    truncateSync(join(tmp.dir, 'volumes', 'day-2025-01-02.sqlite'), 2048);
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, volumePeriod: 'day' });
    cleanups.push(() => h.close());
    const call = dispatcher(h);
    const middle: [number, number] = [day + DAY, day + 2 * DAY];
    const plot = (await call('history.plot', { tags: ['A'], start: day, end: day + 3 * DAY, buckets: 300 })) as { ok: true; result: Result<'history.plot'> };
    expect(plot.result.series[0]!.unavailable).toEqual([middle]);
    // Clipped to the range asked for.
    const part = (await call('history.plot', { tags: ['A'], start: day + 1.5 * DAY, end: day + 3 * DAY, buckets: 300 })) as { ok: true; result: Result<'history.plot'> };
    expect(part.result.series[0]!.unavailable).toEqual([[day + 1.5 * DAY, day + 2 * DAY]]);
    // Raw (zoomed in) and processed answers too.
    const raw = (await call('history.raw', { tags: ['A'], start: day + DAY - 600_000, end: day + DAY + 600_000 })) as { ok: true; result: Result<'history.raw'> };
    expect(raw.result.series[0]!.unavailable).toEqual([[day + DAY, day + DAY + 600_000]]);
    expect(decodeSeries(raw.result.series[0]!).raw!.n).toBe(10); // the ten minutes before the day
    const proc = (await call('history.processed', { tags: ['A'], start: day, end: day + 3 * DAY, intervalMs: DAY, aggregate: 'Average' })) as {
      ok: true;
      result: Result<'history.processed'>;
    };
    expect(proc.result.series[0]!.unavailable).toEqual([middle]);
    // A range the damaged file does not hold: nothing unavailable, and the field is left out.
    const clear = (await call('history.plot', { tags: ['A'], start: day + 2 * DAY, end: day + 3 * DAY, buckets: 100 })) as { ok: true; result: Result<'history.plot'> };
    expect('unavailable' in clear.result.series[0]!).toBe(false);
  });
});

describe('unavailableSpans', () => {
  const problem = (start: number, end: number) => ({ volume: 'v', path: 'p', reason: 'r', message: 'm', start, end });

  it('clips each volume to the range, leaves out those outside it, sorts, and joins touching ones', () => {
    expect(unavailableSpans([problem(300, 400), problem(0, 100), problem(100, 200), problem(500, 600), problem(-50, 10)], 50, 350)).toEqual([[50, 200], [300, 350]]);
    // A volume ending where the range starts, or starting where it ends, holds none of it.
    expect(unavailableSpans([problem(0, 50), problem(350, 400)], 50, 350)).toEqual([]);
  });
});
