/**
 * Passwords: scrypt (node:crypto) with a random salt per hash and the cost
 * parameters stored beside it, so the costs can be raised later and old
 * hashes upgraded when their owner next signs in. Comparison is constant-time.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHashCost } from '../../shared/config/accounts.js';

export const SALT_BYTES = 16;
export const KEY_BYTES = 32;
/** The longest password the console's sign-in takes (accountPassword in shared/api/accounts.ts). */
export const MAX_PASSWORD_LENGTH = 1024;

export interface PasswordHash extends PasswordHashCost {
  salt: Buffer;
  hash: Buffer;
}

function scrypt(password: string, salt: Buffer, cost: PasswordHashCost, keyLength: number): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node refuses more than 32 MiB unless told.
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCb(password.normalize('NFC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string, cost: PasswordHashCost): Promise<PasswordHash> {
  const salt = randomBytes(SALT_BYTES);
  return { N: cost.N, r: cost.r, p: cost.p, salt, hash: await scrypt(password, salt, cost, KEY_BYTES) };
}

/** True when the password matches; the comparison takes the same time wherever the first difference is. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const candidate = await scrypt(password, stored.salt, stored, stored.hash.length);
  return timingSafeEqual(candidate, stored.hash);
}

/** A stored hash made with other costs than the configured ones is rehashed at the next good sign-in. */
export function needsRehash(stored: PasswordHashCost, wanted: PasswordHashCost): boolean {
  return stored.N !== wanted.N || stored.r !== wanted.r || stored.p !== wanted.p;
}

/**
 * Why a new password is not acceptable, as a message key with parameters and
 * English text; null when it is. Length counts characters, not bytes.
 */
export function passwordProblem(password: string, rules: { minLength: number; user?: string }): { key: string; params: Record<string, string | number>; message: string } | null {
  const length = [...password.normalize('NFC')].length;
  if (length < rules.minLength) {
    return { key: 'accounts.password.tooShort', params: { min: rules.minLength }, message: `the password must be at least ${rules.minLength} characters long` };
  }
  // The console's sign-in takes no longer password (its schema counts UTF-16 units): one the CLI took could never sign in.
  if (password.length > MAX_PASSWORD_LENGTH) {
    return { key: 'accounts.password.tooLong', params: { max: MAX_PASSWORD_LENGTH }, message: `the password must be at most ${MAX_PASSWORD_LENGTH} characters long` };
  }
  if (password.trim() !== password) {
    return { key: 'accounts.password.spaces', params: {}, message: 'the password must not begin or end with a space' };
  }
  if (rules.user && password.toLowerCase().includes(rules.user.toLowerCase())) {
    return { key: 'accounts.password.containsUser', params: {}, message: 'the password must not contain the user name' };
  }
  return null;
}
