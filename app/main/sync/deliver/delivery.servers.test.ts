/**
 * Delivery against the real servers, through the fault proxy: after each
 * fault the points upstream equal the points sent, compared per tag and
 * value by value; on VictoriaMetrics (no deduplication) any extra copy is
 * within the re-sends the worker counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultAction, FaultProxy } from '../testing/fault-proxy.js';
import { drained, until, upstreamConfig } from '../testing/harness.js';
import { type LoggedSample } from '../testing/sample-log.js';
import { useWorkerRigs } from '../testing/worker-rig.js';
import { InfluxServer, VictoriaServer } from '../testing/servers.js';
import { type PointsByTag, VM_PRECISION, countPoints, diffPoints, influxPoints, settled, victoriaPoints } from '../testing/upstream-points.js';

const fast = { baseMs: 10, capMs: 100, maxRetryAfterMs: 2000 };

/** n samples over 4 tags of every kind, ending a minute ago (recent enough for any retention). */
function samples(n: number, t0 = Date.now() - 60_000 - n * 10): LoggedSample[] {
  const out: LoggedSample[] = [];
  for (let i = 0; i < n; i++) {
    const t = t0 + Math.floor(i / 4) * 40 + (i % 4);
    switch (i % 4) {
      case 0: out.push({ tag: 'TK101.Level', kind: 'analog', t, value: Math.sin(i / 100) * 10 + 0.000123 * i, status: 0 }); break;
      case 1: out.push({ tag: 'TK101.Pump', kind: 'discrete', t, value: i % 3 === 0, status: 0 }); break;
      case 2: out.push({ tag: 'TK101.Product', kind: 'text', t, value: `batch ${i % 7}, "grade A"`, status: 0 }); break;
      default: out.push({ tag: 'Area 1,LEL=%', kind: 'analog', t, value: i % 50 === 3 ? NaN : i / 7, status: i % 50 === 3 ? 0x808c0000 : 0 });
    }
  }
  return out;
}

const rig = useWorkerRigs();

/** The upstream's points of the tags a test wrote (the servers are shared by the tests of a file). */
function only(got: PointsByTag, expected: PointsByTag): PointsByTag {
  return new Map([...got].filter(([tag]) => expected.has(tag)));
}


describe('InfluxDB 1.6.7', () => {
  let influx: InfluxServer;
  beforeAll(async () => {
    influx = await InfluxServer.launch();
    await influx.query('CREATE DATABASE p WITH DURATION 1h');
  });
  afterAll(() => influx?.dispose());

  it('a line beyond retention among 5,000: InfluxDB writes the rest (partial write), the line is quarantined with its reason', async () => {
    const r = rig('influx-poison', { config: upstreamConfig({ url: influx.url, flavour: 'influxdb1', database: 'p' }), backoff: fast });
    const data = samples(12_000);
    const poison: LoggedSample = { tag: 'TK101.Level', kind: 'analog', t: Date.now() - 3 * 3600_000, value: 42, status: 0 };
    r.log.append([...data.slice(0, 7000), poison, ...data.slice(7000)]);
    r.worker.start();
    await until('drained', () => drained(r.store, 'region', [r.stream]));
    const q = r.store.quarantine();
    expect(q.map((x) => [x.key, x.t, x.origin])).toEqual([['TK101.Level', poison.t, 'upstream']]);
    expect(q[0]!.reason).toMatch(/^HTTP 400: .*partial write: points beyond retention policy dropped=1/);
    const expected = r.log.expected();
    expected.get('TK101.Level')!.splice(expected.get('TK101.Level')!.findIndex((p) => p.t === poison.t), 1);
    const got = await influxPoints(influx, 'p', 'tf');
    expect(countPoints(got)).toBe(12_000);
    expect(diffPoints(got, expected)).toEqual([]);
  });

  it('a full disk at the station: nothing is skipped, whether a batch could not be begun or was taken upstream but not recorded', async () => {
    const r = rig('influx-full', { config: upstreamConfig({ url: influx.url, flavour: 'influxdb1', database: 'p', batch: { lines: 2000 } }), backoff: fast });
    r.log.append(samples(6000).map((s) => ({ ...s, tag: `full.${s.tag}` })));
    const upstream = async () => new Map([...(await influxPoints(influx, 'p', 'tf'))].filter(([tag]) => tag.startsWith('full.')));
    // What a full disk does to sync.sqlite, table by table: every write fails with SQLite's own message.
    const fill = (table: string, op: string) =>
      r.store.db.exec(`CREATE TEMP TRIGGER full_${table}_${op} BEFORE ${op} ON main.${table} BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END`);
    const free = (table: string, op: string) => r.store.db.exec(`DROP TRIGGER temp.full_${table}_${op}`);
    const recording = [['watermark', 'INSERT'], ['watermark', 'UPDATE'], ['acked', 'INSERT']] as const;
    fill('inflight', 'INSERT');
    for (const [table, op] of recording) fill(table, op);

    // 1. The batch cannot even be begun: nothing goes out.
    r.worker.start();
    await until('retrying', () => r.worker.status().state === 'retrying');
    expect(r.worker.status().lastError?.message).toBe('station: database or disk is full');
    expect(countPoints(await upstream())).toBe(0);

    // 2. Begun and taken by InfluxDB, but the acknowledgement cannot be recorded: no watermark moves.
    free('inflight', 'INSERT');
    r.worker.resume();
    await until('a batch reached InfluxDB', async () => countPoints(await upstream()) > 0);
    await until('retrying again', () => r.worker.status().state === 'retrying');
    expect(r.store.db.prepare("SELECT count(*) AS n FROM watermark WHERE upstream = 'region'").get()).toEqual({ n: 0 });

    // 3. Room again: that batch goes again (InfluxDB overwrites a point of the same series and time), then the rest.
    for (const [table, op] of recording) free(table, op);
    r.worker.resume();
    await until('drained', () => drained(r.store, 'region', [r.stream]));
    const got = await upstream();
    expect(countPoints(got)).toBe(6000);
    expect(diffPoints(got, r.log.expected())).toEqual([]);
  });
});

