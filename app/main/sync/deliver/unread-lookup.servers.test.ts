/**
 * A lookup of what an upstream holds answered by something else (a proxy's sign-in page, 200
 * text/html) in front of a real InfluxDB 1.x: the status says the check could not be made, and why,
 * in the console's language. Found on the Sync page in Russian: the reason read "unreadable answer: ",
 * English in a Russian sentence. Expectations: the ru and zh catalogs' words, and the page the proxy sent.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Translator } from '../../../shared/i18n/index.js';
import { englishStyle, renderText, type SyncTextLike } from '../../../shared/sync-text.js';
import { silentLogger } from '../../log.js';
import { SyncStore } from '../store/sync-store.js';
import { FaultProxy } from '../testing/fault-proxy.js';
import { drained, tempDir, until, upstreamConfig } from '../testing/harness.js';
import { SampleLog } from '../testing/sample-log.js';
import { InfluxServer } from '../testing/servers.js';
import { UpstreamWorker } from './worker.js';

const tmp = tempDir();
const cleanups: (() => unknown)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c(); tmp.remove(); });

const PORTAL = '<html><body>Please sign in</body></html>';
const said = (text: SyncTextLike, lang: 'ru' | 'zh' | 'en') => {
  const t = new Translator(lang);
  return renderText(text, (key, params) => t.t(key as Parameters<Translator['t']>[0], params), englishStyle);
};

describe('InfluxDB 1.6.7 behind a portal that answers the lookups', () => {
  it('says why what it holds could not be checked in Russian and Chinese, the English kept for the log', async () => {
    const influx = await InfluxServer.launch();
    cleanups.push(() => influx.dispose());
    await influx.createDatabase('t');
    const proxy = await FaultProxy.start(influx.url);
    cleanups.push(() => proxy.close());
    proxy.readRule = ({ path }) => (path.startsWith('/query') ? { status: 200, contentType: 'text/html', body: PORTAL } : 'forward');
    const store = SyncStore.open(join(tmp.dir, 'portal.sync.sqlite'));
    const log = new SampleLog(join(tmp.dir, 'portal.samples.sqlite'));
    const stream = log.stream('influxdb1', 'portal');
    const worker = new UpstreamWorker({
      config: upstreamConfig({ url: proxy.url, flavour: 'influxdb1', database: 't', flushIntervalMs: 50, batch: { lines: 200 }, resendWindowSec: 1 }),
      store, streams: [stream], log: silentLogger(), secret: null, probeIntervalMs: 100, checkpointIntervalMs: 200, verifyIntervalMs: 300,
      backoff: { baseMs: 20, capMs: 200, maxRetryAfterMs: 1000 }, onLoss: () => undefined,
    });
    cleanups.push(async () => { await worker.stop(); store.close(); log.close(); });
    worker.start();
    const t0 = Date.now() - 600_000;
    for (let round = 0; round < 3 && worker.status().restartCheck === null; round++) {
      log.append(Array.from({ length: 300 }, (_, i) => ({ tag: `portal.${i % 4}`, kind: 'analog' as const, t: t0 + round * 10_000 + i * 10, value: i / 4, status: 0 })));
      await until('acknowledged', () => drained(store, 'region', [stream]));
    }
    await until('said', () => worker.status().restartCheck !== null, 15_000);
    const check = worker.status().restartCheck!;
    expect(check.text?.key).toBe('sync.check.unverifiable');
    expect(check.message).toBe(`upstream region: what it holds could not be checked (unreadable answer: ${PORTAL}): data it loses without a restart (a database dropped and made again) would go unnoticed; let the station's account read`);
    expect(said(check.text!, 'en')).toBe(check.message);
    expect(said(check.text!, 'ru')).toBe(`сервер region: проверить, что на нём хранится, не удалось (ответ не читается: ${PORTAL}): потерю данных без перезапуска (база данных удалена и создана заново) не заметить; дайте учётной записи станции право чтения`);
    expect(said(check.text!, 'zh')).toBe(`上级服务器 region：未能核对其所存数据（应答无法读取：${PORTAL}）：其未重启而丢失的数据（数据库被删除后重建）将无从察觉；请为本站账户授予读取权限`);
  });
});
