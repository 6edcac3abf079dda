/**
 * A restart of the station (states kept in alarms.sqlite, restored into a new
 * engine) must not change what the operator is told: an unacknowledged active
 * alarm still sounds, a suppressed one stays hidden, the COMM alarm is the
 * station's own knowledge again, and an OPC UA server's conditions are not
 * raised a second time by the ConditionRefresh that follows. On the spec's
 * fixture (testing.ts); expectations from specs/alarms.md.
 */
import { describe, expect, it } from 'vitest';
import { computeKpi } from '../kpi.js';
import { AlarmEngine, type ServerCondition } from './engine.js';
import { FI, Harness, LI } from './testing.js';
import type { PersistedAlarm } from './types.js';

/** The states kept at the moment (as the journal stores them: JSON), restored into a new engine on the same config, same clock. */
function restart(h: Harness): Harness {
  const kept = JSON.parse(JSON.stringify(h.engine.takeChanges().persist)) as PersistedAlarm[];
  const r = new Harness(h.config);
  r.t = h.t;
  r.engine.restore(kept);
  return r;
}

const kpiSettings = { operators: 1, fleetingSeconds: 5, staleHours: 24, chatteringCount: 3, chatteringWindowS: 60, flood: { windowMinutes: 10, startAbove: 10, endBelow: 5 } };

describe('spec "B | Unack-Active | flashing, horn": a restart keeps the horn of unacknowledged active alarms', () => {
  it('a B alarm restored sounds (P2 tone) until silenced; silence stops it and acknowledges nothing', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000);
    expect(h.summary.horn).toEqual({ tone: 2, silenced: false });
    const r = restart(h);
    expect(r.row(LI)).toMatchObject({ state: 'B', audible: true });
    expect(r.summary.horn).toEqual({ tone: 2, silenced: false });
    // "Silence stops the horn and does not acknowledge; a new alarm sounds again."
    r.engine.silence();
    expect(r.row(LI)).toMatchObject({ state: 'B', audible: false });
    expect(r.summary.horn).toEqual({ tone: null, silenced: true });
    r.set('AT-301', 30);
    expect(r.summary.horn.tone).toBe(1);
  });

  it('an acknowledged (C) or latched (E) alarm restored does not sound', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000);
    h.ack(LI);
    h.set('AT-301', 30).set('AT-301', 0); // latched, unacked: not active, no horn
    const r = restart(h);
    expect(r.row(LI)).toMatchObject({ state: 'C', audible: false });
    expect(r.summary.horn).toEqual({ tone: null, silenced: false });
  });
});

describe('spec "G | Suppressed by design | hidden, counted, listed": a restart keeps the suppression', () => {
  it('FI-102 low while P-101 is stopped stays G after a restart, before any data: not on the banner, counted', () => {
    const h = new Harness();
    h.set('P-101', false).set('FI-102', 2).advance(1000);
    expect(h.row(FI)).toMatchObject({ state: 'G' });
    const r = restart(h);
    expect(r.row(FI)).toMatchObject({ state: 'G', suppressed: true, audible: false });
    expect(r.summary).toMatchObject({ unacked: [0, 0, 0, 0], suppressed: 1 });
    // Fresh data: the pump still stopped, the flow still low: still G, nothing annunciated.
    r.set('P-101', false).set('FI-102', 2);
    expect(r.row(FI)).toMatchObject({ state: 'G', suspect: false });
    expect(r.events(FI)).toEqual([]);
  });

  it('a suppression kept for an alarm whose rule the config no longer has is not restored: nothing could lift it', () => {
    const h = new Harness();
    h.set('P-101', false).set('FI-102', 2).advance(1000);
    const kept = JSON.parse(JSON.stringify(h.engine.takeChanges().persist)) as PersistedAlarm[];
    const config = { ...h.config, tags: h.config.tags.map((t) => (t.name === 'FI-102' && t.alarms ? { ...t, alarms: { ...t.alarms, suppressWhen: undefined } } : t)) };
    const r = new Harness(config);
    r.engine.restore(kept);
    expect(r.row(FI)).toMatchObject({ state: 'B', suppressed: false });
  });

  it('a state kept by an older version (no suppressed flag) still loads', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000);
    const kept = h.engine.takeChanges().persist.map((p) => {
      const { suppressed: _s, journalOpen: _j, serverCondition: _c, ...old } = p;
      return old as PersistedAlarm;
    });
    const r = new Harness();
    r.engine.restore(kept);
    expect(r.row(LI)).toMatchObject({ state: 'B', suppressed: false, suspect: true });
  });
});

