/**
 * InfluxDB's retention policy shortened while a backlog drains (found by an exploratory run against
 * InfluxDB 1.6.7): the shard groups it acknowledged are deleted by the policy, and the check at its
 * next restart found no checkpoint's line there, reported everything as missing (sync-lost) and sent
 * it all again, to be refused as beyond the retention policy and quarantined: a false loss and a
 * quarantine full of lines it had taken. Lines past its policy are gone for that reason alone,
 * as past VictoriaMetrics' -retentionPeriod: the check reads the policy (SHOW RETENTION POLICIES),
 * and goes by InfluxDB's clock (its Date header): 2 h ahead of the station's, it deleted what was a
 * minute old by the station's, and that was reported missing too. (The system clock cannot be set
 * here: the station's is set off instead, the same difference between the two.)
 * Expectations come from the test's sample log and InfluxDB's answers.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir, until } from '../testing/harness.js';
import type { LoggedSample } from '../testing/sample-log.js';
import { InfluxServer } from '../testing/servers.js';
import { countPoints, influxPoints } from '../testing/upstream-points.js';
import { workerRig } from '../testing/worker-rig.js';

const tmp = tempDir();
const cleanups: (() => unknown)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c(); tmp.remove(); });

const HOUR = 3_600_000;
let start = Date.now() - 3 * HOUR;
/** n samples over 4 tags from `start` on (a backlog 3 hours old, then newer rounds), 10 ms apart. */
function samples(n: number): LoggedSample[] {
  const t0 = start;
  start += n * 10;
  return Array.from({ length: n }, (_, i) => ({ tag: `rp.${i % 4}`, kind: 'analog' as const, t: t0 + i * 10, value: i / 4, status: 0 }));
}

describe('InfluxDB 1.6.7, its retention policy shortened under a draining backlog', () => {
  it('what the policy deleted is not reported missing nor sent again at a restart; the newer data is held', async () => {
    const influx = await InfluxServer.launch({ retentionCheck: '500ms' });
    cleanups.push(() => influx.dispose());
    await influx.query('CREATE DATABASE t WITH DURATION INF SHARD DURATION 1h');
    const r = workerRig({ dir: tmp.dir, name: 'rp', url: influx.url, flavour: 'influxdb1', make: samples, verifyIntervalMs: 600_000, cleanups });
    r.worker.start();
    await r.send(3); // 3 hours old: taken (the policy keeps everything yet), checkpoints kept
    expect(r.store.checkpoints('region', Date.now()).length).toBeGreaterThan(0);
    await influx.query('ALTER RETENTION POLICY autogen ON t DURATION 1h');
    await until('InfluxDB deleted it by its policy', async () => countPoints(await influxPoints(influx, 't', 'rp')) === 0, 20_000);
    // Past the re-send window (what it acknowledged in it goes again at a restart, beyond the policy or not).
    await until('past the re-send window', () => r.store.ackedSince('region', -Infinity).length === 0, 20_000);
    await influx.stop();
    await influx.restart();
    await until('the restart checked', () => r.worker.status().restarts === 1 && r.worker.status().restartCheck !== null, 20_000);
    start = Date.now() - 60_000;
    await r.send(2); // recent: taken and kept
    expect(r.losses).toEqual([]);
    expect(r.store.quarantine({ limit: 10 })).toEqual([]);
    expect(r.worker.status()).toMatchObject({ sentLines: 1500, resentLines: 0 });
    expect(countPoints(await influxPoints(influx, 't', 'rp'))).toBe(600);
  });

  it('its clock 2 h ahead of the station\'s: what its policy deleted by its clock is not reported missing at a restart', async () => {
    const station = () => Date.now() - 2 * HOUR;
    const influx = await InfluxServer.launch({ retentionCheck: '500ms' });
    cleanups.push(() => influx.dispose());
    await influx.query('CREATE DATABASE t WITH DURATION INF SHARD DURATION 1h');
    start = station() - 60_000;
    const r = workerRig({ dir: tmp.dir, name: 'rpclock', url: influx.url, flavour: 'influxdb1', make: samples, verifyIntervalMs: 600_000, cleanups, now: station });
    r.worker.start();
    await r.send(3); // a minute old by the station's clock, 2 h by InfluxDB's
    await influx.query('ALTER RETENTION POLICY autogen ON t DURATION 1h');
    await until('InfluxDB deleted it by its policy', async () => countPoints(await influxPoints(influx, 't', 'rpclock')) === 0, 20_000);
    await until('past the re-send window', () => r.store.ackedSince('region', -Infinity).length === 0, 20_000);
    await influx.stop();
    await influx.restart();
    await until('the restart checked', () => r.worker.status().restarts === 1 && r.worker.status().restartCheck !== null, 20_000);
    expect(r.losses).toEqual([]);
    expect(r.store.quarantine({ limit: 10 })).toEqual([]);
    expect(r.store.replays('region')).toEqual([]);
  });
});
