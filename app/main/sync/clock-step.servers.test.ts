/**
 * A step of the station's wall clock (an NTP correction, an operator setting the time) while the
 * sync runs against Debian's InfluxDB 1.x: the real SyncService and worker over a real historian
 * archiving 10 samples a second, the wall clock injected and stepped (the monotonic clock is the
 * real one; the test never waits for the step). Found by an exploratory run: a step back of an
 * hour froze forwarding for the hour with the status idle and no alarm, and during an outage the
 * station did not even try.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Historian } from '../../../historian/index.js';
import { Good } from '../../../historian/status.js';
import { tagConfig } from '../../../historian/store/testing.js';
import { syncConfigSchema } from '../../shared/config/sync.js';
import { silentLogger } from '../log.js';
import { SampleEncoder } from './line-protocol/samples.js';
import { SyncService } from './service.js';
import type { SyncAlarm, SyncStatus } from './status.js';
import { UpstreamWorker } from './deliver/worker.js';
import { SyncStore } from './store/sync-store.js';
import { SamplesStream } from './streams/samples.js';
import { FaultProxy } from './testing/fault-proxy.js';
import { drained, tempDir, until, upstreamConfig } from './testing/harness.js';
import { InfluxServer } from './testing/servers.js';

const HOUR = 3_600_000;
const tmp = tempDir();
let influx: InfluxServer;
beforeAll(async () => { influx = await InfluxServer.launch(); }, 60_000);
afterAll(async () => { await influx?.dispose(); tmp.remove(); });
const cleanups: (() => unknown)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/**
 * A station archiving tag A every 100 ms (sample times its own: only the wall clock steps) and
 * syncing it through a fault proxy; `step(ms)` moves the wall clock the station, its archive and
 * its sync read.
 */