describe('spec: loss of communication "marks that source\'s alarms as suspect until data returns" — the COMM alarm itself is not suspect', () => {
  it('a COMM alarm restored after a restart is fresh again once the server state is known', () => {
    const h = new Harness();
    h.engine.serverState('sim', false);
    const r = restart(h);
    r.engine.serverState('sim', true);
    expect(r.row('comm/sim')).toMatchObject({ state: 'D', suspect: false });
    expect(r.summary.suspect).toBe(0);
    r.ack('comm/sim');
    r.engine.serverState('sim', false);
    expect(r.row('comm/sim')).toMatchObject({ state: 'B', suspect: false });
  });
});

describe('OPC UA A&C conditions across a restart: the ConditionRefresh does not raise them again', () => {
  const esd: ServerCondition = {
    id: 'server/sim/nsu=urn:vigil:simulator;s=Area1.ESD.TripAlarm', server: 'sim', source: 'ESD', area: 'A1', message: 'ESD tripped', priority: 1,
    active: true, acked: false, confirmed: true, suppressed: false, retain: true, value: null, time: 0, user: null, comment: null,
  };

  it('an active, acknowledged condition is listed again before the server answers, and the refresh journals nothing', () => {
    const h = new Harness();
    h.engine.serverCondition({ ...esd, time: h.t });
    h.engine.serverCondition({ ...esd, time: h.t, acked: true, confirmed: false });
    const before = h.engine.takeJournal();
    expect(before.map((j) => j.event)).toEqual(['activated', 'acknowledged']);
    const r = restart(h);
    expect(r.row(esd.id)).toMatchObject({ state: 'C', source: 'server', tag: 'ESD', priority: 1, message: 'ESD tripped', suspect: true, flags: { confirmed: false } });
    r.t += 60_000;
    r.engine.serverCondition({ ...esd, time: h.t, acked: true, confirmed: false }); // the ConditionRefresh
    const refresh = r.engine.takeJournal();
    expect(refresh).toEqual([]);
    expect(r.row(esd.id)).toMatchObject({ state: 'C', suspect: false });
    // KPI over both runs: one activation, one annunciation.
    const lines = [...before, ...refresh].map((j) => ({ t: j.t, alarmId: j.alarmId, tag: j.tag, condition: j.condition, event: j.event, state: j.state, priority: j.priority }));
    const kpi = computeKpi(h.t - 1000, r.t + 1000, lines, [], kpiSettings);
    expect(kpi.annunciations).toBe(1);
    // The server no longer has it (a refresh that omits it): it ends, once.
    r.engine.serverCondition({ ...esd, time: r.t, active: false, acked: true, confirmed: false, retain: false });
    expect(r.engine.takeJournal().map((j) => j.event)).toEqual(['cleared']);
    expect(r.row(esd.id)).toBeUndefined();
  });

  it('a condition of a server no longer configured is not listed again', () => {
    const h = new Harness();
    h.engine.serverCondition({ ...esd, time: h.t });
    const kept = h.engine.takeChanges().persist;
    const e = new AlarmEngine(h.clock, []);
    e.restore(kept);
    expect(e.rows()).toEqual([]);
  });

  it('an unacknowledged condition restored sounds, as the station\'s own B alarms do', () => {
    const h = new Harness();
    h.engine.serverCondition({ ...esd, time: h.t });
    const r = restart(h);
    expect(r.row(esd.id)).toMatchObject({ state: 'B', audible: true });
    expect(r.summary.horn.tone).toBe(1);
  });
});
