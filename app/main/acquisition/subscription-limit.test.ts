/**
 * A server that allows few subscriptions per session (BadTooManySubscriptions on CreateSubscription:
 * S7-1200s, small open62541 builds). Before, the refusal of the second group's subscription failed
 * the whole connection, retried every few seconds forever with no data at all. Now the station keeps
 * the subscriptions it got, puts the other groups' items into them (published at that interval,
 * said once), and refuses only items no subscription can take any more, without looping against
 * both limits. A server giving no subscription at all is polled (poll.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, Variant, VariableIds, type UAVariable } from 'node-opcua';
import type { TagSource } from '../../shared/api.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

let dir: string;
let server: TestServer | undefined;
let t: TestStation | undefined;
let ticker: NodeJS.Timeout | undefined;

afterEach(async () => {
  clearInterval(ticker);
  await t?.stop();
  await server?.stop();
  t = undefined;
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const NAMES = ['Level', 'Temp', 'Flow'];

/** A server with Level, Temp and Flow, each set to n every 100 ms (n counting up), allowing maxSubscriptions per session. */
async function serve(role: string, maxSubscriptions: number): Promise<TestServer> {
  dir = mkdtempSync(join(tmpdir(), `vigil-${role}-`));
  const vars: UAVariable[] = [];
  const s = await startTestServer({
    role, dir,
    build: (ns, as) => {
      for (const n of NAMES) vars.push(ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: n, nodeId: `s=${n}`, dataType: 'Double', minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: 0 } }));
    },
  });
  s.server.engine.serverCapabilities.maxSubscriptionsPerSession = maxSubscriptions;
  let n = 0;
  ticker = setInterval(() => {
    n++;
    for (const v of vars) v.setValueFromSource({ dataType: DataType.Double, value: n }, StatusCodes.Good, new Date());
  }, 100);
  server = s;
  return s;
}

const subscriptionsOf = (s: TestServer) => s.server.engine.getSessions().flatMap((x) => x.publishEngine.subscriptions);

/** Values of the tag that rose past what it had: it keeps being acquired. */
async function flowing(station: TestStation, tag: string): Promise<void> {
  const first = await until(`${tag} good`, () => {
    const v = station.station.live.get(tag);
    return v?.status === 0 ? (v.value as number) : null;
  }, 30_000);
  await until(`${tag} changing`, () => (station.station.live.get(tag)?.value as number) >= first + 3 && station.station.live.get(tag)?.status === 0, 30_000);
}

describe('a server allowing one subscription per session', () => {
  it('takes both groups in the one subscription it gives, the connection never failing', async () => {
    const s = await serve('sublimit', 1);
    t = await startTestStation({
      dir,
      yaml: `station: { name: SubLimit, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${s.endpoint}"
    backfill: false
    groups: [{ id: fast, publishingIntervalMs: 200 }, { id: slow, publishingIntervalMs: 1000, samplingIntervalMs: 100 }]
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A, group: fast }
  - { name: Temp, server: plc, nodeId: "ns=2;s=Temp", kind: analog, area: A, group: slow }
`,
    });
    const st = t;
    await flowing(st, 'Level');
    await flowing(st, 'Temp');
    expect(st.logs.filter((l) => l.msg === 'connection failed' || l.msg === 'server lost')).toEqual([]);
    expect(st.states.at(-1)?.state).toBe('connected');
    // The one subscription, at the fast group's interval, holding both items.
    const subs = subscriptionsOf(s);
    expect(subs.map((x) => [x.publishingInterval, x.monitoredItemCount])).toEqual([[200, 2]]);
    const sharing = st.logs.filter((l) => /allows no more subscriptions in a session/.test(String(l.msg)));
    expect(sharing).toHaveLength(1);
    expect(sharing[0]).toMatchObject({ server: 'plc', group: 'slow', into: 'fast', publishingIntervalMs: 200, requestedPublishingIntervalMs: 1000 });
    const sources = ((await st.call('tags.sources', {})) as { result: TagSource[] }).result;
    expect(sources.map((x) => [x.tag, x.status])).toEqual([['Level', 0], ['Temp', 0]]);
  }, 90_000);

  it('with its subscription full too (a limit it does not advertise): the item left over is refused, the others acquired, no loop', async () => {
    const s = await serve('sublimit-full', 1);
    s.server.engine.serverCapabilities.maxMonitoredItemsPerSubscription = 2;
    const node = s.addressSpace.findNode(`ns=0;i=${VariableIds.Server_ServerCapabilities_MaxMonitoredItemsPerSubscription}`) as UAVariable | null;
    node?.bindVariable({ get: () => new Variant({ dataType: DataType.UInt32, value: 0 }) }, true);
    t = await startTestStation({
      dir,
      yaml: `station: { name: SubLimitFull, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${s.endpoint}", backfill: false }
areas: [{ id: A, name: A }]
tags:
${NAMES.map((n) => `  - { name: ${n}, server: plc, nodeId: "ns=2;s=${n}", kind: analog, area: A }`).join('\n')}
`,
    });
    const st = t;
    await flowing(st, 'Level');
    await flowing(st, 'Temp');
    await until('Flow refused', () => st.station.live.get('Flow')?.status === StatusCodes.BadTooManyMonitoredItems.value >>> 0, 30_000);
    expect(st.logs.filter((l) => l.msg === 'connection failed' || l.msg === 'server lost')).toEqual([]);
    expect(subscriptionsOf(s).map((x) => x.monitoredItemCount)).toEqual([2]);
    const sources = ((await st.call('tags.sources', {})) as { result: TagSource[] }).result;
    expect(sources.map((x) => [x.tag, x.status])).toEqual([['Level', 0], ['Temp', 0], ['Flow', StatusCodes.BadTooManyMonitoredItems.value >>> 0]]);
    expect(st.logs.filter((l) => l.msg === 'tag not acquired').map((l) => l.tag)).toEqual(['Flow']);
  }, 90_000);
});
