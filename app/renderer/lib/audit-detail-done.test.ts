/**
 * What an action that succeeded did, on the Audit page in Russian and Chinese: the station writes
 * it in English (the trail keeps that text, chained into its hashes); the page words it when shown,
 * so an entry written before this reads the same way. Found in zh/ru: a trend export's "resampled
 * automatic 60000 ms, 2026-…Z .. …Z, UTC" and an account's "displayName: …; roles: …" in English.
 * The details as the station's writers make them (named beside each); the words from the ru and zh
 * catalogs, times in UTC as the page's Formats write them.
 */
import { describe, expect, it } from 'vitest';
import { Formats, Translator, type Locale } from '../../shared/i18n/index.js';
import { auditDetail, auditTarget, auditValue } from './audit-detail.js';
import { changeText } from './audit-view.js';

const tr = (locale: Locale) => {
  const t = new Translator(locale);
  return t.t.bind(t);
};
const fmt = (locale: Locale) => new Formats(locale, 'UTC');
const say = (detail: string, locale: Locale) => auditDetail(detail, tr(locale), locale, fmt(locale));
/** The Change cell of an entry, its values worded as the page words them. */
const change = (action: string, e: { oldValue: string | null; newValue: string | null }, locale: Locale) =>
  changeText(e, 200, (v) => auditValue(action, v, tr(locale), locale, (ms) => fmt(locale).dateTime(ms), (items) => fmt(locale).list(items)));

// As app/main/trends/export/service.ts writes them.
const RESAMPLED = 'resampled automatic 60000 ms, 2026-12-06T16:00:00.000Z .. 2026-12-06T18:00:00.000Z, UTC';
const RAW = 'raw, 2026-12-06T16:00:00.000Z .. 2026-12-06T18:00:00.000Z, Europe/Moscow';
const CHOSEN = 'resampled Maximum 90000 ms, 2026-12-06T16:00:00.000Z .. 2026-12-07T16:00:00.000Z, UTC';

