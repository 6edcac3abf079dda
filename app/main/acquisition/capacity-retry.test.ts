/**
 * A server whose monitored items are all taken (a server-wide cap, as a PLC's "monitored items per
 * server"): here by another session, as by the station's own session cut from the network, which
 * the server keeps with its items until its session timeout and its subscriptions' lifetime run out
 * (two minutes; found by an exploratory run: cable pulled, restored, every tag then refused
 * BadTooManyMonitoredItems and never asked for again while the new connection lasted). The refused
 * tags are said refused on the Tags page, asked for again after a wait that doubles while the server
 * still refuses (no loop against it), and acquired once it has room.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttributeIds, ClientMonitoredItemGroup, ClientSubscription, DataType, OPCUAClient, StatusCodes, TimestampsToReturn, type UAVariable } from 'node-opcua';
import type { TagSource } from '../../shared/api.js';
import { capacityRetry } from './server-link.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

const FIRST_MS = 400;
capacityRetry.firstMs = FIRST_MS;
const TOO_MANY = StatusCodes.BadTooManyMonitoredItems.value >>> 0;
const NAMES = ['Level', 'Temp', 'Flow'];
const RETRY_LOG = 'the server refused monitored items for its capacity (BadTooManyMonitoredItems): those tags are asked for again after this wait';

let dir: string;
let server: TestServer | undefined;
let t: TestStation | undefined;
let ticker: NodeJS.Timeout | undefined;
let other: OPCUAClient | undefined;

afterEach(async () => {
  clearInterval(ticker);
  await t?.stop();
  await other?.disconnect();
  await server?.stop();
  t = undefined;
  server = undefined;
  other = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('a server with no room left for monitored items', () => {
  it('asks again for the tags it refused, waiting longer each time, and acquires them once it has room', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-capacity-'));
    const vars: UAVariable[] = [];
    const s = await startTestServer({
      role: 'capacity', dir,
      build: (ns, as) => {
        for (const n of NAMES) vars.push(ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: n, nodeId: `s=${n}`, dataType: 'Double', minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: 0 } }));
      },
    });
    server = s;
    // Three monitored items in the whole server.
    s.server.engine.serverCapabilities.maxMonitoredItems = 3;
    let creates = 0;
    let counting = false;
    s.server.on('request', (req: object) => {
      if (counting && req.constructor.name === 'CreateMonitoredItemsRequest') creates++;
    });
    let n = 0;
    ticker = setInterval(() => {
      n++;
      for (const v of vars) v.setValueFromSource({ dataType: DataType.Double, value: n }, StatusCodes.Good, new Date());
    }, 100);

    // Another session holds two of the three.
    other = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
    await other.connect(s.endpoint);
    const session = await other.createSession();
    const subscription = await session.createSubscription2({ requestedPublishingInterval: 500, requestedMaxKeepAliveCount: 10, requestedLifetimeCount: 100, publishingEnabled: true });
    const held = ClientMonitoredItemGroup.create(subscription as ClientSubscription, ['Level', 'Temp'].map((x) => ({ nodeId: `ns=2;s=${x}`, attributeId: AttributeIds.Value })),
      { samplingInterval: 100, queueSize: 1, discardOldest: true }, TimestampsToReturn.Both);
    await new Promise((resolve) => held.once('initialized', resolve));
    expect(s.server.engine.getSessions().flatMap((x) => x.publishEngine.subscriptions).map((x) => x.monitoredItemCount)).toEqual([2]);

    counting = true;
    t = await startTestStation({
      dir,
      yaml: `station: { name: Capacity, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${s.endpoint}", backfill: false }
areas: [{ id: A, name: A }]
tags:
${NAMES.map((x) => `  - { name: ${x}, server: plc, nodeId: "ns=2;s=${x}", kind: analog, area: A }`).join('\n')}
`,
    });
    const st = t;
    const sources = async () => ((await st.call('tags.sources', {})) as { result: TagSource[] }).result;
    // One item taken, two refused: said on the Tags page, the others acquired.
    await until('Level good', () => st.station.live.get('Level')?.status === 0, 30_000);
    const refused = await untilAsync('two tags refused on the Tags page', async () => {
      const r = (await sources()).filter((x) => x.status === TOO_MANY);
      return r.length === 2 ? r : null;
    }, 30_000);
    for (const r of refused) expect(r.issue).toEqual({ key: 'acquisition.issue.serverFull', params: { status: 'BadTooManyMonitoredItems', nodeId: `ns=2;s=${r.tag}` } });
    for (const r of refused) expect(st.station.live.get(r.tag)?.status).toBe(TOO_MANY);

    // Asked again three times while the server still has no room: the wait doubles each time.
    const retries = () => st.logs.filter((l) => l.msg === RETRY_LOG);
    await until('three more waits', () => retries().length >= 4, 60_000);
    expect(retries().slice(0, 4).map((l) => l.retryInMs)).toEqual([FIRST_MS, 2 * FIRST_MS, 4 * FIRST_MS, 8 * FIRST_MS]);
    // The connection's three calls (the first subscription takes one item and refuses two as full,
    // each then tried in a subscription of its own, which refuses it), then one call per wait run
    // out (the last wait may be running out now): nothing between.
    const [calls, waits] = [creates, retries().length];
    expect(calls - 3).toBeGreaterThanOrEqual(waits - 1);
    expect(calls - 3).toBeLessThanOrEqual(waits);
    // No subscription made per attempt: the connection's three, and the other session's.
    expect(s.server.engine.getSessions().flatMap((x) => x.publishEngine.subscriptions)).toHaveLength(4);
    // Refused again as before: said once per tag, not at every attempt.
    expect(st.logs.filter((l) => l.msg === 'tag not acquired').map((l) => l.tag).sort()).toEqual(refused.map((r) => r.tag).sort());

    // Room made: the other session goes away with its items.
    await session.close(true);
    for (const tag of refused.map((r) => r.tag)) {
      const first = await until(`${tag} good`, () => {
        const v = st.station.live.get(tag);
        return v?.status === 0 ? (v.value as number) + 1 : null;
      }, 60_000);
      await until(`${tag} changing`, () => (st.station.live.get(tag)?.value as number) >= first + 2, 30_000);
    }
    const now = await sources();
    expect(now.map((x) => [x.tag, x.status, x.dataType])).toEqual(NAMES.map((x) => [x, 0, 'Double']));
    expect(st.logs.some((l) => l.msg === 'the server took the monitored items it had refused for its capacity: acquired')).toBe(true);
    expect(st.logs.filter((l) => l.msg === 'connection failed' || l.msg === 'server lost')).toEqual([]);
  }, 120_000);
});
