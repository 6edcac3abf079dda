/**
 * An alarm raised with the text of the moment (sync-lost naming the upstream and the loss, a sync
 * alarm naming why) says the same after a console restart: the alarms module over a real
 * alarms.sqlite, closed and opened again. The text it says is the last one journaled for it. A
 * state kept by an older version (no text) still loads, with the definition's generic text.
 * Expectations are written out by hand from the catalog's words.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.js';
import { loadStationConfig } from '../station/config-file.js';
import { ConfigStore } from '../station/config-store.js';
import { tempDir } from '../sync/testing/harness.js';
import { Formats, Translator, type Locale } from '../../shared/i18n/index.js';
import type { SyncText } from '../../shared/sync-text.js';
import { alarmText } from '../../renderer/lib/alarms/alarm-text.js';
import type { Lang } from '../../renderer/lib/value-view.js';
import { fixtureRaw } from './engine/testing.js';
import { AlarmsModule } from './module.js';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0).reverse()) c(); });

function lang(locale: Locale): Lang {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale) };
}

/** A station with two upstreams (so the sync alarms are defined); no sync runs: the test raises them as the sync does. */
function open(dir: string): AlarmsModule {
  const file = join(dir, 'station.yaml');
  const upstreams = ['region', 'backup'].map((id) => ({ id, url: 'http://127.0.0.1:9/', flavour: 'influxdb1', database: 't' }));
  writeFileSync(file, stringify({ ...fixtureRaw(), sync: { backlogAlarmAfterSec: 3600, upstreams } }));
  const m = AlarmsModule.open({ config: new ConfigStore(loadStationConfig(file), { source: file }), dataDir: dir, logger: silentLogger() });
  m.start();
  cleanups.push(() => m.stop());
  return m;
}

function station(): { dir: string; open: () => AlarmsModule } {
  const tmp = tempDir('vigil-alarm-text-');
  cleanups.push(tmp.remove);
  return { dir: tmp.dir, open: () => open(tmp.dir) };
}

/** A loss as the sync words it (sync/service.ts loss(), streams/sequenced.ts): records 5–6 of the alarms stream deleted unsent. */
const deleted: SyncText = {
  key: 'sync.loss.inStream',
  params: { stream: 'alarms', detail: { key: 'sync.loss.deleted', params: { count: 2, stream: 'alarms', single: 'no', first: 5, last: 6, again: 'no' } } },
};
const lossAt = (upstream: string) => ({ kind: 'stopped' as const, upstream, message: 'alarms: 2 records (alarms 5–6) deleted at the station before they were sent', said: deleted });

const row = (m: AlarmsModule, id: string) => m.snapshot().rows.find((r) => r.id === id)!;
const said = (m: AlarmsModule, id: string, locale: Locale) => alarmText(row(m, id).text, row(m, id).message, lang(locale));
const lastJournaled = (m: AlarmsModule, id: string) => m.journal.read(0, 1000).filter((j) => j.alarmId === id).at(-1)!;

