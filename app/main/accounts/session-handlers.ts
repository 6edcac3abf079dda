/**
 * The console-API handlers of sign-in, sign-out, resume and activity, of the first administrator,
 * and of a user's change of their own password (checked like a sign-in, one at a time per console).
 */
import type { CallContext, Handlers } from '../api/dispatcher.js';
import type { Connection, Session } from '../api/connection.js';
import { ApiFailure } from '../api/dispatcher.js';
import type { AccountsModule } from './module.js';
import { passwordRule } from './account-handlers.js';
import { hashPassword } from './password.js';
import { SignInBusy, SignInLocked, SignInRefused } from './sign-in.js';
import { roleText, sourceOf } from './sessions.js';
import { AccountConflict } from './store.js';

export function sessionHandlers(m: AccountsModule): Partial<Handlers> {
  const { sessions, store } = m;
  /** Connections with a sign-in (or first administrator) being checked. */
  const checking = new WeakSet<Connection>();
  return {
    'session.current': (_p, ctx) => {
      const cfg = m.config();
      return {
        session: sessions.info(ctx.connection),
        signInRequired: sessions.signInRequired,
        setupNeeded: store.count() === 0,
        loopback: ctx.connection.loopback,
        policy: { inactivityMs: sessions.inactivityMs(), warningMs: cfg.inactivityWarningSec * 1000, minPasswordLength: cfg.minPasswordLength },
      };
    },

    'session.signIn': async ({ user, password }, ctx) => {
      // One at a time per console: a console cannot queue up password checks (each a scrypt of 128 MiB).
      const done = oneAtATime(checking, ctx.connection);
      try {
        const name = user.trim().toLowerCase();
        // Until the checker knows the name has an account, nothing typed is put in the entry.
        ctx.setAudit({ user: null, role: null, target: null });
        let account;
        try {
          account = await m.checker.check(name, password, sourceOf(ctx.connection), ctx.connection.loopback);
        } catch (err) {
          if (!(err instanceof SignInRefused)) throw err;
          if (err instanceof SignInBusy) {
            // No password was looked at: the entry names nobody, so a flood of such refusals counts into one.
            throw new ApiFailure('unavailable', `session.signIn: ${err.message}`, { key: err.key, params: err.params }, true, err.auditDetail);
          }
          ctx.setAudit({ user: err.auditUser });
          // A locked name is refused at once, no password looked at: its repeats are counted (per name and source), not each written.
          throw new ApiFailure('forbidden', `session.signIn: ${err.message}`, { key: err.key, params: err.params }, err instanceof SignInLocked, err.auditDetail);
        }
        const previous = ctx.session;
        const { info, token } = sessions.start(ctx.connection, account);
        ctx.setAudit({ user: account.user, role: roleText(account), detail: previous ? `handover from ${previous.user}` : null });
        return { session: info, token };
      } finally {
        done();
      }
    },

    'session.resume': ({ token }, ctx) => ({ session: sessions.resume(ctx.connection, token) }),

    'session.signOut': (_p, ctx) => {
      const signedOut = sessions.signOut(ctx.connection);
      // Nothing ended: no entry (each would cost the caller nothing and the trail a write).
      if (!signedOut) ctx.skipAudit();
      return { signedOut };
    },

    'session.activity': (_p, ctx) => ({ expiresInMs: sessions.activity(ctx.connection) }),

    'accounts.setupNeeded': (_p, ctx) => {
      const setupNeeded = store.count() === 0;
      return { setupNeeded, allowedHere: setupNeeded && ctx.connection.loopback };
    },

    'accounts.createFirstAdmin': async ({ user, displayName, password }, ctx) => {
      const done = oneAtATime(checking, ctx.connection);
      try {
        return await createFirstAdmin(user, displayName, password, ctx);
      } finally {
        done();
      }
    },

    'accounts.changeOwnPassword': async ({ current, password }, ctx) => {
      // The account is the caller's, from their session: the request names none, so no other can be reached.
      const caller = ctx.session;
      if (!caller) {
        throw new ApiFailure('forbidden', 'accounts.changeOwnPassword: sign in first: a user changes their own password while signed in', { key: 'accounts.ownPassword.signInFirst' }, true);
      }
      ctx.setAudit({ target: caller.user });
      // A console checks one password at a time, a sign-in or this.
      const done = oneAtATime(checking, ctx.connection);
      try {
        return await changeOwnPassword(caller, current, password, ctx);
      } finally {
        done();
      }
    },
  };

  async function changeOwnPassword(caller: Session, current: string, password: string, ctx: CallContext) {
    // The new password's rules first: they tell nothing of the current one, and cost no password check.
    passwordRule(m, password, caller.user);
    if (password.normalize('NFC') === current.normalize('NFC')) {
      throw new ApiFailure('bad_request', 'the new password is the current one: choose another', { key: 'accounts.ownPassword.same' });
    }
    // The sign-in's own check: its delays, its per-source failure count and lock, its caps on checks
    // running at once. A console left signed in is no way to guess the password faster than sign-in.
    try {
      await m.checker.check(caller.user, current, sourceOf(ctx.connection), ctx.connection.loopback);
    } catch (err) {
      if (!(err instanceof SignInRefused)) throw err;
      // The trail's words for it (they say more than the console is told), as for a sign-in.
      if (err instanceof SignInBusy) throw new ApiFailure('unavailable', `accounts.changeOwnPassword: ${err.message}`, { key: err.key, params: err.params }, true, err.auditDetail);
      if (err.key === 'accounts.signIn.wrong') throw new ApiFailure('forbidden', 'accounts.changeOwnPassword: the current password is wrong', { key: 'accounts.ownPassword.wrongCurrent' }, false, err.auditDetail);
      throw new ApiFailure('forbidden', `accounts.changeOwnPassword: ${err.message}`, { key: err.key, params: err.params }, err instanceof SignInLocked, err.auditDetail);
    }
    const hash = await hashPassword(password, m.config().passwordHash);
    // The checks took a while: a session signed out, timed out or ended by an administrator meanwhile changes nothing.
    if (sessions.sessionOf(ctx.connection)?.id !== caller.id) {
      throw new ApiFailure('conflict', 'the session ended while the password was checked: nothing was changed', { key: 'accounts.ownPassword.sessionEnded' });
    }
    // From here to the sessions' update nothing waits: no tick or request sees the new password in between.
    const after = store.setPassword(caller.user, hash, m.clock.now());
    const ended = sessions.ownPasswordChanged(ctx.connection, after);
    ctx.setAudit({ detail: `new password set by its user; other sessions of the account ended: ${ended}` });
    return { otherSessionsEnded: ended };
  }

  async function createFirstAdmin(user: string, displayName: string, password: string, ctx: CallContext) {
    // Anyone may call this before an account exists: the entry names the caller (nobody yet), and what
    // was typed only as a keyed hash, like a sign-in name with no account (it may be a password).
    ctx.setAudit({ target: m.checker.auditName(user, false) });
    // Refusals cost the caller nothing: repeats are counted into one entry.
    if (!ctx.connection.loopback) {
      throw new ApiFailure('forbidden', 'the first administrator is created on the station itself (or with `npm run accounts -- add`), not over the network', { key: 'accounts.setup.loopbackOnly' }, true);
    }
    if (store.count() > 0) throw new ApiFailure('conflict', 'accounts exist already: sign in instead', { key: 'accounts.setup.exists' }, true);
    try {
      passwordRule(m, password, user);
    } catch (err) {
      if (err instanceof ApiFailure) throw new ApiFailure(err.code, err.message, err.i18n, true);
      throw err;
    }
    const hash = await hashPassword(password, m.config().passwordHash);
    let account;
    try {
      account = store.insert({ user, displayName, roles: ['administrator'], password: hash }, m.clock.now(), true);
    } catch (err) {
      if (err instanceof AccountConflict) throw new ApiFailure('conflict', err.message, { key: err.key, params: err.params });
      throw err;
    }
    // The account exists now: the entry names its first administrator, who is also the one signed in.
    ctx.setAudit({ user: account.user, role: 'administrator', target: account.user, newValue: { displayName, roles: account.roles } });
    const { info, token } = sessions.start(ctx.connection, account);
    return { session: info, token };
  }
}

/** Marks the connection busy with a password; refuses at once (repeats counted in the trail) when it is already. */
function oneAtATime(checking: WeakSet<Connection>, connection: Connection): () => void {
  if (checking.has(connection)) {
    throw new ApiFailure('conflict', 'refused: a sign-in is being checked on this console already; wait for its answer', { key: 'accounts.signIn.inProgress' }, true);
  }
  checking.add(connection);
  return () => checking.delete(connection);
}
