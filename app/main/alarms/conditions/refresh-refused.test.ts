/**
 * Servers that refuse ConditionRefresh (a method status such as BadNotSupported, or no Call service
 * at all), against real node-opcua servers built so: the conditions already active when the station
 * connected are read from the address space instead (and acknowledged at the server as usual); a
 * server that shows none there has the operator told by a row of the station's own. Expectations
 * are the server's own nodes and the catalog's key, not the client's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AttributeIds, DataType, StatusCodes, makeBrowsePath } from 'node-opcua';
import { silentLogger } from '../../log.js';
import { AlarmEngine } from '../engine/engine.js';
import { ConditionClient } from './client.js';
import { startTankConditionServer, type TankConditionServer, type TankServerQuirks } from './testing.js';
import { until as untilWithin } from '../../acquisition/testing/harness.js';

const until = <T>(what: string, probe: () => T | undefined | false | null) => untilWithin(what, probe, 15_000);
const NOTICE = 'server/srv/#ConditionRefresh';

let t: TankConditionServer | null = null;
afterEach(async () => {
  await t?.stop();
  t = null;
});

/** A server with the tank's condition active and unacknowledged before the station connects. */
async function activeBeforeConnect(name: string, quirks: TankServerQuirks): Promise<TankConditionServer> {
  t = await startTankConditionServer(name, quirks);
  t.alarm.activateAlarm();
  t.alarm.raiseNewCondition({ message: 'tank high', severity: 700, quality: StatusCodes.Good, retain: true });
  return t;
}

async function ackedAtServer(s: TankConditionServer): Promise<unknown> {
  const [res] = await s.session.translateBrowsePath([makeBrowsePath('ns=1;s=Tank.HighAlarm', '/AckedState/Id')]);
  return (await s.session.read({ nodeId: res!.targets![0]!.targetId, attributeId: AttributeIds.Value })).value.value;
}

describe('a server that refuses ConditionRefresh', () => {
  it('BadNotSupported: the active condition is read from the address space, listed, and acknowledged at the server', async () => {
    const s = await activeBeforeConnect('refuse-method', { refuseRefresh: StatusCodes.BadNotSupported });
    const engine = new AlarmEngine({ now: () => Date.UTC(2025, 0, 1) }, []);
    // A condition an earlier session listed that the server no longer has: dropped, as a refresh drops it.
    const listed = [{
      id: 'server/srv/ns=1;s=Gone', server: 'srv', source: 'Old', area: null, message: 'old', priority: 3, active: true, acked: true,
      confirmed: null, suppressed: false, retain: true, value: null, time: 0, user: null, comment: null,
    }];
    for (const c of listed) engine.serverCondition(c);
    const cc = await ConditionClient.attach(s.session, { server: 'srv', tags: [], listed, logger: silentLogger(), onCondition: (c) => engine.serverCondition(c) });
    const row = () => engine.rows().find((r) => r.id === s.conditionId);
    await until('the condition read from the address space', () => row());
    expect(row()).toMatchObject({ state: 'B', priority: 2, message: 'tank high', flags: { active: true, acked: false } });
    expect(engine.rows().find((r) => r.id === 'server/srv/ns=1;s=Gone')).toBeUndefined();
    expect(engine.rows().find((r) => r.id === NOTICE)).toBeUndefined();

    // A server that keeps no EventId on the instance: read again, the condition stays listed (not taken as gone);
    // an ack of it is refused at the station, saying why (Part 9: no EventId, no ack), until its next event brings one.
    s.alarm.eventId.setValueFromSource({ dataType: DataType.Null });
    await cc.refresh();
    expect(row()).toMatchObject({ state: 'B', flags: { active: true, acked: false } });
    await expect(cc.acknowledge(s.conditionId, 'op1: too early')).rejects.toMatchObject({ code: 'conflict', i18n: { key: 'alarms.refused.noEventId' } });
    s.alarm.raiseNewCondition({ message: 'tank high (again)', severity: 700, quality: StatusCodes.Good, retain: true });
    await until('the next event', () => row()?.message === 'tank high (again)');

    // The EventId the server sends is the one it takes the ack for.
    await cc.acknowledge(s.conditionId, 'op1: level checked');
    await until('acknowledged', () => row()?.flags.acked);
    expect(await ackedAtServer(s)).toBe(true);
    await cc.close();
  });

  it('no Call service and no condition in the address space: attached all the same, and the operator is told until acknowledged', async () => {
    const s = await activeBeforeConnect('refuse-call', { refuseRefresh: 'callServiceUnsupported', hideCondition: true });
    const engine = new AlarmEngine({ now: () => Date.UTC(2025, 0, 1) }, []);
    const cc = await ConditionClient.attach(s.session, { server: 'srv', tags: [], logger: silentLogger(), onCondition: (c) => engine.serverCondition(c) });
    const notice = () => engine.rows().find((r) => r.id === NOTICE);
    await until('the notice', () => notice());
    expect(notice()).toMatchObject({ state: 'B', priority: 2, text: { key: 'alarms.server.notRefreshed', params: { server: 'srv', status: 'BadServiceUnsupported' } }, flags: { active: true, acked: false } });
    expect(engine.rows().find((r) => r.id === s.conditionId)).toBeUndefined();
    await cc.acknowledge(NOTICE, 'op1: seen');
    await until('the notice acknowledged', () => notice()?.flags.acked);
    expect(engine.takeJournal().map((j) => [j.alarmId, j.event])).toEqual([[NOTICE, 'activated'], [NOTICE, 'acknowledged']]);
    await cc.close();
  });

  it('no condition in the address space and no event source: told only once the server raises a condition', async () => {
    const s = await activeBeforeConnect('refuse-quiet', { refuseRefresh: StatusCodes.BadMethodInvalid, hideCondition: true, flat: true });
    const engine = new AlarmEngine({ now: () => Date.UTC(2025, 0, 1) }, []);
    const cc = await ConditionClient.attach(s.session, { server: 'srv', tags: [], logger: silentLogger(), onCondition: (c) => engine.serverCondition(c) });
    // A server without alarms (most data servers refuse the method too) raises nothing on the list.
    expect(engine.rows()).toEqual([]);
    s.alarm.raiseNewCondition({ message: 'tank high again', severity: 700, quality: StatusCodes.Good, retain: true });
    await until('the condition event', () => engine.rows().find((r) => r.id === s.conditionId));
    await until('the notice', () => engine.rows().find((r) => r.id === NOTICE));
    expect(engine.rows().find((r) => r.id === NOTICE)).toMatchObject({ state: 'B', text: { params: { status: 'BadMethodInvalid' } } });
    await cc.close();
  });
});
