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
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { convertPEMtoDER, exploreCertificate, makeSHA1Thumbprint, split_der } from 'node-opcua-crypto';
import type { CertificateInfo } from '../../shared/api/acquisition.js';
import type { Logger } from '../log.js';

export interface Refusal {
  server: string;
  endpoint: string;
  at: number;
}

/**
 * Warned ahead of Vigil's own certificate's end (ms), as ahead of a server's (session.ts
 * EXPIRY_WARNING_MS): after it every server that checks dates refuses the station, so the control
 * room needs the weeks to agree a new certificate with each server's administrator.
 */
export const OWN_EXPIRY_WARNING_MS = 30 * 86_400_000;
const DAY_MS = 86_400_000;
/** How often the own certificate's file is read again (made at the first secured connection, or replaced by hand). */
const OWN_CHECK_MS = 3_600_000;

/** Vigil's own certificate as an engineer reads it; daysLeft only within OWN_EXPIRY_WARNING_MS of its end (0: ends today or ended). */
export interface OwnCertificateStatus {
  file: string;
  thumbprint: string;
  subject: string;
  applicationUri: string | null;
  validFrom: number;
  validTo: number;
  daysLeft: number | null;
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
  /** <pki>/presented.json: what each server last presented at each endpoint, across restarts (see `seen`). */
  private readonly seenFile: string;
  private seenCache: Map<string, Buffer> | null = null;
  private ready: Promise<void> | null = null;
  /** The last of the checks and moves queued: they run one at a time (see `serially`). */
  private queue: Promise<unknown> = Promise.resolve();

  /** The own certificate's watch (started by initialize when a logger is given), and what it last said. */
  private ownTimer: NodeJS.Timeout | null = null;
  private ownSaid: { thumbprint: string; warnedAt: number; ended: boolean } | null = null;
  private disposed = false;

  /** `logger`: where Vigil's own certificate nearing its end is said (see watchOwn). */
  constructor(readonly root: string, private readonly logger: Logger | null = null) {
    this.manager = new OPCUACertificateManager({ rootFolder: root, automaticallyAcceptUnknownCertificate: false });
    this.seenFile = join(root, 'presented.json');
  }

  initialize(): Promise<void> {
    this.ready ??= this.manager.initialize().then(() => this.watchOwn());
    return this.ready;
  }

  /** Vigil's own certificate's dates; null while it is not made yet. */
  ownStatus(now = Date.now()): OwnCertificateStatus | null {
    const own = this.ownCertificate();
    if (!own.certificate) return null;
    const tbs = exploreCertificate(own.certificate).tbsCertificate;
    const validTo = tbs.validity.notAfter.getTime();
    return {
      file: own.file,
      thumbprint: own.thumbprint,
      subject: tbs.subject.commonName ?? '',
      applicationUri: tbs.extensions?.subjectAltName?.uniformResourceIdentifier?.[0] ?? null,
      validFrom: tbs.validity.notBefore.getTime(),
      validTo,
      daysLeft: validTo - now < OWN_EXPIRY_WARNING_MS ? Math.max(0, Math.floor((validTo - now) / DAY_MS)) : null,
    };
  }

