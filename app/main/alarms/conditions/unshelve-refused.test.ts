/**
 * A shelve an operator made at a condition's server that the station then ends (priority 1, its time
 * ran out) while the server refuses the Unshelve: the station showed the alarm, the server (and the
 * DCS display) kept it hidden, and nothing but one log line said so. Now the row the consoles get says
 * the server still has it shelved and why, the journal says it once (not at every try) and then when
 * the server unshelves it, the log does not repeat it at every try; the debt survives a restart (it
 * was lost, and the server's shelve it kept was then followed as the server's own: hidden again).
 * A real node-opcua server whose Unshelve refuses; the station's alarms module behind the dispatcher.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { StatusCodes, type ClientSession, type StatusCode, type UAMethod } from 'node-opcua';
import { createLogger, silentLogger } from '../../log.js';
import { loadStationConfig } from '../../station/config-file.js';
import { ConfigStore } from '../../station/config-store.js';
import { defaultConfigFile } from '../../args.js';
import { Dispatcher } from '../../api/dispatcher.js';
import { internalConnection, type Session } from '../../api/connection.js';
import { alarmList, type AlarmRow } from '../../../shared/api/alarms.js';
import { Translator } from '../../../shared/i18n/index.js';
import type { Clock } from '../engine/types.js';
import { AlarmsModule } from '../module.js';
import { startTankConditionServer, type TankConditionServer } from './testing.js';
import { until, untilAsync } from '../../acquisition/testing/harness.js';

const op: Session = { id: '1', user: 'op1', displayName: 'Operator One', roles: ['operator'], since: 0 };
/** The bundled config's server (its COMM alarm keeps a server's rows across a restart): the test server stands for it. */
const SERVER = 'sim';
const idOf = (t: TankConditionServer) => t.conditionId.replace('server/srv/', `server/${SERVER}/`);
const RETRY_MS = 300;

/** The server's Unshelve answering `status` (counted), until `restore`. */
function refuseUnshelve(t: TankConditionServer, status: StatusCode): { calls: () => number; restore(): void } {
  const method = t.alarm.shelvingState!.unshelve as unknown as UAMethod & { _asyncExecutionFunction: unknown };
  const bound = method._asyncExecutionFunction;
  let calls = 0;
  method.bindMethod(async (_args: unknown, _context: unknown) => (++calls, { statusCode: status }));
  return { calls: () => calls, restore: () => void (method._asyncExecutionFunction = bound) };
}

interface Station {
  alarms: AlarmsModule;
  session: ClientSession;
  logs: Record<string, unknown>[];
  call(method: string, params: unknown): Promise<unknown>;
  /** The row as the console API sends it (alarms.snapshot, checked against the API schema). */
  row(): Promise<AlarmRow | undefined>;
  stop(): Promise<void>;
}