describe('VictoriaMetrics behind the fault proxy', () => {
  let vm: VictoriaServer;
  let proxy: FaultProxy;
  beforeAll(async () => {
    vm = await VictoriaServer.launch();
    proxy = await FaultProxy.start(vm.url);
  });
  afterAll(async () => { await proxy?.close(); await vm?.dispose(); });
  /**
   * VictoriaMetrics' points of the expected tags once they agree (a new series can still be missing
   * from a search right after its rows were flushed: on a loaded machine all four were), or as they
   * are after 15 s.
   */
  const held = (expected: PointsByTag) =>
    settled(async () => only(await victoriaPoints(vm, 'tf'), expected), (p) => diffPoints(p, expected, VM_PRECISION).length === 0);

  it('500, 429 with Retry-After, reset, stall and a refused line: every point arrives once, the line is quarantined', async () => {
    const faults: Record<number, FaultAction> = {
      0: { status: 500 }, 1: { status: 429, retryAfter: '1' }, 2: 'reset', 3: 'stall', 5: { status: 503 },
    };
    proxy.writes.length = 0;
    proxy.rule = ({ index, lines }) => faults[index] ?? (lines.some((l) => l.includes('POISON')) ? { status: 400, body: '{"error":"bad line"}' } : 'forward');
    const r = rig('vm-faults', { config: upstreamConfig({ url: proxy.url, flavour: 'victoriametrics', database: undefined, timeoutMs: 1000, batch: { lines: 2000 } }), backoff: fast });
    const data = samples(20_000);
    r.log.append([...data.slice(0, 9000), { tag: 'POISON', kind: 'analog', t: Date.now() - 120_000, value: 1, status: 0 }, ...data.slice(9000)]);
    r.worker.start();
    await until('drained', () => drained(r.store, 'region', [r.stream]));
    expect(r.store.quarantine().map((x) => [x.key, x.reason])).toEqual([['POISON', 'HTTP 400: {"error":"bad line"}']]);
    const actions = proxy.writes.map((w) => w.action);
    expect(actions.slice(0, 4)).toEqual(['status:500', 'status:429', 'reset', 'stall']);
    const expected = r.log.expected(true);
    expected.delete('POISON');
    const got = await held(expected);
    expect(diffPoints(got, expected, VM_PRECISION)).toEqual([]);
    // Lines whose tries may have reached the upstream (reset, stall, 5xx, a 400 that may be partial)
    // count as re-sent, once per such try: each may have left a copy.
    const { sentLines, resentLines } = r.worker.status();
    expect(sentLines).toBeLessThanOrEqual(20_000 - 2000);
    expect(sentLines + resentLines).toBeGreaterThanOrEqual(20_000);
    expect(resentLines).toBeGreaterThanOrEqual(2000);
  });

  it('one request stored twice without an answer: the two extra copies VictoriaMetrics keeps are counted as sent again', async () => {
    proxy.writes.length = 0;
    // The first request is taken upstream but never answered, twice (the client times out): its fate unknown each time.
    // After each timeout the request is halved: 500 lines, then the first 250 of them, then 125 at a time.
    proxy.rule = ({ index }) => (index < 2 ? 'forwardThenStall' : 'forward');
    const r = rig('vm-twice', { config: upstreamConfig({ url: proxy.url, flavour: 'victoriametrics', database: undefined, timeoutMs: 1000, batch: { lines: 500 } }), backoff: fast });
    r.log.append(samples(500).map((s) => ({ ...s, tag: `twice.${s.tag}` })));
    r.worker.start();
    await until('drained', () => drained(r.store, 'region', [r.stream]));
    expect(proxy.writes.map((w) => [w.lines.length, w.action])).toEqual([[500, 'forward:2xx:unanswered'], [250, 'forward:2xx:unanswered'],
      [125, 'forward:2xx'], [125, 'forward:2xx'], [125, 'forward:2xx'], [125, 'forward:2xx']]);
    // What VictoriaMetrics holds (deduplication off): the first 250 samples three times, the others twice.
    const expected = r.log.expected(true);
    const count = (p: PointsByTag) => [...p].filter(([tag]) => tag.startsWith('twice.')).reduce((n, [, l]) => n + l.length, 0);
    const held = count(await settled(() => victoriaPoints(vm, 'tf'), (p) => count(p) === 1250));
    const lines = count(expected);
    expect(lines).toBe(500);
    expect(held).toBe(1250);
    const { resentLines } = r.worker.status();
    expect(resentLines).toBeGreaterThanOrEqual(held - lines);
  });

  it('401 pauses the upstream without dropping anything; resume sends it all', async () => {
    let refuse = true;
    proxy.rule = () => (refuse ? { status: 401, body: '{"error":"authorization failed"}' } : 'forward');
    const r = rig('vm-401', { config: upstreamConfig({ url: proxy.url, flavour: 'victoriametrics', database: undefined }), backoff: fast, pauseRetryMs: 60_000 });
    r.log.append(samples(3000).map((s) => ({ ...s, tag: `p401.${s.tag}` })));
    r.worker.start();
    await until('paused', () => r.worker.status().state === 'paused');
    expect(r.worker.status().paused?.reason).toBe('HTTP 401: {"error":"authorization failed"}');
    expect(r.store.paused('region')?.reason).toBe('HTTP 401: {"error":"authorization failed"}');
    refuse = false;
    r.worker.resume();
    await until('drained', () => drained(r.store, 'region', [r.stream]));
    expect(r.store.paused('region')).toBeNull();
    expect(diffPoints(await held(r.log.expected(true)), r.log.expected(true), VM_PRECISION)).toEqual([]);
  });

  it('413 halves the request until the upstream takes it', async () => {
    proxy.writes.length = 0;
    proxy.rule = ({ lines }) => (lines.length > 700 ? { status: 413, body: 'too large' } : 'forward');
    const r = rig('vm-413', { config: upstreamConfig({ url: proxy.url, flavour: 'victoriametrics', database: undefined, batch: { lines: 5000 } }), backoff: fast });
    r.log.append(samples(6000).map((s) => ({ ...s, tag: `p413.${s.tag}` })));
    r.worker.start();
    await until('drained', () => drained(r.store, 'region', [r.stream]));
    const forwarded = proxy.writes.filter((w) => w.action === 'forward:2xx');
    expect(Math.max(...forwarded.map((w) => w.lines.length))).toBeLessThanOrEqual(700);
    expect(forwarded.reduce((n, w) => n + w.lines.length, 0)).toBe(6000);
    expect(diffPoints(await held(r.log.expected(true)), r.log.expected(true), VM_PRECISION)).toEqual([]);
  });
});
