/**
 * Servers that enforce operation limits without advertising them (their OperationLimits read 0 or
 * are missing, as some embedded servers and gateways do): the station learns each limit from the
 * refusal and goes on within it. Before, a monitored-item call or a type browse refused as too
 * large kept the server from ever connecting, items refused by a full subscription stayed refused
 * for good, and a history read refused as too large lost the whole backfill.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DataType, DataValue, OPCUAClient, StatusCodes, Variant, VariableIds, type AddressSpace, type Namespace, type UAVariable,
} from 'node-opcua';
import type { TagSource } from '../../shared/api.js';
import { parseStationConfig } from '../station/config-file.js';
import { readGap } from './backfill.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const N = 7;
let dir: string;
let server: TestServer | undefined;
let t: TestStation | undefined;

afterEach(async () => {
  await t?.stop();
  await server?.stop();
  t = undefined;
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** A server with N variables V0..V(N-1), built by `variable`; `enforce` sets the limits it keeps to itself. */
async function serve(role: string, variable: (ns: Namespace, as: AddressSpace, i: number) => UAVariable) {
  dir = mkdtempSync(join(tmpdir(), `vigil-${role}-`));
  server = await startTestServer({
    role, dir,
    build: (ns, as) => {
      for (let i = 0; i < N; i++) variable(ns, as, i);
    },
  });
  return server;
}

const yamlFor = (endpoint: string, kind: 'analog' | 'discrete') => `station: { name: Limits, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${endpoint}", backfill: false }
areas: [{ id: X, name: X }]
tags:
${Array.from({ length: N }, (_, i) => `  - { name: V${i}, server: plc, nodeId: "ns=2;s=V${i}", kind: ${kind}, area: X }`).join('\n')}
`;

const double = (ns: Namespace, as: AddressSpace, i: number) =>
  ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: `V${i}`, nodeId: `s=V${i}`, dataType: 'Double', minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: i + 0.5 } });

/** Every tag live and good, with the value the server holds. */
async function allGood(station: TestStation, value: (i: number) => unknown): Promise<void> {
  await until('every tag good', () => Array.from({ length: N }, (_, i) => station.station.live.get(`V${i}`)).every((v) => v?.status === 0), 30_000);
  for (let i = 0; i < N; i++) expect(station.station.live.get(`V${i}`)?.value, `V${i}`).toBe(value(i));
  expect(station.states.at(-1)?.state).toBe('connected');
}

/** A capability's node reads 0 (not advertised) while the engine enforces the limit. */
function hide(s: TestServer, id: number): void {
  const node = s.addressSpace.findNode(`ns=0;i=${id}`) as UAVariable | null;
  node?.bindVariable({ get: () => new Variant({ dataType: DataType.UInt32, value: 0 }) }, true);
}

describe('a server enforcing limits it does not advertise', () => {
  it('MaxMonitoredItemsPerCall: the refused call is made again in halves, and the server connects', async () => {
    const s = await serve('unadv-call', double);
    s.server.engine.serverCapabilities.operationLimits.maxMonitoredItemsPerCall = 2;
    t = await startTestStation({ dir, yaml: yamlFor(s.endpoint, 'analog') });
    await allGood(t, (i) => i + 0.5);
    expect(t.logs.filter((l) => l.msg === 'connection failed')).toEqual([]);
    expect(t.logs.some((l) => /creating monitored items as too large/.test(String(l.msg)))).toBe(true);
  });

  it('MaxNodesPerBrowse: the vendor types are resolved in smaller browses, their enumerations named', async () => {
    const s = await serve('unadv-browse', (ns, as, i) => {
      // Each variable of a vendor enumeration of its own: the type check browses them all at once.
      const type = ns.addEnumerationType({ browseName: `Mode${i}`, enumeration: ['Off', 'Auto', 'Manual'] });
      return ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: `V${i}`, nodeId: `s=V${i}`, dataType: type, minimumSamplingInterval: 0, value: { dataType: DataType.Int32, value: i % 3 } });
    });
    s.server.engine.serverCapabilities.operationLimits.maxNodesPerBrowse = 2;
    hide(s, VariableIds.Server_ServerCapabilities_OperationLimits_MaxNodesPerBrowse);
    t = await startTestStation({ dir, yaml: yamlFor(s.endpoint, 'discrete') });
    await allGood(t, (i) => i % 3);
    expect(t.logs.filter((l) => l.msg === 'connection failed')).toEqual([]);
    const sources = ((await t.call('tags.sources', {})) as { result: TagSource[] }).result;
    expect(sources.map((x) => x.states?.map((st) => st.name))).toEqual(Array.from({ length: N }, () => ['Off', 'Auto', 'Manual']));
  });

  it('MaxMonitoredItemsPerSubscription: items a full subscription refuses go to another one, none refused for good', async () => {
    const s = await serve('unadv-persub', double);
    s.server.engine.serverCapabilities.maxMonitoredItemsPerSubscription = 3;
    hide(s, VariableIds.Server_ServerCapabilities_MaxMonitoredItemsPerSubscription);
    t = await startTestStation({ dir, yaml: yamlFor(s.endpoint, 'analog') });
    await allGood(t, (i) => i + 0.5);
    const sources = ((await t.call('tags.sources', {})) as { result: TagSource[] }).result;
    expect(sources.filter((x) => x.status !== 0)).toEqual([]);
    // The server's own count of subscriptions in the station's session: the 7 items in 3 of them.
    const sessions = s.server.engine.currentSessionCount;
    expect(sessions).toBe(1);
    const subscriptions = s.server.engine.currentSubscriptionCount;
    expect(subscriptions).toBe(Math.ceil(N / 3));
  });

  it('MaxNodesPerHistoryReadData: a history read refused as too large is read again in halves, nothing of the gap lost', async () => {
    const t0 = Date.UTC(2026, 0, 1);
    const s = await serve('unadv-history', (ns, as, i) => {
      const v = double(ns, as, i);
      as.installHistoricalDataNode(v, { maxOnlineValues: 1000 });
      const history = (v as UAVariable & { varHistorian: { push(dv: DataValue): Promise<void> } }).varHistorian;
      for (let k = 1; k <= 5; k++) void history.push(new DataValue({ value: { dataType: DataType.Double, value: 10 * i + k }, sourceTimestamp: new Date(t0 + k * 1000), serverTimestamp: new Date(t0 + k * 1000) }));
      return v;
    });
    s.server.engine.serverCapabilities.operationLimits.maxNodesPerHistoryReadData = 2;
    hide(s, VariableIds.Server_ServerCapabilities_OperationLimits_MaxNodesPerHistoryReadData);
    const tags = parseStationConfig(yamlFor(s.endpoint, 'analog'), 'limits.yaml').tags;
    const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
    await client.connect(s.endpoint);
    try {
      const session = await client.createSession();
      // The station's default per request (100): the server takes 2.
      const gap = await readGap(session, tags, t0, t0 + 10_000, 100);
      expect(gap.refused).toEqual([]);
      expect(gap.read).toBe(N);
      const got = gap.samples.map((x) => [x.tag, x.t - t0, x.value, x.status]).sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]));
      const expected = Array.from({ length: N }, (_, i) => Array.from({ length: 5 }, (_, k) => [`V${i}`, (k + 1) * 1000, 10 * i + k + 1, StatusCodes.Good.value])).flat();
      expect(got).toEqual(expected);
      await session.close();
    } finally {
      await client.disconnect();
    }
  });
});
