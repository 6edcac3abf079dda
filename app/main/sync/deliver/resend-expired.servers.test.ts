/**
 * An upstream restart sends again what it acknowledged within the re-send window. Lines of it that
 * InfluxDB's retention policy (shortened meanwhile) has deleted are refused again as beyond the
 * policy: they were quarantined, and the quarantine's alarm told an engineer to retry lines the
 * upstream can only refuse again. They expired there by its own policy, as a checkpoint past it is
 * no loss (policy-change.servers.test.ts): settled, not quarantined; the newer data goes on.
 * An engineer's "send again" of that range is refused the same way: they are told what and why (the
 * status's last error, in their language), nothing is quarantined.
 * Against InfluxDB 1.6.7; expectations come from the test's sample log and InfluxDB's answers.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir, until } from '../testing/harness.js';
import type { LoggedSample } from '../testing/sample-log.js';
import { InfluxServer } from '../testing/servers.js';
import { countPoints, influxPoints } from '../testing/upstream-points.js';
import { workerRig } from '../testing/worker-rig.js';
import { renderText } from '../../../shared/sync-text.js';
import { Translator } from '../../../shared/i18n/index.js';

const tmp = tempDir();
const cleanups: (() => unknown)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c(); tmp.remove(); });

const HOUR = 3_600_000;
let start = Date.now() - 3 * HOUR;
const oldest = start;
/** n samples over 4 tags from `start` on, 10 ms apart. */
function samples(n: number): LoggedSample[] {
  const t0 = start;
  start += n * 10;
  return Array.from({ length: n }, (_, i) => ({ tag: `rx.${i % 4}`, kind: 'analog' as const, t: t0 + i * 10, value: i / 4, status: 0 }));
}

describe('InfluxDB 1.6.7 restarted within the re-send window, after its retention policy deleted what it took', () => {
  it('the lines sent again that it refuses as beyond its policy are not quarantined; the newer data is held', async () => {
    const influx = await InfluxServer.launch({ retentionCheck: '500ms' });
    cleanups.push(() => influx.dispose());
    await influx.query('CREATE DATABASE t WITH DURATION INF SHARD DURATION 1h');
    const r = workerRig({ dir: tmp.dir, name: 'rx', url: influx.url, flavour: 'influxdb1', make: samples, verifyIntervalMs: 600_000, cleanups, resendWindowSec: 600 });
    r.worker.start();
    await r.send(2); // 3 hours old: taken while the policy keeps everything
    expect(r.worker.status().sentLines).toBe(600);
    await influx.query('ALTER RETENTION POLICY autogen ON t DURATION 1h');
    await until('InfluxDB deleted it by its policy', async () => countPoints(await influxPoints(influx, 't', 'rx')) === 0, 20_000);
    await influx.stop();
    await influx.restart();
    // The restart sends the re-send window again: all 600 lines, each refused as beyond the policy.
    await until('the restart checked and its re-sends done', () => r.worker.status().restarts === 1 && r.worker.status().restartCheck !== null
      && r.store.replays('region').length === 0 && !r.store.inflight('region'), 30_000);
    expect(r.store.quarantine({ limit: 10 })).toEqual([]);
    expect(r.losses).toEqual([]);
    start = Date.now() - 60_000;
    await r.send(1); // recent: taken and kept
    expect(r.store.quarantine({ limit: 10 })).toEqual([]);
    expect(countPoints(await influxPoints(influx, 't', 'rx'))).toBe(300);

    // An engineer asks for the old range again (Send again): InfluxDB refuses all 600 lines as beyond
    // its policy. They asked for them: told what was refused and why, in the status's last error (in
    // their language), not quarantined under an alarm advising a retry that could only be refused again.
    const from = oldest, to = oldest + 600 * 10;
    r.store.addReplay({ upstream: 'region', stream: r.stream.name, kind: 'time', from: String(from), to: String(to), reason: 'asked by ivanova', requestedAt: Date.now() });
    r.worker.poke();
    await until('the re-send asked for is done', () => r.store.replays('region').length === 0 && !r.store.inflight('region'), 30_000);
    expect(r.store.quarantine({ limit: 10 })).toEqual([]);
    expect(r.store.quarantineUnseen().get('region')).toBeUndefined();
    const told = r.worker.status().lastError!;
    expect(told.said).toMatchObject({ key: 'sync.cause.resendPastRetention', params: { lines: 600, fromAt: from, toAt: to } });
    expect(told.message).toMatch(/beyond retention policy/); // InfluxDB's own words, kept as the reason
    const ru = renderText(told.said!, (k, p) => new Translator('ru').t(k, p), { dateTime: (ms) => new Date(ms).toISOString(), list: (x) => x.join(', ') });
    expect(ru).toMatch(/^600 строк из интервала/);
    expect(countPoints(await influxPoints(influx, 't', 'rx'))).toBe(300);
  });
});
