/**
 * An upstream's secret: from an environment variable or the OS keychain
 * (macOS Keychain, Windows Credential Manager, Linux Secret Service via
 * @napi-rs/keyring). Never from the config file, never logged.
 */
import type { SecretRef } from '../../../shared/config/sync.js';

export class CredentialError extends Error {}

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
    if (v === undefined || v === '') throw new CredentialError(`upstream ${upstream}: environment variable ${ref.env} is not set (it holds the upstream's secret)`);
    return v;
  }
  const { service, account } = ref.keychain;
  let v: string | null;
  try {
    v = await keychain(service, account);
  } catch (err) {
    throw new CredentialError(`upstream ${upstream}: OS keychain entry ${service}/${account} could not be read: ${(err as Error).message}`);
  }
  if (v === null || v === '') throw new CredentialError(`upstream ${upstream}: OS keychain has no entry ${service}/${account}`);
  return v;
}
