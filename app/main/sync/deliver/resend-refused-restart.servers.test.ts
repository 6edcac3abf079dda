/**
 * An engineer's "send again" of a range the upstream refuses as past its retention is said to them
 * with how many lines it refused so far (the status's last error, `sync.cause.resendPastRetention`).
 * That count was kept in memory only: a station restart in the middle of the re-send began it
 * again, and the engineer read "200 lines" of a range whose 600 lines were all refused. It is kept in
 * sync.sqlite with the re-send. Against InfluxDB 1.6.7 behind a proxy that answers 503 to hold the
 * re-send mid-way; expectations: the test's own 600 samples, all older than the policy.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../log.js';
import { SyncStore } from '../store/sync-store.js';
import { FaultProxy } from '../testing/fault-proxy.js';
import { drained, tempDir, until, upstreamConfig } from '../testing/harness.js';
import { type LoggedSample, SampleLog } from '../testing/sample-log.js';
import { InfluxServer } from '../testing/servers.js';
import { UpstreamWorker } from './worker.js';

const tmp = tempDir();
const cleanups: (() => unknown)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c(); tmp.remove(); });

const HOUR = 3_600_000;

describe('a re-send refused as past the retention, across a station restart', () => {
  it('counts the refused lines from before the restart too', async () => {
    const influx = await InfluxServer.launch();
    cleanups.push(() => influx.dispose());
    await influx.query('CREATE DATABASE t WITH DURATION INF SHARD DURATION 1h');
    const proxy = await FaultProxy.start(influx.url);
    cleanups.push(() => proxy.close());
    const file = join(tmp.dir, 'rpr.sync.sqlite');
    const log = new SampleLog(join(tmp.dir, 'rpr.samples.sqlite'));
    cleanups.push(() => log.close());
    const stream = log.stream('influxdb1', 'rpr');
    const station = () => {
      const store = SyncStore.open(file);
      const worker = new UpstreamWorker({
        config: upstreamConfig({ url: proxy.url, flavour: 'influxdb1', database: 't', flushIntervalMs: 50, batch: { lines: 200 } }),
        store, streams: [stream], log: silentLogger(), secret: null,
        backoff: { baseMs: 20, capMs: 200, maxRetryAfterMs: 1000 }, onLoss: (s, d) => { throw new Error(`loss in ${s}: ${d}`); },
      });
      const stop = async () => { await worker.stop(); store.close(); };
      cleanups.push(stop);
      worker.start();
      return { store, worker, stop };
    };

    // 600 samples three hours old, taken while the policy keeps everything.
    const from = Date.now() - 3 * HOUR;
    log.append(Array.from({ length: 600 }, (_, i): LoggedSample => ({ tag: `rp.${i % 4}`, kind: 'analog', t: from + i * 10, value: i, status: 0 })));
    let s = station();
    await until('sent', () => drained(s.store, 'region', [stream]) && s.worker.status().sentLines === 600);
    await influx.query('ALTER RETENTION POLICY autogen ON t DURATION 1h');

    // The engineer's re-send goes in requests of 200; the proxy lets the first through and holds the rest.
    let writes = 0;
    proxy.rule = () => (++writes <= 1 ? 'forward' : { status: 503, body: 'held by the test' });
    s.store.addReplay({ upstream: 'region', stream: stream.name, kind: 'time', from: String(from), to: String(from + 600 * 10), reason: 'asked by ivanova', requestedAt: Date.now() });
    s.worker.poke();
    // (The 503s are the last error meanwhile: what was said of the first 200 is in the log.)
    await until('the first 200 refused and the next request held', () => s.store.replays('region')[0]?.linesSent === 200 && writes >= 3);
    await s.stop(); // the station restarts in the middle of the re-send

    proxy.rule = () => 'forward';
    s = station();
    await until('the re-send is done', () => s.store.replays('region').length === 0 && !s.store.inflight('region'));
    const told = s.worker.status().lastError!;
    expect(told.said).toMatchObject({ key: 'sync.cause.resendPastRetention', params: { lines: 600, fromAt: from, toAt: from + 600 * 10 } });
    expect(told.message).toMatch(/^600 lines/);
    expect(s.store.quarantine({ limit: 10 })).toEqual([]);
  }, 30_000);
});
