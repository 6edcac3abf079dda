/**
 * A refused server certificate of an application whose other certificate is trusted: the server's
 * certificate changed (renewed, or the server reinstalled). Tags → Certificates says so on the
 * refused row, naming the trusted one, so the engineer checks the new thumbprint with the server's
 * administrator instead of trusting a "new" server (an impostor presents a new certificate too).
 * A trusted certificate that ends soon is said too: the station disconnects from its server then.
 */
import type { CertificateInfo } from '../../../shared/api.js';

/** The trusted certificate (latest to expire) of the same application URI as this refused one; null otherwise. */
export function replacedBy(c: CertificateInfo, all: readonly CertificateInfo[]): CertificateInfo | null {
  if (c.state !== 'rejected' || c.applicationUri === null) return null;
  const same = all.filter((o) => o.state === 'trusted' && o.thumbprint !== c.thumbprint && o.applicationUri === c.applicationUri);
  return same.sort((a, b) => b.validTo - a.validTo)[0] ?? null;
}

/** Warned ahead of a trusted certificate's end, as the station's log does at each connection (session.ts EXPIRY_WARNING_MS). */
export const ENDS_SOON_MS = 30 * 86_400_000;

/** Whole days left of a trusted certificate that ends within ENDS_SOON_MS (0: ends today or ended); null otherwise. */
export function daysLeft(c: CertificateInfo, now: number): number | null {
  if (c.state !== 'trusted' || c.validTo - now >= ENDS_SOON_MS) return null;
  return Math.max(0, Math.floor((c.validTo - now) / 86_400_000));
}
