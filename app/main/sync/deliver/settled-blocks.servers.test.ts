/**
 * A swinging-door tag on noise: each flush's archived points go to a real VictoriaMetrics, then
 * the historian settles each block as its raw samples where they encode shorter, and the change
 * feed hands the whole block over again. VictoriaMetrics keeps every copy it is sent (no
 * deduplication): it must end holding the archive's samples once each, no more, whether the
 * points went before their block was settled (live) or after (an outage: the feed then reads the
 * blocks as they are now).
 */
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
import { settled, victoriaPoints } from '../testing/upstream-points.js';
import { traits } from '../upstream/flavour.js';
import { UpstreamWorker } from './worker.js';

const tmp = tempDir();
let vm: VictoriaServer | undefined;
afterAll(async () => { await vm?.dispose(); tmp.remove(); });

async function run(name: string, live: boolean) {
  vm ??= await VictoriaServer.launch();
  let now = T0 + 3_600_000;
  const h = Historian.open(join(tmp.dir, name), { flushIntervalMs: 0, sortWindowMs: 0, blockSize: 20, now: () => now });
  h.defineTag(tagConfig('S', { compression: { kind: 'swinging-door', deviation: 0.5 } }), T0);
  let x = 1;
  const noise = () => { x = (x * 48271) % 2147483647; return Math.round((x / 2147483647) * 1000) / 100; };
  const tr = traits.victoriametrics;
  const stream = new SamplesStream(h, new SampleEncoder({ measurement: name, site: 's', dialect: tr.dialect, statusName: tr.stringFields, textAs: 'tag' }), () => 'A', () => now);
  const store = SyncStore.open(join(tmp.dir, `${name}.sync.sqlite`));
  const worker = new UpstreamWorker({
    config: upstreamConfig({ url: vm.url, flavour: 'victoriametrics', flushIntervalMs: 50 }),
    store, streams: [stream], log: silentLogger(), secret: null, onLoss: () => undefined,
  });
  if (live) worker.start();
  for (let i = 0; i < 200; i++) {
    h.append('S', [{ t: T0 + i * 1000, value: noise(), status: Good }]);
    now += 1000;
    h.flush();
    if (live && i % 10 === 9) await until('sent', () => drained(store, 'region', [stream]));
  }
  if (!live) worker.start();
  await until('sent', () => drained(store, 'region', [stream]));
  const rows = h.readRaw({ tags: 'S', start: T0, end: T0 + 1e6, pageSize: 1000 }).rows;
  const status = worker.status();
  await worker.stop();
  store.close();
  await h.close();
  const points = await settled(() => victoriaPoints(vm!, name), (p) => (p.get('S')?.length ?? 0) >= rows.length);
  return { rows, points: points.get('S')!, status };
}

describe('blocks settled as their raw samples, to VictoriaMetrics', () => {
  it.each([['live', true], ['after an outage', false]] as const)('%s: each archived sample once upstream', async (_, live) => {
    const { rows, points, status } = await run(live ? 'live' : 'outage', live);
    // The door keeps most of this noise, and blocks were settled as raw: more samples than blocks of points.
    expect(rows.length).toBeGreaterThan(100);
    expect(points.map((p) => [p.t, p.value])).toEqual(rows.map((r) => [r.t, r.value]));
    expect(status.resentLines).toBe(0);
  });
});
