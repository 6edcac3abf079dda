/**
 * A redundant pair as vendors run it (Part 4 §6.6.2.4.2): a server whose ServiceLevel is 1 (NoData) or
 * 0 (Maintenance) is a Failed server, "a Client is not able to exchange any information with it"; a
 * Client connected to one shall leave it. Its values are never archived Good: with no usable endpoint
 * the server is lost (BadNoCommunication, a gap) until one is usable again, and a switch never goes to
 * a Failed endpoint. The primary's values are told apart from the backup's (1000 + n against n).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusCodes } from 'node-opcua';
import { startRedundantPair, type RedundantPair } from './testing/redundant-pair.js';
import { until, untilAsync } from './testing/harness.js';

const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;

describe('redundant server: endpoints at ServiceLevel 1 (no data) or 0 (maintenance)', () => {
  let pair: RedundantPair;
  const level = (from: number) => pair.station.samples.slice(from).filter((s) => s.tag === 'Level');

  beforeAll(async () => {
    pair = await startRedundantPair({
      name: 'failover-nodata', tickMs: 200, publishingIntervalMs: 200, probeIntervalMs: 300, failbackAfterMs: 1500, staleAfterMs: 2000,
      value: (side, n) => (side === 'primary' ? 1000 + n : n),
      // The primary starts in maintenance: the station must not take its values.
      before: (servers) => servers.primary.setServiceLevel(0),
    });
  }, 300_000);

  afterAll(async () => {
    await pair?.stop();
  });

  it('does not take values from a primary in maintenance at start: it connects to the backup', async () => {
    const { servers, last } = pair;
    await until('connected to the backup', () => last()?.state === 'connected' && last().endpoint === servers.backup.endpoint, 60_000);
    await until('values from the backup', () => level(0).some((s) => s.status === 0 && (s.value as number) < 1000));
    expect(level(0).filter((s) => s.status === 0 && (s.value as number) >= 1000)).toEqual([]);
  }, 120_000);

  it('loses the server when every endpoint reports no data, and comes back with a gap', async () => {
    const { station: t, servers, last, ledger } = pair;
    servers.primary.setServiceLevel(1);
    servers.backup.setServiceLevel(1);
    await until('the server lost', () => last().state === 'lost', 20_000);
    const lostAt = t.samples.length;
    const marker = await until('the loss marker', () => level(0).find((s) => s.status === BadNoCommunication));
    expect(marker).toBeDefined();
    expect((await ledger()).find((e) => e.kind === 'gap')).toBeDefined();
    // A few probe periods with both still failed: nothing Good comes.
    const probesBefore = t.logs.length;
    await until('a few attempts while both fail', () => t.logs.length > probesBefore + 4, 30_000);
    expect(level(lostAt).filter((s) => s.status === 0)).toEqual([]);
    servers.backup.setServiceLevel(255);
    await until('connected to the backup again', () => last().state === 'connected' && last().endpoint === servers.backup.endpoint, 60_000);
    await untilAsync('the gap closed', async () => (await ledger()).find((e) => e.kind === 'gap' && e.to !== null));
  }, 180_000);
});
