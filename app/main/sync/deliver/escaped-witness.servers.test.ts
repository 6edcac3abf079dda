/**
 * What an upstream holds, checked on lines with escaped names, against Debian's InfluxDB 1.x and
 * VictoriaMetrics. Found by an exploratory run: the default site is the station's name ("Tank Farm
 * North", written 'site=Tank\ Farm\ North'), every line was refused as a witness, no checkpoint was
 * kept, and an upstream wiped (kill -9, data dir emptied) got back only the re-send window, nothing
 * reported. After a wipe that was found, the next check looked up the checkpoint the re-send could
 * not restore and reported the same loss again, sending everything again.
 * Expectations come from the test's own sample log (what was appended, by hand) and the upstream's answers.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../log.js';
import { SyncStore } from '../store/sync-store.js';
import { FaultProxy } from '../testing/fault-proxy.js';
import { drained, tempDir, until, upstreamConfig } from '../testing/harness.js';
import { type LoggedSample, SampleLog } from '../testing/sample-log.js';
import { InfluxServer, VictoriaServer } from '../testing/servers.js';
import { type PointsByTag, VM_PRECISION, diffPoints, influxPoints, settled, victoriaPoints } from '../testing/upstream-points.js';
import { workerRig } from '../testing/worker-rig.js';
import { traits } from '../upstream/flavour.js';
import { holdsAnswer, holdsUrl, witnessOf } from '../upstream/holdings.js';
import { UpstreamWorker } from './worker.js';

const tmp = tempDir();
const cleanups: (() => unknown)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c(); tmp.remove(); });

const SITE = 'Tank Farm North';
/** Tag names with a space, a comma, an equals sign and a backslash: each escaped in the line. */
const TAGS = ['TK 101,Level=A', 'Area\\Pump 2', 'FT 3', 'LT,4'];

let k = 0;
function samples(n: number): LoggedSample[] {
  const t0 = Date.now() - 600_000 + (k += n) * 10;
  return Array.from({ length: n }, (_, i) => ({ tag: TAGS[i % TAGS.length]!, kind: 'analog' as const, t: t0 + i * 10, value: i / 4, status: 0 }));
}

/** The log's samples after `id` (a samples cursor), as upstream-points reads them. */
function loggedAfter(log: SampleLog, id: number): PointsByTag {
  const expected: PointsByTag = new Map();
  for (const x of log.db.prepare('SELECT tag, t, value FROM sample WHERE id > ? ORDER BY tag, t').all(id) as { tag: string; t: number; value: number }[]) {
    expected.set(x.tag, [...expected.get(x.tag) ?? [], { t: x.t, value: x.value, status: 0 }]);
  }
  return expected;
}

const ALL = Number.MAX_SAFE_INTEGER;

describe('a line with escaped names as a witness', () => {
  it.each(['influxdb1', 'victoriametrics'] as const)('%s: every line sent is found by its witness, the same series a millisecond later is not', async (flavour) => {
    const server = flavour === 'influxdb1' ? await InfluxServer.launch() : await VictoriaServer.launch();
    cleanups.push(() => server.dispose());
    if (server instanceof InfluxServer) await server.createDatabase('t');
    const proxy = await FaultProxy.start(server.url);
    cleanups.push(() => proxy.close());
    const r = workerRig({ dir: tmp.dir, name: `esc${flavour}`, url: proxy.url, flavour, make: samples, site: SITE, cleanups });
    r.worker.start();
    await r.send(1);
    await r.worker.stop();
    if (server instanceof VictoriaServer) await fetch(`${server.url}/internal/force_flush`);
    const config = upstreamConfig({ url: server.url, flavour, database: flavour === 'influxdb1' ? 't' : undefined });
    const lines = proxy.writes.flatMap((w) => w.lines);
    expect(lines).toHaveLength(300);
    const holds = async (line: string, shift: number) => {
      const w = witnessOf(line, traits[flavour].dialect);
      if (!w) throw new Error(`no witness: ${line}`);
      const at = { ...w, t: w.t + shift };
      const res = await fetch(holdsUrl(config, at)!);
      expect(res.status).toBe(200);
      return holdsAnswer(config, await res.text(), at);
    };
    // One line of each of the 4 tags, every name in them escaped some way.
    for (const line of lines.slice(0, TAGS.length)) {
      expect(await holds(line, 0)).toBe(true);
      expect(await holds(line, 1)).toBe(false);
    }
  });
});

