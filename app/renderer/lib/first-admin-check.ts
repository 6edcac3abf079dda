/**
 * The first-administrator form's own checks before it asks the station, each kept as a catalog key
 * about the fields it names (accounts-message.ts): worded when shown, it follows a switch of the
 * console's language (made into text when raised, it stayed in the language of that moment).
 */
import { accountDisplayName, accountUserName } from '../../shared/api/accounts.js';
import { raiseAccountsMessage, type RaisedAccountsMessage } from './accounts-message.js';

export type FirstAdminFields = { user: string; displayName: string; password: string; repeat: string };

/** The first of the form's problems, or null when the station is to be asked. */
export function firstAdminProblem(f: FirstAdminFields): RaisedAccountsMessage<Partial<FirstAdminFields>> | null {
  if (!accountUserName.safeParse(f.user.trim()).success) return raiseAccountsMessage({ key: 'setup.userRule' }, { user: f.user });
  if (!accountDisplayName.safeParse(f.displayName).success) return raiseAccountsMessage({ key: 'accounts.displayNameRule' }, { displayName: f.displayName });
  if (f.password !== f.repeat) return raiseAccountsMessage({ key: 'accounts.password.mismatch' }, { password: f.password, repeat: f.repeat });
  return null;
}
