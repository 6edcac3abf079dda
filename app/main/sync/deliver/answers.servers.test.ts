/**
 * What counts as delivered, and what is known not sent, against the real
 * servers: a portal's "200 text/html" is no acknowledgement, a probe it
 * answers is an error in the status, points beyond InfluxDB's retention go
 * to the quarantine without pausing the upstream, a request that times out
 * is halved (and grows back), and a connection refused is not "sent again".
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../testing/fault-proxy.js';
import { drained, until, upstreamConfig } from '../testing/harness.js';
import { type LoggedSample } from '../testing/sample-log.js';
import { useWorkerRigs } from '../testing/worker-rig.js';
import { InfluxServer, VictoriaServer } from '../testing/servers.js';
import { type PointsByTag, VM_PRECISION, countPoints, diffPoints, influxPoints, settled, victoriaPoints } from '../testing/upstream-points.js';

const fast = { baseMs: 10, capMs: 100, maxRetryAfterMs: 2000 };
const PORTAL = '<html><head><title>Sign in</title></head><body>Please sign in to continue</body></html>';

/** n samples of 3 tags named `<prefix>.*` (analog, discrete, text), 10 ms apart per tag, ending a minute ago. */
function samples(prefix: string, n: number, t0 = Date.now() - 60_000 - n * 10): LoggedSample[] {
  const out: LoggedSample[] = [];
  for (let i = 0; i < n; i++) {
    const t = t0 + Math.floor(i / 3) * 30 + (i % 3);
    if (i % 3 === 0) out.push({ tag: `${prefix}.Level`, kind: 'analog', t, value: i / 8, status: 0 });
    else if (i % 3 === 1) out.push({ tag: `${prefix}.Pump`, kind: 'discrete', t, value: i % 2 === 0, status: 0 });
    else out.push({ tag: `${prefix}.Product`, kind: 'text', t, value: `grade ${i % 5}`, status: 0 });
  }
  return out;
}

const rig = useWorkerRigs();

/** The points of the tags named `<prefix>.*` (the servers are shared by the tests of a file). */
function only(got: PointsByTag, prefix: string): PointsByTag {
  return new Map([...got].filter(([tag]) => tag.startsWith(`${prefix}.`)));
}

/** One copy of each point (VictoriaMetrics keeps a copy per request that reached it). */
function distinct(got: PointsByTag): PointsByTag {
  return new Map([...got].map(([tag, l]) => [tag, l.filter((p, i) => i === 0 || JSON.stringify(p) !== JSON.stringify(l[i - 1]))]));
}


