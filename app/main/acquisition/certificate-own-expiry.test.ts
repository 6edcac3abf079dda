/**
 * Vigil's own application certificate nearing its end while the station runs: warned of 30 days
 * ahead (at start, then once a day) and its end logged as an error when it comes. Before, nothing
 * was said until every server refused the station at its next connection (a server's certificate
 * was warned of; the station's own, on which every connection depends, was not).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPCUACertificateManager } from 'node-opcua';
import { convertPEMtoDER, exploreCertificate, makeSHA1Thumbprint } from 'node-opcua-crypto';
import { createLogger } from '../log.js';
import { StationPki } from './pki.js';
import { until } from './testing/harness.js';

const DAY = 86_400_000;

describe('Vigil\'s own certificate nearing its end', () => {
  let dir: string;
  let run = 0;
  const open: StationPki[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-own-expiry-'));
  });

  afterAll(async () => {
    await Promise.all(open.map((p) => p.dispose()));
    rmSync(dir, { recursive: true, force: true });
  });

  /** A PKI whose own certificate (made by node-opcua, as the station's is) runs from `start` for `days`. */
  async function pkiWith(start: Date, days: number) {
    const root = join(dir, `pki-${++run}`);
    const file = join(root, 'own', 'certs', 'client_certificate.pem');
    mkdirSync(join(root, 'own', 'certs'), { recursive: true });
    const cm = new OPCUACertificateManager({ rootFolder: root, disableFileWatchers: true });
    await cm.initialize();
    await cm.createSelfSignedCertificate({ outputFile: file, subject: '/CN=Vigil', applicationUri: 'urn:test:Vigil', dns: ['localhost'], startDate: start, validity: days });
    await cm.dispose();
    const der = convertPEMtoDER(readFileSync(file, 'utf8'));
    const logs: Record<string, unknown>[] = [];
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) } });
    const pki = new StationPki(root, logger);
    open.push(pki);
    return { pki, file, logs, thumbprint: makeSHA1Thumbprint(der).toString('hex'), notAfter: exploreCertificate(der).tbsCertificate.validity.notAfter };
  }

  it('warns at start of a certificate ending within 30 days, with its thumbprint, file, end and days left', async () => {
    const own = await pkiWith(new Date(Date.now() - 355 * DAY), 365);
    await own.pki.initialize();
    const warned = await until('the warning', () => own.logs.find((l) => l.thumbprint === own.thumbprint && /own certificate expires soon/.test(String(l.msg))));
    // Ten days less the time since it was made: nine whole days.
    expect(warned).toMatchObject({ level: 40, file: own.file, validTo: own.notAfter.toISOString(), days: Math.floor((own.notAfter.getTime() - Number(warned.time)) / DAY) });
    expect(warned.days).toBe(9);
    expect(own.pki.ownStatus()).toMatchObject({ thumbprint: own.thumbprint, file: own.file, validTo: own.notAfter.getTime(), daysLeft: 9 });
  });

  it('logs its end as an error when it comes, once', async () => {
    // Ends a few seconds from now (node-opcua dates certificates by whole days from the start given).
    const own = await pkiWith(new Date(Date.now() + 4000 - DAY), 1);
    await own.pki.initialize();
    await until('the warning', () => own.logs.find((l) => l.level === 40 && l.thumbprint === own.thumbprint));
    const ended = await until('its end', () => own.logs.find((l) => l.level === 50 && l.thumbprint === own.thumbprint && /own certificate has ended/.test(String(l.msg))));
    expect(Number(ended.time)).toBeGreaterThanOrEqual(own.notAfter.getTime());
    expect(own.logs.filter((l) => l.level === 50)).toHaveLength(1);
    expect(own.pki.ownStatus()?.daysLeft).toBe(0);
  });

  it('says nothing of a certificate with more than 30 days left', async () => {
    const own = await pkiWith(new Date(Date.now() - DAY), 365);
    await own.pki.initialize();
    expect(own.pki.ownStatus()).toMatchObject({ thumbprint: own.thumbprint, daysLeft: null });
    expect(own.logs.filter((l) => Number(l.level) >= 40)).toEqual([]);
  });
});
