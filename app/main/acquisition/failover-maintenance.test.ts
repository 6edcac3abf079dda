/**
 * A standby at ServiceLevel 0 (Maintenance: Part 4 §6.6.2.4.2, a server taken down on purpose,
 * which Clients are not to reconnect to often) is read ten times less often than the probe period,
 * at least every 30 s, and the log says so; one at 1 (NoData) is probed as any other. Counted here
 * against the active primary's reads, which go on at the normal period (and its monitored level).
 * The 30 s floor is shortened here to 4 s, still above ten probe periods (3 s): the log shows the
 * floor applied, and the return to the normal period is seen within 4 s, not 30 (the floor's own
 * value: probe-level.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAINTENANCE } from './failover.js';
import { startRedundantPair, type RedundantPair } from './testing/redundant-pair.js';
import { until } from './testing/harness.js';

const defaults = { ...MAINTENANCE };
/** A standby in maintenance is read every SLOW_MS: the floor, above ten probe periods of 300 ms. */
const SLOW_MS = 4000;

/** The Reads among the server's value requests since `from`: node-opcua asks for the value twice per Read, a few ms apart. */
const readsSince = (times: readonly number[], from: number): number[] =>
  times.filter((at, i) => at >= from && (i === 0 || at - times[i - 1]! > 100));

describe('redundant server: a standby in maintenance', () => {
  let pair: RedundantPair;

  beforeAll(async () => {
    expect(SLOW_MS).toBeGreaterThan(MAINTENANCE.probeFactor * 300);
    Object.assign(MAINTENANCE, { probeMinMs: SLOW_MS });
    pair = await startRedundantPair({
      name: 'failover-maintenance', tickMs: 200, publishingIntervalMs: 200, probeIntervalMs: 300, failbackAfterMs: 1000, staleAfterMs: 2000,
      before: (servers) => servers.backup.setServiceLevel(0),
    });
    const { last, servers } = pair;
    await until('connected to the primary', () => last()?.state === 'connected' && last().endpoint === servers.primary.endpoint, 60_000);
    await until('the backup probed in maintenance', () => last().endpoints?.[1]?.serviceLevel === 0, 30_000);
  }, 120_000);

  afterAll(async () => {
    await pair?.stop();
    Object.assign(MAINTENANCE, defaults);
  });

  it('is read far less often than the probe period while it stays in maintenance', async () => {
    const { servers, station: t } = pair;
    const primaryBefore = servers.primary.serviceLevelReads();
    const from = Date.now();
    // Thirty reads of the primary's level: at least nine probe periods of 300 ms (thirty reads of the
    // backup at that period), longer on a loaded machine, where a read every SLOW_MS may come in too.
    await until('thirty reads of the primary', () => servers.primary.serviceLevelReads() >= primaryBefore + 30, 60_000);
    const slowReads = 1 + Math.floor((Date.now() - from) / SLOW_MS);
    expect(readsSince(servers.backup.serviceLevelReadTimes(), from).length).toBeLessThanOrEqual(slowReads);
    expect(t.logs.filter((l) => l.msg === 'standby endpoint in maintenance (ServiceLevel 0): probed less often until it leaves it')).toEqual([
      expect.objectContaining({ endpoint: servers.backup.endpoint, probeEveryMs: SLOW_MS }),
    ]);
  }, 90_000);

  it('is probed at the normal period again once at NoData (1)', async () => {
    const { servers, last } = pair;
    servers.backup.setServiceLevel(1);
    // Its next read is the slow one; from then on, every probe period.
    await until('the backup seen at NoData', () => last().endpoints?.[1]?.serviceLevel === 1, 60_000);
    const backupBefore = servers.backup.serviceLevelReads();
    const primaryBefore = servers.primary.serviceLevelReads();
    await until('thirty reads of the primary', () => servers.primary.serviceLevelReads() >= primaryBefore + 30, 60_000);
    expect(servers.backup.serviceLevelReads() - backupBefore).toBeGreaterThan(3);
  }, 120_000);
});
