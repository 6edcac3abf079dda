/**
 * The backlog the status shows, against a local upstream that takes every
 * write: a station archiving live into a real historian, fully in sync,
 * shows no backlog alarm (the sync's reads keep up; what waits between two
 * of them is seconds old, not as old as the change log's minute); a backlog
 * draining at its rate says `sending` between its batches, never `idle`.
 */
import { once } from 'node:events';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../../../historian/index.js';
import { Good } from '../../../historian/status.js';
import { tagConfig } from '../../../historian/store/testing.js';
import { syncConfigSchema } from '../../shared/config/sync.js';
import { silentLogger } from '../log.js';
import { UpstreamWorker, type UpstreamState } from './deliver/worker.js';
import { SampleEncoder } from './line-protocol/samples.js';
import { SyncService } from './service.js';
import type { SyncAlarm } from './status.js';
import { SyncStore } from './store/sync-store.js';
import { SamplesStream } from './streams/samples.js';
import { drained, tempDir, until, upstreamConfig } from './testing/harness.js';
import { SampleLog } from './testing/sample-log.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function upstream(): Promise<string> {
  const server: Server = createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(204).end()); });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A local upstream that takes every write and counts its lines. */
async function countingUpstream(): Promise<{ url: string; lines: () => number }> {
  let lines = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      lines += text.split('\n').filter((l) => l !== '').length;
      res.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => server.close(r)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, lines: () => lines };
}

describe('backlog in the status', () => {
  it('live archiving, fully in sync: no backlog alarm, and the backlog is what was written since the last send', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const url = await upstream();
    const h = Historian.open(join(tmp.dir, 'archive'), { flushIntervalMs: 0, sortWindowMs: 0 });
    cleanups.push(() => h.close());
    const tags = ['TK1.Level', 'TK2.Level', 'TK3.Level'];
    for (const tag of tags) h.defineTag(tagConfig(tag, { unit: 'm' }), 0);
    const enc = new SampleEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', statusName: true, textAs: 'field' });
    const alarms: (SyncAlarm | null)[] = [];
    let most = 0;
    const sync = await SyncService.start({
      config: syncConfigSchema.parse({ backlogAlarmAfterSec: 3, upstreams: [{ id: 'region', url, flavour: 'influxdb1', database: 't', flushIntervalMs: 50 }] }),
      dataDir: tmp.dir, log: silentLogger(), statusIntervalMs: 50,
      streams: () => [new SamplesStream(h, enc, () => 'Area1')],
      onAlarm: (_, a) => alarms.push(a),
      onStatus: (s) => { most = Math.max(most, s.upstreams[0]!.backlog.records); },
    });
    cleanups.push(() => sync.stop());
    // Six seconds of a live plant: three tags at 10 Hz, flushed every 100 ms (30 samples a second).
    const end = Date.now() + 6000;
    for (let i = 0; Date.now() < end; i++) {
      for (const tag of tags) h.append(tag, [{ t: Date.now(), value: i / 10, status: Good }]);
      h.flush();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(alarms.filter((a) => a !== null)).toEqual([]);
    // A status sees what was written since the last send (a few flushes), not the minute so far (180).
    expect(most).toBeLessThan(100);
  });

  it('a backlog split inside its change-log minute: the status counts at least what the upstream lacks, and the alarm holds', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const up = await countingUpstream();
    // The wall clock of the archive and the sync, moved by hand: the minute rows of the change log follow it.
    let wall = Date.now() - 120_000;
    const h = Historian.open(join(tmp.dir, 'archive'), { flushIntervalMs: 0, sortWindowMs: 0, now: () => wall });
    cleanups.push(() => h.close());
    const tags = ['TK1.Level', 'TK2.Level', 'TK3.Level', 'TK4.Level', 'TK5.Level'];
    for (const tag of tags) h.defineTag(tagConfig(tag, { unit: 'm' }), 0);
    let archived = 0, t = Date.now() - 36_000_000;
    const write = (perTag: number) => {
      for (const tag of tags) h.append(tag, Array.from({ length: perTag }, (_, i) => ({ t: t + i * 1000, value: i, status: Good })));
      h.flush();
      t += perTag * 1000;
      archived += perTag * tags.length;
    };
    // An outage's backlog, 50,000 samples in 10 writes, then 31 s later live data: one change-log row (a minute).
    for (let k = 0; k < 10; k++) write(1000);
    wall += 31_000;
    write(1);
    const enc = new SampleEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', statusName: true, textAs: 'field' });
    const seen: { records: number; lacking: number; alarm: string | null }[] = [];
    let watching = false;
    const sync = await SyncService.start({
      config: syncConfigSchema.parse({
        backlogAlarmAfterSec: 20,
        upstreams: [{ id: 'region', url: up.url, flavour: 'influxdb1', database: 't', flushIntervalMs: 50, batch: { lines: 1000 }, drainRateLimit: 5000 }],
      }),
      dataDir: tmp.dir, log: silentLogger(), statusIntervalMs: 50, now: () => wall,
      streams: () => [new SamplesStream(h, enc, () => 'Area1', () => wall)],
      // What the upstream lacks, counted when the status is made (it may have taken lines not yet acknowledged: never more).
      onStatus: (s) => { if (watching) seen.push({ records: s.upstreams[0]!.backlog.records, lacking: archived - up.lines(), alarm: s.upstreams[0]!.alarm?.kind ?? null }); },
    });
    cleanups.push(() => sync.stop());
    // Older than the split threshold (30 s): the live lane goes on from the head, the backlog drains behind it.
    await until('the backlog split off', () => sync.store.watermark('region', 'samples').split !== null);
    write(1); // the split point's row goes on after it
    wall += 30_000;
    write(1); // and a new minute's row follows
    watching = true;
    await until('the backlog drained', () => sync.store.watermark('region', 'samples').split === null, 30_000);
    watching = false;
    const during = seen.filter((x) => x.lacking > 1000);
    expect(during.length).toBeGreaterThan(3);
    for (const x of during) {
      expect(x.records).toBeGreaterThanOrEqual(x.lacking);
      expect(x.alarm).toBe('backlog');
    }
    await until('all there', () => up.lines() === archived);
  });

  it('a backlog draining at its rate says sending between its batches, never idle', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const url = await upstream();
    const store = SyncStore.open(join(tmp.dir, 'sync.sqlite'));
    cleanups.push(() => store.close());
    const log = new SampleLog(join(tmp.dir, 'samples.sqlite'));
    cleanups.push(() => log.close());
    const stream = log.stream('influxdb1');
    // An hour old: the backlog splits off the live lane and drains at 2,000 lines a second, 200 a batch.
    log.append(Array.from({ length: 3000 }, (_, i) => ({ tag: `T${i % 3}`, kind: 'analog' as const, t: Date.now() - 3_600_000 + i, value: i, status: 0 })), Date.now() - 3_600_000);
    const worker = new UpstreamWorker({
      config: upstreamConfig({ url, flavour: 'influxdb1', batch: { lines: 200 }, flushIntervalMs: 50, drainRateLimit: 2000 }),
      store, streams: [stream], log: silentLogger(), secret: null, onLoss: () => undefined,
    });
    cleanups.push(() => worker.stop());
    const whileDraining = new Set<UpstreamState>();
    worker.start();
    await until('the backlog split off', () => store.watermark('region', 'samples').split !== null);
    await until('drained', () => {
      if (store.watermark('region', 'samples').split !== null) whileDraining.add(worker.status().state);
      return drained(store, 'region', [stream]);
    });
    expect(whileDraining.has('sending')).toBe(true);
    expect(whileDraining.has('idle')).toBe(false);
  });
});
