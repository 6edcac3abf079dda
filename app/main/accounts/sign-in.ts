/**
 * Checking a password at sign-in. A wrong password is answered only after a
 * delay that doubles with each consecutive failure, and the failure that
 * reaches the configured count within the configured window locks the name for
 * the configured time, for the source that failed only (both written to the
 * audit trail). An account's counts and locks are kept in accounts.sqlite, so
 * a restart resets none. A name with no account is treated exactly
 * alike: the same scrypt work, the same delays, its failures counted (in
 * memory) and locked the same way, so no answer tells whether the name
 * exists. Attempts for one name from one source run one at a time, so parallel
 * guesses cannot slip past the count, and a source's delays hold up no other
 * source's sign-in; and at most a few checks run at once over all names
 * (each is a scrypt of 128 MiB), a bounded number wait (a few per source, some
 * places kept for the station's own console), further ones are refused at once, so a flood of sign-ins cannot take the station's memory
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
import type { Account, AccountStore, StoredFailures } from './store.js';

export const FAILURE_DELAY_BASE_MS = 500;
export const FAILURE_DELAY_MAX_MS = 10_000;
/** Password checks (scrypt) running at once, over all names and consoles. */
export const MAX_CONCURRENT_CHECKS = 2;
/** Checks that may wait for one of those; a sign-in beyond is refused at once (busy). */
export const MAX_WAITING_CHECKS = 32;
/** Checks one source (a network address; the station's own console) may have running and waiting at once. */
export const MAX_CHECKS_PER_SOURCE = 4;
/** Waiting places only the station's own console (IPC, loopback) may take: a flood from the network leaves them free. */
export const WAITING_RESERVED_FOR_LOCAL = 8;
/** (name, source) pairs whose failures are remembered; beyond, the oldest unlocked are forgotten. */
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

/**
 * Refused before the password was looked at: the name is locked for this source. Answered at once
 * and costing its caller nothing, so its repeats are counted into one audit entry, not one each.
 */
export class SignInLocked extends SignInRefused {}

export interface PasswordCheckerOptions {
  /** The password check; scrypt (password.ts) unless a test counts the checks. */
  verify?: (password: string, stored: PasswordHash) => Promise<boolean>;
  maxConcurrentChecks?: number;
  maxWaitingChecks?: number;
  maxChecksPerSource?: number;
  waitingReservedForLocal?: number;
}

/** Failures older than the window are forgotten; a new password (the CLI's passwd too) ends the lock. */
type Failures = StoredFailures;

/**
 * Failures are counted, and a lock holds, per name and source (IEC 62443-3-3 SR 1.11; clause 4.2:
 * security must not keep an operator from an alarm): a guesser elsewhere locks the name for its own
 * source only, never for the station's own console or another desk.
 */
const failureKey = (name: string, source: string): string => `${name}\n${source}`;

