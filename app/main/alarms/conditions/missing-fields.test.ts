/**
 * A server whose condition events leave fields out (a null Variant where the event has no such
 * field: servers written elsewhere select what they keep). Without Retain the condition was taken
 * as one the server no longer reports: an active, unacknowledged alarm marked SERVER DROPPED, its
 * ack kept at the station and never sent to the server. Part 9 §5.5.2: Retain is true while the
 * condition is active, unacknowledged or unconfirmed, so that is what an event without it says.
 * Without Severity a known condition kept its priority (not a default's), without Time the row
 * still comes. A real node-opcua server (A&C service) whose Server object drops the fields from
 * each event as it leaves; the real client and engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataType, StatusCodes, type BaseNode } from 'node-opcua';
import { silentLogger } from '../../log.js';
import { AlarmEngine } from '../engine/engine.js';
import { ConditionClient } from './client.js';
import { startTankConditionServer, type TankConditionServer } from './testing.js';
import { until as untilWithin } from '../../acquisition/testing/harness.js';

const until = <T>(what: string, probe: () => T | undefined | false | null) => untilWithin(what, probe, 15_000);

let t: TankConditionServer;
let alarm: TankConditionServer['alarm'];
let session: TankConditionServer['session'];
let conditionId: string;
/** Fields (browse names under the condition) the server leaves out of its events. */
let leftOut: string[] = [];

interface EventFields {
  _setField(field: { lowerName: string; fullBrowsePath: string; node: BaseNode; nodeIdKey: string; mandatory: boolean }, v: { dataType: DataType }): void;
}

beforeAll(async () => {
  t = await startTankConditionServer('missing');
  ({ alarm, session, conditionId } = t);
  // Every event reaches the subscriptions through the Server object: the fields left out become null there.
  type Emit = (name: string, ...args: unknown[]) => boolean;
  const serverObject = t.addressSpace.rootFolder.objects.server as unknown as { emit: Emit };
  const emit = serverObject.emit.bind(serverObject);
  serverObject.emit = (name, ...args) => {
    if (name === 'event') {
      for (const field of leftOut) {
        const lowerName = field.charAt(0).toLowerCase() + field.slice(1);
        const node = (alarm as unknown as Record<string, BaseNode>)[lowerName]!;
        (args[0] as EventFields)._setField({ lowerName, fullBrowsePath: field, node, nodeIdKey: node.nodeId.toString(), mandatory: false }, { dataType: DataType.Null });
      }
    }
    return emit(name, ...args);
  };
});

afterAll(() => t?.stop());

describe('condition events with fields left out', () => {
  it('without Retain, Severity and Time: listed as the server reports it, its priority kept, the ack sent to the server', async () => {
    const engine = new AlarmEngine({ now: () => Date.now(), monotonic: () => performance.now() }, []);
    const cc = await ConditionClient.attach(session, { server: 'srv', tags: [], logger: silentLogger(), onCondition: (c) => engine.serverCondition(c) });
    const row = () => engine.rows().find((r) => r.id === conditionId);

    leftOut = ['Retain'];
    alarm.activateAlarm();
    alarm.raiseNewCondition({ message: 'tank high', severity: 700, quality: StatusCodes.Good, retain: true });
    await until('the active condition', () => row()?.flags.active);
    // Reported by its server: no "no longer reported by server" mark, the ack goes to the server.
    expect(row()).toMatchObject({ state: 'B', priority: 2, text: null, flags: { active: true, acked: false } });
    expect(engine.ackedAtServer(conditionId)).not.toBeNull();

    leftOut = ['Retain', 'Severity', 'Time'];
    alarm.raiseNewCondition({ message: 'tank high (again)', severity: 700, quality: StatusCodes.Good, retain: true });
    await until('the event without Severity and Time', () => row()?.message === 'tank high (again)');
    expect(row()).toMatchObject({ state: 'B', priority: 2, text: null });

    await cc.acknowledge(conditionId, 'op1: level checked');
    await until('the acknowledgement', () => row()?.flags.acked);
    expect(alarm.currentBranch().getAckedState()).toBe(true);
    expect(row()).toMatchObject({ state: 'C', text: null });

    // Inactive and acknowledged without Retain: the server keeps it no longer; the row goes.
    alarm.deactivateAlarm(false);
    alarm.raiseNewCondition({ message: 'tank normal', severity: 700, quality: StatusCodes.Good, retain: false });
    await until('the return', () => !row());
    expect(engine.takeJournal().map((j) => j.event)).toEqual(['activated', 'acknowledged', 'cleared']);
    await cc.close();
  });
});
