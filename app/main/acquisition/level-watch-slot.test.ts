/**
 * A redundant server that allows two subscriptions per session (S7-1200-like): the tags' and the
 * ServiceLevel watch's (level-watch.ts) take both. When the server ends the tags' subscription (its
 * lifetime expired), its tags are subscribed again on the same session: the slot it held is free
 * again, the level watch's does not stand in the way.
 *
 * Unless the freed slot went elsewhere (a server-wide cap another client, an HMI, took it meanwhile;
 * emulated by the cap lowered by one): the tags' subscription was refused while the level watch held
 * the last slot, and the link threw the connection away ("could not subscribe the group again:
 * reconnecting", a gap). Now the level watch gives its slot up for the tags (the probe period reads
 * the level) and the tags are subscribed again on the same session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusChangeNotification, StatusCodes, type Subscription } from 'node-opcua';
import { startRedundantPair, type RedundantPair } from './testing/redundant-pair.js';
import type { TestServer } from './testing/test-server.js';
import { until } from './testing/harness.js';

const TEN_MINUTES = 600_000;
/** ns=0;i=2267, Server_ServiceLevel: the node the level watch monitors. */
const SERVICE_LEVEL = 2267;

const subscriptionsOf = (s: TestServer): Subscription[] => s.server.engine.getSessions().flatMap((x) => x.publishEngine.subscriptions);
const monitorsServiceLevel = (sub: Subscription) =>
  [...sub.getMonitoredItems().serverHandles].some((h) => {
    const id = sub.getMonitoredItem(h)?.node?.nodeId;
    return id?.namespace === 0 && id.value === SERVICE_LEVEL;
  });

/** What node-opcua's server does when a subscription's lifetime expires (server_subscription.js _tick). */
function timeOut(sub: Subscription): void {
  (sub as unknown as { _addNotificationMessage(n: StatusChangeNotification): void })._addNotificationMessage(
    new StatusChangeNotification({ status: StatusCodes.BadTimeout }));
  sub.terminate();
}

describe.each([
  { name: 'its slot free again', freed: true },
  { name: 'its slot taken by another client meanwhile', freed: false },
])('redundant server allowing two subscriptions per session: the tags\' one ended by the server, $name', ({ freed }) => {
  let pair: RedundantPair;

  beforeAll(async () => {
    pair = await startRedundantPair({
      name: 'level-watch-slot', tickMs: 200, publishingIntervalMs: 200, probeIntervalMs: TEN_MINUTES, failbackAfterMs: TEN_MINUTES, staleAfterMs: 30_000,
      before: (servers) => {
        for (const s of Object.values(servers)) s.server.engine.serverCapabilities.maxSubscriptionsPerSession = 2;
      },
    });
    const { last, servers } = pair;
    await until('connected to the primary', () => last()?.state === 'connected' && last().endpoint === servers.primary.endpoint, 60_000);
    await until('the tags\' subscription and the level watch\'s on the primary', () =>
      subscriptionsOf(servers.primary).length === 2 && subscriptionsOf(servers.primary).some(monitorsServiceLevel), 30_000);
  }, 120_000);

  afterAll(async () => {
    await pair?.stop();
  });

  it(freed ? 'subscribes the tags again on the same session, the level watch kept' : 'subscribes the tags again on the same session, the level watch given up for them', async () => {
    const { servers, station: t, last } = pair;
    const tags = subscriptionsOf(servers.primary).find((s) => !monitorsServiceLevel(s))!;
    const session = servers.primary.server.engine.getSessions().find((x) => x.publishEngine.subscriptions.includes(tags))!;
    timeOut(tags);
    // Server-wide room for one subscription less: the one ended no longer free for the station.
    if (!freed) servers.primary.server.engine.serverCapabilities.maxSubscriptions = 1;
    await until('subscription lost', () => t.logs.some((l) => l.msg === 'subscription lost'), 30_000);
    const lostAt = t.samples.length;
    await until('made again, or the connection given up', () =>
      t.logs.some((l) => l.msg === 'subscription made again' || l.msg === 'could not subscribe the group again: reconnecting'), 30_000);
    expect(t.logs.filter((l) => l.msg === 'could not subscribe the group again: reconnecting')).toEqual([]);
    await until('values again after the loss', () => t.samples.slice(lostAt).some((s) => s.tag === 'Level' && s.status === 0), 30_000);
    expect(t.logs.filter((l) => l.msg === 'server lost')).toEqual([]);
    expect(last()).toMatchObject({ state: 'connected', endpoint: servers.primary.endpoint });
    // The tags' new subscription in the session that held the one ended: no reconnection.
    const now = session.publishEngine.subscriptions;
    expect(now.filter((x) => !monitorsServiceLevel(x) && x.id !== tags.id).length).toBe(1);
    expect(now.filter(monitorsServiceLevel).length).toBe(freed ? 1 : 0);
    const yielded = t.logs.filter((l) => String(l.msg).startsWith('ServiceLevel no longer monitored'));
    expect(yielded.length).toBe(freed ? 0 : 1);
  }, 60_000);
});
