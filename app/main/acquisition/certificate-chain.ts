/**
 * Why a server certificate's chain was refused, read from the station's PKI folders. node-opcua's
 * CertificateManager judges the whole chain but answers with one status that names neither the CA
 * at fault nor, at times, the fault: a CA revoked by its own CA comes back BadSecurityChecksFailed,
 * a root's missing CRL BadCertificateIssuerRevocationUnknown, and a certificate whose CA sits in
 * issuers/ under a trusted root BadCertificateUntrusted (it trusts only a certificate whose own CA is
 * in trusted/certs). "Trust it under Tags → Certificates" helps none of these but the last, so the
 * chain is walked here, leaf first, and the first CA at fault is named with what to do.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  convertPEMtoDER, exploreCertificate, exploreCertificateRevocationList, isCrlIssuedByCertificate, makeSHA1Thumbprint, split_der,
  verifyCertificateSignature,
} from 'node-opcua-crypto';
import type { MessageRef } from '../../shared/api/acquisition.js';

export interface ChainProblem {
  /** The log's and lastError's words after "server certificate T of E is not trusted (S)". */
  text: string;
  worded: MessageRef;
}

/** Statuses node-opcua gives for a chain (not for the leaf's own dates, which session.ts words). */
const CHAIN_STATUSES = new Set([
  'BadCertificateRevoked', 'BadCertificateIssuerRevoked', 'BadSecurityChecksFailed', 'BadCertificateIssuerTimeInvalid',
  'BadCertificateChainIncomplete', 'BadCertificateRevocationUnknown', 'BadCertificateIssuerRevocationUnknown', 'BadCertificateUntrusted',
]);

interface Known {
  der: Buffer;
  /** 'presented': sent by the server with its certificate. */
  where: 'trusted' | 'issuers' | 'presented';
}

interface Crl {
  der: Buffer;
  file: string;
  serials: Set<string>;
}

/** Up to this many CAs above the server's certificate (node-opcua gives up at 5 too). */
const MAX_DEPTH = 5;

/**
 * The first fault of the chain of `presented` (a certificate, or the chain the server sent) that
 * explains `status`, or null when the chain holds none (an unknown self-signed certificate, one an
 * engineer rejected: the plain refusal says those).
 */
export function chainProblem(pkiRoot: string, presented: Buffer, status: string, params: { thumbprint: string; endpoint: string }, now = Date.now()): ChainProblem | null {
  if (!CHAIN_STATUSES.has(status)) return null;
  const sent = split_der(presented);
  const known: Known[] = [
    ...certificatesIn(join(pkiRoot, 'trusted', 'certs')).map((der) => ({ der, where: 'trusted' as const })),
    ...certificatesIn(join(pkiRoot, 'issuers', 'certs')).map((der) => ({ der, where: 'issuers' as const })),
    ...sent.slice(1).map((der) => ({ der, where: 'presented' as const })),
  ];
  const crls = [...crlsIn(join(pkiRoot, 'trusted', 'crl')), ...crlsIn(join(pkiRoot, 'issuers', 'crl'))];
  const folders = {
    trusted: join(pkiRoot, 'trusted', 'certs'), issuers: join(pkiRoot, 'issuers', 'certs'),
    trustedCrl: join(pkiRoot, 'trusted', 'crl'), issuersCrl: join(pkiRoot, 'issuers', 'crl'),
  };
  const base = { ...params, status };
  let cert = sent[0] ?? presented;
  /** The CAs met so far, the server's own CA first. */
  const above: Known[] = [];
  for (let depth = 0; depth < MAX_DEPTH && !selfSigned(cert); depth++) {
    const issuer = issuerOf(cert, known);
    const name = nameOf(cert);
    if (!issuer) {
      const ca = exploreCertificate(cert).tbsCertificate.issuer.commonName ?? '';
      return {
        text: `the certificate of the CA "${ca}" that issued ${depth === 0 ? 'it' : `its CA "${name}"`} is not in the station's PKI: put it in ${folders.issuers} (or in ${folders.trusted} to trust every certificate it signs)`,
        worded: { key: 'acquisition.error.chainIncomplete', params: { ...base, ca, direct: depth === 0 ? 'yes' : 'no', of: name, trusted: folders.trusted, issuers: folders.issuers } },
      };
    }
    const caName = nameOf(issuer.der);
    const own = crls.filter((c) => isCrlIssuedByCertificate(c.der, issuer.der));
    if (own.length === 0) {
      return {
        text: `the revocation list (CRL) of ${depth === 0 ? 'its CA' : `the CA above "${name}",`} "${caName}" is missing: put that CA's CRL in ${folders.trustedCrl} (CA in trusted/certs) or ${folders.issuersCrl}`,
        worded: { key: 'acquisition.error.crlMissing', params: { ...base, issuer: caName, trustedCrl: folders.trustedCrl, issuersCrl: folders.issuersCrl } },
      };
    }
    const serial = exploreCertificate(cert).tbsCertificate.serialNumber;
    const revokedIn = own.find((c) => c.serials.has(serial));
    if (revokedIn) {
      return depth === 0
        ? {
          text: `its CA "${caName}" revoked it (revocation list ${revokedIn.file}): the server needs a new certificate; trusting this one does not help`,
          worded: { key: 'acquisition.error.certificateRevoked', params: { ...base, issuer: caName, crl: revokedIn.file } },
        }
        : {
          text: `the CA "${name}" in its chain was revoked by "${caName}" (revocation list ${revokedIn.file}): the server needs a certificate from a CA that is not revoked; trusting this one does not help`,
          worded: { key: 'acquisition.error.issuerRevoked', params: { ...base, ca: name, issuer: caName, crl: revokedIn.file } },
        };
    }
    const { notBefore, notAfter } = exploreCertificate(issuer.der).tbsCertificate.validity;
    if (notBefore.getTime() > now || notAfter.getTime() <= now) {
      const expired = notAfter.getTime() <= now ? 'yes' : 'no';
      const validFrom = notBefore.toISOString();
      const validTo = notAfter.toISOString();
      return {
        text: `the CA "${caName}" in its chain ${expired === 'yes' ? `expired on ${validTo}` : `is valid only from ${validFrom}`}: `
          + `the CA needs a new certificate (put it in ${issuer.where === 'trusted' ? folders.trusted : folders.issuers}) or the server one from a CA valid now; trusting this one does not help`,
        worded: { key: 'acquisition.error.issuerTimeInvalid', params: { ...base, ca: caName, validFrom, validTo, expired, folder: issuer.where === 'trusted' ? folders.trusted : folders.issuers } },
      };
    }
    above.push(issuer);
    cert = issuer.der;
  }
  const direct = above[0];
  const trustedAbove = above.slice(1).find((k) => k.where === 'trusted');
  if (status === 'BadCertificateUntrusted' && direct && direct.where !== 'trusted' && trustedAbove) {
    // Part 4 §6.1.3 trusts a certificate when any CA of its chain is trusted; node-opcua (client and
    // server alike) only when its own CA is: so the remedy is to trust that CA, or this certificate.
    const ca = nameOf(direct.der);
    const root = nameOf(trustedAbove.der);
    return {
      text: `its CA "${ca}" is not in ${folders.trusted} (the CA "${root}" above it is): a certificate is trusted through the CA that signed it directly: `
        + `put "${ca}" in ${folders.trusted} (its CRL in ${folders.trustedCrl}) to trust every certificate it signs, or trust this one under Tags → Certificates`,
      worded: { key: 'acquisition.error.issuerNotTrusted', params: { ...base, ca, root, trusted: folders.trusted, trustedCrl: folders.trustedCrl } },
    };
  }
  return null;
}

