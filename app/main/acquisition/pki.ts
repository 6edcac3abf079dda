/**
 * The station's PKI folder, <data>/pki (node-opcua's layout): own/ (Vigil's
 * certificate and key), trusted/certs, trusted/crl, issuers/certs,
 * issuers/crl, rejected/. A server certificate the station does not know is
 * refused, lands in rejected/ and is listed for an engineer to trust or reject
 * from the console; nothing is accepted silently. Only the built-in
 * simulator's own certificate is trusted without a person, and only when the
 * station started that simulator with the bundled config.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { convertPEMtoDER, exploreCertificate, makeSHA1Thumbprint, split_der } from 'node-opcua-crypto';
import type { CertificateInfo } from '../../shared/api/acquisition.js';

export interface Refusal {
  server: string;
  endpoint: string;
  at: number;
}

export class StationPki {
  readonly manager: OPCUACertificateManager;
  /** Which server presented a refused certificate, by thumbprint (this run). */
  private readonly refusals = new Map<string, Refusal>();
  private ready: Promise<void> | null = null;

  constructor(readonly root: string) {
    this.manager = new OPCUACertificateManager({ rootFolder: root, automaticallyAcceptUnknownCertificate: false });
  }

  initialize(): Promise<void> {
    this.ready ??= this.manager.initialize();
    return this.ready;
  }

  /** Good, or why the certificate is not trusted (BadCertificateUntrusted, ...Revoked, ...TimeInvalid); an unknown one lands in rejected/. */
  async check(certificate: Buffer): Promise<{ good: boolean; status: string }> {
    await this.initialize();
    const status = await this.manager.checkCertificate(certificate);
    return { good: status.isGood(), status: status.name };
  }

  noteRefusal(certificate: Buffer, refusal: Refusal): string {
    const thumbprint = thumbprintOf(certificate);
    this.refusals.set(thumbprint, refusal);
    return thumbprint;
  }

  /** Trusts a certificate given as PEM text (the built-in simulator's own). */
  async trustPem(pem: string): Promise<string> {
    await this.initialize();
    const der = convertPEMtoDER(pem);
    await this.manager.trustCertificate(der);
    return thumbprintOf(der);
  }

  async list(): Promise<CertificateInfo[]> {
    await this.initialize();
    // The folders are the truth: an engineer may also move files by hand.
    await this.manager.reloadCertificates();
    return [
      ...this.read(this.manager.rejectedFolder, 'rejected'),
      ...this.read(this.manager.trustedFolder, 'trusted'),
    ].sort((a, b) => (a.state === b.state ? a.subject.localeCompare(b.subject) : a.state === 'rejected' ? -1 : 1));
  }

  /** Moves a listed certificate to trusted/ (or to rejected/); returns it, or null when no such thumbprint is listed. */
  async move(thumbprint: string, to: 'trusted' | 'rejected'): Promise<CertificateInfo | null> {
    const found = (await this.list()).find((c) => c.thumbprint === thumbprint);
    if (!found) return null;
    const der = certificateIn(join(found.state === 'trusted' ? this.manager.trustedFolder : this.manager.rejectedFolder, found.file));
    if (to === 'trusted') await this.manager.trustCertificate(der);
    else await this.manager.rejectCertificate(der);
    if (to === 'trusted') this.refusals.delete(thumbprint);
    return (await this.list()).find((c) => c.thumbprint === thumbprint) ?? null;
  }

  async dispose(): Promise<void> {
    if (this.ready) await this.ready.catch(() => undefined);
    await this.manager.dispose();
  }

  private read(folder: string, state: CertificateInfo['state']): CertificateInfo[] {
    let files: string[];
    try {
      files = readdirSync(folder).filter((f) => /\.(pem|der|crt|cer)$/i.test(f));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return files.map((file) => {
      const der = certificateIn(join(folder, file));
      const thumbprint = thumbprintOf(der);
      const tbs = exploreCertificate(der).tbsCertificate;
      const uri = tbs.extensions?.subjectAltName?.uniformResourceIdentifier?.[0] ?? null;
      const refusal = this.refusals.get(thumbprint) ?? null;
      return {
        thumbprint,
        state,
        file,
        subject: tbs.subject.commonName ?? file,
        issuer: tbs.issuer.commonName ?? '',
        applicationUri: uri,
        validFrom: tbs.validity.notBefore.getTime(),
        validTo: tbs.validity.notAfter.getTime(),
        refusedFor: refusal ? { server: refusal.server, endpoint: refusal.endpoint, at: refusal.at } : null,
      };
    });
  }
}

/** The first certificate of a PEM or DER file (a chain's leaf). */
function certificateIn(file: string): Buffer {
  const bytes = readFileSync(file);
  const text = bytes.toString('latin1');
  const der = text.includes('-----BEGIN CERTIFICATE-----') ? convertPEMtoDER(text) : bytes;
  return split_der(der)[0] ?? der;
}

export function thumbprintOf(certificate: Buffer): string {
  const leaf = split_der(certificate)[0] ?? certificate;
  return makeSHA1Thumbprint(leaf).toString('hex');
}
