/**
 * The engine core's bookkeeping at its edges (core.ts): what a reload of the
 * definitions may change, what goes to the journal, which rows and ids are
 * handed to the consoles and when, setpoints and suppression rules read from
 * other tags, restored shelves, timers. Expectations are literals, by hand.
 */
import { describe, expect, it } from 'vitest';
import type { ServerCondition } from './engine.js';
import { Bad, def, limit, Rig, spec, T0, Uncertain } from './fixtures/rig.js';

const pump = { suppress: [{ tag: 'p', test: { below: 1 } }] };
const shelveFor = (minutes: number | null) => ({ minutes, maxMinutes: 480, reason: 'maintenance', by: 'op' });
const nothing = { rows: [], removed: [], persist: [] };
const cond: ServerCondition = {
  id: 'server/plc/c1', server: 'plc', source: 'ESD', area: 'A', message: 'ESD tripped', priority: 1, active: true, acked: false,
  confirmed: null, suppressed: false, retain: true, value: null, time: T0, user: null, comment: null,
};
const deviationFromTag = () => def('D', 'pv', { kind: 'deviation', setpoint: null, setpointTag: 'sp', high: spec('DEVH', 5, 2), low: spec('DEVL', 5, 3) });

describe('journal', () => {
  it('an alarm out of service journals being taken out, not the process moves it tracks meanwhile', () => {
    const r = new Rig([limit('X', 'x')]);
    r.engine.outOfService('X', 'sensor work', 'eng');
    r.set('x', 85).set('x', 95).set('x', 50);
    expect(r.events()).toEqual(['X outOfService H HH']);
  });
});

describe('reloading definitions', () => {
  it('the same definitions again change nothing: same revision (a pending ack still goes), nothing handed over, the shelve runs on', () => {
    const r = new Rig([limit('X', 'x')]);
    r.set('x', 85);
    r.engine.shelve('X', shelveFor(10));
    const revision = r.row('X')!.revision;
    r.engine.takeChanges();
    r.events();
    r.engine.define([limit('X', 'x')]);
    expect(r.row('X')!.revision).toBe(revision);
    expect(r.engine.takeChanges()).toEqual(nothing);
    expect(r.events()).toEqual([]);
    r.advance(10 * 60_000);
    expect(r.row('X')!.state).toBe('B');
  });

  it('conditions raised by an OPC UA server stay listed through a reload of the station config', () => {
    const r = new Rig([limit('X', 'x')]);
    r.engine.serverCondition(cond);
    r.engine.define([limit('X', 'x')]);
    expect(r.row('server/plc/c1')).toMatchObject({ state: 'B', source: 'server' });
  });

  it('removing the suppression rule of a suppressed alarm shows it: it does not stay hidden', () => {
    const r = new Rig([limit('X', 'x', pump)]);
    r.set('p', 0.5).set('x', 85);
    expect(r.row('X')!.state).toBe('G');
    r.engine.define([limit('X', 'x')]);
    expect(r.row('X')).toMatchObject({ state: 'B', suppressed: false, audible: true });
  });
});

describe('hand-off to the consoles', () => {
  it('a fresh engine has nothing to hand over', () => {
    const r = new Rig([limit('X', 'x')]);
    expect(r.engine.pendingChanges).toBe(false);
    expect(r.engine.takeChanges()).toEqual(nothing);
  });

  it('a normal alarm whose data turns uncertain is pending, but no id is removed from a list it was never on', () => {
    const r = new Rig([limit('X', 'x')]);
    r.set('x', 50, Uncertain);
    expect(r.engine.takeJournal()).toEqual([]);
    expect(r.engine.pendingChanges).toBe(true);
    expect(r.engine.takeChanges()).toEqual(nothing);
    expect(r.engine.pendingChanges).toBe(false);
  });

  it('removing alarms from the config hands over the ids that were listed, once, and no other', () => {
    const r = new Rig([limit('X', 'x'), limit('Y', 'y')]);
    r.set('x', 85).set('y', 50);
    r.engine.takeChanges();
    r.engine.takeJournal();
    r.engine.define([]);
    expect(r.engine.pendingChanges).toBe(true);
    expect(r.engine.takeChanges()).toEqual({ rows: [], removed: ['X'], persist: [] });
    expect(r.engine.takeChanges()).toEqual(nothing);
  });

  it('value moves wait for the next hand-off with values, are handed once, and never twice in one hand-off', () => {
    const r = new Rig([limit('X', 'x')]);
    r.set('x', 85);
    r.engine.takeChanges(true);
    r.set('x', 86);
    expect(r.engine.takeChanges().rows).toEqual([]); // the 100 ms state flush
    expect(r.engine.takeChanges(true).rows.map((x) => x.value)).toEqual([86]); // the 1 s value flush
    expect(r.engine.takeChanges(true).rows).toEqual([]);
    r.set('x', 50);
    expect(r.engine.takeChanges(true).rows.map((x) => [x.id, x.state, x.value])).toEqual([['X', 'D', 50]]);
  });

  it('silence hands over the rows that stop sounding', () => {
    const r = new Rig([limit('X', 'x'), limit('Y', 'y')]);
    r.set('x', 85).set('y', 85);
    r.ack('Y');
    r.engine.takeChanges();
    expect(r.engine.silence()).toBe(1);
    expect(r.engine.takeChanges().rows.map((x) => [x.id, x.audible])).toEqual([['X', false]]);
  });

  it('a server condition is listed and kept for a restart, with what describes it (the config does not)', () => {
    const r = new Rig([]);
    r.engine.serverCondition(cond);
    const ch = r.engine.takeChanges();
    expect(ch.rows.map((x) => x.id)).toEqual(['server/plc/c1']);
    expect(ch.persist).toMatchObject([
      { id: 'server/plc/c1', active: true, acked: false, serverCondition: { server: 'plc', source: 'ESD', area: 'A', message: 'ESD tripped', priority: 1, confirmed: null } },
    ]);
  });
});

