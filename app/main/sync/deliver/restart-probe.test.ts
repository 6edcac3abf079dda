/**
 * Restart detection where VictoriaMetrics' start time cannot tell: it is in
 * whole seconds, so a kill -9 and restart within the same second keeps it.
 * The request counter starting again from zero must still count as a restart.
 */
import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../log.js';
import { SyncStore } from '../store/sync-store.js';
import { drained, tempDir, until, upstreamConfig } from '../testing/harness.js';
import { SampleLog } from '../testing/sample-log.js';
import { UpstreamWorker } from './worker.js';

// What a VictoriaMetrics process exposes, reduced to the two samples that identify it.
const vm = { startSeconds: 1_796_008_722, requests: 0, hang: false };
/** Every line written, as the upstream received it. */
const written: string[] = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.url !== '/metrics') {
      const raw = Buffer.concat(chunks);
      written.push(...(req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8').split('\n').filter(Boolean));
    }
    if (req.url === '/metrics' && vm.hang) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('process_start_time_seconds '); // and nothing more: a process stopped mid-answer
      return;
    }
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`process_start_time_seconds ${vm.startSeconds}\nvm_http_requests_all_total ${vm.requests}\n`);
      return;
    }
    vm.requests++;
    res.writeHead(204).end();
  });
});
let url = '';
const tmp = tempDir();
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  tmp.remove();
});

describe('upstream restart probe', () => {
  it('a request counter that went back counts as a restart even with the same start time', async () => {
    const store = SyncStore.open(join(tmp.dir, 'probe.sync.sqlite'));
    const log = new SampleLog(join(tmp.dir, 'probe.samples.sqlite'));
    const stream = log.stream('victoriametrics');
    const worker = new UpstreamWorker({
      config: upstreamConfig({ url, flavour: 'victoriametrics', database: undefined, flushIntervalMs: 50 }),
      store, streams: [stream], log: silentLogger(), secret: null, probeIntervalMs: 20, onLoss: () => undefined,
    });
    try {
      vm.requests = 40;
      log.append(Array.from({ length: 10 }, (_, i) => ({ tag: 'TK101.Level', kind: 'analog' as const, t: Date.now() - 10_000 + i, value: i, status: 0 })));
      worker.start();
      await until('drained', () => drained(store, 'region', [stream]));
      // Let a few probes see the counter only grow: no restart.
      vm.requests += 5;
      const probed = Date.now();
      await until('probed again', () => Date.now() - probed > 300);
      expect(worker.status().restarts).toBe(0);
      vm.requests = 0; // a new process, same second
      await until('restart detected', () => worker.status().restarts === 1);
      await until('re-sent', () => drained(store, 'region', [stream]));
      expect(worker.status().resentLines).toBe(10);
    } finally {
      await worker.stop();
      store.close();
      log.close();
    }
  });

  it('a probe answered halfway gives up within seconds, not the writes\' timeout: the batches behind it go on', async () => {
    const store = SyncStore.open(join(tmp.dir, 'hang.sync.sqlite'));
    const log = new SampleLog(join(tmp.dir, 'hang.samples.sqlite'));
    const stream = log.stream('victoriametrics');
    const worker = new UpstreamWorker({
      config: upstreamConfig({ url, flavour: 'victoriametrics', database: undefined, flushIntervalMs: 50, timeoutMs: 600_000 }),
      store, streams: [stream], log: silentLogger(), secret: null, probeIntervalMs: 20, onLoss: () => undefined,
    });
    try {
      vm.hang = true;
      worker.start();
      log.append(Array.from({ length: 10 }, (_, i) => ({ tag: 'TK102.Level', kind: 'analog' as const, t: Date.now() - 10_000 + i, value: i, status: 0 })));
      await until('drained with every probe hanging', () => drained(store, 'region', [stream]));
      expect(worker.status().sentLines).toBe(10);
    } finally {
      vm.hang = false;
      await worker.stop();
      store.close();
      log.close();
    }
  });

  it('an upstream without a probe (InfluxDB 2.x) keeps no log of acknowledged ranges', async () => {
    const store = SyncStore.open(join(tmp.dir, 'influx.sync.sqlite'));
    const log = new SampleLog(join(tmp.dir, 'influx.samples.sqlite'));
    const stream = log.stream('influxdb2');
    const worker = new UpstreamWorker({
      config: upstreamConfig({ url, flavour: 'influxdb2', database: undefined, org: 'o', bucket: 'b', flushIntervalMs: 50 }),
      store, streams: [stream], log: silentLogger(), secret: null, probeIntervalMs: 20, onLoss: () => undefined,
    });
    try {
      worker.start();
      for (let b = 0; b < 5; b++) {
        log.append([{ tag: 'TK101.Level', kind: 'analog' as const, t: Date.now() - 10_000 + b, value: b, status: 0 }]);
        await until(`batch ${b} acknowledged`, () => drained(store, 'region', [stream]));
      }
      expect(worker.status().sentLines).toBe(5);
      // Its default re-send window is 60 s: nothing of it is kept past that, and with no probe nothing reads it.
      await until('the acknowledged ranges pruned', () => store.ackedSince('region', 0).every((r) => r.ackedAt >= Date.now() - 60_000));
      const old = Date.now() - 61_000;
      store.logAcked('region', 'samples', null, '1', 1, old);
      await until('an acknowledgement older than the window pruned', () => !store.ackedSince('region', 0).some((r) => r.ackedAt === old));
    } finally {
      await worker.stop();
      store.close();
      log.close();
    }
  });

  it('a quarantined line acknowledged on another try is sent again after a restart within the re-send window', async () => {
    const store = SyncStore.open(join(tmp.dir, 'retry.sync.sqlite'));
    const log = new SampleLog(join(tmp.dir, 'retry.samples.sqlite'));
    const stream = log.stream('victoriametrics');
    const line = 'vigil_value,tag=TK103.Level value=7.25 1796008000000';
    store.addQuarantine('region', 'samples', [{ origin: 'upstream', line, reason: 'refused once', key: 'TK103.Level', t: 1_796_008_000_000, record: null }], Date.now());
    expect(store.markRetry({ upstream: 'region' })).toBe(1);
    const worker = new UpstreamWorker({
      config: upstreamConfig({ url, flavour: 'victoriametrics', database: undefined, flushIntervalMs: 50 }),
      store, streams: [stream], log: silentLogger(), secret: null, probeIntervalMs: 20, onLoss: () => undefined,
    });
    try {
      vm.requests = 100;
      worker.start();
      await until('the retry acknowledged', () => store.quarantine({ upstream: 'region' }).length === 0 && written.includes(line));
      expect(written.filter((l) => l === line)).toHaveLength(1);
      vm.requests = 0; // restarted: what it acknowledged last may be gone
      await until('restart detected', () => worker.status().restarts === 1);
      await until('the line sent again', () => written.filter((l) => l === line).length === 2);
      await until('nothing left quarantined', () => store.quarantine({ upstream: 'region' }).length === 0);
    } finally {
      await worker.stop();
      store.close();
      log.close();
    }
  });
});
