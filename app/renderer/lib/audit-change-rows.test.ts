/** The Audit page's detail panel: an entry's change a field a row in the console's words, not the stored JSON. */
import { describe, expect, it } from 'vitest';
import { Formats, Translator, type Locale } from '../../shared/i18n/index.js';
import { auditValue } from './audit-detail.js';
import { changeRows } from './audit-change-rows.js';
import type { Lang } from './value-view.js';

const lang = (locale: Locale): Lang => {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale, 'UTC') };
};
const rows = (e: { action: string; oldValue: string | null; newValue: string | null }, locale: Locale) => {
  const l = lang(locale);
  return changeRows(e, l, (v) => auditValue(e.action, v, l.t, locale, (ms) => l.fmt.dateTime(ms), (items) => l.fmt.list(items), l.fmt));
};

// Expectations: the words of the ru and zh catalogs (the Accounts page's columns, the alarm settings dialog's fields).
describe('audit change rows', () => {
  const update = {
    action: 'accounts.update',
    oldValue: '{"displayName":"Пётр Петров","roles":["operator"],"disabled":false}',
    newValue: '{"displayName":"Пётр Петров","roles":["operator","engineer"],"disabled":true}',
  };

  it('shows an account change a field a row, named as the Accounts page names its columns', () => {
    expect(rows(update, 'ru')).toEqual([
      { field: 'Полное имя', old: 'Пётр Петров', new: 'Пётр Петров' },
      { field: 'Роли', old: 'Оператор', new: 'Оператор и Инженер' },
      { field: 'Состояние', old: 'Действует', new: 'Отключена' },
    ]);
    expect(rows(update, 'zh').map((r) => [r.field, r.old, r.new])).toEqual([
      ['姓名', 'Пётр Петров', 'Пётр Петров'], ['角色', '操作员', '操作员和工程师'], ['状态', '启用', '停用'],
    ]);
  });

  it('names an alarm setting by the settings dialog\'s field, its number the locale\'s way', () => {
    const edit = { action: 'alarms.editSettings', oldValue: '{"tags.0.alarms.limits.H.value":80.5,"tags.0.alarms.onDelayS":null}', newValue: '{"tags.0.alarms.limits.H.value":70.25,"tags.0.alarms.onDelayS":3}' };
    expect(rows(edit, 'ru')).toEqual([
      { field: 'Уставка: ВЕРХНИЙ', old: '80,5', new: '70,25' },
      { field: 'Задержка срабатывания, с', old: '∅', new: '3' },
    ]);
  });

  it('shows a thing made by its new fields only, and a value that is no set of fields in one row, worded', () => {
    expect(rows({ action: 'accounts.create', oldValue: null, newValue: '{"displayName":"Иван","roles":["engineer"]}' }, 'ru')).toEqual([
      { field: 'Полное имя', old: null, new: 'Иван' },
      { field: 'Роли', old: null, new: 'Инженер' },
    ]);
    expect(rows({ action: 'alarms.acknowledge', oldValue: '["B"]', newValue: '"acknowledged"' }, 'ru')).toEqual([
      { field: null, old: 'Активна, не квитирована', new: 'Квитирована' },
    ]);
    expect(rows({ action: 'accounts.update', oldValue: null, newValue: null }, 'ru')).toEqual([]);
    // An unfiltered audit query stores an empty filter: nothing to show.
    expect(rows({ action: 'audit.query', oldValue: null, newValue: '{}' }, 'ru')).toEqual([]);
  });

  it('never shows the stored JSON\'s quotes and braces for a set of fields', () => {
    for (const r of rows(update, 'zh')) expect(`${r.field}${r.old}${r.new}`).not.toMatch(/[{}"]/);
  });
});
