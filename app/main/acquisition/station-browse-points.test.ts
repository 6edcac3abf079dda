/**
 * The station's own browses against a server keeping one continuation point per session
 * (MaxBrowseContinuationPoints 1, as small embedded servers do): reading a variable's vendor
 * DataType and an enumeration's names (type-reader.ts), and the EngineeringUnits and EURange of
 * analog variables (units-read.ts). A node the server refuses for want of a point (a console's
 * browse holding it, or the point given to another node of the same request) is asked again,
 * never read as 'any type', nameless or without units; a point the station is given and does not
 * follow is released. node-opcua's server refuses every browse while the session's points are
 * taken, even one that needs none.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BrowseDirection, BrowseRequest, BrowseResponse, DataType, MessageSecurityMode, NodeClass, OPCUAClient, SecurityPolicy,
  makeEUInformation, resolveNodeId, type BrowseResult, type ClientSession, type NodeId,
} from 'node-opcua';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiFailure } from '../api/dispatcher.js';
import { POINT_WAIT_MS, pointWait } from './browse-points.js';
import { TypeReader } from './type-reader.js';
import { readServerUnits } from './units-read.js';
import { startTestServer, type TestServer } from './testing/test-server.js';

const LIMITS = { maxNodesPerRead: 100, maxNodesPerBrowse: 100 };
/** The analog variables, their units and ranges as the server is built with them. */
const ANALOG = [
  { name: 'Level', unit: 'm', range: [0, 25] as [number, number] },
  { name: 'Pressure', unit: 'bar', range: [0, 16] as [number, number] },
  { name: 'Temperature', unit: '°C', range: [-20, 120] as [number, number] },
];

let dir: string;
let server: TestServer;
let client: OPCUAClient;
let session: ClientSession;
const ids: Record<string, NodeId> = {};
/** References per part the server gives whatever the client asks (0: as asked). */
let perPart = 0;
/** Browse results the server refused for want of a continuation point. */
let refusedForPoints = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-station-points-'));
  server = await startTestServer({
    role: 'station-points', dir,
    build: (ns, as) => {
      const plant = ns.addFolder(as.rootFolder.objects, { browseName: 'Plant', nodeId: 's=Plant' });
      const big = ns.addFolder(as.rootFolder.objects, { browseName: 'Big', nodeId: 's=Big' });
      ids.Big = big.nodeId;
      for (let i = 0; i < 50; i++) ns.addVariable({ componentOf: big, browseName: `V${i}`, nodeId: `s=Big.V${i}`, dataType: 'Double' });
      const percent = ns.createDataType({ browseName: 'Percent', nodeId: 's=Percent', isAbstract: false, subtypeOf: 'Double' });
      const mode = ns.addEnumerationType({ browseName: 'OperatingMode', nodeId: 's=OperatingMode', enumeration: ['Off', 'Auto', 'Manual'] });
      // A second property of the type: a server paging one reference a part gives its browse a point.
      ns.addVariable({ propertyOf: mode, browseName: 'Note', nodeId: 's=OperatingMode.Note', dataType: 'String' });
      ids.Opening = ns.addVariable({ componentOf: plant, browseName: 'Opening', nodeId: 's=Opening', dataType: percent, value: { dataType: DataType.Double, value: 42 } }).nodeId;
      ids.Mode = ns.addVariable({ componentOf: plant, browseName: 'Mode', nodeId: 's=Mode', dataType: mode, value: { dataType: DataType.Int32, value: 1 } }).nodeId;
      for (const a of ANALOG) {
        ids[a.name] = ns.addAnalogDataItem({
          componentOf: plant, browseName: a.name, nodeId: `s=${a.name}`, dataType: 'Double',
          engineeringUnitsRange: { low: a.range[0], high: a.range[1] }, engineeringUnits: makeEUInformation(a.unit, a.unit, a.unit),
        }).nodeId;
      }
    },
  });
  server.server.engine.serverCapabilities.maxBrowseContinuationPoints = 1;
  server.server.on('request', (r: unknown) => {
    if (r instanceof BrowseRequest && perPart > 0) r.requestedMaxReferencesPerNode = perPart;
  });
  server.server.on('response', (r: unknown) => {
    if (r instanceof BrowseResponse) refusedForPoints += (r.results ?? []).filter((x) => x.statusCode.name === 'BadNoContinuationPoints').length;
  });
  client = OPCUAClient.create({
    endpointMustExist: false, securityMode: MessageSecurityMode.None, securityPolicy: SecurityPolicy.None, connectionStrategy: { maxRetry: 0 },
  });
  await client.connect(server.endpoint);
  session = await client.createSession();
}, 120_000);

afterEach(() => {
  perPart = 0;
  pointWait.ms = POINT_WAIT_MS;
});

