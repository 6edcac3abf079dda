/**
 * The station's PKI folder, <data>/pki (node-opcua's layout): own/ (Vigil's
 * certificate and key), trusted/certs, trusted/crl, issuers/certs,
 * issuers/crl, rejected/. A server certificate the station does not know is
 * refused, lands in rejected/ and is listed for an engineer to trust or reject
 * from the console; nothing is accepted silently. A certificate a CA in
 * trusted/certs signed is accepted and listed once seen, so that it can be
 * rejected on its own (rejected/ wins over the CA). Only the built-in
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
  /** The certificate each server's current or last session presented, by server id (this run): whom a rejection disconnects. */
  private readonly presented = new Map<string, { thumbprint: string; endpoint: string; der: Buffer }>();
  /**
   * Certificates accepted through a trusted CA without a file of their own in trusted/ (this run):
   * listed so an engineer can still reject one server's certificate the CA signed.
   */
  private readonly throughIssuer = new Map<string, Buffer>();
  private ready: Promise<void> | null = null;
  /** The last of the checks and moves queued: they run one at a time (see `serially`). */
  private queue: Promise<unknown> = Promise.resolve();

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
    return this.serially(() => this.checkNow(certificate));
  }

  private async checkNow(certificate: Buffer): Promise<{ good: boolean; status: string }> {
    const status = await this.manager.checkCertificate(certificate);
    const thumbprint = thumbprintOf(certificate);
    // node-opcua accepts a certificate in rejected/ when a trusted CA signed it: an engineer's
    // rejection of that one certificate must win over the CA's trust.
    if (status.isGood() && this.holds(this.manager.rejectedFolder, thumbprint)) return { good: false, status: 'BadCertificateUntrusted' };
    if (status.isGood() && !this.holds(this.manager.trustedFolder, thumbprint)) this.throughIssuer.set(thumbprint, split_der(certificate)[0] ?? certificate);
    else this.throughIssuer.delete(thumbprint);
    return { good: status.isGood(), status: status.name };
  }

  noteRefusal(certificate: Buffer, refusal: Refusal): string {
    const thumbprint = thumbprintOf(certificate);
    this.refusals.set(thumbprint, refusal);
    return thumbprint;
  }

  /** A session to `server` opened at `endpoint` with this server certificate (null: none, security None). */
  notePresented(server: string, endpoint: string, certificate: Buffer | null): void {
    if (certificate) this.presented.set(server, { thumbprint: thumbprintOf(certificate), endpoint, der: split_der(certificate)[0] ?? certificate });
    else this.presented.delete(server);
  }

  /**
   * The certificates in trusted/certs (not a CA's) issued for this endpoint's host (a DNS name or IP
   * address among their subject alternative names): for a server that refuses the unsecured
   * channel GetEndpoints needs, whose certificate an engineer put there by hand (session.ts).
   */
  trustedForHost(endpoint: string): Buffer[] {
    let host: string;
    try {
      host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '').toLowerCase();
    } catch {
      return [];
    }
    const ipHex = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? host.split('.').map((n) => Number(n).toString(16).padStart(2, '0')).join('') : null;
    let files: string[];
    try {
      files = readdirSync(this.manager.trustedFolder).filter((f) => /\.(pem|der|crt|cer)$/i.test(f));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return files.map((f) => certificateIn(join(this.manager.trustedFolder, f))).filter((der) => {
      const ext = exploreCertificate(der).tbsCertificate.extensions;
      if (ext?.basicConstraints?.cA) return false;
      const san = ext?.subjectAltName;
      return (san?.dNSName ?? []).some((d) => d.toLowerCase() === host) || (ipHex !== null && (san?.iPAddress ?? []).some((ip) => ip.toLowerCase() === ipHex));
    });
  }

  /**
   * The certificate this server presented before `certificate` (renewed, or the server reinstalled):
   * the one its last session this run at this endpoint presented (a standby endpoint has its own),
   * else a certificate in trusted/certs (not a CA's) of the same application URI, the latest to
   * expire. Null when the server is new to the station.
   */
  previousOf(server: string, endpoint: string, certificate: Buffer): Buffer | null {
    const thumbprint = thumbprintOf(certificate);
    const last = this.presented.get(server);
    if (last && last.endpoint === endpoint && last.thumbprint !== thumbprint) return last.der;
    const uri = uriOf(certificate);
    if (uri === null) return null;
    let files: string[];
    try {
      files = readdirSync(this.manager.trustedFolder).filter((f) => /\.(pem|der|crt|cer)$/i.test(f));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const same = files.map((f) => certificateIn(join(this.manager.trustedFolder, f)))
      .filter((der) => thumbprintOf(der) !== thumbprint && uriOf(der) === uri && !exploreCertificate(der).tbsCertificate.extensions?.basicConstraints?.cA)
      .sort((a, b) => validity(b).notAfter.getTime() - validity(a).notAfter.getTime());
    return same[0] ?? null;
  }

  /** Trusts a certificate given as PEM text (the built-in simulator's own). */
  async trustPem(pem: string): Promise<string> {
    await this.initialize();
    const der = convertPEMtoDER(pem);
    await this.manager.trustCertificate(der);
    return thumbprintOf(der);
  }

  /**
   * Vigil's own certificate as node-opcua's client uses it (own/certs/client_certificate.pem, made at
   * the first secured connection): what a server's administrator must trust. Thumbprint '' while it
   * does not exist yet.
   */
  ownCertificate(): { file: string; thumbprint: string; certificate: Buffer | null } {
    const file = join(this.root, 'own', 'certs', 'client_certificate.pem');
    try {
      const certificate = certificateIn(file);
      return { file, thumbprint: thumbprintOf(certificate), certificate };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { file, thumbprint: '', certificate: null };
      throw err;
    }
  }

  async list(): Promise<CertificateInfo[]> {
    await this.initialize();
    // The folders are the truth: an engineer may also move files by hand. The reload empties
    // node-opcua's index before reading it again: a check meanwhile would find the certificate
    // unknown and file a copy in rejected/, so no check runs during it.
    await this.serially(() => this.manager.reloadCertificates());
    const filed = [...this.read(this.manager.rejectedFolder, 'rejected'), ...this.read(this.manager.trustedFolder, 'trusted')];
    const viaIssuer = [...this.throughIssuer]
      .filter(([thumbprint]) => !filed.some((c) => c.thumbprint === thumbprint))
      .map(([, der]) => this.describe(der, 'trusted', ''));
    return [...filed, ...viaIssuer].sort((a, b) => (a.state === b.state ? a.subject.localeCompare(b.subject) : a.state === 'rejected' ? -1 : 1));
  }

  /** Moves a listed certificate to trusted/ (or to rejected/); returns it, or null when no such thumbprint is listed. */
  async move(thumbprint: string, to: 'trusted' | 'rejected'): Promise<CertificateInfo | null> {
    const found = (await this.list()).find((c) => c.thumbprint === thumbprint);
    if (!found) return null;
    const der = found.file === ''
      ? this.throughIssuer.get(thumbprint)!
      : certificateIn(join(found.state === 'trusted' ? this.manager.trustedFolder : this.manager.rejectedFolder, found.file));
    await this.serially(() => (to === 'trusted' ? this.manager.trustCertificate(der) : this.manager.rejectCertificate(der)));
    if (to === 'trusted') this.refusals.delete(thumbprint);
    return (await this.list()).find((c) => c.thumbprint === thumbprint) ?? null;
  }

  /**
   * One check, move or reload at a time: node-opcua's check files a certificate it finds unknown in
   * rejected/ (after judging it, by an index that a reload empties for a while), so a check beside an
   * engineer's trust could undo the trust.
   */
  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
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
    return files.map((file) => this.describe(certificateIn(join(folder, file)), state, file));
  }

  /** True when one of the folder's certificates has this thumbprint (the folder, not node-opcua's index, which its watchers update late). */
  private holds(folder: string, thumbprint: string): boolean {
    return this.read(folder, 'rejected').some((c) => c.thumbprint === thumbprint);
  }

  /** A certificate as listed; file '' when it is trusted through its CA and has no file of its own. */
  private describe(der: Buffer, state: CertificateInfo['state'], file: string): CertificateInfo {
    const thumbprint = thumbprintOf(der);
    const tbs = exploreCertificate(der).tbsCertificate;
    const uri = tbs.extensions?.subjectAltName?.uniformResourceIdentifier?.[0] ?? null;
    const refusal = this.refusals.get(thumbprint) ?? null;
    return {
      thumbprint,
      state,
      file,
      subject: tbs.subject.commonName ?? (file || thumbprint),
      issuer: tbs.issuer.commonName ?? '',
      applicationUri: uri,
      validFrom: tbs.validity.notBefore.getTime(),
      validTo: tbs.validity.notAfter.getTime(),
      refusedFor: refusal ? { server: refusal.server, endpoint: refusal.endpoint, at: refusal.at } : null,
      inUseBy: [...this.presented].filter(([, p]) => p.thumbprint === thumbprint).map(([server, p]) => ({ server, endpoint: p.endpoint }))
        .sort((x, y) => x.server.localeCompare(y.server)),
    };
  }
}

function uriOf(certificate: Buffer): string | null {
  return exploreCertificate(split_der(certificate)[0] ?? certificate).tbsCertificate.extensions?.subjectAltName?.uniformResourceIdentifier?.[0] ?? null;
}

function validity(certificate: Buffer): { notBefore: Date; notAfter: Date } {
  return exploreCertificate(split_der(certificate)[0] ?? certificate).tbsCertificate.validity;
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
