/**
 * Every row the station raises in its own words (a catalog message beside its English: COMM lost, bad
 * quality, frozen value, a sync alarm, a server's notice row, a server condition its server dropped) says them in the console's language after
 * a restart of the alarms module on the same alarms.sqlite, before anything reports it again; and one
 * whose definition went while the station was down (its server, tag alarm or upstream removed from
 * the config) is ended in the journal in those words, as a removal while running ends it. Expectations
 * are the catalog's words, written out by hand.
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
import type { StationText } from '../../shared/api/alarms.js';
import { alarmText } from '../../renderer/lib/alarms/alarm-text.js';
import type { Lang } from '../../renderer/lib/value-view.js';
import { fixtureRaw, T0 } from './engine/testing.js';
import { AlarmsModule } from './module.js';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0).reverse()) c(); });

function lang(locale: Locale): Lang {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale) };
}
const ru = lang('ru');
const Bad = 0x80000000;

/** The fixture with a bad-quality alarm on XI-4, a frozen-value one on XI-3 (2 s) and an upstream 'region'. */
function fullRaw() {
  const raw = fixtureRaw();
  const tags = raw.tags.map((t) => {
    if (t.name === 'XI-3' && 'alarms' in t) return { ...t, alarms: { ...t.alarms, frozen: { priority: 3, afterS: 2 } } };
    if (t.name === 'XI-4' && 'alarms' in t) return { ...t, alarms: { ...t.alarms, badQuality: { priority: 2 } } };
    return t;
  });
  return { ...raw, tags, sync: { upstreams: [{ id: 'region', url: 'http://127.0.0.1:9/', flavour: 'influxdb1', database: 't' }] } };
}

function station() {
  const tmp = tempDir('vigil-station-text-');
  cleanups.push(tmp.remove);
  let t = T0;
  const clock = { now: () => t };
  const open = (raw: object): AlarmsModule => {
    const file = join(tmp.dir, 'station.yaml');
    writeFileSync(file, stringify(raw));
    const m = AlarmsModule.open({ config: new ConfigStore(loadStationConfig(file), { source: file }), dataDir: tmp.dir, logger: silentLogger(), clock, tickMs: 3_600_000, valuePeriodMs: 3_600_000 });
    m.start();
    cleanups.push(() => m.stop());
    return m;
  };
  return { open, advance: (ms: number) => (t += ms) };
}

const NOTICE = 'server/sim/#ConditionRefresh';
const HIGH = 'server/sim/ns=1;s=Tank.HighAlarm';
const notice = { key: 'alarms.server.notRefreshed', params: { server: 'sim', status: 'BadNotSupported' } };

/** Every kind of row the station words itself, raised (the server 'sim' lost: nothing reports its rows again). */
function raiseAll(s: ReturnType<typeof station>, m: AlarmsModule): void {
  m.write([{ tag: 'XI-3', t: T0, value: 10, status: 0 }, { tag: 'XI-4', t: T0, value: 10, status: Bad }]);
  m.flush();
  s.advance(3000);
  m.engine.tick();
  m.engine.serverCondition({
    id: NOTICE, server: 'sim', source: null, area: null, message: 'Server sim did not send its alarms in effect (BadNotSupported): alarms already active when the station connected may be missing from the list',
    text: notice, priority: 2, active: true, acked: false, confirmed: null, suppressed: false, retain: true, value: null, time: T0, user: null, comment: null,
  });
  // A server's condition returned unacknowledged, then left out of its refresh: the station marks it (alarms.server.gone).
  const high = { id: HIGH, server: 'sim', source: 'Tank', area: null, message: 'Tank high', priority: 3, active: true, acked: false, confirmed: null, suppressed: false, retain: true, value: null, time: T0, user: null, comment: null };
  m.engine.serverCondition(high);
  m.engine.serverCondition({ ...high, active: false, retain: false });
  m.engine.serverState('sim', false);
  m.syncAlarm('region', { kind: 'paused', message: 'authorization failed (401)' });
  m.flush();
}

/** What each row says in Russian, from the catalog. */
const RU: Record<string, string> = {
  'comm/sim': 'Потеря связи с сервером sim',
  'XI-4/quality': 'XI-4: недостоверное значение',
  'XI-3/frozen': 'XI-3: значение зависло (не меняется)',
  'sync/region': 'Отправка на сервер region приостановлена: authorization failed (401)',
  [HIGH]: 'Tank high (сервер sim больше не сообщает о ней)',
  [NOTICE]: 'Сервер sim не передал действующие сигнализации (BadNotSupported): сигнализации, активные до подключения станции, могут отсутствовать в списке',
};

describe('rows in the station\'s own words, across a restart', () => {
  it('each says its words in Russian at once after the restart', () => {
    const s = station();
    const first = s.open(fullRaw());
    raiseAll(s, first);
    const said = (m: AlarmsModule) => Object.fromEntries(m.snapshot().rows.map((r) => [r.id, alarmText(r.text as StationText | null, r.message, ru)]));
    expect(said(first)).toEqual(RU);
    first.stop();

    const second = s.open(fullRaw());
    expect(second.snapshot().rows.every((r) => r.suspect)).toBe(true);
    expect(said(second)).toEqual(RU);
  });

  it('each whose definition went while the station was down is ended in the journal in its words', () => {
    const s = station();
    const first = s.open(fullRaw());
    raiseAll(s, first);
    first.stop();

    // Server 'sim' replaced by 'plant' (its tags moved), XI-3's and XI-4's alarms and the upstream removed.
    const raw = fixtureRaw();
    const second = s.open({ ...raw, servers: [{ id: 'plant', endpoint: 'opc.tcp://127.0.0.1:4841/plant' }], tags: raw.tags.map((t) => ({ ...t, server: 'plant' })) });
    second.flush();
    const ended = second.journal.read(0, 1000).filter((j) => j.event === 'cleared');
    // The dropped server condition had returned: its activation was already ended, nothing more is journaled.
    const { [HIGH]: _returned, ...stillOpen } = RU;
    expect(Object.fromEntries(ended.map((j) => [j.alarmId, alarmText(j.text, j.message, ru)]))).toEqual(stillOpen);
    expect(second.snapshot().rows).toEqual([]);
  });
});
