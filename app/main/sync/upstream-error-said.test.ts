/**
 * An upstream's error in the console's language: the sync against local upstreams that never
 * answer, answer as a captive portal, answer 503, or refuse the connection; its last error and the
 * backlog alarm citing it, as the Sync page and the alarm's detail render them
 * (app/renderer/lib/sync-text.ts), with the timeout's duration in the locale's words. The English
 * stays as the log and the CLI say it. Found by an exploratory run: "Передача отстаёт: … (последняя
 * ошибка: no answer within 5000 ms)". Expected sentences are written out here.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Formats, Translator, type Locale } from '../../shared/i18n/index.js';
import { saidText, syncText, technicalDetail } from '../../renderer/lib/sync-text.js';
import type { Lang } from '../../renderer/lib/value-view.js';
import { silentLogger } from '../log.js';
import { syncConfigSchema } from '../../shared/config/sync.js';
import { UpstreamWorker } from './deliver/worker.js';
import { SyncService } from './service.js';
import { alarmOf, type UpstreamStatus } from './status.js';
import { SyncStore } from './store/sync-store.js';
import { tempDir, until, upstreamConfig } from './testing/harness.js';
import { SampleLog } from './testing/sample-log.js';
import { freePort } from './testing/servers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const NBSP = '\u00a0';
const ZH_503 = 'HTTP 503：上级服务器或其前方的代理不可用或过载：将重新发送；请检查上级服务器是否在运行';

function lang(locale: Locale): Lang {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale) };
}

/** A local upstream answering every request with `answer` (never, when null). */
async function upstream(answer: ((res: ServerResponse, req: IncomingMessage) => void) | null): Promise<string> {
  const server: Server = createServer((req, res) => { req.resume(); if (answer) req.on('end', () => answer(res, req)); });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => { server.closeAllConnections(); server.close(r); }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A local HTTPS upstream with a self-signed certificate (openssl, as an administrator makes one), answering 204. */
async function tlsUpstream(): Promise<string> {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const [key, cert] = [join(tmp.dir, 'key.pem'), join(tmp.dir, 'cert.pem')];
  // Without the OPENSSL_CONF node-opcua-pki may leave in this process (certificate-test-ca.ts).
  const { OPENSSL_CONF: _, ...env } = process.env;
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=127.0.0.1',
    '-days', '1', '-keyout', key, '-out', cert], { env, stdio: 'ignore' });
  const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => { req.resume(); req.on('end', () => res.writeHead(204).end()); });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => { server.closeAllConnections(); server.close(r); }));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The sync of a few samples to `url` until an error (`which`: the first one that matches); that error. */
async function firstError(url: string, which: RegExp = /./): Promise<NonNullable<UpstreamStatus['lastError']>> {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const store = SyncStore.open(join(tmp.dir, 'sync.sqlite'));
  cleanups.push(() => store.close());
  const log = new SampleLog(join(tmp.dir, 'samples.sqlite'));
  cleanups.push(() => log.close());
  log.append([0, 1, 2].map((i) => ({ tag: `T${i}`, kind: 'analog' as const, t: Date.now(), value: i, status: 0 })));
  const worker = new UpstreamWorker({
    config: upstreamConfig({ url, flavour: 'influxdb1', timeoutMs: 1000, flushIntervalMs: 50 }),
    store, streams: [log.stream('influxdb1')], log: silentLogger(), secret: null, onLoss: () => undefined,
    backoff: { baseMs: 50, capMs: 100, maxRetryAfterMs: 100 }, probeIntervalMs: 3_600_000,
  });
  cleanups.push(() => worker.stop());
  worker.start();
  await until(`an error matching ${which}`, () => which.test(worker.status().lastError?.message ?? ''));
  return worker.status().lastError!;
}

