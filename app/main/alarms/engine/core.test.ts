/**
 * The engine beyond the acceptance cases: deviation from a setpoint tag, rate
 * of change, bad quality, uncertain values, delays that restart or carry on,
 * de-escalation, redefinition, restore, the change hand-off and the refusals.
 * Definitions are written out here; expectations are literals.
 */
import { describe, expect, it } from 'vitest';
import { Rig, T0, def, limit, spec } from './fixtures/rig.js';
import { refusalOf as refusal } from './testing.js';


describe('delays', () => {
  it('a rise past HH during the on-delay: H after 5 s above H, HH after 5 s above HH; a move down restarts it', () => {
    // The spec's on-delay applies to each activation: above 80 since 0 s, above 90 since 3 s (the
    // old expectation, HH at 5 s, annunciated HH after 2 s above 90).
    const r = new Rig([limit('X', 'x', { onDelayMs: 5000 })]);
    r.set('x', 85).advance(3000).set('x', 95).advance(2000);
    expect(r.row('X')).toMatchObject({ condition: 'H', state: 'B', activatedAt: T0 + 5000 });
    r.advance(2900);
    expect(r.row('X')!.condition).toBe('H');
    r.advance(100);
    expect(r.row('X')).toMatchObject({ condition: 'HH', state: 'B', activatedAt: T0 + 5000 });
    const s = new Rig([limit('X', 'x', { onDelayMs: 5000 })]);
    s.set('x', 85).advance(3000).set('x', 50).advance(100).set('x', 85).advance(4900);
    expect(s.row('X')).toBeUndefined();
    s.advance(100);
    expect(s.row('X')!.state).toBe('B');
  });

  it('HH back to H de-escalates after the off-delay without annunciating; a jump from H to L annunciates', () => {
    const r = new Rig([limit('X', 'x', { offDelayMs: 2000, deadband: 1 })]);
    r.set('x', 95);
    r.engine.acknowledge(['X'], [r.row('X')!.revision], 'op', null);
    r.events();
    r.set('x', 85).advance(1900);
    expect(r.row('X')!.condition).toBe('HH');
    r.advance(100);
    expect(r.row('X')).toMatchObject({ condition: 'H', priority: 2, state: 'C', audible: false });
    expect(r.events()).toEqual(['X limitChanged C H']);
    r.set('x', 5);
    expect(r.row('X')).toMatchObject({ condition: 'LL', state: 'B', audible: true });
    expect(r.events()).toEqual(['X escalated B LL']);
  });
});