export class PasswordChecker {
  private readonly queues = new Map<string, Promise<unknown>>();
  /**
   * Failures and locks per name with no account and source, in the order first counted. An account's are
   * kept in accounts.sqlite (a restart resets no lock); a name with none is kept here only, never written
   * to a file (it may be a password typed into the name field).
   */
  private readonly failuresBySource = new Map<string, Failures>();
  private dummy: { cost: string; hash: Promise<PasswordHash> } | null = null;
  /** Keys the hash that stands for an unknown name in the audit trail; never stored. */
  private readonly nameKey = randomBytes(32);
  private readonly verify: (password: string, stored: PasswordHash) => Promise<boolean>;
  private readonly maxRunning: number;
  private readonly maxWaiting: number;
  private readonly maxPerSource: number;
  private readonly reservedForLocal: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Checks running or waiting per source: one source takes no more than its share. */
  private readonly inFlight = new Map<string, number>();

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
    this.maxPerSource = options.maxChecksPerSource ?? MAX_CHECKS_PER_SOURCE;
    this.reservedForLocal = options.waitingReservedForLocal ?? WAITING_RESERVED_FOR_LOCAL;
  }

  /**
   * The account when the password is right and the account may sign in; SignInRefused otherwise.
   * local: the station's own console (IPC, loopback), which has waiting places of its own.
   */
  check(name: string, password: string, source: string, local = false): Promise<Account> {
    // One at a time per name and source, the delay included: parallel guesses from a source cannot slip
    // past its count, and a guesser elsewhere, waiting out its delays, holds up no other source (the console).
    const queue = failureKey(name, source);
    const previous = this.queues.get(queue) ?? Promise.resolve();
    const attempt = previous.then(
      () => this.attempt(name, password, source, local),
      () => this.attempt(name, password, source, local),
    );
    const settled = attempt.catch(() => undefined);
    this.queues.set(queue, settled);
    void settled.then(() => {
      if (this.queues.get(queue) === settled) this.queues.delete(queue);
    });
    return attempt;
  }

  /** How the audit trail names what was typed: the account's name, or a keyed hash of a name with none. */
  auditName(name: string, exists: boolean): string {
    return exists ? name : `unknown account #${createHmac('sha256', this.nameKey).update(name).digest('hex').slice(0, 12)}`;
  }

  private async attempt(name: string, password: string, source: string, local: boolean): Promise<Account> {
    const cfg = this.config();
    const account = this.store.get(name);
    const who = this.auditName(name, account !== null);
    const now = this.clock.now();
    const lockedUntil = this.currentFailures(name, source, account, now, cfg)?.lockedUntil ?? null;
    if (lockedUntil !== null && lockedUntil > now) {
      const minutes = Math.ceil((lockedUntil - now) / 60_000);
      throw new SignInLocked(`account "${name}" is locked for ${minutes} more min after failed sign-ins`, 'accounts.signIn.locked', { minutes }, `account locked until ${new Date(lockedUntil).toISOString()}`, who);
    }
    const stored = account?.password ?? (await this.dummyHash(cfg));
    const ok = await this.checked(() => this.verify(password, stored), who, source, local);
    // A disabled account is answered as a wrong password, whatever was typed: telling it apart
    // would tell a guesser that the password is right (and stays right once it is enabled again).
    const disabled = account !== null && account.disabled !== null;
    if (ok && account && !disabled) {
      this.forgetFailures(name, source, account);
      this.store.clearFailures(name);
      if (needsRehash(account.password, cfg.passwordHash)) this.store.rehash(name, await hashPassword(password, cfg.passwordHash));
      return account;
    }
    const counted = this.recordFailure(name, source, account, this.clock.now(), cfg);
    // The Accounts page shows the latest count and lock (held for this source only).
    if (account) this.store.showFailures(name, counted.failures, counted.lockedUntil);
    if (counted.lockedUntil !== null) {
      // Stored before it is written here: if this write fails the request fails loudly (internal), the lock still holds.
      this.audit.record({
        user: who,
        role: account ? account.roles.join('+') : null,
        action: 'accounts.locked',
        target: who,
        result: 'ok',
        // "in a row": from this source, within the failure window (README, "Sign-in policy").
        detail: `${counted.failures} failed sign-ins in a row: locked for ${cfg.lockMinutes} min${account ? '' : ' (no such account)'}`,
        source,
      });
    }
    await this.clock.sleep(failureDelayMs(counted.failures));
    const detail = disabled ? 'account disabled' : account ? `wrong password (${counted.failures} in a row)` : 'no such account';
    if (counted.lockedUntil !== null) {
      throw new SignInRefused(`wrong password; account "${name}" is now locked for ${cfg.lockMinutes} min`, 'accounts.signIn.nowLocked', { minutes: cfg.lockMinutes }, `${detail}; locked`, who);
    }
    throw new SignInRefused('wrong user name or password', 'accounts.signIn.wrong', {}, detail, who);
  }

  /** The failures counted now for the name from the source; null when none (a window run out, a new password: forgotten). */
  private currentFailures(name: string, source: string, account: Account | null, now: number, cfg: AccountsConfig): Failures | null {
    const f = account ? this.store.signInFailures(name, source) : (this.failuresBySource.get(failureKey(name, source)) ?? null);
    if (!f) return null;
    const locked = f.lockedUntil !== null && f.lockedUntil > now;
    const stale = !locked && now - f.since >= cfg.failureWindowMin * 60_000;
    if (stale || f.passwordChanged !== (account?.passwordChanged ?? null)) {
      this.forgetFailures(name, source, account);
      return null;
    }
    return f;
  }

  /** Counts a failure; the count reaching lockAfterFailures within the window locks the name for this source. */
  private recordFailure(name: string, source: string, account: Account | null, now: number, cfg: AccountsConfig): { failures: number; lockedUntil: number | null } {
    const before = this.currentFailures(name, source, account, now, cfg);
    const failures = (before?.failures ?? 0) + 1;
    const lockedUntil = failures >= cfg.lockAfterFailures ? now + cfg.lockMinutes * 60_000 : null;
    // A lock starts the count again, so the next lock needs lockAfterFailures new failures.
    const f: Failures = {
      failures: lockedUntil === null ? failures : 0,
      since: before && lockedUntil === null ? before.since : now,
      lockedUntil: lockedUntil ?? before?.lockedUntil ?? null,
      passwordChanged: account?.passwordChanged ?? null,
    };
    if (account) {
      // Committed before the answer (and before its delay): a restart, or a crash, resets neither count nor lock.
      this.store.putSignInFailures(name, source, f, now);
    } else {
      const key = failureKey(name, source);
      this.failuresBySource.delete(key);
      this.failuresBySource.set(key, f);
      if (this.failuresBySource.size > MAX_UNKNOWN_NAMES) this.forgetOneUnknown(now);
    }
    return { failures, lockedUntil };
  }

  private forgetFailures(name: string, source: string, account: Account | null): void {
    if (account) this.store.forgetSignInFailures(name, source);
    else this.failuresBySource.delete(failureKey(name, source));
  }

  /** Forgets the oldest name that is not locked now (a lock outlives a flood of other names), or else the oldest. */
  private forgetOneUnknown(now: number): void {
    let scanned = 0;
    for (const [key, f] of this.failuresBySource) {
      if (f.lockedUntil === null || f.lockedUntil <= now || ++scanned > 1000) {
        this.failuresBySource.delete(key);
        return;
      }
    }
  }

  /**
   * Runs a password check in one of the few places there are; waits for one, or is refused when too
   * many wait, when its source has its share in flight, or (from the network) when only the places
   * kept for the station's own console are left.
   */
  private async checked<T>(check: () => Promise<T>, who: string, source: string, local: boolean): Promise<T> {
    const mine = this.inFlight.get(source) ?? 0;
    const room = local ? this.maxWaiting : this.maxWaiting - this.reservedForLocal;
    if (mine >= this.maxPerSource || (this.running >= this.maxRunning && this.waiting.length >= room)) {
      throw new SignInBusy('the station is checking too many sign-ins at once; try again', 'accounts.signIn.busy', {}, `refused unchecked: ${this.running} password checks running and ${this.waiting.length} waiting`, who);
    }
    this.inFlight.set(source, mine + 1);
    if (this.running >= this.maxRunning) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await check();
    } finally {
      this.leave(source);
      // The place goes to the next in line (still counted as running), or is given back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  private leave(source: string): void {
    const n = (this.inFlight.get(source) ?? 1) - 1;
    if (n > 0) this.inFlight.set(source, n);
    else this.inFlight.delete(source);
  }

  /** A hash with the configured costs to check unknown names against: the same work as a real account. */
  private dummyHash(cfg: AccountsConfig): Promise<PasswordHash> {
    const cost = JSON.stringify(cfg.passwordHash);
    if (this.dummy?.cost !== cost) this.dummy = { cost, hash: hashPassword(randomBytes(24).toString('base64'), cfg.passwordHash) };
    return this.dummy.hash;
  }
}
