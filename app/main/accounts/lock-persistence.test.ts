/**
 * Failed sign-ins and locks are kept in accounts.sqlite: a station restarted (or crashed and
 * started again) still holds a lock until it runs out, and goes on counting failures where it
 * stopped, so a guesser who can make the station restart gets no fresh attempts. An accounts
 * file written before this (no table for them) opens and takes them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AccountsModule } from './module.js';
import { hashPassword } from './password.js';
import { PasswordChecker, SignInRefused } from './sign-in.js';
import { AccountStore } from './store.js';
import { silentLogger } from '../log.js';
import { tempDir, TestClock, testConfig } from './testing/fixtures.js';

const cfg = testConfig({ lockAfterFailures: 3, lockMinutes: 10 });
const SOURCE = 'ws:10.20.30.40';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.remove());

const keyOf = async (p: Promise<unknown>): Promise<string> => {
  const err = await p.then(() => null, (e: unknown) => e);
  if (err === null) return 'ok';
  expect(err).toBeInstanceOf(SignInRefused);
  return (err as SignInRefused).key;
};

const open = (clock: TestClock) => AccountsModule.open({ dataDir: tmp.dir, config: () => cfg, logger: silentLogger(), clock });

describe('failed sign-ins across a restart', () => {
  it('keeps a lock through a restart of the station until it runs out', async () => {
    const clock = new TestClock();
    let station = open(clock);
    station.store.insert({ user: 'ivanova', displayName: 'A. Ivanova', roles: ['operator'], password: await hashPassword('right password 1', cfg.passwordHash) }, clock.now());
    for (let i = 0; i < 2; i++) expect(await keyOf(station.checker.check('ivanova', `guess ${i}`, SOURCE))).toBe('accounts.signIn.wrong');
    expect(await keyOf(station.checker.check('ivanova', 'guess 2', SOURCE))).toBe('accounts.signIn.nowLocked');
    const lockedAt = clock.now() - 2000; // the third failure's 2 s delay came after the lock
    const locks = station.audit.read(0, 100).filter((e) => e.action === 'accounts.locked');
    expect(locks).toEqual([expect.objectContaining({ user: 'ivanova', source: SOURCE })]);
    station.start();
    station.stop();

    station = open(clock);
    try {
      station.start();
      // The right password, from the source that locked it: still refused, at once.
      clock.advance(60_000);
      expect(await keyOf(station.checker.check('ivanova', 'right password 1', SOURCE))).toBe('accounts.signIn.locked');
      // Another source (the station's console) was never locked.
      expect(await keyOf(station.checker.check('ivanova', 'right password 1', 'console', true))).toBe('ok');
      clock.t = lockedAt + 10 * 60_000 - 1;
      expect(await keyOf(station.checker.check('ivanova', 'right password 1', SOURCE))).toBe('accounts.signIn.locked');
      clock.advance(1);
      expect(await keyOf(station.checker.check('ivanova', 'right password 1', SOURCE))).toBe('ok');
    } finally {
      station.stop();
    }
  });

  it('goes on counting failures where a closed store left them, within the window', async () => {
    const clock = new TestClock();
    let store = AccountStore.open(tmp.dir);
    store.insert({ user: 'ivanova', displayName: 'A. Ivanova', roles: ['operator'], password: await hashPassword('right password 1', cfg.passwordHash) }, clock.now());
    let checker = new PasswordChecker(store, { record: () => undefined }, clock, () => cfg);
    for (let i = 0; i < 2; i++) expect(await keyOf(checker.check('ivanova', `guess ${i}`, SOURCE))).toBe('accounts.signIn.wrong');
    store.close();

    store = AccountStore.open(tmp.dir);
    try {
      checker = new PasswordChecker(store, { record: () => undefined }, clock, () => cfg);
      clock.sleeps.length = 0;
      // The third failure in the window: its delay is the third's, and it locks.
      expect(await keyOf(checker.check('ivanova', 'guess 2', SOURCE))).toBe('accounts.signIn.nowLocked');
      expect(clock.sleeps).toEqual([2000]);
    } finally {
      store.close();
    }
  });

  it('opens an accounts file written before failures were kept, and locks with it', async () => {
    // The accounts table as earlier versions made it, and nothing else.
    const db = new Database(join(tmp.dir, 'accounts.sqlite'));
    db.exec(`CREATE TABLE accounts (name TEXT PRIMARY KEY, display_name TEXT NOT NULL, roles TEXT NOT NULL, scrypt_n INTEGER NOT NULL,
      scrypt_r INTEGER NOT NULL, scrypt_p INTEGER NOT NULL, salt BLOB NOT NULL, hash BLOB NOT NULL, created INTEGER NOT NULL,
      changed INTEGER NOT NULL, password_changed INTEGER NOT NULL, disabled INTEGER, failures INTEGER NOT NULL DEFAULT 0, locked_until INTEGER) STRICT`);
    const h = await hashPassword('right password 1', cfg.passwordHash);
    const t0 = Date.UTC(2026, 9, 1);
    db.prepare('INSERT INTO accounts (name, display_name, roles, scrypt_n, scrypt_r, scrypt_p, salt, hash, created, changed, password_changed) VALUES (?,?,?,?,?,?,?,?,?,?,?)')
      .run('petrov', 'Petrov', '["supervisor"]', h.N, h.r, h.p, h.salt, h.hash, t0, t0, t0);
    db.close();

    const clock = new TestClock();
    let store = AccountStore.open(tmp.dir);
    try {
      expect(store.get('petrov')?.roles).toEqual(['supervisor']);
      const checker = new PasswordChecker(store, { record: () => undefined }, clock, () => cfg);
      for (let i = 0; i < 3; i++) await keyOf(checker.check('petrov', `guess ${i}`, SOURCE));
    } finally {
      store.close();
    }
    store = AccountStore.open(tmp.dir);
    try {
      const checker = new PasswordChecker(store, { record: () => undefined }, clock, () => cfg);
      expect(await keyOf(checker.check('petrov', 'right password 1', SOURCE))).toBe('accounts.signIn.locked');
      // A new password (the CLI's passwd, another process) ends the kept lock.
      store.setPassword('petrov', await hashPassword('right password 2', cfg.passwordHash), clock.now());
      expect(await keyOf(checker.check('petrov', 'right password 2', SOURCE))).toBe('ok');
    } finally {
      store.close();
    }
  });
});