describe('lines that cannot be looked up', () => {
  it('InfluxDB 1.x, tag names with a backslash before a space (InfluxDB 1.x reads it as it likes): the status says what it holds cannot be checked, a restart reports a possible loss; other lines again, it can be', async () => {
    const influx = await InfluxServer.launch();
    cleanups.push(() => influx.dispose());
    await influx.createDatabase('t');
    let tagName = 'P\\ 1';
    const make = (n: number) => samples(n).map((x) => ({ ...x, tag: tagName }));
    const r = workerRig({ dir: tmp.dir, name: 'escnone', url: influx.url, flavour: 'influxdb1', make, site: SITE, cleanups });
    r.worker.start();
    await r.send(1);
    expect(r.store.checkpoints('region', ALL)).toEqual([]);
    expect(r.worker.status().restartCheck?.message).toMatch(/^upstream region: what it holds cannot be checked: none of the last 51 line\(s\) it acknowledged can be looked up there \(escnone,area=Area1,site=Tank\\ Farm\\ North,tag=P\\\\ 1,.*\); after a restart or a loss there, only the last 1 s are sent again$/);
    expect(r.losses).toEqual([]);
    await new Promise((res) => setTimeout(res, 2000)); // the upstream has lived 2 s: its restart is seen
    await influx.stop();
    await influx.restart();
    await until('a possible loss reported', () => r.losses.length > 0);
    expect(r.losses).toHaveLength(1);
    expect(r.losses[0]).toMatch(/^samples: upstream region restarted at .*, and what it still holds cannot be checked \(no line it acknowledged lately can be looked up there\): what it acknowledged before the last 1 s \(sent again\) may be missing there; send again \(npm run sync -- resend\)$/);
    expect(r.worker.status().restartCheck?.message).toMatch(/what it holds cannot be checked: no line it acknowledged lately can be looked up there/);
    tagName = 'P 2';
    await r.send(1);
    expect(r.store.checkpoints('region', ALL)).toHaveLength(1);
    expect(r.worker.status().restartCheck?.message).toBe('upstream region: what it holds can be checked again (a line it acknowledged can be looked up there)');
  });
});

