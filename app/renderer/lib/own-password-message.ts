/**
 * What the change-password dialog says about a refusal, kept as a message (a catalog key and its
 * params, or the station's text when it sent no key: accounts-message.ts) and worded when shown, so
 * it follows a switch of the console's language; and what the dialog does with the form: a wrong
 * current password (or a lock) empties that field for another try, a new password refused by a rule
 * takes the focus to it.
 */
import { ApiCallError } from './api-base.js';
import { accountsMessageOf, raiseAccountsMessage, type RaisedAccountsMessage } from './accounts-message.js';

export type OwnPasswordFields = { current: string; password: string; repeat: string };

export interface OwnPasswordRefusal {
  /** The message, about the fields as sent (only the emptied current password when that one was wrong). */
  raised: RaisedAccountsMessage<Partial<OwnPasswordFields>>;
  /** The current password is to be emptied (the message then stands until something is typed there). */
  clearCurrent: boolean;
  /** The field that takes the focus, if any. */
  focus: 'current' | 'password' | null;
}

export function ownPasswordRefusal(err: unknown, sent: OwnPasswordFields): OwnPasswordRefusal {
  const key = err instanceof ApiCallError ? err.i18n?.key : undefined;
  const message = accountsMessageOf(err);
  if (key === 'accounts.ownPassword.wrongCurrent' || key?.startsWith('accounts.signIn.')) {
    return { raised: raiseAccountsMessage(message, { current: '' }), clearCurrent: true, focus: 'current' };
  }
  const focus = key?.startsWith('accounts.password.') || key === 'accounts.ownPassword.same' ? 'password' : null;
  return { raised: raiseAccountsMessage(message, sent), clearCurrent: false, focus };
}

/** The two new passwords differ: said without asking the station, about those two fields. */
export function ownPasswordMismatch(fields: OwnPasswordFields): RaisedAccountsMessage<Partial<OwnPasswordFields>> | null {
  return fields.password === fields.repeat ? null : raiseAccountsMessage({ key: 'accounts.password.mismatch' }, { password: fields.password, repeat: fields.repeat });
}
