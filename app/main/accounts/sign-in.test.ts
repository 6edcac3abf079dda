/** Failed sign-ins: growing delays, the lock after the configured count and its end, all on a clock the test moves. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../api/audit-sink.js';
import { hashPassword } from './password.js';
import { PasswordChecker, SignInRefused } from './sign-in.js';
import { AccountStore } from './store.js';
import { tempDir, TestClock, testConfig } from './testing/fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let store: AccountStore;
let clock: TestClock;
let audit: AuditRecord[];
let checker: PasswordChecker;
const cfg = testConfig({ lockAfterFailures: 3, lockMinutes: 10 });

beforeEach(async () => {
  tmp = tempDir();
  store = AccountStore.open(tmp.dir);
  clock = new TestClock();
  audit = [];
  checker = new PasswordChecker(store, { record: (e) => audit.push(e) }, clock, () => cfg);
  store.insert({ user: 'ivanova', displayName: 'A. Ivanova', roles: ['operator'], password: await hashPassword('right password 1', cfg.passwordHash) }, clock.now());
});
afterEach(() => {
  store.close();
  tmp.remove();
});

const refusal = async (p: Promise<unknown>): Promise<SignInRefused> => {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(SignInRefused);
  return err as SignInRefused;
};

describe('sign-in password check', () => {
  it('lets the right password in without waiting', async () => {
    expect((await checker.check('ivanova', 'right password 1', 'test')).user).toBe('ivanova');
    expect(clock.sleeps).toEqual([]);
  });

  it('answers a wrong password after a delay that doubles with each failure', async () => {
    for (let i = 0; i < 2; i++) expect((await refusal(checker.check('ivanova', 'wrong', 'test'))).key).toBe('accounts.signIn.wrong');
    expect(clock.sleeps).toEqual([500, 1000]);
    expect(store.get('ivanova')?.failures).toBe(2);
  });

  it('a good sign-in starts the count again', async () => {
    await refusal(checker.check('ivanova', 'wrong', 'test'));
    await checker.check('ivanova', 'right password 1', 'test');
    await refusal(checker.check('ivanova', 'wrong', 'test'));
    expect(clock.sleeps).toEqual([500, 500]);
  });

  it('locks the account at the configured count for the configured time, audited, and lets it in after', async () => {
    await refusal(checker.check('ivanova', 'wrong', 'desk-1'));
    await refusal(checker.check('ivanova', 'wrong', 'desk-1'));
    const third = await refusal(checker.check('ivanova', 'wrong', 'desk-1'));
    expect(third.key).toBe('accounts.signIn.nowLocked');
    expect(third.params).toEqual({ minutes: 10 });
    expect(audit).toEqual([expect.objectContaining({ action: 'accounts.locked', target: 'ivanova', user: 'ivanova', source: 'desk-1', result: 'ok' })]);
    const lockedAt = clock.now() - 2000; // the third failure's 2 s delay came after the lock
    expect(store.get('ivanova')?.lockedUntil).toBe(lockedAt + 10 * 60_000);

    // Locked: even the right password is refused, at once and without counting.
    clock.advance(10 * 60_000 - 2000 - 1);
    const locked = await refusal(checker.check('ivanova', 'right password 1', 'desk-1'));
    expect(locked.key).toBe('accounts.signIn.locked');
    expect(locked.params).toEqual({ minutes: 1 });
    expect(clock.sleeps).toEqual([500, 1000, 2000]);

    clock.advance(1);
    expect((await checker.check('ivanova', 'right password 1', 'desk-1')).user).toBe('ivanova');
    expect(store.get('ivanova')).toMatchObject({ failures: 0, lockedUntil: null });
  });

  it('gives an unknown name the same answer and the same delays', async () => {
    const a = await refusal(checker.check('nobody', 'whatever', 'test'));
    const b = await refusal(checker.check('nobody', 'whatever', 'test'));
    expect([a.key, a.message]).toEqual(['accounts.signIn.wrong', 'wrong user name or password']);
    expect(b.key).toBe('accounts.signIn.wrong');
    expect(clock.sleeps).toEqual([500, 1000]);
    expect(a.auditDetail).toBe('no such account');
  });

  it('answers an unknown name exactly as a real one with wrong passwords, the lock included', async () => {
    // README, "Sign-in policy": an unknown user name "costs the same work and delays and gets the same answer".
    const answers = async (name: string) => {
      clock.sleeps.length = 0;
      const seen: unknown[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await refusal(checker.check(name, `guess ${i}`, 'test'));
        seen.push({ key: r.key, params: r.params, message: r.message.replace(name, '<name>') });
      }
      return { seen, sleeps: [...clock.sleeps] };
    };
    const real = await answers('ivanova');
    const unknown = await answers('nobody');
    expect(unknown).toEqual(real);
    // lockAfterFailures 3: wrong, wrong, locked now, then locked (at once, no wait).
    expect(real.seen.map((a) => (a as { key: string }).key)).toEqual([
      'accounts.signIn.wrong', 'accounts.signIn.wrong', 'accounts.signIn.nowLocked', 'accounts.signIn.locked', 'accounts.signIn.locked',
    ]);
    expect(real.sleeps).toEqual([500, 1000, 2000]);
    // Both locks run out alike, and both names count from the start again.
    clock.advance(10 * 60_000);
    expect((await refusal(checker.check('ivanova', 'wrong', 'test'))).key).toBe('accounts.signIn.wrong');
    expect((await refusal(checker.check('nobody', 'wrong', 'test'))).key).toBe('accounts.signIn.wrong');
  });

  it('counts failures within the configured window only: older ones expire (IEC 62443-3-3 SR 1.11)', async () => {
    // lockAfterFailures 3, failureWindowMin 15 (the default): two failures, then a quiet window.
    await refusal(checker.check('ivanova', 'wrong', 'desk-1'));
    await refusal(checker.check('ivanova', 'wrong', 'desk-1'));
    clock.advance(15 * 60_000);
    // Two more are again the first and second in the window: no lock yet, the delays start over.
    expect((await refusal(checker.check('ivanova', 'wrong', 'desk-1'))).key).toBe('accounts.signIn.wrong');
    expect((await refusal(checker.check('ivanova', 'wrong', 'desk-1'))).key).toBe('accounts.signIn.wrong');
    expect(clock.sleeps).toEqual([500, 1000, 500, 1000]);
    expect((await refusal(checker.check('ivanova', 'wrong', 'desk-1'))).key).toBe('accounts.signIn.nowLocked');
  });

  it('ends a lock when the password is changed, also by another process (the CLI)', async () => {
    for (let i = 0; i < 3; i++) await refusal(checker.check('ivanova', 'wrong', 'desk-1'));
    store.setPassword('ivanova', await hashPassword('right password 2', cfg.passwordHash), clock.now());
    expect((await checker.check('ivanova', 'right password 2', 'desk-1')).user).toBe('ivanova');
  });

  it('never puts a name with no account in the audit trail: a keyed hash stands for it', async () => {
    const typed = 'correct horse battery'; // a password typed in the user-name field
    const a = await refusal(checker.check(typed, 'x', 'test'));
    const b = await refusal(checker.check(typed, 'y', 'test'));
    const other = await refusal(checker.check('nobody', 'x', 'test'));
    expect(a.auditUser).toMatch(/^unknown account #[0-9a-f]{12}$/);
    expect(b.auditUser).toBe(a.auditUser);
    expect(other.auditUser).not.toBe(a.auditUser);
    expect(JSON.stringify([a, b, a.auditDetail, b.auditDetail])).not.toContain('horse');
    expect((await refusal(checker.check('ivanova', 'wrong', 'test'))).auditUser).toBe('ivanova');
  });

  it('answers a disabled account alike whether the password is right or wrong (no password oracle)', async () => {
    store.setDisabled('ivanova', true, clock.now());
    const wrong = await refusal(checker.check('ivanova', 'wrong', 'test'));
    const right = await refusal(checker.check('ivanova', 'right password 1', 'test'));
    // Security review t3: the answer (and its wait) to the right password must be that to a wrong one.
    expect([right.key, right.message, right.params]).toEqual([wrong.key, wrong.message, wrong.params]);
    expect(right.key).toBe('accounts.signIn.wrong');
    expect(clock.sleeps).toEqual([500, 1000]);
    // The trail still says why (for the administrator, not the caller).
    expect(right.auditDetail).toBe('account disabled');
  });

  it('runs attempts for one name one at a time, so parallel guesses still lock', async () => {
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => checker.check('ivanova', 'wrong', 'test')));
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as SignInRefused).key : 'ok'))).toEqual([
      'accounts.signIn.wrong',
      'accounts.signIn.wrong',
      'accounts.signIn.nowLocked',
      'accounts.signIn.locked',
    ]);
  });

  it('rehashes with the configured costs after a good sign-in', async () => {
    const raised = { ...cfg, passwordHash: { N: 2048, r: 8, p: 1 } };
    const c = new PasswordChecker(store, { record: () => undefined }, clock, () => raised);
    const before = store.get('ivanova')!.password;
    await c.check('ivanova', 'right password 1', 'test');
    const after = store.get('ivanova')!.password;
    expect([before.N, after.N]).toEqual([1024, 2048]);
    expect(after.salt.equals(before.salt)).toBe(false);
    expect((await c.check('ivanova', 'right password 1', 'test')).user).toBe('ivanova');
  });
});
