/**
 * Every permission has a name people read, in every language of the console, and refusals show it
 * instead of the id. The expected names are written out here as the catalog should say them.
 */
import { describe, expect, it } from 'vitest';
import { permissionNames } from '../../shared/permissions.js';
import { Translator, catalogOf, locales, type MessageKey } from '../../shared/i18n/index.js';
import { isPermission, permissionText, withPermissionNamed } from './permission-text.js';

const en = new Translator('en'), ru = new Translator('ru'), zh = new Translator('zh');
const tr = (x: Translator) => x.t.bind(x);

describe('permission names', () => {
  it('every permission of the table has its own name in every language, none of them its id', () => {
    for (const locale of locales) {
      const catalog = catalogOf(locale) as Record<string, string | undefined>;
      const names = permissionNames.map((p) => catalog[`permission.${p}`]);
      for (const [i, name] of names.entries()) {
        expect(typeof name, `${locale} permission.${permissionNames[i]}`).toBe('string');
        expect(name, locale).not.toContain(permissionNames[i]);
      }
      expect(new Set(names).size, `${locale}: two permissions share a name`).toBe(names.length);
    }
  });

  it('the Russian and Chinese names are translations, not English', () => {
    for (const p of permissionNames) {
      expect(permissionText(p, tr(ru)), p).toMatch(/^[А-Яа-яЁё «»()A-Z-]+$/u);
      expect(permissionText(p, tr(ru))).not.toBe(permissionText(p, tr(en)));
      expect(permissionText(p, tr(zh)), p).toMatch(/\p{Script=Han}/u);
      expect(permissionText(p, tr(zh))).not.toBe(permissionText(p, tr(en)));
    }
  });

  it('no message of the catalog names a permission by its id (“sync.manage”), in any language', () => {
    for (const locale of locales) {
      for (const [key, text] of Object.entries(catalogOf(locale))) {
        for (const p of permissionNames) expect(text, `${locale} ${key}`).not.toMatch(new RegExp(`[“«"]${p.replace('.', '\\.')}[”»"]`));
      }
    }
  });

  it('reads as written for the permissions a refusal names most', () => {
    expect(permissionText('alarms.outOfService', tr(en))).toBe('Take alarms out of service');
    expect(permissionText('accounts.manage', tr(en))).toBe('Manage user accounts');
    expect(permissionText('alarms.returnToService', tr(ru))).toBe('Ввод сигнализаций в работу');
    expect(permissionText('accounts.manage', tr(ru))).toBe('Управление учётными записями');
    expect(permissionText('alarms.shelve', tr(zh))).toBe('搁置报警');
    expect(permissionText('audit.view', tr(zh))).toBe('查看审计记录');
  });

  it('an id it does not know (a newer station) shows as it came', () => {
    expect(isPermission('reports.print')).toBe(false);
    expect(isPermission('toString')).toBe(false);
    expect(permissionText('reports.print', tr(ru))).toBe('reports.print');
  });
});

describe('a refusal as the console shows it', () => {
  it('says the permission by its name, not its id, in every language', () => {
    const params = { permission: 'accounts.manage', user: 'ivanova' };
    const say = (x: Translator, key: MessageKey) => x.t(key, withPermissionNamed(params, tr(x)));
    expect(say(en, 'error.forbidden.permission')).toBe('ivanova may not do this: it needs the permission “Manage user accounts”.');
    expect(say(en, 'error.forbidden.signIn')).toBe('Sign in first: this needs the permission “Manage user accounts”.');
    expect(say(ru, 'error.forbidden.permission')).toBe('У пользователя ivanova нет права «Управление учётными записями».');
    expect(say(zh, 'error.forbidden.signIn')).toBe('请先登录：此操作需要“管理用户账户”权限。');
  });

  it('leaves other parameters, and a message without a permission, as they are', () => {
    expect(withPermissionNamed({ user: 'ivanova', count: 2 }, tr(en))).toEqual({ user: 'ivanova', count: 2 });
    expect(withPermissionNamed(undefined, tr(en))).toBeUndefined();
    expect(withPermissionNamed({ permission: 'reports.print' }, tr(en))).toEqual({ permission: 'reports.print' });
  });
});
