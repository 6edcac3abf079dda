/**
 * The station connected to a real node-opcua server that checks client certificates (strict), with
 * Vigil's own certificate ending in ten days: the connection works, and the station says so now,
 * in its log and on Tags → Certificates (certificates.own), not at the refusal weeks later.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPCUACertificateManager, StatusCodes } from 'node-opcua';
import { convertPEMtoDER, exploreCertificate, makeSHA1Thumbprint } from 'node-opcua-crypto';
import type { ServerState } from '../../shared/api.js';
import { renewableServer, type RenewableServer } from './testing/renewable-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const DAY = 86_400_000;

describe('the station\'s own certificate ending in ten days, against a real server', () => {
  let dir: string;
  let srv: RenewableServer;
  let t: TestStation;
  let yaml: string;
  const last = (): ServerState | undefined => t.states.filter((s) => s.id === 'plc').at(-1);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-own-ending-'));
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
    // A first start makes the station's PKI; its certificate is then replaced by one ending in ten days.
    t = await startTestStation({ dir, yaml });
    await until('refused by the server', () => last()?.lastErrorText?.key === 'acquisition.error.stationRefused');
    await t.stop();
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    await srv?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects, and warns of the end in the log and in certificates.own', async () => {
    const file = join(t.dataDir, 'pki', 'own', 'certs', 'client_certificate.pem');
    const cm = new OPCUACertificateManager({ rootFolder: join(t.dataDir, 'pki'), disableFileWatchers: true });
    await cm.initialize();
    unlinkSync(file);
    await cm.createSelfSignedCertificate({
      outputFile: file, subject: '/CN=Vigil', applicationUri: `urn:${hostname()}:Vigil`, dns: [hostname()], startDate: new Date(Date.now() - 355 * DAY), validity: 365,
    });
    await cm.dispose();
    const der = convertPEMtoDER(readFileSync(file, 'utf8'));
    await srv.trustClient(der);
    const thumbprint = makeSHA1Thumbprint(der).toString('hex');
    const validTo = exploreCertificate(der).tbsCertificate.validity.notAfter;

    t = await startTestStation({ dir, yaml, dataDir: t.dataDir });
    await until('connected', () => last()?.state === 'connected');
    await until('a good value', () => t.samples.some((s) => s.status === StatusCodes.Good.value));
    const warned = await until('the warning', () => t.logs.find((l) => l.thumbprint === thumbprint && /own certificate expires soon/.test(String(l.msg))));
    expect(warned).toMatchObject({ file, validTo: validTo.toISOString(), days: 9 });
    const res = await t.call('certificates.own', {}, null);
    expect(res).toMatchObject({ ok: true, result: { thumbprint, file, validTo: validTo.getTime(), daysLeft: 9 } });
  }, 120_000);
});