describe('an alarm raised with the text of the moment, across a restart', () => {
  it('sync-lost, unacknowledged, still names the upstream and the loss after a restart, in English and Russian', () => {
    const s = station();
    const first = s.open();
    first.syncAlarm('*', lossAt('backup'));
    first.flush();
    expect(row(first, 'sync-lost').state).toBe('D');
    first.stop();

    const second = s.open();
    const r = row(second, 'sync-lost');
    expect([r.state, r.flags.acked]).toEqual(['D', false]);
    expect(said(second, 'sync-lost', 'en')).toBe('Data missing at upstream backup: alarms: 2 records (alarms 5–6) deleted at the station before they were sent');
    expect(said(second, 'sync-lost', 'ru')).toBe('Данные отсутствуют на вышестоящем сервере backup: alarms: 2 записи (alarms 5–6) удалены на станции до отправки');
    expect(r.message).toBe('Data missing at upstream backup: alarms: 2 records (alarms 5–6) deleted at the station before they were sent');
    // What the journal last said of it, and what the next line (the ack after the restart) says.
    expect(r.text).toEqual(lastJournaled(second, 'sync-lost').text);
    second.acknowledge(['sync-lost'], [r.revision], 'op', null);
    second.flush();
    const ack = lastJournaled(second, 'sync-lost');
    expect([ack.event, ack.message]).toEqual(['acknowledged', 'Data missing at upstream backup: alarms: 2 records (alarms 5–6) deleted at the station before they were sent']);
  });

  it('raised again for another upstream before the restart: the restored text is the later one, the last journaled', () => {
    const s = station();
    const first = s.open();
    first.syncAlarm('*', lossAt('backup'));
    first.flush();
    first.syncAlarm('*', lossAt('region'));
    first.flush();
    first.stop();

    const second = s.open();
    expect(said(second, 'sync-lost', 'en')).toBe('Data missing at upstream region: alarms: 2 records (alarms 5–6) deleted at the station before they were sent');
    expect(said(second, 'sync-lost', 'ru')).toBe('Данные отсутствуют на вышестоящем сервере region: alarms: 2 записи (alarms 5–6) удалены на станции до отправки');
    expect(row(second, 'sync-lost').text).toEqual(lastJournaled(second, 'sync-lost').text);
  });

  it('a sync alarm of an upstream, active and re-worded, says after a restart the text its last journal line says', () => {
    const s = station();
    const first = s.open();
    first.syncAlarm('region', { kind: 'paused', message: 'authorization failed (401)' });
    first.flush();
    // Still raised, now for another reason: the row changes, and the journal says so (messageChanged).
    first.syncAlarm('region', { kind: 'credentials', message: 'the secret file cannot be read' });
    first.flush();
    expect(said(first, 'sync/region', 'en')).toBe('Sending to upstream region cannot start: the secret file cannot be read');
    expect(lastJournaled(first, 'sync/region').event).toBe('messageChanged');
    first.stop();

    const second = s.open();
    expect(row(second, 'sync/region').state).toBe('B');
    expect(said(second, 'sync/region', 'en')).toBe('Sending to upstream region cannot start: the secret file cannot be read');
    expect(said(second, 'sync/region', 'ru')).toBe('Отправка на сервер region не запускается: the secret file cannot be read');
    expect(row(second, 'sync/region').text).toEqual(lastJournaled(second, 'sync/region').text);
  });

  it('a state kept by an older version (no text) loads with the generic text, as before', () => {
    const s = station();
    s.open().stop(); // the file and its tables
    const db = new Database(join(s.dir, 'alarms.sqlite'));
    // As 92b5a44 kept it (message, no text), and as a version before that (no tag, area, priority or message).
    const kept = {
      id: 'sync-lost', level: 0, condition: 'SYNC', active: false, acked: false, latched: false, activatedAt: 1_700_000_000_000,
      annunciatedAt: 1_700_000_000_000, ackedAt: null, ackUser: null, ackComment: null, returnedAt: 1_700_000_000_000, valueAtActivation: null,
      shelve: null, outOfService: null, revision: 4, suppressed: false, journalOpen: false,
    };
    const withMessage = { ...kept, tag: null, area: null, priority: 3, message: 'Data missing at upstream backup: alarms: 1 record (alarms 7) deleted at the station before they were sent' };
    const put = db.prepare('INSERT INTO alarm_state (id, state) VALUES (?, ?)');
    put.run('sync-lost', JSON.stringify(withMessage));
    put.run('sync/region', JSON.stringify({ ...kept, id: 'sync/region', level: 1, active: true, returnedAt: null, journalOpen: true }));
    db.close();

    const m = s.open();
    expect([row(m, 'sync-lost').state, row(m, 'sync/region').state]).toEqual(['D', 'B']);
    expect(said(m, 'sync-lost', 'en')).toBe('Data missing upstream (aged out of the archive unsent, or lost by the upstream)');
    expect(said(m, 'sync-lost', 'ru')).toBe('Данные отсутствуют на вышестоящем сервере (удалены из архива до отправки или утрачены сервером)');
    expect(said(m, 'sync/region', 'en')).toBe('Data are not reaching upstream region');
    expect(said(m, 'sync/region', 'ru')).toBe('Данные не доходят до вышестоящего сервера region');
  });
});
