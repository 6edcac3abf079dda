/**
 * The server ends the ServiceLevel watch's own subscription (level-watch.ts) while the tags' goes
 * on: its lifetime expired (StatusChangeNotification BadTimeout), or deleted without a word (its
 * publishes then silent). The probe period here is ten minutes, longer than the test: before, the
 * watch waited for notifications that never came, and a primary dropping to NoData went unseen
 * until a probe or a failure of the link. Now the watch is made again and the drop is acted on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusChangeNotification, StatusCodes, type Subscription } from 'node-opcua';
import { startRedundantPair, type RedundantPair } from './testing/redundant-pair.js';
import type { TestServer } from './testing/test-server.js';
import { until } from './testing/harness.js';
import { levelWatchTiming } from './level-watch.js';

const TEN_MINUTES = 600_000;
/** ns=0;i=2267, Server_ServiceLevel: the node the level watch monitors. */
const SERVICE_LEVEL = 2267;
const ENDED = 'the server ended the ServiceLevel watch\'s subscription: made again (the level read meanwhile)';

const subscriptionsOf = (s: TestServer): Subscription[] => s.server.engine.getSessions().flatMap((x) => x.publishEngine.subscriptions);
const monitorsServiceLevel = (sub: Subscription) =>
  [...sub.getMonitoredItems().serverHandles].some((h) => {
    const id = sub.getMonitoredItem(h)?.node?.nodeId;
    return id?.namespace === 0 && id.value === SERVICE_LEVEL;
  });

/** What node-opcua's server does when a subscription's lifetime expires (server_subscription.js _tick). */
function timeOut(_server: TestServer, sub: Subscription): void {
  (sub as unknown as { _addNotificationMessage(n: StatusChangeNotification): void })._addNotificationMessage(
    new StatusChangeNotification({ status: StatusCodes.BadTimeout }));
  sub.terminate();
}

/** Deleted on the server without a notification (as a server short of memory, or an engineer's tool, may): silent from then on. */
function deleted(server: TestServer, sub: Subscription): void {
  const session = server.server.engine.getSessions().find((s) => s.publishEngine.subscriptions.includes(sub))!;
  session.deleteSubscription(sub.id);
}

describe.each([
  { name: 'timed out (BadTimeout)', ending: timeOut, reason: 'BadTimeout' },
  { name: 'deleted without a word', ending: deleted, reason: expect.stringMatching(/^no data or keep-alive for \d+ ms/) },
])('redundant server: the ServiceLevel watch\'s subscription $name on the server', ({ ending, reason }) => {
  let pair: RedundantPair;
  const keepAliveMs = levelWatchTiming.keepAliveMs;

  beforeAll(async () => {
    // A 1 s keep-alive period (5 s shipped): a silent end is told after three of them.
    levelWatchTiming.keepAliveMs = 1000;
    pair = await startRedundantPair({
      name: 'level-watch-ended', tickMs: 200, publishingIntervalMs: 200, probeIntervalMs: TEN_MINUTES, failbackAfterMs: TEN_MINUTES, staleAfterMs: 30_000,
      value: (side, n) => (side === 'primary' ? 1000 + n : n),
    });
    const { last, servers } = pair;
    await until('connected to the primary', () => last()?.state === 'connected' && last().endpoint === servers.primary.endpoint, 60_000);
    await until('the backup probed healthy', () => last().endpoints?.[1]?.serviceLevel === 255, 30_000);
    await until('the level watch on the primary', () => subscriptionsOf(servers.primary).some(monitorsServiceLevel), 30_000);
  }, 120_000);

  afterAll(async () => {
    await pair?.stop();
    levelWatchTiming.keepAliveMs = keepAliveMs;
  });

  it('makes the watch again, and a drop to NoData after it leaves the primary before any probe period ends', async () => {
    const { servers, station: t, last, ledger } = pair;
    const watch = subscriptionsOf(servers.primary).find(monitorsServiceLevel)!;
    ending(servers.primary, watch);
    await until('the end told', () => t.logs.some((l) => l.msg === ENDED), 40_000);
    await until('a new level watch on the primary', () => subscriptionsOf(servers.primary).some((s) => s.id !== watch.id && monitorsServiceLevel(s)), 30_000);
    servers.primary.setServiceLevel(1);
    await until('on the backup', () => last().state === 'connected' && last().endpoint === servers.backup.endpoint, 30_000);
    expect((await ledger()).find((e) => e.kind === 'failover')).toMatchObject({ cause: 'serviceLevel', endpoint: servers.primary.endpoint, toEndpoint: servers.backup.endpoint });
    const told = t.logs.filter((l) => l.msg === ENDED);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ level: 40, server: 'plc', endpoint: servers.primary.endpoint, reason, remakeInMs: 0 });
    // The tags' subscription went on: no loss of the server.
    expect(t.logs.filter((l) => l.msg === 'server lost' || l.msg === 'subscription lost')).toEqual([]);
  }, 90_000);
});
