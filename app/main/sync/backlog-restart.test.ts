/**
 * A backlog's age after a station restart: a real historian, the sync service stopped and started
 * again on the same sync.sqlite, an upstream that stops answering 2xx. The change log keeps write
 * times per minute; before the fix a restart read the oldest unsent sample as written at its
 * minute's start (an exploratory run: "oldest 2 min 15 s" at a real 92 s, the backlog alarm 27 s
 * early). The wall clock of the archive and the sync is moved by hand; what is expected is the
 * unsent samples' own time (each is stamped with the wall clock it is written at).
 */
import { once } from 'node:events';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../../../historian/index.js';
import { Good } from '../../../historian/status.js';
import { tagConfig } from '../../../historian/store/testing.js';
import { syncConfigSchema } from '../../shared/config/sync.js';
import { silentLogger } from '../log.js';
import { SampleEncoder } from './line-protocol/samples.js';
import { SyncService } from './service.js';
import type { UpstreamStatus } from './status.js';
import { SamplesStream } from './streams/samples.js';
import { drained, tempDir, until } from './testing/harness.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const TAGS = ['TK1.Level', 'TK2.Level', 'TK3.Level'];
/**
 * A status ages a record it has seen on the steady clock, which runs on in real time while the
 * test's wall clock stands still: a few real seconds at most, far below the minute's error.
 */
const SLACK = 5000;

/** A station's archive and sync on a hand-moved wall clock, against an upstream that can be made to answer 503. */
async function rig() {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const up = { down: false };
  const server: Server = createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(up.down ? 503 : 204).end()); });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => server.close(r)));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The steady clock runs on, and moves with the wall clock when the test moves it.
  const clock = { wall: Date.now(), reads: 0, ahead: 0, to(t: number) { this.ahead += t - this.wall; this.wall = t; } };
  const h = Historian.open(join(tmp.dir, 'archive'), { flushIntervalMs: 0, sortWindowMs: 0, now: () => clock.wall });
  cleanups.push(() => h.close());
  for (const tag of TAGS) h.defineTag(tagConfig(tag, { unit: 'm' }), 0);
  const enc = new SampleEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', statusName: true, textAs: 'field' });
  /** Archives a sample of each tag stamped with the wall clock; returns that time. */
  const write = (): number => {
    for (const tag of TAGS) h.append(tag, [{ t: clock.wall, value: 1, status: Good }]);
    h.flush();
    return clock.wall;
  };
  /** A station start: the sync service on the data directory (its stream's memory starts empty). */
  const start = async (): Promise<SyncService> => {
    const sync = await SyncService.start({
      config: syncConfigSchema.parse({
        backlogAlarmAfterSec: 30,
        upstreams: [{ id: 'region', url, flavour: 'influxdb1', database: 't', flushIntervalMs: 50, streams: ['samples'] }],
      }),
      dataDir: tmp.dir, log: silentLogger(), statusIntervalMs: 20, now: () => clock.wall, monoNow: () => performance.now() + clock.ahead,
      backoff: { baseMs: 20, capMs: 50, maxRetryAfterMs: 100 },
      // Each read asks the stream's clock once, when it begins: the test counts the reads by it.
      streams: () => [new SamplesStream(h, enc, () => 'Area1', () => { clock.reads++; return clock.wall; })],
    });
    cleanups.push(() => sync.stop());
    return sync;
  };
  /** Waits for a whole read begun at the wall clock as it is now. */
  const aRead = async () => {
    const seen = clock.reads;
    await until('a read of the feed', () => clock.reads >= seen + 2);
  };
  /** Everything archived is acknowledged (a stream of its own, so no read of the sync's is counted). */
  const sent = (sync: SyncService) => until('sent', () => drained(sync.store, 'region', [new SamplesStream(h, enc, () => null)]));
  /** The sync read the unsent samples and tries to send them; then a status made after that. */
  const resending = async (sync: SyncService) => {
    await until('a batch in flight', () => sync.store.inflight('region') !== undefined);
    const was = sync.status();
    await until('a status since', () => sync.status() !== was);
  };
  /** The age a status gives the oldest unsent record, on the test's wall clock. */
  const age = (s: UpstreamStatus) => clock.wall - s.backlog.oldestWrittenAt!;
  return { up, clock, write, start, aRead, sent, resending, age };
}

describe('backlog age across a station restart', () => {
  it('samples unsent when the station restarts: the age is their own, and the alarm waits for its threshold', async () => {
    const r = await rig();
    const t0 = r.write();
    let sync = await r.start();
    await r.sent(sync);
    // The upstream stops answering; 40 s on, in the same change-log minute, more is archived.
    r.up.down = true;
    r.clock.to(t0 + 40_000);
    await r.aRead();
    const unsent = r.write();
    await until('the backlog seen', () => sync.status().upstreams[0]!.backlog.records === TAGS.length);
    expect(r.age(sync.status().upstreams[0]!)).toBeLessThan(SLACK);
    // A restart 10 s later: the same age (10 s), no alarm.
    await sync.stop();
    r.clock.to(unsent + 10_000);
    sync = await r.start();
    let s = sync.status().upstreams[0]!;
    expect(s.backlog.records).toBe(TAGS.length);
    expect(r.age(s)).toBeGreaterThanOrEqual(10_000);
    expect(r.age(s)).toBeLessThan(10_000 + SLACK);
    expect(s.alarm).toBeNull();
    await r.resending(sync);
    s = sync.status().upstreams[0]!;
    expect(r.age(s)).toBeGreaterThanOrEqual(10_000);
    expect(r.age(s)).toBeLessThan(10_000 + SLACK);
    expect(s.alarm).toBeNull();
    // 29 s old: still none; past 30 s: the alarm.
    r.clock.to(unsent + 29_000);
    await until('a status at 29 s', () => sync.status().at === r.clock.wall);
    expect(sync.status().upstreams[0]!.alarm).toBeNull();
    r.clock.to(unsent + 31_000);
    await until('the backlog alarm', () => sync.status().upstreams[0]!.alarm?.kind === 'backlog');
  });

  it('archived after the last read before a stop, before the sync starts again: never younger than it is, no older than that read', async () => {
    const r = await rig();
    const t0 = r.write();
    let sync = await r.start();
    await r.sent(sync);
    r.up.down = true;
    r.clock.to(t0 + 30_000);
    await r.aRead();
    const lastRead = r.clock.wall;
    await sync.stop();
    r.clock.to(t0 + 35_000);
    const unsent = r.write();
    r.clock.to(t0 + 40_000);
    sync = await r.start();
    await r.resending(sync);
    const s = sync.status().upstreams[0]!;
    expect(s.backlog.records).toBe(TAGS.length);
    expect(r.age(s)).toBeGreaterThanOrEqual(r.clock.wall - unsent);
    expect(r.age(s)).toBeLessThan(r.clock.wall - lastRead + SLACK);
    expect(s.alarm).toBeNull();
  });
});
