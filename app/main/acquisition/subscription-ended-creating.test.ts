/**
 * A server that ends a subscription while the station is still making its monitored items (the
 * subscription's lifetime ran out, a gateway dropped it: StatusChangeNotification BadTimeout, then
 * gone, so CreateMonitoredItems answers BadSubscriptionIdInvalid). Found by an exploratory run: the
 * station took the failed item call for a broken connection and made the whole server again (every
 * tag of every group lost, a `server lost` and its gap), though the session and the other group's
 * subscription lived on. Now that subscription alone is made again, as one the server ends later.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateMonitoredItemsRequest, DataType, StatusChangeNotification, StatusCodes, type UAVariable } from 'node-opcua';
import { resubscribe } from './server-link.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

resubscribe.firstMs = 200;
const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;

let dir: string;
let server: TestServer | undefined;
let t: TestStation | undefined;
let ticker: NodeJS.Timeout | undefined;

afterEach(async () => {
  clearInterval(ticker);
  await t?.stop();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type ServerSubscription = { id: number; publishingInterval: number; terminate(): void; _addNotificationMessage(n: StatusChangeNotification): void };

/** The server (Fast and Slow counting up every 100 ms), its subscriptions, and a way to end the next one of a publishing interval while its items are made. */
async function setUp(role: string, slowGroup: string): Promise<{ st: TestStation; subscriptions: () => ServerSubscription[]; end: (sub: ServerSubscription) => void; arm: (publishing: number) => void; endedCreating: () => number }> {
  dir = mkdtempSync(join(tmpdir(), `vigil-${role}-`));
  const vars: UAVariable[] = [];
  const s = await startTestServer({
    role, dir,
    build: (ns, as) => {
      for (const n of ['Fast', 'Slow']) vars.push(ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: n, nodeId: `s=${n}`, dataType: 'Double', minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: 0 } }));
    },
  });
  server = s;
  const subscriptions = () => s.server.engine.getSessions().flatMap((x) => x.publishEngine.subscriptions as unknown as ServerSubscription[]);
  const end = (sub: ServerSubscription) => {
    sub._addNotificationMessage(new StatusChangeNotification({ status: StatusCodes.BadTimeout }));
    sub.terminate();
  };
  // Armed: the next item call into a subscription of that publishing interval finds it ended (as the server ended it just before).
  let armed: number | null = null;
  let endedCreating = 0;
  s.server.on('request', (r: unknown) => {
    if (armed === null || !(r instanceof CreateMonitoredItemsRequest)) return;
    const sub = subscriptions().find((x) => x.id === r.subscriptionId);
    if (sub?.publishingInterval !== armed) return;
    armed = null;
    endedCreating++;
    end(sub);
  });
  let n = 0;
  ticker = setInterval(() => {
    n++;
    for (const v of vars) v.setValueFromSource({ dataType: DataType.Double, value: n }, StatusCodes.Good, new Date());
  }, 100);
  t = await startTestStation({
    dir,
    yaml: `station: { name: EndedCreating, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${s.endpoint}"
    backfill: false
    staleAfterMs: 3000
    groups: [{ id: fast, publishingIntervalMs: 100 }, { id: slow, publishingIntervalMs: 300 }]
areas: [{ id: A, name: A }]
tags:
  - { name: Fast, server: plc, nodeId: "ns=2;s=Fast", kind: analog, area: A, group: fast }
  - { name: Slow, server: plc, nodeId: "ns=2;s=Slow", kind: analog, area: A, group: ${slowGroup} }
`,
  });
  const st = t;
  await until('first values', () => st.station.live.get('Fast')?.status === 0 && st.station.live.get('Slow')?.status === 0, 30_000);
  return { st, subscriptions, end, arm: (p) => (armed = p), endedCreating: () => endedCreating };
}

const MADE_AGAIN = 'subscription ended by the server while its monitored items were being made: made again';

describe('a server that ends a subscription while its monitored items are being made', () => {
  it('makes that subscription again, leaving the session and the other group alone', async () => {
    const { st, subscriptions, end, arm, endedCreating } = await setUp('ended-creating', 'slow');
    // The slow group's subscription ends; when the station makes it again, it ends again before its items are made.
    arm(300);
    end(subscriptions().find((x) => x.publishingInterval === 300)!);
    await until('ended while its items were being made', () => endedCreating() === 1, 30_000);
    const slowBadAt = await until('the slow tag marked lost', () => st.samples.find((x) => x.tag === 'Slow' && x.status === BadNoCommunication), 30_000);
    await until('the slow tag good again', () => st.samples.some((x) => x.tag === 'Slow' && x.status === 0 && x.t > slowBadAt.t), 30_000);
    const fastSince = st.samples.length;
    await until('the fast tag still flowing', () => st.samples.slice(fastSince).filter((x) => x.tag === 'Fast' && x.status === 0).length >= 3, 30_000);

    expect(st.logs.filter((l) => l.msg === 'server lost' || l.msg === 'could not subscribe the group again: reconnecting')).toEqual([]);
    expect(st.logs.filter((l) => l.msg === MADE_AGAIN)).toMatchObject([{ group: 'slow', resubscribeInMs: 200 }]);
    expect(st.samples.filter((x) => x.tag === 'Fast' && x.status === BadNoCommunication)).toEqual([]);
    // The slow group's gap(s) only, each closed: the subscription lost, then the one ended while made.
    const gaps = st.station.acquisition.ledger.read(0, 100).filter((e) => e.kind === 'gap');
    expect(gaps.length).toBeGreaterThanOrEqual(1);
    expect(gaps.every((g) => g.to !== null && g.cause !== 'connection lost')).toBe(true);
    // One subscription per group on the server, one session.
    expect(subscriptions().map((x) => x.publishingInterval).sort((a, b) => a - b)).toEqual([100, 300]);
  }, 120_000);

  it('a tag moved into a new group by a config edit: its new subscription is made again, the tag acquired', async () => {
    const { st, subscriptions, arm, endedCreating } = await setUp('ended-creating-edit', 'fast');
    arm(300);
    const since = st.samples.length;
    st.station.config.edit((doc) => doc.setIn(['tags', 1, 'group'], 'slow'));
    await until('ended while its items were being made', () => endedCreating() === 1, 30_000);
    await until('the slow tag good in its new group', () => subscriptions().some((x) => x.publishingInterval === 300)
      && st.samples.slice(since).some((x) => x.tag === 'Slow' && x.status === 0 && x.at > Date.now() - 1000), 30_000);
    expect(st.logs.filter((l) => l.msg === MADE_AGAIN)).toMatchObject([{ group: 'slow', resubscribeInMs: 200 }]);
    expect(st.logs.filter((l) => l.msg === 'server lost')).toEqual([]);
    expect(subscriptions().map((x) => x.publishingInterval).sort((a, b) => a - b)).toEqual([100, 300]);
  }, 120_000);
});