describe('VictoriaMetrics behind a proxy', () => {
  let vm: VictoriaServer;
  let proxy: FaultProxy;
  beforeAll(async () => {
    vm = await VictoriaServer.launch();
    proxy = await FaultProxy.start(vm.url);
  });
  afterEach(() => {
    proxy.rule = () => 'forward';
    proxy.readRule = () => 'forward';
  });
  afterAll(async () => { await proxy?.close(); await vm?.dispose(); });

  it('a captive portal answering 200 text/html acknowledges nothing: retried, named in the status, every point arrives', async () => {
    let portal = true;
    proxy.writes.length = 0;
    proxy.rule = () => (portal ? { status: 200, contentType: 'text/html; charset=utf-8', body: PORTAL } : 'forward');
    const r = rig('portal', { config: upstreamConfig({ url: proxy.url, flavour: 'victoriametrics', database: undefined, batch: { lines: 250 } }), backoff: fast });
    r.log.append(samples('portal', 1000));
    r.worker.start();
    await until('the portal answered three times', () => proxy.writes.length >= 3, 10_000);
    const during = r.worker.status();
    expect(during.state).toBe('retrying');
    expect(during.lastSuccessAt).toBeNull();
    expect(during.lastError?.message).toBe(`HTTP 200 (text/html; charset=utf-8) is not the upstream's answer to a write: a proxy or portal in the way? ${PORTAL}`);
    expect(r.store.watermark('region', 'samples').cursor).toBeNull();
    portal = false;
    r.worker.resume();
    await until('drained', () => drained(r.store, 'region', [r.stream]), 20_000);
    expect(proxy.writes.filter((w) => w.action === 'status:200').length).toBeGreaterThanOrEqual(3);
    const got = only(await settled(() => victoriaPoints(vm, 'tf'), (p) => countPoints(only(p, 'portal')) >= 1000), 'portal');
    expect(countPoints(got)).toBe(1000);
    expect(diffPoints(got, r.log.expected(true), VM_PRECISION)).toEqual([]);
    expect(r.worker.status().sentLines).toBe(1000);
  });

  it('a restart probe answered by a portal (200 text/html) is an error in the status, not ignored', async () => {
    proxy.readRule = ({ path }) => (path.startsWith('/metrics') ? { status: 200, contentType: 'text/html', body: PORTAL } : 'forward');
    const r = rig('probe', { config: upstreamConfig({ url: proxy.url, flavour: 'victoriametrics', database: undefined }), backoff: fast, probeIntervalMs: 100 });
    r.log.append(samples('probe', 30));
    r.worker.start();
    await until('drained', () => drained(r.store, 'region', [r.stream]), 20_000);
    await until('the probe failed', () => r.worker.status().lastError !== null, 10_000);
    expect(r.worker.status().lastError?.message).toBe(`restart probe /metrics: unreadable answer (HTTP 200, text/html): not the upstream's; a proxy or portal in the way? ${PORTAL}`);
  });

  it('a request that times out is halved until the link carries it, and grows back to batch.lines after successes', async () => {
    // A link too slow for requests over 100 lines: they reach VictoriaMetrics (it stores them) but
    // the answer never comes back within the timeout.
    let slow = true;
    proxy.writes.length = 0;
    proxy.rule = ({ lines }) => (slow && lines.length > 100 ? 'forwardThenStall' : 'forward');
    const r = rig('slow', { config: upstreamConfig({ url: proxy.url, flavour: 'victoriametrics', database: undefined, timeoutMs: 1000, batch: { lines: 400 } }), backoff: fast });
    r.log.append(samples('slow', 1200));
    r.worker.start();
    await until('drained', () => drained(r.store, 'region', [r.stream]), 40_000);
    const first = proxy.writes.map((w) => [w.lines.length, w.action]);
    expect(first.slice(0, 3)).toEqual([[400, 'forward:2xx:unanswered'], [200, 'forward:2xx:unanswered'], [100, 'forward:2xx']]);
    expect(first.filter(([, a]) => a === 'forward:2xx').reduce((n, [l]) => n + (l as number), 0)).toBe(1200);
    // Each timed-out request left a copy: counted as sent again.
    const expected = r.log.expected(true);
    const got = only(await settled(() => victoriaPoints(vm, 'tf'), (p) => diffPoints(distinct(only(p, 'slow')), expected, VM_PRECISION).length === 0), 'slow');
    expect(diffPoints(distinct(got), expected, VM_PRECISION)).toEqual([]);
    expect(r.worker.status().resentLines).toBeGreaterThanOrEqual(countPoints(got) - 1200);
    // The link is fast again: requests grow back (doubling after 8 successes) to 400 lines.
    slow = false;
    proxy.writes.length = 0;
    r.log.append(samples('fast', 4800));
    await until('drained again', () => drained(r.store, 'region', [r.stream]), 40_000);
    const sizes = proxy.writes.map((w) => w.lines.length);
    expect(proxy.writes.every((w) => w.action === 'forward:2xx')).toBe(true);
    expect(sizes.reduce((n, l) => n + l, 0)).toBe(4800);
    expect(sizes.at(-1)).toBe(400);
  });
});

describe('VictoriaMetrics not listening', () => {
  let vm: VictoriaServer;
  beforeAll(async () => { vm = await VictoriaServer.launch(); });
  afterAll(() => vm?.dispose());

  it('connections refused are known not sent: nothing counts as sent again', async () => {
    await vm.stop();
    const r = rig('refused', { config: upstreamConfig({ url: vm.url, flavour: 'victoriametrics', database: undefined, batch: { lines: 100 } }), backoff: fast, probeIntervalMs: 100 });
    r.log.append(samples('refused', 300));
    r.worker.start();
    await until('refused', () => /ECONNREFUSED/.test(r.worker.status().lastError?.message ?? ''), 10_000);
    await new Promise((res) => setTimeout(res, 300)); // a few more refused tries
    expect(r.worker.status().state).toBe('retrying');
    await vm.restart();
    await until('drained', () => drained(r.store, 'region', [r.stream]), 20_000);
    expect(r.worker.status()).toMatchObject({ sentLines: 300, resentLines: 0 });
    const got = only(await settled(() => victoriaPoints(vm, 'tf'), (p) => countPoints(only(p, 'refused')) >= 300), 'refused');
    expect(diffPoints(got, r.log.expected(true), VM_PRECISION)).toEqual([]);
  });
});

