/**
 * One alarm's transitions at their edges (alarm.ts): which delay a move
 * keeps or restarts, what an escalation keeps, what a hidden alarm may not
 * do (sound, count toward a flood, be acknowledged behind the operator's
 * back), and leaving shelving, out of service and design suppression.
 * Expectations are worked out by hand from specs/alarms.md.
 */
import { describe, expect, it } from 'vitest';
import { BadNoCommunication, comm, def, limit, refusal, Rig, spec, T0 } from './fixtures/rig.js';

const pump = { suppress: [{ tag: 'p', test: { below: 1 } }] };
const shelveFor = (minutes: number | null) => ({ minutes, maxMinutes: 480, reason: 'maintenance', by: 'op' });

describe('delays: which moves keep the running delay and which restart it', () => {
  it('a pending High that turns Low before its on-delay ends waits a full on-delay for the Low', () => {
    const r = new Rig([limit('X', 'x', { onDelayMs: 5000 })]);
    r.set('x', 85).advance(3000).set('x', 15).advance(2000);
    expect(r.row('X')).toBeUndefined();
    r.advance(2900);
    expect(r.row('X')).toBeUndefined();
    r.advance(100);
    expect(r.row('X')).toMatchObject({ state: 'B', condition: 'L', activatedAt: T0 + 8000 });
  });

  it('an active High whose escalation is pending and that then returns counts its off-delay from the return', () => {
    const r = new Rig([limit('X', 'x', { onDelayMs: 5000, offDelayMs: 10_000 })]);
    r.set('x', 85).advance(5000);
    expect(r.row('X')).toMatchObject({ state: 'B', condition: 'H' });
    r.set('x', 95).advance(3000).set('x', 50).advance(9900);
    expect(r.row('X')).toMatchObject({ condition: 'H', flags: { active: true } });
    r.advance(100);
    expect(r.row('X')).toMatchObject({ state: 'D', returnedAt: T0 + 18_000 });
  });

  // specs/alarms.md, C: "normal beyond deadband for the off-delay -> A": the off-delay runs from the
  // value being normal, not from its leaving HH for H (still abnormal).
  it('a fall from HH through H to normal counts the off-delay from the return to normal', () => {
    const r = new Rig([limit('X', 'x', { offDelayMs: 10_000 })]);
    r.set('x', 95).advance(1000).set('x', 85).advance(3000).set('x', 50).advance(9900);
    expect(r.row('X')).toMatchObject({ condition: 'HH', flags: { active: true } });
    r.advance(100);
    expect(r.row('X')).toMatchObject({ state: 'D', returnedAt: T0 + 14_000 });
  });
});

describe('escalation', () => {
  it('an escalation re-annunciates the row but keeps the time it first became active', () => {
    const r = new Rig([limit('X', 'x')]);
    r.set('x', 85).advance(10_000).set('x', 95);
    expect(r.row('X')).toMatchObject({ condition: 'HH', state: 'B', activatedAt: T0, annunciatedAt: T0 + 10_000 });
  });
});

describe('a latching alarm holds the most severe limit it reached until reset', () => {
  // HH 90 (P1), H 80 (P2): the row that reached HH must not slide down to H before a reset.
  it('back between H and HH the row stays HH; back to normal it latches as HH; reset ends it', () => {
    const r = new Rig([limit('X', 'x', { latching: true })]);
    r.set('x', 95);
    r.ack('X');
    r.events();
    r.set('x', 85).advance(1000);
    expect(r.row('X')).toMatchObject({ state: 'C', condition: 'HH', priority: 1, flags: { active: true, acked: true } });
    expect(r.events()).toEqual([]);
    r.set('x', 50).advance(1000);
    expect(r.row('X')).toMatchObject({ state: 'E', condition: 'HH', priority: 1, latched: true });
    expect(r.events()).toEqual(['X latched E HH']);
    expect(r.engine.reset(['X'], 'op', null)).toEqual(['X']);
    expect(r.row('X')).toBeUndefined();
  });

  it('up through HH again from the held row: nothing new to annunciate', () => {
    const r = new Rig([limit('X', 'x', { latching: true })]);
    r.set('x', 95);
    r.ack('X');
    r.events();
    r.set('x', 85).advance(1000).set('x', 96).advance(1000);
    expect(r.row('X')).toMatchObject({ state: 'C', condition: 'HH', flags: { acked: true } });
    expect(r.events()).toEqual([]);
  });

  it('latched at HH, the value comes back at H: annunciated again, as HH', () => {
    const r = new Rig([limit('X', 'x', { latching: true })]);
    r.set('x', 95);
    r.ack('X');
    r.set('x', 50).advance(1000).set('x', 85).advance(1000);
    expect(r.row('X')).toMatchObject({ state: 'B', condition: 'HH', priority: 1, latched: true, flags: { active: true, acked: false } });
  });

  it('the held limit survives a restart', () => {
    const before = new Rig([limit('X', 'x', { latching: true })]);
    before.set('x', 95).set('x', 85).advance(1000);
    before.ack('X'); // saved at level H, its row HH
    const kept = before.engine.takeChanges().persist;
    expect(kept).toMatchObject([{ id: 'X', level: 1, condition: 'HH' }]);
    const after = new Rig([limit('X', 'x', { latching: true })]);
    after.engine.restore(kept);
    after.set('x', 85).advance(1000);
    expect(after.row('X')).toMatchObject({ state: 'C', condition: 'HH', priority: 1 });
  });

  it('an edit of the definition by an engineer keeps the held limit, with its new text', () => {
    const r = new Rig([limit('X', 'x', { latching: true })]);
    r.set('x', 95).set('x', 85).advance(1000);
    const edited = def('X', 'x', { kind: 'limit', hh: spec('HH', 90, 1, 'Tank high-high: close XV-1'), h: spec('H', 80, 2), l: null, ll: null }, { latching: true });
    r.engine.define([edited]);
    expect(r.row('X')).toMatchObject({ condition: 'HH', priority: 1, message: 'Tank high-high: close XV-1' });
  });

  it('a row that is not latching follows the value down (H), as before', () => {
    const r = new Rig([limit('X', 'x')]);
    r.set('x', 95);
    r.ack('X');
    r.events();
    r.set('x', 85).advance(1000);
    expect(r.row('X')).toMatchObject({ state: 'C', condition: 'H', priority: 2 });
    expect(r.events()).toEqual(['X limitChanged C H']);
  });
});

