import { describe, expect, it } from 'vitest';
import { scryptSync } from 'node:crypto';
import { defaultPasswordHash } from '../../shared/config/accounts.js';
import { stationConfigSchema } from '../../shared/config.js';
import { hashPassword, KEY_BYTES, needsRehash, passwordProblem, SALT_BYTES, verifyPassword } from './password.js';

const cheap = { N: 1024, r: 8, p: 1 };

describe('password hashes', () => {
  it('are scrypt with the stated costs, a 16-byte salt and a 32-byte key, as node:crypto computes them', async () => {
    const h = await hashPassword('correct horse battery', cheap);
    expect(h).toMatchObject({ N: 1024, r: 8, p: 1 });
    expect(h.salt).toHaveLength(SALT_BYTES);
    expect(h.hash).toHaveLength(KEY_BYTES);
    // The reference: node's own scrypt over the same salt and costs.
    expect(h.hash.equals(scryptSync('correct horse battery', h.salt, 32, { N: 1024, r: 8, p: 1 }))).toBe(true);
  });

  it('take a fresh salt each time, so equal passwords do not share a hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password!', cheap), hashPassword('same password!', cheap)]);
    expect(a.salt.equals(b.salt)).toBe(false);
    expect(a.hash.equals(b.hash)).toBe(false);
  });

  it('verify the right password only, with the costs stored beside the hash', async () => {
    const h = await hashPassword('tank-farm-2026', { N: 2048, r: 4, p: 2 });
    expect(await verifyPassword('tank-farm-2026', h)).toBe(true);
    expect(await verifyPassword('tank-farm-2027', h)).toBe(false);
    expect(await verifyPassword('', h)).toBe(false);
  });

  it('default to OWASP\'s scrypt minimum, and the station config takes them from there', () => {
    expect(defaultPasswordHash).toEqual({ N: 131072, r: 8, p: 1 });
    const cfg = stationConfigSchema.shape.accounts.parse(undefined);
    expect(cfg.passwordHash).toEqual({ N: 131072, r: 8, p: 1 });
    expect(cfg).toMatchObject({ inactivitySignOutMin: 15, lockAfterFailures: 5, lockMinutes: 15, minPasswordLength: 10 });
  });

  it('ask for a rehash when the configured costs changed', () => {
    expect(needsRehash(cheap, cheap)).toBe(false);
    expect(needsRehash(cheap, { ...cheap, N: 2048 })).toBe(true);
    expect(needsRehash(cheap, { ...cheap, r: 16 })).toBe(true);
    expect(needsRehash(cheap, { ...cheap, p: 2 })).toBe(true);
  });

  it('refuse a cost that is not a power of two in the config', () => {
    expect(() => stationConfigSchema.shape.accounts.parse({ passwordHash: { N: 100000, r: 8, p: 1 } })).toThrow(/power of two/);
  });
});

describe('password rules', () => {
  it('name the rule a password breaks', () => {
    expect(passwordProblem('short', { minLength: 10 })).toMatchObject({ key: 'accounts.password.tooShort', params: { min: 10 } });
    expect(passwordProblem('short', { minLength: 10 })?.message).toBe('the password must be at least 10 characters long');
    expect(passwordProblem(' leading space ok?', { minLength: 10 })?.key).toBe('accounts.password.spaces');
    expect(passwordProblem('my-name-is-ivanova', { minLength: 10, user: 'ivanova' })?.key).toBe('accounts.password.containsUser');
    expect(passwordProblem('long enough pass', { minLength: 10, user: 'ivanova' })).toBeNull();
  });

  it('count characters, not bytes', () => {
    expect(passwordProblem('пароль-раз', { minLength: 10 })).toBeNull();
    expect(passwordProblem('密码密码密码密码密', { minLength: 10 })?.key).toBe('accounts.password.tooShort');
  });
});
