/** Level arithmetic: limits, deadband edges, deviation thresholds, discrete matching, what counts as a rise. */
import { describe, expect, it } from 'vitest';
import { firstSpec, isRise, limitLevel, specOf, specsOf, stateMatches, thresholdsOf } from './levels.js';
import type { ConditionSpec, Evaluator } from './types.js';
import { FloodWindow } from './flood.js';
import { isCommStatus } from './status.js';
import { priorityOfSeverity } from './server-condition.js';

const spec = (condition: ConditionSpec['condition'], limit: number | null, priority: number): ConditionSpec => ({ condition, limit, priority, message: condition, rationalization: null });
const limits: Evaluator = { kind: 'limit', hh: spec('HH', 90, 1), h: spec('H', 80, 2), l: spec('L', 15, 3), ll: spec('LL', 5, 1) };
const t = thresholdsOf(limits, NaN);

describe('limitLevel', () => {
  it('activates at the limit itself, on both sides', () => {
    expect([limitLevel(80, 0, t, 2), limitLevel(79.99, 0, t, 2), limitLevel(90, 0, t, 2), limitLevel(15, 0, t, 2), limitLevel(15.01, 0, t, 2), limitLevel(5, 0, t, 2)]).toEqual([1, 0, 2, -1, 0, -2]);
  });

  it('holds a level until the value is back by more than the deadband', () => {
    expect([limitLevel(78.01, 1, t, 2), limitLevel(78, 1, t, 2), limitLevel(16.99, -1, t, 2), limitLevel(17, -1, t, 2)]).toEqual([1, 0, -1, 0]);
    // From HH: inside HH's deadband stays HH; below it but above H is H.
    expect([limitLevel(88.5, 2, t, 2), limitLevel(88, 2, t, 2), limitLevel(6.5, -2, t, 2), limitLevel(7, -2, t, 2)]).toEqual([2, 1, -2, -1]);
  });

  it('missing limits never fire', () => {
    const onlyH = thresholdsOf({ kind: 'limit', hh: null, h: spec('H', 50, 3), l: null, ll: null }, NaN);
    expect([limitLevel(1e9, 0, onlyH, 0), limitLevel(-1e9, 0, onlyH, 0), limitLevel(49, 2, onlyH, 0)]).toEqual([1, 0, 0]);
  });
});

describe('thresholds and specs', () => {
  it('deviation limits sit either side of the setpoint', () => {
    const dev: Evaluator = { kind: 'deviation', setpoint: null, setpointTag: 'SP', high: spec('DEVH', 5, 2), low: spec('DEVL', 3, 3) };
    expect(thresholdsOf(dev, 20)).toEqual({ hh: NaN, h: 25, l: 17, ll: NaN });
    expect([specOf(dev, 1)?.condition, specOf(dev, -1)?.condition, specOf(dev, 0)]).toEqual(['DEVH', 'DEVL', null]);
    expect(specsOf(dev).map((s) => s.condition)).toEqual(['DEVH', 'DEVL']);
  });

  it('a limit alarm names its condition per level; the most urgent comes first for a normal row', () => {
    expect([2, 1, -1, -2, 0].map((l) => specOf(limits, l)?.condition ?? null)).toEqual(['HH', 'H', 'L', 'LL', null]);
    expect(firstSpec(limits).condition).toBe('HH');
    const state: Evaluator = { kind: 'state', when: true, spec: spec('STATE', null, 1) };
    expect([specOf(state, 1)?.condition, specOf(state, 0)]).toEqual(['STATE', null]);
    expect(thresholdsOf(state, 0)).toEqual({ hh: NaN, h: NaN, l: NaN, ll: NaN });
  });

  it('discrete states tolerate 0/1 for booleans', () => {
    expect([stateMatches(true, true), stateMatches(1, true), stateMatches(0, true), stateMatches(0, false), stateMatches(true, 1), stateMatches(false, 0), stateMatches('TRIP', 'TRIP'), stateMatches(null, false)])
      .toEqual([true, true, false, true, true, true, true, false]);
  });

  it('a rise is an activation, an escalation or a change of side; a fall is not', () => {
    expect([isRise(0, 1), isRise(1, 2), isRise(2, 1), isRise(1, 0), isRise(1, -1), isRise(-1, -2), isRise(-2, -1), isRise(0, 0)]).toEqual([true, true, false, false, true, true, false, false]);
  });
});

describe('flood window', () => {
  it('starts above startAbove, ends below endBelow; an annunciation leaves the window after windowMs', () => {
    const f = new FloodWindow({ windowMs: 600_000, startAbove: 3, endBelow: 2 });
    for (const at of [0, 1, 2]) f.add(at);
    expect(f.active).toBe(false);
    f.add(3);
    expect([f.active, f.since, f.count(3)]).toEqual([true, 3, 4]);
    expect(f.update(600_001)).toBe(false); // 0 and 1 left: 2 remain, not below 2
    expect(f.count(600_001)).toBe(2);
    expect(f.update(600_002)).toBe(true);
    expect([f.active, f.since, f.count(600_002)]).toEqual([false, null, 1]);
  });

  it('keeps counting right after compacting a long history', () => {
    const f = new FloodWindow({ windowMs: 10, startAbove: 100, endBelow: 1 });
    for (let i = 0; i < 5000; i++) f.add(i);
    // (4990, 5000]: 4991..4999.
    expect(f.count(5000)).toBe(9);
    f.add(5001);
    // (4991, 5001]: 4992..4999 and 5001.
    expect(f.count(5001)).toBe(9);
    expect(f.count(5011)).toBe(0);
  });
});

describe('status and severity mapping', () => {
  it('no-data statuses make alarms suspect; a failed sensor does not count as lost communication', () => {
    // Part 4 codes: BadNoCommunication, BadNotConnected, BadWaitingForInitialData, BadCommunicationError, UncertainNoCommunicationLastUsableValue.
    for (const s of [0x80310000, 0x808a0000, 0x80320000, 0x80050000, 0x408f0000, 0x80310400, 0x40900000]) expect(isCommStatus(s), s.toString(16)).toBe(true);
    for (const s of [0, 0x808c0000, 0x80890000, 0x40000000]) expect(isCommStatus(s), s.toString(16)).toBe(false);
  });

  it('OPC UA severity 1..1000 maps to four priorities', () => {
    expect([1000, 801, 800, 601, 600, 401, 400, 1].map(priorityOfSeverity)).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
  });
});
