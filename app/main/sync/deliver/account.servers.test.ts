/**
 * A real InfluxDB 1.x with [http] auth-enabled, and what the station's account may do there
 * (found by an exploratory run):
 * - an account allowed to write only: the checks of what the upstream holds are answered 403. Its
 *   database dropped and made again between two writes lost everything acknowledged before, and
 *   the status stayed green, a log line every 5 minutes the only trace. Now the status says what it
 *   holds cannot be checked (once), and once the account may read, the next check finds the loss;
 * - the same account, the database dropped, writes answered 404 (database not found), then 403
 *   (its grant went with it) until made again and granted: a possible loss is reported, not nothing;
 * - a wrong password: paused with InfluxDB's own answer, nothing dropped, all of it sent once right.
 * Expectations come from the test's sample log and InfluxDB's answers.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../log.js';
import { SyncStore } from '../store/sync-store.js';
import { FaultProxy } from '../testing/fault-proxy.js';
import { drained, tempDir, until, upstreamConfig } from '../testing/harness.js';
import { type LoggedSample, SampleLog } from '../testing/sample-log.js';
import { InfluxServer } from '../testing/servers.js';
import { type PointsByTag, diffPoints, influxPoints } from '../testing/upstream-points.js';
import { UpstreamWorker } from './worker.js';

const tmp = tempDir();
const cleanups: (() => unknown)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c(); tmp.remove(); });

let k = 0;
/** n samples over 4 tags, ten minutes ago and after, never repeating a time. */
function samples(n: number): LoggedSample[] {
  const t0 = Date.now() - 600_000 + (k += n) * 10;
  return Array.from({ length: n }, (_, i) => ({ tag: `acct.${i % 4}`, kind: 'analog' as const, t: t0 + i * 10, value: i / 4, status: 0 }));
}

/** A worker sending a sample log to database `t` as `username` with `secret`, its losses recorded. */
function rig(name: string, url: string, username: string, secret: string, pauseRetryMs = 600_000) {
  const store = SyncStore.open(join(tmp.dir, `${name}.sync.sqlite`));
  const log = new SampleLog(join(tmp.dir, `${name}.samples.sqlite`));
  const stream = log.stream('influxdb1', name);
  const losses: string[] = [];
  const worker = new UpstreamWorker({
    config: upstreamConfig({
      url, flavour: 'influxdb1', database: 't', flushIntervalMs: 50, batch: { lines: 200 }, resendWindowSec: 1, credentials: { username, secret: { env: 'VIGIL_TEST_SECRET' } },
    }),
    store, streams: [stream], log: silentLogger(), secret, probeIntervalMs: 100, checkpointIntervalMs: 200, verifyIntervalMs: 300, pauseRetryMs,
    backoff: { baseMs: 20, capMs: 200, maxRetryAfterMs: 1000 }, onLoss: (s, d) => losses.push(`${s}: ${d}`),
  });
  cleanups.push(async () => { await worker.stop(); store.close(); log.close(); });
  const send = async (rounds: number) => {
    for (let r = 0; r < rounds; r++) {
      log.append(samples(300));
      await until('acknowledged', () => drained(store, 'region', [stream]));
      await new Promise((res) => setTimeout(res, 250));
    }
  };
  /** What the log holds after position `after`, as InfluxDB should. */
  const expected = (after = 0): PointsByTag => {
    const out: PointsByTag = new Map();
    for (const x of log.db.prepare('SELECT tag, t, value FROM sample WHERE id > ? ORDER BY tag, t').all(after) as { tag: string; t: number; value: number }[]) {
      out.set(x.tag, [...out.get(x.tag) ?? [], { t: x.t, value: x.value, status: 0 }]);
    }
    return out;
  };
  return { store, log, stream, worker, losses, send, expected };
}

/** InfluxDB with auth, database `t`, and user `w` allowed to write it only. */
async function writeOnly(): Promise<InfluxServer> {
  const influx = await InfluxServer.launch({ auth: true });
  cleanups.push(() => influx.dispose());
  await influx.createDatabase('t');
  await influx.query(`CREATE USER "w" WITH PASSWORD 'w-pw'`);
  await influx.query('GRANT WRITE ON "t" TO "w"');
  return influx;
}

