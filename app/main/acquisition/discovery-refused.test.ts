/**
 * A server that offers only Sign/SignAndEncrypt and refuses the unsecured channel that GetEndpoints
 * needs (node-opcua's disableDiscovery, as locked-down plant servers are set up): the station
 * cannot look its certificate up, so it is never listed for trust. Every attempt failed
 * "BadSecurityPolicyRejected" and nothing said what to do. Now the refusal says the server refuses
 * unsecured endpoint discovery and names the folder where its certificate goes; once the file is
 * there (README "Trusting a server certificate") the station connects with it directly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, MessageSecurityMode, OPCUACertificateManager, OPCUAServer, SecurityPolicy } from 'node-opcua';
import type { ServerState } from '../../shared/api.js';
import { Translator } from '../../shared/i18n/translate.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

describe('a server that refuses unsecured endpoint discovery', () => {
  let dir: string;
  let server: OPCUAServer;
  let certificate: string;
  let t: TestStation;
  const last = (): ServerState => t.states.at(-1)!;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-no-discovery-'));
    const root = join(dir, 'secure-only-pki');
    const cm = new OPCUACertificateManager({ rootFolder: root, automaticallyAcceptUnknownCertificate: true, disableFileWatchers: true });
    await cm.initialize();
    certificate = join(root, 'own', 'certs', 'mine.pem');
    await cm.createSelfSignedCertificate({
      outputFile: certificate, subject: '/CN=secure-only', applicationUri: 'urn:vigil:test:secure-only', dns: ['localhost'], ip: ['127.0.0.1'],
      startDate: new Date(Date.now() - 86_400_000), validity: 365,
    });
    server = new OPCUAServer({
      port: 0, host: '127.0.0.1', hostname: '127.0.0.1', resourcePath: '/x', certificateFile: certificate,
      privateKeyFile: join(root, 'own', 'private', 'private_key.pem'), serverCertificateManager: cm, serverInfo: { applicationUri: 'urn:vigil:test:secure-only' },
      securityModes: [MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt], securityPolicies: [SecurityPolicy.Basic256Sha256],
      disableDiscovery: true,
    });
    await server.initialize();
    const ns = server.engine.addressSpace!.registerNamespace('urn:vigil:test:plant');
    ns.addVariable({ organizedBy: server.engine.addressSpace!.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', value: { dataType: DataType.Double, value: 7.5 } });
    await server.start();
    t = await startTestStation({ dir, yaml: `station: { name: D, defaultCompression: { kind: none } }
servers:
  - id: locked
    endpoint: "${server.getEndpointUrl()}"
    security: { mode: SignAndEncrypt, policy: Basic256Sha256 }
areas: [{ id: A, name: A }]
tags:
  - { name: L1, server: locked, nodeId: "nsu=urn:vigil:test:plant;s=Level", kind: analog, area: A }
` });
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    await server?.shutdown(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('says the server refuses unsecured discovery and where its certificate goes; connects once it is there', async () => {
    const trusted = join(t.dataDir, 'pki', 'trusted', 'certs');
    const refused = await until('the refusal', () => t.states.find((s) => s.lastError !== null));
    expect(refused.lastErrorText).toMatchObject({ key: 'acquisition.error.discoveryRefused', params: { endpoint: server.getEndpointUrl(), trusted } });
    expect(refused.lastError).toContain('refuses unsecured endpoint discovery');
    expect(refused.lastError).toContain(trusted);
    expect(new Translator('en').t(refused.lastErrorText!.key, refused.lastErrorText!.params)).toContain(trusted);
    expect(last().state).not.toBe('connected');

    // The server's administrator hands over its certificate; it is put where the message said.
    copyFileSync(certificate, join(trusted, 'secure-only.pem'));
    await until('connected', () => last().state === 'connected', 60_000);
    expect(last().security).toMatchObject({ mode: 'SignAndEncrypt', policy: 'Basic256Sha256' });
    await until('a good value', () => t.station.live.get('L1')?.status === 0);
    expect(t.station.live.get('L1')?.value).toBe(7.5);
  }, 120_000);
});
