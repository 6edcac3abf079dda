/**
 * A condition its server suppresses (SuppressedState, Part 9 §5.8.2: e.g. a low level on a tank
 * out of use). Raised while suppressed it was journaled "activated" in B, the state it had before
 * the report's suppression was taken, so the KPI counted an annunciation no one saw and the flood
 * window counted it; its suppression lifted while still active, nothing was journaled, so the
 * annunciation the operator then gets was not counted, nor the suppression seen in the journal.
 * As for the station's own alarms (G): raised under suppression it is journaled in G; leaving
 * it active and unacknowledged re-annunciates it (B); entering and leaving are journaled while
 * it is listed. A real node-opcua server (A&C service, SuppressedState), the real client and engine.
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
  t = await startTankConditionServer('suppressed', { optionals: ['SuppressedState'] });
});
afterAll(() => t?.stop());

describe('a condition its server suppresses', () => {
  it('raised suppressed: journaled in G, no annunciation counted; unsuppressed while active: re-annunciated (B); suppressed again: journaled', async () => {
    const engine = new AlarmEngine({ now: () => Date.now(), monotonic: () => performance.now() }, []);
    const cc = await ConditionClient.attach(t.session, { server: 'srv', tags: [], logger: silentLogger(), onCondition: (c) => engine.serverCondition(c) });
    const row = () => engine.rows().find((r) => r.id === t.conditionId);
    const journal = () => engine.takeJournal().map((j) => [j.event, j.state]);

    t.alarm.currentBranch().setSuppressedState(true);
    t.alarm.activateAlarm();
    t.alarm.raiseNewCondition({ message: 'tank low', severity: 700, quality: StatusCodes.Good, retain: true });
    await until('the suppressed condition', () => row()?.flags.active);
    expect(row()).toMatchObject({ state: 'G', audible: false, flags: { active: true, acked: false, suppressed: true } });
    expect(engine.summary()).toMatchObject({ suppressed: 1, unacked: [0, 0, 0, 0], flood: { count: 0 } });
    expect(journal()).toEqual([['activated', 'G']]);

    t.alarm.currentBranch().setSuppressedState(false);
    t.alarm.raiseNewCondition({ message: 'tank low (in use)', severity: 700, quality: StatusCodes.Good, retain: true });
    await until('unsuppressed', () => row()?.state === 'B');
    expect(row()).toMatchObject({ audible: true, flags: { active: true, acked: false, suppressed: false } });
    expect(engine.summary()).toMatchObject({ suppressed: 0, unacked: [0, 1, 0, 0], flood: { count: 1 } });
    expect(journal()).toEqual([['unsuppressed', 'B'], ['reannunciated', 'B']]);

    t.alarm.currentBranch().setSuppressedState(true);
    t.alarm.raiseNewCondition({ message: 'tank low (out of use)', severity: 700, quality: StatusCodes.Good, retain: true });
    await until('suppressed again', () => row()?.state === 'G');
    expect(row()).toMatchObject({ audible: false });
    expect(journal()).toEqual([['suppressed', 'G']]);
    await cc.close();
  });
});
