/**
 * The Accounts page's errors and notices are kept as what they say (a catalog key and its params,
 * or the station's text when it sent no key) and worded when shown: after a switch of language
 * they read in the new one. The expected texts are the catalog's, written out here.
 */
import { describe, expect, it } from 'vitest';
import { Translator } from '../../shared/i18n/index.js';
import { ApiCallError } from './api-base.js';
import { accountsMessageNow, accountsMessageOf, accountsMessageText, raiseAccountsMessage } from './accounts-message.js';

/** Each language's `t`, as the page's i18n.t hands it over (a function on its own). */
const words = (locale: 'en' | 'ru' | 'zh') => {
  const tr = new Translator(locale);
  return { t: tr.t.bind(tr) };
};
const en = words('en');
const ru = words('ru');
const zh = words('zh');

describe('an Accounts page message', () => {
  it('a station refusal with a key reads in the language it is shown in, not the one it came in', () => {
    const refusal = new ApiCallError('accounts.disable', 'conflict', '"chief" is the last enabled administrator: make another administrator first',
      { key: 'accounts.lastAdministrator', params: { user: 'chief' } });
    const kept = accountsMessageOf(refusal);
    expect(accountsMessageText(kept, zh.t)).toBe('“chief”是最后一位启用的管理员：请先指定另一位管理员。');
    expect(accountsMessageText(kept, en.t)).toBe('“chief” is the last enabled administrator: make another administrator first.');
    expect(accountsMessageText(kept, ru.t)).toBe('«chief» — последний действующий администратор: сначала назначьте другого.');
  });

  it('a refusal for want of a permission names the permission in the language shown', () => {
    const refusal = new ApiCallError('accounts.list', 'forbidden', 'accounts.list: sign in first; this needs the permission "accounts.manage"',
      { key: 'error.forbidden.signIn', params: { permission: 'accounts.manage' } });
    const kept = accountsMessageOf(refusal);
    expect(accountsMessageText(kept, en.t)).toBe('Sign in first: this needs the permission “Manage user accounts”.');
    expect(accountsMessageText(kept, ru.t)).toBe('Сначала войдите в систему: нужно право «Управление учётными записями».');
  });

  it('the form\'s own check, kept by its key, follows the language too', () => {
    const raised = raiseAccountsMessage({ key: 'accounts.userNameRule' }, { user: 'Bad Name' });
    const shown = accountsMessageNow(raised, { user: 'Bad Name', displayName: '' });
    expect(shown && accountsMessageText(shown, en.t)).toBe('User name: use lower-case letters, digits and . _ -, starting with a letter.');
    expect(shown && accountsMessageText(shown, ru.t)).toBe('Имя пользователя: только строчные латинские буквы, цифры и . _ -, первой — буква.');
    // Once the field it is about changed, it no longer stands.
    expect(accountsMessageNow(raised, { user: 'bad', displayName: '' })).toBeNull();
  });

  it('a failure the station sent without a key, or one that is not the station\'s, is shown as it came', () => {
    const plain = new ApiCallError('accounts.list', 'internal', 'accounts.list failed: disk I/O error');
    expect(accountsMessageText(accountsMessageOf(plain), ru.t)).toBe('accounts.list failed: disk I/O error');
    expect(accountsMessageText(accountsMessageOf(new Error('socket closed')), zh.t)).toBe('socket closed');
  });
});
