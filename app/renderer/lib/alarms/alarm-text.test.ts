/**
 * An alarm's station-made text as the console says it: sync-lost's detail, sent as a catalog message
 * beside its English, in Russian and Chinese with the console's times and lists (expected strings
 * written by hand from the catalogs' words and the languages' date and list forms).
 */
import { describe, expect, it } from 'vitest';
import type { StationText } from '../../../shared/api/alarms.js';
import { Formats, Translator, type Locale } from '../../../shared/i18n/index.js';
import type { Lang } from '../value-view.js';
import { alarmText } from './alarm-text.js';

function lang(locale: Locale): Lang {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale, 'UTC') };
}
const [ru, zh, en] = [lang('ru'), lang('zh'), lang('en')];

const checkedAt = Date.UTC(2026, 11, 5, 22, 15, 7);
const sinceAt = Date.UTC(2026, 11, 5, 21, 0, 0);
// As the station sends it: the English detail in params, the same as a message in nested.
const englishDetail = 'samples: upstream region no longer holds what it acknowledged (checked at 2026-12-05T22:15:07.000Z), holding nothing it acknowledged since 2026-12-05T21:00:00.000Z (the oldest check kept): …';
const checked: StationText = {
  key: 'alarms.sync.lostAt',
  params: { upstream: 'region', detail: englishDetail },
  nested: {
    detail: {
      key: 'sync.loss.inStream',
      params: { stream: 'samples', detail: { key: 'sync.loss.holdsNothing', params: { reason: { key: 'sync.check.notHeld', params: { upstream: 'region', checkedAt } }, sinceAt } } },
    },
  },
};
const message = `Data missing at upstream region: ${englishDetail}`;

const deleted = (first: number, last: number) => ({
  key: 'sync.loss.deleted', params: { count: last - first + 1, stream: 'alarms', single: first === last ? 'yes' : 'no', first, last, again: 'no' },
});
const listed: StationText = {
  key: 'alarms.sync.lostDetail',
  params: { detail: 'alarms: 1 record (alarms 3) deleted at the station before they were sent; 3 records (alarms 7–9) deleted at the station before they were sent' },
  nested: { detail: { key: 'sync.loss.inStream', params: { stream: 'alarms', detail: { key: 'sync.loss.list', params: { parts: [deleted(3, 3), deleted(7, 9)] } } } } },
};

describe('an alarm text with a nested message', () => {
  it('says the detail of sync-lost in Russian and Chinese, its times in the console\'s format', () => {
    expect(alarmText(checked, message, ru)).toBe(
      'Данные отсутствуют на вышестоящем сервере region: samples: на сервере region больше нет части данных, приём которых он подтвердил (проверено в 05.12.2026, 22:15:07); ' +
        'на нём нет ничего из подтверждённого после 05.12.2026, 21:00:00 (самой старой сохранённой контрольной точки): это отправляется повторно; ' +
        'подтверждённого раньше там тоже может не быть, и отсюда это не проверить (npm run sync -- resend)',
    );
    expect(alarmText(checked, message, zh)).toBe(
      '上级服务器 region 缺少数据：samples：上级服务器 region 已不再保存其确认接收的部分数据（检查于 2026/12/05 22:15:07），' +
        '自 2026/12/05 21:00:00（保留的最早检查点）以来确认接收的数据一概没有：这些数据正在重新发送；更早确认接收的数据也可能缺失，本站无法核对（npm run sync -- resend）',
    );
    expect(alarmText(checked, message, en)).toBe(
      'Data missing at upstream region: samples: upstream region no longer holds what it acknowledged (checked at 2026-12-05 22:15:07), ' +
        'holding nothing it acknowledged since 2026-12-05 21:00:00 (the oldest check kept): that is sent again; ' +
        'what it acknowledged before may be missing there too and cannot be checked from here (npm run sync -- resend)',
    );
  });

  it('says several losses as the language lists them, each in its plural', () => {
    expect(alarmText(listed, 'x', ru)).toBe(
      'Данные отсутствуют на вышестоящем сервере: alarms: 1 запись (alarms 3) удалена на станции до отправки и 3 записи (alarms 7–9) удалены на станции до отправки',
    );
    expect(alarmText(listed, 'x', zh)).toBe('上级服务器缺少数据：alarms：1条记录（alarms 3）在发送前已在本站删除和3条记录（alarms 7–9）在发送前已在本站删除');
  });

  it('a text without nested messages (a journal line from before) reads as it did', () => {
    const flat: StationText = { key: 'alarms.sync.lostAt', params: { upstream: 'backup', detail: 'alarms: 2 records (alarms 4–5) deleted at the station before they were sent' } };
    expect(alarmText(flat, 'x', ru)).toBe('Данные отсутствуют на вышестоящем сервере backup: alarms: 2 records (alarms 4–5) deleted at the station before they were sent');
    expect(alarmText({ key: 'alarms.comm.lost', params: { server: 'sim' } }, 'x', zh)).toBe('与服务器 sim 通信中断');
  });

  it('a key this console does not know: the nested one keeps the English detail, the alarm\'s own the English message', () => {
    const newer: StationText = { ...checked, nested: { detail: { key: 'sync.loss.inStream', params: { stream: 'samples', detail: { key: 'sync.loss.future', params: {} } } } } };
    expect(alarmText(newer, message, ru)).toBe(`Данные отсутствуют на вышестоящем сервере region: ${englishDetail}`);
    expect(alarmText({ ...checked, key: 'alarms.sync.future' }, message, zh)).toBe(message);
    expect(alarmText(null, 'High level', ru)).toBe('High level');
  });
});

describe('a sync alarm citing an upstream\'s error', () => {
  // As the station sends a backlog alarm whose detail is the last error (app/main/sync/upstream/faults.ts): the timeout in ms.
  const backlog: StationText = {
    key: 'alarms.sync.backlog',
    params: { upstream: 'region', minutes: 2, detail: 'no answer within 5000 ms' },
    nested: { detail: { key: 'sync.fault.noAnswer', params: { timeoutMs: 5000 } } },
  };
  it('says the timeout as a duration in the console\'s words, not "5000 ms"', () => {
    // Words from the ru and zh catalogs; "5 с" / "5秒" as CLDR writes a duration (a no-break space before the Russian unit, none in Chinese).
    expect(alarmText(backlog, 'Data for region waits longer than 2 min: no answer within 5000 ms', ru)).toBe('Данные для сервера region ждут отправки дольше 2 минут: нет ответа за 5\u00a0с');
    expect(alarmText(backlog, '', zh)).toContain('5秒');
  });
});
