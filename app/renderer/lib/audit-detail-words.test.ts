/**
 * Audit values and details that still read in English on a Russian or Chinese console (found on the
 * Audit page at 1280x720): a tag's compression edit as raw JSON ("compression: {"kind":"swinging-door",…}"),
 * a re-send's field names ("from: …; stream: alarms; to: …"), a retry's "ids: 1, 2", the alarm KPI
 * export's period as file stamps ("20261206T1920..20261206T2040") and the journal export's filter as JSON.
 * The stored texts are copied from a real station's trail (tags.setCompression, sync.resend, sync.retry,
 * alarms.kpiExport, alarms.journalExport made over its API); the words are the ru and zh catalogs'.
 */
import { describe, expect, it } from 'vitest';
import { Formats, Translator, type Locale } from '../../shared/i18n/index.js';
import { auditDetail, auditValue } from './audit-detail.js';
import { changeText } from './audit-view.js';

const tr = (locale: Locale) => {
  const t = new Translator(locale);
  return t.t.bind(t);
};
const fmt = (locale: Locale) => new Formats(locale, 'UTC');
const change = (action: string, e: { oldValue: string | null; newValue: string | null }, locale: Locale) =>
  changeText(e, 400, (v) => auditValue(action, v, tr(locale), locale, (ms) => fmt(locale).dateTime(ms), (items) => fmt(locale).list(items), fmt(locale)));
const say = (detail: string, locale: Locale) => auditDetail(detail, tr(locale), locale, fmt(locale));

const SWINGING = '{"compression":{"deviation":0.5,"kind":"swinging-door","maxIntervalMs":600000,"minIntervalMs":1500,"percentOfSpan":true},"effective":{"deviation":0.5,"kind":"swinging-door","maxIntervalMs":600000,"minIntervalMs":1500,"percentOfSpan":true}}';
const DEADBAND = '{"compression":{"deviation":0.02,"kind":"deadband"},"effective":{"deviation":0.02,"kind":"deadband"}}';
const NONE = '{"compression":{"kind":"none"},"effective":{"kind":"none"}}';
const DEFAULT = '{"compression":"station default","effective":{"deviation":0.1,"kind":"deadband","percentOfSpan":true}}';

describe('a tag\'s compression edit, in the console\'s language', () => {
  it('says the method, the deviation (percent or absolute) and the intervals as the Tags page does', () => {
    expect(change('tags.setCompression', { oldValue: DEADBAND, newValue: SWINGING }, 'ru'))
      .toBe('зона нечувств. 0,02 → вращающаяся дверь 0,5 % диапазона; точка не чаще чем раз в 1,5\u00a0с; точка не реже чем раз в 10\u00a0мин 00\u00a0с');
    expect(change('tags.setCompression', { oldValue: DEADBAND, newValue: SWINGING }, 'zh'))
      .toBe('死区 0.02 → 旋转门 量程的 0.5%；最多每 1.5秒一个点；至少每 10分钟00秒一个点');
  });
  it('says none and the station default with what the default is', () => {
    expect(change('tags.setCompression', { oldValue: NONE, newValue: DEFAULT }, 'ru')).toBe('нет → по умолчанию для станции (зона нечувств. 0,1 % диапазона)');
    expect(change('tags.setCompression', { oldValue: NONE, newValue: DEFAULT }, 'zh')).toBe('无 → 站点默认（死区 量程的 0.1%）');
  });
  it('keeps the stored text in English and for a value of another form', () => {
    expect(change('tags.setCompression', { oldValue: NONE, newValue: DEFAULT }, 'en')).not.toMatch(/station default \(/);
    expect(change('tags.setCompression', { oldValue: null, newValue: '{"compression":{"kind":"spiral"},"effective":{"kind":"spiral"}}' }, 'ru'))
      .toBe('compression: {"kind":"spiral"}; effective: {"kind":"spiral"}');
  });
});

describe('a re-send and a retry, in the console\'s language', () => {
  const RESEND = '{"from":"2026-12-06T19:20:32.963Z","stream":"alarms","to":"2026-12-06T20:40:32.963Z"}';
  it('names the stream and writes the range as the page writes times', () => {
    expect(change('sync.resend', { oldValue: null, newValue: RESEND }, 'ru')).toBe('события сигнализаций: 06.12.2026, 19:20:32 – 06.12.2026, 20:40:32');
    expect(change('sync.resend', { oldValue: null, newValue: RESEND }, 'zh')).toBe('报警事件：2026/12/06 19:20:32 – 2026/12/06 20:40:32');
  });
  it('says the lines of a retry', () => {
    expect(change('sync.retry', { oldValue: null, newValue: '{"ids":[1,2]}' }, 'ru')).toBe('строки в карантине: 1, 2');
    expect(change('sync.retry', { oldValue: null, newValue: '{"ids":[1,2]}' }, 'zh')).toBe('隔离区中的行：1, 2');
  });
});

describe('the alarm exports\' details, in the console\'s language', () => {
  it('writes the KPI period as the page writes times, not as file-name stamps', () => {
    expect(say('20261206T1920..20261206T2040', 'ru')).toBe('06.12.2026, 19:20:00 – 06.12.2026, 20:40:00');
    expect(say('20261206T1920..20261206T2040', 'zh')).toBe('2026/12/06 19:20:00 – 2026/12/06 20:40:00');
    expect(say('20261206T1920..20261206T2040', 'en')).toBe('20261206T1920..20261206T2040');
  });
  it('words the journal export\'s filter: period, tags, areas, priorities and events by name', () => {
    const filter = '{"from":1796584832963,"to":1796589632963,"tags":["Area1.TK101.Level"],"areas":["Area1"],"priorities":[1,2],"events":["activated","acknowledged"]}: 0 lines';
    expect(say(filter, 'ru')).toBe('с 06.12.2026, 19:20:32; по 06.12.2026, 20:40:32; тег Area1.TK101.Level; участок Area1; приоритет: Критический и Высокий; события: Сработала и Квитирована: 0 строк');
    expect(say(filter, 'zh')).toBe('自 2026/12/06 19:20:32；至 2026/12/06 20:40:32；位号 Area1.TK101.Level；区域 Area1；优先级：紧急和高；事件：激活和确认：0行');
    expect(say('{}: 2 lines', 'ru')).toBe('весь журнал: 2 строки');
    expect(say('{}: 2 lines', 'zh')).toBe('全部日志：2行');
  });
});
