/**
 * A shelve ends on a condition whose acknowledgement is its server's. The station re-annunciated it
 * as one of its own alarms (spec case 14): the ack cleared, B, the horn, although the server still
 * said acknowledged; the server's next event then journaled an "acknowledged" by "server" nobody
 * made. ISA-18.2: unshelving does not change the ack state, and a server condition's AckedState is
 * the server's: one acknowledged there comes back acknowledged (C, no horn), one still to be
 * acknowledged comes back so (B, annunciated; a return D stays listed, not dropped and "returned"
 * again at the next event). Whoever ends the shelve: the server, an operator here, the time.
 * Also a one-shot shelve at the server (OneShotShelve: node-opcua takes it only with a
 * MaxTimeShelved, set here), and the server's shelve and unshelve in the audit trail as the server's.
 * A real node-opcua server (A&C service, ShelvingState called over OPC UA); the real client, engine,
 * alarms module and audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DataType, StatusCodes, Variant, makeBrowsePath, type VariantOptions } from 'node-opcua';
import { silentLogger } from '../../log.js';
import { loadStationConfig } from '../../station/config-file.js';
import { ConfigStore } from '../../station/config-store.js';
import { defaultConfigFile } from '../../args.js';
import { AuditTrail } from '../../accounts/audit/trail.js';
import { AlarmsModule } from '../module.js';
import { AlarmEngine } from '../engine/engine.js';
import { ConditionClient } from './client.js';
import { startTankConditionServer, type TankConditionServer } from './testing.js';
import { until as untilWithin } from '../../acquisition/testing/harness.js';

const until = <T>(what: string, probe: () => T | undefined | false | null) => untilWithin(what, probe, 10_000);
const MAX_SHELVED_MS = 600_000;

let t: TankConditionServer;
beforeAll(async () => {
  t = await startTankConditionServer('shelve-end-acked', { optionals: ['ShelvingState', 'MaxTimeShelved'], maxTimeShelvedMs: MAX_SHELVED_MS });
});
afterAll(() => t?.stop());

/** Calls a method of the condition's ShelvingState over OPC UA, as another client of the server would. */
async function callShelving(method: 'TimedShelve' | 'OneShotShelve' | 'Unshelve', args: VariantOptions[] = []): Promise<string> {
  const [object, m] = await t.session.translateBrowsePath([
    makeBrowsePath('ns=1;s=Tank.HighAlarm', '/ShelvingState'), makeBrowsePath('ns=1;s=Tank.HighAlarm', `/ShelvingState/${method}`),
  ]);
  const result = await t.session.call({ objectId: object!.targets![0]!.targetId, methodId: m!.targets![0]!.targetId, inputArguments: args.map((a) => new Variant(a)) });
  return result.statusCode.name;
}

const tenMinutes: VariantOptions = { dataType: DataType.Double, value: 600_000 };

async function attached() {
  const engine = new AlarmEngine({ now: () => Date.now(), monotonic: () => performance.now() }, []);
  const cc = await ConditionClient.attach(t.session, { server: 'srv', tags: [], logger: silentLogger(), onCondition: (c) => engine.serverCondition(c) });
  const row = () => engine.rows().find((r) => r.id === t.conditionId);
  let n = 0;
  // Each event with a message of its own, so the test knows when the station has it.
  const raise = async (message: string) => {
    const said = `${message} #${++n}`;
    t.alarm.raiseNewCondition({ message: said, severity: 700, quality: StatusCodes.Good, retain: true });
    await until(`the event "${said}"`, () => row()?.message === said);
  };
  const journal = () => engine.takeJournal().map((j) => [j.event, j.state, j.user]);
  return { engine, cc, row, raise, journal };
}

/** Active and acknowledged at the server (C), as the station has it. */
async function ackedAtServer(s: Awaited<ReturnType<typeof attached>>): Promise<void> {
  t.alarm.activateAlarm();
  await s.raise('tank high');
  t.alarm.currentBranch().setAckedState(true);
  await s.raise('tank high (acknowledged there)');
  expect(s.row()).toMatchObject({ state: 'C', flags: { active: true, acked: true } });
  s.journal();
}