describe('deviation, rate of change, state, quality', () => {
  it('deviation follows its setpoint tag; a bad setpoint makes it suspect', () => {
    const dev = def('D', 'pv', { kind: 'deviation', setpoint: null, setpointTag: 'sp', high: spec('DEVH', 5, 2), low: spec('DEVL', 5, 3) });
    const r = new Rig([dev]);
    r.set('pv', 30);
    expect(r.engine.get('D')!.suspect).toBe(true);
    r.set('sp', 20);
    expect(r.row('D')).toMatchObject({ condition: 'DEVH', state: 'B', limit: 5 });
    r.set('sp', 28).advance(100);
    expect(r.row('D')!.state).toBe('D');
    r.set('pv', 22);
    expect(r.row('D')!.condition).toBe('DEVL');
    r.set('sp', null, 0x808c0000);
    expect(r.row('D')!.suspect).toBe(true);
  });

  it('a fixed setpoint needs no other tag', () => {
    const r = new Rig([def('D', 'pv', { kind: 'deviation', setpoint: 20, setpointTag: null, high: spec('DEVH', 2, 3), low: null })]);
    r.set('pv', 21.9);
    expect(r.row('D')).toBeUndefined();
    r.set('pv', 22);
    expect(r.row('D')!.condition).toBe('DEVH');
  });

  it('rate of change is measured over its window from source times, per minute, in its direction', () => {
    const roc = (direction: 'rising' | 'falling' | 'both') => def('R', 'x', { kind: 'rateOfChange', spec: spec('ROC', 3, 3), direction, windowMs: 60_000 });
    const r = new Rig([roc('rising')]);
    r.set('x', 10, 0, T0).set('x', 40, 0, T0 + 30_000);
    expect(r.row('R')).toBeUndefined(); // window not complete
    r.set('x', 12.9, 0, T0 + 60_000);
    expect(r.row('R')).toBeUndefined(); // 2.9 per minute
    r.set('x', 16, 0, T0 + 120_000);
    expect(r.row('R')).toMatchObject({ condition: 'ROC', state: 'B' }); // 3.1 per minute
    const f = new Rig([roc('falling')]);
    f.set('x', 50, 0, T0).set('x', 100, 0, T0 + 60_000);
    expect(f.row('R')).toBeUndefined();
    f.set('x', 96, 0, T0 + 120_000);
    expect(f.row('R')!.state).toBe('B');
    const b = new Rig([roc('both')]);
    b.set('x', 50, 0, T0).set('x', 47, 0, T0 + 60_000);
    expect(b.row('R')!.state).toBe('B');
    // A gap in the data (lost communication) restarts the window.
    b.set('x', null, 0x80310000, T0 + 70_000).set('x', 80, 0, T0 + 130_000);
    expect(b.engine.get('R')!.desired).toBe(-1);
  });

  it('state alarms compare the discrete value; bad quality alarms on bad status but not on lost communication', () => {
    const r = new Rig([def('S', 'sw', { kind: 'state', when: true, spec: spec('STATE', null, 1) }), def('Q', 'sw', { kind: 'quality', spec: spec('BAD', null, 3) })]);
    r.set('sw', false);
    expect(r.engine.rows()).toEqual([]);
    r.set('sw', 1);
    expect(r.row('S')!.state).toBe('B');
    r.set('sw', null, 0x80310000);
    expect(r.row('Q')).toBeUndefined();
    expect(r.engine.get('Q')!.suspect).toBe(true);
    r.set('sw', null, 0x808c0000);
    // Its state is sure (the bad status is the news), its value is not: the row flags it (README, Alarms).
    expect(r.engine.get('Q')!.suspect).toBe(false);
    expect(r.row('Q')).toMatchObject({ condition: 'BAD', state: 'B', suspect: true });
    expect(r.row('S')).toMatchObject({ state: 'B', suspect: true });
  });

  it('an uncertain value is evaluated and marked suspect; a good one clears that', () => {
    const r = new Rig([limit('X', 'x')]);
    r.set('x', 85, 0x40940000);
    expect(r.row('X')).toMatchObject({ state: 'B', suspect: true });
    r.set('x', 85, 0);
    expect(r.row('X')!.suspect).toBe(false);
  });

  it('a text or missing value leaves a limit alarm where it is', () => {
    const r = new Rig([limit('X', 'x')]);
    r.set('x', 85).set('x', 'n/a').set('x', null);
    expect(r.row('X')).toMatchObject({ state: 'B', condition: 'H' });
    r.set('x', 50);
    expect(r.row('X')!.state).toBe('D');
  });
});

describe('suppression rules', () => {
  // A rule's tag without a fresh good value neither lifts nor imposes the suppression: the next good value decides.
  it('below / above / equals on other tags; a rule on an unseen tag does not suppress, one on a bad tag keeps what was', () => {
    const r = new Rig([limit('X', 'x', { suppress: [{ tag: 'p', test: { below: 1 } }, { tag: 'q', test: { above: 5 } }, { tag: 'm', test: { equals: 'OFF' } }] })]);
    r.set('x', 85);
    expect(r.row('X')!.state).toBe('B');
    r.set('p', 0.5);
    expect(r.row('X')).toMatchObject({ state: 'G', suppressed: true });
    r.set('p', 0.5, 0x808c0000);
    expect(r.row('X')!.state).toBe('G');
    r.set('q', 0).set('m', 'ON').set('p', 2);
    expect(r.row('X')!.state).toBe('B');
    r.set('q', 6);
    expect(r.row('X')!.state).toBe('G');
    r.set('q', 'x').set('m', 'OFF');
    expect(r.row('X')!.state).toBe('G');
    r.set('m', 'ON');
    expect(r.row('X')!.state).toBe('B');
    expect(r.events()).toContain('X suppressed G H');
  });
});

