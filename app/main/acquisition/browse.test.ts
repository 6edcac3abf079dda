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
import { browseChildren, nodeDetail } from './browse.js';
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

/**
 * Variables with children of their own (Part 3: a Variable may have HasComponent children: a
 * structure's members, ServerStatus's StartTime, CurrentTime, ...) can be opened in the tree;
 * a variable with properties only (an AnalogItem's EURange) cannot, as properties are shown as
 * attributes. A node whose DisplayName the server left empty is named by its BrowseName.
 */
describe('browseChildren of variables with children', () => {
  let dir: string;
  let server: TestServer;
  let c: OPCUAClient;
  let s: ClientSession;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-browse-vars-'));
    server = await startTestServer({
      role: 'browse', dir,
      build: (ns, as) => {
        const folder = ns.addFolder(as.rootFolder.objects, { browseName: 'Plant', nodeId: 's=Plant' });
        const drive = ns.addVariable({ componentOf: folder, browseName: 'Drive', nodeId: 's=Drive', dataType: 'Double' });
        ns.addVariable({ componentOf: drive, browseName: 'Speed', nodeId: 's=Drive.Speed', dataType: 'Double' });
        ns.addVariable({ componentOf: drive, browseName: 'Torque', nodeId: 's=Drive.Torque', dataType: 'Double' });
        ns.addAnalogDataItem({ componentOf: folder, browseName: 'Flow', nodeId: 's=Flow', dataType: 'Double', engineeringUnitsRange: { low: 0, high: 100 } });
        const nameless = ns.addVariable({ componentOf: folder, browseName: 'Nameless', nodeId: 's=Nameless', dataType: 'Double' });
        nameless.setDisplayName('');
        ns.addVariable({ componentOf: folder, browseName: 'Secret', nodeId: 's=Secret', dataType: 'Double', accessLevel: 'CurrentWrite', userAccessLevel: 'CurrentWrite' });
        ns.addVariable({ componentOf: folder, browseName: 'Private', nodeId: 's=Private', dataType: 'Double', accessLevel: 'CurrentRead | CurrentWrite', userAccessLevel: 'CurrentWrite' });
      },
    });
    c = OPCUAClient.create({ endpointMustExist: false, securityMode: MessageSecurityMode.None, securityPolicy: SecurityPolicy.None, connectionStrategy: { maxRetry: 0 } });
    await c.connect(server.endpoint);
    s = await c.createSession();
  }, 120_000);

  afterAll(async () => {
    await s?.close();
    await c?.disconnect();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens a variable that has components, not one with properties only', async () => {
    const nodes = await browseChildren(s, 'ns=2;s=Plant');
    const byName = Object.fromEntries(nodes.map((n) => [n.browseName, n]));
    expect(byName['2:Drive']).toMatchObject({ nodeClass: 'Variable', hasChildren: true });
    expect(byName['2:Flow']).toMatchObject({ nodeClass: 'Variable', hasChildren: false });
    expect((await browseChildren(s, 'ns=2;s=Drive')).map((n) => n.displayName).sort()).toEqual(['Speed', 'Torque']);
    // The standard Server object's ServerStatus (i=2256) is a variable with components (Part 5).
    const status = (await browseChildren(s, 'ns=0;i=2253')).find((n) => n.browseName === 'ServerStatus');
    expect(status).toMatchObject({ nodeId: 'ns=0;i=2256', nodeClass: 'Variable', hasChildren: true });
    expect((await browseChildren(s, status!.nodeId)).map((n) => n.displayName)).toContain('CurrentTime');
  });

  it('refuses as a tag a variable the station may not read, naming the attribute that says so', async () => {
    // Part 3 §5.6.2: CurrentRead is bit 0 of AccessLevel, and of UserAccessLevel for the session's user.
    expect((await nodeDetail(s, 'plc', 'ns=2;s=Secret', [])).refusal).toEqual({ key: 'acquisition.issue.notReadable', params: { attribute: 'AccessLevel' } });
    expect((await nodeDetail(s, 'plc', 'ns=2;s=Private', [])).refusal).toEqual({ key: 'acquisition.issue.notReadable', params: { attribute: 'UserAccessLevel' } });
    expect((await nodeDetail(s, 'plc', 'ns=2;s=Drive', [])).refusal).toBeNull();
  });

  it('names a node with an empty DisplayName by its BrowseName', async () => {
    const nameless = (await browseChildren(s, 'ns=2;s=Plant')).find((n) => n.browseName === '2:Nameless');
    expect(nameless?.displayName).toBe('Nameless');
    expect((await nodeDetail(s, 'plc', 'ns=2;s=Nameless', [])).displayName).toBe('Nameless');
  });
});
