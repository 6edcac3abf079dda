/**
 * The station under load, in its own process (as it runs in production):
 * the real Station with the archive and the browser-mode console server.
 * The parent asks over IPC. The archive commits in its own thread as in the
 * station (once a second, after a batch: flush-pacer.ts); the thread reports
 * each commit with the last batch in it, so that latency = commit end -
 * sample source time, for every sample (durable then; readers see it within
 * its turns).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { writeHeapSnapshot } from 'node:v8';
import { PerformanceObserver, constants as perfConstants, monitorEventLoopDelay } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { ClientSidePublishEngine } from 'node-opcua-client';
import { createLogger } from '../../app/main/log.js';
import { applyHeapPolicy } from '../../app/main/station/heap-policy.js';
import { loadStationConfig } from '../../app/main/station/config-file.js';
import { ConfigStore } from '../../app/main/station/config-store.js';
import { StationArchive } from '../../app/main/station/archive.js';
import { Station } from '../../app/main/station/station.js';
import { startBrowserServer } from '../../app/main/api/browser-server.js';
import type { AcquiredSample } from '../../app/main/acquisition/sample.js';
import { Histogram, cpuMeter } from './histogram.js';

interface Start { type: 'start'; configFile: string; dataDir: string; trust: string[] }

/** Something that held the station's thread for 10 ms or more: when (ms since epoch), how long, what. */
export interface Stall { at: number; ms: number; what: string }

const wallNow = () => performance.timeOrigin + performance.now();

const send = (msg: object) => process.send?.(msg);

/** A CPU profile of the measurement window only (VIGIL_BENCH_PROF). */
const profiler = {
  session: null as Session | null,
  async start(): Promise<void> {
    this.session = new Session();
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.start');
  },
  async stop(file: string): Promise<void> {
    const { profile } = await this.session!.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    this.session!.disconnect();
  },
};

async function start(msg: Start): Promise<void> {
  if (process.env.VIGIL_BENCH_PIPELINE) ClientSidePublishEngine.publishRequestCountInPipeline = Number(process.env.VIGIL_BENCH_PIPELINE);
  applyHeapPolicy(); // as bootStation does
  const logger = createLogger({ level: 'warn' });
  const config = loadStationConfig(msg.configFile);
  const store = new ConfigStore(config, { source: msg.configFile });
  let commit = new Histogram();
  let received = new Histogram();
  /** Samples handed to the archive, by batch, until a commit includes them. */
  const pending: { batch: number; times: number[] }[] = [];
  let samples = 0;
  // Each commit the archive's thread makes (paced as the station's, flush-pacer.ts): the samples it made durable, by source time.
  const archive = await StationArchive.open(config, msg.dataDir, logger, {
    onCommit: (batch, at) => {
      while (pending.length > 0 && pending[0]!.batch <= batch) for (const t of pending.shift()!.times) commit.add(at - t);
    },
  });
  // What the slowest bursts waited behind (the parent matches them to its worst seconds).
  let stalls: Stall[] = [];
  const noteStall = (at: number, what: string) => {
    const ms = wallNow() - at;
    if (ms >= 10) stalls.push({ at, ms, what });
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.duration < 10) continue;
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      const what = kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR ? 'major GC' : kind === perfConstants.NODE_PERFORMANCE_GC_MINOR ? 'minor GC' : 'GC';
      stalls.push({ at: performance.timeOrigin + e.startTime, ms: e.duration, what });
    }
  }).observe({ entryTypes: ['gc'] });
  // VIGIL_BENCH_ARCHIVE=off: samples are counted and timed, not archived (how much of the latency is the archive's).
  const write = process.env.VIGIL_BENCH_ARCHIVE === 'off' ? () => 0 : archive.write.bind(archive);
  archive.write = (batch: readonly AcquiredSample[]) => {
    samples += batch.length;
    const now = Date.now();
    const times: number[] = [];
    for (const s of batch) {
      times.push(s.t);
      received.add(now - s.t);
    }
    const at = wallNow();
    const n = write(batch);
    noteStall(at, `archive hand-over (${batch.length})`);
    if (n > 0) pending.push({ batch: n, times });
    return n;
  };
  const station = new Station({ config: store, dataDir: msg.dataDir, logger, simulator: false, shell: 'browser', modules: [archive], trustAtStart: msg.trust });
  await station.start();
  const renderer = mkdtempSync(join(tmpdir(), 'vigil-bench-renderer-'));
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>bench</title>');
  const server = await startBrowserServer({ port: 0, rendererDir: renderer, dispatcher: station.dispatcher, events: station.events, logger });
  send({ type: 'ready', url: server.url });

  // How long the event loop was held up (a flush's commit, a publish's decoding): what every value waits behind.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let cpu = cpuMeter();
  let rss = 0, heap = 0;
  const memory = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 500);
  let since = performance.now();
  process.on('message', (m: { type: string }) => {
    if (m.type === 'measure') {
      if (process.env.VIGIL_BENCH_PROF) void profiler.start();
      commit = new Histogram();
      received = new Histogram();
      samples = 0;
      stalls = [];
      rss = 0;
      heap = 0;
      cpu = cpuMeter();
      loop.reset();
      since = performance.now();
    } else if (m.type === 'report') {
      const seconds = (performance.now() - since) / 1000;
      const report = { type: 'report', samples, seconds, stalls, cpuPercent: cpu(), rssMB: rss / 2 ** 20, heapMB: heap / 2 ** 20, commit: commit.summary(), received: received.summary(),
        eventLoopDelayMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 } };
      // After the figures are taken (writing them stops the process for a while), before the parent may stop us.
      if (process.env.VIGIL_BENCH_HEAP) writeHeapSnapshot(process.env.VIGIL_BENCH_HEAP);
      if (process.env.VIGIL_BENCH_PROF) void profiler.stop(process.env.VIGIL_BENCH_PROF).then(() => send(report));
      else send(report);
    } else if (m.type === 'stop') {
      clearInterval(memory);
      void server.close().then(() => station.stop()).then(() => process.exit(0));
    }
  });
}

process.once('message', (m: Start) => {
  start(m).catch((err: unknown) => {
    send({ type: 'error', message: (err as Error).stack ?? String(err) });
    process.exit(1);
  });
});