async function station(name: string, backlogAlarmAfterSec: number, batchLines = 5000) {
  await influx.createDatabase(name);
  const proxy = await FaultProxy.start(influx.url);
  cleanups.push(() => proxy.close());
  // Every read the station makes of the upstream (restart probes, holdings lookups), by path.
  const reads: string[] = [];
  proxy.readRule = ({ path }) => { reads.push(path); return 'forward'; };
  let offset = 0;
  const wall = () => Date.now() + offset;
  const h = Historian.open(join(tmp.dir, name, 'archive'), { flushIntervalMs: 0, sortWindowMs: 0, now: wall });
  cleanups.push(() => h.close());
  h.defineTag(tagConfig('A', { unit: 'm' }), 0);
  const t0 = Date.now() - 600_000;
  let archived = 0;
  const live = setInterval(() => {
    h.append('A', [{ t: t0 + archived * 100, value: archived, status: Good }]);
    h.flush();
    archived++;
  }, 100);
  cleanups.push(() => clearInterval(live));
  const alarms: { at: number; alarm: SyncAlarm | null }[] = [];
  const statuses: SyncStatus[] = [];
  const sync = await SyncService.start({
    config: syncConfigSchema.parse({
      backlogAlarmAfterSec,
      upstreams: [{ id: 'region', url: proxy.url, flavour: 'influxdb1', database: name, flushIntervalMs: 200, drainRateLimit: 2000, batch: { lines: batchLines } }],
    }),
    dataDir: join(tmp.dir, name), log: silentLogger(), statusIntervalMs: 100, probeIntervalMs: 200, now: wall,
    backoff: { baseMs: 50, capMs: 200, maxRetryAfterMs: 1000 },
    streams: () => [new SamplesStream(h, new SampleEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', statusName: false, textAs: 'tag' }), () => 'Area1', wall)],
    onAlarm: (u, alarm) => { if (u === 'region') alarms.push({ at: performance.now(), alarm }); },
    onStatus: (s) => statuses.push(s),
  });
  cleanups.push(() => sync.stop());
  const upstreamCount = async () => {
    const r = await influx.query('SELECT count(value) FROM tf', name);
    return (r.series?.[0]?.values[0]?.[1] as number | undefined) ?? 0;
  };
  return {
    proxy, sync, alarms, statuses, reads, upstreamCount,
    archived: () => archived,
    step: (ms: number) => { offset += ms; },
    stopArchiving: () => clearInterval(live),
    /** Everything archived is upstream, counted there. */
    allUpstream: async () => (await upstreamCount()) === archived,
  };
}

const accepted = (p: FaultProxy) => p.writes.filter((w) => w.action === 'forward:2xx').length;

describe('a step of the station wall clock', () => {
  it('an hour back: forwarding goes on at once, and the backlog is never younger than now', async () => {
    const st = await station('back', 60);
    await until('forwarding', async () => (await st.upstreamCount()) > 10);
    st.step(-HOUR);
    const stepped = st.statuses.length;
    const writes = accepted(st.proxy);
    const probes = st.reads.filter((p) => p.startsWith('/debug/vars')).length;
    // Live samples go on being sent every flush interval (200 ms) and the upstream's start time read every 200 ms.
    await until('5 more writes after the step', () => accepted(st.proxy) >= writes + 5, 5000);
    await until('5 more probes after the step', () => st.reads.filter((p) => p.startsWith('/debug/vars')).length >= probes + 5, 5000);
    st.stopArchiving();
    await until('everything archived is upstream', st.allUpstream, 10_000);
    const after = st.statuses.slice(stepped).map((s) => s.upstreams[0]!);
    expect(after.length).toBeGreaterThan(0);
    for (const [i, u] of after.entries()) {
      const at = st.statuses[stepped + i]!.at;
      if (u.backlog.oldestWrittenAt !== null) expect(u.backlog.oldestWrittenAt).toBeLessThanOrEqual(at);
      for (const s of u.backlog.streams) if (s.oldestWrittenAt !== null) expect(s.oldestWrittenAt).toBeLessThanOrEqual(at);
    }
    expect(st.alarms.filter((a) => a.alarm !== null)).toEqual([]);
  });

  it('an hour back as the upstream fails: the station retries, says why, and raises the backlog alarm after backlogAlarmAfterSec', async () => {
    const st = await station('outage', 2);
    await until('forwarding', async () => (await st.upstreamCount()) > 10);
    st.proxy.rule = () => ({ status: 503, body: 'upstream down' });
    const failedFrom = performance.now();
    st.step(-HOUR);
    await until('a write tried and refused after the step', () => st.proxy.writes.some((w) => w.action !== 'forward:2xx'), 5000);
    await until('retrying, with the 503 as last error', () => {
      const u = st.sync.status().upstreams[0]!;
      return u.state === 'retrying' && (u.lastError?.message.includes('503') ?? false);
    }, 5000);
    await until('the backlog alarm', () => st.alarms.some((a) => a.alarm?.kind === 'backlog'), 10_000);
    const raised = st.alarms.find((a) => a.alarm?.kind === 'backlog')!;
    // Not before the oldest unsent sample is 2 s old (it was written before the outage began).
    expect(raised.at - failedFrom).toBeGreaterThanOrEqual(1500);
    st.proxy.rule = () => 'forward';
    st.stopArchiving();
    await until('everything archived is upstream', st.allUpstream, 15_000);
    await until('the alarm cleared', () => st.alarms.at(-1)?.alarm === null, 5000);
  });

  it('an hour forward with samples waiting: no backlog alarm, no backlog split, no checkpoint before its interval', async () => {
    // Batches of 5 lines: the samples waiting after the step fill more than one (what may split a backlog off).
    const st = await station('forward', 60, 5);
    await until('forwarding', async () => (await st.upstreamCount()) > 10);
    const store = st.sync.store;
    await until('a checkpoint of what the upstream took', () => store.checkpoints('region', Infinity).length > 0);
    // A second of refused writes around the step: samples written before it wait, a few hundred ms old.
    st.proxy.rule = () => ({ status: 503, body: 'busy' });
    await until('a write refused', () => st.proxy.writes.some((w) => w.action === 'status:503'), 5000);
    // Refused again on a retry: the samples written before it have waited through one (a few hundred ms).
    const refused = st.proxy.writes.filter((w) => w.action === 'status:503').length;
    await until('a retry refused', () => st.proxy.writes.filter((w) => w.action === 'status:503').length > refused, 10_000);
    st.step(HOUR);
    const end = performance.now() + 3000;
    const splits: (string | null)[] = [];
    let healed = false;
    while (performance.now() < end) {
      if (!healed && performance.now() > end - 2000) { st.proxy.rule = () => 'forward'; healed = true; }
      splits.push(store.watermark('region', 'samples').split);
      await new Promise((r) => setTimeout(r, 50));
    }
    st.stopArchiving();
    await until('everything archived is upstream', st.allUpstream, 10_000);
    expect(st.alarms.filter((a) => a.alarm !== null)).toEqual([]);
    expect(splits.filter((s) => s !== null)).toEqual([]);
    // One checkpoint a minute of the station's running (restart-check.ts), not one at once for the hour the clock gained.
    expect(store.checkpoints('region', Infinity)).toHaveLength(1);
  });
});

/**
 * What sync.sqlite keeps of what the upstream acknowledged (ranges for the re-send window,
 * checkpoints) is ordered and aged by the sync's steady clock, not the wall clock: one worker over
 * a real archive (tag B, 5 samples every 100 ms, their times their own) and Debian's InfluxDB 1.x,
 * the wall clock injected and stepped. The expectations are counts of what was archived.
 */
describe('what the upstream acknowledged, across a step of the station wall clock', () => {
  async function rig(name: string, o: { readRule?: FaultProxy['readRule']; resendWindowSec: number; checkpointIntervalMs?: number; verifyIntervalMs?: number }) {
    await influx.createDatabase(name);
    const proxy = await FaultProxy.start(influx.url);
    cleanups.push(() => proxy.close());
    if (o.readRule) proxy.readRule = o.readRule;
    let offset = 0;
    const wall = () => Date.now() + offset;
    const h = Historian.open(join(tmp.dir, name, 'archive'), { flushIntervalMs: 0, sortWindowMs: 0, now: wall });
    cleanups.push(() => h.close());
    h.defineTag(tagConfig('B', { unit: 'm' }), 0);
    const t0 = Date.now() - 600_000;
    let archived = 0;
    const archive = (n: number) => {
      h.append('B', Array.from({ length: n }, (_, i) => ({ t: t0 + (archived + i) * 10, value: archived + i, status: Good })));
      h.flush();
      archived += n;
    };
    const store = SyncStore.open(join(tmp.dir, name, 'sync.sqlite'));
    const stream = new SamplesStream(h, new SampleEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', statusName: false, textAs: 'tag' }), () => 'Area1', wall);
    const losses: string[] = [];
    const worker = new UpstreamWorker({
      config: upstreamConfig({ url: proxy.url, flavour: 'influxdb1', database: name, flushIntervalMs: 100, batch: { lines: 5000 }, resendWindowSec: o.resendWindowSec }),
      store, streams: [stream], log: silentLogger(), secret: null, now: wall, probeIntervalMs: 100,
      checkpointIntervalMs: o.checkpointIntervalMs, verifyIntervalMs: o.verifyIntervalMs,
      backoff: { baseMs: 20, capMs: 200, maxRetryAfterMs: 1000 }, onLoss: (s, d) => losses.push(`${s}: ${d}`),
    });
    cleanups.push(async () => { await worker.stop(); store.close(); });
    let live: NodeJS.Timeout | undefined;
    cleanups.push(() => clearInterval(live));
    const upstreamCount = async () => {
      const r = await influx.query('SELECT count(value) FROM tf', name);
      return (r.series?.[0]?.values[0]?.[1] as number | undefined) ?? 0;
    };
    return {
      proxy, store, stream, worker, losses, upstreamCount, archive,
      archived: () => archived,
      startArchiving: () => { live = setInterval(() => archive(5), 100); },
      stopArchiving: () => clearInterval(live),
      step: (ms: number) => { offset += ms; },
    };
  }

  it('an hour back, then the database dropped and made again: everything after the oldest checkpoint goes again, from before the step too', async () => {
    // Found reviewing the checkpoints' times: by the wall clock, the checkpoints of before the step
    // came after those taken since, so the search for what the upstream still held stopped at the
    // first one taken after the step, and everything acknowledged before it was never sent again.
    const r = await rig('backdrop', { resendWindowSec: 1, checkpointIntervalMs: 200, verifyIntervalMs: 500 });
    r.archive(50); // the first batch alone: the oldest checkpoint comes after exactly these
    r.worker.start();
    await until('the oldest checkpoint', () => r.store.checkpoints('region', Infinity).length === 1);
    r.startArchiving();
    await until('checkpoints before the step', () => r.store.checkpoints('region', Infinity).length >= 5);
    r.step(-HOUR);
    const before = r.store.checkpoints('region', Infinity).length;
    // Checks between restarts made after the step (every 500 ms), checkpoints taken after it.
    await until('checkpoints after the step', () => r.store.checkpoints('region', Infinity).length >= before + 8, 10_000);
    await influx.query('DROP DATABASE "backdrop"');
    await influx.createDatabase('backdrop');
    await until('the loss found', () => r.losses.length > 0, 10_000);
    r.stopArchiving();
    await until('sent again', () => drained(r.store, 'region', [r.stream]), 10_000);
    expect(r.losses[0]).toMatch(/^samples: upstream region no longer holds what it acknowledged .*holding nothing it acknowledged since/);
    // All but the 50 acknowledged before the oldest checkpoint (reported: they cannot be checked).
    await until('everything after the oldest checkpoint upstream', async () => (await r.upstreamCount()) === r.archived() - 50, 10_000)
      .catch(async (err: Error) => { throw new Error(`${err.message}: ${await r.upstreamCount()} of ${r.archived() - 50}`); });
  });

  it('an hour forward, then a restart that lost what it acknowledged, its holdings unreadable: the re-send window goes again', async () => {
    // By the wall clock, the ranges acknowledged in the minute before the step were pruned at once
    // (older than now less the window), and the restart's re-send window found none of them.
    const r = await rig('fwdlost', {
      resendWindowSec: 60,
      // An account allowed to write only: its holdings cannot be looked up, the re-send window is all there is.
      readRule: ({ path }) => (path.startsWith('/query') ? { status: 403, body: '{"error":"user is not authorized to read"}', contentType: 'application/json' } : 'forward'),
    });
    r.worker.start();
    r.startArchiving();
    await until('forwarding', async () => (await r.upstreamCount()) > 20);
    // Three requests acknowledged and never stored (what VictoriaMetrics does with rows in memory when killed).
    const from = r.proxy.writes.length;
    r.proxy.rule = ({ index }) => (index >= from && index < from + 3 ? 'ackDrop' : 'forward');
    await until('three requests dropped, then more sent', () => r.proxy.writes.filter((w) => w.action === 'forward:2xx').length > 0
      && r.proxy.writes.filter((w) => w.action === 'ackDrop').length === 3 && r.proxy.writes.length > from + 5, 10_000);
    r.step(HOUR);
    await new Promise((res) => setTimeout(res, 500)); // a few restart probes (every 100 ms) after the step
    await until('the upstream has lived 2 s', () => Date.now() - influx.startedAt > 2000);
    await influx.stop();
    await influx.restart();
    await until('the restart seen', () => r.worker.status().restarts === 1, 10_000);
    r.stopArchiving();
    await until('sent again', () => drained(r.store, 'region', [r.stream]), 10_000);
    await until('everything archived upstream', async () => (await r.upstreamCount()) === r.archived(), 10_000)
      .catch(async (err: Error) => { throw new Error(`${err.message}: ${await r.upstreamCount()} of ${r.archived()}`); });
  });
});
