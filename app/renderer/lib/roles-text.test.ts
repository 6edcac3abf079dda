import { describe, expect, it } from 'vitest';
import { Formats, Translator, type Locale } from '../../shared/i18n/index.js';
import type { Lang } from './value-view.js';
import { rolesText } from './roles-text.js';

const langOf = (locale: Locale): Lang => {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale) };
};

describe('role lists in the console\'s language', () => {
  it('names each role from the catalog and joins them as the language lists things', () => {
    expect(rolesText(['supervisor', 'administrator'], langOf('en'))).toBe('Supervisor and Administrator');
    const ru = langOf('ru');
    expect(rolesText(['supervisor', 'administrator'], ru)).toBe(`${ru.t('session.role', { role: 'supervisor' })} и ${ru.t('session.role', { role: 'administrator' })}`);
    const zh = langOf('zh');
    const three = rolesText(['operator', 'engineer', 'administrator'], zh);
    expect(three).toBe(`${zh.t('session.role', { role: 'operator' })}、${zh.t('session.role', { role: 'engineer' })}和${zh.t('session.role', { role: 'administrator' })}`);
    expect(three).not.toContain(', ');
  });

  it('reads the audit trail\'s "supervisor+administrator" as the same list', () => {
    const ru = langOf('ru');
    expect(rolesText('supervisor+administrator', ru)).toBe(rolesText(['supervisor', 'administrator'], ru));
    expect(rolesText('supervisor+administrator', ru)).not.toMatch(/supervisor|\+/);
  });

  it('keeps a role the catalog does not know as written', () => {
    expect(rolesText('auditor', langOf('ru'))).toBe('auditor');
    expect(rolesText('', langOf('ru'))).toBe('');
  });

  it('has short names for the header, each shorter than the whole name or the same', () => {
    // A Russian shift supervisor's chip at 1280 px read "Начальник с…": the abbreviations people write.
    expect(rolesText(['supervisor', 'administrator'], langOf('ru'), true)).toBe('Нач. смены и Админ.');
    expect(rolesText(['administrator'], langOf('en'), true)).toBe('Admin');
    expect(rolesText(['operator', 'engineer'], langOf('ru'), true)).toBe('Оператор и Инженер');
    expect(rolesText(['supervisor'], langOf('zh'), true)).toBe('值班长');
    for (const locale of ['en', 'ru', 'zh'] as const) {
      for (const role of ['operator', 'supervisor', 'engineer', 'administrator']) {
        expect(rolesText([role], langOf(locale), true).length, `${locale} ${role}`).toBeLessThanOrEqual(rolesText([role], langOf(locale)).length);
      }
    }
  });
});
