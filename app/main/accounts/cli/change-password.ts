/**
 * `npm run accounts -- change-password NAME`: a user changes their own password from a shell, as the
 * console's dialog (accounts.changeOwnPassword) does: the new password's rules first, then the current
 * password checked by the sign-in's own check (its delays, its failures counted toward the same lock,
 * kept in accounts.sqlite across processes, and a lock refusing at once), and the same audit entry.
 * A name with no account is answered as a wrong password and never written (a keyed hash stands for it).
 */
import type { AccountsConfig } from '../../../shared/config/accounts.js';
import type { AuditTrail } from '../audit/trail.js';
import { systemClock } from '../clock.js';
import { hashPassword, passwordProblem } from '../password.js';
import { PasswordChecker, SignInRefused } from '../sign-in.js';
import type { AccountStore } from '../store.js';
import { readOwnPasswordChange } from './password-input.js';
import type { Readable } from 'node:stream';

/** The entry's detail for a change made at a shell: the station ends every session of the account when it sees it. */
export const CHANGED_AT_SHELL = 'new password set by its user at a shell; every session of the account ends';

export async function changeOwnPassword(
  user: string,
  ctx: { store: AccountStore; trail: AuditTrail; cfg: AccountsConfig; source: string; io: { out(s: string): void; err(s: string): void; stdin?: Readable } },
): Promise<number> {
  const { store, trail, cfg, source, io } = ctx;
  const checker = new PasswordChecker(store, trail, systemClock, () => cfg);
  const { current, next } = await readOwnPasswordChange(user, io.stdin);
  const refused = (who: string | null, role: string | null, detail: string, text: string): number => {
    trail.record({ user: who, role, action: 'accounts.changeOwnPassword', target: who ?? checker.auditName(user, store.get(user) !== null), result: 'refused', detail, source });
    io.err(`accounts change-password: ${text}\n`);
    return 1;
  };
  // As the dialog: the rules first (they tell nothing of the current password and cost no check). Nobody is proven yet.
  const problem = passwordProblem(next, { minLength: cfg.minPasswordLength, user });
  if (problem) return refused(null, null, problem.message, problem.message);
  if (next.normalize('NFC') === current.normalize('NFC')) {
    const text = 'the new password is the current one: choose another';
    return refused(null, null, text, text);
  }
  let account;
  try {
    account = await checker.check(user, current, source);
  } catch (err) {
    if (!(err instanceof SignInRefused)) throw err;
    const text = err.key === 'accounts.signIn.wrong' ? 'the user name or the current password is wrong' : err.message;
    return refused(err.auditUser, null, err.auditDetail, text);
  }
  const role = account.roles.join('+');
  store.setPassword(account.user, await hashPassword(next, cfg.passwordHash), Date.now());
  trail.record({ user: account.user, role, action: 'accounts.changeOwnPassword', target: account.user, result: 'ok', detail: CHANGED_AT_SHELL, source });
  io.out(`password changed for ${account.user}\n`);
  return 0;
}
