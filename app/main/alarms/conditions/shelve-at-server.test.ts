/**
 * An operator's shelve or unshelve, at the station, of a condition its OPC UA server raises is made at
 * that server (Part 9 §5.8.10 ShelvedStateMachine: TimedShelve(ShelvingTime ms), OneShotShelve,
 * Unshelve on the instance's ShelvingState). It stayed local: the server kept it unshelved, the DCS's
 * own display and every other client of the server never saw it shelved, and the server's next event
 * contradicted it. Now the server is asked first and only its Good shelves here (journaled and
 * audited as the operator's, at that server); its refusals (already shelved, a time over its
 * MaxTimeShelved, access denied, no ShelvingState) reach the operator in their words and shelve nothing.
 * An unshelve the server answers "not shelved" shows the alarm here too, as the server does.
 * A real node-opcua server (A&C service, ShelvingState, MaxTimeShelved); the station's alarms module,
 * its console-API handlers through the dispatcher; the server's state read on the server's side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DataType, StatusCodes, Variant, makeBrowsePath, type ClientSession, type UAMethod, type VariantOptions } from 'node-opcua';
import { silentLogger } from '../../log.js';
import { loadStationConfig } from '../../station/config-file.js';
import { ConfigStore } from '../../station/config-store.js';
import { defaultConfigFile } from '../../args.js';
import { Dispatcher } from '../../api/dispatcher.js';
import { internalConnection, type Session } from '../../api/connection.js';
import type { AuditRecord } from '../../api/audit-sink.js';
import type { ApiResponse } from '../../../shared/api.js';
import { Translator } from '../../../shared/i18n/index.js';
import { AlarmsModule } from '../module.js';
import { startTankConditionServer, type TankConditionServer } from './testing.js';
import { until as untilWithin } from '../../acquisition/testing/harness.js';

const until = <T>(what: string, probe: () => T | undefined | false | null) => untilWithin(what, probe, 15_000);
/** The server's MaxTimeShelved: an hour (the operator's own maximum, 480 min, is longer). */
const MAX_SHELVED_MS = 3_600_000;
const op: Session = { id: '1', user: 'op1', displayName: 'Operator One', roles: ['operator'], since: 0 };

/** The server, and a station on it: the alarms module with its handlers behind a dispatcher, as a console calls them. */
interface Rig {
  t: TankConditionServer;
  alarms: AlarmsModule;
  session: ClientSession;
  audit: AuditRecord[];
  call(method: string, params: unknown): Promise<ApiResponse<unknown>>;
  row(): ReturnType<AlarmsModule['engine']['rows']>[number] | undefined;
  /** The condition's next event, waited for at the station. */
  raise(message: string, severity?: number): Promise<void>;
  /** The server's own ShelvingState, read there. */
  serverState(): string | null;
  /** A ShelvingState method called by another client of the server (the DCS's own display). */
  callShelving(method: 'TimedShelve' | 'Unshelve', args?: VariantOptions[]): Promise<string>;
  stop(): Promise<void>;
}

async function rig(name: string, optionals: string[]): Promise<Rig> {
  const t = await startTankConditionServer(name, { optionals, ...(optionals.includes('MaxTimeShelved') && { maxTimeShelvedMs: MAX_SHELVED_MS }) });
  const dir = join(t.dir, 'station');
  const audit: AuditRecord[] = [];
  const alarms = AlarmsModule.open({
    config: new ConfigStore(loadStationConfig(defaultConfigFile), { source: '(test)', writeTo: join(dir, 'station.yaml') }), dataDir: join(dir, 'module'), logger: silentLogger(),
  });
  const d = new Dispatcher(silentLogger());
  alarms.register(d);
  d.useSessions({ sessionOf: () => op });
  d.useAudit({ record: (e) => void audit.push(e) });
  const conn = internalConnection('test');
  const session = await t.client.createSession();
  alarms.onSession('srv', session);
  await until('A&C subscribed', () => alarms.conditionLinks.get('srv'));
  const row = () => alarms.engine.rows().find((r) => r.id === t.conditionId);
  let n = 0;
  return {
    t, alarms, session, audit, row,
    call: (method, params) => d.dispatch(method, params, conn),
    async raise(message, severity = 700) {
      const said = `${message} #${++n}`;
      t.alarm.raiseNewCondition({ message: said, severity, quality: StatusCodes.Good, retain: true });
      await until(`the event "${said}"`, () => row()?.message === said);
    },
    serverState: () => (t.alarm.shelvingState as unknown as { getCurrentState(): string | null } | undefined)?.getCurrentState() ?? null,
    async callShelving(method, args = []) {
      const [object, m] = await t.session.translateBrowsePath([
        makeBrowsePath('ns=1;s=Tank.HighAlarm', '/ShelvingState'), makeBrowsePath('ns=1;s=Tank.HighAlarm', `/ShelvingState/${method}`),
      ]);
      const result = await t.session.call({ objectId: object!.targets![0]!.targetId, methodId: m!.targets![0]!.targetId, inputArguments: args.map((a) => new Variant(a)) });
      return result.statusCode.name;
    },
    async stop() {
      alarms.onSession('srv', null);
      alarms.stop();
      await session.close();
      await t.stop();
    },
  };
}

