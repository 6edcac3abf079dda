/**
 * A shelve an operator made at a condition's server (its ShelvingState) that the server then ends
 * without raising an event: node-opcua raises none when its timer ends a shelve, nor when another
 * client (the DCS's own display) calls Unshelve. The alarm stayed shelved here, hidden from the
 * operator while the server showed it, until the station's own end (up to the role's 480 min). Now
 * the station reads the condition's ShelvingState back while it is shelved there (periodically, and
 * just after the UnshelveTime the server gave) and follows it: shown again, journaled as the server's.
 * A real node-opcua server; the station's alarms module behind the dispatcher, as the console calls it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DataValue, StatusCodes, Variant, makeBrowsePath, type ClientSession, type UAMethod, type UAVariable } from 'node-opcua';
import { silentLogger } from '../../log.js';
import { loadStationConfig } from '../../station/config-file.js';
import { ConfigStore } from '../../station/config-store.js';
import { defaultConfigFile } from '../../args.js';
import { Dispatcher } from '../../api/dispatcher.js';
import { internalConnection, type Session } from '../../api/connection.js';
import type { ApiResponse } from '../../../shared/api.js';
import { AlarmsModule } from '../module.js';
import { startTankConditionServer, type TankConditionServer } from './testing.js';
import { until as untilWithin } from '../../acquisition/testing/harness.js';
import { SHELVING_READ_MS } from './client.js';

/** Within two reads of the shelving and the event round trip. */
const until = <T>(what: string, probe: () => T | undefined | false | null) => untilWithin(what, probe, 2 * SHELVING_READ_MS + 5_000);
const op: Session = { id: '1', user: 'op1', displayName: 'Operator One', roles: ['operator'], since: 0 };

interface Rig {
  t: TankConditionServer;
  alarms: AlarmsModule;
  session: ClientSession;
  call(method: string, params: unknown): Promise<ApiResponse<unknown>>;
  row(): ReturnType<AlarmsModule['engine']['rows']>[number] | undefined;
  serverState(): string | null;
  stop(): Promise<void>;
}

async function rig(name: string, maxTimeShelvedMs: number): Promise<Rig> {
  const t = await startTankConditionServer(name, { optionals: ['ShelvingState', 'MaxTimeShelved'], maxTimeShelvedMs });
  const dir = join(t.dir, 'station');
  const alarms = AlarmsModule.open({
    config: new ConfigStore(loadStationConfig(defaultConfigFile), { source: '(test)', writeTo: join(dir, 'station.yaml') }), dataDir: join(dir, 'module'), logger: silentLogger(),
  });
  const d = new Dispatcher(silentLogger());
  alarms.register(d);
  d.useSessions({ sessionOf: () => op });
  d.useAudit({ record: () => undefined });
  const conn = internalConnection('test');
  const session = await t.client.createSession();
  alarms.onSession('srv', session);
  await untilWithin('A&C subscribed', () => alarms.conditionLinks.get('srv'), 15_000);
  const row = () => alarms.engine.rows().find((r) => r.id === t.conditionId);
  t.alarm.activateAlarm();
  t.alarm.raiseNewCondition({ message: 'tank high', severity: 700, quality: StatusCodes.Good, retain: true });
  await untilWithin('the alarm at the station', () => row()?.state === 'B', 15_000);
  return {
    t, alarms, session, row,
    call: (method, params) => d.dispatch(method, params, conn),
    serverState: () => (t.alarm.shelvingState as unknown as { getCurrentState(): string | null } | undefined)?.getCurrentState() ?? null,
    async stop() {
      alarms.onSession('srv', null);
      alarms.stop();
      await session.close();
      await t.stop();
    },
  };
}

const journal = (s: Rig) => s.alarms.journal.read(0, 1000).filter((e) => e.alarmId === s.t.conditionId && /shelve/i.test(e.event)).map((e) => [e.event, e.state, e.user, e.comment]);

describe('a shelve made at the server, ended there without an event', () => {
  let s: Rig;
  beforeAll(async () => {
    s = await rig('shelve-ended-silently', 3_600_000);
  });
  afterAll(() => s?.stop());

  it('unshelved by another client of the server (the DCS display): shown here again, journaled as the server\'s', async () => {
    expect(await s.call('alarms.shelve', { id: s.t.conditionId, minutes: 30, reason: 'sensor check' })).toMatchObject({ ok: true });
    expect(s.serverState()).toBe('TimedShelved');
    expect(s.row()).toMatchObject({ state: 'F' });
    // The DCS's own Unshelve: node-opcua changes the state and raises no event.
    const [object, method] = await s.t.session.translateBrowsePath([
      makeBrowsePath('ns=1;s=Tank.HighAlarm', '/ShelvingState'), makeBrowsePath('ns=1;s=Tank.HighAlarm', '/ShelvingState/Unshelve'),
    ]);
    const result = await s.t.session.call({ objectId: object!.targets![0]!.targetId, methodId: method!.targets![0]!.targetId, inputArguments: [] });
    expect(result.statusCode.name).toBe('Good');
    expect(s.serverState()).toBe('Unshelved');
    await until('shown again at the station', () => s.row()?.state === 'B');
    expect(s.row()).toMatchObject({ state: 'B', audible: true, shelve: null });
    expect(journal(s)).toEqual([
      ['shelved', 'F', 'op1', 'at server srv: sensor check'],
      ['unshelved', 'B', 'srv (OPC UA)', null],
    ]);
  });
});

