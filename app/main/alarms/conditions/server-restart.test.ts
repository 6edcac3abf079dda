/**
 * A server condition that returned unacknowledged (RTN-Unack, D) when its OPC UA server restarts:
 * the fresh server no longer reports it, so the ConditionRefresh of the new session leaves it out.
 * The spec's D leaves only by an ack (or a new activation); ISA-18.2 wants the record to say how
 * the alarm ended. So the row stays listed in D, and the operator's ack, which the new server
 * cannot take, is journaled at the station: acknowledged, A, by whom, with the comment. Real
 * simulator over real OPC UA, restarted on the same port; the real station, engine and journal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NAMESPACE_URI, startSimulator, type Simulator } from '../../../../simulator/server.js';
import { loadStationConfig } from '../../station/config-file.js';
import { defaultConfigFile } from '../../args.js';
import { silentLogger } from '../../log.js';
import { until as untilWithin, untilAsync } from '../../acquisition/testing/harness.js';
import { Station } from '../../station/station.js';
import { ConfigStore } from '../../station/config-store.js';
import { AlarmsModule } from '../module.js';
import { internalConnection } from '../../api/connection.js';
import type { AlarmList } from '../../../shared/api.js';
import { Translator } from '../../../shared/i18n/index.js';

const until = <T>(what: string, probe: () => T | undefined | false | null) => untilWithin(what, probe, 30_000);
const ESD = `server/sim/nsu=${NAMESPACE_URI};s=Area1.ESD.TripAlarm`;
const config = loadStationConfig(defaultConfigFile);
let dir: string;
let sim: Simulator;

/** Fast-forwards the plant until Area 1's ESD trips (every high-level switch clear first). */
function tripArea1(): void {
  const switches = sim.tags.filter((t) => t.area === 'Area1' && t.role === 'highLevelSwitch').map((t) => t.name);
  for (let i = 0; i < 100_000 && switches.some((s) => sim.model.value(s) === true); i++) sim.model.step();
  sim.trigger({ name: 'overfill', target: 'Area1.TK101' });
  for (let i = 0; i < 100_000 && sim.model.value('Area1.ESD.Tripped') !== true; i++) sim.model.step();
  expect(sim.model.value('Area1.ESD.Tripped')).toBe(true);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-ac-restart-'));
  sim = await startSimulator({ port: 0, seed: 5, tickMs: 100 });
});

afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('an unacknowledged return when its server restarts', () => {
  it('stays listed in D until an operator acknowledges it, and the journal ends it with that ack', async () => {
    const cfg = { ...config, servers: [{ ...config.servers[0]!, endpoint: sim.endpoint, security: { mode: 'None' as const, policy: 'None' as const } }] };
    const store = new ConfigStore(cfg, { source: '(test)', writeTo: join(dir, 'station.yaml') });
    const alarms = AlarmsModule.open({ config: store, dataDir: dir, logger: silentLogger() });
    const station = new Station({ config: store, dataDir: dir, logger: silentLogger(), simulator: true, shell: 'browser', modules: [alarms] });
    const op = internalConnection('op');
    station.dispatcher.useSessions({ sessionOf: (c) => (c === op ? { id: 's', user: 'op1', displayName: 'op1', roles: ['operator'], since: 0 } : null) });
    const snapshot = async () => ((await station.dispatcher.dispatch('alarms.snapshot', {}, op)) as { ok: true; result: AlarmList }).result;
    const journal = () => alarms.journal.read(0, 100).filter((e) => e.alarmId === ESD).map((e) => [e.event, e.state, e.user, e.comment]);
    const english = new Translator('en');
    try {
      await station.start();
      const firstLink = await until('A&C subscribed', () => alarms.conditionLinks.get('sim'));
      tripArea1();
      await until('the ESD trip (B)', () => alarms.engine.rows().find((r) => r.id === ESD && r.state === 'B'));
      sim.clear();
      await until('its unacknowledged return (D)', () => alarms.engine.rows().find((r) => r.id === ESD && r.state === 'D'));
      // While its server reports it, it is the server's alarm in the server's words.
      const reported = (await snapshot()).rows.find((r) => r.id === ESD)!;
      expect(reported.text).toBeNull();

      const port = sim.port;
      await sim.stop();
      await until('its server lost: the row suspect', () => alarms.engine.rows().find((r) => r.id === ESD)?.suspect);
      sim = await startSimulator({ port, seed: 5, tickMs: 100 });
      // The new session's ConditionRefresh has ended when the condition is no longer suspect (its report came).
      await until('the refresh of the restarted server', () => alarms.conditionLinks.get('sim') !== firstLink && alarms.conditionLinks.get('sim') && alarms.engine.get(ESD)?.suspect === false);
      // The flush that follows the report: the listed row changed from the one the old server reported
      // (marked no longer reported, or, wrongly, gone).
      const list = await untilAsync('the list after the refresh', async () => {
        const l = await snapshot();
        const r = l.rows.find((x) => x.id === ESD);
        return !r || r.text !== null ? l : null;
      }, 30_000);
      const row = list.rows.find((r) => r.id === ESD);
      expect(row).toMatchObject({ state: 'D', priority: 1, flags: { active: false, acked: false } });
      // The banner's P1 unacked count still counts it: a hand count of the listed P1 rows not acknowledged.
      expect(list.summary.unacked[0]).toBe(list.rows.filter((r) => r.priority === 1 && !r.flags.acked).length);
      expect(journal()).toEqual([['activated', 'B', null, null], ['returned', 'D', null, null]]);
      // The view marks it: a server condition no longer reported, in the console's words (the badge's key).
      expect(row!.text).toEqual({ key: 'alarms.server.gone', params: { message: reported.message, server: 'sim' } });
      expect(english.t(row!.text!.key, row!.text!.params)).toBe(`${reported.message} (no longer reported by server sim)`);

      // The restarted server no longer knows the condition: the ack is the station's.
      const res = await station.dispatcher.dispatch('alarms.acknowledge', { ids: [ESD], revisions: [row!.revision], comment: 'seen after the restart', scope: 'selected' }, op);
      expect(res).toMatchObject({ ok: true, result: { acknowledged: [ESD] } });
      expect((await snapshot()).rows.find((r) => r.id === ESD)).toBeUndefined();
      expect(journal()).toEqual([['activated', 'B', null, null], ['returned', 'D', null, null], ['acknowledged', 'A', 'op1', 'seen after the restart']]);
      // The journal's line of that ack says so too; the lines from before the server dropped it do not.
      const texts = alarms.journal.read(0, 100).filter((e) => e.alarmId === ESD).map((e) => e.text && english.t(e.text.key, e.text.params));
      expect(texts).toEqual([null, null, `${reported.message} (no longer reported by server sim)`]);
    } finally {
      await station.stop();
    }
  });
});
