/** One upstream worker over a sample log, as the restart and holdings tests run it (tests only). */
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { silentLogger } from '../../log.js';
import { UpstreamWorker, type WorkerOptions } from '../deliver/worker.js';
import { SyncStore } from '../store/sync-store.js';
import type { OutboxStream } from '../streams/stream.js';
import { drained, tempDir, until, upstreamConfig } from './harness.js';
import { type LoggedSample, SampleLog } from './sample-log.js';

/**
 * A worker sending the log's samples to `url` with fast probes and checkpoints (a re-send window of
 * 1 s), its losses recorded; `close` goes to the caller's cleanups. `send(rounds)` appends `make(300)`
 * per round and waits until the upstream acknowledged it.
 */
export function workerRig(o: {
  dir: string; name: string; url: string; flavour: 'influxdb1' | 'victoriametrics'; make: (n: number) => LoggedSample[];
  verifyIntervalMs?: number; cleanups: (() => unknown)[]; site?: string;
  /** The station's wall clock (default Date.now): set off, it stands for an upstream whose clock is. */
  now?: () => number;
  /** What an upstream restart sends again (default 1 s). */
  resendWindowSec?: number;
}) {
  const store = SyncStore.open(join(o.dir, `${o.name}.sync.sqlite`));
  const log = new SampleLog(join(o.dir, `${o.name}.samples.sqlite`));
  const stream = log.stream(o.flavour, o.name, o.site);
  const losses: string[] = [];
  const worker = new UpstreamWorker({
    config: upstreamConfig({ url: o.url, flavour: o.flavour, database: o.flavour === 'influxdb1' ? 't' : undefined, flushIntervalMs: 50, batch: { lines: 200 }, resendWindowSec: o.resendWindowSec ?? 1 }),
    store, streams: [stream], log: silentLogger(), secret: null, probeIntervalMs: 100, checkpointIntervalMs: 200, verifyIntervalMs: o.verifyIntervalMs,
    backoff: { baseMs: 20, capMs: 200, maxRetryAfterMs: 1000 }, onLoss: (s, d) => losses.push(`${s}: ${d}`), ...(o.now && { now: o.now }),
  });
  o.cleanups.push(async () => { await worker.stop(); store.close(); log.close(); });
  const send = async (rounds: number) => {
    for (let r = 0; r < rounds; r++) {
      log.append(o.make(300));
      await until('acknowledged', () => drained(store, 'region', [stream]));
      await new Promise((res) => setTimeout(res, 250));
    }
  };
  return { store, log, stream, worker, losses, send };
}

export interface Rig { store: SyncStore; log: SampleLog; stream: OutboxStream; worker: UpstreamWorker }

/**
 * Workers over sample logs of their own in a temp folder, a loss failing the test; each test's are
 * stopped and closed after it (vitest hooks). Returns the function that makes one.
 */
export function useWorkerRigs(): (name: string, options: Omit<WorkerOptions, 'store' | 'streams' | 'log' | 'secret' | 'onLoss'>) => Rig {
  const tmp = tempDir();
  let rigs: Rig[] = [];
  afterEach(async () => {
    for (const r of rigs) { await r.worker.stop(); r.store.close(); r.log.close(); }
    rigs = [];
  });
  afterAll(() => tmp.remove());
  return (name, options) => {
    const store = SyncStore.open(join(tmp.dir, `${name}.sync.sqlite`));
    const log = new SampleLog(join(tmp.dir, `${name}.samples.sqlite`));
    const stream = log.stream(options.config.flavour);
    const worker = new UpstreamWorker({ ...options, store, streams: [stream], log: silentLogger(), secret: null, onLoss: (s, d) => { throw new Error(`loss in ${s}: ${d}`); } });
    const r = { store, log, stream, worker };
    rigs.push(r);
    return r;
  };
}
