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
import { FI, Harness, LI, T0 } from './testing.js';
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

  it('an unacknowledged return its server no longer reports stays D across a restart, acknowledged at the station while the server is away', () => {
    const h = new Harness();
    h.engine.serverCondition({ ...esd, time: h.t });
    h.engine.serverCondition({ ...esd, time: h.t, active: false, retain: false }); // a refresh that omits it
    const r = restart(h);
    expect(r.row(esd.id)).toMatchObject({ state: 'D', flags: { active: false, acked: false } });
    r.engine.takeJournal();
    // No server to send the ack to (not connected since the restart, and it forgot the condition): the
    // station takes the ack (the module routes it by ackedAtServer), spec "D ... ack -> A".
    expect(r.engine.ackedAtServer(esd.id)).toBeNull();
    expect(r.engine.acknowledge([esd.id], [r.row(esd.id)!.revision], 'op1', 'seen')).toEqual([esd.id]);
    expect(r.engine.takeJournal().map((j) => [j.event, j.state, j.user, j.comment])).toEqual([['acknowledged', 'A', 'op1', 'seen']]);
    expect(r.row(esd.id)).toBeUndefined();
  });

  it('an unacknowledged condition restored sounds, as the station\'s own B alarms do', () => {
    const h = new Harness();
    h.engine.serverCondition({ ...esd, time: h.t });
    const r = restart(h);
    expect(r.row(esd.id)).toMatchObject({ state: 'B', audible: true });
    expect(r.summary.horn.tone).toBe(1);
  });
});

describe('spec case 14 across a restart: a timed shelve that ran out while the station was down', () => {
  const minute = 60_000;
  const hour = 60 * minute;

  /** LI-101 at 85 (H 80): B at +5 s, acknowledged (C), shelved 30 min (until +1805 s); the station stops at +6 s. */
  function shelvedAndStopped(): Harness {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000);
    h.ack(LI);
    expect(h.engine.shelve(LI, { minutes: 30, maxMinutes: 480, reason: 'maintenance', by: 'op1' })).toBe(T0 + 1805_000);
    return h.advance(1000);
  }

  /** The states kept at the stop, restored into a new engine `down` ms later. */
  function restartAfter(h: Harness, down: number): Harness {
    const kept = JSON.parse(JSON.stringify(h.engine.takeChanges().persist)) as PersistedAlarm[];
    const r = new Harness(h.config);
    r.t = h.t + down;
    r.engine.restore(kept);
    return r;
  }

  const shelveLines = (r: Harness) => r.journal.filter((j) => j.alarmId === LI).map((j) => ({ event: j.event, t: j.t - T0 }));

  it('after 2 h down: journaled expired at its end (+1805 s), no horn on the kept state; a fresh 50 returns it to A without a horn', () => {
    const r = restartAfter(shelvedAndStopped(), 2 * hour);
    r.advance(100);
    expect(shelveLines(r)).toEqual([{ event: 'shelveExpired', t: 1805_000 }]);
    expect(r.row(LI)).toMatchObject({ state: 'C', shelve: null, suspect: true, audible: false });
    expect(r.summary.horn).toEqual({ tone: null, silenced: false });
    r.advance(3000).set('LI-101', 50);
    expect(r.row(LI)).toMatchObject({ state: 'C', suspect: false, audible: false });
    r.advance(10_000); // off-delay 10 s
    expect(r.state(LI)).toBe('A');
    expect(r.summary.horn).toEqual({ tone: null, silenced: false });
    expect(r.events(LI)).toEqual(['shelveExpired', 'cleared']);
  });

  it('after 2 h down, a fresh 85 (still above H 80): annunciated again, B with the P2 tone', () => {
    const r = restartAfter(shelvedAndStopped(), 2 * hour);
    r.advance(3100);
    expect(r.summary.horn).toEqual({ tone: null, silenced: false });
    r.set('LI-101', 85);
    expect(r.row(LI)).toMatchObject({ state: 'B', suspect: false, audible: true });
    expect(r.summary.horn).toEqual({ tone: 2, silenced: false });
    expect(shelveLines(r)).toEqual([{ event: 'shelveExpired', t: 1805_000 }, { event: 'reannunciated', t: 2 * hour + 6000 + 3100 }]);
  });

  it('a shelve running out after the restart, before fresh data: no horn until a fresh value (85: B); the undecided end survives another restart', () => {
    const r = restartAfter(shelvedAndStopped(), 10 * minute);
    r.advance(1805_000 - (r.t - T0) + 100); // past its end, no data yet (the server not connected)
    expect(shelveLines(r)).toEqual([{ event: 'shelveExpired', t: 1805_000 }]);
    expect(r.row(LI)).toMatchObject({ state: 'C', shelve: null, suspect: true, audible: false });
    expect(r.summary.horn.tone).toBeNull();
    const again = restartAfter(r, hour);
    again.advance(100);
    expect(again.summary.horn.tone).toBeNull();
    again.set('LI-101', 85);
    expect(again.row(LI)).toMatchObject({ state: 'B', audible: true });
    expect(again.summary.horn).toEqual({ tone: 2, silenced: false });
  });

  it('an alarm raised on uncertain data is not held: its shelve running out annunciates at once, as case 14 says (still 85: B)', () => {
    const Uncertain = 0x40000000;
    const h = new Harness();
    h.set('LI-101', 85, Uncertain).advance(5000);
    h.ack(LI);
    h.engine.shelve(LI, { minutes: 30, maxMinutes: 480, reason: 'maintenance', by: 'op1' });
    h.set('LI-101', 85, Uncertain).advance(30 * minute);
    expect(h.row(LI)).toMatchObject({ state: 'B', audible: true });
    expect(h.events(LI).slice(-2)).toEqual(['shelveExpired', 'reannunciated']);
  });

  it('a data source lost when the shelve runs out: no horn on the lost data; the fresh value decides', () => {
    const h = shelvedAndStopped();
    h.engine.serverState('sim', false);
    h.advance(30 * minute);
    expect(h.events(LI)).toEqual(['activated', 'acknowledged', 'shelved', 'shelveExpired']);
    expect(h.row(LI)).toMatchObject({ state: 'C', suspect: true });
    h.engine.serverState('sim', true);
    h.set('LI-101', 85);
    expect(h.row(LI)).toMatchObject({ state: 'B', suspect: false, audible: true });
  });
});