describe('communication', () => {
  it('a lost server raises its COMM alarm and makes its alarms suspect; a connected one returns it', () => {
    const text = { key: 'alarms.comm.lost', params: { server: 'plc' } };
    const comm = def('comm/plc', '', { kind: 'communication', spec: { ...spec('COMM', null, 1), text } }, { tag: null, kind: 'communication' });
    const r = new Rig([comm, limit('X', 'x')]);
    r.set('x', 50);
    r.engine.takeJournal();
    r.engine.serverState('plc', false);
    expect(r.row('comm/plc')).toMatchObject({ state: 'B', priority: 1 });
    // The journal keeps the key, so a console in another language says it in its own words.
    expect(r.engine.takeJournal().map((l) => [l.alarmId, l.event, l.text])).toEqual([['comm/plc', 'activated', text]]);
    expect(r.engine.get('X')!.suspect).toBe(true);
    r.engine.serverState('other', false);
    r.engine.serverState('plc', true);
    expect(r.row('comm/plc')!.state).toBe('D');
    expect(r.engine.summary().unacked).toEqual([1, 0, 0, 0]);
  });
});

describe('definitions, restore, hand-off', () => {
  it('a redefined alarm keeps its state and is re-evaluated at once; a removed one leaves the list', () => {
    const r = new Rig([limit('X', 'x'), limit('Y', 'y')]);
    r.set('x', 75).set('y', 85);
    r.engine.takeChanges();
    const lower = def('X', 'x', { kind: 'limit', hh: null, h: spec('H', 70, 3), l: null, ll: null });
    r.engine.define([lower]);
    expect(r.row('X')).toMatchObject({ state: 'B', priority: 3, limit: 70 });
    const ch = r.engine.takeChanges();
    expect(ch.removed).toEqual(['Y']);
    expect(ch.rows.map((x) => x.id)).toEqual(['X']);
    expect(r.engine.get('Y')).toBeUndefined();
  });

  it('hands over rows that changed, ids that left, the states to keep, and values on request', () => {
    const r = new Rig([limit('X', 'x')]);
    r.set('x', 85);
    const first = r.engine.takeChanges();
    expect(first.rows.map((x) => [x.id, x.state])).toEqual([['X', 'B']]);
    expect(first.persist).toMatchObject([{ id: 'X', level: 1, active: true, acked: false, condition: 'H' }]);
    r.set('x', 86);
    expect(r.engine.takeChanges()).toEqual({ rows: [], removed: [], persist: [] });
    r.set('x', 87);
    const values = r.engine.takeChanges(true);
    expect(values.rows.map((x) => x.value)).toEqual([87]);
    expect(values.persist).toEqual([]);
    r.engine.acknowledge(['X'], [r.row('X')!.revision], 'op', null);
    r.set('x', 50);
    expect(r.engine.takeChanges()).toEqual({ rows: [], removed: ['X'], persist: [] });
    expect(r.engine.pendingChanges).toBe(true); // the journal lines are still to be taken
    r.engine.takeJournal();
    expect(r.engine.pendingChanges).toBe(false);
  });

  it('restores kept states as suspect, with timed shelves still running, and ignores unknown ids', () => {
    const r = new Rig([limit('X', 'x', { onDelayMs: 0 })]);
    r.set('x', 95);
    r.engine.shelve('X', { minutes: 10, maxMinutes: 60, reason: 'r', by: 'op' });
    const kept = r.engine.takeChanges().persist;
    const s = new Rig([limit('X', 'x')]);
    s.engine.restore([...kept, { ...kept[0]!, id: 'gone' }]);
    expect(s.row('X')).toMatchObject({ state: 'F', condition: 'HH', suspect: true, flags: { active: true } });
    s.t = T0 + 10 * 60_000;
    s.engine.tick();
    expect(s.row('X')).toMatchObject({ state: 'B', shelve: null });
  });
});