describe('InfluxDB 1.6.7 with auth', () => {
  it('an account allowed to write only: the status says what it holds cannot be checked, once; allowed to read, the next check finds a database made again', async () => {
    const influx = await writeOnly();
    const proxy = await FaultProxy.start(influx.url);
    cleanups.push(() => proxy.close());
    let lookups = 0;
    proxy.readRule = ({ path }) => { if (path.startsWith('/query')) lookups++; return 'forward'; };
    const r = rig('wonly', proxy.url, 'w', 'w-pw');
    r.worker.start();
    await r.send(3);
    await until('said', () => r.worker.status().restartCheck !== null, 15_000);
    const said = r.worker.status().restartCheck!;
    expect(said.message).toMatch(/^upstream region: what it holds could not be checked \(HTTP 403: .*w not authorized to execute statement 'SELECT count.*\): data it loses without a restart \(a database dropped and made again\) would go unnoticed; let the station's account read$/);
    expect(said.text?.key).toBe('sync.check.unverifiable');
    // Said once, not at every check.
    const seen = lookups;
    await until('three more checks refused', () => lookups >= seen + 3, 15_000);
    expect(r.worker.status().restartCheck).toEqual(said);
    // Dropped and made again between two writes: no 404 to see, nothing to go by but a check.
    const oldest = r.store.checkpoints('region', Date.now())[0]!;
    await influx.query('DROP DATABASE "t"');
    await influx.createDatabase('t');
    await influx.query('GRANT WRITE ON "t" TO "w"');
    await r.send(1);
    expect(r.losses).toEqual([]);
    // Allowed to read: the next check looks up what was acknowledged since the last one made.
    await influx.query('GRANT ALL ON "t" TO "w"'); // GRANT READ would replace its WRITE
    await until('the loss found', () => r.losses.length > 0, 30_000);
    await until('sent again', () => drained(r.store, 'region', [r.stream]));
    expect(r.losses).toHaveLength(1);
    expect(r.losses[0]).toMatch(/^samples: upstream region no longer holds what it acknowledged .*holding nothing it acknowledged since/);
    // What came after the oldest checkpoint's position is there again; before it cannot be told (reported).
    const after = Number(oldest.cursors.samples);
    expect(after).toBeGreaterThan(0);
    expect(diffPoints(await influxPoints(influx, 't', 'wonly'), r.expected(after))).toEqual([]);
  });

  it('an account allowed to write only, its database dropped (404) and made again: the possible loss is reported once', async () => {
    const influx = await writeOnly();
    const r = rig('wnotfound', influx.url, 'w', 'w-pw', 200);
    r.worker.start();
    await r.send(2);
    await influx.query('DROP DATABASE "t"');
    r.log.append(samples(300));
    await until('paused: database not found', () => /^HTTP 404: .*database not found/.test(r.worker.status().paused?.reason ?? ''), 15_000);
    await influx.createDatabase('t');
    await until('paused: its grant went with the database', () => /^HTTP 403: .*not authorized to write/.test(r.worker.status().paused?.reason ?? ''), 15_000);
    await influx.query('GRANT WRITE ON "t" TO "w"');
    await until('the possible loss reported', () => r.losses.length > 0, 30_000);
    await until('drained', () => drained(r.store, 'region', [r.stream]));
    expect(r.losses).toEqual([
      expect.stringMatching(/^samples: upstream region answered that the database was not found \(HTTP 404: \{"error":"database not found: \\"t\\""\}\), and what it holds since it took data again could not be checked \(HTTP 403: .*w not authorized to execute statement 'SELECT count.*\): what it acknowledged before may be missing there; let the station's account read, or send again \(npm run sync -- resend\)$/),
    ]);
    await r.send(1);
    expect(r.losses).toHaveLength(1);
    // What it took after it was made again is there.
    expect(countOf(await influxPoints(influx, 't', 'wnotfound'))).toBe(600);
  });

  it('an account allowed to write only, the upstream restarted, the station restarted before its check was tried five times: the tries go on, the possible loss is reported', async () => {
    const influx = await writeOnly();
    const proxy = await FaultProxy.start(influx.url);
    cleanups.push(() => proxy.close());
    let probing = true;
    proxy.readRule = ({ path }) => (!probing && path.startsWith('/debug/vars') ? { status: 503, body: 'down', contentType: 'text/plain' } : 'forward');
    const r = rig('wpending', proxy.url, 'w', 'w-pw');
    r.worker.start();
    await r.send(1);
    await influx.stop();
    await influx.restart();
    await until('the restart seen, its check refused', () => r.worker.status().restarts === 1, 15_000);
    probing = false; // no probe, so no try of the check, before the station stops
    await r.worker.stop();
    expect(r.losses).toEqual([]);
    // The station again, on the same sync.sqlite: the upstream's new start time is known already.
    probing = true;
    const again = rig('wpending', proxy.url, 'w', 'w-pw');
    again.worker.start();
    await until('the possible loss reported', () => again.losses.length > 0, 15_000);
    expect(again.losses).toEqual([expect.stringMatching(/^samples: upstream region restarted at .*, and what it still holds could not be checked \(HTTP 403: .*not authorized/)]);
  });

  it('a wrong password: paused with InfluxDB\'s answer, nothing dropped; set right there and resumed, everything arrives once', async () => {
    const influx = await writeOnly();
    const r = rig('wrongpw', influx.url, 'w', 'not-the-pw');
    r.log.append(samples(900));
    r.worker.start();
    await until('paused', () => r.worker.status().state === 'paused', 15_000);
    expect(r.worker.status().paused?.reason).toBe('HTTP 401: {"error":"authorization failed"}');
    expect(r.worker.status().lastError?.said).toEqual({ key: 'sync.fault.httpDenied', params: { status: '401' } });
    expect(r.store.watermark('region', r.stream.name).cursor).toBeNull();
    await influx.query(`SET PASSWORD FOR "w" = 'not-the-pw'`);
    r.worker.resume();
    await until('drained', () => drained(r.store, 'region', [r.stream]), 15_000);
    expect(diffPoints(await influxPoints(influx, 't', 'wrongpw'), r.expected())).toEqual([]);
    expect([r.worker.status().sentLines, r.worker.status().resentLines]).toEqual([900, 0]);
  });
});

function countOf(p: PointsByTag): number {
  let n = 0;
  for (const l of p.values()) n += l.length;
  return n;
}
