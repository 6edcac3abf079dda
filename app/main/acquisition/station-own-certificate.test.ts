/**
 * The station's own application certificate (<data>/pki/own/certs/client_certificate.pem) against
 * a real node-opcua server that checks client certificates (strict) and whose administrator trusted
 * it, replaced between restarts by one of the same key:
 * - ending in ten days: the connection works, and the station says so now, in its log and on
 *   Tags → Certificates (certificates.own), not at the refusal weeks later;
 * - expired: the server refuses it for its dates (BadCertificateTimeInvalid), and the station says
 *   its own certificate expired, when, and what to do. Before, the refusal came through as
 *   node-opcua's raw text, or as "the administrator must trust Vigil's certificate", which would
 *   not help.
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

describe('the station\'s own certificate, replaced at a restart', () => {
  let dir: string;
  let srv: RenewableServer;
  let t: TestStation;
  let yaml: string;
  const last = (): ServerState | undefined => t.states.filter((s) => s.id === 'plc').at(-1);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-own-certificate-'));
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
    // A first start makes the station's PKI; each case replaces its certificate.
    t = await startTestStation({ dir, yaml });
    await until('refused by the server', () => last()?.lastErrorText?.key === 'acquisition.error.stationRefused');
    await t.stop();
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    await srv?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Vigil's certificate replaced by one of the same key valid from `fromDays` ago for `validityDays`, trusted by the server's administrator; the station started again. */
  async function restartWithOwn(fromDays: number, validityDays: number) {
    await t.stop();
    const file = join(t.dataDir, 'pki', 'own', 'certs', 'client_certificate.pem');
    const cm = new OPCUACertificateManager({ rootFolder: join(t.dataDir, 'pki'), disableFileWatchers: true });
    await cm.initialize();
    unlinkSync(file);
    await cm.createSelfSignedCertificate({
      outputFile: file, subject: '/CN=Vigil', applicationUri: `urn:${hostname()}:Vigil`, dns: [hostname()], startDate: new Date(Date.now() - fromDays * DAY), validity: validityDays,
    });
    await cm.dispose();
    const der = convertPEMtoDER(readFileSync(file, 'utf8'));
    await srv.trustClient(der);
    t = await startTestStation({ dir, yaml, dataDir: t.dataDir });
    return { file, thumbprint: makeSHA1Thumbprint(der).toString('hex'), validTo: exploreCertificate(der).tbsCertificate.validity.notAfter };
  }

  it('ending in ten days: connects, and warns of the end in the log and in certificates.own', async () => {
    const { file, thumbprint, validTo } = await restartWithOwn(355, 365);
    await until('connected', () => last()?.state === 'connected');
    await until('a good value', () => t.samples.some((s) => s.status === StatusCodes.Good.value));
    const warned = await until('the warning', () => t.logs.find((l) => l.thumbprint === thumbprint && /own certificate expires soon/.test(String(l.msg))));
    expect(warned).toMatchObject({ file, validTo: validTo.toISOString(), days: 9 });
    const res = await t.call('certificates.own', {}, null);
    expect(res).toMatchObject({ ok: true, result: { thumbprint, file, validTo: validTo.getTime(), daysLeft: 9 } });
  }, 120_000);

  it('expired ten days ago: says Vigil\'s certificate expired, with its end, rather than to trust it', async () => {
    const { file, thumbprint, validTo } = await restartWithOwn(40, 30);
    const refused = await until('the refusal', () => t.states.find((s) => s.id === 'plc' && s.lastError !== null));
    expect(refused.lastErrorText).toMatchObject({
      key: 'acquisition.error.stationCertificateExpired',
      params: { endpoint: srv.endpoint, thumbprint, file, validTo: validTo.toISOString(), expired: 'yes' },
    });
    expect(refused.lastError).toContain(`expired on ${validTo.toISOString()}`);
    expect(last()?.state).not.toBe('connected');
  }, 120_000);
});