describe('hidden alarms', () => {
  it('an alarm activating while shelved does not sound, is not silenced, and does not count toward a flood', () => {
    const r = new Rig([limit('X', 'x')]);
    r.engine.shelve('X', shelveFor(30));
    r.set('x', 85);
    expect(r.row('X')).toMatchObject({ state: 'F', audible: false, flags: { active: true, acked: false } });
    expect(r.engine.silence()).toBe(0);
    expect(r.engine.summary().flood.count).toBe(0);
  });

  it('a one-shot shelve ended by the return to normal is journaled without a user and says why', () => {
    const r = new Rig([limit('X', 'x')]);
    r.set('x', 85);
    r.engine.shelve('X', shelveFor(null));
    r.engine.takeJournal();
    r.set('x', 50);
    const line = r.engine.takeJournal().find((j) => j.event === 'unshelved');
    expect(line).toMatchObject({ alarmId: 'X', user: null, comment: expect.stringContaining('returned to normal') });
  });

  // Spec row 14: "if normal at expiry -> A". The journal line of the leaving said D ("RTN unack")
  // while the alarm was already normal and off the lists.
  it.each(['unshelve', 'expiry', 'return to service'] as const)('an alarm that returned to normal while hidden leaves by %s as A, and its journal line says A', (how) => {
    const r = new Rig([limit('X', 'x')]);
    r.set('x', 85); // B: active, unacknowledged
    if (how === 'return to service') r.engine.outOfService('X', 'repair', 'sup');
    else r.engine.shelve('X', shelveFor(30));
    r.set('x', 50); // back to normal, still unacknowledged, while hidden
    r.engine.takeJournal();
    if (how === 'unshelve') r.engine.unshelve('X', 'op', null);
    else if (how === 'expiry') r.advance(31 * 60_000);
    else r.engine.returnToService('X', 'eng', null);
    const event = how === 'unshelve' ? 'unshelved' : how === 'expiry' ? 'shelveExpired' : 'returnedToService';
    expect(r.engine.takeJournal().filter((j) => j.alarmId === 'X').map((j) => [j.event, j.state])).toEqual([[event, 'A']]);
    expect(r.row('X')).toBeUndefined();
  });

  it('the COMM alarm of a lost server is not itself suspect: it is the station\'s own knowledge', () => {
    const r = new Rig([comm('plc'), limit('X', 'x')]);
    r.set('x', 50);
    r.engine.serverState('plc', false);
    expect(r.row('comm/plc')).toMatchObject({ state: 'B', suspect: false });
    expect(r.engine.get('X')!.suspect).toBe(true);
  });
});

describe('leaving shelving or out of service while suppressed by design', () => {
  it('a shelve that expires while the alarm is suppressed shows G and hands the row over, annunciating nothing', () => {
    const r = new Rig([limit('X', 'x', pump)]);
    r.set('x', 85).ack('X');
    r.engine.shelve('X', shelveFor(10));
    r.set('p', 0.5);
    r.events();
    r.engine.takeChanges();
    r.advance(10 * 60_000);
    expect(r.events()).toEqual(['X shelveExpired G H']);
    expect(r.row('X')).toMatchObject({ state: 'G', audible: false, flags: { acked: true } });
    expect(r.engine.takeChanges().rows.map((x) => [x.id, x.state])).toEqual([['X', 'G']]);
  });

  it('a return to service while suppressed shows G and hands the row over', () => {
    const r = new Rig([limit('X', 'x', pump)]);
    r.set('x', 85);
    r.engine.outOfService('X', 'sensor work', 'eng');
    r.set('p', 0.5);
    r.events();
    r.engine.takeChanges();
    r.engine.returnToService('X', 'eng', null);
    expect(r.events()).toEqual(['X returnedToService G H']);
    expect(r.engine.takeChanges().rows.map((x) => [x.id, x.state, x.flags.acked])).toEqual([['X', 'G', false]]);
  });

  it('a latched alarm returned to service still needs its acknowledgement before a reset (case 12)', () => {
    const r = new Rig([limit('X', 'x', { latching: true })]);
    r.set('x', 95).set('x', 50);
    r.engine.outOfService('X', 'detector swap', 'eng');
    r.engine.returnToService('X', 'eng', null);
    expect(r.row('X')).toMatchObject({ state: 'E', flags: { acked: false, latched: true } });
    expect(refusal(() => r.engine.reset(['X'], 'op', null))).toBe('ackFirst');
  });
});

