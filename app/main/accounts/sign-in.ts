/**
 * Checking a password at sign-in. A wrong password is answered only after a
 * delay that doubles with each consecutive failure, and the failure that
 * reaches the configured count locks the name for the configured time (both
 * written to the audit trail). A name with no account is treated exactly
 * alike: the same scrypt work, the same delays, its failures counted (in
 * memory) and locked the same way, so no answer tells whether the name
 * exists. Attempts for one name run one at a time, so parallel guesses cannot
 * slip past the count; and at most a few checks run at once over all names
 * (each is a scrypt of 128 MiB), a bounded number wait, further ones are
 * refused at once, so a flood of sign-ins cannot take the station's memory
 * and threads from the operators.
 *
 * What was typed as a user name that has no account is never written to the
 * audit trail (a password typed there by mistake would be kept and forwarded
 * upstream): it appears as "unknown account #<keyed hash>", the same for the
 * same text while the station runs, so repeated attempts can be followed.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { AccountsConfig } from '../../shared/config/accounts.js';
import type { AuditSink } from '../api/audit-sink.js';
import type { Clock } from './clock.js';
import { hashPassword, needsRehash, verifyPassword, type PasswordHash } from './password.js';
import type { Account, AccountStore } from './store.js';

export const FAILURE_DELAY_BASE_MS = 500;
export const FAILURE_DELAY_MAX_MS = 10_000;
/** Password checks (scrypt) running at once, over all names and consoles. */
export const MAX_CONCURRENT_CHECKS = 2;
/** Checks that may wait for one of those; a sign-in beyond is refused at once (busy). */
export const MAX_WAITING_CHECKS = 32;
/** Names with no account whose failures are remembered; beyond, the oldest unlocked are forgotten. */
export const MAX_UNKNOWN_NAMES = 10_000;

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
    /** Who the audit trail names: the account, or "unknown account #…" for a name with none. */
    readonly auditUser: string,
  ) {
    super(message);
  }
}

/** Refused before the password was looked at: too many sign-ins are being checked. */
export class SignInBusy extends SignInRefused {}

export interface PasswordCheckerOptions {
  /** The password check; scrypt (password.ts) unless a test counts the checks. */
  verify?: (password: string, stored: PasswordHash) => Promise<boolean>;
  maxConcurrentChecks?: number;
  maxWaitingChecks?: number;
}

interface Failures {
  failures: number;
  lockedUntil: number | null;
}

