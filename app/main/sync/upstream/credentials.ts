/**
 * An upstream's secret: from an environment variable or the OS keychain
 * (macOS Keychain, Windows Credential Manager, Linux Secret Service via
 * @napi-rs/keyring). Never from the config file, never logged.
 */
import type { SecretRef } from '../../../shared/config/sync.js';
import { english, text, type SyncText } from '../../../shared/sync-text.js';

/** Why a secret cannot be read: in English (the log) and as a catalog message (`said`, for the consoles' languages). */
export class CredentialError extends Error {
  constructor(readonly said: SyncText) {
    super(english(said));
  }
}

export type KeychainLookup = (service: string, account: string) => Promise<string | null>;

/** The OS keychain; the native module loads only when a keychain entry is configured. */
export const osKeychain: KeychainLookup = async (service, account) => {
  const { AsyncEntry } = await import('@napi-rs/keyring');
  return (await new AsyncEntry(service, account).getPassword()) ?? null;
};

export async function resolveSecret(
  upstream: string,
  ref: SecretRef,
  env: NodeJS.ProcessEnv = process.env,
  keychain: KeychainLookup = osKeychain,
): Promise<string> {
  if ('env' in ref) {
    const v = env[ref.env];
    if (v === undefined || v === '') throw new CredentialError(text('sync.cause.envUnset', { upstream, variable: ref.env }));
    return v;
  }
  const { service, account } = ref.keychain;
  let v: string | null;
  try {
    v = await keychain(service, account);
  } catch (err) {
    throw new CredentialError(text('sync.cause.keychainUnreadable', { upstream, service, account, error: (err as Error).message }));
  }
  if (v === null || v === '') throw new CredentialError(text('sync.cause.keychainMissing', { upstream, service, account }));
  return v;
}
