/**
 * A condition shelved at its server (Part 9 ShelvingState: TimedShelve / OneShotShelve / Unshelve,
 * called by the server's own operators or another client). The station did not read ShelvingState:
 * a condition the plant's operator had shelved at the DCS kept its row in B on the banner, horn and
 * all, though Part 9 says such an alarm is not displayed, and ISA-18.2 puts it on the shelved list
 * (F) with its time left. Now it follows the server's moves: shelved there, F here (journaled, by
 * the server, with the time the server gives); unshelved there while active, annunciated again.
 * A shelve an operator makes here is the station's: the server's next event does not end it.
 * A real node-opcua server (A&C service, ShelvingState, its shelving methods called over OPC UA);
 * the real client and engine. node-opcua raises no event on a shelving change, as servers written
 * elsewhere do: the test raises the condition's next event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataType, StatusCodes, Variant, makeBrowsePath, type VariantOptions } from 'node-opcua';
import { silentLogger } from '../../log.js';
import { AlarmEngine } from '../engine/engine.js';
import { ConditionClient } from './client.js';
import { startTankConditionServer, type TankConditionServer } from './testing.js';
import { until as untilWithin } from '../../acquisition/testing/harness.js';

const until = <T>(what: string, probe: () => T | undefined | false | null) => untilWithin(what, probe, 15_000);

let t: TankConditionServer;
beforeAll(async () => {
  t = await startTankConditionServer('shelved-at-server', { optionals: ['ShelvingState'] });
});
afterAll(() => t?.stop());

/** Calls a method of the condition's ShelvingState over OPC UA, as another client of the server would. */
async function callShelving(method: 'TimedShelve' | 'Unshelve', args: VariantOptions[] = []): Promise<string> {
  const [object, m] = await t.session.translateBrowsePath([
    makeBrowsePath('ns=1;s=Tank.HighAlarm', '/ShelvingState'), makeBrowsePath('ns=1;s=Tank.HighAlarm', `/ShelvingState/${method}`),
  ]);
  const result = await t.session.call({ objectId: object!.targets![0]!.targetId, methodId: m!.targets![0]!.targetId, inputArguments: args.map((a) => new Variant(a)) });
  return result.statusCode.name;
}

