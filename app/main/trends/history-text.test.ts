/**
 * history.processed of a text tag through the dispatcher against a real archive: the aggregates that
 * return a state (Interpolative, Start, End) come back as text in `processed.text`, and the values
 * before and after the range carry theirs in `text`, as an API client reads them after JSON.
 * Expected states are the ones archived below, written by hand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../../../historian/index.js';
import { Good } from '../../../historian/status.js';
import { tagConfig, tempDir } from '../../../historian/store/testing.js';
import { Dispatcher } from '../api/dispatcher.js';
import { internalConnection } from '../api/connection.js';
import { silentLogger } from '../log.js';
import { decodeFloats, decodeRuns } from '../../shared/history/columns.js';
import { decodeSeries } from '../../shared/history/decode.js';
import { HistoryService } from './history.js';
import type { Result } from '../../shared/api.js';

const T0 = Date.UTC(2025, 0, 6);
const MIN = 60_000;
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Mode: IDLE before the range, RUNNING at its start, STOPPED from 30 min, DONE after it. */
function archive(): Historian {
  const tmp = tempDir('vigil-trends-text-');
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0 });
  cleanups.push(tmp.remove, () => h.close());
  h.defineTag(tagConfig('Mode', { stepped: true }, 'text'), T0 - 10 * MIN);
  h.append('Mode', [
    { t: T0 - 5 * MIN, value: 'IDLE', status: Good },
    { t: T0, value: 'RUNNING', status: Good },
    { t: T0 + 30 * MIN, value: 'STOPPED', status: Good },
    { t: T0 + 90 * MIN, value: 'DONE', status: Good },
  ]);
  h.flush();
  return h;
}

async function processed(h: Historian, aggregate: string): Promise<Result<'history.processed'>['series'][number]> {
  const d = new Dispatcher(silentLogger());
  const history = new HistoryService(h);
  d.register('trends', { 'history.processed': (p) => history.processed(p) });
  const res = await d.dispatch('history.processed', { tags: ['Mode'], start: T0, end: T0 + 60 * MIN, intervalMs: 15 * MIN, aggregate }, internalConnection());
  const json = JSON.parse(JSON.stringify(res)) as { ok: true; result: Result<'history.processed'> }; // as it crosses WebSocket
  expect(json.ok).toBe(true);
  return json.result.series[0]!;
}

describe('history.processed of a text tag', () => {
  it('Interpolative: each interval\'s state as text, Good; value NaN as before; the states before and after the range', async () => {
    const s = await processed(archive(), 'Interpolative');
    const p = s.processed!;
    expect(p.text).toEqual(['RUNNING', 'RUNNING', 'STOPPED', 'STOPPED']);
    expect(Array.from(decodeRuns(p.status, p.n)).map((st) => st >>> 16)).toEqual([0, 0, 0, 0]); // Good (InfoType bits aside)
    expect(Array.from(decodeFloats(p.value, p.n)).every(Number.isNaN)).toBe(true);
    expect(s.before).toMatchObject({ t: T0 - 5 * MIN, value: null, text: 'IDLE' });
    expect(s.after).toMatchObject({ t: T0 + 90 * MIN, value: null, text: 'DONE' });
    // The shared decoder an API client (and the console) uses keeps them.
    expect(decodeSeries(s).processed?.text).toEqual(['RUNNING', 'RUNNING', 'STOPPED', 'STOPPED']);
  });

  it('End: the last state archived in each interval; \'\' and Bad where an interval holds none (Part 13 BadNoData)', async () => {
    const s = await processed(archive(), 'End');
    const p = s.processed!;
    expect(p.text).toEqual(['RUNNING', '', 'STOPPED', '']);
    expect(Array.from(decodeRuns(p.status, p.n)).map((st) => st >>> 30)).toEqual([0, 2, 0, 2]); // Good, Bad, Good, Bad
  });
});
