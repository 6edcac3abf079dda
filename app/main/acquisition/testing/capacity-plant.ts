/**
 * A server out of room for monitored items (BadTooManyMonitoredItems), for the capacity tests
 * (capacity-gap, capacity-crash, gap-scope-restart): three historized Doubles written every
 * 200 ms with the same rising value, a record of what the plant made (the tests' expectation),
 * and another session holding the first two of its three items.
 */
import { AttributeIds, ClientMonitoredItemGroup, ClientSubscription, DataType, OPCUAClient, StatusCodes, TimestampsToReturn, type ClientSession, type UAVariable } from 'node-opcua';
import { startTestServer, type TestServer } from './test-server.js';

export const CAPACITY_TAGS = ['Level', 'Temp', 'Flow'];

export interface CapacityPlant {
  server: TestServer;
  /** Every value written, in order (each variable got the same one). */
  plant: { t: number; v: number }[];
  /** The other session: closing it gives its two items' room back. */
  session: ClientSession;
  /** Station YAML of a server `plc` with the three tags (archived, lossless). */
  yaml(stationName: string): string;
  stop(): Promise<void>;
}

export async function startCapacityPlant(dir: string): Promise<CapacityPlant> {
  const vars: UAVariable[] = [];
  const server = await startTestServer({
    role: 'capacity', dir,
    build: (ns, as) => {
      for (const n of CAPACITY_TAGS) {
        const v = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: n, nodeId: `s=${n}`, dataType: 'Double', minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: 0 } });
        as.installHistoricalDataNode(v, { maxOnlineValues: 100_000 });
        vars.push(v);
      }
    },
  });
  server.server.engine.serverCapabilities.maxMonitoredItems = 3;
  const plant: { t: number; v: number }[] = [];
  let n = 0;
  const ticker = setInterval(() => {
    const p = { t: Date.now(), v: ++n };
    plant.push(p);
    for (const v of vars) v.setValueFromSource({ dataType: DataType.Double, value: p.v }, StatusCodes.Good, new Date(p.t));
  }, 200);

  const other = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
  await other.connect(server.endpoint);
  const session = await other.createSession();
  const subscription = await session.createSubscription2({ requestedPublishingInterval: 500, requestedMaxKeepAliveCount: 10, requestedLifetimeCount: 100, publishingEnabled: true });
  const held = ClientMonitoredItemGroup.create(subscription as ClientSubscription, CAPACITY_TAGS.slice(0, 2).map((x) => ({ nodeId: `ns=2;s=${x}`, attributeId: AttributeIds.Value })),
    { samplingInterval: 100, queueSize: 1, discardOldest: true }, TimestampsToReturn.Both);
  await new Promise((resolve) => held.once('initialized', resolve));

  return {
    server, plant, session,
    yaml: (name) => `station: { name: ${name}, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server.endpoint}", samplingIntervalMs: 0, publishingIntervalMs: 200 }
areas: [{ id: A, name: A }]
tags:
${CAPACITY_TAGS.map((x) => `  - { name: ${x}, server: plc, nodeId: "ns=2;s=${x}", kind: analog, area: A }`).join('\n')}
`,
    async stop() {
      clearInterval(ticker);
      await other.disconnect();
      await server.stop();
    },
  };
}
