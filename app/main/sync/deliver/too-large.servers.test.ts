/**
 * 413 from a real InfluxDB's path (the fault proxy answers it): a burst of
 * 413s for requests no larger than the upstream took before is a transient
 * fault (the same request again after backoff, nothing quarantined, no pause,
 * the request size kept); a real limit halves requests until they pass, and
 * they grow back to the configured size once it is gone; a single line
 * larger than anything the upstream took is quarantined at once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { silentLogger } from '../../log.js';
import { SyncStore } from '../store/sync-store.js';
import { FaultProxy } from '../testing/fault-proxy.js';
import { drained, tempDir, until, upstreamConfig } from '../testing/harness.js';
import { type LoggedSample, SampleLog } from '../testing/sample-log.js';
import { InfluxServer } from '../testing/servers.js';
import { diffPoints, influxPoints } from '../testing/upstream-points.js';
import { UpstreamWorker, type UpstreamState } from './worker.js';

const fast = { baseMs: 10, capMs: 100, maxRetryAfterMs: 1000 };
const tmp = tempDir();
let influx: InfluxServer;
let proxy: FaultProxy;
const stops: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  influx = await InfluxServer.launch();
  await influx.createDatabase('t');
  proxy = await FaultProxy.start(influx.url);
});
afterEach(async () => { for (const s of stops.splice(0).reverse()) await s(); });
afterAll(async () => { await proxy?.close(); await influx?.dispose(); tmp.remove(); });

function samples(prefix: string, n: number, t0: number): LoggedSample[] {
  return Array.from({ length: n }, (_, i) => ({ tag: `${prefix}.${i % 4}`, kind: 'analog' as const, t: t0 + i, value: i / 8, status: 0 }));
}

function rig(name: string, batchLines: number) {
  const store = SyncStore.open(join(tmp.dir, `${name}.sync.sqlite`));
  const log = new SampleLog(join(tmp.dir, `${name}.samples.sqlite`));
  const stream = log.stream('influxdb1', name);
  const states = new Set<UpstreamState>();
  const worker: UpstreamWorker = new UpstreamWorker({
    config: upstreamConfig({ url: proxy.url, flavour: 'influxdb1', database: 't', batch: { lines: batchLines }, flushIntervalMs: 50 }),
    store, streams: [stream], log: silentLogger(), secret: null, backoff: fast, pauseRetryMs: 600_000, onLoss: () => undefined,
    onChange: () => states.add(worker.status().state),
  });
  stops.push(async () => { await worker.stop(); store.close(); log.close(); });
  const forwarded = () => proxy.writes.filter((w) => w.action === 'forward:2xx' && w.lines[0]!.startsWith(`${name},`));
  return { store, log, stream, worker, states, forwarded };
}

describe('413 Payload Too Large', () => {
  it('a short burst for requests the upstream took before: retried as they were, nothing quarantined, no pause, full-size requests after', async () => {
    const r = rig('burst', 100);
    proxy.rule = () => 'forward';
    r.log.append(samples('b', 400, Date.now() - 600_000));
    r.worker.start();
    await until('the first lines taken', () => drained(r.store, 'region', [r.stream]));
    // Six refusals in a row, whatever the size: a proxy in front of the upstream misbehaving for a moment.
    let refusals = 6;
    proxy.rule = ({ lines }) => (lines[0]!.startsWith('burst,') && refusals-- > 0 ? { status: 413, body: '{"error":"injected 413"}' } : 'forward');
    const before = r.forwarded().length;
    r.log.append(samples('b', 1000, Date.now() - 300_000));
    await until('drained after the burst', () => drained(r.store, 'region', [r.stream]));
    expect(refusals).toBeLessThan(0);
    expect(r.store.quarantine()).toEqual([]);
    expect(r.states.has('paused')).toBe(false);
    const after = r.forwarded().slice(before).map((w) => w.lines.length);
    expect(Math.max(...after)).toBe(100);
    expect(after.reduce((n, x) => n + x, 0)).toBe(1000);
    expect(diffPoints(await influxPoints(influx, 't', 'burst'), r.log.expected())).toEqual([]);

    // A line larger than any request the upstream took is still quarantined at once, the others go on.
    proxy.rule = ({ lines }) => (lines.some((l) => l.length > 20_000) ? { status: 413, body: 'too large' } : 'forward');
    const big: LoggedSample = { tag: 'b.big', kind: 'text', t: Date.now() - 100_000, value: 'x'.repeat(40_000), status: 0 };
    r.log.append([...samples('b', 50, Date.now() - 200_000), big, ...samples('b', 50, Date.now() - 100_000)]);
    await until('drained with the big line', () => drained(r.store, 'region', [r.stream]));
    expect(r.store.quarantine().map((q) => [q.key, q.reason])).toEqual([['b.big', 'too large for the upstream: HTTP 413: too large']]);
    expect(r.states.has('paused')).toBe(false);
  });

  it('while a 413 taken as transient waits to go again, the state is retrying (as for a 5xx), not idle', async () => {
    // Found by an exploratory run: the status said 'idle' while the same request waited to go again.
    const r = rig('waiting', 100);
    proxy.rule = () => 'forward';
    r.log.append(samples('w', 100, Date.now() - 600_000));
    r.worker.start();
    await until('the first lines taken', () => drained(r.store, 'region', [r.stream]));
    await until('idle', () => r.worker.status().state === 'idle');
    let refusing = true;
    proxy.rule = ({ lines }) => (lines[0]!.startsWith('waiting,') && refusing ? { status: 413, body: 'too large' } : 'forward');
    r.log.append(samples('w', 100, Date.now() - 300_000));
    await until('retrying', () => r.worker.status().state === 'retrying', 5000);
    expect(r.worker.status().lastError?.message).toBe('HTTP 413: too large');
    refusing = false;
    await until('drained', () => drained(r.store, 'region', [r.stream]));
    expect(r.store.quarantine()).toEqual([]);
    expect(diffPoints(await influxPoints(influx, 't', 'waiting'), r.log.expected())).toEqual([]);
  });

  it('413 for everything, for good: requests halved down to one line, then the upstream paused; no ordinary line quarantined', async () => {
    const r = rig('always', 100);
    proxy.rule = () => 'forward';
    r.log.append(samples('a', 200, Date.now() - 600_000));
    r.worker.start();
    await until('the first lines taken', () => drained(r.store, 'region', [r.stream]));
    proxy.rule = ({ lines }) => (lines[0]!.startsWith('always,') ? { status: 413, body: 'too large' } : 'forward');
    r.log.append(samples('a', 300, Date.now() - 300_000));
    await until('paused', () => r.worker.status().state === 'paused');
    expect(r.worker.status().paused?.reason).toMatch(/^the upstream refuses one line of \d+ bytes as too large, though it took requests of up to \d+ bytes: HTTP 413: too large$/);
    expect(r.store.quarantine()).toEqual([]);
    proxy.rule = () => 'forward';
    r.worker.resume();
    await until('drained once resumed', () => drained(r.store, 'region', [r.stream]));
    expect(diffPoints(await influxPoints(influx, 't', 'always'), r.log.expected())).toEqual([]);
  });

  it('a real limit: halved until the upstream takes them, grown back to the batch size once the limit is gone', async () => {
    const r = rig('limit', 400);
    proxy.rule = ({ lines }) => (lines[0]!.startsWith('limit,') && lines.length > 120 ? { status: 413, body: 'too large' } : 'forward');
    r.log.append(samples('l', 3000, Date.now() - 600_000));
    r.worker.start();
    await until('drained under the limit', () => drained(r.store, 'region', [r.stream]));
    expect(Math.max(...r.forwarded().map((w) => w.lines.length))).toBeLessThanOrEqual(120);
    proxy.rule = () => 'forward';
    const before = r.forwarded().length;
    r.log.append(samples('l', 6000, Date.now() - 300_000));
    await until('drained without the limit', () => drained(r.store, 'region', [r.stream]));
    expect(Math.max(...r.forwarded().slice(before).map((w) => w.lines.length))).toBe(400);
    expect(r.store.quarantine()).toEqual([]);
    expect(diffPoints(await influxPoints(influx, 't', 'limit'), r.log.expected())).toEqual([]);
  });
});
