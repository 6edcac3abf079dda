/**
 * A real VictoriaMetrics whose disk is (nearly) full: below -storage.minFreeDiskSpaceBytes of free
 * space its storage turns read-only and every write is answered 503 with its own words. The sync
 * retries (nothing is dropped) and says so in the console's language: the Sync page and the backlog
 * alarm read "HTTP 503: the upstream stores nothing: its disk is nearly full …", not VictoriaMetrics'
 * English line with the client's address in it. Found by an exploratory run (its threshold set above
 * the disk's free space). Once it has room (restarted with its default threshold) every point arrives.
 * Expectations: the test's own samples, read back from VictoriaMetrics; its answer as it gave it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../testing/fault-proxy.js';
import { drained, until, upstreamConfig } from '../testing/harness.js';
import type { LoggedSample } from '../testing/sample-log.js';
import { useWorkerRigs } from '../testing/worker-rig.js';
import { VictoriaServer } from '../testing/servers.js';
import { VM_PRECISION, countPoints, diffPoints, settled, victoriaPoints } from '../testing/upstream-points.js';
import { renderText } from '../../../shared/sync-text.js';
import { Translator } from '../../../shared/i18n/index.js';

const rig = useWorkerRigs();
let vm: VictoriaServer | null = null;
let proxy: FaultProxy | null = null;
afterAll(async () => { await proxy?.close(); await vm?.dispose(); });

const say = (locale: 'en' | 'ru' | 'zh', said: Parameters<typeof renderText>[0]) =>
  renderText(said, (k, p) => new Translator(locale).t(k, p), { dateTime: (ms) => new Date(ms).toISOString(), list: (x) => x.join(', ') });

describe('VictoriaMetrics with its disk full (-storage.minFreeDiskSpaceBytes above the free space)', () => {
  it('answers 503: retried, said as a full disk upstream in the console\'s language, and every point arrives once it has room', async () => {
    vm = await VictoriaServer.launch();
    await vm.stop();
    vm.minFreeDiskSpace = '100000GB';
    await vm.restart();
    const server = vm;
    await until('its storage is read-only', async () => /^vm_storage_is_read_only\{[^}]*\} 1$/m.test(await (await fetch(`${server.url}/metrics`)).text()), 10_000);

    // Its answer, as it gives it; the proxy only counts the writes (and stands in for it while it restarts).
    const answer = await fetch(`${vm.url}/write`, { method: 'POST', body: `probe,tag=x value=1 ${Date.now()}000000` });
    expect(answer.status).toBe(503);
    const readOnlyBody = await answer.text();
    proxy = await FaultProxy.start(vm.url);
    const writes = proxy.writes;
    const r = rig('full', { config: upstreamConfig({ url: proxy.url, flavour: 'victoriametrics', database: undefined, batch: { lines: 250 } }), backoff: { baseMs: 10, capMs: 100, maxRetryAfterMs: 2000 } });
    const t0 = Date.now() - 120_000;
    r.log.append(Array.from({ length: 600 }, (_, i): LoggedSample => ({ tag: `full.${i % 3}`, kind: 'analog', t: t0 + i * 10, value: i / 4, status: 0 })));
    r.worker.start();
    // Three tries at least: counted as possible copies, they made each line "sent again" three times.
    await until('refused three times', () => writes.filter((w) => w.action === 'forward:503').length >= 3 && r.worker.status().state === 'retrying', 10_000);
    const during = r.worker.status();
    // Its own words stay the English error (the log, the CLI).
    expect(during.lastError!.message).toMatch(/^HTTP 503: .*the storage is in read-only mode/);
    expect(during.lastError!.said).toMatchObject({ key: 'sync.fault.upstreamReadOnly', params: { status: '503' } });
    expect(say('en', during.lastError!.said!)).toMatch(/^HTTP 503: the upstream stores nothing: its disk is nearly full/);
    expect(say('ru', during.lastError!.said!)).toMatch(/^HTTP 503: сервер ничего не сохраняет: его диск почти заполнен/);
    expect(say('zh', during.lastError!.said!)).toMatch(/^HTTP 503：上级服务器的磁盘将满/);
    for (const l of ['ru', 'zh'] as const) expect(say(l, during.lastError!.said!)).not.toMatch(/remoteAddr|read-only mode/);
    expect(r.store.watermark('region', 'samples').cursor).toBeNull();

    // Room again (restarted with its default threshold): every point arrives, none twice, none counted as
    // sent again (a 503 stored nothing). Meanwhile the proxy gives its answer for it, so that no request
    // in flight is cut by the restart (a cut one may have been stored, and counts).
    proxy.rule = () => ({ status: 503, body: readOnlyBody, contentType: 'text/plain; charset=utf-8' });
    const n = writes.length;
    await until('a request answered by the proxy', () => writes.length > n + 1 && writes.at(-2)!.action === 'status:503', 10_000);
    await vm.stop();
    vm.minFreeDiskSpace = null;
    await vm.restart();
    proxy.rule = () => 'forward';
    await until('drained', () => drained(r.store, 'region', [r.stream]), 20_000);
    const got = await settled(() => victoriaPoints(server, 'tf'), (p) => countPoints(p) >= 600);
    expect(diffPoints(got, r.log.expected(true), VM_PRECISION)).toEqual([]);
    expect([r.worker.status().sentLines, r.worker.status().resentLines]).toEqual([600, 0]);
  }, 40_000);
});