afterAll(async () => {
  await session?.close();
  await client?.disconnect();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Another holder of the session (a console paging a folder) takes its one point. */
async function holdThePoint(): Promise<Buffer> {
  perPart = 10;
  const [r] = await session.browse([{
    nodeId: ids.Big!, browseDirection: BrowseDirection.Forward, referenceTypeId: resolveNodeId('i=33'),
    includeSubtypes: true, nodeClassMask: NodeClass.Variable, resultMask: 0x3f,
  }]);
  perPart = 0;
  const cp = (r as BrowseResult).continuationPoint;
  expect(cp?.length).toBeGreaterThan(0);
  return cp!;
}

/** Whether the session's one point is free: a browse that needs it gets it (then released). */
async function pointFree(): Promise<boolean> {
  perPart = 10;
  try {
    const [r] = await session.browse([{
      nodeId: ids.Big!, browseDirection: BrowseDirection.Forward, referenceTypeId: resolveNodeId('i=33'),
      includeSubtypes: true, nodeClassMask: NodeClass.Variable, resultMask: 0,
    }]);
    const result = r as BrowseResult;
    if (result.continuationPoint?.length) await session.browseNext(result.continuationPoint, true);
    return result.statusCode.isGood();
  } finally {
    perPart = 0;
  }
}

const unitsOf = (name: string) => {
  const a = ANALOG.find((x) => x.name === name)!;
  return { unit: a.unit, range: a.range };
};

describe('the station\'s browses on a server with one continuation point', () => {
  it('reads a vendor type, an enumeration\'s names and the units once a console\'s browse frees the point, not as any type or no units', async () => {
    const held = await holdThePoint();
    const before = refusedForPoints;
    const types = new TypeReader(session, LIMITS.maxNodesPerRead, LIMITS.maxNodesPerBrowse).read([ids.Opening!, ids.Mode!]);
    const units = readServerUnits(session, ANALOG.map((a) => ids[a.name]!), LIMITS);
    const settled = Promise.allSettled([types, units]);
    await expect.poll(() => refusedForPoints > before, { timeout: 30_000 }).toBe(true);
    // The console's browse ends: its point released.
    await session.browseNext(held, true);
    await settled;
    const [opening, mode] = await types;
    expect(opening).toMatchObject({ ok: true, type: { builtIn: DataType.Double, name: 'Percent', enumeration: false } });
    expect(mode).toMatchObject({ ok: true, type: { builtIn: DataType.Int32, enumeration: true, states: [{ value: 0, name: 'Off' }, { value: 1, name: 'Auto' }, { value: 2, name: 'Manual' }] } });
    expect(await units).toEqual(ANALOG.map((a) => unitsOf(a.name)));
    expect(await pointFree()).toBe(true);
  });

  it('reads the units of every variable of a request when the server pages their properties and gives its one point to the first', async () => {
    perPart = 1;
    const before = refusedForPoints;
    expect(await readServerUnits(session, ANALOG.map((a) => ids[a.name]!), LIMITS)).toEqual(ANALOG.map((a) => unitsOf(a.name)));
    expect(refusedForPoints).toBeGreaterThan(before);
    perPart = 0;
    expect(await pointFree()).toBe(true);
  });

  it('releases the point it is given browsing an enumeration\'s properties, and finds its names past the first part', async () => {
    perPart = 1;
    const [mode] = await new TypeReader(session, LIMITS.maxNodesPerRead, LIMITS.maxNodesPerBrowse).read([ids.Mode!]);
    perPart = 0;
    expect(mode).toMatchObject({ ok: true, type: { enumeration: true, states: [{ value: 0, name: 'Off' }, { value: 1, name: 'Auto' }, { value: 2, name: 'Manual' }] } });
    expect(await pointFree()).toBe(true);
  });

  it('fails the read when the point is never freed: the units and the type are not known, not none', async () => {
    pointWait.ms = 500;
    const held = await holdThePoint();
    try {
      const units = await readServerUnits(session, [ids.Level!], LIMITS).then(() => null, (e: unknown) => e);
      expect(units).toBeInstanceOf(ApiFailure);
      expect((units as ApiFailure).code).toBe('unavailable');
      expect((units as ApiFailure).i18n).toEqual({ key: 'acquisition.error.browseRefused', params: { nodeId: ids.Level!.toString(), status: 'BadNoContinuationPoints' } });
      const reader = new TypeReader(session, LIMITS.maxNodesPerRead, LIMITS.maxNodesPerBrowse);
      const type = await reader.read([ids.Opening!]).then(() => null, (e: unknown) => e);
      expect(type).toBeInstanceOf(ApiFailure);
      // Nothing kept of the refusal: the same reader reads the type once the point is free.
      await session.browseNext(held, true);
      expect((await reader.read([ids.Opening!]))[0]).toMatchObject({ ok: true, type: { builtIn: DataType.Double, name: 'Percent' } });
    } finally {
      await session.browseNext(held, true);
    }
  });
});
