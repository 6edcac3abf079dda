/**
 * A row that returned to normal unacknowledged (state D) still names the
 * condition that raised it (case 7: "RTN" of that HIGH), through an
 * engineer's edit of the definition and through a restart. The most urgent
 * condition (what a plain normal row shows) would tell the operator the
 * wrong limit. Expectations are the fixture's conditions, by hand.
 */
import { describe, expect, it } from 'vitest';
import { def, deviation, limit, Rig, spec } from './fixtures/rig.js';

/** The same limits as fixtures' `limit`, with edited messages (the engineer's change). */
const edited = () => def('X', 'x', { kind: 'limit', hh: spec('HH', 90, 1, 'HH v2'), h: spec('H', 80, 2, 'H v2'), l: spec('L', 20, 3, 'L v2'), ll: spec('LL', 10, 1, 'LL v2') });
const editedDeviation = () => def('D', 'x', { kind: 'deviation', setpoint: 50, setpointTag: null, high: spec('DEVH', 5, 2, 'DEVH v2'), low: spec('DEVL', 5, 3, 'DEVL v2') });

describe('a returned, unacknowledged row keeps its condition', () => {
  it.each([
    [85, 'H', 2],
    [15, 'L', 3],
    [5, 'LL', 1],
  ])('limit: %s crossed %s (P%s); after an edit of the definition the row still says so', (value, condition, priority) => {
    const r = new Rig([limit('X', 'x')]);
    r.set('x', value).set('x', 50);
    expect(r.row('X')).toMatchObject({ state: 'D', condition });
    r.engine.define([edited()]);
    expect(r.row('X')).toMatchObject({ state: 'D', condition, priority, message: `${condition} v2` });
  });

  it('deviation: DEVL returned stays DEVL after an edit (not DEVH, the more urgent one)', () => {
    const r = new Rig([deviation('D', 'x')]);
    r.set('x', 44).set('x', 50);
    expect(r.row('D')).toMatchObject({ state: 'D', condition: 'DEVL' });
    r.engine.define([editedDeviation()]);
    expect(r.row('D')).toMatchObject({ state: 'D', condition: 'DEVL', priority: 3, message: 'DEVL v2' });
  });

  it('limit: a restart restores the returned H row as H (P2), suspect until fresh data', () => {
    const before = new Rig([limit('X', 'x')]);
    before.set('x', 85).set('x', 50);
    const kept = before.engine.takeChanges().persist;
    expect(kept).toMatchObject([{ id: 'X', level: 0, condition: 'H', active: false, acked: false }]);
    const after = new Rig([limit('X', 'x')]);
    after.engine.restore(kept);
    expect(after.row('X')).toMatchObject({ state: 'D', condition: 'H', priority: 2, message: 'H', suspect: true });
  });

  it('deviation: a restart restores the returned DEVL row as DEVL (P3)', () => {
    const before = new Rig([deviation('D', 'x')]);
    before.set('x', 44).set('x', 50);
    const kept = before.engine.takeChanges().persist;
    const after = new Rig([deviation('D', 'x')]);
    after.engine.restore(kept);
    expect(after.row('D')).toMatchObject({ state: 'D', condition: 'DEVL', priority: 3 });
  });
});
