/**
 * The partners a server names in its redundant set (ServerRedundancy.ServerUriArray, Part 5
 * NonTransparentRedundancyType) that the config does not list: said in the server's state and once
 * in the log, never connected to. Here the primary names itself, the configured backup and a third
 * server nobody configured: only the third is reported; the backup is known by the ServerUri its
 * session gave, the primary is itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, VariableIds, type UAVariable } from 'node-opcua';
import { startRedundantPair, type RedundantPair } from './testing/redundant-pair.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';
import { startTestServer, type TestServer } from './testing/test-server.js';

const UNCONFIGURED = 'urn:plant:sis-c';
const PARTNERS_LOG = 'the server names redundant partners that are not configured: no failover to them (add their endpoints to backupEndpoints)';

describe('redundant server: partners the server names that are not configured', () => {
  let pair: RedundantPair;

  beforeAll(async () => {
    pair = await startRedundantPair({
      name: 'failover-partners', tickMs: 200, publishingIntervalMs: 200, probeIntervalMs: 300, failbackAfterMs: 1000, staleAfterMs: 2000,
      before: (servers) => {
        const uris = [servers.primary.server.serverInfo.applicationUri!, servers.backup.server.serverInfo.applicationUri!, UNCONFIGURED];
        const node = servers.primary.addressSpace.findNode(`ns=0;i=${VariableIds.Server_ServerRedundancy_ServerUriArray}`) as UAVariable;
        node.setValueFromSource({ dataType: DataType.String, arrayType: 1 /* VariantArrayType.Array */, value: uris }, StatusCodes.Good);
      },
    });
  }, 120_000);

  afterAll(async () => {
    await pair?.stop();
  });

  it('reports the one partner not configured, in the state and once in the log', async () => {
    const { station: t, servers, last } = pair;
    await until('connected to the primary', () => last()?.state === 'connected' && last().endpoint === servers.primary.endpoint, 60_000);
    await until('the partner reported', () => t.logs.some((l) => l.msg === PARTNERS_LOG), 30_000);
    expect(last().partners).toEqual([{ uri: UNCONFIGURED, endpoints: [] }]);
    const told = t.logs.filter((l) => l.msg === PARTNERS_LOG);
    expect(told).toEqual([expect.objectContaining({ level: 40, endpoint: servers.primary.endpoint, partners: [{ uri: UNCONFIGURED, endpoints: [] }], configuredNotReached: [] })]);
    // Never connected to, and the connected endpoints stay the configured ones.
    expect(last().endpoints?.map((e) => e.url)).toEqual([servers.primary.endpoint, servers.backup.endpoint]);
  }, 60_000);
});

describe('a server configured without its partner', () => {
  let dir: string;
  let primary: TestServer;
  let t: TestStation;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-partners-one-'));
    primary = await startTestServer({
      role: 'partners-one', dir,
      build: (ns, as) => void ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 }),
    });
    const node = primary.addressSpace.findNode(`ns=0;i=${VariableIds.Server_ServerRedundancy_ServerUriArray}`) as UAVariable;
    node.setValueFromSource({ dataType: DataType.String, arrayType: 1, value: [primary.server.serverInfo.applicationUri!, UNCONFIGURED] }, StatusCodes.Good);
    t = await startTestStation({
      dir,
      yaml: `station: { name: One, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${primary.endpoint}", publishingIntervalMs: 200, staleAfterMs: 2000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await primary?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says that the server has a partner the config lacks: no failover', async () => {
    await until('the partner reported', () => t.logs.find((l) => l.msg === PARTNERS_LOG), 60_000);
    expect(t.states.at(-1)?.partners).toEqual([{ uri: UNCONFIGURED, endpoints: [] }]);
  }, 90_000);
});
