/**
 * A line the upstream refuses is quarantined once per upstream, however often a re-send reads it
 * again. Against Debian's InfluxDB 1.x: a field type conflict ("partial write: field type
 * conflict"), made by a string `value` written first into the week's shard the refused samples
 * fall in. Found by an exploratory run: each re-send after an upstream restart added the refused
 * lines again (110 rows for 50 lines, the console counting 113).
 * Expectations are hand counts of the samples the test placed in that week.
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

describe('a line the upstream refuses', () => {
  it('is quarantined once, through two upstream restarts whose re-sends refuse it again', async () => {
    const influx = await InfluxServer.launch();
    cleanups.push(() => influx.dispose());
    await influx.createDatabase('t');
    const proxy = await FaultProxy.start(influx.url);
    cleanups.push(() => proxy.close());
    // 30 days back, its own shard: `value` is a string there, so a float there is refused.
    const old = Date.now() - 30 * 86_400_000;
    const res = await fetch(`${influx.url}/write?db=t&precision=ms`, { method: 'POST', body: `qonce,site=North,tag=other value="text" ${old}` });
    expect(res.status).toBe(204);
    const store = SyncStore.open(join(tmp.dir, 'qonce.sync.sqlite'));
    const log = new SampleLog(join(tmp.dir, 'qonce.samples.sqlite'));
    const stream = log.stream('influxdb1', 'qonce');
    const losses: string[] = [];
    const worker = new UpstreamWorker({
      // The default re-send window: after a restart, what was acknowledged in the last minute goes again, refused lines with it.
      config: upstreamConfig({ url: proxy.url, flavour: 'influxdb1', database: 't', flushIntervalMs: 50, batch: { lines: 200 }, resendWindowSec: 60 }),
      store, streams: [stream], log: silentLogger(), secret: null, probeIntervalMs: 100, checkpointIntervalMs: 200,
      backoff: { baseMs: 20, capMs: 200, maxRetryAfterMs: 1000 }, onLoss: (s, d) => losses.push(`${s}: ${d}`),
    });
    cleanups.push(async () => { await worker.stop(); store.close(); log.close(); });
    worker.start();
    const now = Date.now();
    const refused: LoggedSample[] = Array.from({ length: 5 }, (_, i) => ({ tag: `q.${i}`, kind: 'analog', t: old + 1 + i, value: i + 0.5, status: 0 }));
    const taken: LoggedSample[] = Array.from({ length: 95 }, (_, i) => ({ tag: `q.${i % 5}`, kind: 'analog', t: now - 60_000 + i, value: i, status: 0 }));
    log.append([...taken.slice(0, 50), ...refused, ...taken.slice(50)]);
    await until('acknowledged', () => drained(store, 'region', [stream]));
    const held = () => store.quarantine({ upstream: 'region' });
    expect(held()).toHaveLength(5);
    expect(held().every((q) => /field type conflict/.test(q.reason))).toBe(true);

    for (let n = 1; n <= 2; n++) {
      await until('the upstream has lived 2 s', () => Date.now() - influx.startedAt > 2000);
      const writes = proxy.writes.length;
      await influx.stop();
      await influx.restart();
      await until(`restart ${n} seen`, () => worker.status().restarts === n);
      await until('the re-send window sent again', () => drained(store, 'region', [stream]) && store.replays('region').length === 0 && proxy.writes.length > writes);
      // The refused lines were sent again and refused again.
      expect(proxy.writes.slice(writes).flatMap((w) => w.lines).filter((l) => l.includes('value=0.5,')).length).toBeGreaterThan(0);
    }
    expect(held()).toHaveLength(5);
    expect(new Set(held().map((q) => q.line)).size).toBe(5);
    expect(store.quarantineCounts().get('region')).toBe(5);
    expect(losses).toEqual([]);
  }, 60_000);
});
