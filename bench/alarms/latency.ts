/**
 * End-to-end alarm latency: a value crosses its limit at an OPC UA server and
 * the alarm reaches the console, with 100 ms publishing.
 *
 * measureStationLatency() measures the station's part now: an in-process
 * OPC UA server (one Double variable, set by the bench), a Station with the
 * alarms module subscribed to it, and the time from setting the value to the
 * `alarms.changed` event carrying the row in state B (p50 / p99 over the
 * crossings; each crossing goes B, back to D, and B again).
 *
 * measureBannerLatency() (banner.ts) is the console's part: the same
 * crossings, with the clock stopped when the banner in Chromium paints the row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, OPCUACertificateManager, OPCUAServer, StatusCodes, Variant, type UAVariable } from 'node-opcua';
import { preparePki, releasePki, saveToCache } from '../../simulator/pki.js';
import { stationConfigSchema } from '../../app/shared/config.js';
import type { AlarmChanges } from '../../app/shared/api.js';
import { silentLogger } from '../../app/main/log.js';
import { Station } from '../../app/main/station/station.js';
import { AlarmsModule } from '../../app/main/alarms/module.js';
import { ConfigStore } from '../../app/main/station/config-store.js';

export interface LatencyFigures {
  crossings: number;
  publishingIntervalMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Where the clock stopped. */
  measuredTo: 'station event' | 'banner';
}

export interface LatencyOptions {
  crossings: number;
  publishingIntervalMs?: number;
}

/** A one-variable OPC UA server the bench drives: Bench.Value, ns=1;s=Bench.Value. */
export async function benchServer(): Promise<{ endpoint: string; set(v: number): void; stop(): Promise<void> }> {
  const pki = await preparePki(undefined);
  const certificates = new OPCUACertificateManager({ rootFolder: pki.root, automaticallyAcceptUnknownCertificate: true, disableFileWatchers: true });
  certificates.referenceCounter++;
  const server = new OPCUAServer({ port: 0, host: '127.0.0.1', hostname: '127.0.0.1', resourcePath: '/bench', serverCertificateManager: certificates, userCertificateManager: certificates, disableDiscovery: true });
  await server.initialize();
  const ns = server.engine.addressSpace!.getOwnNamespace();
  const variable: UAVariable = ns.addVariable({
    organizedBy: server.engine.addressSpace!.rootFolder.objects, browseName: 'Value', nodeId: 's=Bench.Value', dataType: 'Double', minimumSamplingInterval: 0,
    value: { dataType: DataType.Double, value: 40 },
  });
  await server.start();
  await saveToCache(pki);
  return {
    endpoint: server.getEndpointUrl(),
    set: (v) => variable.setValueFromSource(new Variant({ dataType: DataType.Double, value: v }), StatusCodes.Good, new Date()),
    stop: async () => {
      await server.shutdown(0);
      await releasePki(pki);
    },
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function measureStationLatency(o: LatencyOptions): Promise<LatencyFigures> {
  const publishingIntervalMs = o.publishingIntervalMs ?? 100;
  const server = await benchServer();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-alarms-'));
  const config = stationConfigSchema.parse({
    station: { name: 'Bench' },
    servers: [{ id: 'bench', endpoint: server.endpoint, samplingIntervalMs: 0, publishingIntervalMs }],
    areas: [{ id: 'A', name: 'A' }],
    tags: [{ name: 'Bench.Value', server: 'bench', nodeId: 'ns=1;s=Bench.Value', kind: 'analog', area: 'A', unit: '%', range: [0, 100],
      alarms: { limits: { H: { value: 50, priority: 2, message: 'bench high' } } } }],
  });
  const store = new ConfigStore(config, { source: '(bench)', writeTo: join(dir, 'station.yaml') });
  const alarms = AlarmsModule.open({ config: store, dataDir: dir, logger: silentLogger() });
  const station = new Station({ config: store, dataDir: dir, logger: silentLogger(), simulator: false, shell: 'browser', modules: [alarms] });
  let waiting: ((at: number) => void) | null = null;
  station.events.subscribe((name, data) => {
    if (name !== 'alarms.changed' || !waiting) return;
    if ((data as AlarmChanges).rows.some((r) => r.id === 'Bench.Value/limit' && r.state === 'B')) waiting(performance.now());
  });
  const latencies: number[] = [];
  try {
    await station.start();
    await until(() => station.live.get('Bench.Value')?.status === 0, 20_000);
    for (let i = 0; i < o.crossings; i++) {
      const seen = new Promise<number>((resolve) => (waiting = resolve));
      const t0 = performance.now();
      server.set(60);
      latencies.push((await withTimeout(seen, 5000)) - t0);
      waiting = null;
      server.set(40);
      // Back to normal, and a random phase against the publishing cycle.
      await sleep(publishingIntervalMs * 2 + Math.random() * publishingIntervalMs);
    }
  } finally {
    await station.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return { crossings: sorted.length, publishingIntervalMs, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1)!, measuredTo: 'station event' };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the bench server\'s first value');
    await sleep(20);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no alarm event within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}
