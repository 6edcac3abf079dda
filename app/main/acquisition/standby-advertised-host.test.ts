/**
 * A standby endpoint whose server advertises its own machine name (`opc.tcp://SCADA-B:…`, a name
 * the station's DNS does not know) rather than the host configured. The active endpoint's session
 * says so once per run (discovery-shapes.test.ts); the standby's probe session said nothing, so the
 * engineer learned it only after a failover had made it the active one. Now its probe says it once,
 * in the same words, however many probes follow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type AddressSpace, type Namespace } from 'node-opcua';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const TOLD = 'the server advertises another host than the one configured: connected to the one configured; a client that follows the server\'s own URLs needs that name resolvable';

const level = (ns: Namespace, as: AddressSpace) => {
  const v = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
  v.setValueFromSource({ dataType: DataType.Double, value: 1.5 }, StatusCodes.Good, new Date());
};

describe('a standby endpoint advertising another host than the one configured', () => {
  let dir: string;
  let primary: TestServer;
  let standby: TestServer;
  let t: TestStation;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-standby-host-'));
    primary = await startTestServer({ role: 'standby-host-a', dir, build: level });
    standby = await startTestServer({ role: 'standby-host-b', dir, hostname: 'SCADA-B', build: level });
    t = await startTestStation({
      dir,
      yaml: `station: { name: StandbyHost, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${primary.endpoint}"
    backupEndpoints: ["opc.tcp://127.0.0.1:${standby.port}/test"]
    redundancy: { probeIntervalMs: 300, failbackAfterMs: 600000 }
    publishingIntervalMs: 200
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await primary?.stop();
    await standby?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is said once by its probe, while the primary serves', async () => {
    expect(standby.endpoint).toBe(`opc.tcp://SCADA-B:${standby.port}/test`);
    const told = () => t.logs.filter((l) => l.msg === TOLD);
    await until('the primary connected', () => t.states.at(-1)?.state === 'connected' && t.states.at(-1)?.endpoint === primary.endpoint, 60_000);
    await until('the standby probed', () => t.states.at(-1)?.endpoints?.[1]?.reachable === true, 60_000);
    await until('the standby\'s host said', () => told().length > 0, 30_000);
    // Probes go on over the same session, and the standby is not the endpoint in use.
    const reads = standby.serviceLevelReads();
    await until('three probes more', () => standby.serviceLevelReads() >= reads + 3, 30_000);
    expect(t.states.at(-1)?.endpoint).toBe(primary.endpoint);
    expect(told()).toEqual([expect.objectContaining({ level: 30, server: 'plc', endpoint: `opc.tcp://127.0.0.1:${standby.port}/test`, advertised: [standby.endpoint] })]);
  }, 120_000);
});