describe('the details of actions that succeeded, in the console\'s language', () => {
  it('says a trend export: rows, aggregate, interval, range and time zone', () => {
    expect(say(RESAMPLED, 'ru')).toBe('по интервалам (Автоматически: среднее, взвешенное по времени, интервал 1\u00a0мин): 06.12.2026, 16:00:00 – 06.12.2026, 18:00:00, часовой пояс UTC');
    expect(say(RESAMPLED, 'zh')).toBe('重采样（自动：时间加权平均值，间隔 1分钟）：2026/12/06 16:00:00 – 2026/12/06 18:00:00，时区 UTC');
    expect(say(RAW, 'ru')).toBe('исходные значения: 06.12.2026, 16:00:00 – 06.12.2026, 18:00:00, часовой пояс Europe/Moscow');
    expect(say(RAW, 'zh')).toBe('原始值：2026/12/06 16:00:00 – 2026/12/06 18:00:00，时区 Europe/Moscow');
    // An interval that is no whole unit is not rounded to one.
    expect(say(CHOSEN, 'ru')).toContain('(Максимум, интервал 1\u00a0мин 30\u00a0с)');
    // English: the station's text, as stored.
    for (const d of [RESAMPLED, RAW, CHOSEN]) expect(auditDetail(d, tr('en'), 'en', fmt('en'))).toBe(d);
  });

  it('says the counts of an audit query, an alarm journal export, and a tag removed', () => {
    // app/main/accounts/audit-handlers.ts; app/main/alarms/handlers.ts (its filter in words, audit-detail-words.test.ts); app/main/acquisition/tag-edit.ts.
    expect(say('1 entries', 'ru')).toBe('1 запись');
    expect(say('23 entries', 'ru')).toBe('23 записи');
    expect(say('25 entries', 'zh')).toBe('25条记录');
    expect(say('{"from":1765036800000,"to":1765044000000}: 12 lines', 'ru')).toBe('с 06.12.2025, 16:00:00; по 06.12.2025, 18:00:00: 12 строк');
    expect(say('removed from the station config; its archive is kept', 'ru')).toBe('удалён из конфигурации станции; его архив сохранён');
    expect(say('removed from the station config; its archive is kept', 'zh')).toBe('已从站点配置中删除；其归档保留');
  });

  it('says which servers a certificate trusted or rejected was presented by or used by', () => {
    // As app/main/acquisition/handlers.ts writes them (certificate-in-use.test.ts sees it).
    expect(say('presented by server plc at opc.tcp://10.0.0.5:4840', 'ru')).toBe('предъявлен сервером plc по адресу opc.tcp://10.0.0.5:4840');
    expect(say('used by server plc at opc.tcp://10.0.0.5:4840, server sim at opc.tcp://localhost:4841', 'zh'))
      .toBe('使用者：opc.tcp://10.0.0.5:4840 上的服务器 plc和opc.tcp://localhost:4841 上的服务器 sim');
  });

  it('says a re-send queued at a shell and the trail writable again, what they name as stored', () => {
    // app/main/sync/cli.ts (cli.test.ts sees it); app/main/api/dispatcher.ts.
    expect(say('queued for region, vm', 'ru')).toBe('поставлено в очередь для region и vm');
    expect(say('the audit trail takes entries again; before this entry at least one could not be written: SQLITE_FULL: database or disk is full', 'zh'))
      .toBe('审计记录恢复写入；在此条之前至少有一条未能写入：SQLITE_FULL: database or disk is full');
  });

  it('names an account\'s fields as the Accounts page does, its roles and state in words; the name as stored', () => {
    // As app/main/accounts/account-handlers.ts stores them (JSON).
    const created = { oldValue: null, newValue: JSON.stringify({ displayName: 'Ivan Petrov', roles: ['operator', 'engineer'] }) };
    expect(change('accounts.create', created, 'ru')).toBe('Полное имя: Ivan Petrov; Роли: Оператор и Инженер');
    expect(change('accounts.create', created, 'zh')).toBe('姓名：Ivan Petrov；角色：操作员和工程师');
    const disabled = {
      oldValue: JSON.stringify({ displayName: 'Ivan Petrov', roles: ['operator'], disabled: false }),
      newValue: JSON.stringify({ displayName: 'Ivan Petrov', roles: ['operator'], disabled: true }),
    };
    expect(change('accounts.disable', disabled, 'ru')).toBe('Полное имя: Ivan Petrov; Роли: Оператор; Состояние: Действует → Полное имя: Ivan Petrov; Роли: Оператор; Состояние: Отключена');
    // English keeps the station's words; another action's value is data.
    expect(change('accounts.create', created, 'en')).toBe('displayName: Ivan Petrov; roles: operator, engineer');
    expect(change('tags.remove', created, 'ru')).toBe('displayName: Ivan Petrov; roles: operator, engineer');
  });

  it('names the targets and values the station writes in words; a tag, alarm or user named so stays as stored', () => {
    // app/main/alarms/handlers.ts: the horn, the journal and KPI exports; app/main/sync/module.ts and cli.ts: every upstream.
    expect(auditTarget('alarms.silence', 'horn', tr('ru'), 'ru')).toBe('сирена');
    expect(auditTarget('alarms.journalExport', 'alarm journal', tr('zh'), 'zh')).toBe('报警日志');
    expect(auditTarget('alarms.kpiExport', 'alarm KPI', tr('ru'), 'ru')).toBe('Показатели сигнализаций');
    expect(auditTarget('sync.resend', 'all upstreams', tr('zh'), 'zh')).toBe('所有上级服务器');
    expect(change('sync.retry', { oldValue: null, newValue: JSON.stringify('all quarantined lines') }, 'ru')).toBe('все строки в карантине');
    expect(auditTarget('alarms.shelve', 'horn', tr('ru'), 'ru')).toBe('horn');
    expect(auditTarget('sync.resend', 'region', tr('ru'), 'ru')).toBe('region');
    expect(auditTarget('alarms.silence', 'horn', tr('en'), 'en')).toBe('horn');
  });
});
