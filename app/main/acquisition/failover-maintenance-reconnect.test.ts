/**
 * An active endpoint that goes into maintenance (ServiceLevel 0) with no other usable: the server is
 * lost, and the link's reconnection waits as a standby's probe does (Part 4 §6.6.2.4.2: Clients are
 * not to reconnect to a server in maintenance often), not its ordinary backoff of a few seconds; and
 * not before the EstimatedReturnTime (i=12885, Part 5) the server gives, which its state shows.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StatusCodes } from 'node-opcua';
import { startRedundantPair, type RedundantPair } from './testing/redundant-pair.js';
import { until, untilAsync } from './testing/harness.js';
import { MAINTENANCE } from './failover.js';
import { maintenanceWaitMs } from './probe.js';

const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;
const MAINTENANCE_MSG = 'every endpoint of the server is in maintenance (ServiceLevel 0): reconnecting less often, not before its EstimatedReturnTime; the server stays lost meanwhile';
const defaults = { ...MAINTENANCE };

describe('maintenanceWaitMs: the wait before the next look at an endpoint in maintenance', () => {
  it('is ten probe periods, at least 30 s, or until the EstimatedReturnTime, never more than 10 min for it', () => {
    const now = 1_000_000;
    expect(maintenanceWaitMs(300)).toBe(30_000);
    expect(maintenanceWaitMs(5_000)).toBe(50_000);
    // A return time sooner than the maintenance rate's wait: the rate stands.
    expect(maintenanceWaitMs(300, now, now + 5_000)).toBe(30_000);
    expect(maintenanceWaitMs(300, now, now + 5 * 60_000)).toBe(5 * 60_000);
    // Two hours away (a wrong time, a clock off): looked at after ten minutes all the same.
    expect(maintenanceWaitMs(300, now, now + 2 * 3_600_000)).toBe(600_000);
    // A maintenance rate longer than the cap is not shortened by it.
    expect(maintenanceWaitMs(120_000, now, now + 2 * 3_600_000)).toBe(1_200_000);
  });
});

describe('redundant server: the endpoint in use goes into maintenance, no other usable', () => {
  let pair: RedundantPair;
  let ticks = 0;

  beforeEach(async () => {
    ticks = 0;
    pair = await startRedundantPair({
      name: 'failover-maintenance-reconnect', tickMs: 200, publishingIntervalMs: 200, probeIntervalMs: 300, failbackAfterMs: 1000, staleAfterMs: 2000,
      onTick: (n) => (ticks = n),
    });
    const { last, servers } = pair;
    await until('connected to the primary', () => last()?.state === 'connected' && last().endpoint === servers.primary.endpoint, 60_000);
    await until('the backup probed healthy', () => last().endpoints?.[1]?.serviceLevel === 255, 30_000);
  }, 120_000);

  afterEach(async () => {
    Object.assign(MAINTENANCE, defaults);
    await pair?.stop();
  });

  afterAll(() => {
    Object.assign(MAINTENANCE, defaults);
  });

  const attempts = (): number => pair.station.logs.filter((l) => l.msg === 'connection failed').length;

  it('is not reconnected to at the ordinary backoff, the server shown lost meanwhile, and the log says so once', async () => {
    const { servers, last, ledger, station: t } = pair;
    servers.backup.setServiceLevel(0);
    await until('the backup probed in maintenance', () => last().endpoints?.[1]?.serviceLevel === 0, 30_000);
    servers.primary.setServiceLevel(0);
    await until('the server lost', () => last().state === 'lost', 30_000);
    const lostAt = t.states.length;
    const before = attempts();
    // Forty plant ticks (at least 8 s): the ordinary backoff (0.5, 1, 2, 4 s) tries the endpoints four times or more.
    const from = ticks;
    await until('forty ticks', () => ticks >= from + 40, 60_000);
    expect(attempts() - before).toBe(0);
    expect(t.states.slice(lostAt).map((s) => s.state)).not.toContain('connected');
    expect(last()).toMatchObject({ state: 'lost', lastError: 'the server is in maintenance (ServiceLevel 0)' });
    expect(t.samples.findLast((s) => s.tag === 'Level')?.status).toBe(BadNoCommunication);
    await untilAsync('the gap in the ledger', async () => (await ledger()).find((e) => e.kind === 'gap' && e.cause === 'the server is in maintenance (ServiceLevel 0)'));
    expect(t.logs.filter((l) => l.msg === MAINTENANCE_MSG)).toHaveLength(1);
  }, 90_000);

  it('is neither reconnected to nor probed before the EstimatedReturnTime it gives, which its state shows', async () => {
    // A maintenance rate of one second, so that the return time is what holds the station back.
    Object.assign(MAINTENANCE, { probeFactor: 1, probeMinMs: 1000 });
    const { servers, last, station: t } = pair;
    const back = new Date(Date.now() + 10_000);
    servers.backup.setEstimatedReturn(back);
    servers.backup.setServiceLevel(0);
    await until('the backup\'s return time shown', () => last().endpoints?.[1]?.estimatedReturn === back.getTime(), 30_000);
    const shownAt = Date.now();
    servers.primary.setEstimatedReturn(back);
    servers.primary.setServiceLevel(0);
    await until('the server lost', () => last().state === 'lost', 30_000);
    await until('the primary\'s return time shown', () => last().endpoints?.[0]?.estimatedReturn === back.getTime(), 30_000);
    // The backup, probed every second otherwise, is not read before the time it gave: judged by when
    // each read was served, so a loaded machine that reaches this line late cannot count a read made on time.
    await until('the return time', () => Date.now() >= back.getTime(), 30_000);
    expect(servers.backup.serviceLevelReadTimes().filter((at) => at >= shownAt && at < back.getTime())).toEqual([]);
    // Back before its estimate: the primary is still not tried before it.
    servers.primary.setServiceLevel(255);
    servers.primary.setEstimatedReturn(null);
    await until('connected to the primary again', () => last().state === 'connected' && last().endpoint === servers.primary.endpoint, 60_000);
    expect(last().since).toBeGreaterThanOrEqual(back.getTime());
    expect(t.logs.filter((l) => l.msg === 'connection failed' && l.endpoint === servers.primary.endpoint)).toEqual([]);
    expect(last().endpoints?.[0]?.estimatedReturn).toBeNull();
  }, 90_000);
});
