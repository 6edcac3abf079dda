/**
 * A proxy in front of a real InfluxDB 1.x answers 400 "unable to parse" to every write for a while:
 * 20 lines refused in a row with none accepted pause the upstream (a misconfiguration, not bad
 * data), and the lines quarantined one by one on the way there go again when it is resumed; none
 * stays quarantined. A line InfluxDB itself refuses while the others pass (a field type conflict)
 * is still quarantined. Found by an exploratory run: 19 good lines stayed quarantined after a
 * proxy refused everything for 10 s. Expectations: the test's own samples, read back from InfluxDB.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../log.js';
import { SyncStore } from '../store/sync-store.js';
import { FaultProxy } from '../testing/fault-proxy.js';
import { drained, tempDir, until, upstreamConfig } from '../testing/harness.js';
import { type LoggedSample, SampleLog } from '../testing/sample-log.js';
import { InfluxServer } from '../testing/servers.js';
import { diffPoints, influxPoints } from '../testing/upstream-points.js';
import { REFUSAL_LIMIT } from './sender.js';
import { UpstreamWorker } from './worker.js';

const tmp = tempDir();
const cleanups: (() => unknown)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c(); tmp.remove(); });

/** One InfluxDB for the file's tests (each its own measurement). */
let shared: Promise<InfluxServer> | null = null;
function influxOnce(): Promise<InfluxServer> {
  shared ??= (async () => {
    const influx = await InfluxServer.launch();
    cleanups.push(() => influx.dispose());
    await influx.createDatabase('t');
    return influx;
  })();
  return shared;
}

describe('a run of refusals from a proxy, then a line the upstream refuses alone', () => {
  it('the run pauses the upstream and quarantines nothing; the lone bad line is quarantined', async () => {
    const influx = await influxOnce();
    // 30 days back, its own shard: `value` is a string there, so a float there is refused (a real bad line).
    const old = Date.now() - 30 * 86_400_000;
    expect((await fetch(`${influx.url}/write?db=t&precision=ms`, { method: 'POST', body: `rrun,site=North,tag=other value="text" ${old}` })).status).toBe(204);
    const proxy = await FaultProxy.start(influx.url);
    cleanups.push(() => proxy.close());
    let refusing = true;
    proxy.rule = () => refusing ? { status: 400, body: JSON.stringify({ error: 'unable to parse \'x\': invalid field format' }) } : 'forward';
    const store = SyncStore.open(join(tmp.dir, 'rrun.sync.sqlite'));
    const log = new SampleLog(join(tmp.dir, 'rrun.samples.sqlite'));
    const stream = log.stream('influxdb1', 'rrun');
    const losses: string[] = [];
    const worker = new UpstreamWorker({
      config: upstreamConfig({ url: proxy.url, flavour: 'influxdb1', database: 't', flushIntervalMs: 50, batch: { lines: 200 } }),
      store, streams: [stream], log: silentLogger(), secret: null, pauseRetryMs: 300,
      backoff: { baseMs: 20, capMs: 200, maxRetryAfterMs: 1000 }, onLoss: (s, d) => losses.push(`${s}: ${d}`),
    });
    cleanups.push(async () => { await worker.stop(); store.close(); log.close(); });
    worker.start();
    const held = () => store.quarantine({ upstream: 'region', retry: false });

    const now = Date.now();
    log.append(Array.from({ length: 100 }, (_, i): LoggedSample => ({ tag: `r.${i % 4}`, kind: 'analog', t: now - 60_000 + i, value: i, status: 0 })));
    await until('paused after a run of refusals', () => worker.status().state === 'paused');
    expect(worker.status().paused?.reason).toMatch(new RegExp(`refused ${REFUSAL_LIMIT} lines in a row`));
    // The proxy saw single-line writes refused (the bisection down to the run's lines), nothing forwarded.
    expect(proxy.writes.filter((w) => w.lines.length === 1).length).toBeGreaterThanOrEqual(REFUSAL_LIMIT);
    expect(proxy.forwardedLines).toBe(0);
    expect(held()).toEqual([]); // none kept as bad data: they go again

    refusing = false;
    await until('resumed and sent', () => drained(store, 'region', [stream]));
    expect(diffPoints(await influxPoints(influx, 't', 'rrun'), log.expected())).toEqual([]);
    expect(store.quarantine({ upstream: 'region' })).toEqual([]);

    // One line InfluxDB refuses itself, among lines it takes: quarantined, the rest stored.
    const bad: LoggedSample = { tag: 'r.0', kind: 'analog', t: old + 1, value: 0.5, status: 0 };
    const later = Date.now();
    const good = Array.from({ length: 40 }, (_, i): LoggedSample => ({ tag: `r.${i % 4}`, kind: 'analog', t: later - 30_000 + i, value: 1000 + i, status: 0 }));
    log.append([...good.slice(0, 20), bad, ...good.slice(20)]);
    await until('sent', () => drained(store, 'region', [stream]));
    const q = store.quarantine({ upstream: 'region' });
    expect(q.map((x) => [x.t, x.retry])).toEqual([[bad.t, false]]);
    expect(q[0]!.reason).toMatch(/field type conflict/);
    const expected = log.expected();
    expected.set('r.0', expected.get('r.0')!.filter((p) => p.t !== bad.t));
    expect(diffPoints(await influxPoints(influx, 't', 'rrun'), expected)).toEqual([]);
    expect(worker.status().paused).toBeNull();
    expect(losses).toEqual([]);
  }, 60_000);
});

