/**
 * A real node-opcua server whose certificate a site intermediate CA issued (openssl), the station
 * with the root trusted: what the refusal says for a broken chain. node-opcua answers with one
 * status (BadCertificateRevoked, BadCertificateUntrusted, ...); before, the station turned each into
 * "trust it under Tags → Certificates", which does not help a revoked certificate (not even listed
 * there) and hides that the intermediate CA is what to trust.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, MessageSecurityMode, OPCUACertificateManager, OPCUAServer, SecurityPolicy } from 'node-opcua';
import { convertPEMtoDER, makeSHA1Thumbprint } from 'node-opcua-crypto';
import type { ServerState } from '../../shared/api.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';
import { makeTestCa, type TestCa } from './certificate-test-ca.js';

const yaml = (endpoint: string) => `station: { name: Chain, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: ${endpoint}
    security: { mode: SignAndEncrypt, policy: Basic256Sha256 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=1;s=Level", kind: analog, area: A }
`;

describe('a server certificate issued through an intermediate CA, against a real server', () => {
  let dir: string;
  let ca: TestCa;
  let server: OPCUAServer;
  let endpoint: string;
  let thumbprint: string;
  let t: TestStation | undefined;
  let run = 0;
  const crl: Record<string, string> = {};
  const refusal = (): ServerState | undefined => t!.states.find((s) => s.id === 'plc' && s.lastErrorText !== null);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-chain-srv-'));
    ca = makeTestCa(dir);
    ca.root('root', 'Site Root');
    ca.issue('int', 'Site Intermediate', 'root');
    ca.issue('plc', 'PLC 1', 'int', { uri: 'urn:vigil:test:chain-plc' });
    crl.root = ca.crl('root', 'root.crl');
    crl.int = ca.crl('int', 'int.crl');
    ca.revoke('plc', 'int');
    crl.intRevoked = ca.crl('int', 'int-revoked.crl');
    thumbprint = makeSHA1Thumbprint(convertPEMtoDER(readFileSync(ca.file('plc'), 'utf8'))).toString('hex');
    server = new OPCUAServer({
      port: 0, host: '127.0.0.1', hostname: '127.0.0.1', resourcePath: '/chain',
      certificateFile: ca.file('plc'), privateKeyFile: join(dir, 'plc.key'),
      serverCertificateManager: new OPCUACertificateManager({ rootFolder: join(dir, 'server-pki'), automaticallyAcceptUnknownCertificate: true, disableFileWatchers: true }),
      serverInfo: { applicationUri: 'urn:vigil:test:chain-plc' },
      securityModes: [MessageSecurityMode.None, MessageSecurityMode.SignAndEncrypt], securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
      disableDiscovery: true,
    });
    await server.initialize();
    const ns = server.engine.addressSpace!.registerNamespace('urn:vigil:test:plant');
    ns.addVariable({ organizedBy: server.engine.addressSpace!.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', value: { dataType: DataType.Double, value: 7.5 } });
    await server.start();
    endpoint = server.getEndpointUrl();
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    await server?.shutdown(0);
    rmSync(dir, { recursive: true, force: true });
  });

  async function station(files: Record<string, string>): Promise<TestStation> {
    await t?.stop();
    const data = join(dir, `data-${++run}`);
    for (const [to, from] of Object.entries(files)) {
      mkdirSync(join(data, 'pki', to, '..'), { recursive: true });
      copyFileSync(from, join(data, 'pki', to));
    }
    mkdirSync(join(dir, `run-${run}`));
    t = await startTestStation({ dir: join(dir, `run-${run}`), dataDir: data, yaml: yaml(endpoint) });
    return t;
  }

  it('the intermediate among the issuers, the root trusted: says to trust the intermediate CA, naming both', async () => {
    await station({
      'trusted/certs/root.pem': ca.file('root'), 'trusted/crl/root.crl': crl.root!, 'issuers/certs/int.pem': ca.file('int'), 'issuers/crl/int.crl': crl.int!,
    });
    const refused = await until('the refusal', refusal);
    expect(refused.lastErrorText).toMatchObject({ key: 'acquisition.error.issuerNotTrusted', params: { thumbprint, ca: 'Site Intermediate', root: 'Site Root', status: 'BadCertificateUntrusted' } });
    expect(refused.lastError).toContain('Site Intermediate');
  }, 120_000);

  it('a certificate its CA revoked: says revoked, by whom, not "trust it"', async () => {
    await station({
      'trusted/certs/root.pem': ca.file('root'), 'trusted/crl/root.crl': crl.root!, 'trusted/certs/int.pem': ca.file('int'), 'trusted/crl/int.crl': crl.intRevoked!,
    });
    const refused = await until('the refusal', refusal);
    expect(refused.lastErrorText).toMatchObject({ key: 'acquisition.error.certificateRevoked', params: { thumbprint, issuer: 'Site Intermediate', status: 'BadCertificateRevoked' } });
    expect(refused.lastError).not.toContain('Tags → Certificates');
    expect(t!.states.map((s) => s.state)).not.toContain('connected');
  }, 120_000);
});
