/**
 * Browsing against the simulator: an area's ESD is reached twice (HasComponent,
 * and HasNotifier for its alarm events); the Tags page's tree needs it once.
 */
import { MessageSecurityMode, OPCUAClient, SecurityPolicy, type ClientSession } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../simulator/server.js';
import { browseChildren } from './browse.js';

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
    expect(ids.filter((id) => id === 'ns=1;s=Area1.ESD')).toHaveLength(1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('ns=1;s=Area1.TK101');
  });
});
