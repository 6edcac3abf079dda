/**
 * The sync backlog alarm words its threshold (sync.backlogAlarmAfterSec) as a duration in the
 * console's language: with 20 s it said "waited more than 0 minutes" (the seconds rounded to whole
 * minutes). The alarms module over a real alarms.sqlite, raised as the sync raises it; rows
 * journaled before (key alarms.sync.backlog, params with `minutes`) still read as they did.
 * Expectations written out by hand from the catalog's words and CLDR's durations.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.js';
import { loadStationConfig } from '../station/config-file.js';
import { ConfigStore } from '../station/config-store.js';
import { tempDir } from '../sync/testing/harness.js';
import { Formats, Translator, type Locale } from '../../shared/i18n/index.js';
import { alarmText } from '../../renderer/lib/alarms/alarm-text.js';
import { journalMessage } from '../../renderer/lib/alarms/journal-text.js';
import type { Lang } from '../../renderer/lib/value-view.js';
import { fixtureRaw } from './engine/testing.js';
import { AlarmsModule } from './module.js';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0).reverse()) c(); });

const NBSP = '\u00a0';
function lang(locale: Locale): Lang {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale) };
}

function open(afterSec: number): AlarmsModule {
  const tmp = tempDir('vigil-backlog-threshold-');
  cleanups.push(tmp.remove);
  const file = join(tmp.dir, 'station.yaml');
  const upstreams = [{ id: 'region', url: 'http://127.0.0.1:9/', flavour: 'influxdb1', database: 't' }];
  writeFileSync(file, stringify({ ...fixtureRaw(), sync: { backlogAlarmAfterSec: afterSec, upstreams } }));
  const m = AlarmsModule.open({ config: new ConfigStore(loadStationConfig(file), { source: file }), dataDir: tmp.dir, logger: silentLogger() });
  m.start();
  cleanups.push(() => m.stop());
  return m;
}

const detail = '3 records wait, the oldest for 1 min';
function raised(afterSec: number) {
  const m = open(afterSec);
  m.syncAlarm('region', { kind: 'backlog', message: detail });
  m.flush();
  const row = m.snapshot().rows.find((r) => r.id === 'sync/region')!;
  const line = m.journal.read(0, 1000).filter((j) => j.alarmId === 'sync/region').at(-1)!;
  return { row, line, said: (locale: Locale) => alarmText(row.text, row.message, lang(locale)) };
}

describe('the sync backlog alarm names its threshold as a duration', () => {
  it('20 s: "20 s" in English, "20 с" in Russian, "20秒" in Chinese (not "0 minutes")', () => {
    const a = raised(20);
    // The English message (the log, the journal's CSV, upstream): plain spaces, as the sync writes its own.
    expect(a.row.message).toBe(`Data for upstream region wait longer than 20 s: ${detail}`);
    expect(a.said('en')).toBe(`Data for upstream region wait longer than 20${NBSP}s: ${detail}`);
    expect(a.said('ru')).toBe(`Данные для сервера region ждут отправки дольше 20${NBSP}с: ${detail}`);
    expect(a.said('zh')).toBe(`发往上级服务器 region 的数据已等待超过 20秒：${detail}`);
    // The journal line says the same, in the console's words.
    expect(journalMessage(a.line, lang('zh'))).toBe(`发往上级服务器 region 的数据已等待超过 20秒：${detail}`);
  });

  it('90 min: hours and minutes as the duration formatter writes them', () => {
    const a = raised(5400);
    expect(a.said('en')).toBe(`Data for upstream region wait longer than 1${NBSP}h 30${NBSP}min: ${detail}`);
    expect(a.said('zh')).toBe(`发往上级服务器 region 的数据已等待超过 1小时30分钟：${detail}`);
  });

  it('a row journaled before (alarms.sync.backlog with minutes) still reads in every language', () => {
    const old = { key: 'alarms.sync.backlog', params: { upstream: 'region', minutes: 2, detail } };
    const message = `Data for upstream region wait longer than 2 minutes: ${detail}`;
    expect(alarmText(old, message, lang('en'))).toBe(message);
    expect(alarmText(old, message, lang('ru'))).toBe(`Данные для сервера region ждут отправки дольше 2 минут: ${detail}`);
    expect(alarmText(old, message, lang('zh'))).toBe(`发往上级服务器 region 的数据已等待超过 2分钟：${detail}`);
  });
});
