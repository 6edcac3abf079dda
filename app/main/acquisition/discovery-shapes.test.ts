/**
 * Discovery as servers written by others answer it (GetEndpoints, Part 4 §5.4.4):
 * - a server that advertises a host the station cannot resolve (a PLC's own machine name,
 *   `opc.tcp://PLC-7F3A:4840`, or an internal address behind NAT): it connects, unsecured and
 *   SignAndEncrypt, to the host configured, and the log says once (not at each reconnection) which
 *   host the server advertises;
 * - a server that offers secured endpoints only (its unsecured channel serves discovery alone, as
 *   S7-1500 and KEPServerEX set up for production do): SignAndEncrypt connects; a station set to
 *   None is told what the server offers, in the console's words;
 * - a server whose GetEndpoints lists endpoints of several paths at one port (a gateway, an SDK
 *   server hosting several): the endpoint of the path configured is the one used (its certificate
 *   checked, its identity tokens), not the first of the same security in the list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, EndpointDescription, StatusCodes, UserTokenPolicy, UserTokenType, type AddressSpace, type Namespace } from 'node-opcua';
import { makeSHA1Thumbprint } from 'node-opcua-crypto';
import type { ServerState } from '../../shared/api.js';
import { Translator } from '../../shared/i18n/translate.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { otherHosts } from './session.js';
import { startProxy, type TestProxy } from './testing/proxy.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const thumbprint = (der: Buffer) => makeSHA1Thumbprint(der).toString('hex');

const level = (value: number) => (ns: Namespace, as: AddressSpace) => {
  const v = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
  v.setValueFromSource({ dataType: DataType.Double, value }, StatusCodes.Good, new Date());
};

describe('which hosts a server advertises (otherHosts)', () => {
  const offers = (...urls: string[]) => urls.map((endpointUrl) => ({ endpointUrl }) as Parameters<typeof otherHosts>[1][number]);

  it('names the URLs at the path asked for when none has the configured host and port', () => {
    expect(otherHosts('opc.tcp://10.1.2.3:4840', offers('opc.tcp://PLC-7F3A:4840'))).toEqual(['opc.tcp://PLC-7F3A:4840']); // S7-1500
    expect(otherHosts('opc.tcp://plc.site:4840/UA/Farm', offers('opc.tcp://192.168.250.17:4840/UA/Farm', 'opc.tcp://192.168.250.17:4840/UA/Other')))
      .toEqual(['opc.tcp://192.168.250.17:4840/UA/Farm']); // an internal address behind NAT
    expect(otherHosts('opc.tcp://gw:4841/UA/Farm', offers('opc.tcp://gw:4840/UA/Farm'))).toEqual(['opc.tcp://gw:4840/UA/Farm']); // a port forwarded
  });

  it('says nothing when one of them has the configured host, letter case aside, or when it cannot tell', () => {
    expect(otherHosts('opc.tcp://plc-7f3a:4840', offers('opc.tcp://PLC-7F3A:4840', 'opc.tcp://10.1.2.3:4840'))).toEqual([]);
    expect(otherHosts('opc.tcp://kep:49320', offers('opc.tcp://kep:49320'))).toEqual([]);
    expect(otherHosts('opc.tcp://[fe80::1%eth0]:4840', offers('opc.tcp://plc:4840'))).toEqual([]);
  });
});

describe('discovery as real servers answer it', () => {
  let dir: string;
  let plc: TestServer;
  let locked: TestServer;
  let gateway: TestServer;
  let proxy: TestProxy;
  let t: TestStation;
  const states = (id: string): ServerState[] => t.states.filter((s) => s.id === id);
  const last = (id: string): ServerState | undefined => states(id).at(-1);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-discovery-shapes-'));
    // Its machine name, which the station's DNS does not know.
    plc = await startTestServer({ role: 'plc-named', dir, hostname: 'PLC-7F3A', build: level(1.5) });
    locked = await startTestServer({ role: 'secured-only', dir, securedOnly: true, build: level(2.5) });
    gateway = await startTestServer({ role: 'gateway', dir, hostname: 'GW-01', build: level(3.5) });
    // The gateway's GetEndpoints lists first, at another path, the endpoints of another server it
    // hosts: another certificate (the PLC's) and user names only. Its sessions are its own.
    const server = gateway.server as unknown as { _on_GetEndpointsRequest(...args: unknown[]): void };
    const answer = server._on_GetEndpointsRequest.bind(server);
    const own = gateway.server.findMatchingEndpoints.bind(gateway.server);
    let listing = false;
    server._on_GetEndpointsRequest = (...args) => {
      listing = true;
      try {
        answer(...args);
      } finally {
        listing = false;
      }
    };
    gateway.server.findMatchingEndpoints = (url?: string | null) => {
      const real = own(url);
      if (!listing) return real;
      const hosted = real.map((e) => new EndpointDescription({
        ...e, endpointUrl: e.endpointUrl!.replace(/\/test$/, '/hosted/line2'), serverCertificate: plc.certificate,
        userIdentityTokens: [new UserTokenPolicy({ policyId: 'hosted_user', tokenType: UserTokenType.UserName, securityPolicyUri: e.securityPolicyUri })],
      }));
      return [...hosted, ...real];
    };
    proxy = await startProxy(plc.port);
    t = await startTestStation({
      dir,
      yaml: `station: { name: Discovery, defaultCompression: { kind: none } }
servers:
  - id: open
    endpoint: "opc.tcp://127.0.0.1:${proxy.port}/test"
    publishingIntervalMs: 100
  - id: secured
    endpoint: "opc.tcp://127.0.0.1:${plc.port}/test"
    security: { mode: SignAndEncrypt, policy: Basic256Sha256 }
    publishingIntervalMs: 100
  - id: lockedSecure
    endpoint: "opc.tcp://127.0.0.1:${locked.port}/test"
    security: { mode: SignAndEncrypt, policy: Basic256Sha256 }
    publishingIntervalMs: 100
  - id: lockedOpen
    endpoint: "opc.tcp://127.0.0.1:${locked.port}/test"
    publishingIntervalMs: 100
  - id: gateway
    endpoint: "opc.tcp://127.0.0.1:${gateway.port}/test"
    security: { mode: SignAndEncrypt, policy: Basic256Sha256 }
    publishingIntervalMs: 100
areas: [{ id: A, name: A }]
tags:
  - { name: OpenLevel, server: open, nodeId: "ns=2;s=Level", kind: analog, area: A }
  - { name: SecuredLevel, server: secured, nodeId: "ns=2;s=Level", kind: analog, area: A }
  - { name: LockedLevel, server: lockedSecure, nodeId: "ns=2;s=Level", kind: analog, area: A }
  - { name: LockedOpenLevel, server: lockedOpen, nodeId: "ns=2;s=Level", kind: analog, area: A }
  - { name: GatewayLevel, server: gateway, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
  }, 300_000);

  afterAll(async () => {
    await t?.stop();
    proxy?.close();
    await plc?.stop();
    await locked?.stop();
    await gateway?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** An engineer trusts the certificate the station refused (Tags → Certificates). */
  const trustWhenRefused = async (id: string, certificate: Buffer) => {
    const refused = await until(`${id}'s certificate refused`, () => states(id).find((s) => s.lastErrorText?.key === 'acquisition.error.certificateRefused'), 60_000)
      .catch((err: Error) => Promise.reject(new Error(`${err.message}; last error: ${last(id)?.lastError}`)));
    // The certificate of the server at the path configured, not another one the same port lists.
    expect(refused.lastErrorText!.params).toMatchObject({ thumbprint: thumbprint(certificate) });
    expect(await t.call('certificates.trust', { thumbprint: thumbprint(certificate) }, 'engineer')).toMatchObject({ ok: true });
  };

  it('connects unsecured to a server advertising a host name the station cannot resolve, and says once which host it advertises', async () => {
    expect(plc.endpoint).toBe(`opc.tcp://PLC-7F3A:${plc.port}/test`);
    await until('open connected', () => last('open')?.state === 'connected', 60_000);
    await until('its value', () => t.station.live.get('OpenLevel')?.status === 0);
    expect(t.station.live.get('OpenLevel')?.value).toBe(1.5);
    const told = () => t.logs.filter((l) => l.server === 'open' && String(l.msg).startsWith('the server advertises another host than the one configured'));
    await until('the other host said', () => told().length === 1);
    expect(told()[0]).toMatchObject({ endpoint: `opc.tcp://127.0.0.1:${proxy.port}/test`, advertised: [plc.endpoint] });

    // The cable pulled and put back: a reconnection says it no more.
    const connections = () => states('open').filter((s) => s.state === 'connected').length;
    const before = connections();
    proxy.cut();
    await until('open lost', () => last('open')?.state === 'lost', 60_000);
    proxy.restore();
    await until('open connected again', () => connections() > before && last('open')?.state === 'connected', 60_000);
    expect(told()).toHaveLength(1);
  }, 300_000);

  it('connects SignAndEncrypt/Basic256Sha256 to the same server at the host configured', async () => {
    await trustWhenRefused('secured', plc.certificate);
    await until('secured connected', () => last('secured')?.state === 'connected', 60_000);
    expect(last('secured')!.security).toMatchObject({ mode: 'SignAndEncrypt', policy: 'Basic256Sha256' });
    await until('its value', () => t.station.live.get('SecuredLevel')?.status === 0);
    expect(t.station.live.get('SecuredLevel')?.value).toBe(1.5);
  }, 300_000);

  it('connects SignAndEncrypt to a server offering secured endpoints only', async () => {
    await trustWhenRefused('lockedSecure', locked.certificate);
    await until('lockedSecure connected', () => last('lockedSecure')?.state === 'connected', 60_000);
    await until('its value', () => t.station.live.get('LockedLevel')?.status === 0);
    expect(t.station.live.get('LockedLevel')?.value).toBe(2.5);
  }, 300_000);

  it('tells a station set to None what a secured-only server offers, in the console’s words', async () => {
    const failed = await until('lockedOpen refused', () => states('lockedOpen').find((s) => s.lastErrorText), 60_000);
    expect(failed.lastErrorText).toMatchObject({ key: 'acquisition.error.securityNotOffered', params: { asked: 'None/None' } });
    const offered = String(failed.lastErrorText!.params!.offered);
    // What the server was built with (test-server.ts securedOnly), no None among them.
    for (const mode of ['Sign', 'SignAndEncrypt']) expect(offered).toContain(`${mode}/Basic256Sha256`);
    expect(offered).not.toContain('None');
    for (const lang of ['en', 'ru', 'zh'] as const) {
      const words = new Translator(lang).t(failed.lastErrorText!.key, failed.lastErrorText!.params);
      expect(words).toContain('SignAndEncrypt/Basic256Sha256');
      expect(words).not.toContain('{');
    }
    expect(states('lockedOpen').map((s) => s.state)).not.toContain('connected');
  }, 180_000);

  it('uses the endpoint of the path configured when the server lists several paths', async () => {
    await trustWhenRefused('gateway', gateway.certificate);
    await until('gateway connected', () => last('gateway')?.state === 'connected', 60_000);
    await until('its value', () => t.station.live.get('GatewayLevel')?.status === 0);
    expect(t.station.live.get('GatewayLevel')?.value).toBe(3.5);
  }, 300_000);
});
