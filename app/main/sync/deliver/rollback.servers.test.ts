/**
 * An upstream that comes back with older data: its data directory copied
 * while it was stopped, more sent and acknowledged, then killed and
 * restarted from the copy (a restore from backup, a disk rolled back), with a
 * re-send window far shorter than what it lost. The restart is detected
 * (InfluxDB 1.x by its /debug/vars start time, VictoriaMetrics by /metrics),
 * the sync finds the newest checkpoint the upstream still holds, and sends
 * everything acknowledged since again: upstream equals the station, and the
 * status says what was found. One that comes back holding nothing of what it
 * acknowledged gets everything since the oldest checkpoint, and the rest is
 * reported as lost.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { drained, tempDir, until } from '../testing/harness.js';
import type { LoggedSample } from '../testing/sample-log.js';
import { InfluxServer, VictoriaServer } from '../testing/servers.js';
import { type Point, type PointsByTag, VM_PRECISION, diffPoints, influxPoints, settled, victoriaPoints } from '../testing/upstream-points.js';
import { workerRig } from '../testing/worker-rig.js';

const tmp = tempDir();
const cleanups: (() => unknown)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c(); tmp.remove(); });

let k = 0;
/** n samples over 4 tags, a minute ago and before, never repeating a time. */
function samples(n: number): LoggedSample[] {
  const t0 = Date.now() - 600_000 + (k += n) * 10;
  return Array.from({ length: n }, (_, i) => ({ tag: `rb.${i % 4}`, kind: 'analog' as const, t: t0 + i * 10, value: i / 4, status: 0 }));
}

/** Exact copies folded (VictoriaMetrics keeps a line sent again as a second sample). */
function fold(points: PointsByTag): { unique: PointsByTag; extra: number } {
  let extra = 0;
  const unique: PointsByTag = new Map([...points].map(([tag, list]) => [tag, list.filter((p: Point, i) => {
    const dup = i > 0 && list[i - 1]!.t === p.t && list[i - 1]!.value === p.value && list[i - 1]!.status === p.status;
    if (dup) extra++;
    return !dup;
  })]));
  return { unique, extra };
}

type Server = InfluxServer | VictoriaServer;

const rig = (name: string, server: Server, flavour: 'influxdb1' | 'victoriametrics') =>
  workerRig({ dir: tmp.dir, name, url: server.url, flavour, make: samples, cleanups });

/** Copies the stopped server's data aside; restores it after a kill -9. */
async function copyWhileStopped(server: Server): Promise<() => Promise<void>> {
  await server.stop();
  const copy = mkdtempSync(join(tmpdir(), 'vigil-copy-'));
  cleanups.push(() => rmSync(copy, { recursive: true, force: true }));
  cpSync(server.dir, copy, { recursive: true });
  await server.restart();
  return async () => {
    await until('the upstream has lived 2 s', () => Date.now() - server.startedAt > 2000); // VictoriaMetrics' start time is in whole seconds
    await server.kill9();
    rmSync(server.dir, { recursive: true, force: true });
    cpSync(copy, server.dir, { recursive: true });
    await server.restart();
  };
}

describe('an upstream restored from an older copy', () => {
  it('InfluxDB 1.x: the restart is seen, what it lost is sent again, upstream equals the station', async () => {
    const influx = await InfluxServer.launch();
    cleanups.push(() => influx.dispose());
    await influx.createDatabase('t');
    const r = rig('infrb', influx, 'influxdb1');
    r.worker.start();
    await r.send(3);
    const restore = await copyWhileStopped(influx);
    await until('the copy\'s restart seen', () => r.worker.status().restarts === 1);
    await r.send(4); // acknowledged after the copy: lost by the restore
    await restore();
    await until('the restore seen', () => r.worker.status().restarts === 2);
    await until('sent again', () => drained(r.store, 'region', [r.stream]));
    expect(r.worker.status().restartCheck?.message).toMatch(/no longer holds what it acknowledged after/);
    expect(diffPoints(await influxPoints(influx, 't', 'infrb'), r.log.expected())).toEqual([]);
    expect(r.losses).toEqual([]);
  });

  it('VictoriaMetrics: the same, extra copies within the lines counted as sent again', async () => {
    const vm = await VictoriaServer.launch();
    cleanups.push(() => vm.dispose());
    const r = rig('vmrb', vm, 'victoriametrics');
    r.worker.start();
    await r.send(3);
    const restore = await copyWhileStopped(vm);
    await until('the copy\'s restart seen', () => r.worker.status().restarts === 1);
    await r.send(4);
    await restore();
    await until('the restore seen', () => r.worker.status().restarts === 2);
    await until('sent again', () => drained(r.store, 'region', [r.stream]));
    expect(r.worker.status().restartCheck?.message).toMatch(/no longer holds what it acknowledged after/);
    const agrees = (p: PointsByTag) => diffPoints(fold(p).unique, r.log.expected(), VM_PRECISION).length === 0;
    const { unique, extra } = fold(await settled(() => victoriaPoints(vm, 'vmrb'), agrees));
    expect(diffPoints(unique, r.log.expected(), VM_PRECISION)).toEqual([]);
    expect(extra).toBeLessThanOrEqual(r.worker.status().resentLines);
    expect(r.losses).toEqual([]);
  });

  it('VictoriaMetrics back with nothing it acknowledged: everything since the oldest checkpoint again, the rest reported lost', async () => {
    const vm = await VictoriaServer.launch();
    cleanups.push(() => vm.dispose());
    const r = rig('vmwipe', vm, 'victoriametrics');
    r.worker.start();
    await r.send(4);
    await until('the upstream has lived 2 s', () => Date.now() - vm.startedAt > 2000);
    // The oldest checkpoint, taken before the wipe: forgotten once the loss is found (its line never goes again).
    const oldest = r.store.checkpoints('region', Date.now())[0]!;
    await vm.kill9();
    rmSync(vm.dir, { recursive: true, force: true });
    await vm.restart();
    await until('the restart seen', () => r.worker.status().restarts === 1);
    await until('sent again', () => drained(r.store, 'region', [r.stream]));
    expect(r.worker.status().restartCheck?.message).toMatch(/holds nothing it acknowledged since/);
    expect(r.losses).toEqual([expect.stringMatching(/^samples: upstream region restarted at .* holding nothing it acknowledged since .* \(the oldest check kept\)/)]);
    // Everything after the oldest checkpoint's position is there again, and only that.
    const after = Number(oldest.cursors.samples);
    const expected: PointsByTag = new Map();
    for (const x of r.log.db.prepare('SELECT tag, t, value FROM sample WHERE id > ? ORDER BY tag, t').all(after) as { tag: string; t: number; value: number }[]) {
      expected.set(x.tag, [...expected.get(x.tag) ?? [], { t: x.t, value: x.value, status: 0 }]);
    }
    expect(after).toBeGreaterThan(0);
    const agrees = (p: PointsByTag) => diffPoints(fold(p).unique, expected, VM_PRECISION).length === 0;
    const got = fold(await settled(() => victoriaPoints(vm, 'vmwipe'), agrees)).unique;
    expect(diffPoints(got, expected, VM_PRECISION)).toEqual([]);
  });
});
