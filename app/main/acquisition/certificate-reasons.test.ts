/**
 * Why a secured connection fails, worded for what an engineer can do (real node-opcua servers):
 * an expired server certificate is refused BadCertificateTimeInvalid though trusted (Part 4
 * §6.1.3: validity is checked whatever the trust), so "trust it" would be wrong: the server needs a
 * new one; a server that does not trust Vigil's certificate fails the OpenSecureChannel
 * (BadSecurityChecksFailed, Part 6 §6.7.4): only its administrator can help, with Vigil's
 * certificate, whose thumbprint and file the message gives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, MessageSecurityMode, OPCUACertificateManager, OPCUAServer, SecurityPolicy } from 'node-opcua';
import { convertPEMtoDER, makeSHA1Thumbprint } from 'node-opcua-crypto';
import type { ServerState } from '../../shared/api.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const EXPIRED_FROM = new Date('2025-01-01T00:00:00Z');

async function server(dir: string, name: string, opts: { expired?: boolean; strict?: boolean }): Promise<{ server: OPCUAServer; certificate: string }> {
  const root = join(dir, `${name}-pki`);
  const cm = new OPCUACertificateManager({ rootFolder: root, automaticallyAcceptUnknownCertificate: !opts.strict, disableFileWatchers: true });
  await cm.initialize();
  const certificate = join(root, 'own', 'certs', 'mine.pem');
  await cm.createSelfSignedCertificate({
    outputFile: certificate, subject: `/CN=${name}`, applicationUri: `urn:vigil:test:${name}`, dns: ['localhost'],
    startDate: opts.expired ? EXPIRED_FROM : new Date(Date.now() - 86_400_000), validity: opts.expired ? 30 : 365,
  });
  const s = new OPCUAServer({
    port: 0, host: '127.0.0.1', hostname: '127.0.0.1', resourcePath: '/x', certificateFile: certificate,
    privateKeyFile: join(root, 'own', 'private', 'private_key.pem'), serverCertificateManager: cm, serverInfo: { applicationUri: `urn:vigil:test:${name}` },
    securityModes: [MessageSecurityMode.None, MessageSecurityMode.SignAndEncrypt], securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
    disableDiscovery: true,
  });
  await s.initialize();
  const ns = s.engine.addressSpace!.registerNamespace('urn:vigil:test:plant');
  ns.addVariable({ organizedBy: s.engine.addressSpace!.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', value: { dataType: DataType.Double, value: 1 } });
  await s.start();
  return { server: s, certificate };
}

describe('why a secured connection fails', () => {
  let dir: string;
  let expired: Awaited<ReturnType<typeof server>>;
  let strict: Awaited<ReturnType<typeof server>>;
  let t: TestStation;
  const last = (id: string): ServerState | undefined => t.states.filter((s) => s.id === id).at(-1);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-cert-reasons-'));
    expired = await server(dir, 'expired', { expired: true });
    strict = await server(dir, 'strict', { strict: true });
    // Both server certificates trusted by the station (as an engineer would from the console).
    const trusted = join(dir, 'data', 'pki', 'trusted', 'certs');
    mkdirSync(trusted, { recursive: true });
    writeFileSync(join(trusted, 'expired.pem'), readFileSync(expired.certificate));
    writeFileSync(join(trusted, 'strict.pem'), readFileSync(strict.certificate));
    t = await startTestStation({ dir, yaml: `station: { name: C, defaultCompression: { kind: none } }
servers:
  - id: old
    endpoint: "${expired.server.getEndpointUrl()}"
    security: { mode: SignAndEncrypt, policy: Basic256Sha256 }
  - id: strict
    endpoint: "${strict.server.getEndpointUrl()}"
    security: { mode: SignAndEncrypt, policy: Basic256Sha256 }
areas: [{ id: A, name: A }]
tags:
  - { name: L1, server: old, nodeId: "ns=1;s=Level", kind: analog, area: A }
  - { name: L2, server: strict, nodeId: "ns=1;s=Level", kind: analog, area: A }
` });
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    await expired?.server.shutdown(0);
    await strict?.server.shutdown(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('says a trusted server certificate expired, and when, rather than to trust it', async () => {
    const refused = await until('the refusal', () => t.states.find((s) => s.id === 'old' && /BadCertificateTimeInvalid/.test(s.lastError ?? '')));
    // 30 days from the start date given to the certificate.
    const validTo = new Date(EXPIRED_FROM.getTime() + 30 * 86_400_000).toISOString();
    expect(refused.lastErrorText).toMatchObject({ key: 'acquisition.error.certificateExpired', params: { validTo } });
    expect(refused.lastError).toContain(`expired on ${validTo}`);
    expect(refused.lastError).not.toMatch(/trust it/);
    expect(last('old')?.state).not.toBe('connected');
  }, 60_000);

  it('says the server refused Vigil’s certificate, with its thumbprint and file', async () => {
    const refused = await until('the refusal', () => t.states.find((s) => s.id === 'strict' && s.lastErrorText?.key === 'acquisition.error.stationRefused'));
    const file = join(t.dataDir, 'pki', 'own', 'certs', 'client_certificate.pem');
    const thumbprint = makeSHA1Thumbprint(convertPEMtoDER(readFileSync(file, 'utf8'))).toString('hex');
    expect(refused.lastErrorText).toMatchObject({ params: { status: 'BadSecurityChecksFailed', thumbprint, file } });
    expect(refused.lastError).toContain(thumbprint);
    // The server holds what it refused: Vigil's certificate, with that thumbprint (its own account of it).
    const onServer = join(dir, 'strict-pki', 'rejected');
    const rejectedThere = readdirSync(onServer).map((f) => makeSHA1Thumbprint(convertPEMtoDER(readFileSync(join(onServer, f), 'utf8'))).toString('hex'));
    expect(rejectedThere).toContain(thumbprint);
  }, 60_000);
});