  /**
   * Vigil's own certificate watched while the station runs: within OWN_EXPIRY_WARNING_MS of its end
   * a warning, at start and once a day (a station connected for months meets no refusal to learn it
   * from), and an error when it ends. Before, nothing was said until every server refused the
   * station at its next connection. Re-read every OWN_CHECK_MS: a new one may have been made.
   */
  private watchOwn(): void {
    const logger = this.logger;
    if (!logger || this.disposed || this.ownTimer) return;
    const tick = (): void => {
      this.ownTimer = null;
      if (this.disposed) return;
      let wait = OWN_CHECK_MS;
      const now = Date.now();
      let own: OwnCertificateStatus | null = null;
      try {
        own = this.ownStatus(now);
      } catch (err) {
        logger.error({ file: this.ownFile, err: (err as Error).message }, 'Vigil\'s own certificate cannot be read');
      }
      if (own && own.daysLeft !== null) {
        const said = { thumbprint: own.thumbprint, file: own.file, validTo: new Date(own.validTo).toISOString() };
        const before = this.ownSaid?.thumbprint === own.thumbprint ? this.ownSaid : null;
        if (own.validTo <= now) {
          if (!before?.ended) {
            logger.error(said, 'Vigil\'s own certificate has ended: servers that check dates refuse the station at its next connection; give the station a new certificate and have each server\'s administrator trust it');
            this.ownSaid = { thumbprint: own.thumbprint, warnedAt: now, ended: true };
          }
        } else {
          if (!before || now - before.warnedAt >= DAY_MS) {
            logger.warn({ ...said, days: own.daysLeft }, 'Vigil\'s own certificate expires soon: after its end every server that checks dates refuses the station; agree a new certificate with each server\'s administrator before then');
            this.ownSaid = { thumbprint: own.thumbprint, warnedAt: now, ended: false };
          }
          // Its end said when it comes, not up to an hour late.
          wait = Math.min(wait, own.validTo - now);
        }
      }
      this.ownTimer = setTimeout(tick, wait);
      this.ownTimer.unref();
    };
    tick();
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
    if (!certificate) {
      this.presented.delete(server);
      return;
    }
    const der = split_der(certificate)[0] ?? certificate;
    this.presented.set(server, { thumbprint: thumbprintOf(der), endpoint, der });
    this.remember(server, endpoint, der);
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
   * The certificate this server presented before `certificate` (renewed, or the server reinstalled,
   * maybe under another application URI): the one it last presented at this endpoint (a standby
   * endpoint has its own), this run or before a restart (presented.json); else a certificate in
   * trusted/certs (not a CA's) of the same application URI that no other server presented, the
   * latest to expire (two servers may share a URI: a cloned image, a vendor's default). Null when
   * the server is new to the station, or presents what it presented before.
   */
  previousOf(server: string, endpoint: string, certificate: Buffer): Buffer | null {
    const thumbprint = thumbprintOf(certificate);
    const last = this.presented.get(server);
    const before = last && last.endpoint === endpoint ? last.der : this.seen().get(seenKey(server, endpoint)) ?? null;
    if (before) return thumbprintOf(before) === thumbprint ? null : before;
    const uri = uriOf(certificate);
    if (uri === null) return null;
    let files: string[];
    try {
      files = readdirSync(this.manager.trustedFolder).filter((f) => /\.(pem|der|crt|cer)$/i.test(f));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const othersOwn = this.presentedByOthers(server);
    const same = files.map((f) => certificateIn(join(this.manager.trustedFolder, f)))
      .filter((der) => thumbprintOf(der) !== thumbprint && uriOf(der) === uri && !exploreCertificate(der).tbsCertificate.extensions?.basicConstraints?.cA)
      .filter((der) => !othersOwn.has(thumbprintOf(der)))
      .sort((a, b) => validity(b).notAfter.getTime() - validity(a).notAfter.getTime());
    return same[0] ?? null;
  }

  /** Thumbprints another server presented (this run or before) and `server` never did at any endpoint. */
  private presentedByOthers(server: string): Set<string> {
    const all = [...[...this.seen()].map(([key, der]) => ({ server: serverOfKey(key), thumbprint: thumbprintOf(der) })),
      ...[...this.presented].map(([id, p]) => ({ server: id, thumbprint: p.thumbprint }))];
    const own = new Set(all.filter((p) => p.server === server).map((p) => p.thumbprint));
    return new Set(all.filter((p) => p.server !== server && !own.has(p.thumbprint)).map((p) => p.thumbprint));
  }

  /**
   * What each server last presented at each endpoint, kept in <pki>/presented.json so that a restart
   * still tells a changed certificate by server rather than by application URI. The station's own
   * memo, not configuration: a file it cannot read as its own is started afresh.
   */
  private seen(): Map<string, Buffer> {
    if (this.seenCache) return this.seenCache;
    this.seenCache = new Map();
    let text: string;
    try {
      text = readFileSync(this.seenFile, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return this.seenCache;
      throw err;
    }
    try {
      const parsed = JSON.parse(text) as { presented?: Record<string, string> };
      for (const [key, b64] of Object.entries(parsed.presented ?? {})) {
        if (typeof b64 === 'string' && key.includes('\n')) this.seenCache.set(key, Buffer.from(b64, 'base64'));
      }
    } catch (err) {
      // Written by no one else: a torn file is said and forgotten, not a reason to stop connecting.
      this.seenCache.clear();
      this.logger?.warn({ file: this.seenFile, err: (err as Error).message }, 'the servers\' last presented certificates cannot be read: started afresh');
    }
    return this.seenCache;
  }

  private remember(server: string, endpoint: string, der: Buffer): void {
    const seen = this.seen();
    const key = seenKey(server, endpoint);
    if (seen.get(key)?.equals(der)) return;
    seen.set(key, der);
    const presented = Object.fromEntries([...seen].map(([k, d]) => [k, d.toString('base64')]));
    mkdirSync(this.root, { recursive: true });
    // Whole or not at all: a crash mid-write leaves the previous file.
    const tmp = `${this.seenFile}.tmp`;
    writeFileSync(tmp, JSON.stringify({ presented }, null, 1));
    renameSync(tmp, this.seenFile);
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
    const file = this.ownFile;
    try {
      const certificate = certificateIn(file);
      return { file, thumbprint: thumbprintOf(certificate), certificate };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { file, thumbprint: '', certificate: null };
      throw err;
    }
  }

  private get ownFile(): string {
    return join(this.root, 'own', 'certs', 'client_certificate.pem');
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
    this.disposed = true;
    if (this.ownTimer) clearTimeout(this.ownTimer);
    this.ownTimer = null;
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

/** Server ids and endpoint URLs hold no newline. */
function seenKey(server: string, endpoint: string): string {
  return `${server}\n${endpoint}`;
}

function serverOfKey(key: string): string {
  return key.slice(0, key.indexOf('\n'));
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