/** The refusal's catalog key and params, and that each language has words for it (not the key). */
function refusal(r: ApiResponse<unknown>): { code: string; key: string; params: unknown } {
  if (r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r.result)}`);
  const { key, params } = r.error.i18n!;
  for (const lang of ['en', 'ru', 'zh'] as const) expect(new Translator(lang).t(key as never, params as never), lang).not.toContain(key);
  return { code: r.error.code, key, params };
}

const journal = (s: Rig) => s.alarms.journal.read(0, 1000).filter((e) => e.alarmId === s.t.conditionId && /shelve/i.test(e.event)).map((e) => [e.event, e.state, e.user, e.comment]);

describe('an operator shelves a server\'s condition at the station', () => {
  let s: Rig;
  beforeAll(async () => {
    s = await rig('shelve-at-server', ['ShelvingState', 'MaxTimeShelved']);
    s.t.alarm.activateAlarm();
    await s.raise('tank high');
  });
  afterAll(() => s?.stop());

  it('timed: shelved at the server for the time asked, then here (by the operator, at that server); unshelved there too', async () => {
    expect(s.row()).toMatchObject({ state: 'B', audible: true });
    const before = Date.now();
    const r = await s.call('alarms.shelve', { id: s.t.conditionId, minutes: 30, reason: 'sensor check' });
    expect(r).toMatchObject({ ok: true });
    // The server has it shelved, for 30 minutes (its UnshelveTime, read there).
    expect(s.serverState()).toBe('TimedShelved');
    const left = (await s.t.alarm.shelvingState!.unshelveTime.readValueAsync(null)).value.value as number;
    expect(left).toBeGreaterThan(30 * 60_000 - 60_000);
    expect(left).toBeLessThanOrEqual(30 * 60_000);
    expect(s.row()).toMatchObject({ state: 'F', audible: false, shelve: { by: 'op1', reason: 'sensor check', oneShot: false } });
    expect(s.row()!.shelve!.until).toBeGreaterThanOrEqual(before + 30 * 60_000);
    // The server's next event says shelved: the same shelve, still the operator's.
    await s.raise('tank high (shelved)');
    expect(s.row()).toMatchObject({ state: 'F', shelve: { by: 'op1' } });
    expect(s.audit.filter((a) => a.action === 'alarms.shelve')).toMatchObject([{ user: 'op1', target: s.t.conditionId, result: 'ok', comment: 'sensor check', detail: 'at server srv (OPC UA)' }]);

    expect(await s.call('alarms.unshelve', { id: s.t.conditionId, comment: 'checked' })).toMatchObject({ ok: true });
    expect(s.serverState()).toBe('Unshelved');
    expect(s.row()).toMatchObject({ state: 'B', audible: true, shelve: null });
    await s.raise('tank high (unshelved)');
    expect(s.row()).toMatchObject({ state: 'B', shelve: null });
    expect(s.audit.filter((a) => a.action === 'alarms.unshelve')).toMatchObject([{ user: 'op1', result: 'ok', comment: 'checked', detail: 'at server srv (OPC UA)' }]);
    expect(journal(s)).toEqual([
      ['shelved', 'F', 'op1', 'at server srv: sensor check'],
      ['unshelved', 'B', 'op1', 'at server srv: checked'],
    ]);
  });

  it('one-shot: OneShotShelve at the server; the server\'s own unshelve (its operator) ends it here, journaled as the server\'s', async () => {
    const lines = journal(s).length;
    expect(await s.call('alarms.shelve', { id: s.t.conditionId, oneShot: true, reason: 'valve stroke test' })).toMatchObject({ ok: true });
    expect(s.serverState()).toBe('OneShotShelved');
    expect(s.row()).toMatchObject({ state: 'F', shelve: { by: 'op1', oneShot: true } });
    // The server's one-shot shelve lasts at most its MaxTimeShelved (an hour), shorter than the operator's 480 min: so does this one.
    expect(s.row()!.shelve!.until).toBeLessThanOrEqual(Date.now() + MAX_SHELVED_MS);
    expect(s.row()!.shelve!.until).toBeGreaterThan(Date.now() + MAX_SHELVED_MS - 60_000);
    await s.raise('tank high (one-shot there)');
    expect(await s.callShelving('Unshelve')).toBe('Good');
    await s.raise('tank high (unshelved at the DCS)');
    expect(s.row()).toMatchObject({ state: 'B', audible: true, shelve: null });
    expect(journal(s).slice(lines)).toEqual([
      ['shelved', 'F', 'op1', 'at server srv: valve stroke test'],
      ['unshelved', 'B', 'srv (OPC UA)', null],
    ]);
  });

  it('refused by the server: longer than its MaxTimeShelved, already shelved there, access denied: nothing shelved here, the operator told why', async () => {
    const lines = journal(s).length;
    // Two hours: the operator may (480 min), the server may not (MaxTimeShelved an hour).
    expect(refusal(await s.call('alarms.shelve', { id: s.t.conditionId, minutes: 120, reason: 'long job' }))).toEqual({
      code: 'conflict', key: 'alarms.refused.serverShelveTooLong', params: { alarm: s.t.conditionId, server: 'srv', max: 60 },
    });
    expect(s.serverState()).toBe('Unshelved');
    expect(s.row()).toMatchObject({ state: 'B', shelve: null });

    // Shelved at the DCS (no event said so yet): the server answers BadConditionAlreadyShelved.
    expect(await s.callShelving('TimedShelve', [{ dataType: DataType.Double, value: 600_000 }])).toBe('Good');
    expect(refusal(await s.call('alarms.shelve', { id: s.t.conditionId, minutes: 30, reason: 'sensor check' }))).toEqual({
      code: 'conflict', key: 'alarms.refused.serverAlreadyShelved', params: { alarm: s.t.conditionId, server: 'srv' },
    });
    expect(s.row()).toMatchObject({ state: 'B', shelve: null });
    expect(s.serverState()).toBe('TimedShelved');
    expect(await s.callShelving('Unshelve')).toBe('Good');

    // A server that does not let the station's OPC UA user shelve.
    const method = s.t.alarm.shelvingState!.timedShelve as unknown as UAMethod & { _asyncExecutionFunction: unknown };
    const bound = method._asyncExecutionFunction;
    method.bindMethod(async (_args: unknown, _context: unknown) => ({ statusCode: StatusCodes.BadUserAccessDenied }));
    try {
      expect(refusal(await s.call('alarms.shelve', { id: s.t.conditionId, minutes: 30, reason: 'sensor check' }))).toEqual({
        code: 'forbidden', key: 'alarms.refused.serverAccessDenied', params: { alarm: s.t.conditionId, server: 'srv' },
      });
    } finally {
      method._asyncExecutionFunction = bound;
    }
    expect(s.row()).toMatchObject({ state: 'B', shelve: null });
    expect(s.serverState()).toBe('Unshelved');
    expect(journal(s).slice(lines)).toEqual([]);
    expect(s.audit.filter((a) => a.action === 'alarms.shelve').slice(-3).map((a) => a.result)).toEqual(['refused', 'refused', 'refused']);
  });

  it('unshelved here while the server no longer has it shelved (BadConditionNotShelved): shown here, as the server shows it', async () => {
    expect(await s.call('alarms.shelve', { id: s.t.conditionId, minutes: 30, reason: 'sensor check' })).toMatchObject({ ok: true });
    // Unshelved at the DCS; no event has said so.
    expect(await s.callShelving('Unshelve')).toBe('Good');
    expect(s.row()).toMatchObject({ state: 'F' });
    const lines = journal(s).length;
    expect(await s.call('alarms.unshelve', { id: s.t.conditionId, comment: 'back' })).toMatchObject({ ok: true });
    expect(s.row()).toMatchObject({ state: 'B', shelve: null });
    expect(s.serverState()).toBe('Unshelved');
    expect(journal(s).slice(lines)).toEqual([['unshelved', 'B', 'op1', 'at server srv: back']]);
  });
});

describe('a shelve made at the server that the station ends', () => {
  let s: Rig;
  beforeAll(async () => {
    s = await rig('shelve-ended-here', ['ShelvingState', 'MaxTimeShelved']);
    s.t.alarm.activateAlarm();
    await s.raise('tank high');
  });
  afterAll(() => s?.stop());

  it('raised to priority 1 while shelved: shown here, and unshelved at the server too (it hid the trip from the DCS)', async () => {
    expect(await s.call('alarms.shelve', { id: s.t.conditionId, minutes: 30, reason: 'sensor check' })).toMatchObject({ ok: true });
    expect(s.serverState()).toBe('TimedShelved');
    await s.raise('tank trip', 900);
    expect(s.row()).toMatchObject({ state: 'B', priority: 1, audible: true, shelve: null });
    await until('unshelved at the server', () => s.serverState() === 'Unshelved');
    // Lowered again: the server has it unshelved, so it stays shown.
    await s.raise('tank high again', 700);
    expect(s.row()).toMatchObject({ state: 'B', priority: 2, shelve: null });
    expect(journal(s)).toEqual([['shelved', 'F', 'op1', 'at server srv: sensor check'], ['unshelved', 'B', null, null]]);
  });
});

describe('a server\'s condition without a ShelvingState', () => {
  let s: Rig;
  beforeAll(async () => {
    s = await rig('shelve-no-shelving', []);
    s.t.alarm.activateAlarm();
    await s.raise('tank high');
  });
  afterAll(() => s?.stop());

  it('is refused, saying the server offers no shelving for it; nothing is shelved here', async () => {
    expect(refusal(await s.call('alarms.shelve', { id: s.t.conditionId, minutes: 30, reason: 'sensor check' }))).toEqual({
      code: 'bad_request', key: 'alarms.refused.serverNoShelving', params: { alarm: s.t.conditionId, server: 'srv' },
    });
    expect(s.row()).toMatchObject({ state: 'B', shelve: null });
    expect(journal(s)).toEqual([]);
  });
});
