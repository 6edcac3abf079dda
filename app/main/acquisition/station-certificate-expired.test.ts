/**
 * The station's own application certificate (<data>/pki/own/certs/client_certificate.pem) expired
 * at a restart, against a real node-opcua server whose administrator had trusted it: the server
 * refuses it for its dates (BadCertificateTimeInvalid), and the station says its own certificate
 * expired, when, and what to do. Before, the refusal came through as node-opcua's raw text, or
 * as "the administrator must trust Vigil's certificate", which would not help.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPCUACertificateManager } from 'node-opcua';
import { convertPEMtoDER, exploreCertificate, makeSHA1Thumbprint } from 'node-opcua-crypto';
import type { ServerState } from '../../shared/api.js';
import { renewableServer, type RenewableServer } from './testing/renewable-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const DAY = 86_400_000;

describe('the station\'s own certificate expired at a restart', () => {
  let dir: string;
  let srv: RenewableServer;
  let t: TestStation;
  let yaml: string;
  const last = (): ServerState | undefined => t.states.filter((s) => s.id === 'plc').at(-1);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-own-expired-'));
    srv = await renewableServer(dir, { strict: true });
    const own = await srv.makeCertificate({ name: 'srv', startDate: new Date(Date.now() - DAY), validityDays: 100 });
    await srv.start(own.file);
    const trusted = join(dir, 'data', 'pki', 'trusted', 'certs');
    mkdirSync(trusted, { recursive: true });
    copyFileSync(own.file, join(trusted, 'srv.pem'));
    yaml = `station: { name: O, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${srv.endpoint}"
    security: { mode: Sign, policy: Basic256Sha256 }
areas: [{ id: A, name: A }]
tags:
  - { name: L1, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`;
    // The first start makes the station's certificate; the server does not know it yet.
    t = await startTestStation({ dir, yaml });
    await until('refused by the server', () => last()?.lastErrorText?.key === 'acquisition.error.stationRefused');
    await t.stop();
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    await srv?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says Vigil\'s certificate expired, with its end, rather than to trust it', async () => {
    // The certificate replaced by one of the same key that ended ten days ago, which the server's administrator had trusted.
    const file = join(t.dataDir, 'pki', 'own', 'certs', 'client_certificate.pem');
    const cm = new OPCUACertificateManager({ rootFolder: join(t.dataDir, 'pki'), disableFileWatchers: true });
    await cm.initialize();
    unlinkSync(file);
    await cm.createSelfSignedCertificate({
      outputFile: file, subject: '/CN=Vigil', applicationUri: `urn:${hostname()}:Vigil`, dns: [hostname()], startDate: new Date(Date.now() - 40 * DAY), validity: 30,
    });
    await cm.dispose();
    const der = convertPEMtoDER(readFileSync(file, 'utf8'));
    await srv.trustClient(der);
    const thumbprint = makeSHA1Thumbprint(der).toString('hex');
    const validTo = exploreCertificate(der).tbsCertificate.validity.notAfter.toISOString();

    t = await startTestStation({ dir, yaml, dataDir: t.dataDir });
    const refused = await until('the refusal', () => t.states.find((s) => s.id === 'plc' && s.lastError !== null));
    expect(refused.lastErrorText).toMatchObject({
      key: 'acquisition.error.stationCertificateExpired',
      params: { endpoint: srv.endpoint, thumbprint, file, validTo, expired: 'yes' },
    });
    expect(refused.lastError).toContain(`expired on ${validTo}`);
    expect(last()?.state).not.toBe('connected');
  }, 120_000);
});