function issuerOf(cert: Buffer, known: Known[]): Known | null {
  // Trusted first: the same CA may sit in both folders.
  const candidates = known.filter((k) => isCa(k.der) && signedBy(cert, k.der));
  return candidates.find((k) => k.where === 'trusted') ?? candidates[0] ?? null;
}

function signedBy(cert: Buffer, issuer: Buffer): boolean {
  try {
    return verifyCertificateSignature(cert, issuer);
  } catch {
    return false;
  }
}

function isCa(der: Buffer): boolean {
  return exploreCertificate(der).tbsCertificate.extensions?.basicConstraints?.cA === true;
}

function selfSigned(der: Buffer): boolean {
  const tbs = exploreCertificate(der).tbsCertificate;
  const ski = tbs.extensions?.subjectKeyIdentifier;
  const aki = tbs.extensions?.authorityKeyIdentifier?.keyIdentifier;
  if (ski && aki) return ski === aki;
  return signedBy(der, der);
}

function nameOf(der: Buffer): string {
  return exploreCertificate(der).tbsCertificate.subject.commonName ?? makeSHA1Thumbprint(der).toString('hex');
}

function filesIn(folder: string): string[] {
  try {
    return readdirSync(folder).map((f) => join(folder, f));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

function certificatesIn(folder: string): Buffer[] {
  return filesIn(folder).filter((f) => /\.(pem|der|crt|cer)$/i.test(f)).flatMap((f) => {
    const bytes = readFileSync(f);
    const text = bytes.toString('latin1');
    return split_der(text.includes('-----BEGIN CERTIFICATE-----') ? convertPEMtoDER(text) : bytes);
  });
}

function crlsIn(folder: string): Crl[] {
  return filesIn(folder).filter((f) => /\.(crl|pem|der)$/i.test(f)).flatMap((file) => {
    const bytes = readFileSync(file);
    const text = bytes.toString('latin1');
    const der = text.includes('-----BEGIN X509 CRL-----') ? Buffer.from(text.replace(/-----(BEGIN|END) X509 CRL-----|\s/g, ''), 'base64') : bytes;
    try {
      const serials = new Set(exploreCertificateRevocationList(der).tbsCertList.revokedCertificates.map((r) => r.userCertificate));
      return [{ der, file, serials }];
    } catch {
      return []; // not a CRL: node-opcua skips it too
    }
  });
}
