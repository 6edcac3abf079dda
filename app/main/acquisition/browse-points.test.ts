/**
 * Browsing a server that keeps few continuation points (MaxBrowseContinuationPoints 2, 100
 * references per part, as small embedded servers do) through the station's one session, which every
 * console shares: engineers browsing a 5,000-variable folder at once all get every child; a browse
 * the server refuses for want of a point while another holder has them waits for one; a browse that
 * ends early (a request that timed out) releases its point; and a refusal is said in the console's
 * words, not as a bare status.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BrowseDirection, BrowseNextRequest, BrowseRequest, BrowseResponse, MessageSecurityMode, NodeClass, OPCUAClient, SecurityPolicy,
  resolveNodeId, type BrowseResult, type ClientSession,
} from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Translator } from '../../shared/i18n/translate.js';
import { ApiFailure } from '../api/dispatcher.js';
import { browseChildren, nodeDetail } from './browse.js';
import { startTestServer, type TestServer } from './testing/test-server.js';

const N = 5000;
const PER_PART = 100;
const POINTS = 2;
const NS = 'nsu=urn:vigil:test:plant;';

let dir: string;
let server: TestServer;
let client: OPCUAClient;
let session: ClientSession;
/** releaseContinuationPoints of every BrowseNext the server received. */
const releases: boolean[] = [];
/** Browse results the server refused for want of a continuation point. */
let refusedForPoints = 0;
/** BrowseNext requests (not releases) the server is to leave unanswered. */
let unanswered = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-browse-points-'));
  server = await startTestServer({
    role: 'browse', dir,
    build: (ns, as) => {
      const big = ns.addFolder(as.rootFolder.objects, { browseName: 'Big', nodeId: 's=Big' });
      for (let i = 0; i < N; i++) ns.addVariable({ componentOf: big, browseName: `V${i}`, nodeId: `s=Big.V${i}`, dataType: 'Double' });
      const plant = ns.addFolder(as.rootFolder.objects, { browseName: 'Plant', nodeId: 's=Plant' });
      const drive = ns.addVariable({ componentOf: plant, browseName: 'Drive', nodeId: 's=Drive', dataType: 'Double' });
      ns.addVariable({ componentOf: drive, browseName: 'Speed', nodeId: 's=Drive.Speed', dataType: 'Double' });
      ns.addVariable({ organizedBy: plant, browseName: 'Flow', nodeId: 's=Flow', dataType: 'Double' });
      // Structures with more members than a part holds: telling whether each has children takes a point.
      const arrays = ns.addFolder(as.rootFolder.objects, { browseName: 'Arrays', nodeId: 's=Arrays' });
      for (let a = 0; a < 4; a++) {
        const v = ns.addVariable({ componentOf: arrays, browseName: `A${a}`, nodeId: `s=A${a}`, dataType: 'Double' });
        for (let e = 0; e <= PER_PART; e++) ns.addVariable({ componentOf: v, browseName: `E${e}`, nodeId: `s=A${a}.E${e}`, dataType: 'Double' });
      }
    },
  });
  const engine = server.server.engine;
  engine.serverCapabilities.maxBrowseContinuationPoints = POINTS;
  server.server.on('request', (r: unknown) => {
    // The server's own MaxReferencesPerNode: at most 100 references a part, whatever the client asks.
    if (r instanceof BrowseRequest) r.requestedMaxReferencesPerNode = Math.min(PER_PART, r.requestedMaxReferencesPerNode || PER_PART);
    if (r instanceof BrowseNextRequest) releases.push(r.releaseContinuationPoints);
  });
  server.server.on('response', (r: unknown) => {
    if (r instanceof BrowseResponse) refusedForPoints += (r.results ?? []).filter((x) => x.statusCode.name === 'BadNoContinuationPoints').length;
  });
  // A server that leaves a request unanswered (busy, a lost packet): the client's request times out.
  const target = server.server as unknown as { _on_BrowseNextRequest(message: { request: BrowseNextRequest }, channel: unknown): void };
  const answer = target._on_BrowseNextRequest.bind(target);
  target._on_BrowseNextRequest = (message, channel) => {
    if (unanswered > 0 && !message.request.releaseContinuationPoints) {
      unanswered--;
      return;
    }
    answer(message, channel);
  };
  client = OPCUAClient.create({
    endpointMustExist: false, securityMode: MessageSecurityMode.None, securityPolicy: SecurityPolicy.None, connectionStrategy: { maxRetry: 0 },
    defaultTransactionTimeout: 5000, // node-opcua's least
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

const bigIds = Array.from({ length: N }, (_, i) => `${NS}s=Big.V${i}`);

describe('continuation points shared by the consoles', () => {
  it('lists all 5,000 children to three engineers browsing at once, beside another folder and a node shown', async () => {
    const [a, b, c, plant, drive] = await Promise.all([
      browseChildren(session, 'ns=2;s=Big'), browseChildren(session, 'ns=2;s=Big'), browseChildren(session, `${NS}s=Big`),
      browseChildren(session, 'ns=2;s=Plant'), nodeDetail(session, 'plc', `${NS}s=Drive`, []),
    ]);
    for (const list of [a, b, c]) expect(list.map((n) => n.nodeId).sort()).toEqual([...bigIds].sort());
    expect(plant.map((n) => [n.browseName, n.hasChildren]).sort()).toEqual([['2:Drive', true], ['2:Flow', false]]);
    expect(drive).toMatchObject({ nodeClass: 'Variable', dataType: 'Double' });
  });

  it('opens every variable with children, more of them than the server has points for', async () => {
    const arrays = await browseChildren(session, 'ns=2;s=Arrays');
    expect(arrays.map((n) => [n.browseName, n.hasChildren]).sort()).toEqual([['2:A0', true], ['2:A1', true], ['2:A2', true], ['2:A3', true]]);
  });

  it('lists the folder from a server that takes fewer nodes per Browse than the station sends at first', async () => {
    // MaxNodesPerBrowse 100 (an embedded server's), not advertised: telling 5,000 variables' children goes in smaller requests.
    const limits = server.server.engine.serverCapabilities.operationLimits;
    limits.maxNodesPerBrowse = 100;
    try {
      expect((await browseChildren(session, 'ns=2;s=Big')).map((n) => n.nodeId).sort()).toEqual([...bigIds].sort());
    } finally {
      limits.maxNodesPerBrowse = 0;
    }
  });

  it('waits for a point another holder of the session releases, rather than failing at once', async () => {
    // Another part of the station holds both points a moment (two large browses begun).
    const held = await session.browse([0, 1].map(() => ({
      nodeId: resolveNodeId('ns=2;s=Big'), browseDirection: BrowseDirection.Forward, referenceTypeId: resolveNodeId('i=33'),
      includeSubtypes: true, nodeClassMask: NodeClass.Variable, resultMask: 0x3f,
    })));
    const points = held.map((r: BrowseResult) => r.continuationPoint).filter((cp): cp is Buffer => !!cp?.length);
    expect(points).toHaveLength(POINTS);
    const before = refusedForPoints;
    const browsing = browseChildren(session, 'ns=2;s=Plant');
    const outcome = browsing.then(() => 'listed', (err: Error) => `failed: ${err.message}`);
    await expect.poll(() => refusedForPoints > before, { timeout: 30_000 }).toBe(true);
    await session.browseNext(points, true);
    expect(await outcome).toBe('listed');
    expect((await browsing).map((n) => n.browseName).sort()).toEqual(['2:Drive', '2:Flow']);
  });

  it('releases the point of a browse abandoned when the server did not answer a next part', async () => {
    releases.length = 0;
    unanswered = 1;
    const err = await browseChildren(session, 'ns=2;s=Big').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApiFailure);
    expect((err as ApiFailure).i18n).toEqual({ key: 'acquisition.error.browseRefused', params: { nodeId: 'ns=2;s=Big', status: 'BadTimeout' } });
    // The part left unanswered, then its point released.
    expect(releases).toEqual([false, true]);
    // Nothing held: both points are free for two browses that page at once outside the station's turn.
    const again = await session.browse([0, 1].map(() => ({
      nodeId: resolveNodeId('ns=2;s=Big'), browseDirection: BrowseDirection.Forward, referenceTypeId: resolveNodeId('i=33'),
      includeSubtypes: true, nodeClassMask: NodeClass.Variable, resultMask: 0,
    })));
    expect(again.map((r: BrowseResult) => r.statusCode.name)).toEqual(['Good', 'Good']);
    await session.browseNext(again.map((r: BrowseResult) => r.continuationPoint!), true);
  });
});

describe('a refused browse in the console\'s words', () => {
  const words = (e: unknown, locale: 'en' | 'ru' | 'zh') => {
    const { key, params } = (e as ApiFailure).i18n;
    return new Translator(locale).t(key, params);
  };

  it('names the node the server does not have, with its status, in the console\'s language', async () => {
    const gone = await browseChildren(session, `${NS}s=Removed`).then(() => null, (e: unknown) => e);
    expect(gone).toBeInstanceOf(ApiFailure);
    expect((gone as ApiFailure).i18n).toEqual({ key: 'acquisition.error.browseRefused', params: { nodeId: `${NS}s=Removed`, status: 'BadNodeIdUnknown' } });
    expect(words(gone, 'en')).toBe(`The server has no node ${NS}s=Removed (any more) (BadNodeIdUnknown). Open the node above it again to see what it holds now.`);
    expect(words(gone, 'ru')).toMatch(/^На сервере нет \(больше нет\) узла .*s=Removed \(BadNodeIdUnknown\)/);
    expect(words(gone, 'zh')).toMatch(/^服务器上（已）没有节点 .*s=Removed（BadNodeIdUnknown）/);
    const detail = await nodeDetail(session, 'plc', `${NS}s=Removed`, []).then(() => null, (e: unknown) => e);
    expect((detail as ApiFailure).i18n).toEqual({ key: 'acquisition.error.browseRefused', params: { nodeId: `${NS}s=Removed`, status: 'BadNodeIdUnknown' } });
  });
});
