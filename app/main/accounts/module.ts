/**
 * The accounts module: users (accounts.sqlite), sessions per connection and
 * the hash-chained audit trail (audit.sqlite). Composed first in the
 * station: register() installs its sessions and its trail on the dispatcher,
 * so every request after it runs with a known caller and leaves a trace.
 * Other modules write their own entries (shelve expiry, failover) through
 * `accounts.audit`; the sync forwards the trail with `accounts.audit.read()`.
 */
import { mkdirSync } from 'node:fs';
import type { AccountInfo } from '../../shared/api.js';
import type { AccountsConfig } from '../../shared/config/accounts.js';
import type { Dispatcher } from '../api/dispatcher.js';
import type { Logger } from '../log.js';
import type { StationModule } from '../station/module.js';
import { accountHandlers } from './account-handlers.js';
import { AuditTrail } from './audit/trail.js';
import { auditHandlers } from './audit-handlers.js';
import { systemClock, type Clock } from './clock.js';
import { sessionHandlers } from './session-handlers.js';
import { Sessions } from './sessions.js';
import { PasswordChecker, type PasswordCheckerOptions } from './sign-in.js';
import { accountInfo, AccountStore, type Account } from './store.js';

/** Entries whose chain the station checks at each start: bounded time however long the trail. */
export const CHAIN_CHECKED_AT_START = 100_000;

export interface AccountsOptions {
  dataDir: string;
  /** Read at each use, so a config change applies without a restart. */
  config: () => AccountsConfig;
  logger: Logger;
  /** Browser mode beyond loopback: nothing but sign-in before someone signs in. */
  signInRequired?: boolean;
  clock?: Clock;
  /** How passwords are checked at sign-in (tests count the checks running at once). */
  checker?: PasswordCheckerOptions;
}

export class AccountsModule implements StationModule {
  readonly name = 'accounts';
  readonly store: AccountStore;
  /** The audit trail: an AuditSink for every module, and read(afterSeq, max) for the sync. */
  readonly audit: AuditTrail;
  readonly sessions: Sessions;
  readonly checker: PasswordChecker;
  readonly clock: Clock;
  readonly config: () => AccountsConfig;

  private readonly logger: Logger;

  private constructor(opts: AccountsOptions, store: AccountStore, audit: AuditTrail) {
    this.logger = opts.logger;
    this.clock = opts.clock ?? systemClock;
    this.config = opts.config;
    this.store = store;
    this.audit = audit;
    this.sessions = new Sessions({
      audit, clock: this.clock, config: opts.config, logger: opts.logger, signInRequired: opts.signInRequired ?? false,
      standing: (user) => store.standing(user),
    });
    this.checker = new PasswordChecker(store, audit, this.clock, opts.config, opts.checker);
  }

  static open(opts: AccountsOptions): AccountsModule {
    mkdirSync(opts.dataDir, { recursive: true });
    const clock = opts.clock ?? systemClock;
    const store = AccountStore.open(opts.dataDir);
    let audit: AuditTrail;
    try {
      audit = AuditTrail.open(opts.dataDir, clock);
    } catch (err) {
      store.close();
      throw err;
    }
    return new AccountsModule(opts, store, audit);
  }

  private dispatcher: Dispatcher | null = null;

  register(dispatcher: Dispatcher): void {
    this.dispatcher = dispatcher;
    dispatcher.useSessions(this.sessions);
    dispatcher.useAudit(this.audit);
    this.sessions.useRefusalCounter((record, kind) => dispatcher.countRefusal(record, kind));
    dispatcher.register(this.name, { ...sessionHandlers(this), ...accountHandlers(this), ...auditHandlers(this.audit, () => this.clock.now()) });
  }

  start(): void {
    this.sessions.start1s();
    this.checkChain();
    this.audit.record({ user: null, role: null, action: 'station.started', result: 'ok', source: 'station', detail: `${this.store.count()} accounts` });
  }

  /**
   * The newest entries' chain, checked at each start (the whole chain: `npm run audit -- verify`).
   * Entries written from now on chain onto the trail as it is, so a break found is said first,
   * in the log and in the trail itself (the Audit page shows it), never passed over.
   */
  private checkChain(): void {
    // (Removed append-only triggers are not seen here: opening the trail puts them back.)
    const report = this.audit.verifyTail(CHAIN_CHECKED_AT_START);
    if (report.ok) return;
    const detail = `the audit chain is broken at entry ${report.broken.seq}: ${report.broken.reason}`;
    this.logger.error({ file: this.audit.file, detail }, 'audit trail tampered with: run `npm run audit -- verify`');
    this.audit.record({ user: null, role: null, action: 'audit.chainBroken', result: 'failed', source: 'station', detail });
  }

  private stopped = false;

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.sessions.stop();
    // Counts of repeated refusals not yet written: into the trail before it closes, none lost.
    this.dispatcher?.flushRefusals();
    this.audit.record({ user: null, role: null, action: 'station.stopped', result: 'ok', source: 'station' });
    this.store.close();
    this.audit.close();
  }

  /** What the console sees of an account; a lock that has run out is no lock. */
  info(a: Account): AccountInfo {
    const shown = accountInfo(a);
    return { ...shown, lockedUntil: shown.lockedUntil !== null && shown.lockedUntil > this.clock.now() ? shown.lockedUntil : null };
  }
}
