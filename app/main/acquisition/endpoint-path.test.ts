/**
 * The endpoint URL's path names the endpoint (Part 4 §5.4.2 GetEndpoints, Part 6 §7.2.1 opc.tcp
 * URLs): a server that listens on the port but serves another path is not the server configured,
 * and the station says so (the URL asked for, the URLs the server offers) instead of connecting.
 * The host name is another matter: a server behind NAT or known by another name advertises a host
 * the station does not use, and it still connects (why endpointMustExist stays false).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type UAVariable } from 'node-opcua';
import type { ServerState } from '../../shared/api.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';
import { checkEndpointPath, EndpointPathError } from './session.js';

describe('which URLs a server’s endpoints answer (checkEndpointPath)', () => {
  const offers = (...urls: string[]) => urls.map((endpointUrl) => ({ endpointUrl }) as Parameters<typeof checkEndpointPath>[1][number]);
  const ok = (asked: string, ...urls: string[]) => expect(() => checkEndpointPath(asked, offers(...urls)), asked).not.toThrow();
  const refused = (asked: string, ...urls: string[]) => expect(() => checkEndpointPath(asked, offers(...urls)), asked).toThrow(EndpointPathError);

  it('takes the advertised path under any host name, letter case or trailing slash', () => {
    ok('opc.tcp://10.0.0.5:53530/OPCUA/SimulationServer', 'opc.tcp://plc-a:53530/OPCUA/SimulationServer'); // Prosys
    ok('opc.tcp://10.0.0.5:53530/opcua/simulationserver/', 'opc.tcp://plc-a:53530/OPCUA/SimulationServer');
    ok('opc.tcp://[::1]:4840/UA/Farm', 'opc.tcp://farm:4840/UA/Farm');
  });

  it('takes a URL without a path: whatever the server serves at that port (Siemens, KEPServerEX, open62541)', () => {
    ok('opc.tcp://192.168.0.1:4840', 'opc.tcp://192.168.0.1:4840');
    ok('opc.tcp://192.168.0.1:4840/', 'opc.tcp://plc:4840/UA/Server');
    ok('opc.tcp://kep:49320', 'opc.tcp://kep:49320');
  });

  it("takes the server's discovery URL, its endpoint's path + /discovery (Part 6 §7.6; Ignition documents its own so)", () => {
    ok('opc.tcp://gw:62541/discovery', 'opc.tcp://gw:62541');
    ok('opc.tcp://gw:4840/UA/Farm/discovery', 'opc.tcp://gw:4840/UA/Farm');
    refused('opc.tcp://gw:4840/UA/Other/discovery', 'opc.tcp://gw:4840/UA/Farm');
  });

  it('does not judge what it cannot parse: an IPv6 zone id, a server listing no URL it parses', () => {
    ok('opc.tcp://[fe80::1%eth0]:4840/UA/Farm', 'opc.tcp://farm:4840/UA/Other');
    ok('opc.tcp://farm:4840/UA/Farm');
  });

  it('refuses a path the server does not serve, naming what it offers', () => {
    refused('opc.tcp://plc:4840/wrong/path', 'opc.tcp://plc:4840/UA/Farm', 'opc.tcp://plc:4841/UA/Farm');
    expect(() => checkEndpointPath('opc.tcp://plc:4840/wrong', offers('opc.tcp://plc:4840/UA/Farm'))).toThrow('it offers opc.tcp://plc:4840/UA/Farm');
  });
});

describe('the path of an endpoint URL', () => {
  let dir: string;
  let plant: TestServer;
  let alias: TestServer;
  let t: TestStation;
  let wrongUrl: string;
  let aliasUrl: string;
  const vars: UAVariable[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-endpoint-path-'));
    const build = (ns: Parameters<Parameters<typeof startTestServer>[0]['build']>[0], as: Parameters<Parameters<typeof startTestServer>[0]['build']>[1]) => {
      const v = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
      v.setValueFromSource({ dataType: DataType.Double, value: 7.5 }, StatusCodes.Good, new Date());
      vars.push(v);
    };
    // Both serve /test (test-server.ts); the second advertises a host name the station does not use.
    plant = await startTestServer({ role: 'path-plant', dir, build });
    alias = await startTestServer({ role: 'path-alias', dir, hostname: 'plc-a.plant.invalid', build });
    wrongUrl = `opc.tcp://127.0.0.1:${plant.port}/wrong/path`;
    aliasUrl = `opc.tcp://127.0.0.1:${alias.port}/test`;
    t = await startTestStation({
      dir,
      yaml: `station: { name: EndpointPath, defaultCompression: { kind: none } }
servers:
  - id: wrong
    endpoint: "${wrongUrl}"
    samplingIntervalMs: 0
    publishingIntervalMs: 100
  - id: alias
    endpoint: "${aliasUrl}"
    samplingIntervalMs: 0
    publishingIntervalMs: 100
  - id: bare
    endpoint: "opc.tcp://127.0.0.1:${plant.port}"
    samplingIntervalMs: 0
    publishingIntervalMs: 100
areas: [{ id: A, name: A }]
tags:
  - { name: WrongLevel, server: wrong, nodeId: "ns=2;s=Level", kind: analog, area: A }
  - { name: AliasLevel, server: alias, nodeId: "ns=2;s=Level", kind: analog, area: A }
  - { name: BareLevel, server: bare, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
  }, 300_000);

  afterAll(async () => {
    await t?.stop();
    await plant?.stop();
    await alias?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const states = (id: string): ServerState[] => t.states.filter((s) => s.id === id);

  it('connects to a server that advertises another host name for the same path', async () => {
    expect(alias.endpoint).toBe(`opc.tcp://plc-a.plant.invalid:${alias.port}/test`);
    await until('the alias connected', () => states('alias').at(-1)?.state === 'connected', 120_000);
    await until('its value', () => t.station.live.get('AliasLevel')?.status === 0);
    expect(t.station.live.get('AliasLevel')?.value).toBe(7.5);
  }, 180_000);

  it('connects to a URL without a path (host and port only: whatever the server serves there)', async () => {
    await until('the bare URL connected', () => states('bare').at(-1)?.state === 'connected', 120_000);
    await until('its value', () => t.station.live.get('BareLevel')?.status === 0);
    expect(t.station.live.get('BareLevel')?.value).toBe(7.5);
  }, 180_000);

  it('refuses a wrong path, naming the URL asked for and the endpoints the server offers', async () => {
    // Several attempts: none of them may pass for a connection.
    const failures = () => t.logs.filter((l) => l.msg === 'connection failed' && l.server === 'wrong').length;
    await until('several failed attempts or a connection', () => failures() >= 3 || states('wrong').some((s) => s.state === 'connected'), 60_000);
    expect(states('wrong').map((s) => s.state)).not.toContain('connected');
    expect(t.station.live.get('WrongLevel')?.status).not.toBe(0);
    expect(t.samples.filter((s) => s.tag === 'WrongLevel' && s.status === 0)).toEqual([]);
    const error = states('wrong').at(-1)!.lastError!;
    expect(error).toContain(wrongUrl);
    expect(error).toContain(plant.endpoint); // opc.tcp://127.0.0.1:<port>/test, from the server's own setup
    const logged = t.logs.find((l) => l.msg === 'connection failed' && l.server === 'wrong')!;
    expect(logged.err).toBe(error);
    // The console's words come with it, the URLs as their parameters (the console parses no English).
    expect(states('wrong').at(-1)!.lastErrorText).toEqual({ key: 'acquisition.error.endpointPath', params: { url: wrongUrl, offered: expect.stringContaining(plant.endpoint) } });
  }, 120_000);
});
