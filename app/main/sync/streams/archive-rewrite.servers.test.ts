/**
 * The real historian's change feed, through a sync worker and the fault proxy,
 * to a real VictoriaMetrics (which keeps every value it is sent at a time, so
 * a sample sent twice is there twice). A compressed tag's block is sealed as
 * its raw samples (smaller than its points) while the upstream is down: the
 * archive writes the block again, its points already sent among it. Upstream,
 * each sample is there once; only the two hold records that the samples at
 * their times replaced (a real correction) are there twice. Found in a faults run: after each outage the minutes before it came
 * again, 530 of 550 lines with the very values already sent.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Historian } from '../../../../historian/index.js';
import { silentLogger } from '../../log.js';
import { UpstreamWorker } from '../deliver/worker.js';
import { SampleEncoder } from '../line-protocol/samples.js';
import { SyncStore } from '../store/sync-store.js';
import { FaultProxy } from '../testing/fault-proxy.js';
import { drained, tempDir, until, upstreamConfig } from '../testing/harness.js';
import { VictoriaServer } from '../testing/servers.js';
import { settled, victoriaPoints } from '../testing/upstream-points.js';
import { traits } from '../upstream/flavour.js';
import { SamplesStream } from './samples.js';

const tmp = tempDir();
const cleanups: (() => unknown)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c(); tmp.remove(); });

describe('a block the archive stores again as its raw samples', () => {
  it('reaches VictoriaMetrics once per sample after an outage: only the hold records the samples replaced go again', async () => {
    const vm = await VictoriaServer.launch();
    cleanups.push(() => vm.dispose());
    const proxy = await FaultProxy.start(vm.url);
    cleanups.push(() => proxy.close());
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    const historian = Historian.open(join(tmp.dir, 'archive'), { flushIntervalMs: 0, sortWindowMs: 0, blockSize: 20 });
    historian.defineTag({ name: 'D', kind: 'analog', unit: 'm', description: '', compression: { kind: 'deadband', deviation: 1 }, stepped: false, cycleMs: 0 }, t0);
    const tr = traits.victoriametrics;
    const encoder = new SampleEncoder({ measurement: 'rw', site: 'N', dialect: tr.dialect, statusName: tr.stringFields, textAs: 'tag' });
    const stream = new SamplesStream(historian, encoder, () => 'A1');
    const store = SyncStore.open(join(tmp.dir, 'rw.sync.sqlite'));
    const worker = new UpstreamWorker({
      config: upstreamConfig({ url: proxy.url, flavour: 'victoriametrics', flushIntervalMs: 50 }),
      store, streams: [stream], log: silentLogger(), secret: null, backoff: { baseMs: 20, capMs: 200, maxRetryAfterMs: 1000 },
      onLoss: (s, d) => { throw new Error(`loss in ${s}: ${d}`); },
    });
    cleanups.push(async () => { await worker.stop(); store.close(); await historian.close(); });
    // A ramp of 0.3/s with up to 1 of noise, one sample a second: 0.000 0.385 1.201 1.792 2.168 1.690 2.315 2.498 2.663 3.444 ...
    let x = 1;
    const noise = () => { x = (x * 48271) % 2147483647; return Math.round((x / 2147483647) * 1000) / 1000; };
    const samples = Array.from({ length: 200 }, (_, k) => ({ t: t0 + k * 1000, value: Math.round((k * 0.3 + noise()) * 1000) / 1000, status: 0 }));
    historian.append('D', samples.slice(0, 10));
    historian.flush(); // the deadband's points of the first 10 s: 0, 1, 2 s, a hold record at 5 s, 6 s, a hold record at 8 s, 9 s
    worker.start();
    await until('the first points sent', () => drained(store, 'region', [stream]));
    expect(worker.status().sentLines).toBe(7);
    proxy.rule = () => 'reset'; // the upstream is gone
    historian.append('D', samples.slice(10));
    historian.flush(); // the first block sealed and stored as its 20 raw samples, its 7 points among them
    await until('a write tried in the outage', () => proxy.writes.some((w) => w.action === 'reset'));
    proxy.rule = () => 'forward';
    await until('all sent', () => drained(store, 'region', [stream]));
    const archived = historian.readRaw({ tags: 'D', start: t0, end: t0 + 200_000, pageSize: 1000 }).rows;
    const up = await settled(() => victoriaPoints(vm, 'rw'), (p) => (p.get('D')?.length ?? 0) >= archived.length + 2);
    const copies = new Map<number, number[]>();
    for (const p of up.get('D') ?? []) copies.set(p.t - t0, [...copies.get(p.t - t0) ?? [], p.value as number]);
    // The hold records (the value held, 1.201 and 2.315) and the samples that replaced them: both kept.
    expect(copies.get(5000)!.sort()).toEqual([1.201, 1.69]);
    expect(copies.get(8000)!.sort()).toEqual([2.315, 2.663]);
    // Every other time once, with the archived value; the points sent before the outage not again.
    const twice = [...copies].filter(([t, v]) => v.length !== 1 && t !== 5000 && t !== 8000).map(([t]) => t);
    expect(twice).toEqual([]);
    expect(copies.size).toBe(archived.length);
    for (const r of archived) if (r.t - t0 !== 5000 && r.t - t0 !== 8000) expect(copies.get(r.t - t0)).toEqual([r.value]);
    // What the upstream took: each archived sample once, and the two corrections.
    expect(proxy.forwardedLines).toBe(archived.length + 2);
  });
});
