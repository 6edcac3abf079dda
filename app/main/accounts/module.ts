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

  private constructor(opts: AccountsOptions, store: AccountStore, audit: AuditTrail) {
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
    dispatcher.register(this.name, { ...sessionHandlers(this), ...accountHandlers(this), ...auditHandlers(this.audit, () => this.clock.now()) });
  }

  start(): void {
    this.sessions.start1s();
    this.audit.record({ user: null, role: null, action: 'station.started', result: 'ok', source: 'station', detail: `${this.store.count()} accounts` });
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