export class PasswordChecker {
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Failures and locks of names with no account, as the store keeps them for accounts. */
  private readonly unknownFailures = new Map<string, Failures>();
  private dummy: { cost: string; hash: Promise<PasswordHash> } | null = null;
  /** Keys the hash that stands for an unknown name in the audit trail; never stored. */
  private readonly nameKey = randomBytes(32);
  private readonly verify: (password: string, stored: PasswordHash) => Promise<boolean>;
  private readonly maxRunning: number;
  private readonly maxWaiting: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly store: AccountStore,
    private readonly audit: AuditSink,
    private readonly clock: Clock,
    private readonly config: () => AccountsConfig,
    options: PasswordCheckerOptions = {},
  ) {
    this.verify = options.verify ?? verifyPassword;
    this.maxRunning = options.maxConcurrentChecks ?? MAX_CONCURRENT_CHECKS;
    this.maxWaiting = options.maxWaitingChecks ?? MAX_WAITING_CHECKS;
  }

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

  /** How the audit trail names what was typed: the account's name, or a keyed hash of a name with none. */
  auditName(name: string, exists: boolean): string {
    return exists ? name : `unknown account #${createHmac('sha256', this.nameKey).update(name).digest('hex').slice(0, 12)}`;
  }

  private async attempt(name: string, password: string, source: string): Promise<Account> {
    const cfg = this.config();
    const account = this.store.get(name);
    const who = this.auditName(name, account !== null);
    const now = this.clock.now();
    const lockedUntil = account ? account.lockedUntil : (this.unknownFailures.get(name)?.lockedUntil ?? null);
    if (lockedUntil !== null && lockedUntil > now) {
      const minutes = Math.ceil((lockedUntil - now) / 60_000);
      throw new SignInRefused(`account "${name}" is locked for ${minutes} more min after failed sign-ins`, 'accounts.signIn.locked', { minutes }, `account locked until ${new Date(lockedUntil).toISOString()}`, who);
    }
    const stored = account?.password ?? (await this.dummyHash(cfg));
    const ok = await this.checked(() => this.verify(password, stored), who);
    if (ok && account) {
      if (account.disabled !== null) {
        throw new SignInRefused(`account "${name}" is disabled`, 'accounts.signIn.disabled', {}, 'account disabled', who);
      }
      this.store.clearFailures(name);
      if (needsRehash(account.password, cfg.passwordHash)) this.store.rehash(name, await hashPassword(password, cfg.passwordHash));
      return account;
    }
    const lockMs = cfg.lockMinutes * 60_000;
    const counted = account
      ? this.store.recordFailure(name, this.clock.now(), cfg.lockAfterFailures, lockMs)
      : this.recordUnknownFailure(name, this.clock.now(), cfg.lockAfterFailures, lockMs);
    if (counted.lockedUntil !== null) {
      // Stored before it is written here: if this write fails the request fails loudly (internal), the lock still holds.
      this.audit.record({
        user: who,
        role: account ? account.roles.join('+') : null,
        action: 'accounts.locked',
        target: who,
        result: 'ok',
        detail: `${counted.failures} failed sign-ins in a row: locked for ${cfg.lockMinutes} min${account ? '' : ' (no such account)'}`,
        source,
      });
    }
    await this.clock.sleep(failureDelayMs(counted.failures));
    const detail = account ? `wrong password (${counted.failures} in a row)` : 'no such account';
    if (counted.lockedUntil !== null) {
      throw new SignInRefused(`wrong password; account "${name}" is now locked for ${cfg.lockMinutes} min`, 'accounts.signIn.nowLocked', { minutes: cfg.lockMinutes }, `${detail}; locked`, who);
    }
    throw new SignInRefused('wrong user name or password', 'accounts.signIn.wrong', {}, detail, who);
  }

  /** The same count and lock as AccountStore.recordFailure, in memory, for a name with no account. */
  private recordUnknownFailure(name: string, now: number, lockAfter: number, lockMs: number): Failures {
    const before = this.unknownFailures.get(name);
    const failures = (before?.failures ?? 0) + 1;
    const lockedUntil = failures >= lockAfter ? now + lockMs : null;
    this.unknownFailures.delete(name);
    // A lock starts the count again, as for an account.
    this.unknownFailures.set(name, { failures: lockedUntil === null ? failures : 0, lockedUntil: lockedUntil ?? before?.lockedUntil ?? null });
    if (this.unknownFailures.size > MAX_UNKNOWN_NAMES) this.forgetOneUnknown(now);
    return { failures, lockedUntil };
  }

  /** Forgets the oldest name that is not locked now (a lock outlives a flood of other names), or else the oldest. */
  private forgetOneUnknown(now: number): void {
    let scanned = 0;
    for (const [name, f] of this.unknownFailures) {
      if (f.lockedUntil === null || f.lockedUntil <= now || ++scanned > 1000) {
        this.unknownFailures.delete(name);
        return;
      }
    }
  }

  /** Runs a password check in one of the few places there are; waits for one, or is refused when too many wait. */
  private async checked<T>(check: () => Promise<T>, who: string): Promise<T> {
    if (this.running >= this.maxRunning) {
      if (this.waiting.length >= this.maxWaiting) {
        throw new SignInBusy('the station is checking too many sign-ins at once; try again', 'accounts.signIn.busy', {}, `refused unchecked: ${this.running} password checks running and ${this.waiting.length} waiting`, who);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await check();
    } finally {
      // The place goes to the next in line (still counted as running), or is given back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** A hash with the configured costs to check unknown names against: the same work as a real account. */
  private dummyHash(cfg: AccountsConfig): Promise<PasswordHash> {
    const cost = JSON.stringify(cfg.passwordHash);
    if (this.dummy?.cost !== cost) this.dummy = { cost, hash: hashPassword(randomBytes(24).toString('base64'), cfg.passwordHash) };
    return this.dummy.hash;
  }
}