describe('setpoints and suppression rules read from other tags', () => {
  it('a setpoint sample that repeats value and status re-evaluates nothing; a new setpoint does', () => {
    const r = new Rig([deviationFromTag()]);
    r.set('sp', 50).set('pv', 60);
    expect(r.row('D')).toMatchObject({ state: 'B', condition: 'DEVH' });
    r.engine.takeChanges(true);
    r.set('sp', 50);
    expect(r.engine.takeChanges(true).rows).toEqual([]);
    r.set('sp', 52);
    expect(r.engine.takeChanges(true).rows.map((x) => x.id)).toEqual(['D']);
  });

  it('an uncertain, bad or non-numeric setpoint is not used: the deviation holds its state, suspect', () => {
    const r = new Rig([deviationFromTag()]);
    r.set('sp', 50).set('pv', 60);
    r.set('sp', 52, Uncertain);
    expect(r.row('D')).toMatchObject({ state: 'B', suspect: true });
    r.set('sp', 52);
    expect(r.row('D')!.suspect).toBe(false);
    r.set('sp', 58, Bad);
    expect(r.row('D')).toMatchObject({ state: 'B', suspect: true });
    r.set('sp', 52).set('sp', 'AUTO');
    expect(r.row('D')).toMatchObject({ state: 'B', condition: 'DEVH', suspect: true });
  });

  it('a rule tag that moves but keeps the verdict changes nothing: no re-arm, no new revision, no journal line', () => {
    const r = new Rig([limit('X', 'x', pump)]);
    r.set('x', 85).set('p', 5);
    r.events();
    const revision = r.row('X')!.revision;
    r.set('p', 6);
    expect(r.row('X')).toMatchObject({ state: 'B', revision, activatedAt: T0 });
    expect(r.events()).toEqual([]);
    r.set('p', 0.5);
    expect(r.events()).toEqual(['X suppressed G H']);
    const hidden = r.row('X')!.revision;
    r.set('p', 0.3);
    expect(r.row('X')!.revision).toBe(hidden);
    expect(r.events()).toEqual([]);
  });

  it('suppressing and unsuppressing a normal alarm is not journaled (nothing was hidden)', () => {
    const r = new Rig([limit('X', 'x', pump)]);
    r.set('x', 50).set('p', 0.5).set('p', 5);
    expect(r.events()).toEqual([]);
  });

  it('a suppression hides a listed row: the row is handed over as G', () => {
    const r = new Rig([limit('X', 'x', pump)]);
    r.set('x', 85);
    r.engine.takeChanges();
    r.set('p', 0.5);
    expect(r.engine.takeChanges().rows.map((x) => [x.id, x.state])).toEqual([['X', 'G']]);
  });
});

describe('servers, restore, timers', () => {
  it('a server (re)connecting does not make its alarms suspect: only a loss does', () => {
    const r = new Rig([limit('X', 'x')]);
    r.set('x', 85);
    r.engine.serverState('plc', true);
    expect(r.row('X')!.suspect).toBe(false);
  });

  it('a restored one-shot shelve waits for the return to normal (or its limit); a restored unshelved alarm has no shelve to expire', () => {
    const before = new Rig([limit('X', 'x'), limit('Y', 'y')]);
    before.set('x', 85).set('y', 85);
    before.engine.shelve('X', shelveFor(null));
    before.ack('Y');
    const kept = before.engine.takeChanges().persist;
    const after = new Rig([limit('X', 'x'), limit('Y', 'y')]);
    after.engine.restore(kept);
    after.advance(1000);
    expect(after.row('X')).toMatchObject({ state: 'F', shelve: { oneShot: true, until: T0 + 480 * 60_000 } });
    expect(after.row('Y')!.state).toBe('C');
    expect(after.events()).toEqual([]);
  });

  it('hasTimers: a delay running, a timed shelve running, or neither', () => {
    const r = new Rig([limit('X', 'x', { onDelayMs: 5000 }), limit('Y', 'y')]);
    expect(r.engine.hasTimers).toBe(false);
    r.set('x', 85);
    expect(r.engine.hasTimers).toBe(true);
    r.advance(5000);
    expect(r.engine.hasTimers).toBe(false);
    r.engine.shelve('Y', shelveFor(5));
    expect(r.engine.hasTimers).toBe(true);
    r.advance(5 * 60_000);
    expect(r.engine.hasTimers).toBe(false);
    // A one-shot shelve is time-limited too (spec: "time-limited (a configured maximum ...)"): its limit runs.
    // (Of an active alarm: one not active is refused, its return to normal could not end it.)
    r.set('y', 85);
    r.engine.shelve('Y', shelveFor(null));
    expect(r.engine.hasTimers).toBe(true);
    r.engine.unshelve('Y', 'op', null);
    expect(r.engine.hasTimers).toBe(false);
  });
});
