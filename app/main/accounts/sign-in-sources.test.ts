/**
 * The delay after a failed sign-in is the failing source's own: a guesser on the network, waiting
 * out its delays, does not hold up the operator signing in at the station's console. The sleeps of
 * this clock are held until the test lets them go, so "not held up" is seen, not timed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditRecord } from '../api/audit-sink.js';
import { hashPassword } from './password.js';
import { PasswordChecker, SignInRefused } from './sign-in.js';
import { AccountStore } from './store.js';
import { tempDir, TestClock, testConfig } from './testing/fixtures.js';

/** A clock whose waits last until the test releases them. */
class HeldClock extends TestClock {
  readonly held: { ms: number; release(): void }[] = [];
  override async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    await new Promise<void>((release) => this.held.push({ ms, release }));
  }
}

const REMOTE = 'ws:10.20.30.40';
const LOCAL = 'console';
const cfg = testConfig({ lockAfterFailures: 3, lockMinutes: 10 });

let tmp: ReturnType<typeof tempDir>;
let store: AccountStore;
let clock: HeldClock;
let audit: AuditRecord[];
let checker: PasswordChecker;

beforeEach(async () => {
  tmp = tempDir();
  store = AccountStore.open(tmp.dir);
  clock = new HeldClock();
  audit = [];
  checker = new PasswordChecker(store, { record: (e) => audit.push(e) }, clock, () => cfg);
  store.insert({ user: 'ivanova', displayName: 'A. Ivanova', roles: ['operator'], password: await hashPassword('right password 1', cfg.passwordHash) }, clock.now());
});
afterEach(() => {
  for (const h of clock.held) h.release();
  store.close();
  tmp.remove();
});

/** The promise's outcome as it comes: the test polls it instead of awaiting a promise that may never settle. */
function watch<T>(p: Promise<T>): { settled: () => boolean; value: () => T | undefined; error: () => unknown } {
  let done = false;
  let value: T | undefined;
  let error: unknown;
  p.then((v) => ((done = true), (value = v)), (e: unknown) => ((done = true), (error = e)));
  return { settled: () => done, value: () => value, error: () => error };
}

describe('sign-in delays per source', () => {
  it('lets the local console sign in while a remote guess for the same name waits out its delay', async () => {
    const remote = watch(checker.check('ivanova', 'guess 1', REMOTE));
    await vi.waitFor(() => expect(clock.held.map((h) => h.ms)).toEqual([500]), { timeout: 10_000 });
    const local = watch(checker.check('ivanova', 'right password 1', LOCAL, true));
    await vi.waitFor(() => expect(local.settled()).toBe(true), { timeout: 10_000 });
    expect(local.value()?.user).toBe('ivanova');
    expect(remote.settled()).toBe(false); // the remote guess is still in its delay
    clock.held[0]!.release();
    await vi.waitFor(() => expect(remote.settled()).toBe(true), { timeout: 10_000 });
    expect((remote.error() as SignInRefused).key).toBe('accounts.signIn.wrong');
  });

  it('gives a local mistyped password its own first delay, not the remote guesser\'s grown one', async () => {
    // The remote source fails twice (500, 1000 ms) and waits in its third delay.
    for (let i = 0; i < 2; i++) {
      const r = watch(checker.check('ivanova', `guess ${i}`, REMOTE));
      await vi.waitFor(() => expect(clock.held.length).toBe(i + 1), { timeout: 10_000 });
      clock.held[i]!.release();
      await vi.waitFor(() => expect(r.settled()).toBe(true), { timeout: 10_000 });
    }
    const third = watch(checker.check('ivanova', 'guess 2', REMOTE));
    await vi.waitFor(() => expect(clock.held.length).toBe(3), { timeout: 10_000 });
    expect(clock.held.map((h) => h.ms)).toEqual([500, 1000, 2000]);
    // The operator mistypes at the console: the first failure of that source, 0.5 s, at once.
    const local = watch(checker.check('ivanova', 'typo', LOCAL, true));
    await vi.waitFor(() => expect(clock.held.length).toBe(4), { timeout: 10_000 });
    expect(clock.held[3]!.ms).toBe(500);
    clock.held[3]!.release();
    await vi.waitFor(() => expect(local.settled()).toBe(true), { timeout: 10_000 });
    expect((local.error() as SignInRefused).key).toBe('accounts.signIn.wrong');
    // The remote's third failure locked the name for the remote source (audited), not for the console.
    clock.held[2]!.release();
    await vi.waitFor(() => expect(third.settled()).toBe(true), { timeout: 10_000 });
    expect((third.error() as SignInRefused).key).toBe('accounts.signIn.nowLocked');
    expect(audit).toEqual([expect.objectContaining({ action: 'accounts.locked', source: REMOTE })]);
    const console = watch(checker.check('ivanova', 'right password 1', LOCAL, true));
    await vi.waitFor(() => expect(console.settled()).toBe(true), { timeout: 10_000 });
    expect(console.value()?.user).toBe('ivanova');
  });

  it('still counts every failure of one source, parallel ones too: they run one at a time and lock', async () => {
    const guesses = [1, 2, 3, 4].map((i) => watch(checker.check('ivanova', `guess ${i}`, REMOTE)));
    for (let n = 1; n <= 3; n++) {
      await vi.waitFor(() => expect(clock.held.length).toBe(n), { timeout: 10_000 });
      clock.held[n - 1]!.release();
    }
    await vi.waitFor(() => expect(guesses.every((g) => g.settled())).toBe(true), { timeout: 10_000 });
    expect(guesses.map((g) => (g.error() as SignInRefused).key)).toEqual([
      'accounts.signIn.wrong', 'accounts.signIn.wrong', 'accounts.signIn.nowLocked', 'accounts.signIn.locked',
    ]);
    expect(clock.held.map((h) => h.ms)).toEqual([500, 1000, 2000]);
  });
});
