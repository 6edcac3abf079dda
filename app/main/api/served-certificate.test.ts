/**
 * The certificate browser mode serves over HTTPS, checked at start: certificates made here by openssl
 * (weak key, SHA-1 signature, short validity; EC too), their dates read back from openssl itself. The
 * served certificate's weaknesses reach the log and the audit trail when the real server starts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { AuditTrail } from '../accounts/audit/trail.js';
import { createLogger, silentLogger } from '../log.js';
import { startBrowserServer } from './browser-server.js';
import { Dispatcher, EventHub } from './dispatcher.js';
import { certificateWeaknesses } from './served-certificate.js';
import { opensslEnv } from '../acquisition/certificate-test-ca.js';

const DAY = 86_400_000;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-tls-check-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A self-signed certificate made by openssl; its file, PEM, and validity as openssl prints it. */
function makeCert(name: string, key: string[], digest: string, days: number) {
  const cert = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', ...key, `-${digest}`, '-nodes', '-keyout', keyFile, '-out', cert, '-days', String(days), '-subj', `/CN=${name}.vigil.test`], { stdio: 'pipe', env: opensslEnv() });
  const dates = execFileSync('openssl', ['x509', '-in', cert, '-noout', '-startdate', '-enddate'], { encoding: 'utf8', env: opensslEnv() });
  const from = Date.parse(/notBefore=(.+)/.exec(dates)![1]!);
  const to = Date.parse(/notAfter=(.+)/.exec(dates)![1]!);
  return { cert, key: keyFile, pem: readFileSync(cert, 'utf8'), from, to };
}

const RSA2048 = ['-newkey', 'rsa:2048'];
const RSA1024 = ['-newkey', 'rsa:1024'];
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

describe('a served certificate checked at start', () => {
  it('finds nothing to say of a 2048-bit RSA or a P-256 certificate signed with SHA-256, valid for a year', () => {
    for (const c of [makeCert('good-rsa', RSA2048, 'sha256', 365), makeCert('good-ec', EC, 'sha256', 365)]) {
      expect(certificateWeaknesses(c.pem, c.from + DAY)).toEqual([]);
    }
  });

  it('says an RSA key below 2048 bits, and a SHA-1 signature, RSA or ECDSA', () => {
    const small = makeCert('small', RSA1024, 'sha256', 365);
    expect(certificateWeaknesses(small.pem, small.from + DAY)).toEqual(['RSA key of 1024 bits (2048 or more expected)']);
    const sha1 = makeCert('sha1', RSA2048, 'sha1', 365);
    expect(certificateWeaknesses(sha1.pem, sha1.from + DAY)).toEqual(['signed with SHA-1']);
    const ecSha1 = makeCert('ec-sha1', EC, 'sha1', 365);
    expect(certificateWeaknesses(ecSha1.pem, ecSha1.from + DAY)).toEqual(['signed with SHA-1']);
  });

  it('says a certificate expired, not yet valid, or expiring within 30 days, with the date', () => {
    const c = makeCert('dates', RSA2048, 'sha256', 20);
    expect(certificateWeaknesses(c.pem, c.to + DAY)).toEqual([`expired on ${new Date(c.to).toISOString()}`]);
    expect(certificateWeaknesses(c.pem, c.from - DAY)).toEqual([`not valid before ${new Date(c.from).toISOString()}`, `expires on ${new Date(c.to).toISOString()}, in 21 days`]);
    const now = c.from + 1000;
    expect(certificateWeaknesses(c.pem, now)).toEqual([`expires on ${new Date(c.to).toISOString()}, in ${Math.floor((c.to - now) / DAY)} days`]);
    const year = makeCert('year', RSA2048, 'sha256', 365);
    expect(certificateWeaknesses(year.pem, year.to - 31 * DAY)).toEqual([]);
    expect(certificateWeaknesses(year.pem, year.to - 29 * DAY)).toEqual([`expires on ${new Date(year.to).toISOString()}, in 29 days`]);
  });

  it('checks the served certificate, the first of a chain file', () => {
    const leaf = makeCert('leaf', RSA1024, 'sha1', 365);
    const ca = makeCert('ca', RSA2048, 'sha256', 365);
    expect(certificateWeaknesses(leaf.pem + ca.pem, leaf.from + DAY)).toEqual(['RSA key of 1024 bits (2048 or more expected)', 'signed with SHA-1']);
    expect(certificateWeaknesses(ca.pem + leaf.pem, ca.from + DAY)).toEqual([]);
  });

  it('logs a weak certificate at the server\'s start, naming the file and why, and writes it to the audit trail; a good one neither', async () => {
    const weak = makeCert('weak-served', RSA1024, 'sha1', 10);
    const good = makeCert('good-served', RSA2048, 'sha256', 365);
    const data = mkdtempSync(join(dir, 'data-'));
    const trail = AuditTrail.open(data);
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(JSON.parse(String(chunk)) as Record<string, unknown>), done()) });
    const logger = createLogger({ level: 'warn', destination });
    const renderer = mkdtempSync(join(dir, 'renderer-'));
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Vigil</title>');
    try {
      for (const c of [good, weak]) {
        const server = await startBrowserServer({
          port: 0, rendererDir: renderer, dispatcher: new Dispatcher(silentLogger()), events: new EventHub(), logger, audit: trail,
          tls: { cert: c.cert, key: c.key },
        });
        await server.close();
      }
      const warnings = lines.filter((l) => l.level === 40);
      expect(warnings).toHaveLength(1);
      const [w] = warnings;
      expect(w).toMatchObject({ file: weak.cert });
      expect(w!.reasons).toEqual(['RSA key of 1024 bits (2048 or more expected)', 'signed with SHA-1', expect.stringMatching(/^expires on \S+, in (9|10) days$/)]);
      expect(String(w!.msg)).toContain(weak.cert);
      const entries = trail.read(0, 100).filter((e) => e.action === 'station.tlsCertificateWeak');
      expect(entries).toEqual([expect.objectContaining({ target: weak.cert, result: 'failed', source: 'station', user: null })]);
      expect(entries[0]!.detail).toBe(`TLS certificate ${weak.cert} served to browsers: ${(w!.reasons as string[]).join('; ')}`);
    } finally {
      trail.close();
    }
  });
});
