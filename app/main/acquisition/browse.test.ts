/**
 * Browsing against the simulator: an area's ESD is reached twice (HasComponent,
 * and HasNotifier for its alarm events); the Tags page's tree needs it once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowseNextRequest, BrowseRequest, MessageSecurityMode, OPCUAClient, SecurityPolicy, type ClientSession } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../simulator/server.js';
import { browseChildren } from './browse.js';
import { startTestServer, type TestServer } from './testing/test-server.js';

let sim: Simulator;
let client: OPCUAClient;
let session: ClientSession;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 3, tickMs: 500 });
  client = OPCUAClient.create({ endpointMustExist: false, securityMode: MessageSecurityMode.None, securityPolicy: SecurityPolicy.None, connectionStrategy: { maxRetry: 0 } });
  await client.connect(sim.endpoint);
  session = await client.createSession();
}, 120_000);

afterAll(async () => {
  await session?.close();
  await client?.disconnect();
  await sim?.stop();
});

describe('browseChildren', () => {
  it('lists a child reached by two hierarchical references once', async () => {
    const ids = (await browseChildren(session, 'ns=1;s=Area1')).map((n) => n.nodeId);
    expect(ids.filter((id) => id === 'nsu=urn:vigil:simulator;s=Area1.ESD')).toHaveLength(1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('nsu=urn:vigil:simulator;s=Area1.TK101');
  });
});

/**
 * A large folder against a server that returns a few references per call (Part 4 lets it): every
 * child comes, however many continuation points it takes; a refused next part is an error, never a
 * list cut short, and the station frees the continuation point it held.
 */
describe('browseChildren of a large folder', () => {
  const N = 600;
  const PER = 5; // 120 parts: more than the 101 the loop once stopped at
  let dir: string;
  let server: TestServer;
  let paged: OPCUAClient;
  let s: ClientSession;
  let corrupt = false;
  const releases: boolean[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-browse-'));
    server = await startTestServer({
      role: 'browse', dir,
      build: (ns, as) => {
        const folder = ns.addFolder(as.rootFolder.objects, { browseName: 'Tags', nodeId: 's=Tags' });
        for (let i = 0; i < N; i++) ns.addVariable({ componentOf: folder, browseName: `T${i}`, nodeId: `s=T${i}`, dataType: 'Double' });
      },
    });
    server.server.on('request', (r: unknown) => {
      if (r instanceof BrowseRequest) r.requestedMaxReferencesPerNode = PER;
      if (r instanceof BrowseNextRequest) {
        releases.push(r.releaseContinuationPoints);
        if (corrupt && !r.releaseContinuationPoints) r.continuationPoints = [Buffer.from('not-a-point')];
      }
    });
    paged = OPCUAClient.create({ endpointMustExist: false, securityMode: MessageSecurityMode.None, securityPolicy: SecurityPolicy.None, connectionStrategy: { maxRetry: 0 } });
    await paged.connect(server.endpoint);
    s = await paged.createSession();
  }, 120_000);

  afterAll(async () => {
    await s?.close();
    await paged?.disconnect();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows continuation points until the server has none left', async () => {
    const nodes = await browseChildren(s, 'ns=2;s=Tags');
    expect(nodes).toHaveLength(N);
    expect(new Set(nodes.map((n) => n.nodeId)).size).toBe(N);
    expect(nodes.map((n) => n.nodeId)).toContain(`nsu=urn:vigil:test:plant;s=T${N - 1}`);
  });

  it('fails on a refused next part, and releases the continuation point', async () => {
    corrupt = true;
    releases.length = 0;
    try {
      await expect(browseChildren(s, 'ns=2;s=Tags')).rejects.toThrow(/next part.*BadContinuationPointInvalid/);
    } finally {
      corrupt = false;
    }
    expect(releases).toEqual([false, true]);
  });
});