describe('a condition shelved at its server', () => {
  it('is shelved here (F, off the banner, time left as the server says); unshelved there while active, annunciated again', async () => {
    const engine = new AlarmEngine({ now: () => Date.now(), monotonic: () => performance.now() }, []);
    const cc = await ConditionClient.attach(t.session, { server: 'srv', tags: [], logger: silentLogger(), onCondition: (c) => engine.serverCondition(c) });
    const row = () => engine.rows().find((r) => r.id === t.conditionId);
    const journal = () => engine.takeJournal().map((j) => [j.event, j.state, j.user]);
    const raise = (message: string) => t.alarm.raiseNewCondition({ message, severity: 700, quality: StatusCodes.Good, retain: true });

    t.alarm.activateAlarm();
    raise('tank high');
    await until('the active condition', () => row()?.flags.active);
    expect(row()).toMatchObject({ state: 'B', audible: true });

    const before = Date.now();
    expect(await callShelving('TimedShelve', [{ dataType: DataType.Double, value: 600_000 }])).toBe('Good');
    raise('tank high (shelved)');
    await until('shelved', () => row()?.state === 'F');
    const shelved = row()!;
    expect(shelved).toMatchObject({ audible: false, flags: { active: true, acked: false, shelving: 'TimedShelved' }, shelve: { oneShot: false, by: 'srv (OPC UA)' } });
    // The server's UnshelveTime: what is left of its 10 minutes.
    expect(shelved.shelve!.until).toBeGreaterThan(before + 590_000);
    expect(shelved.shelve!.until).toBeLessThanOrEqual(Date.now() + 600_000);
    expect(engine.summary()).toMatchObject({ shelved: 1, unacked: [0, 0, 0, 0], horn: { tone: null } });
    expect(journal()).toEqual([['activated', 'B', null], ['shelved', 'F', 'srv (OPC UA)']]);

    expect(await callShelving('Unshelve')).toBe('Good');
    raise('tank high (unshelved)');
    await until('unshelved', () => row()?.state === 'B');
    expect(row()).toMatchObject({ audible: true, shelve: null, flags: { shelving: 'Unshelved' } });
    expect(journal()).toEqual([['unshelved', 'B', 'srv (OPC UA)'], ['reannunciated', 'B', null]]);

    // One shelved by an operator here stays so: the server's next event (unshelved there) is not an unshelve.
    engine.shelve(t.conditionId, { minutes: 30, maxMinutes: 480, reason: 'sensor check', by: 'op1' });
    raise('tank high (still)');
    await until('the next event', () => row()?.message === 'tank high (still)');
    expect(row()).toMatchObject({ state: 'F', shelve: { by: 'op1', reason: 'sensor check' } });
    await cc.close();
  });

  it('raised while shelved there: journaled shelved (F), no annunciation counted; one of priority 1 stays shown', async () => {
    const engine = new AlarmEngine({ now: () => Date.now(), monotonic: () => performance.now() }, []);
    const cc = await ConditionClient.attach(t.session, { server: 'srv', tags: [], logger: silentLogger(), onCondition: (c) => engine.serverCondition(c) });
    const row = () => engine.rows().find((r) => r.id === t.conditionId);
    const raise = (message: string, severity: number) => t.alarm.raiseNewCondition({ message, severity, quality: StatusCodes.Good, retain: true });
    await until('the condition as the refresh sends it', () => row());

    // Back to normal and acknowledged at the server: off the list.
    t.alarm.deactivateAlarm(false);
    t.alarm.currentBranch().setAckedState(true);
    t.alarm.raiseNewCondition({ message: 'tank normal', severity: 700, quality: StatusCodes.Good, retain: false });
    await until('normal', () => !row());
    engine.takeJournal();
    // The refresh at attach listed it in B: one annunciation in the flood window already.
    const flood = engine.summary().flood.count;

    expect(await callShelving('TimedShelve', [{ dataType: DataType.Double, value: 600_000 }])).toBe('Good');
    t.alarm.activateAlarm();
    raise('tank high (shelved)', 700);
    await until('raised shelved', () => row()?.flags.active);
    expect(row()).toMatchObject({ state: 'F', audible: false });
    expect(engine.summary()).toMatchObject({ flood: { count: flood }, unacked: [0, 0, 0, 0] });
    expect(engine.takeJournal().map((j) => [j.event, j.state])).toEqual([['shelved', 'F'], ['activated', 'F']]);

    // A safety trip (priority 1) is not shelvable here: shelved at the server, it is shown all the same.
    expect(await callShelving('Unshelve')).toBe('Good');
    raise('tank high (unshelved)', 700);
    await until('unshelved', () => row()?.state === 'B');
    expect(await callShelving('TimedShelve', [{ dataType: DataType.Double, value: 600_000 }])).toBe('Good');
    raise('tank trip', 900);
    await until('the trip', () => row()?.message === 'tank trip');
    expect(row()).toMatchObject({ state: 'B', priority: 1, audible: true, shelve: null });
    await cc.close();
  });

  it('shelved there while of priority 1 (shown here): once the server lowers it below priority 1, shelved here as the server has it', async () => {
    const engine = new AlarmEngine({ now: () => Date.now(), monotonic: () => performance.now() }, []);
    const cc = await ConditionClient.attach(t.session, { server: 'srv', tags: [], logger: silentLogger(), onCondition: (c) => engine.serverCondition(c) });
    const row = () => engine.rows().find((r) => r.id === t.conditionId);
    let n = 0;
    const raise = async (message: string, severity: number) => {
      const said = `${message} #${++n}`;
      t.alarm.raiseNewCondition({ message: said, severity, quality: StatusCodes.Good, retain: true });
      await until(`the event ${said}`, () => row()?.message === said);
    };
    expect(['Good', 'BadConditionNotShelved']).toContain(await callShelving('Unshelve')); // as the test before left it
    t.alarm.activateAlarm();
    await raise('tank trip', 900);
    engine.takeJournal();

    expect(await callShelving('TimedShelve', [{ dataType: DataType.Double, value: 600_000 }])).toBe('Good');
    await raise('tank trip (shelved there)', 900);
    expect(row()).toMatchObject({ state: 'B', priority: 1, shelve: null });
    // Severity 700 (priority 2): the server's shelve applies now.
    await raise('tank high (lowered there)', 700);
    expect(row()).toMatchObject({ state: 'F', priority: 2, audible: false, shelve: { by: 'srv (OPC UA)', reason: 'TimedShelved' } });
    // Raised to priority 1 again while shelved: shown (its shelve ended here); lowered once more, shelved once more.
    await raise('tank trip again', 900);
    expect(row()).toMatchObject({ state: 'B', priority: 1, shelve: null });
    await raise('tank high again', 700);
    expect(row()).toMatchObject({ state: 'F', priority: 2, shelve: { by: 'srv (OPC UA)' } });
    expect(engine.takeJournal().filter((j) => /shelve/i.test(j.event)).map((j) => [j.event, j.state, j.user])).toEqual([
      ['shelved', 'F', 'srv (OPC UA)'], ['unshelved', 'B', null], ['shelved', 'F', 'srv (OPC UA)'],
    ]);
    expect(await callShelving('Unshelve')).toBe('Good');
    await cc.close();
  });

  it('shelved anew there with another time, between two events: the time here follows, shorter or longer', async () => {
    const engine = new AlarmEngine({ now: () => Date.now(), monotonic: () => performance.now() }, []);
    const cc = await ConditionClient.attach(t.session, { server: 'srv', tags: [], logger: silentLogger(), onCondition: (c) => engine.serverCondition(c) });
    const row = () => engine.rows().find((r) => r.id === t.conditionId);
    let n = 0;
    const raise = async () => {
      const message = `tank high #${++n}`;
      t.alarm.raiseNewCondition({ message, severity: 700, quality: StatusCodes.Good, retain: true });
      await until(`the event ${message}`, () => row()?.message === message);
    };
    /** The server's operator shelves it again for another time (node-opcua raises no event for either call). */
    const reshelve = async (ms: number) => {
      expect(['Good', 'BadConditionNotShelved']).toContain(await callShelving('Unshelve'));
      expect(await callShelving('TimedShelve', [{ dataType: DataType.Double, value: ms }])).toBe('Good');
    };
    expect(['Good', 'BadConditionNotShelved']).toContain(await callShelving('Unshelve')); // as the test before left it
    t.alarm.activateAlarm();
    await raise();
    engine.takeJournal();

    await reshelve(600_000);
    await raise();
    expect(row()).toMatchObject({ state: 'F' });
    // Shortened there to 1.5 s: it ends here then, not ten minutes later.
    await reshelve(1500);
    await raise();
    expect(row()!.shelve!.until).toBeLessThanOrEqual(Date.now() + 1500);
    // Lengthened there once more; the 1.5 s run out here, the server's next event shelves it again for what is left.
    await reshelve(600_000);
    await until('the 1.5 s ran out here', () => {
      engine.tick();
      return row()?.state === 'B';
    });
    const before = Date.now();
    await raise();
    expect(row()).toMatchObject({ state: 'F', audible: false });
    expect(row()!.shelve!.until).toBeGreaterThan(before + 590_000);
    expect(engine.takeJournal().map((j) => [j.event, j.state, j.user])).toEqual([
      ['shelved', 'F', 'srv (OPC UA)'], ['shelved', 'F', 'srv (OPC UA)'], ['shelveExpired', 'B', null], ['reannunciated', 'B', null], ['shelved', 'F', 'srv (OPC UA)'],
    ]);
    expect(await callShelving('Unshelve')).toBe('Good');
    await cc.close();
  });
});
