/**
 * A real VictoriaMetrics loses samples it acknowledged (killed, then back from an older copy of its
 * data, as after a full disk), and meanwhile the archive stores a compressed tag's block again as
 * its raw samples: the block's archived points leave their old positions in the change feed (the
 * re-send of the positions the upstream lost finds them no more) and come back at new ones, after
 * the watermark. The sync's memory of what the upstream took (deliver/sent-index.ts) must not skip
 * those as "already sent": the upstream no longer holds them. Found by an exploratory run: 23
 * samples the archive held never reached VictoriaMetrics, no loss reported.
 * Expectations: the archive's own raw read of each tag, compared sample for sample.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Historian } from '../../../../historian/index.js';
import { Good } from '../../../../historian/status.js';
import { T0, tagConfig } from '../../../../historian/store/testing.js';
import { silentLogger } from '../../log.js';
import { SampleEncoder } from '../line-protocol/samples.js';
import { SyncStore } from '../store/sync-store.js';
import { SamplesStream } from '../streams/samples.js';
import { drained, tempDir, until, upstreamConfig } from '../testing/harness.js';
import { VictoriaServer } from '../testing/servers.js';
import { type PointsByTag, diffPoints, settled, victoriaPoints } from '../testing/upstream-points.js';
import { traits } from '../upstream/flavour.js';
import { UpstreamWorker } from './worker.js';

const tmp = tempDir();
const cleanups: (() => unknown)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c(); tmp.remove(); });

/** Exact copies folded (VictoriaMetrics keeps a line sent again as a second sample). */
function fold(points: PointsByTag): { unique: PointsByTag; extra: number } {
  let extra = 0;
  const unique: PointsByTag = new Map([...points].map(([tag, list]) => [tag, list.filter((p, i) => {
    const dup = i > 0 && list[i - 1]!.t === p.t && list[i - 1]!.value === p.value && list[i - 1]!.status === p.status;
    if (dup) extra++;
    return !dup;
  })]));
  return { unique, extra };
}

describe('an upstream that lost what it acknowledged, the archive storing a block again as its samples', () => {
  it('VictoriaMetrics ends holding every archived sample: none skipped as already sent', async () => {
    const vm = await VictoriaServer.launch();
    cleanups.push(() => vm.dispose());
    let now = T0 + 3_600_000;
    const h = Historian.open(join(tmp.dir, 'arch'), { flushIntervalMs: 0, sortWindowMs: 0, blockSize: 20, now: () => now });
    cleanups.push(() => h.close());
    h.defineTag(tagConfig('S', { compression: { kind: 'swinging-door', deviation: 0.5 } }), T0);
    h.defineTag(tagConfig('T'), T0);
    let x = 1;
    const noise = () => { x = (x * 48271) % 2147483647; return Math.round((x / 2147483647) * 1000) / 100; };
    const put = (tag: string, from: number, to: number) => {
      for (let i = from; i < to; i++) {
        h.append(tag, [{ t: T0 + i * 1000, value: noise(), status: Good }]);
        now += 1000;
      }
      h.flush();
    };
    const tr = traits.victoriametrics;
    const stream = new SamplesStream(h, new SampleEncoder({ measurement: 'sal', site: 's', dialect: tr.dialect, statusName: tr.stringFields, textAs: 'tag' }), () => 'A', () => now);
    const store = SyncStore.open(join(tmp.dir, 'sal.sync.sqlite'));
    const losses: string[] = [];
    const worker = new UpstreamWorker({
      config: upstreamConfig({ url: vm.url, flavour: 'victoriametrics', flushIntervalMs: 50, resendWindowSec: 60 }),
      store, streams: [stream], log: silentLogger(), secret: null, probeIntervalMs: 100, checkpointIntervalMs: 0,
      backoff: { baseMs: 20, capMs: 200, maxRetryAfterMs: 1000 }, onLoss: (s, d) => losses.push(`${s}: ${d}`),
    });
    cleanups.push(async () => { await worker.stop(); store.close(); });
    const sent = () => until('acknowledged', () => drained(store, 'region', [stream]));
    worker.start();

    put('S', 0, 5); // the door's first points of S's first block: the copy below holds them
    await sent();
    // The data directory copied while stopped: what it holds of S's first points.
    await until('the upstream has lived 2 s, seen by a probe', () => Date.now() - vm.startedAt > 2000 && store.startTime('region') !== null);
    await vm.stop();
    const copy = mkdtempSync(join(tmpdir(), 'vigil-copy-'));
    cleanups.push(() => rmSync(copy, { recursive: true, force: true }));
    cpSync(vm.dir, copy, { recursive: true });
    await vm.restart();
    await until('the copy\'s restart seen', () => worker.status().restarts === 1);
    await sent();

    put('S', 5, 10); // more points of the same open block, acknowledged, then lost with the copy restored
    await sent();
    await until('the upstream has lived 2 s', () => Date.now() - vm.startedAt > 2000); // its start time is in whole seconds
    await vm.kill9();
    rmSync(vm.dir, { recursive: true, force: true });
    cpSync(copy, vm.dir, { recursive: true });

    // While it is down: a batch in flight, retried; then S's first block settles as its raw samples
    // (a new write: after that batch, so after the watermark the restart check finds).
    put('T', 0, 3);
    await until('a batch waits for the upstream', () => worker.status().state === 'retrying');
    put('S', 10, 200);
    const firstBlock = h.readRaw({ tags: 'S', start: T0, end: T0 + 19_000 }).rows.map((r) => r.t);
    expect(firstBlock).toEqual(Array.from({ length: 20 }, (_, k) => T0 + k * 1000)); // stored as its samples

    await vm.restart();
    await until('the restore seen', () => worker.status().restarts === 2);
    await sent();
    expect(worker.status().restartCheck?.message).toMatch(/restarted/);

    const expected: PointsByTag = new Map(['S', 'T'].map((tag) => [tag,
      // Every sample was appended Good (the raw read adds the archive's own info bits to the status).
      h.readRaw({ tags: tag, start: T0, end: T0 + 1e6, pageSize: 1000 }).rows.map((r) => ({ t: r.t, value: r.value as number, status: Good }))]));
    const agrees = (p: PointsByTag) => diffPoints(fold(p).unique, expected).length === 0;
    const { unique, extra } = fold(await settled(() => victoriaPoints(vm, 'sal'), agrees));
    expect(diffPoints(unique, expected)).toEqual([]);
    // Each copy it holds twice was counted as sent again.
    expect(extra).toBeLessThanOrEqual(worker.status().resentLines);
    expect(losses).toEqual([]);
  });
});
