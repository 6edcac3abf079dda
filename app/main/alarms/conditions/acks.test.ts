/**
 * Acknowledging a server's condition. One the operator saw before it changed (escalated: a new
 * severity, a new event) was acknowledged at the server all the same: the module checked the
 * revisions of the station's rows only, and the ack went with the condition's latest EventId, the
 * state the operator never saw. Now it is refused as a station row is ("alarm changed — review",
 * spec case 10), nothing sent to the server.
 *
 * An acknowledgement of a condition its server has already removed (the condition object deleted,
 * an online change or a PLC download, with no last event saying so). The server answers the
 * Acknowledge call that it does not know the node; the row stayed as last reported, active and
 * unacknowledged, every ack refused the same way, for as long as the session lasted. Now that
 * answer refreshes the server's conditions (ConditionRefresh): one it no longer reports is dropped
 * as a refresh drops it (RTN-Unack, SERVER DROPPED), and the operator's next ack is taken at the
 * station. A real node-opcua server (A&C service); the real client and engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { StatusCodes } from 'node-opcua';
import { silentLogger } from '../../log.js';
import { loadStationConfig } from '../../station/config-file.js';
import { ConfigStore } from '../../station/config-store.js';
import { defaultConfigFile } from '../../args.js';
import { AlarmsModule } from '../module.js';
import { AlarmRefusal } from '../engine/refusal.js';
import { AlarmEngine } from '../engine/engine.js';
import { ConditionClient } from './client.js';
import { startTankConditionServer, type TankConditionServer } from './testing.js';
import { until as untilWithin } from '../../acquisition/testing/harness.js';

const until = <T>(what: string, probe: () => T | undefined | false | null) => untilWithin(what, probe, 15_000);

let t: TankConditionServer;
let server: TankConditionServer['server'];
let alarm: TankConditionServer['alarm'];
let client: TankConditionServer['client'];
let session: TankConditionServer['session'];
let conditionId: string;
let dir: string;

beforeAll(async () => {
  t = await startTankConditionServer('removed');
  ({ server, alarm, client, session, conditionId, dir } = t);
});

afterAll(() => t?.stop());

describe('acknowledging a server\'s condition', () => {
  it('one that changed since the operator saw it is refused as a station alarm is, and nothing is sent to the server', async () => {
    const alarms = AlarmsModule.open({ config: new ConfigStore(loadStationConfig(defaultConfigFile), { source: '(test)', writeTo: join(dir, 'station.yaml') }), dataDir: join(dir, 'module'), logger: silentLogger() });
    const srvSession = await client.createSession();
    try {
      alarms.onSession('srv', srvSession);
      await until('A&C subscribed', () => alarms.conditionLinks.get('srv'));
      const row = () => alarms.engine.rows().find((r) => r.id === conditionId);
      alarm.activateAlarm();
      alarm.currentBranch().setAckedState(false);
      alarm.raiseNewCondition({ message: 'tank high', severity: 700, quality: StatusCodes.Good, retain: true });
      const seen = await until('the active condition (P2)', () => row()?.priority === 2 && row()!.flags.active && row());
      // Escalated at the server before the ack arrives: priority 1 now.
      alarm.raiseNewCondition({ message: 'tank high high', severity: 900, quality: StatusCodes.Good, retain: true });
      await until('the escalation', () => row()?.priority === 1);
      const refused = await alarms.acknowledge([conditionId], [seen.revision], 'op1', 'checked').then(() => null, (err: unknown) => err);
      expect(refused).toBeInstanceOf(AlarmRefusal);
      expect((refused as AlarmRefusal).reason).toBe('changed');
      expect(alarm.currentBranch().getAckedState()).toBe(false);
      expect(row()).toMatchObject({ state: 'B', flags: { acked: false } });
      // The row as it is now is acknowledged at the server.
      expect(await alarms.acknowledge([conditionId], [row()!.revision], 'op1', 'checked')).toEqual([conditionId]);
      await until('acked by the server', () => row()?.flags.acked);
      expect(alarm.currentBranch().getAckedState()).toBe(true);
    } finally {
      alarms.onSession('srv', null);
      alarms.stop();
      await srvSession.close();
    }
  });


  it('one its server removed is refused as the server says, and dropped as a refresh drops it: the next ack is the station\'s', async () => {
    const engine = new AlarmEngine({ now: () => Date.now(), monotonic: () => performance.now() }, []);
    const cc = await ConditionClient.attach(session, { server: 'srv', tags: [], logger: silentLogger(), onCondition: (c) => engine.serverCondition(c) });
    const row = () => engine.rows().find((r) => r.id === conditionId);
    alarm.activateAlarm();
    alarm.currentBranch().setAckedState(false);
    alarm.raiseNewCondition({ message: 'tank high', severity: 700, quality: StatusCodes.Good, retain: true });
    await until('the active condition', () => row()?.flags.active);

    server.engine.addressSpace!.deleteNode(alarm);
    const refused = await cc.acknowledge(conditionId, 'op1: checked').then(() => null, (err: Error) => err.message);
    expect(refused).toMatch(/server srv refused: Bad/);
    await until('dropped: no longer reported by the server', () => row()?.text?.key === 'alarms.server.gone');
    expect(row()).toMatchObject({ state: 'D', flags: { active: false, acked: false } });
    expect(engine.ackedAtServer(conditionId)).toBeNull();
    await cc.close();
  });
});
