/**
 * An endpoint whose ServiceLevel is unusable (here a Bad status; another type or an absent node,
 * probe-level.test.ts) says nothing of the data it has: it is an unknown level,
 * ranked below any endpoint reporting a healthy level and never counted healthy itself. It was
 * taken for 255: a primary whose level read failed kept the station though the backup reported
 * healthy, and the console showed it like a healthy one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedundantPair, type RedundantPair } from './testing/redundant-pair.js';
import { until, untilAsync } from './testing/harness.js';

describe('redundant server: an endpoint whose ServiceLevel is unknown', () => {
  let pair: RedundantPair;

  beforeAll(async () => {
    pair = await startRedundantPair({
      name: 'failover-unknown-level', tickMs: 200, publishingIntervalMs: 200, probeIntervalMs: 300, failbackAfterMs: 1000, staleAfterMs: 2000,
      value: (side, n) => (side === 'primary' ? 1000 + n : n),
      before: (servers) => servers.primary.setServiceLevel('bad'),
    });
  }, 120_000);

  afterAll(async () => {
    await pair?.stop();
  });

  it('leaves a primary whose ServiceLevel reads Bad for the backup reporting healthy, and shows its level unknown', async () => {
    const { servers, last, ledger, station: t } = pair;
    await until('on the backup', () => last()?.state === 'connected' && last().endpoint === servers.backup.endpoint, 60_000);
    // Reachable, its level not known: not a level of 255, not unreachable.
    await until('the primary reachable, its level unknown', () => last().endpoints?.[0]?.reachable === true && last().endpoints?.[0]?.serviceLevel === null);
    expect(last().endpoints?.[1]).toMatchObject({ active: true, serviceLevel: 255 });
    expect((await untilAsync('the switch journaled', async () => (await ledger()).find((e) => e.kind === 'failover')))).toMatchObject({ cause: 'serviceLevel', toEndpoint: servers.backup.endpoint });
    expect(t.logs.some((l) => l.level === 40 && typeof l.msg === 'string' && l.msg.includes('no usable ServiceLevel'))).toBe(true);
  }, 90_000);

  it('does not fail back to a primary whose ServiceLevel is unknown, and does once it reports healthy', async () => {
    const { servers, last, ledger } = pair;
    // Failback waits failbackAfterMs of health: several probes of the primary read its text level meanwhile.
    const reads = servers.primary.serviceLevelReads();
    await until('the primary probed a few times', () => servers.primary.serviceLevelReads() > reads + 5, 30_000);
    expect(last().endpoint).toBe(servers.backup.endpoint);
    expect(last().endpoints?.[0]).toMatchObject({ reachable: true, serviceLevel: null });
    servers.primary.setServiceLevel(255);
    await until('back on the primary', () => last().state === 'connected' && last().endpoint === servers.primary.endpoint, 60_000);
    expect((await ledger()).filter((e) => e.kind === 'failover').map((e) => e.cause)).toEqual(['failback', 'serviceLevel']);
  }, 120_000);
});