/**
 * The run goes on across a station restart: the count of refusals in a row and the lines quarantined
 * in it are kept in sync.sqlite. Kept in memory only, the restart began the count again (the run
 * needed 20 more to pause) and the 10 lines quarantined before it stayed quarantined as bad data.
 */
describe('a run of refusals across a station restart', () => {
  it('pauses after 20 in all, and the lines quarantined before the restart go again too', async () => {
    const influx = await influxOnce();
    const proxy = await FaultProxy.start(influx.url);
    cleanups.push(() => proxy.close());
    let refusing = true;
    proxy.rule = () => refusing ? { status: 400, body: JSON.stringify({ error: 'unable to parse \'x\': invalid field format' }) } : 'forward';
    const file = join(tmp.dir, 'rrun2.sync.sqlite');
    const log = new SampleLog(join(tmp.dir, 'rrun2.samples.sqlite'));
    cleanups.push(() => log.close());
    const stream = log.stream('influxdb1', 'rrun2');
    const station = () => {
      const store = SyncStore.open(file);
      const worker = new UpstreamWorker({
        config: upstreamConfig({ url: proxy.url, flavour: 'influxdb1', database: 't', flushIntervalMs: 50, batch: { lines: 200 } }),
        store, streams: [stream], log: silentLogger(), secret: null, pauseRetryMs: 300,
        backoff: { baseMs: 20, capMs: 200, maxRetryAfterMs: 1000 }, onLoss: (s, d) => { throw new Error(`loss in ${s}: ${d}`); },
      });
      const stop = async () => { await worker.stop(); store.close(); };
      cleanups.push(stop);
      worker.start();
      return { store, worker, stop, held: () => store.quarantine({ upstream: 'region', retry: false }) };
    };
    const samples = (n: number, from: number) => Array.from({ length: n }, (_, i): LoggedSample => ({ tag: `r.${i % 4}`, kind: 'analog', t: from + i, value: i, status: 0 }));

    let s = station();
    const now = Date.now();
    log.append(samples(10, now - 60_000));
    await until('10 lines refused one by one', () => s.held().length === 10 && drained(s.store, 'region', [stream]));
    await s.stop(); // the station restarts within the run

    s = station();
    log.append(samples(15, now - 50_000));
    await until('paused after a run of refusals', () => s.worker.status().state === 'paused');
    expect(s.worker.status().paused?.reason).toMatch(new RegExp(`refused ${REFUSAL_LIMIT} lines in a row`));
    expect(s.held()).toEqual([]); // those before the restart go again with the rest of the run
    expect(proxy.forwardedLines).toBe(0);

    refusing = false;
    await until('resumed and sent', () => drained(s.store, 'region', [stream]) && s.store.quarantine({ upstream: 'region' }).length === 0);
    expect(diffPoints(await influxPoints(influx, 't', 'rrun2'), log.expected())).toEqual([]);
  }, 60_000);
});