/** 330 old samples and 330 recent ones: 300 old in a row (whole requests), then 30 old ones each before a recent one, then the rest. */
function oldThenAmongNew(old: LoggedSample[], recent: LoggedSample[]): LoggedSample[] {
  const mixed = old.slice(0, 300);
  for (let i = 0; i < 30; i++) mixed.push(old[300 + i]!, recent[i]!);
  return [...mixed, ...recent.slice(30)];
}

describe('InfluxDB 1.6.7, a retention policy shorter than the backlog', () => {
  let influx: InfluxServer;
  beforeAll(async () => {
    influx = await InfluxServer.launch();
    await influx.query('CREATE DATABASE r WITH DURATION 1h');
  });
  afterAll(() => influx?.dispose());

  it('lines beyond retention are quarantined with the reason, never pause the upstream, and the newer data flows on', async () => {
    const r = rig('retention', {
      config: upstreamConfig({ url: influx.url, flavour: 'influxdb1', database: 'r', batch: { lines: 200 } }), backoff: fast, pauseRetryMs: 600_000,
    });
    // 300 old lines in a row (whole requests dropped), then 30 old ones among recent ones (found by bisecting).
    r.log.append(oldThenAmongNew(samples('old', 330, Date.now() - 3 * 3600_000), samples('new', 330)));
    r.worker.start();
    await until('drained or paused', () => drained(r.store, 'region', [r.stream]) || r.worker.status().state === 'paused', 30_000);
    expect(r.worker.status().paused).toBeNull();
    expect(drained(r.store, 'region', [r.stream])).toBe(true);
    const q = r.store.quarantine({ limit: 1000 });
    expect(q.length).toBe(330);
    expect(q.every((x) => x.key.startsWith('old.') && x.origin === 'upstream')).toBe(true);
    expect(new Set(q.map((x) => x.reason.replace(/dropped=\d+/, 'dropped=N'))))
      .toEqual(new Set(['HTTP 400: {"error":"partial write: points beyond retention policy dropped=N"}']));
    const expected = r.log.expected();
    for (const tag of [...expected.keys()]) if (tag.startsWith('old.')) expected.delete(tag);
    const got = await influxPoints(influx, 'r', 'tf');
    expect(countPoints(got)).toBe(330);
    expect(diffPoints(got, expected)).toEqual([]);
  });
});

describe('VictoriaMetrics with -retentionPeriod=1d, a backlog reaching further back', () => {
  let vm: VictoriaServer;
  beforeAll(async () => { vm = await VictoriaServer.launch({ retentionPeriod: '1d' }); });
  afterAll(() => vm?.dispose());

  it('lines older than its retention are quarantined with the reason before sending, not dropped silently there (it answers 204)', async () => {
    // Found in a faults run: VictoriaMetrics answered 204 to them, stored nothing (its
    // vm_rows_ignored_total{reason="small_timestamp"} rose) and the station counted them as sent.
    const r = rig('vmretention', {
      config: upstreamConfig({ url: vm.url, flavour: 'victoriametrics', batch: { lines: 200 } }), backoff: fast, pauseRetryMs: 600_000,
    });
    r.log.append(oldThenAmongNew(samples('vold', 330, Date.now() - 2 * 86_400_000), samples('vnew', 330)));
    r.worker.start();
    await until('drained or paused', () => drained(r.store, 'region', [r.stream]) || r.worker.status().state === 'paused', 30_000);
    expect(r.worker.status().paused).toBeNull();
    const q = r.store.quarantine({ limit: 1000 });
    expect(q.length).toBe(330);
    expect(q.every((x) => x.key.startsWith('vold.'))).toBe(true);
    expect(q[0]!.reason).toMatch(/^line time 20\d\d-.*Z is older than VictoriaMetrics' retention \(-retentionPeriod=1d, from its \/metrics\): it would be dropped silently \(answered 204\)$/);
    expect([r.worker.status().sentLines, r.worker.status().resentLines]).toEqual([330, 0]);
    const expected = r.log.expected();
    for (const tag of [...expected.keys()]) if (tag.startsWith('vold.')) expected.delete(tag);
    const got = await settled(() => victoriaPoints(vm, 'tf'), (p) => countPoints(p) >= 330);
    expect(diffPoints(got, expected, VM_PRECISION)).toEqual([]);
    // Nothing reached it to be dropped.
    const metrics = await (await fetch(`${vm.url}/metrics`)).text();
    expect(metrics).toMatch(/^vm_rows_ignored_total\{reason="small_timestamp"\} 0$/m);
  });
});
