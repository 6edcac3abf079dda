/**
 * Recovery against a real VictoriaMetrics: a restart that loses what it had
 * acknowledged is detected and the re-send window goes again (extra copies
 * within the counted re-sends); after an outage the present goes first and
 * the backlog drains behind it at the drain rate.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../log.js';
import { SyncStore } from '../store/sync-store.js';
import { FaultProxy } from '../testing/fault-proxy.js';
import { drained, tempDir, until, upstreamConfig } from '../testing/harness.js';
import { type LoggedSample, SampleLog } from '../testing/sample-log.js';
import { VictoriaServer } from '../testing/servers.js';
import { type Point, type PointsByTag, VM_PRECISION, diffPoints, settled, victoriaPoints } from '../testing/upstream-points.js';
import { UpstreamWorker } from './worker.js';

const fast = { baseMs: 10, capMs: 200, maxRetryAfterMs: 2000 };

function series(prefix: string, n: number, t0: number): LoggedSample[] {
  return Array.from({ length: n }, (_, i) => ({ tag: `${prefix}.${i % 5}`, kind: 'analog' as const, t: t0 + i * 10, value: i * 0.25, status: 0 }));
}

/** Upstream points with exact copies folded, and how many copies were folded. */
function fold(points: PointsByTag): { unique: PointsByTag; extra: number } {
  let extra = 0;
  const unique: PointsByTag = new Map();
  for (const [tag, list] of points) {
    const kept: Point[] = [];
    for (const p of list) {
      const prev = kept[kept.length - 1];
      if (prev && prev.t === p.t && prev.value === p.value && prev.status === p.status) extra++;
      else kept.push(p);
    }
    unique.set(tag, kept);
  }
  return { unique, extra };
}

const tmp = tempDir();
// One server per test: after a restart, VictoriaMetrics shows new series in exports only after a few seconds.
const vms: VictoriaServer[] = [];
const proxies: FaultProxy[] = [];
async function upstream(): Promise<{ vm: VictoriaServer; proxy: FaultProxy }> {
  const vm = await VictoriaServer.launch();
  vms.push(vm);
  const proxy = await FaultProxy.start(vm.url);
  proxies.push(proxy);
  return { vm, proxy };
}
afterAll(async () => {
  for (const p of proxies) await p.close();
  for (const v of vms) await v.dispose();
  tmp.remove();
});

describe('VictoriaMetrics restarts and outages', () => {
  it('a restart after acks it lost: the re-send window goes again, extra copies within the counted re-sends', async () => {
    const { vm, proxy } = await upstream();
    const store = SyncStore.open(join(tmp.dir, 'restart.sync.sqlite'));
    const log = new SampleLog(join(tmp.dir, 'restart.samples.sqlite'));
    const stream = log.stream('victoriametrics');
    const worker = new UpstreamWorker({
      config: upstreamConfig({ url: proxy.url, flavour: 'victoriametrics', database: undefined, batch: { lines: 1000 }, flushIntervalMs: 100 }),
      store, streams: [stream], log: silentLogger(), secret: null, backoff: fast, probeIntervalMs: 100, onLoss: () => undefined,
    });
    try {
      // Two batches are acknowledged and never stored: what VictoriaMetrics does with rows it held in memory when killed.
      proxy.rule = ({ index }) => (index === 2 || index === 3 ? 'ackDrop' : 'forward');
      proxy.writes.length = 0;
      log.append(series('rs', 5000, Date.now() - 600_000));
      worker.start();
      await until('drained', () => drained(store, 'region', [stream]));
      const before = await victoriaPoints(vm, 'tf');
      expect(diffPoints(before, log.expected())).not.toEqual([]);
      // A process that lived less than a second shows the same start time (whole seconds) as the next
      // one, and VictoriaMetrics refreshes its request counter about once a second: nothing could
      // tell them apart (restart-probe.test.ts covers the counter). A real restart follows a longer life.
      await until('the upstream has lived 2 s', () => Date.now() - vm.startedAt > 2000);
      await vm.kill9();
      await vm.restart();
      await until('restart detected', () => worker.status().restarts === 1).catch((err: Error) => {
        throw new Error(`${err.message}; worker ${JSON.stringify(worker.status())}; last reads ${JSON.stringify(proxy.reads.slice(-8))}`);
      });
      await until('re-sent', () => drained(store, 'region', [stream]));
      const agrees = (p: PointsByTag) => diffPoints(fold(p).unique, log.expected(), VM_PRECISION).length === 0;
      const { unique, extra } = fold(await settled(() => victoriaPoints(vm, 'tf'), agrees));
      expect(diffPoints(unique, log.expected(), VM_PRECISION)).toEqual([]);
      expect(extra).toBeLessThanOrEqual(worker.status().resentLines);
      expect(worker.status().resentLines).toBeGreaterThan(0);
    } finally {
      await worker.stop();
      store.close();
      log.close();
    }
  });

  it('after an hour-long outage the present goes first; the backlog drains behind it at the drain rate', async () => {
    const { vm, proxy } = await upstream();
    const store = SyncStore.open(join(tmp.dir, 'outage.sync.sqlite'));
    const log = new SampleLog(join(tmp.dir, 'outage.samples.sqlite'));
    const stream = log.stream('victoriametrics');
    const worker = new UpstreamWorker({
      config: upstreamConfig({ url: proxy.url, flavour: 'victoriametrics', database: undefined, batch: { lines: 500 }, flushIntervalMs: 100, drainRateLimit: 2500 }),
      store, streams: [stream], log: silentLogger(), secret: null, backoff: fast, onLoss: () => undefined,
    });
    let live: NodeJS.Timeout | undefined;
    try {
      let down = true;
      proxy.rule = () => (down ? 'reset' : 'forward');
      proxy.writes.length = 0;
      // An hour of data written while the upstream was unreachable.
      log.append(series('backlog', 5000, Date.now() - 3_600_000), Date.now() - 3_600_000);
      worker.start();
      await until('retrying', () => worker.status().state === 'retrying');
      down = false;
      let k = 0;
      live = setInterval(() => log.append(series('live', 20, Date.now() - 1000 + k++ * 200)), 100);
      await until('some backlog sent', () => proxy.writes.some((w) => w.action === 'forward:2xx' && w.lines.some((l) => l.includes('tag=backlog'))));
      await until('backlog drained', () => store.watermark('region', 'samples').split === null && worker.status().sentLines >= 5000, 20_000);
      clearInterval(live);
      await until('drained', () => drained(store, 'region', [stream]));
      const ok = proxy.writes.filter((w) => w.action === 'forward:2xx');
      const firstLive = ok.findIndex((w) => w.lines.some((l) => l.includes('tag=live')));
      const lastBacklog = ok.findLastIndex((w) => w.lines.some((l) => l.includes('tag=backlog')));
      expect(firstLive).toBeGreaterThanOrEqual(0);
      expect(firstLive).toBeLessThan(lastBacklog);
      const mine = async () => new Map([...await victoriaPoints(vm, 'tf')].filter(([tag]) => tag.startsWith('backlog.') || tag.startsWith('live.')));
      const got = await settled(mine, (p) => diffPoints(p, log.expected(), VM_PRECISION).length === 0);
      expect(diffPoints(got, log.expected(), VM_PRECISION)).toEqual([]);
    } finally {
      clearInterval(live);
      await worker.stop();
      store.close();
      log.close();
    }
  });
});
