/**
 * InfluxDB 1.x answers lines older than its retention policy with 400 "partial write: points beyond
 * retention policy dropped=N". That answer was the quarantine's reason, the quarantine alarm's and
 * an engineer's re-send's as it stood: English JSON on a Russian or Chinese Sync page (found by an
 * exploratory run of the page in ru and zh). It is said in the console's language now, the count
 * with it and InfluxDB's own words after; the English reason (the log, the CLI, the export) keeps InfluxDB's own words.
 * Against InfluxDB 1.6.7; expectations: the test's own samples and InfluxDB's answer.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { drained, until, upstreamConfig } from '../testing/harness.js';
import type { LoggedSample } from '../testing/sample-log.js';
import { useWorkerRigs } from '../testing/worker-rig.js';
import { InfluxServer } from '../testing/servers.js';
import { renderText, type SyncText } from '../../../shared/sync-text.js';
import { Translator } from '../../../shared/i18n/index.js';

const rig = useWorkerRigs();
let influx: InfluxServer | null = null;
afterAll(async () => { await influx?.dispose(); });

const say = (locale: 'en' | 'ru' | 'zh', said: SyncText) =>
  renderText(said, (k, p) => new Translator(locale).t(k, p), { dateTime: (ms) => new Date(ms).toISOString(), list: (x) => x.join(', ') });

describe('InfluxDB 1.6.7 dropping lines beyond its retention policy', () => {
  it('the quarantine says why in the console\'s language, with how many it dropped', async () => {
    influx = await InfluxServer.launch();
    await influx.query('CREATE DATABASE r WITH DURATION 1h');
    const r = rig('beyond', { config: upstreamConfig({ url: influx.url, flavour: 'influxdb1', database: 'r', batch: { lines: 100 } }), backoff: { baseMs: 10, capMs: 100, maxRetryAfterMs: 2000 } });
    const t0 = Date.now() - 3 * 3_600_000;
    r.log.append(Array.from({ length: 100 }, (_, i): LoggedSample => ({ tag: `old.${i % 4}`, kind: 'analog', t: t0 + i * 10, value: i, status: 0 })));
    r.worker.start();
    await until('sent', () => drained(r.store, 'region', [r.stream]), 15_000);
    const q = r.store.quarantine({ limit: 1000 });
    expect(q.length).toBe(100);
    expect(new Set(q.map((x) => x.reason))).toEqual(new Set(['HTTP 400: {"error":"partial write: points beyond retention policy dropped=100"}']));
    const said = q[0]!.said!;
    const answer = 'partial write: points beyond retention policy dropped=100';
    expect(said).toMatchObject({ key: 'sync.fault.beyondRetention', params: { status: '400', dropped: 100, answer } });
    expect(say('en', said)).toBe(`HTTP 400: the upstream dropped 100 lines of the request as older than its retention policy (${answer})`);
    expect(say('ru', said)).toBe(`HTTP 400: сервер отбросил 100 строк запроса как более старые, чем срок хранения на сервере (${answer})`);
    expect(say('zh', said)).toBe(`HTTP 400：上级服务器以早于其保留策略为由丢弃了请求中的 100行（${answer}）`);
  }, 30_000);
});
