/**
 * A server that refused the station's user identity (BadUserAccessDenied, BadIdentityTokenRejected,
 * BadIdentityTokenInvalid) is tried again slowly: each attempt with the same wrong password is one
 * more failed login on the server, and servers with a lockout policy (Siemens, an AD-backed
 * Kepware) lock the service account, for every station that shares it, after a few. The ordinary
 * reconnection backoff (4 s at most) made 167 logins in 12 minutes.
 *
 * The wait starts at firstMs and doubles up to maxMs. A credential that changed (another password
 * in the environment or the keychain, another user certificate file) is tried at once: it is a new
 * login, not the refused one again. Only a hash of what was refused is kept, never the password.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ServerConfig } from '../../shared/config.js';
import { readPassword } from './secrets.js';

/**
 * 30 s: a person fixing a password in the keychain is picked up by the change check (below), not
 * by this; 10 min: a lockout counter reset by most policies (Windows' default is 10-30 min) sees
 * at most a few attempts an hour. Tests shorten it (like backfillRetry).
 */
export const identityRetry = { firstMs: 30_000, maxMs: 600_000 };

/** Status names with which a server refuses the user identity at ActivateSession (Part 4 §5.6.3). */
export const IDENTITY_REFUSED = /\b(BadUserAccessDenied|BadIdentityTokenRejected|BadIdentityTokenInvalid)\b/;

type Identity = ServerConfig['identity'];

/**
 * A hash of the credential an identity presents now: the password read from its source, the user
 * certificate's file. null when it cannot be read (the attempt itself will say why).
 */
export async function credentialOf(identity: Identity, dataDir: string): Promise<string | null> {
  try {
    switch (identity.kind) {
      case 'anonymous':
        return 'anonymous';
      case 'userName':
        return passwordCredential(identity.userName, await readPassword(identity.password));
      case 'certificate': {
        const at = (p: string) => (isAbsolute(p) ? p : join(dataDir, p));
        return hash(readFileSync(at(identity.certificate)));
      }
    }
  } catch {
    return null;
  }
}

/** The hash of a user name and password as sent (credentialOf's for a userName identity). */
export function passwordCredential(userName: string, password: string): string {
  return hash(`${userName}\0${password}`);
}

function hash(b: string | Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Where the identity's secret comes from, in the words of the refusal (never the secret). */
export function secretSource(identity: Identity): { source: 'env' | 'keychain' | 'file' | 'none'; from: string } {
  if (identity.kind === 'userName') {
    const p = identity.password;
    return 'env' in p ? { source: 'env', from: p.env } : { source: 'keychain', from: `service "${p.keychain.service}" account "${p.keychain.account}"` };
  }
  if (identity.kind === 'certificate') return { source: 'file', from: identity.certificate };
  return { source: 'none', from: '' };
}