/** The station's alarms module on `dir`, its A&C client on a new session to the server. */
async function station(t: TankConditionServer, dir: string, clock: Clock): Promise<Station> {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) } });
  const alarms = AlarmsModule.open({
    config: new ConfigStore(loadStationConfig(defaultConfigFile), { source: '(test)', writeTo: join(dir, 'station.yaml') }), dataDir: join(dir, 'module'),
    logger, clock, unshelveRetryMs: RETRY_MS,
  });
  const d = new Dispatcher(silentLogger());
  alarms.register(d);
  d.useSessions({ sessionOf: () => op });
  d.useAudit({ record: () => undefined });
  const conn = internalConnection('test');
  const session = await t.client.createSession();
  alarms.onSession(SERVER, session);
  await until('A&C subscribed', () => alarms.conditionLinks.get(SERVER), 15_000);
  const call = async (method: string, params: unknown) => {
    const r = await d.dispatch(method, params, conn);
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r)}`);
    return r.result;
  };
  return {
    alarms, session, logs, call,
    row: async () => alarmList.parse(await call('alarms.snapshot', {})).rows.find((r) => r.id === idOf(t)),
    async stop() {
      alarms.onSession(SERVER, null);
      alarms.stop();
      await session.close();
    },
  };
}

const serverState = (t: TankConditionServer) => (t.alarm.shelvingState as unknown as { getCurrentState(): string | null }).getCurrentState();
const journal = (s: Station, id: string) =>
  s.alarms.journal.read(0, 1000).filter((e) => e.alarmId === id && /shelve/i.test(e.event)).map((e) => [e.event, e.user, e.comment]);
const refusalLogs = (s: Station) => s.logs.filter((l) => l.level === 40 && /did not unshelve it/.test(String(l.msg)));

describe('a shelve the station ends whose Unshelve the server keeps refusing (access denied)', () => {
  let t: TankConditionServer;
  let s: Station;
  beforeAll(async () => {
    t = await startTankConditionServer('unshelve-refused', { optionals: ['ShelvingState', 'MaxTimeShelved'], maxTimeShelvedMs: 3_600_000 });
    s = await station(t, join(t.dir, 'station'), { now: () => Date.now(), monotonic: () => performance.now() });
    t.alarm.activateAlarm();
    t.alarm.raiseNewCondition({ message: 'tank high', severity: 700, quality: StatusCodes.Good, retain: true });
    await until('the alarm at the station', () => s.alarms.engine.get(idOf(t))?.state === 'B', 15_000);
  });
  afterAll(async () => {
    await s?.stop();
    await t?.stop();
  });

  it('shows the server still holding it shelved and why, journals it once, logs it once; then the server\'s unshelve', async () => {
    await s.call('alarms.shelve', { id: idOf(t), minutes: 30, reason: 'sensor check' });
    expect(serverState(t)).toBe('TimedShelved');
    const refusing = refuseUnshelve(t, StatusCodes.BadUserAccessDenied);
    try {
      // The trip: priority 1 may not stay shelved, here or at the server.
      t.alarm.raiseNewCondition({ message: 'tank trip', severity: 900, quality: StatusCodes.Good, retain: true });
      // Past the log's first gap (README: logged at failed tries 1, 13, 26, …), short of its second.
      await until('the station\'s Unshelve refused 14 times', () => refusing.calls() >= 14, 30_000);
      const row = await s.row();
      expect(row).toMatchObject({ state: 'B', priority: 1, shelve: null, serverShelved: { server: 'sim', reason: 'accessDenied', status: 'BadUserAccessDenied' } });
      expect(row!.serverShelved!.since).toBeLessThanOrEqual(Date.now());
      expect(serverState(t)).toBe('TimedShelved');
      expect(journal(s, idOf(t))).toEqual([
        ['shelved', 'op1', 'at server sim: sensor check'],
        ['unshelved', null, null],
        ['unshelveRefused', 'sim (OPC UA)', 'BadUserAccessDenied'],
      ]);
      expect(refusalLogs(s).map((l) => l.failedTries)).toEqual([1, 13]);
      expect(refusalLogs(s)[0]).toMatchObject({ server: 'sim', alarm: idOf(t), reason: 'accessDenied', status: 'BadUserAccessDenied' });
    } finally {
      refusing.restore();
    }
    await until('unshelved at the server', () => serverState(t) === 'Unshelved', 15_000);
    await untilAsync('the row no longer says it', async () => (await s.row())?.serverShelved === null, 15_000);
    expect(journal(s, idOf(t))).toEqual([
      ['shelved', 'op1', 'at server sim: sensor check'],
      ['unshelved', null, null],
      ['unshelveRefused', 'sim (OPC UA)', 'BadUserAccessDenied'],
      ['unshelvedAtServer', 'sim (OPC UA)', null],
    ]);
  });

  it('says the reason in the console\'s words, in English, Russian and Chinese', () => {
    const params = { reason: 'accessDenied', server: 'srv', status: 'BadUserAccessDenied' };
    expect(new Translator('en').t('alarmsUi.serverShelved.reason', params))
      .toBe('Server srv does not let the station\'s OPC UA user unshelve it (BadUserAccessDenied): it still hides this alarm.');
    expect(new Translator('ru').t('alarmsUi.serverShelved.reason', params))
      .toBe('Сервер srv не разрешает OPC UA-пользователю станции снять откладывание (BadUserAccessDenied): он по-прежнему скрывает эту сигнализацию.');
    expect(new Translator('zh').t('alarmsUi.serverShelved.reason', params))
      .toBe('服务器 srv 不允许本站的 OPC UA 用户取消搁置（BadUserAccessDenied）：它仍隐藏此报警。');
    expect(new Translator('en').t('alarmsUi.event.unshelveRefused')).toBe('Unshelve refused by the server');
  });
});

describe('a server that answers "not shelved" to the Unshelve while its ShelvingState says shelved', () => {
  let t: TankConditionServer;
  let s: Station;
  beforeAll(async () => {
    t = await startTankConditionServer('unshelve-says-not-shelved', { optionals: ['ShelvingState', 'MaxTimeShelved'], maxTimeShelvedMs: 3_600_000 });
    s = await station(t, join(t.dir, 'station'), { now: () => Date.now(), monotonic: () => performance.now() });
    t.alarm.activateAlarm();
    t.alarm.raiseNewCondition({ message: 'tank high', severity: 700, quality: StatusCodes.Good, retain: true });
    await until('the alarm at the station', () => s.alarms.engine.get(idOf(t))?.state === 'B', 15_000);
  });
  afterAll(async () => {
    await s?.stop();
    await t?.stop();
  });

  it('is not taken at its word: the row says the server still hides it', async () => {
    await s.call('alarms.shelve', { id: idOf(t), minutes: 30, reason: 'sensor check' });
    const refusing = refuseUnshelve(t, StatusCodes.BadConditionNotShelved);
    try {
      t.alarm.raiseNewCondition({ message: 'tank trip', severity: 900, quality: StatusCodes.Good, retain: true });
      await untilAsync('the row says the server still has it shelved', async () => (await s.row())?.serverShelved?.reason === 'saysNotShelved', 15_000);
      await until('asked again', () => refusing.calls() >= 3, 15_000);
      expect(serverState(t)).toBe('TimedShelved');
      expect(journal(s, idOf(t)).filter(([e]) => e === 'unshelveRefused')).toEqual([['unshelveRefused', 'sim (OPC UA)', 'BadConditionNotShelved']]);
    } finally {
      refusing.restore();
    }
    await until('unshelved at the server', () => serverState(t) === 'Unshelved', 15_000);
    await untilAsync('the row no longer says it', async () => (await s.row())?.serverShelved === null, 15_000);
  });
});

describe('a station restart while the server still refuses the Unshelve it owes', () => {
  let t: TankConditionServer;
  let s: Station | null = null;
  /** The station's clock, moved on by hand: its shelve runs out while the server's (longer) does not. */
  let offset = 0;
  const clock: Clock = { now: () => Date.now() + offset, monotonic: () => performance.now() + offset };
  beforeAll(async () => {
    t = await startTankConditionServer('unshelve-owed-restart', { optionals: ['ShelvingState', 'MaxTimeShelved'], maxTimeShelvedMs: 3_600_000 });
  });
  afterAll(async () => {
    await s?.stop();
    await t?.stop();
  });

  it('still owes it after the restart: the alarm is not hidden again as the server\'s shelve, and the server unshelves it', async () => {
    const dir = join(t.dir, 'station');
    s = await station(t, dir, clock);
    t.alarm.activateAlarm();
    t.alarm.raiseNewCondition({ message: 'tank high', severity: 700, quality: StatusCodes.Good, retain: true });
    await until('the alarm at the station', () => s!.alarms.engine.get(idOf(t))?.state === 'B', 15_000);
    await s.call('alarms.shelve', { id: idOf(t), minutes: 30, reason: 'sensor check' });
    const refusing = refuseUnshelve(t, StatusCodes.BadInternalError);
    try {
      // The station's 30 min run out; the server's shelve (30 min on its own clock) goes on.
      offset = 31 * 60_000;
      s.alarms.engine.tick();
      s.alarms.flush();
      await untilAsync('the row says the server still has it shelved', async () => (await s!.row())?.serverShelved?.reason === 'refused', 15_000);
      expect(await s.row()).toMatchObject({ state: 'B', shelve: null, serverShelved: { status: 'BadInternalError' } });
      await s.stop();
      s = null;
      const before = refusing.calls();
      s = await station(t, dir, clock);
      await until('asked again after the restart', () => refusing.calls() > before, 15_000);
      await until('the server\'s report of its shelve taken', () => s!.alarms.engine.get(idOf(t))?.serverSaysShelved === true, 15_000);
      expect(await s.row()).toMatchObject({ state: 'B', shelve: null, serverShelved: { server: 'sim', reason: 'refused', status: 'BadInternalError' } });
      expect(serverState(t)).toBe('TimedShelved');
    } finally {
      refusing.restore();
    }
    await until('unshelved at the server', () => serverState(t) === 'Unshelved', 15_000);
    await untilAsync('the row no longer says it', async () => (await s!.row())?.serverShelved === null, 15_000);
    expect(journal(s, idOf(t))).toEqual([
      ['shelved', 'op1', 'at server sim: sensor check'],
      ['shelveExpired', null, null],
      ['unshelveRefused', 'sim (OPC UA)', 'BadInternalError'],
      ['unshelvedAtServer', 'sim (OPC UA)', null],
    ]);
    expect(await s.row()).toMatchObject({ state: 'B', shelve: null });
  });
});
