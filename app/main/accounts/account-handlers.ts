/** The console-API handlers of account administration (accounts.manage): never a password in the answer or the audit trail. */
import type { CallContext, Handlers } from '../api/dispatcher.js';
import { ApiFailure } from '../api/dispatcher.js';
import type { AccountInfo } from '../../shared/api.js';
import type { AccountsModule } from './module.js';
import { hashPassword, passwordProblem } from './password.js';
import { AccountConflict, AccountNotFound, type Account } from './store.js';

/** Refuses a password that breaks the rules, naming the rule. */
export function passwordRule(m: AccountsModule, password: string, user: string): void {
  const problem = passwordProblem(password, { minLength: m.config().minPasswordLength, user });
  if (problem) throw new ApiFailure('bad_request', problem.message, { key: problem.key, params: problem.params });
}

/** Store errors as console errors with their meaning kept. */
function storeCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AccountConflict) throw new ApiFailure('conflict', err.message, { key: err.key, params: err.params });
    if (err instanceof AccountNotFound) throw new ApiFailure('not_found', err.message, { key: 'accounts.notFound', params: { user: err.user } });
    throw err;
  }
}

const sameRoles = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((r) => b.includes(r)) && b.every((r) => a.includes(r));

const shown = (a: Account | AccountInfo) => ({ displayName: a.displayName, roles: [...a.roles], disabled: a.disabled !== null });

export function accountHandlers(m: AccountsModule): Partial<Handlers> {
  const { store, sessions } = m;
  const info = (a: Account) => m.info(a);
  const change = (ctx: CallContext, user: string, fn: (before: Account) => Account): AccountInfo => {
    ctx.setAudit({ target: user });
    const before = storeCall(() => store.require(user));
    const after = storeCall(() => fn(before));
    ctx.setAudit({ oldValue: shown(before), newValue: shown(after) });
    sessions.accountChanged(after);
    return info(after);
  };

  return {
    'accounts.list': () => store.list().map(info),

    'accounts.create': async ({ user, displayName, roles, password }, ctx) => {
      ctx.setAudit({ target: user, newValue: { displayName, roles } });
      if (store.get(user)) throw new ApiFailure('conflict', `an account "${user}" exists already`, { key: 'accounts.exists', params: { user } });
      passwordRule(m, password, user);
      const hash = await hashPassword(password, m.config().passwordHash);
      return info(storeCall(() => store.insert({ user, displayName, roles, password: hash }, m.clock.now())));
    },

    'accounts.update': ({ user, displayName, roles }, ctx) =>
      change(ctx, user, (before) => {
        // Separation of duties: a role is given by another administrator, never taken by oneself.
        if (roles !== undefined && ctx.session?.user === user && !sameRoles(roles, before.roles)) {
          throw new ApiFailure('forbidden', `${user} may not change the roles of their own account: another administrator does that`, { key: 'accounts.ownRoles' });
        }
        return store.update(user, { displayName, roles }, m.clock.now());
      }),

    'accounts.disable': ({ user }, ctx) => change(ctx, user, () => store.setDisabled(user, true, m.clock.now())),

    'accounts.enable': ({ user }, ctx) => change(ctx, user, () => store.setDisabled(user, false, m.clock.now())),

    'accounts.resetPassword': async ({ user, password }, ctx) => {
      ctx.setAudit({ target: user });
      // Another user's password, set without theirs. One's own this way would let whoever finds an
      // administrator's console unlocked take the account: it is changed with the current password
      // (accounts.changeOwnPassword, checked as at sign-in), or at the station with `npm run accounts -- passwd`.
      if (ctx.session?.user === user) {
        throw new ApiFailure(
          'forbidden',
          `${user} may not reset their own password here: change it with the current password (Change password), ` +
            'or on the station with `npm run accounts -- passwd`',
          { key: 'accounts.resetPassword.own' },
        );
      }
      storeCall(() => store.require(user));
      passwordRule(m, password, user);
      const hash = await hashPassword(password, m.config().passwordHash);
      const after = storeCall(() => store.setPassword(user, hash, m.clock.now()));
      // What was done, said once it is done: a refusal above is recorded with its reason.
      ctx.setAudit({ detail: 'new password set; failed sign-ins and any lock cleared' });
      // Whoever held the old password is out: every session of the account and its resume token end.
      sessions.accountChanged(after);
      return info(after);
    },
  };
}