describe('actions', () => {
  it('refuse unknown alarms, wrong states, and keep everything as it was', () => {
    const r = new Rig([limit('X', 'x'), limit('Y', 'y', { shelvable: false })]);
    r.set('x', 85);
    const rev = r.row('X')!.revision;
    expect(refusal(() => r.engine.acknowledge(['X', 'nope'], [rev, 0], 'op', null))).toEqual(['unknownAlarm', { alarm: 'nope' }]);
    expect(r.row('X')!.flags.acked).toBe(false);
    expect(refusal(() => r.engine.unshelve('X', 'op', null))[0]).toBe('notShelved');
    expect(refusal(() => r.engine.returnToService('X', 'op', null))[0]).toBe('notOutOfService');
    expect(refusal(() => r.engine.reset(['X'], 'op', null))[0]).toBe('notLatched');
    r.engine.outOfService('X', 'broken', 'sup');
    expect(refusal(() => r.engine.outOfService('X', 'again', 'sup'))[0]).toBe('alreadyOutOfService');
    expect(refusal(() => r.engine.shelve('X', { minutes: 5, maxMinutes: 60, reason: 'r', by: 'op' }))[0]).toBe('alreadyOutOfService');
    expect(refusal(() => r.engine.shelve('Y', { minutes: null, maxMinutes: 60, reason: 'r', by: 'op' }))[0]).toBe('notShelvable');
    expect(r.engine.acknowledge(['X'], [r.row('X')!.revision], 'op', null)).toEqual(['X']);
    expect(r.engine.acknowledge(['X'], [r.row('X')!.revision], 'op', null)).toEqual([]);
  });

  it('reset is refused while the data is not live', () => {
    const r = new Rig([limit('X', 'x', { latching: true })]);
    r.set('x', 95).set('x', 50);
    r.engine.acknowledge(['X'], [r.row('X')!.revision], 'op', null);
    r.set('x', null, 0x80310000);
    expect(refusal(() => r.engine.reset(['X'], 'op', null))[0]).toBe('suspect');
  });

  it('silence counts what was sounding; the horn takes the most urgent priority', () => {
    const r = new Rig([limit('X', 'x'), limit('Y', 'y')]);
    expect(r.engine.silence()).toBe(0);
    r.set('x', 85).set('y', 5);
    expect(r.engine.summary().horn).toEqual({ tone: 1, silenced: false });
    expect(r.engine.silence()).toBe(2);
    r.set('x', 95);
    expect(r.engine.summary().horn).toEqual({ tone: 1, silenced: true });
    expect(r.engine.rows().filter((x) => x.audible).map((x) => x.id)).toEqual(['X']);
  });

  it('the summary counts each hidden state apart and leaves them out of the banner counts', () => {
    const r = new Rig([limit('A', 'a'), limit('B', 'b'), limit('C', 'c', { latching: true }), limit('D', 'd', { suppress: [{ tag: 'p', test: { equals: false } }] })]);
    r.set('a', 85).set('b', 85).set('c', 85).set('c', 50).set('p', false).set('d', 85);
    r.engine.shelve('A', { minutes: 5, maxMinutes: 60, reason: 'r', by: 'op' });
    r.engine.outOfService('B', 'r', 'sup');
    r.set('a', null, 0x80310000);
    expect(r.engine.summary()).toMatchObject({ unacked: [0, 1, 0, 0], active: [0, 0, 0, 0], shelved: 1, outOfService: 1, suppressed: 1, latched: 1, suspect: 1 });
  });
});

