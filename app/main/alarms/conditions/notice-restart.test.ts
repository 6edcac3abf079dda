/**
 * The station's own row about a server that refused ConditionRefresh (server/<server>/#ConditionRefresh),
 * across a restart of the alarms module on the same data dir: it says the catalog's words in the
 * console's language at once, before any session reports it again, and keeps them when the next
 * session's refresh works (the notice returns, still to be acknowledged) and when it is acknowledged.
 * Raised by the real A&C client against a real node-opcua server that refuses the Call service; read
 * back through the real dispatcher. Expectations are the catalog's words, written out by hand.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../api/dispatcher.js';
import { internalConnection } from '../../api/connection.js';
import { silentLogger } from '../../log.js';
import { loadStationConfig } from '../../station/config-file.js';
import { ConfigStore } from '../../station/config-store.js';
import { until as untilWithin, untilAsync } from '../../acquisition/testing/harness.js';
import { Formats, Translator, type Locale } from '../../../shared/i18n/index.js';
import type { AlarmList, AlarmRow, ApiResponse } from '../../../shared/api.js';
import { alarmText } from '../../../renderer/lib/alarms/alarm-text.js';
import type { Lang } from '../../../renderer/lib/value-view.js';
import { fixtureRaw } from '../engine/testing.js';
import { AlarmsModule } from '../module.js';
import { startTankConditionServer, type TankConditionServer } from './testing.js';

const until = <T>(what: string, probe: () => T | undefined | false | null) => untilWithin(what, probe, 15_000);
/** The fixture's server is 'sim'. */
const NOTICE = 'server/sim/#ConditionRefresh';
const SAID = {
  en: 'Server sim did not send its alarms in effect (BadServiceUnsupported): alarms already active when the station connected may be missing from the list',
  ru: 'Сервер sim не передал действующие сигнализации (BadServiceUnsupported): сигнализации, активные до подключения станции, могут отсутствовать в списке',
  zh: '服务器 sim 未发送当前有效的报警（BadServiceUnsupported）：站点连接前已激活的报警可能未显示在列表中',
};

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const op = internalConnection('op1');

/** The alarms module on a data dir, with the console API in front of it. */
function open(dir: string, file: string): { m: AlarmsModule; row: () => Promise<AlarmRow | undefined> } {
  const m = AlarmsModule.open({ config: new ConfigStore(loadStationConfig(file), { source: file }), dataDir: dir, logger: silentLogger() });
  const d = new Dispatcher(silentLogger());
  d.useSessions({ sessionOf: (c) => (c === op ? { id: 'op1', user: 'op1', displayName: 'op1', roles: ['operator'], since: 0 } : null) });
  m.register(d);
  m.start();
  cleanups.push(() => m.stop());
  const row = async () => {
    const r = (await d.dispatch('alarms.snapshot', {}, op)) as ApiResponse<AlarmList>;
    if (!r.ok) throw new Error(`alarms.snapshot: ${r.error.message}`);
    return r.result.rows.find((x) => x.id === NOTICE);
  };
  return { m, row };
}

function station(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-notice-restart-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'station.yaml');
  writeFileSync(file, stringify(fixtureRaw()));
  return { dir, file };
}

async function server(name: string, refuses: boolean): Promise<TankConditionServer> {
  const s = await startTankConditionServer(name, refuses ? { refuseRefresh: 'callServiceUnsupported', hideCondition: true } : {});
  cleanups.push(() => s.stop());
  return s;
}

function lang(locale: Locale): Lang {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale) };
}
const said = (r: AlarmRow, locale: Locale) => alarmText(r.text, r.message, lang(locale));

/** The notice raised by the A&C client of a session to a server that refuses the Call service; the module then stopped. */
async function noticeRaisedThenStopped(s: { dir: string; file: string }): Promise<void> {
  const refusing = await server('notice-refusing', true);
  const first = open(s.dir, s.file);
  first.m.onSession('sim', refusing.session);
  const r = await until('the notice', () => first.m.snapshot().rows.find((x) => x.id === NOTICE));
  expect(said(r, 'ru')).toBe(SAID.ru);
  first.m.stop();
}

describe('the station\'s notice of a server that refused ConditionRefresh, across a restart', () => {
  it('says its words in Russian and Chinese at once, before any session; and still when the next session\'s refresh returns it, and in its ack', async () => {
    const s = station();
    await noticeRaisedThenStopped(s);

    // Restored from what the station kept: no session yet.
    const second = open(s.dir, s.file);
    const kept = (await second.row())!;
    expect([kept.state, kept.suspect, kept.flags.acked]).toEqual(['B', true, false]);
    expect(said(kept, 'ru')).toBe(SAID.ru);
    expect(said(kept, 'zh')).toBe(SAID.zh);
    expect(said(kept, 'en')).toBe(SAID.en);

    // A server that refreshes: the notice returns, still to be acknowledged (D), in the same words.
    const refreshing = await server('notice-refreshing', false);
    second.m.onSession('sim', refreshing.session);
    const r = await untilAsync('the notice returned', async () => {
      const x = await second.row();
      return x?.state === 'D' && !x.suspect ? x : undefined;
    }, 15_000);
    expect(said(r, 'ru')).toBe(SAID.ru);
    await until('the link to the server', () => second.m.conditionLinks.has('sim'));
    await second.m.acknowledge([NOTICE], [r.revision], 'op1', 'seen');
    await until('acknowledged', () => second.m.snapshot().rows.every((x) => x.id !== NOTICE));
    second.m.flush();
    const lines = second.m.journal.read(0, 1000).filter((j) => j.alarmId === NOTICE);
    expect(lines.map((j) => [j.event, j.user])).toEqual([['activated', null], ['returned', null], ['acknowledged', 'op1']]);
    for (const j of lines) expect(alarmText(j.text, j.message, lang('ru'))).toBe(SAID.ru);
  });
});
