/**
 * A record for a sample time already sent (the archive rewrote the sample:
 * same tag and time, a new value) reaches a real VictoriaMetrics as a second
 * value at that time: the status counts it as sent again, as it counts any
 * line the upstream may hold twice. A late sample at a time never sent is no
 * such thing. A sample written again as it was (a compressed tag's block
 * settled as its raw samples) is not sent twice, nor one twice in a batch.
 * InfluxDB overwrites the point: nothing to count there.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../log.js';
import { SyncStore } from '../store/sync-store.js';
import { drained, tempDir, until, upstreamConfig } from '../testing/harness.js';
import { type LoggedSample, SampleLog } from '../testing/sample-log.js';
import { InfluxServer, VictoriaServer } from '../testing/servers.js';
import { influxPoints, settled, victoriaPoints } from '../testing/upstream-points.js';
import { UpstreamWorker } from './worker.js';

const tmp = tempDir();
const servers: { dispose(): Promise<void> }[] = [];
afterAll(async () => { for (const s of servers) await s.dispose(); tmp.remove(); });

const at = (tag: string, t: number, value: number): LoggedSample => ({ tag, kind: 'analog', t, value, status: 0 });

async function run(flavour: 'victoriametrics' | 'influxdb1', url: string, name: string) {
  const store = SyncStore.open(join(tmp.dir, `${name}.sync.sqlite`));
  const log = new SampleLog(join(tmp.dir, `${name}.samples.sqlite`));
  const stream = log.stream(flavour, name);
  const worker = new UpstreamWorker({
    config: upstreamConfig({ url, flavour, database: flavour === 'influxdb1' ? 't' : undefined, flushIntervalMs: 50 }),
    store, streams: [stream], log: silentLogger(), secret: null, onLoss: () => undefined,
  });
  const t0 = Date.now() - 600_000;
  log.append([at('TK203.Level', t0, 5.63), at('TK203.Level', t0 + 1000, 5.634), at('TK204.Level', t0, 7)]);
  worker.start();
  await until('sent', () => drained(store, 'region', [stream]));
  // The archive rewrites the sample at t0 + 1000 (5.634 was the previous sample's value held over), and a late sample comes.
  log.append([at('TK203.Level', t0 + 1000, 5.638), at('TK204.Level', t0 - 5000, 6.9)]);
  await until('sent again', () => drained(store, 'region', [stream]));
  // Written again as they were: TK204.Level at t0 (sent before), TK205.Level twice in one batch.
  log.append([at('TK204.Level', t0, 7), at('TK205.Level', t0, 1.5), at('TK205.Level', t0, 1.5)]);
  await until('the copies settled', () => drained(store, 'region', [stream]));
  const status = worker.status();
  await worker.stop();
  store.close();
  log.close();
  return { status, t0 };
}

describe('a sample rewritten after it was sent', () => {
  it('VictoriaMetrics keeps both values: the rewrite is counted as sent again, the late sample as sent; a sample written again as it was goes once', async () => {
    const vm = await VictoriaServer.launch();
    servers.push(vm);
    const { status, t0 } = await run('victoriametrics', vm.url, 'vmrw');
    const points = await settled(() => victoriaPoints(vm, 'vmrw'), (p) => (p.get('TK203.Level')?.length ?? 0) >= 3 && p.has('TK205.Level'));
    expect(points.get('TK203.Level')!.filter((p) => p.t === t0 + 1000).map((p) => p.value).sort()).toEqual([5.634, 5.638]);
    expect(points.get('TK204.Level')!.map((p) => [p.t - t0, p.value])).toEqual([[-5000, 6.9], [0, 7]]);
    expect(points.get('TK205.Level')!.map((p) => [p.t - t0, p.value])).toEqual([[0, 1.5]]);
    expect([status.sentLines, status.resentLines]).toEqual([5, 1]);
  });

  it('InfluxDB overwrites it: nothing sent twice is counted', async () => {
    const influx = await InfluxServer.launch();
    servers.push(influx);
    await influx.createDatabase('t');
    const { status, t0 } = await run('influxdb1', influx.url, 'inrw');
    const points = await influxPoints(influx, 't', 'inrw');
    expect(points.get('TK203.Level')!.filter((p) => p.t === t0 + 1000).map((p) => p.value)).toEqual([5.638]);
    expect([status.sentLines, status.resentLines]).toEqual([8, 0]);
  });
});
