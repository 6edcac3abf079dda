/**
 * OPC UA Part 9 condition branches against a real (in-process) node-opcua
 * server: a branch is an earlier state of a condition that the server keeps
 * for acknowledgement beside its current state (the trunk). The station's row
 * is the condition as it is now, so a branch event must neither overwrite the
 * row (a false "returned") nor take the EventId that acknowledging the row
 * answers (the ack would go to the branch and the active row disappear).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusCodes } from 'node-opcua';
import { silentLogger } from '../../log.js';
import { AlarmEngine } from '../engine/engine.js';
import { ConditionClient } from './client.js';
import { startTankConditionServer, type TankConditionServer } from './testing.js';
import { until as untilWithin } from '../../acquisition/testing/harness.js';

/** Polls until probe holds (a condition arrives within a few publishes). */
const until = <T>(what: string, probe: () => T | undefined | false | null) => untilWithin(what, probe, 15_000);

let t: TankConditionServer;
let alarm: TankConditionServer['alarm'];
let session: TankConditionServer['session'];
let conditionId: string;

beforeAll(async () => {
  t = await startTankConditionServer('branch');
  ({ alarm, session, conditionId } = t);
});

afterAll(() => t?.stop());

describe('OPC UA condition branches', () => {
  it('a branch event leaves the row as the trunk is; acknowledging the row acknowledges the trunk, not the branch', async () => {
    let t = Date.UTC(2025, 0, 1);
    const engine = new AlarmEngine({ now: () => t }, []);
    const cc = await ConditionClient.attach(session, { server: 'srv', tags: [], logger: silentLogger(), onCondition: (c) => engine.serverCondition(c) });
    const row = () => engine.rows().find((r) => r.id === conditionId);

    alarm.activateAlarm();
    alarm.raiseNewCondition({ message: 'tank high', severity: 700, quality: StatusCodes.Good, retain: true });
    await until('the active condition', () => row()?.flags.active);
    expect(row()).toMatchObject({ state: 'B', priority: 2, flags: { active: true, acked: false } });

    // The server keeps an earlier state (inactive, still to be acknowledged) as a branch.
    const branch = alarm.createBranch();
    branch.setActiveState(false);
    branch.setAckedState(false);
    branch.setRetain(true);
    alarm.raiseNewBranchState(branch);
    // A marker after it on the same subscription: when it arrives, the branch event has been handled.
    t += 1000;
    alarm.currentBranch().setAckedState(false);
    alarm.raiseNewCondition({ message: 'tank high (marker)', severity: 700, quality: StatusCodes.Good, retain: true });
    await until('the marker', () => row()?.message === 'tank high (marker)');
    expect(row()).toMatchObject({ state: 'B', flags: { active: true, acked: false } });

    await cc.acknowledge(conditionId, 'op1: level checked');
    await until('the acknowledgement', () => row()?.flags.acked);
    expect(alarm.currentBranch().getAckedState()).toBe(true);
    expect(branch.getAckedState()).toBe(false);
    expect(row()).toMatchObject({ state: 'C', flags: { active: true, acked: true } });
    expect(engine.takeJournal().map((j) => j.event)).toEqual(['activated', 'acknowledged']);
    await cc.close();
  });
});
