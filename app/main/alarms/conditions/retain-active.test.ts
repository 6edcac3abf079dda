/**
 * A server that sets Retain false on a condition still active (Part 9 §5.5.2 leaves Retain's
 * logic to the server; some set it only for what they want a refresh to send). The row was marked
 * SERVER DROPPED ("no longer reported by server …") and its ack taken at the station, never sent:
 * the server kept it unacknowledged, and its next event re-annunciated it. It is the server's
 * condition as long as it is active: the ack goes to the server, the journal reads as for any
 * condition. A real node-opcua server (A&C service), the real client and engine; expectations
 * from the server's own state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusCodes } from 'node-opcua';
import { silentLogger } from '../../log.js';
import { AlarmEngine } from '../engine/engine.js';
import { ConditionClient } from './client.js';
import { startTankConditionServer, type TankConditionServer } from './testing.js';
import { until as untilWithin } from '../../acquisition/testing/harness.js';

const until = <T>(what: string, probe: () => T | undefined | false | null) => untilWithin(what, probe, 15_000);

let t: TankConditionServer;
beforeAll(async () => {
  t = await startTankConditionServer('retain-active');
});
afterAll(() => t?.stop());

describe('Retain false on an active condition', () => {
  it('stays the server\'s: not marked dropped, acknowledged at the server, not re-annunciated by its next event', async () => {
    const engine = new AlarmEngine({ now: () => Date.now(), monotonic: () => performance.now() }, []);
    const cc = await ConditionClient.attach(t.session, { server: 'srv', tags: [], logger: silentLogger(), onCondition: (c) => engine.serverCondition(c) });
    const row = () => engine.rows().find((r) => r.id === t.conditionId);

    t.alarm.activateAlarm();
    t.alarm.raiseNewCondition({ message: 'tank high', severity: 700, quality: StatusCodes.Good, retain: false });
    await until('the active condition', () => row()?.flags.active);
    expect(row()).toMatchObject({ state: 'B', priority: 2, message: 'tank high', text: null, flags: { active: true, acked: false } });
    expect(engine.ackedAtServer(t.conditionId)).not.toBeNull();

    await cc.acknowledge(t.conditionId, 'op1: level checked');
    await until('acknowledged', () => row()?.flags.acked);
    expect(t.alarm.currentBranch().getAckedState()).toBe(true);

    // The server's next event (the value moved) says it again, acknowledged: still C, nothing re-annunciated.
    t.alarm.raiseNewCondition({ message: 'tank higher', severity: 700, quality: StatusCodes.Good, retain: false });
    await until('the next event', () => row()?.message === 'tank higher');
    expect(row()).toMatchObject({ state: 'C', text: null, flags: { active: true, acked: true } });

    t.alarm.deactivateAlarm(false);
    t.alarm.raiseNewCondition({ message: 'tank normal', severity: 700, quality: StatusCodes.Good, retain: false });
    await until('the return', () => !row());
    expect(engine.takeJournal().map((j) => [j.event, j.state])).toEqual([['activated', 'B'], ['acknowledged', 'C'], ['cleared', 'A']]);
    await cc.close();
  });
});
