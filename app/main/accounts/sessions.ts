/**
 * Who is signed in on which connection. A session belongs to one connection
 * (an Electron window, one WebSocket); signing in on a connection that has a
 * session ends that one (shift handover). Sessions live in memory only: a
 * station restart signs everyone out. A session ends on sign-out, after the
 * configured time without operator input (reported by the console), when its
 * account is disabled or its password changed, or when its window closes. A
 * WebSocket that drops leaves its session resumable with its token until the
 * inactivity time runs out, so a browser-mode reconnect keeps its user.
 *
 * The account is read again (one lookup by its key) at every request and every
 * second: a `disable` or `passwd` from the accounts CLI, another process, ends
 * the session as surely as one from the Accounts page, and the console is told.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ApiError, RequestName, SessionChangeReason, SessionInfo } from '../../shared/api.js';
import type { AccountsConfig } from '../../shared/config/accounts.js';
import { roles as allRoles, type Role } from '../../shared/permissions.js';
import type { AuditRecord, AuditSink } from '../api/audit-sink.js';
import type { Connection, Session, SessionAuthority } from '../api/connection.js';
import type { Logger } from '../log.js';
import type { Clock } from './clock.js';
import type { Account, AccountStanding } from './store.js';

/** What a connection with nobody signed in may still ask when sign-in is required (browser mode beyond loopback). */
export const beforeSignIn: ReadonlySet<RequestName> = new Set<RequestName>([
  'session.current',
  'session.signIn',
  'session.resume',
  'session.signOut',
  'session.activity',
  'accounts.setupNeeded',
  'accounts.createFirstAdmin',
]);

interface Live {
  session: Session;
  token: string;
  connection: Connection | null;
  /** Where it signed in: a token is only taken back from the same address. */
  remote: string;
  lastActivity: number;
  /** The account's password time when the session began: another one means the password changed. */
  passwordChanged: number;
  /** The roles as stored when last seen (JSON text), to tell a change made elsewhere. */
  rolesStored: string;
}

/** Stored roles (JSON text) as a list of known roles; anything else in it grants nothing. */
function rolesOf(stored: string): Role[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return [];
  }
  return Array.isArray(parsed) ? allRoles.filter((r) => parsed.includes(r)) : [];
}

/** Why a session ended when its user changed their password at another console (the audit trail's detail). */
export const OWN_PASSWORD_CHANGED_ELSEWHERE = 'the password was changed by its user at another console';

export const sourceOf = (c: Connection): string => `${c.transport}:${c.remote}`;
export const roleText = (s: Pick<Session, 'roles'>): string => s.roles.join('+');

/** Writes a refusal counted with its repeats (the dispatcher's countRefusal); kind tells refusals apart. */
export type RefusalCounter = (record: AuditRecord, kind: string) => void;