describe('leaving design suppression (case 17): the condition passes its on-delay like a new one', () => {
  it('an active alarm is not listed during the on-delay after the suppression clears, then annunciates as new', () => {
    const r = new Rig([limit('X', 'x', { onDelayMs: 5000, ...pump })]);
    r.set('p', 0.5).set('x', 85).advance(5000);
    expect(r.row('X')!.state).toBe('G');
    r.events();
    r.set('p', 5);
    expect(r.row('X')).toBeUndefined();
    r.advance(4900);
    expect(r.row('X')).toBeUndefined();
    r.advance(100);
    expect(r.row('X')).toMatchObject({ state: 'B', activatedAt: T0 + 10_000, audible: true });
    // The activation expected under suppression ends with it (journaled, so the KPI sees it end).
    expect(r.events()).toEqual(['X cleared A H', 'X unsuppressed A H', 'X activated B H']);
  });

  it('a rise still in its on-delay when the suppression clears starts the on-delay again', () => {
    const r = new Rig([limit('X', 'x', { onDelayMs: 5000, ...pump })]);
    r.set('p', 0.5).set('x', 85).advance(3000).set('p', 5).advance(2000);
    expect(r.row('X')).toBeUndefined();
    r.advance(3000);
    expect(r.row('X')).toMatchObject({ state: 'B', activatedAt: T0 + 8000 });
  });

  it('an off-delay pending under suppression is dropped with the re-arm: no timer is left behind', () => {
    const r = new Rig([limit('X', 'x', { offDelayMs: 10_000, ...pump })]);
    r.set('x', 85).set('p', 0.5).set('x', 50);
    expect(r.engine.hasTimers).toBe(true);
    r.set('p', 5);
    expect(r.row('X')).toBeUndefined();
    expect(r.engine.hasTimers).toBe(false);
  });

  it('without an on-delay, an alarm still active when the suppression clears annunciates once, as a new activation', () => {
    const r = new Rig([limit('X', 'x', pump)]);
    r.set('p', 0.5).set('x', 85);
    r.events();
    r.set('p', 5);
    expect(r.row('X')).toMatchObject({ state: 'B', audible: true });
    expect(r.events().filter((e) => / (activated|reannunciated) /.test(e))).toEqual(['X activated B H']);
  });

  it('a returned, unacknowledged (D) alarm that leaves suppression normal is simply normal: its return needs no ack', () => {
    const r = new Rig([limit('X', 'x', pump)]);
    r.set('x', 85).set('x', 50).set('p', 0.5);
    expect(r.row('X')!.state).toBe('G');
    r.set('p', 5);
    expect(r.row('X')).toBeUndefined();
  });

  it('a latched, unacknowledged alarm stays unacknowledged when the suppression clears', () => {
    const r = new Rig([limit('X', 'x', { latching: true, ...pump })]);
    r.set('x', 95).set('x', 50).set('p', 0.5);
    expect(r.row('X')!.state).toBe('G');
    r.set('p', 5);
    expect(r.row('X')).toMatchObject({ state: 'E', flags: { acked: false } });
  });

  it('while shelved, the process part is re-armed all the same (it follows the truth); the row is handed over', () => {
    const r = new Rig([limit('X', 'x', { onDelayMs: 5000, ...pump })]);
    r.set('p', 0.5).set('x', 85).advance(5000);
    r.engine.shelve('X', shelveFor(1));
    r.engine.takeChanges();
    r.set('p', 5);
    expect(r.engine.takeChanges().rows).toMatchObject([{ id: 'X', state: 'F', suppressed: false, flags: { active: false } }]);
    r.advance(5000);
    expect(r.row('X')).toMatchObject({ state: 'F', activatedAt: T0 + 10_000, flags: { active: true } });
    r.advance(55_000);
    expect(r.row('X')).toMatchObject({ state: 'B', audible: true });
  });

  it('data lost in the middle of an on-delay restarts it when good data returns', () => {
    const r = new Rig([limit('X', 'x', { onDelayMs: 5000 })]);
    r.set('x', 85).advance(2000).set('x', null, BadNoCommunication).advance(1000).set('x', 85).advance(2000);
    expect(r.row('X')).toBeUndefined();
    r.advance(3000);
    expect(r.row('X')).toMatchObject({ state: 'B', activatedAt: T0 + 8000 });
  });
});
