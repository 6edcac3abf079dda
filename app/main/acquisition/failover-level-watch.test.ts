/**
 * A drop of the active endpoint's ServiceLevel (Part 4 §6.6.2.4.2) is acted on when the server
 * reports it, not at the next probe: the probe period here is ten minutes, longer than the test, so
 * only the monitored ServiceLevel (level-watch.ts) can tell the station in time. A drop to 1 (NoData,
 * a Failed server) leaves the primary for the healthy backup; with no usable endpoint left, the
 * server is lost at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusCodes } from 'node-opcua';
import { startRedundantPair, type RedundantPair } from './testing/redundant-pair.js';
import { until, untilAsync } from './testing/harness.js';

const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;
const TEN_MINUTES = 600_000;

describe('redundant server: the active endpoint\'s ServiceLevel monitored', () => {
  let pair: RedundantPair;

  beforeAll(async () => {
    pair = await startRedundantPair({
      name: 'failover-level-watch', tickMs: 200, publishingIntervalMs: 200, probeIntervalMs: TEN_MINUTES, failbackAfterMs: TEN_MINUTES, staleAfterMs: 2000,
      value: (side, n) => (side === 'primary' ? 1000 + n : n),
    });
    const { last, servers } = pair;
    await until('connected to the primary', () => last()?.state === 'connected' && last().endpoint === servers.primary.endpoint, 60_000);
    // The standby's first probe (at once when the primary went live): the backup is known healthy.
    await until('the backup probed healthy', () => last().endpoints?.[1]?.serviceLevel === 255, 30_000);
  }, 120_000);

  afterAll(async () => {
    await pair?.stop();
  });

  it('leaves a primary that drops to NoData for the backup before any probe period ends', async () => {
    const { servers, last, ledger, station: t } = pair;
    servers.primary.setServiceLevel(1);
    await until('on the backup', () => last().state === 'connected' && last().endpoint === servers.backup.endpoint, 30_000);
    expect((await ledger()).find((e) => e.kind === 'failover')).toMatchObject({ cause: 'serviceLevel', endpoint: servers.primary.endpoint, toEndpoint: servers.backup.endpoint });
    await until('values from the backup', () => t.samples.some((s) => s.tag === 'Level' && s.status === 0 && (s.value as number) < 1000), 30_000);
  }, 60_000);

  it('loses the server at once when the endpoint in use fails and no other is usable', async () => {
    const { servers, last, ledger, station: t } = pair;
    servers.primary.setServiceLevel(0);
    servers.backup.setServiceLevel(1);
    await until('the server lost', () => last().state === 'lost', 30_000);
    expect(t.samples.findLast((s) => s.tag === 'Level')?.status).toBe(BadNoCommunication);
    await untilAsync('the gap in the ledger', async () => (await ledger()).find((e) => e.kind === 'gap'));
  }, 60_000);
});