describe('an upstream wiped, its lines carrying the default site with spaces', () => {
  it('InfluxDB 1.x: checkpoints kept, the wipe found at its restart, reported, and what came after the oldest checkpoint sent again', async () => {
    const influx = await InfluxServer.launch();
    cleanups.push(() => influx.dispose());
    await influx.createDatabase('t');
    const r = workerRig({ dir: tmp.dir, name: 'escin', url: influx.url, flavour: 'influxdb1', make: samples, site: SITE, cleanups });
    r.worker.start();
    await r.send(3);
    const oldest = r.store.checkpoints('region', ALL)[0];
    expect(oldest?.witness).toContain('site=Tank\\ Farm\\ North');
    await new Promise((res) => setTimeout(res, 1200)); // beyond the re-send window (1 s)
    await influx.kill9();
    rmSync(influx.dir, { recursive: true, force: true });
    await influx.restart();
    await influx.createDatabase('t');
    await until('the loss reported', () => r.losses.length > 0, 30_000);
    await until('sent again', () => drained(r.store, 'region', [r.stream]) && r.store.replays('region').length === 0);
    expect(r.losses).toHaveLength(1);
    expect(r.losses[0]).toMatch(/^samples: upstream region restarted at .*, holding nothing it acknowledged since .* \(the oldest check kept\): that is sent again/);
    expect(diffPoints(await influxPoints(influx, 't', 'escin'), loggedAfter(r.log, Number(oldest!.cursors.samples)))).toEqual([]);
  });

  it('VictoriaMetrics: checkpoints kept, the wipe found at its restart, reported, and what came after the oldest checkpoint sent again', async () => {
    const vm = await VictoriaServer.launch();
    cleanups.push(() => vm.dispose());
    const r = workerRig({ dir: tmp.dir, name: 'escvm', url: vm.url, flavour: 'victoriametrics', make: samples, site: SITE, cleanups });
    r.worker.start();
    await r.send(3);
    await fetch(`${vm.url}/internal/force_flush`); // what it acknowledged made durable: the wipe, not a kill, loses it
    const oldest = r.store.checkpoints('region', ALL)[0];
    expect(oldest?.witness).toContain('site=Tank\\ Farm\\ North');
    await new Promise((res) => setTimeout(res, 1200));
    await vm.kill9();
    rmSync(vm.dir, { recursive: true, force: true });
    await vm.restart();
    await until('the loss reported', () => r.losses.length > 0, 30_000);
    await until('sent again', () => drained(r.store, 'region', [r.stream]) && r.store.replays('region').length === 0);
    expect(r.losses).toHaveLength(1);
    expect(r.losses[0]).toMatch(/^samples: upstream region restarted at .*, holding nothing it acknowledged since .* \(the oldest check kept\): that is sent again/);
    const expected = loggedAfter(r.log, Number(oldest!.cursors.samples));
    const got = await settled(() => victoriaPoints(vm, 'escvm'), (p) => diffPoints(p, expected, VM_PRECISION).length === 0);
    expect(diffPoints(got, expected, VM_PRECISION)).toEqual([]);
  });

  it('InfluxDB 1.x, the station restarted after one checkpoint and the upstream wiped meanwhile: the loss reported once, the checks after it find nothing new', async () => {
    const influx = await InfluxServer.launch();
    cleanups.push(() => influx.dispose());
    await influx.createDatabase('t');
    const proxy = await FaultProxy.start(influx.url);
    cleanups.push(() => proxy.close());
    let lookups = 0;
    proxy.readRule = ({ path }) => { if (path.startsWith('/query')) lookups++; return 'forward'; };
    const store = SyncStore.open(join(tmp.dir, 'escagain.sync.sqlite'));
    const log = new SampleLog(join(tmp.dir, 'escagain.samples.sqlite'));
    const stream = log.stream('influxdb1', 'escagain', SITE);
    const losses: string[] = [];
    let worker: UpstreamWorker | null = null;
    const startStation = () => {
      worker = new UpstreamWorker({
        config: upstreamConfig({ url: proxy.url, flavour: 'influxdb1', database: 't', flushIntervalMs: 50, batch: { lines: 200 }, resendWindowSec: 1 }),
        store, streams: [stream], log: silentLogger(), secret: null, probeIntervalMs: 100, checkpointIntervalMs: 200, verifyIntervalMs: 500,
        backoff: { baseMs: 20, capMs: 200, maxRetryAfterMs: 1000 }, onLoss: (s, d) => losses.push(`${s}: ${d}`),
      });
      worker.start();
    };
    cleanups.push(async () => { await worker?.stop(); store.close(); log.close(); });
    startStation();
    // One batch, so one checkpoint: the newest a first check after a station restart looks up.
    log.append(samples(4));
    await until('acknowledged', () => drained(store, 'region', [stream]));
    expect(store.checkpoints('region', ALL)).toHaveLength(1);
    await new Promise((res) => setTimeout(res, 1500)); // probed on: the checkpoint ages out of the re-send window
    await worker!.stop();
    await influx.kill9();
    rmSync(influx.dir, { recursive: true, force: true });
    await influx.restart();
    await influx.createDatabase('t');
    startStation();
    await until('the loss reported', () => losses.length > 0, 30_000);
    log.append(samples(300));
    await until('acknowledged', () => drained(store, 'region', [stream]) && store.replays('region').length === 0);
    // Checks between restarts every 0.5 s: the new round's checkpoints looked up, and a few checks more.
    const seen = lookups;
    await until('the new checkpoints looked up', () => lookups > seen, 20_000);
    await new Promise((res) => setTimeout(res, 2000));
    expect(losses).toHaveLength(1);
    expect(losses[0]).toMatch(/^samples: upstream region restarted at .*, holding nothing it acknowledged since .* \(the oldest check kept\)/);
    // The 4 samples before the wipe are gone (reported); the 300 after it are there, once each.
    const got = await influxPoints(influx, 't', 'escagain');
    expect(diffPoints(got, loggedAfter(log, 4))).toEqual([]);
  });
});