/** The backlog alarm citing `error`, as the Sync page and the alarm's detail say it. */
function alarmWith(error: NonNullable<UpstreamStatus['lastError']>) {
  const now = error.at + 1000;
  return alarmOf({
    id: 'region', url: 'http://x', flavour: 'influxdb1', state: 'retrying', connected: false, lastSuccessAt: null, lastAttemptAt: now,
    lastError: error, paused: null, sentLines: 0, resentLines: 0, restarts: 0, restartCheck: null,
    backlog: { records: 3, oldestWrittenAt: now - 20 * 60_000, streams: [] }, quarantined: 0, replaysPending: 0,
  }, 15 * 60_000, now)!;
}

describe("an upstream's error in the console language", () => {
  it('no answer within the timeout: its duration in the locale\'s words, in the last error and in the backlog alarm', async () => {
    const e = await firstError(await upstream(null));
    expect(e.message).toBe('no answer within 1000 ms');
    expect(saidText(e, lang('ru'))).toBe(`нет ответа за 1${NBSP}с`);
    expect(saidText(e, lang('zh'))).toBe(`1秒内无应答`);
    expect(saidText(e, lang('en'))).toBe(`no answer within 1${NBSP}s`);
    const a = alarmWith(e);
    // The log's English, as before.
    expect(a.message).toBe('3 records wait, the oldest for 20 min (last error: no answer within 1000 ms)');
    expect(syncText(a.said!, lang('ru'))).toBe(`ждут 3 записи, старейшая 20 мин (последняя ошибка: нет ответа за 1${NBSP}с)`);
    expect(syncText(a.said!, lang('zh'))).toBe(`3条待发送，最早的已等待 20分钟（最近错误：1秒内无应答）`);
  });

  it('a captive portal answering 200 text/html: said in Russian and Chinese, its page as it is', async () => {
    // Its restart probe is answered so too: the write's error comes after.
    const e = await firstError(await upstream((res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>Please sign in</html>')), /^HTTP 200/);
    expect(e.message).toBe("HTTP 200 (text/html) is not the upstream's answer to a write: a proxy or portal in the way? <html>Please sign in</html>");
    expect(saidText(e, lang('ru'))).toBe('HTTP 200 (text/html) — не ответ сервера на запись: мешает прокси или портал входа? <html>Please sign in</html>');
    expect(saidText(e, lang('zh'))).toBe('HTTP 200（text/html）不是上级服务器对写入的应答：中间有代理或登录门户？<html>Please sign in</html>');
  });

  it('a restart probe answered by a portal: said in Russian', async () => {
    // The writes are taken (the portal lets them through): the probe's is the last error.
    const portal = (res: ServerResponse, req: IncomingMessage) => (req.method === 'GET' ? res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>Please sign in</html>') : res.writeHead(204).end());
    const e = await firstError(await upstream(portal), /^restart probe/);
    expect(e.message).toBe("restart probe /debug/vars: unreadable answer (HTTP 200, text/html): not the upstream's; a proxy or portal in the way? <html>Please sign in</html>");
    expect(saidText(e, lang('ru'))).toBe('проверка перезапуска /debug/vars: ответ не читается (HTTP 200, text/html) — это не ответ сервера; мешает прокси или портал входа? <html>Please sign in</html>');
  });

  it('an upstream whose TLS certificate is self-signed: said in Russian and Chinese, not as Node\'s English', async () => {
    const e = await firstError(await tlsUpstream());
    expect(e.message).toMatch(/^DEPTH_ZERO_SELF_SIGNED_CERT: self[- ]signed certificate/);
    expect(saidText(e, lang('ru'))).toBe('TLS-сертификат сервера не является доверенным (самоподписанный или выдан неизвестным станции центром): укажите его ЦС в конфигурации синхронизации (tls.caFile)');
    expect(saidText(e, lang('zh'))).toBe('上级服务器的 TLS 证书不受信任（自签名，或由本站不认识的机构签发）：请在同步配置中给出其 CA（tls.caFile）');
    expect(technicalDetail(e, lang('ru'))).toContain(e.message);
  });

  it('an upstream refusing the credentials: its pause alarm said in Russian and Chinese, its English answer the technical detail', async () => {
    const e = await firstError(await upstream((res) => res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"authorization failed"}')));
    expect(e.message).toBe('HTTP 401: {"error":"authorization failed"}');
    const a = alarmOf({
      id: 'region', url: 'http://x', flavour: 'influxdb1', state: 'paused', connected: false, lastSuccessAt: null, lastAttemptAt: e.at,
      lastError: e, paused: { reason: e.message, since: e.at }, sentLines: 0, resentLines: 0, restarts: 0, restartCheck: null,
      backlog: { records: 3, oldestWrittenAt: e.at, streams: [] }, quarantined: 0, replaysPending: 0,
    }, 15 * 60_000, e.at + 1000)!;
    expect(a).toMatchObject({ kind: 'paused', message: e.message });
    expect(syncText(a.said!, lang('ru'))).toBe('HTTP 401: сервер отклонил учётные данные или права станции: проверьте пользователя и пароль (или токен) в конфигурации синхронизации и право записи в эту базу');
    expect(syncText(a.said!, lang('zh'))).toBe('HTTP 401：上级服务器拒绝了本站的凭据或权限：请检查同步配置中的用户名和密码（或令牌），以及其是否有权写入该数据库');
  });

  it('a 2xx with a body and no content type: "no content type" in the locale\'s words', async () => {
    const e = await firstError(await upstream((res) => { res.removeHeader('Content-Type'); res.writeHead(200).end('ok'); }), /^HTTP 200/);
    expect(e.message).toBe("HTTP 200 (no content type) is not the upstream's answer to a write: a proxy or portal in the way? ok");
    expect(saidText(e, lang('ru'))).toBe('HTTP 200 (тип содержимого не указан) — не ответ сервера на запись: мешает прокси или портал входа? ok');
  });

  it('after a station restart, the last error kept from the run before is said in the console language too', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const url = await upstream((res) => res.writeHead(503).end('overloaded'));
    const log = new SampleLog(join(tmp.dir, 'samples.sqlite'));
    cleanups.push(() => log.close());
    log.append([{ tag: 'T0', kind: 'analog', t: Date.now(), value: 1, status: 0 }]);
    const start = (to: string) => SyncService.start({
      config: syncConfigSchema.parse({ upstreams: [{ id: 'region', url: to, flavour: 'influxdb1', database: 't', timeoutMs: 60_000, flushIntervalMs: 50 }] }),
      dataDir: tmp.dir, log: silentLogger(), statusIntervalMs: 50, probeIntervalMs: 3_600_000, streams: () => [log.stream('influxdb1')],
      backoff: { baseMs: 50, capMs: 100, maxRetryAfterMs: 100 },
    });
    const first = await start(url);
    await until('an error', () => first.status().upstreams[0]!.lastError !== null);
    await first.stop();
    // Started again (against a closed port): before its first request fails, the error shown is the one kept.
    const second = await start(`http://127.0.0.1:${await freePort()}`);
    cleanups.push(() => second.stop());
    const kept = second.status().upstreams[0]!.lastError!;
    expect(kept.message).toBe('HTTP 503: overloaded');
    expect(saidText(kept, lang('zh'))).toBe(ZH_503);
  });

  it('a 503 said for what it means, its English body the technical detail; and a connection refused', async () => {
    const busy = await firstError(await upstream((res) => res.writeHead(503).end('overloaded')));
    expect(busy.message).toBe('HTTP 503: overloaded');
    expect(saidText(busy, lang('zh'))).toBe(ZH_503);
    expect(saidText(busy, lang('ru'))).toBe('HTTP 503: сервер или прокси перед ним недоступен или перегружен: отправка повторится; проверьте, что сервер работает');
    expect(technicalDetail(busy, lang('zh'))).toBe('技术细节：HTTP 503: overloaded');
    // The backlog alarm citing it, as the alarm's detail says it.
    expect(syncText(alarmWith(busy).said!, lang('zh'))).toBe(`3条待发送，最早的已等待 20分钟（最近错误：${ZH_503}）`);
    const refused = await firstError(`http://127.0.0.1:${await freePort()}`);
    expect(refused.message).toMatch(/^ECONNREFUSED: /);
    expect(saidText(refused, lang('ru'))).toBe('в соединении отказано');
    expect(saidText(refused, lang('zh'))).toBe('连接被拒绝');
  });
});
