/**
 * Checking a password at sign-in. A wrong password is answered only after a
 * delay that doubles with each consecutive failure, and the failure that
 * reaches the configured count locks the account for the configured time
 * (both written to the audit trail). An unknown user name costs the same
 * scrypt work and the same delays, so the answer does not tell whether the
 * name exists. Attempts for one name run one at a time, so parallel guesses
 * cannot slip past the count.
 */
import { randomBytes } from 'node:crypto';
import type { AccountsConfig } from '../../shared/config/accounts.js';
import type { AuditSink } from '../api/audit-sink.js';
import type { Clock } from './clock.js';
import { hashPassword, needsRehash, verifyPassword, type PasswordHash } from './password.js';
import type { Account, AccountStore } from './store.js';

export const FAILURE_DELAY_BASE_MS = 500;
export const FAILURE_DELAY_MAX_MS = 10_000;

/** The wait before answering the n-th consecutive failure (n ≥ 1). */
export function failureDelayMs(failures: number): number {
  return Math.min(FAILURE_DELAY_BASE_MS * 2 ** Math.max(0, failures - 1), FAILURE_DELAY_MAX_MS);
}

/** A refused sign-in: English for the log and the audit trail, a key for the console. */
export class SignInRefused extends Error {
  constructor(
    message: string,
    readonly key: string,
    readonly params: Record<string, string | number>,
    /** What the audit trail records (says more than the console is told). */
    readonly auditDetail: string,
  ) {
    super(message);
  }
}

export class PasswordChecker {
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Failures of names with no account, for the same delays (bounded: the oldest names are forgotten). */
  private readonly unknownFailures = new Map<string, number>();
  private dummy: { cost: string; hash: Promise<PasswordHash> } | null = null;

  constructor(
    private readonly store: AccountStore,
    private readonly audit: AuditSink,
    private readonly clock: Clock,
    private readonly config: () => AccountsConfig,
  ) {}

  /** The account when the password is right and the account may sign in; SignInRefused otherwise. */
  check(name: string, password: string, source: string): Promise<Account> {
    const previous = this.queues.get(name) ?? Promise.resolve();
    const attempt = previous.then(
      () => this.attempt(name, password, source),
      () => this.attempt(name, password, source),
    );
    const settled = attempt.catch(() => undefined);
    this.queues.set(name, settled);
    void settled.then(() => {
      if (this.queues.get(name) === settled) this.queues.delete(name);
    });
    return attempt;
  }

  private async attempt(name: string, password: string, source: string): Promise<Account> {
    const cfg = this.config();
    const account = this.store.get(name);
    const now = this.clock.now();
    if (account && account.lockedUntil !== null && account.lockedUntil > now) {
      const minutes = Math.ceil((account.lockedUntil - now) / 60_000);
      throw new SignInRefused(`account "${name}" is locked for ${minutes} more min after failed sign-ins`, 'accounts.signIn.locked', { minutes }, `account locked until ${new Date(account.lockedUntil).toISOString()}`);
    }
    const ok = await verifyPassword(password, account?.password ?? (await this.dummyHash(cfg)));
    if (ok && account) {
      if (account.disabled !== null) {
        throw new SignInRefused(`account "${name}" is disabled`, 'accounts.signIn.disabled', {}, 'account disabled');
      }
      this.store.clearFailures(name);
      if (needsRehash(account.password, cfg.passwordHash)) this.store.rehash(name, await hashPassword(password, cfg.passwordHash));
      return account;
    }
    let failures: number;
    let lockedUntil: number | null = null;
    if (account) {
      ({ failures, lockedUntil } = this.store.recordFailure(name, this.clock.now(), cfg.lockAfterFailures, cfg.lockMinutes * 60_000));
      if (lockedUntil !== null) {
        // Stored before it is written here: if this write fails the request fails loudly (internal), the lock still holds.
        this.audit.record({
          user: name,
          role: account.roles.join('+'),
          action: 'accounts.locked',
          target: name,
          result: 'ok',
          detail: `${failures} failed sign-ins in a row: locked for ${cfg.lockMinutes} min`,
          source,
        });
      }
    } else {
      failures = (this.unknownFailures.get(name) ?? 0) + 1;
      this.unknownFailures.delete(name);
      this.unknownFailures.set(name, failures);
      if (this.unknownFailures.size > 1000) this.unknownFailures.delete(this.unknownFailures.keys().next().value!);
    }
    await this.clock.sleep(failureDelayMs(failures));
    const detail = account ? `wrong password (${failures} in a row)` : 'no such account';
    if (lockedUntil !== null) {
      throw new SignInRefused(`wrong password; account "${name}" is now locked for ${cfg.lockMinutes} min`, 'accounts.signIn.nowLocked', { minutes: cfg.lockMinutes }, `${detail}; locked`);
    }
    throw new SignInRefused('wrong user name or password', 'accounts.signIn.wrong', {}, detail);
  }

  /** A hash with the configured costs to check unknown names against: the same work as a real account. */
  private dummyHash(cfg: AccountsConfig): Promise<PasswordHash> {
    const cost = JSON.stringify(cfg.passwordHash);
    if (this.dummy?.cost !== cost) this.dummy = { cost, hash: hashPassword(randomBytes(24).toString('base64'), cfg.passwordHash) };
    return this.dummy.hash;
  }
}
