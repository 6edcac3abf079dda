/**
 * The change-password and first-administrator dialogs keep their messages as what they say (a catalog
 * key and its params) and word them when shown: after a switch of language they read in the new one
 * (they were made into text when raised and stayed in the language of that moment). The expected
 * texts are the catalog's, written out here.
 */
import { describe, expect, it } from 'vitest';
import { Translator } from '../../shared/i18n/index.js';
import { ApiCallError } from './api-base.js';
import { accountsMessageNow, accountsMessageText } from './accounts-message.js';
import { ownPasswordMismatch, ownPasswordRefusal } from './own-password-message.js';
import { firstAdminProblem } from './first-admin-check.js';

const tOf = (locale: 'en' | 'ru' | 'zh') => {
  const tr = new Translator(locale);
  return tr.t.bind(tr);
};
const en = tOf('en');
const ru = tOf('ru');
const zh = tOf('zh');
const SENT = { current: 'not my password', password: 'north pumps at dawn', repeat: 'north pumps at dawn' };

describe('the change-password dialog\'s messages', () => {
  it('a wrong current password: the field is emptied and focused; the message reads in the language shown, not the one it came in', () => {
    const err = new ApiCallError('accounts.changeOwnPassword', 'forbidden', 'accounts.changeOwnPassword: the current password is wrong', { key: 'accounts.ownPassword.wrongCurrent' });
    const r = ownPasswordRefusal(err, SENT);
    expect(r.clearCurrent).toBe(true);
    expect(r.focus).toBe('current');
    const shown = accountsMessageNow(r.raised, { ...SENT, current: '' });
    expect(shown && accountsMessageText(shown, en)).toBe('The current password is wrong.');
    expect(shown && accountsMessageText(shown, ru)).toBe('Текущий пароль неверен.');
    expect(shown && accountsMessageText(shown, zh)).toBe('当前密码错误。');
    // Typing a new try of the current password: the message no longer stands.
    expect(accountsMessageNow(r.raised, { ...SENT, current: 'n' })).toBeNull();
  });

  it('a lock after the wrong password is a sign-in refusal: worded with its params in each language', () => {
    const err = new ApiCallError('accounts.changeOwnPassword', 'forbidden', 'locked', { key: 'accounts.signIn.nowLocked', params: { minutes: 5 } });
    const r = ownPasswordRefusal(err, SENT);
    expect(r.clearCurrent).toBe(true);
    const shown = accountsMessageNow(r.raised, { ...SENT, current: '' });
    expect(shown && accountsMessageText(shown, en)).toBe('Wrong password. The account is now locked for 5 minutes.');
    expect(shown && accountsMessageText(shown, ru)).toBe('Неверный пароль. Учётная запись заблокирована на 5 минут.');
  });

  it('a new password refused by a rule: the focus goes to it; the rule is named in the language shown', () => {
    const err = new ApiCallError('accounts.changeOwnPassword', 'bad_request', 'the password must be at least 10 characters long', { key: 'accounts.password.tooShort', params: { min: 10 } });
    const sent = { current: 'tank farm shift 4', password: 'short', repeat: 'short' };
    const r = ownPasswordRefusal(err, sent);
    expect(r.clearCurrent).toBe(false);
    expect(r.focus).toBe('password');
    const shown = accountsMessageNow(r.raised, sent);
    expect(shown && accountsMessageText(shown, en)).toBe('The password must be at least 10 characters long.');
    expect(shown && accountsMessageText(shown, ru)).toBe('Пароль должен быть не короче 10 символов.');
    expect(accountsMessageNow(r.raised, { ...sent, password: 'shorter' })).toBeNull();
  });

  it('a failure without a key (the link dropped) is shown as it came, the focus left where it is', () => {
    const r = ownPasswordRefusal(new Error('socket closed'), SENT);
    expect(r).toMatchObject({ clearCurrent: false, focus: null });
    const shown = accountsMessageNow(r.raised, SENT);
    expect(shown && accountsMessageText(shown, ru)).toBe('socket closed');
  });

  it('two new passwords that differ: said in the language shown, standing until one of them changes', () => {
    const fields = { current: 'x', password: 'north pumps at dawn', repeat: 'north pumps at dawn!' };
    const raised = ownPasswordMismatch(fields);
    const shown = accountsMessageNow(raised, fields);
    expect(shown && accountsMessageText(shown, en)).toBe('The two passwords differ.');
    expect(shown && accountsMessageText(shown, ru)).toBe('Пароли не совпадают.');
    expect(accountsMessageNow(raised, { ...fields, repeat: 'north pumps at dawn' })).toBeNull();
    expect(ownPasswordMismatch({ current: 'x', password: 'same one', repeat: 'same one' })).toBeNull();
  });
});

describe('the first-administrator form\'s own checks', () => {
  const ok = { user: 'admin', displayName: 'Site Administrator', password: 'correct horse battery', repeat: 'correct horse battery' };

  it('each problem is worded in the language shown, about the field it names', () => {
    const cases = [
      [{ ...ok, user: 'Bad Name' }, 'Lower-case letters, digits and . _ -, starting with a letter.', 'Строчные латинские буквы, цифры и . _ -, первой — буква.'],
      [{ ...ok, displayName: '' }, 'Give a display name of 1 to 80 characters.', 'Укажите отображаемое имя длиной от 1 до 80 символов.'],
      [{ ...ok, repeat: 'correct horse batter' }, 'The two passwords differ.', 'Пароли не совпадают.'],
    ] as const;
    for (const [fields, english, russian] of cases) {
      const shown = accountsMessageNow(firstAdminProblem(fields), fields);
      expect(shown && accountsMessageText(shown, en)).toBe(english);
      expect(shown && accountsMessageText(shown, ru)).toBe(russian);
    }
    expect(accountsMessageNow(firstAdminProblem({ ...ok, displayName: '' }), { ...ok, displayName: 'S' })).toBeNull();
  });

  it('a form without a problem is for the station to check', () => {
    expect(firstAdminProblem(ok)).toBeNull();
    expect(firstAdminProblem({ ...ok, user: ' admin ' })).toBeNull();
  });
});