export class Sessions implements SessionAuthority {
  private readonly byConnection = new Map<Connection, Live>();
  /** Until the dispatcher is known, each refused resume is written on its own. */
  private countRefusal: RefusalCounter = (record) => this.write(record);
  private readonly byToken = new Map<string, Live>();
  private readonly watched = new WeakSet<Connection>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly opts: {
      audit: AuditSink;
      clock: Clock;
      config: () => AccountsConfig;
      logger: Logger;
      /** Browser mode beyond loopback: every connection signs in before it sees the plant. */
      signInRequired: boolean;
      /** The account as stored now (null: no such account); absent, sessions are not checked against the store. */
      standing?: (user: string) => AccountStanding | null;
    },
  ) {}

  /** A made-up token costs its caller nothing: its refusals are counted like those before a request runs. */
  useRefusalCounter(counter: RefusalCounter): void {
    this.countRefusal = counter;
  }

  get signInRequired(): boolean {
    return this.opts.signInRequired;
  }

  inactivityMs(): number {
    return this.opts.config().inactivitySignOutMin * 60_000;
  }

  /** The connection's session, checked against the account as stored now (once per request: the dispatcher asks once). */
  sessionOf(connection: Connection): Session | null {
    const live = this.liveOf(connection);
    return live && this.standsFor(live) ? live.session : null;
  }

  admit(connection: Connection, method: RequestName, session?: Session | null): ApiError | null {
    if (!this.opts.signInRequired || beforeSignIn.has(method) || (session !== undefined ? session : this.sessionOf(connection))) return null;
    return {
      code: 'forbidden',
      message: `${method}: sign in first: this console is reached over the network and shows nothing before sign-in`,
      i18n: { key: 'accounts.signInToView', params: {} },
    };
  }

  /** Beyond loopback nothing of the plant, not even its live values, reaches a console before sign-in. */
  receivesEvents(connection: Connection): boolean {
    // Asked for every event: no store lookup here (tick() and each request check the account).
    return !this.opts.signInRequired || this.liveOf(connection) !== null;
  }

  /** For a handler: the dispatcher checked the account at the start of this request. */
  info(connection: Connection): SessionInfo | null {
    const live = this.liveOf(connection);
    return live ? this.infoOf(live) : null;
  }

  /** Binds a new session for the account to the connection; a session already there ends (handover, audited). */
  start(connection: Connection, account: Account): { info: SessionInfo; token: string } {
    const now = this.opts.clock.now();
    const previous = this.byConnection.get(connection);
    if (previous) this.end(previous, 'handover', `shift handover to ${account.user}`, account.user, false);
    const live: Live = {
      session: { id: randomUUID(), user: account.user, displayName: account.displayName, roles: [...account.roles], since: now },
      token: randomBytes(32).toString('base64url'),
      connection,
      remote: connection.remote,
      lastActivity: now,
      passwordChanged: account.passwordChanged,
      rolesStored: JSON.stringify(account.roles),
    };
    this.bind(live, connection);
    this.byToken.set(live.token, live);
    this.opts.logger.info({ user: account.user, roles: account.roles, source: sourceOf(connection) }, 'signed in');
    const info = this.infoOf(live);
    connection.send('session.changed', { session: info, reason: previous ? 'handover' : 'signedIn' });
    return { info, token: live.token };
  }

  /** Takes back a session whose WebSocket dropped; null when the token is unknown or the session ran out. */
  resume(connection: Connection, token: string): SessionInfo | null {
    const live = this.byToken.get(token);
    if (!live || this.expired(live) || live.remote !== connection.remote || !this.standsFor(live)) {
      if (live && this.expired(live)) this.end(live, 'inactivity', 'no operator input');
      const detail = live && live.remote !== connection.remote ? `session token of ${live.session.user} presented from another address` : 'unknown or expired session token';
      this.countRefusal({ user: null, role: null, action: 'session.resume', result: 'refused', detail, source: sourceOf(connection) }, detail);
      return null;
    }
    if (live.connection === connection) return this.infoOf(live);
    const current = this.byConnection.get(connection);
    if (current && current !== live) this.end(current, 'handover', `shift handover to ${live.session.user}`, live.session.user, false);
    const previous = live.connection;
    if (previous) this.byConnection.delete(previous);
    this.bind(live, connection);
    this.record(live, { action: 'session.resume', result: 'ok', detail: previous ? 'taken over from a console still connected' : 'reconnected within the inactivity time' }, connection);
    // The console it leaves must not go on showing the user.
    previous?.send('session.changed', { session: null, reason: 'resumedElsewhere' });
    const info = this.infoOf(live);
    connection.send('session.changed', { session: info, reason: 'resumed' });
    return info;
  }

  /** Ends the connection's session; false when nobody was signed in. */
  signOut(connection: Connection): boolean {
    const live = this.byConnection.get(connection);
    if (!live) return false;
    // The dispatcher writes the sign-out entry (the request is audited).
    this.end(live, 'signedOut', null, undefined, false);
    return true;
  }

  /** Operator input at the console: the inactivity time starts again. Returns the time left, null without a session. */
  activity(connection: Connection): number | null {
    const live = this.liveOf(connection);
    if (!live) return null;
    live.lastActivity = this.opts.clock.now();
    return this.inactivityMs();
  }

  /**
   * After an account change made here: its sessions (and their tokens) end when it was
   * disabled or its password changed, or take the new name and roles.
   */
  accountChanged(account: Account): void {
    for (const live of [...this.byToken.values()]) {
      if (live.session.user !== account.user) continue;
      this.apply(live, { displayName: account.displayName, roles: JSON.stringify(account.roles), disabled: account.disabled, passwordChanged: account.passwordChanged });
    }
  }

  /**
   * The account's own user set a new password at this connection: the session here goes on under
   * it; every other session of the account, and its resume token, ends. Returns how many ended.
   * Called in the same synchronous step as the store's change, so no request or tick in between
   * sees the new password before the session here knows it (it would end that one too).
   */
  ownPasswordChanged(connection: Connection, account: Account): number {
    const own = this.byConnection.get(connection);
    if (own?.session.user === account.user) own.passwordChanged = account.passwordChanged;
    let ended = 0;
    for (const live of [...this.byToken.values()]) {
      if (live === own || live.session.user !== account.user) continue;
      this.end(live, 'passwordChanged', OWN_PASSWORD_CHANGED_ELSEWHERE);
      ended++;
    }
    return ended;
  }

  /** Ends every session that ran out of time, or whose account changed elsewhere; runs every second while the station runs. */
  tick(): void {
    for (const live of [...this.byToken.values()]) {
      if (this.expired(live)) this.end(live, 'inactivity', live.connection ? 'no operator input' : 'connection closed and not resumed');
      else this.standsFor(live);
    }
  }

  start1s(): void {
    this.timer ??= setInterval(() => this.tick(), 1000);
    this.timer.unref?.();
  }

  /** The station stops: every session ends with it (its 'station.stopped' entry says when). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.byConnection.clear();
    this.byToken.clear();
  }

  private bind(live: Live, connection: Connection): void {
    live.connection = connection;
    this.byConnection.set(connection, live);
    if (this.watched.has(connection)) return;
    this.watched.add(connection);
    connection.onClose(() => this.closed(connection));
  }

  private closed(connection: Connection): void {
    const live = this.byConnection.get(connection);
    if (!live) return;
    this.byConnection.delete(connection);
    live.connection = null;
    // A window that closes takes its session with it; a dropped WebSocket may come back.
    if (connection.transport !== 'ws') this.end(live, 'signedOut', 'the console closed');
  }

  /** The connection's live session, ended here if it ran out of time; the account is not looked at. */
  private liveOf(connection: Connection): Live | null {
    const live = this.byConnection.get(connection);
    if (!live) return null;
    if (this.expired(live)) {
      this.end(live, 'inactivity', 'no operator input');
      return null;
    }
    return live;
  }

  /**
   * Whether the account, as stored now, still carries the session: it ends (the console told)
   * when the account is gone, disabled, or has another password. A store that cannot be
   * read gives no session for this request and ends none.
   */
  private standsFor(live: Live): boolean {
    if (!this.opts.standing) return true;
    let standing: AccountStanding | null;
    try {
      standing = this.opts.standing(live.session.user);
    } catch (err) {
      this.opts.logger.error({ err, user: live.session.user }, 'accounts file unreadable: the session is not honoured for this request');
      return false;
    }
    return this.apply(live, standing);
  }

  /** Brings a session in line with its account; false when it ended. */
  private apply(live: Live, standing: AccountStanding | null): boolean {
    if (standing === null) {
      this.end(live, 'accountDisabled', 'the account no longer exists');
      return false;
    }
    if (standing.disabled !== null) {
      this.end(live, 'accountDisabled', 'the account was disabled');
      return false;
    }
    if (standing.passwordChanged !== live.passwordChanged) {
      this.end(live, 'passwordChanged', 'the password was changed: every session of the account ends');
      return false;
    }
    if (standing.roles !== live.rolesStored || standing.displayName !== live.session.displayName) {
      live.rolesStored = standing.roles;
      live.session = { ...live.session, displayName: standing.displayName, roles: rolesOf(standing.roles) };
      live.connection?.send('session.changed', { session: this.infoOf(live), reason: 'accountChanged' });
    }
    return true;
  }

  private expired(live: Live): boolean {
    return this.opts.clock.now() - live.lastActivity >= this.inactivityMs();
  }

  private infoOf(live: Live): SessionInfo {
    const left = live.lastActivity + this.inactivityMs() - this.opts.clock.now();
    return { user: live.session.user, displayName: live.session.displayName, roles: [...live.session.roles], since: live.session.since, expiresInMs: Math.max(0, left) };
  }

  /** Removes the session; audits its end unless the caller's request is audited already (detail null). */
  private end(live: Live, reason: SessionChangeReason, detail: string | null, successor?: string, notify = true): void {
    if (!this.byToken.delete(live.token)) return;
    const connection = live.connection;
    if (connection && this.byConnection.get(connection) === live) this.byConnection.delete(connection);
    live.connection = null;
    if (detail !== null) {
      const action = reason === 'handover' ? 'session.handover' : reason === 'inactivity' ? 'session.inactivitySignOut' : 'session.ended';
      this.record(live, { action, result: 'ok', detail, target: successor ?? null }, connection);
    }
    this.opts.logger.info({ user: live.session.user, reason }, 'signed out');
    if (notify) connection?.send('session.changed', { session: null, reason });
  }

  private record(live: Live, e: Pick<AuditRecord, 'action' | 'result' | 'detail'> & { target?: string | null }, connection: Connection | null): void {
    this.write({ user: live.session.user, role: roleText(live.session), source: connection ? sourceOf(connection) : 'station', ...e });
  }

  /**
   * Session ends also come from timers and closing connections, where a throw
   * would stop the station or the other close listeners: a failed write is
   * loud in the log, and the session still ends.
   */
  private write(entry: AuditRecord): void {
    try {
      this.opts.audit.record(entry);
    } catch (err) {
      this.opts.logger.error({ err, audit: entry }, 'audit trail write failed');
    }
  }
}
