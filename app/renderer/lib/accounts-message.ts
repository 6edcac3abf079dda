/**
 * An Accounts page error or notice, kept as what it says: a catalog key with its params (the
 * station's refusals carry one, the form's own checks have one), or the station's text when it sent
 * no key. It is worded when shown, so it follows a switch of the console's language (made into text
 * when it arrived, it stayed in the language of that moment).
 */
import type { MessageKey, MessageParams } from '../../shared/i18n/index.js';
import { ApiCallError } from './api-base.js';
import { withPermissionNamed } from './permission-text.js';

export type AccountsMessage = { key: MessageKey; params?: Record<string, string | number> } | { text: string };

type Tr = (key: MessageKey, params?: MessageParams) => string;

/** What a failed call says, by its key when the station gave one (i18n.errorText's rule, kept for later). */
export function accountsMessageOf(err: unknown): AccountsMessage {
  if (err instanceof ApiCallError) return err.i18n ? { key: err.i18n.key as MessageKey, params: err.i18n.params } : { text: err.detail };
  return { text: err instanceof Error ? err.message : String(err) };
}

/** The message in the language of `t`; a permission in its params is said by its catalog name. */
export function accountsMessageText(message: AccountsMessage, t: Tr): string {
  return 'key' in message ? t(message.key, withPermissionNamed(message.params, t)) : message.text;
}

/** A message about the form's fields as they were when it was raised (see field-problem.ts). */
export interface RaisedAccountsMessage<F extends object> {
  message: AccountsMessage;
  fields: F;
}

export function raiseAccountsMessage<F extends object>(message: AccountsMessage, fields: F): RaisedAccountsMessage<F> {
  return { message, fields: { ...fields } };
}

/** The message while the fields it is about are as they were; null once one has changed. */
export function accountsMessageNow<F extends object>(raised: RaisedAccountsMessage<Partial<F>> | null, now: F): AccountsMessage | null {
  if (raised === null) return null;
  for (const key of Object.keys(raised.fields) as (keyof F)[]) if (!Object.is(raised.fields[key], now[key])) return null;
  return raised.message;
}
