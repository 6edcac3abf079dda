import { describe, expect, it } from 'vitest';
import { Formats, Translator } from '../../../shared/i18n/index.js';
import type { JournalEntry } from '../../../shared/api/alarms.js';
import { journalMessage, journalTagText } from './journal-text.js';

const ru = new Translator('ru');
const zh = new Translator('zh');
const en = new Translator('en');
const tr = (t: Translator) => t.t.bind(t);

function entry(over: Partial<JournalEntry>): JournalEntry {
  return {
    seq: 1, t: 0, alarmId: 'Area1.TK101.Level/limit', tag: 'Area1.TK101.Level', area: 'Area1', condition: 'H', event: 'activated',
    state: 'B', value: 81, valueSuspect: false, priority: 2, user: null, comment: null, message: 'High level', text: null, ...over,
  };
}

describe('journal messages in the console\'s language', () => {
  const comm = entry({ alarmId: 'comm/sim', tag: null, area: null, condition: 'COMM', message: 'Communication lost with server sim' });

  it('says a line by the key it was journalled with, whatever its English said then', () => {
    const keyed = entry({
      alarmId: 'sync/region', tag: null, area: null, condition: 'SYNC', message: 'Upstream region: sending stopped (HTTP 401)',
      text: { key: 'alarms.sync.stopped', params: { upstream: 'region', detail: 'HTTP 401' } },
    });
    expect(journalMessage(keyed, tr(ru))).toBe('Отправка на сервер region остановлена: HTTP 401');
    // A key this console does not know (a newer station's) falls back to the stored English.
    expect(journalMessage({ ...keyed, text: { key: 'alarms.sync.future', params: {} } }, tr(ru))).toBe('Upstream region: sending stopped (HTTP 401)');
  });

  it('lines from before keys: says a lost server link in Russian and Chinese, as the banner does', () => {
    expect(journalMessage(comm, tr(ru))).toBe('Потеря связи с сервером sim');
    expect(journalMessage(comm, tr(zh))).toBe('与服务器 sim 通信中断');
    expect(journalMessage(comm, tr(en))).toBe('Communication lost with server sim');
  });

  it('says the station\'s own bad-quality text, but keeps an engineer\'s message for it', () => {
    const bad = entry({ alarmId: 'Area1.TK101.Level/quality', condition: 'BAD', message: 'Area1.TK101.Level: bad quality' });
    expect(journalMessage(bad, tr(ru))).toBe('Area1.TK101.Level: недостоверное значение');
    const own = entry({ alarmId: 'Area1.TK101.Level/quality', condition: 'BAD', message: 'Level transmitter failed' });
    expect(journalMessage(own, tr(ru))).toBe('Level transmitter failed');
  });

  it('says sync alarms, keeping the detail the station reported', () => {
    const up = entry({ alarmId: 'sync/region', tag: null, area: null, condition: 'SYNC', message: 'Data are not reaching upstream region' });
    expect(journalMessage(up, tr(ru))).toBe('Данные не доходят до вышестоящего сервера region');
    const stopped = entry({ alarmId: 'sync/region', tag: null, area: null, condition: 'SYNC', message: 'Sending to upstream region stopped: HTTP 401' });
    expect(journalMessage(stopped, tr(zh))).toBe('向上级服务器 region 的发送已停止：HTTP 401');
    const backlog = entry({ alarmId: 'sync/region', tag: null, area: null, condition: 'SYNC', message: 'Data for upstream region wait longer than 5 minutes: 120 batches' });
    expect(journalMessage(backlog, tr(ru))).toBe('Данные для сервера region ждут отправки дольше 5 минут: 120 batches');
    const lost = entry({ alarmId: 'sync-lost', tag: null, area: null, condition: 'SYNC', message: 'Data missing upstream: 3 days' });
    expect(journalMessage(lost, tr(ru))).toBe('Данные отсутствуют на вышестоящем сервере: 3 days');
  });

  it('says sync-lost\'s detail kept as a message in the console\'s language; a line from before keeps its English detail', () => {
    const detail = 'alarms: 2 records (alarms 4–5) deleted at the station before they were sent';
    const said = { key: 'sync.loss.deleted', params: { count: 2, stream: 'alarms', single: 'no', first: 4, last: 5, again: 'no' } };
    const flat = { key: 'alarms.sync.lostAt', params: { upstream: 'backup', detail } };
    const lost = entry({ alarmId: 'sync-lost', tag: null, area: null, condition: 'SYNC', message: `Data missing at upstream backup: ${detail}`, text: flat });
    const nested = { ...lost, text: { ...flat, nested: { detail: { key: 'sync.loss.inStream', params: { stream: 'alarms', detail: said } } } } };
    const lang = (t: Translator) => ({ t: tr(t), fmt: new Formats(t.locale, 'UTC') });
    expect(journalMessage(nested, lang(ru))).toBe('Данные отсутствуют на вышестоящем сервере backup: alarms: 2 записи (alarms 4–5) удалены на станции до отправки');
    expect(journalMessage(nested, lang(zh))).toBe('上级服务器 backup 缺少数据：alarms：2条记录（alarms 4–5）在发送前已在本站删除');
    expect(journalMessage(nested, tr(ru))).toBe('Данные отсутствуют на вышестоящем сервере backup: alarms: 2 записи (alarms 4–5) удалены на станции до отправки');
    expect(journalMessage(lost, lang(ru))).toBe(`Данные отсутствуют на вышестоящем сервере backup: ${detail}`);
    // Words without the console's formats: a nested time as the station's English writes it, the words still Russian.
    const at = Date.UTC(2026, 11, 5, 22, 15, 7);
    const restarted = { ...lost, text: { ...flat, nested: { detail: { key: 'sync.check.restarted', params: { upstream: 'backup', startedAt: at } } } } };
    expect(journalMessage(restarted, tr(ru))).toBe('Данные отсутствуют на вышестоящем сервере backup: сервер backup перезапущен в 2026-12-05T22:15:07.000Z');
    expect(journalMessage(restarted, lang(ru))).toBe('Данные отсутствуют на вышестоящем сервере backup: сервер backup перезапущен в 05.12.2026, 22:15:07');
  });

  it('keeps an engineer\'s message and a server\'s own condition text as stored', () => {
    expect(journalMessage(entry({}), tr(ru))).toBe('High level');
    const server = entry({ alarmId: 'server/sim/ns=1;s=Pump', tag: null, condition: 'SERVER', message: 'Pump tripped' });
    expect(journalMessage(server, tr(ru))).toBe('Pump tripped');
    // A station message of another shape (a newer station): its English, never a wrong translation.
    expect(journalMessage({ ...comm, message: 'Link to sim is flapping' }, tr(ru))).toBe('Link to sim is flapping');
  });
});

describe('the journal\'s tag column', () => {
  it('names a server alarm by its server, as the banner does, not by its raw id', () => {
    expect(journalTagText(entry({ alarmId: 'comm/sim', tag: null, condition: 'COMM' }))).toBe('sim');
    expect(journalTagText(entry({ alarmId: 'server/sim/ns=1;s=A/B', tag: null, condition: 'SERVER' }))).toBe('sim');
    expect(journalTagText(entry({}))).toBe('Area1.TK101.Level');
    expect(journalTagText(entry({ alarmId: 'sync/region', tag: null, condition: 'SYNC' }))).toBe('—');
  });
});
