/**
 * A refused server certificate of an application whose other certificate is trusted: the server's
 * certificate changed (renewed, or the server reinstalled). Tags → Certificates says so on the
 * refused row, naming the trusted one, so the engineer checks the new thumbprint with the server's
 * administrator instead of trusting a "new" server (an impostor presents a new certificate too).
 * A trusted certificate that ends soon is said too: the station disconnects from its server then.
 */
import type { CertificateInfo } from '../../../shared/api.js';

/**
 * The trusted certificate this refused one replaces: the one the same server presented at the same
 * endpoint (this run: its "used by"), whatever its application URI (a reinstalled server may carry
 * another); else the latest to expire of the same application URI that no other server uses (two
 * servers may share a URI: a cloned image, a vendor's default). Null otherwise.
 */
export function replacedBy(c: CertificateInfo, all: readonly CertificateInfo[]): CertificateInfo | null {
  if (c.state !== 'rejected') return null;
  const latest = (list: CertificateInfo[]) => list.sort((a, b) => b.validTo - a.validTo)[0] ?? null;
  const trusted = all.filter((o) => o.state === 'trusted' && o.thumbprint !== c.thumbprint);
  const by = c.refusedFor;
  const sameServer = by ? trusted.filter((o) => o.inUseBy.some((u) => u.server === by.server && u.endpoint === by.endpoint)) : [];
  if (sameServer.length > 0) return latest(sameServer);
  if (c.applicationUri === null) return null;
  return latest(trusted.filter((o) => o.applicationUri === c.applicationUri && (o.inUseBy.length === 0 || (by !== null && o.inUseBy.some((u) => u.server === by.server)))));
}

/** Warned ahead of a trusted certificate's end, as the station's log does at each connection (session.ts EXPIRY_WARNING_MS). */
export const ENDS_SOON_MS = 30 * 86_400_000;

/** Whole days left of a trusted certificate that ends within ENDS_SOON_MS (0: ends today or ended); null otherwise. */
export function daysLeft(c: CertificateInfo, now: number): number | null {
  if (c.state !== 'trusted' || c.validTo - now >= ENDS_SOON_MS) return null;
  return Math.max(0, Math.floor((c.validTo - now) / 86_400_000));
}