describe('server conditions', () => {
  const cond = { id: 'server/plc/c1', server: 'plc', source: 'ESD', area: 'A', message: 'ESD tripped', priority: 1, active: true, acked: false, confirmed: true, suppressed: false, retain: true, value: null, time: T0, user: null, comment: null };

  it('follow the server: raised, re-armed, acknowledged by someone else, confirmed, dropped', () => {
    const r = new Rig([]);
    r.engine.serverCondition(cond);
    expect(r.row('server/plc/c1')).toMatchObject({ source: 'server', state: 'B', priority: 1, activatedAt: T0, flags: { confirmed: true } });
    r.engine.serverCondition({ ...cond, acked: true, confirmed: false, user: 'scada', comment: 'seen' });
    expect(r.row('server/plc/c1')).toMatchObject({ state: 'C', ackUser: 'scada', ackComment: 'seen', flags: { confirmed: false } });
    r.engine.serverCondition({ ...cond, acked: false, priority: 2, message: 'ESD tripped again' });
    expect(r.row('server/plc/c1')).toMatchObject({ state: 'B', priority: 2, message: 'ESD tripped again', audible: true });
    r.engine.serverCondition({ ...cond, acked: true, confirmed: true, user: null, comment: null });
    expect(r.row('server/plc/c1')!.ackUser).toBe('server');
    r.engine.serverCondition({ ...cond, active: false, acked: true, confirmed: false });
    expect(r.row('server/plc/c1')).toMatchObject({ state: 'A', flags: { confirmed: false } });
    r.engine.serverCondition({ ...cond, active: false, acked: true, confirmed: true, suppressed: true, retain: false });
    expect(r.row('server/plc/c1')).toBeUndefined();
    expect(r.events()).toEqual([
      // The ack's report names priority 1 again, the re-armed one was 2: an escalation, then the ack.
      'server/plc/c1 activated B SERVER', 'server/plc/c1 acknowledged C SERVER', 'server/plc/c1 reannunciated B SERVER', 'server/plc/c1 escalated B SERVER', 'server/plc/c1 acknowledged C SERVER',
      'server/plc/c1 cleared A SERVER', 'server/plc/c1 confirmed A SERVER',
    ]);
    expect(r.engine.serverConditionOf('server/plc/c1')).not.toBeNull();
    expect(r.engine.serverConditionOf('nope')).toBeNull();
  });

  it('an acked activation does not sound; a dropped unacked return stays listed; the listed ones can be handed to a new session', () => {
    const r = new Rig([]);
    r.engine.serverCondition({ ...cond, acked: true });
    expect(r.row('server/plc/c1')).toMatchObject({ state: 'C', audible: false });
    r.engine.serverCondition({ ...cond, id: 'server/plc/c2', confirmed: null });
    expect(r.engine.serverConditions('plc').map((c) => [c.id, c.active, c.acked])).toEqual([['server/plc/c1', true, true], ['server/plc/c2', true, false]]);
    expect(r.engine.serverConditions('other')).toEqual([]);
    r.engine.serverCondition({ ...cond, id: 'server/plc/c2', confirmed: null, active: false, retain: false });
    // Spec: D (RTN-Unack) leaves only by an ack or a new activation, whatever the server forgot.
    expect(r.row('server/plc/c2')).toMatchObject({ state: 'D', flags: { active: false, acked: false } });
    expect(r.engine.ackedAtServer('server/plc/c2')).toBeNull();
    r.engine.acknowledge(['server/plc/c2'], [r.row('server/plc/c2')!.revision], 'op', 'seen');
    expect(r.row('server/plc/c2')).toBeUndefined();
    expect(r.events().filter((e) => e.startsWith('server/plc/c2'))).toEqual(['server/plc/c2 activated B SERVER', 'server/plc/c2 returned D SERVER', 'server/plc/c2 acknowledged A SERVER']);
    // A lost server makes its conditions suspect; the next event clears that.
    r.engine.serverState('plc', false);
    expect(r.row('server/plc/c1')!.suspect).toBe(true);
    r.engine.serverCondition({ ...cond, acked: true });
    expect(r.row('server/plc/c1')!.suspect).toBe(false);
  });
});