describe('a shelve ends on a server condition', () => {
  it('acknowledged at its server and unshelved there: acknowledged here too (C, no horn), and no ack by "server" follows', async () => {
    const s = await attached();
    await ackedAtServer(s);

    expect(await callShelving('TimedShelve', [tenMinutes])).toBe('Good');
    await s.raise('tank high (shelved there)');
    expect(s.row()).toMatchObject({ state: 'F', flags: { acked: true } });
    expect(await callShelving('Unshelve')).toBe('Good');
    await s.raise('tank high (unshelved there)');
    expect(s.row()).toMatchObject({ state: 'C', audible: false, shelve: null, flags: { active: true, acked: true } });
    expect(s.engine.summary()).toMatchObject({ unacked: [0, 0, 0, 0], horn: { tone: null } });
    await s.raise('tank high (next)');
    // The unshelve is the server's: journaled by it (no user read as the station's doing).
    expect(s.journal()).toEqual([['shelved', 'F', 'srv (OPC UA)'], ['unshelved', 'C', 'srv (OPC UA)']]);
    await s.cc.close();
  });

  it('acknowledged at its server and shelved here: unshelved by the operator, or at the end of its time, it stays acknowledged', async () => {
    const s = await attached();
    await ackedAtServer(s);

    s.engine.shelve(t.conditionId, { minutes: 30, maxMinutes: 480, reason: 'sensor check', by: 'op1' });
    s.engine.unshelve(t.conditionId, 'op1', 'done');
    expect(s.row()).toMatchObject({ state: 'C', audible: false, flags: { acked: true } });

    // A timed shelve of 60 ms, run out on the engine's timer.
    s.engine.shelve(t.conditionId, { minutes: 0.001, maxMinutes: 480, reason: 'sensor check', by: 'op1' });
    await until('the shelve expired', () => {
      s.engine.tick();
      return s.row()?.shelve === null;
    });
    expect(s.row()).toMatchObject({ state: 'C', audible: false, flags: { acked: true } });
    await s.raise('tank high (next)');
    expect(s.journal()).toEqual([['shelved', 'F', 'op1'], ['unshelved', 'C', 'op1'], ['shelved', 'F', 'op1'], ['shelveExpired', 'C', null]]);
    await s.cc.close();
  });

  it('still unacknowledged at its server: active, annunciated again (B); returned (D), it stays listed to be acknowledged', async () => {
    const s = await attached();
    t.alarm.activateAlarm();
    await s.raise('tank high');
    expect(await callShelving('TimedShelve', [tenMinutes])).toBe('Good');
    await s.raise('tank high (shelved there)');
    expect(await callShelving('Unshelve')).toBe('Good');
    await s.raise('tank high (unshelved there)');
    expect(s.row()).toMatchObject({ state: 'B', audible: true, flags: { acked: false } });
    s.journal();

    // Back to normal at the server, not acknowledged there: RTN-Unack (D).
    t.alarm.deactivateAlarm(true);
    await s.raise('tank normal');
    expect(s.row()).toMatchObject({ state: 'D', flags: { active: false, acked: false } });
    s.engine.shelve(t.conditionId, { minutes: 30, maxMinutes: 480, reason: 'sensor check', by: 'op1' });
    s.engine.unshelve(t.conditionId, 'op1', null);
    expect(s.row()).toMatchObject({ state: 'D', flags: { acked: false } });
    await s.raise('tank normal (next)');
    // Not taken off the list and then "returned" a second time by the server's next event.
    expect(s.journal()).toEqual([['returned', 'D', null], ['shelved', 'F', 'op1'], ['unshelved', 'D', 'op1']]);
    t.alarm.currentBranch().setAckedState(true);
    t.alarm.raiseNewCondition({ message: 'tank normal (acknowledged there)', severity: 700, quality: StatusCodes.Good, retain: false });
    await until('off the list', () => !s.row());
    await s.cc.close();
  });

  it('one-shot shelved at its server (with a MaxTimeShelved): shelved here until normal, at most that long', async () => {
    const s = await attached();
    t.alarm.activateAlarm();
    await s.raise('tank high');
    s.journal();
    const before = Date.now();
    expect(await callShelving('OneShotShelve')).toBe('Good');
    await s.raise('tank high (one-shot there)');
    const shelved = s.row()!;
    expect(shelved).toMatchObject({ state: 'F', audible: false, flags: { shelving: 'OneShotShelved' }, shelve: { oneShot: true, by: 'srv (OPC UA)', reason: 'OneShotShelved' } });
    // UnshelveTime: what is left of MaxTimeShelved.
    expect(shelved.shelve!.until).toBeGreaterThan(before + MAX_SHELVED_MS - 10_000);
    expect(shelved.shelve!.until).toBeLessThanOrEqual(Date.now() + MAX_SHELVED_MS);
    expect(await callShelving('Unshelve')).toBe('Good');
    await s.raise('tank high (unshelved there)');
    expect(s.row()).toMatchObject({ state: 'B', shelve: null });
    expect(s.journal()).toEqual([['shelved', 'F', 'srv (OPC UA)'], ['unshelved', 'B', 'srv (OPC UA)'], ['reannunciated', 'B', null]]);
    await s.cc.close();
  });

  it('shelved and unshelved at its server: the audit trail says the server did it, not the station', async () => {
    const dir = join(t.dir, 'audited');
    const audit = AuditTrail.open(t.dir);
    const alarms = AlarmsModule.open({
      config: new ConfigStore(loadStationConfig(defaultConfigFile), { source: '(test)', writeTo: join(dir, 'station.yaml') }), dataDir: join(dir, 'module'), logger: silentLogger(), audit,
    });
    const srvSession = await t.client.createSession();
    try {
      alarms.onSession('srv', srvSession);
      await until('A&C subscribed', () => alarms.conditionLinks.get('srv'));
      const row = () => alarms.engine.rows().find((r) => r.id === t.conditionId);
      t.alarm.activateAlarm();
      t.alarm.raiseNewCondition({ message: 'tank high (audit)', severity: 700, quality: StatusCodes.Good, retain: true });
      await until('active', () => row()?.message === 'tank high (audit)');
      expect(await callShelving('TimedShelve', [tenMinutes])).toBe('Good');
      t.alarm.raiseNewCondition({ message: 'tank high (audit, shelved)', severity: 700, quality: StatusCodes.Good, retain: true });
      await until('shelved', () => row()?.state === 'F');
      expect(await callShelving('Unshelve')).toBe('Good');
      t.alarm.raiseNewCondition({ message: 'tank high (audit, unshelved)', severity: 700, quality: StatusCodes.Good, retain: true });
      const shelving = () => audit.read(0, 100).filter((e) => /shelve/.test(e.action));
      await until('the unshelve audited', () => shelving().some((e) => e.action === 'alarms.unshelved'));
      expect(shelving().map((e) => ({ action: e.action, user: e.user, target: e.target, source: e.source, result: e.result }))).toEqual([
        { action: 'alarms.shelved', user: 'srv (OPC UA)', target: t.conditionId, source: 'opcua:srv', result: 'ok' },
        { action: 'alarms.unshelved', user: 'srv (OPC UA)', target: t.conditionId, source: 'opcua:srv', result: 'ok' },
      ]);
    } finally {
      alarms.onSession('srv', null);
      alarms.stop();
      audit.close();
      await srvSession.close();
    }
  });
});
