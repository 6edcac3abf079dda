/**
 * The station's answers added for sign-in floods, own-role changes, an unwritable audit trail,
 * and the two new reasons a session ends: each a text of its own in every language, never the
 * key itself nor the generic "Signed out."
 */
import { describe, expect, it } from 'vitest';
import { sessionChangeReasons } from '../api/accounts.js';
import { Translator } from './translate.js';
import { catalogOf, locales } from './index.js';

const keys = ['accounts.signIn.inProgress', 'accounts.signIn.busy', 'accounts.ownRoles', 'error.auditUnavailable'];

describe('security answers of the station', () => {
  for (const locale of locales) {
    it(`${locale}: has a text for each`, () => {
      for (const key of keys) expect(typeof (catalogOf(locale) as Record<string, unknown>)[key], `${locale} ${key}`).toBe('string');
    });

    it(`${locale}: tells a password change and a session taken elsewhere apart from a plain sign-out`, () => {
      const t = new Translator(locale);
      const plain = t.t('session.ended', { reason: 'signedOut', after: '' });
      const texts = ['passwordChanged', 'resumedElsewhere'].map((reason) => {
        expect(sessionChangeReasons).toContain(reason);
        return t.t('session.ended', { reason, after: '' });
      });
      expect(new Set([plain, ...texts]).size).toBe(3);
    });
  }
});
