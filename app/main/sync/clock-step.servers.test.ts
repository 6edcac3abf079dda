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
import { SamplesStream } from './streams/samples.js';
import { FaultProxy } from './testing/fault-proxy.js';
import { tempDir, until } from './testing/harness.js';
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
    await new Promise((r) => setTimeout(r, 300));
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
