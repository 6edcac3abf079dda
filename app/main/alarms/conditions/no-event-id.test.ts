/**
 * A server whose condition events carry no EventId (a null Variant, or an empty ByteString), as
 * servers written elsewhere may: Part 9 makes EventId mandatory on every event and the argument
 * that names what an Acknowledge or Confirm answers. Such an event was dropped as "not a
 * condition": an active alarm of the server never listed. Now it is listed; an ack takes the
 * EventId the condition instance holds (Part 9 §5.5.2: its properties are the last event's
 * fields), and with none there is refused at once, saying so, rather than sent for the server to
 * refuse. A real node-opcua server (A&C service) whose Server object rewrites the field in each
 * event; the real client and engine. Expectations read from the server's own nodes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataType, StatusCodes, type VariantOptions } from 'node-opcua';
import { silentLogger } from '../../log.js';
import { AlarmEngine } from '../engine/engine.js';
import { ConditionClient } from './client.js';
import { overrideEventFields, startTankConditionServer, type TankConditionServer } from './testing.js';
import { until as untilWithin } from '../../acquisition/testing/harness.js';

const until = <T>(what: string, probe: () => T | undefined | false | null) => untilWithin(what, probe, 15_000);

let t: TankConditionServer;
let eventId: VariantOptions | null = null;

beforeAll(async () => {
  t = await startTankConditionServer('no-event-id');
  overrideEventFields(t, (): Record<string, VariantOptions> => (eventId ? { EventId: eventId } : {}));
});

afterAll(() => t?.stop());

describe('condition events without an EventId', () => {
  it('are listed; an ack takes the instance\'s EventId, and with none there is refused at once, saying why', async () => {
    const engine = new AlarmEngine({ now: () => Date.now(), monotonic: () => performance.now() }, []);
    const cc = await ConditionClient.attach(t.session, { server: 'srv', tags: [], logger: silentLogger(), onCondition: (c) => engine.serverCondition(c) });
    const row = () => engine.rows().find((r) => r.id === t.conditionId);

    eventId = { dataType: DataType.Null };
    t.alarm.activateAlarm();
    t.alarm.raiseNewCondition({ message: 'tank high', severity: 700, quality: StatusCodes.Good, retain: true });
    await until('the condition listed', () => row());
    expect(row()).toMatchObject({ state: 'B', priority: 2, message: 'tank high', flags: { active: true, acked: false } });

    // The instance holds the condition's EventId (node-opcua keeps it there): the ack goes with it.
    await cc.acknowledge(t.conditionId, 'op1: level checked');
    await until('acknowledged', () => row()?.flags.acked);
    expect(t.alarm.currentBranch().getAckedState()).toBe(true);

    // Raised again with an empty EventId, the instance's EventId gone too: nothing can name the event.
    eventId = { dataType: DataType.ByteString, value: Buffer.alloc(0) };
    t.alarm.activateAlarm();
    t.alarm.raiseNewCondition({ message: 'tank high again', severity: 700, quality: StatusCodes.Good, retain: true });
    await until('raised again', () => row()?.message === 'tank high again' && !row()!.flags.acked);
    t.alarm.eventId.setValueFromSource({ dataType: DataType.Null });
    await expect(cc.acknowledge(t.conditionId, 'op1: again')).rejects.toMatchObject({
      code: 'conflict', i18n: { key: 'alarms.refused.noEventId', params: { server: 'srv' } },
    });
    expect(t.alarm.currentBranch().getAckedState()).toBe(false);
    expect(row()).toMatchObject({ state: 'B', flags: { acked: false } });
    await cc.close();
  });
});
