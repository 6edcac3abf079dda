/**
 * A server certificate valid only from a future date, not yet trusted (a real node-opcua server):
 * the first refusal names its validity, not "trust it". node-opcua judges trust before dates, so
 * the station first said "not trusted: trust it under Tags → Certificates" and only after an
 * engineer trusted it "valid only from …": someone was sent to trust a certificate that still
 * could not work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, MessageSecurityMode, OPCUACertificateManager, OPCUAServer, SecurityPolicy } from 'node-opcua';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const DAY_MS = 86_400_000;

describe('a server certificate not valid yet', () => {
  let dir: string;
  let server: OPCUAServer;
  let t: TestStation;
  /** The certificate's start of validity, as given to it here (whole seconds: X.509 keeps no more). */
  const validFrom = new Date(Math.floor((Date.now() + 2 * DAY_MS) / 1000) * 1000);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-cert-future-'));
    const root = join(dir, 'future-pki');
    const cm = new OPCUACertificateManager({ rootFolder: root, automaticallyAcceptUnknownCertificate: true, disableFileWatchers: true });
    await cm.initialize();
    const certificate = join(root, 'own', 'certs', 'mine.pem');
    await cm.createSelfSignedCertificate({
      outputFile: certificate, subject: '/CN=future', applicationUri: 'urn:vigil:test:future', dns: ['localhost'], startDate: validFrom, validity: 365,
    });
    server = new OPCUAServer({
      port: 0, host: '127.0.0.1', hostname: '127.0.0.1', resourcePath: '/x', certificateFile: certificate,
      privateKeyFile: join(root, 'own', 'private', 'private_key.pem'), serverCertificateManager: cm, serverInfo: { applicationUri: 'urn:vigil:test:future' },
      securityModes: [MessageSecurityMode.None, MessageSecurityMode.SignAndEncrypt], securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
      disableDiscovery: true,
    });
    await server.initialize();
    const ns = server.engine.addressSpace!.registerNamespace('urn:vigil:test:plant');
    ns.addVariable({ organizedBy: server.engine.addressSpace!.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', value: { dataType: DataType.Double, value: 1 } });
    await server.start();
    // The station does not know the certificate: nobody trusted it yet.
    t = await startTestStation({ dir, yaml: `station: { name: F, defaultCompression: { kind: none } }
servers:
  - id: future
    endpoint: "${server.getEndpointUrl()}"
    security: { mode: SignAndEncrypt, policy: Basic256Sha256 }
areas: [{ id: A, name: A }]
tags:
  - { name: L1, server: future, nodeId: "ns=1;s=Level", kind: analog, area: A }
` });
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    await server?.shutdown(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('names its start of validity at the first refusal, never "trust it"', async () => {
    const refused = await until('the refusal', () => t.states.find((s) => s.lastErrorText !== null));
    expect(refused.lastErrorText).toMatchObject({ key: 'acquisition.error.certificateNotYetValid', params: { validFrom: validFrom.toISOString() } });
    expect(refused.lastError).toContain(`valid only from ${validFrom.toISOString()}`);
    expect(t.states.some((s) => /trust it/.test(s.lastError ?? '') || s.lastErrorText?.key === 'acquisition.error.certificateRefused')).toBe(false);
  }, 60_000);
});
