/**
 * The certificate browser mode serves over HTTPS (--tls-cert), checked at start. A weak one (an RSA or
 * DSA key below 2048 bits, signed with SHA-1 or MD5, expired, not yet valid, or expiring within 30 days)
 * is still served, as before (refusing it would leave remote supervisors without a console), but said:
 * a warning in the log naming the file and why, and an entry in the audit trail, which administrators read
 * on the Audit page as they read a broken audit chain.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AuditSink } from './audit-sink.js';
import type { Logger } from '../log.js';

export const MIN_KEY_BITS = 2048;
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

/** Signature algorithms whose digest is broken, by the DER of their OID (RFC 3279, RFC 5758). */
const WEAK_SIGNATURES: Record<string, string> = {
  '2a864886f70d010105': 'SHA-1', // sha1WithRSAEncryption 1.2.840.113549.1.1.5
  '2b0e03021d': 'SHA-1', // sha1WithRSASignature (OIW) 1.3.14.3.2.29
  '2a8648ce3d0401': 'SHA-1', // ecdsa-with-SHA1 1.2.840.10045.4.1
  '2a8648ce380403': 'SHA-1', // id-dsa-with-sha1 1.2.840.10040.4.3
  '2a864886f70d010104': 'MD5', // md5WithRSAEncryption 1.2.840.113549.1.1.4
  '2a864886f70d010102': 'MD2', // md2WithRSAEncryption 1.2.840.113549.1.1.2
};

/** The first certificate of a PEM file (the one served; the rest is its chain). */
function firstCertificate(pem: string): string | null {
  return /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/.exec(pem)?.[0] ?? null;
}

/** One DER element at `at`: where its content starts and ends. */
function element(der: Buffer, at: number): { tag: number; start: number; end: number } {
  const tag = der[at]!;
  let len = der[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i]!;
    start += n;
  }
  return { tag, start, end: start + len };
}

/** The OID of the certificate's signatureAlgorithm, as hex of its DER content (RFC 5280 4.1.1.2). */
function signatureOid(der: Buffer): string | null {
  const cert = element(der, 0);
  const tbs = element(der, cert.start);
  const algorithm = element(der, tbs.end);
  const oid = element(der, algorithm.start);
  if (cert.tag !== 0x30 || tbs.tag !== 0x30 || algorithm.tag !== 0x30 || oid.tag !== 0x06 || oid.end > der.length) return null;
  return der.subarray(oid.start, oid.end).toString('hex');
}

/** Why the certificate is weak, in English (the log and the audit trail); empty when it is not. */
export function certificateWeaknesses(pem: string, now: number): string[] {
  const first = firstCertificate(pem);
  if (first === null) return [];
  const cert = new X509Certificate(first);
  const reasons: string[] = [];
  const key = cert.publicKey;
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if ((key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss' || key.asymmetricKeyType === 'dsa') && bits !== undefined && bits < MIN_KEY_BITS) {
    reasons.push(`${key.asymmetricKeyType === 'dsa' ? 'DSA' : 'RSA'} key of ${bits} bits (${MIN_KEY_BITS} or more expected)`);
  }
  const digest = WEAK_SIGNATURES[signatureOid(cert.raw) ?? ''];
  if (digest) reasons.push(`signed with ${digest}`);
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  if (to <= now) reasons.push(`expired on ${new Date(to).toISOString()}`);
  else if (from > now) reasons.push(`not valid before ${new Date(from).toISOString()}`);
  if (to > now && to - now < EXPIRY_WARNING_DAYS * DAY_MS) {
    const days = Math.floor((to - now) / DAY_MS);
    reasons.push(`expires on ${new Date(to).toISOString()}, in ${days} ${days === 1 ? 'day' : 'days'}`);
  }
  return reasons;
}

/**
 * At start: the served certificate's weaknesses, in the log (warn) and the audit trail. A file that
 * cannot be read or parsed is left to the server's own start, which names it and stops.
 */
export function warnOfWeakCertificate(file: string, opts: { logger: Logger; audit?: AuditSink; now: number }): string[] {
  let reasons: string[];
  try {
    reasons = certificateWeaknesses(readFileSync(file, 'utf8'), opts.now);
  } catch {
    return [];
  }
  if (reasons.length === 0) return reasons;
  const detail = `TLS certificate ${file} served to browsers: ${reasons.join('; ')}`;
  opts.logger.warn({ file, reasons }, `weak TLS certificate: ${detail}; replace it (--tls-cert)`);
  opts.audit?.record({ user: null, role: null, action: 'station.tlsCertificateWeak', target: file, result: 'failed', detail, source: 'station' });
  return reasons;
}