describe('a one-shot shelve the server\'s timer ends (its MaxTimeShelved), its UnshelveTime not readable', () => {
  let s: Rig;
  beforeAll(async () => {
    // The server ends a one-shot shelve after 3 s; the station's operator may shelve one-shot for 480 min.
    s = await rig('shelve-timer-silent', 3_000);
    // A server that does not give its UnshelveTime: the station cannot know the server's end beforehand.
    (s.t.alarm.shelvingState!.unshelveTime as UAVariable).bindVariable({
      timestamped_get: () => new DataValue({ statusCode: StatusCodes.BadNotReadable, value: new Variant() }),
    }, true);
  });
  afterAll(() => s?.stop());

  it('shelved here until the server\'s end, then shown again', async () => {
    expect(await s.call('alarms.shelve', { id: s.t.conditionId, oneShot: true, reason: 'valve stroke test' })).toMatchObject({ ok: true });
    expect(s.serverState()).toBe('OneShotShelved');
    // The station's own end is the operator's maximum (480 min), far beyond the server's 3 s.
    expect(s.row()).toMatchObject({ state: 'F', shelve: { by: 'op1', oneShot: true } });
    expect(s.row()!.shelve!.until).toBeGreaterThan(Date.now() + 60 * 60_000);
    await untilWithin('the server\'s timer ends its shelve', () => s.serverState() === 'Unshelved', 15_000);
    await until('shown again at the station', () => s.row()?.state === 'B');
    expect(s.row()).toMatchObject({ state: 'B', audible: true, shelve: null });
    expect(journal(s)).toEqual([
      ['shelved', 'F', 'op1', 'at server srv: valve stroke test'],
      ['unshelved', 'B', 'srv (OPC UA)', null],
    ]);
  });
});

/**
 * The station ends a shelve it made at the server (here: the severity rises to priority 1) and the
 * server refuses the Unshelve (a moment's fault): it was only logged, and the server, the DCS's own
 * display with it, kept the trip hidden. Now the station tries again while connected until the
 * server has it unshelved.
 */
describe('a shelve the station ends, whose Unshelve the server refuses at first', () => {
  let s: Rig;
  beforeAll(async () => {
    s = await rig('unshelve-retried', 3_600_000);
  });
  afterAll(() => s?.stop());

  it('is unshelved at the server once the server takes the call again', async () => {
    expect(await s.call('alarms.shelve', { id: s.t.conditionId, minutes: 30, reason: 'sensor check' })).toMatchObject({ ok: true });
    expect(s.serverState()).toBe('TimedShelved');
    const method = s.t.alarm.shelvingState!.unshelve as unknown as UAMethod & { _asyncExecutionFunction: unknown };
    const bound = method._asyncExecutionFunction;
    let refused = 0;
    method.bindMethod(async (_args: unknown, _context: unknown) => (++refused, { statusCode: StatusCodes.BadInternalError }));
    try {
      s.t.alarm.raiseNewCondition({ message: 'tank trip', severity: 900, quality: StatusCodes.Good, retain: true });
      await untilWithin('shown here at priority 1', () => s.row()?.priority === 1 && s.row()?.state === 'B', 15_000);
      await untilWithin('the station\'s Unshelve refused by the server', () => refused > 0, 15_000);
      expect(s.serverState()).toBe('TimedShelved');
    } finally {
      method._asyncExecutionFunction = bound;
    }
    await until('unshelved at the server', () => s.serverState() === 'Unshelved');
    expect(s.row()).toMatchObject({ state: 'B', priority: 1, shelve: null });
  });
});

describe('a shelve the station ends while its server is not connected', () => {
  let s: Rig;
  beforeAll(async () => {
    s = await rig('unshelve-at-reconnection', 3_600_000);
  });
  afterAll(() => s?.stop());

  it('is unshelved at the server once the station is connected to it again', async () => {
    expect(await s.call('alarms.shelve', { id: s.t.conditionId, minutes: 30, reason: 'sensor check' })).toMatchObject({ ok: true });
    expect(s.serverState()).toBe('TimedShelved');
    // The link to the server is gone (a network cut); a supervisor takes the alarm out of service.
    s.alarms.onSession('srv', null);
    expect(s.alarms.conditionLinks.get('srv')).toBeUndefined();
    s.alarms.engine.outOfService(s.t.conditionId, 'transmitter replaced', 'sup1');
    s.alarms.flush();
    expect(s.row()).toMatchObject({ shelve: null });
    expect(s.serverState()).toBe('TimedShelved');
    const again = await s.t.client.createSession();
    try {
      s.alarms.onSession('srv', again);
      await until('unshelved at the server', () => s.serverState() === 'Unshelved');
    } finally {
      s.alarms.onSession('srv', null);
      await again.close();
    }
  });
});
