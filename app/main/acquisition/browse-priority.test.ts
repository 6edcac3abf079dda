/**
 * The station's own browses (a newly acquired tag's units and type, units-read.ts and
 * type-reader.ts) against engineers browsing a big folder through the same session, on a server
 * keeping one continuation point per session: the station's browse waits for the console browse
 * running (it holds the point), never for those queued behind it. Before, five consoles opening a
 * 2,000-variable folder held back a new tag's values (held until its units are read) for all five.
 * The order the server receives the requests in says it, not a duration.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BrowseRequest, DataType, MessageSecurityMode, OPCUAClient, ReferenceTypeIds, SecurityPolicy, makeEUInformation, resolveNodeId, type ClientSession,
} from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browseChildren } from './browse.js';
import { TypeReader } from './type-reader.js';
import { readServerUnits } from './units-read.js';
import { startTestServer, type TestServer } from './testing/test-server.js';

const N = 2000;
const PER_PART = 100;
const CONSOLES = 5;
const HAS_PROPERTY = resolveNodeId(ReferenceTypeIds.HasProperty).toString();
const HAS_SUBTYPE = resolveNodeId(ReferenceTypeIds.HasSubtype).toString();

let dir: string;
let server: TestServer;
let client: OPCUAClient;
let session: ClientSession;
/** The Browse requests the server received, in order: a console's first part of Big, or the station's own. */
const received: ('console' | 'units' | 'type')[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-browse-priority-'));
  server = await startTestServer({
    role: 'browse-priority', dir,
    build: (ns, as) => {
      const big = ns.addFolder(as.rootFolder.objects, { browseName: 'Big', nodeId: 's=Big' });
      for (let i = 0; i < N; i++) ns.addVariable({ componentOf: big, browseName: `V${i}`, nodeId: `s=Big.V${i}`, dataType: 'Double' });
      const percent = ns.createDataType({ browseName: 'Percent', nodeId: 's=Percent', isAbstract: false, subtypeOf: 'Double' });
      ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Opening', nodeId: 's=Opening', dataType: percent, value: { dataType: DataType.Double, value: 42 } });
      ns.addAnalogDataItem({
        organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double',
        engineeringUnitsRange: { low: 0, high: 25 }, engineeringUnits: makeEUInformation('m', 'm', 'm'),
      });
    },
  });
  server.server.engine.serverCapabilities.maxBrowseContinuationPoints = 1;
  server.server.on('request', (r: unknown) => {
    if (!(r instanceof BrowseRequest)) return;
    // The server's own MaxReferencesPerNode: a folder of 2,000 is paged through, its one point held meanwhile.
    r.requestedMaxReferencesPerNode = Math.min(PER_PART, r.requestedMaxReferencesPerNode || PER_PART);
    const nodes = r.nodesToBrowse ?? [];
    if (nodes.length === 1 && nodes[0]!.nodeId.toString() === 'ns=2;s=Big') received.push('console');
    else if (nodes.some((d) => d.referenceTypeId.toString() === HAS_PROPERTY && d.nodeId.toString() === 'ns=2;s=Level')) received.push('units');
    else if (nodes.some((d) => d.referenceTypeId.toString() === HAS_SUBTYPE && d.nodeId.toString() === 'ns=2;s=Percent')) received.push('type');
  });
  client = OPCUAClient.create({
    endpointMustExist: false, securityMode: MessageSecurityMode.None, securityPolicy: SecurityPolicy.None, connectionStrategy: { maxRetry: 0 },
  });
  await client.connect(server.endpoint);
  session = await client.createSession();
}, 120_000);

afterAll(async () => {
  await session?.close();
  await client?.disconnect();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Five engineers open Big at once; once the first one's browse reached the server, the station asks.
 * `started`: the consoles' browses the server had received when it asked (one, unless a loaded
 * machine let the first finish and the next begin before the poll saw it): the last of them is the
 * one running, the rest are queued behind it.
 */
async function besideConsoles<T>(station: () => Promise<T>): Promise<{ result: T; started: number }> {
  received.length = 0;
  const consoles = Array.from({ length: CONSOLES }, () => browseChildren(session, 'ns=2;s=Big'));
  await expect.poll(() => received.includes('console'), { timeout: 30_000 }).toBe(true);
  const started = received.length;
  const mine = station();
  const lists = await Promise.all(consoles);
  for (const list of lists) expect(list).toHaveLength(N);
  return { result: await mine, started };
}

describe('the station\'s own browses beside engineers browsing a big folder', () => {
  it('reads a new tag\'s units after the console browse running, before those queued', async () => {
    const { result: units, started } = await besideConsoles(() => readServerUnits(session, [resolveNodeId('ns=2;s=Level')], { maxNodesPerRead: 100, maxNodesPerBrowse: 100 }));
    expect(units).toEqual([{ unit: 'm', range: [0, 25] }]);
    expect(received.filter((r) => r === 'console')).toHaveLength(CONSOLES);
    // Right after the console browse running when it asked, before every one queued then.
    expect(started).toBeLessThan(CONSOLES);
    expect(received.indexOf('units')).toBe(started);
  }, 120_000);

  it('reads a new tag\'s vendor type after the console browse running, before those queued', async () => {
    const { result: [type], started } = await besideConsoles(() => new TypeReader(session, 100, 100).read([resolveNodeId('ns=2;s=Opening')]));
    expect(type).toMatchObject({ ok: true, type: { builtIn: DataType.Double, name: 'Percent' } });
    expect(received.filter((r) => r === 'console')).toHaveLength(CONSOLES);
    // The reader reads the variable's DataType before it browses: a console queued when it asked may
    // take the point meanwhile; never all of them (the station waiting behind every console queued).
    expect(started).toBeLessThan(CONSOLES);
    expect(received.indexOf('type')).toBeGreaterThanOrEqual(started);
    expect(received.indexOf('type')).toBeLessThan(CONSOLES);
  }, 120_000);
});
