/**
 * Level arithmetic at its edges (levels.ts): the deadband holds only a level
 * already reached, the most urgent condition wherever it is written, discrete
 * states that are numbers, and no move is no rise. Literals by hand, with the
 * acceptance fixture's LI-101 limits (HH 90, H 80, L 15, LL 5, deadband 2).
 */
import { describe, expect, it } from 'vitest';
import { firstSpec, isRise, limitLevel, stateMatches, thresholdsOf } from './levels.js';
import { spec } from './fixtures/rig.js';

const t = thresholdsOf({ kind: 'limit', hh: spec('HH', 90, 1), h: spec('H', 80, 2), l: spec('L', 15, 3), ll: spec('LL', 5, 1) }, NaN);

describe('limitLevel: the deadband applies to leaving a level, never to reaching one', () => {
  it('89 (inside HH\'s deadband) is HH only for an alarm already at HH; from H it stays H', () => {
    expect([limitLevel(89, 2, t, 2), limitLevel(89, 1, t, 2), limitLevel(89, 0, t, 2)]).toEqual([2, 1, 1]);
  });

  it('6 (inside LL\'s deadband) is LL only for an alarm already at LL; from L or normal it is L', () => {
    expect([limitLevel(6, -2, t, 2), limitLevel(6, -1, t, 2), limitLevel(6, 0, t, 2)]).toEqual([-2, -1, -1]);
  });
});

describe('firstSpec: what a normal row shows is the most urgent condition, wherever it is written', () => {
  it('with HH at P3, H at P2 and L at P1, it is L', () => {
    expect(firstSpec({ kind: 'limit', hh: spec('HH', 90, 3), h: spec('H', 80, 2), l: spec('L', 15, 1), ll: null }).condition).toBe('L');
  });
});

describe('stateMatches: multi-state values and 0/1 for Booleans', () => {
  it('a numeric state matches the same number (a multi-state valve position 2), text the same text', () => {
    expect([stateMatches(2, 2), stateMatches(0, 0), stateMatches(3, 2), stateMatches('RUN', 'RUN'), stateMatches('RUN', 'STOP')]).toEqual([true, true, false, true, false]);
  });

  it('a Boolean value against a 0/1 state: true is 1, false is 0', () => {
    expect([stateMatches(true, 0), stateMatches(false, 1), stateMatches(true, 1), stateMatches(false, 0)]).toEqual([false, false, true, true]);
  });
});

describe('isRise', () => {
  it('staying at a level is no move, so no rise', () => {
    expect([isRise(1, 1), isRise(2, 2), isRise(-1, -1), isRise(-2, -2)]).toEqual([false, false, false, false]);
  });
});
