import { describe, expect, it } from 'vitest';
import { stateRange, stateSplits, tickDecimals } from './scales.js';
import { Kind, Trace } from './trace.js';

describe('tickDecimals: the value axis shows as many decimals as its step needs', () => {
  it('takes them from the step\'s significant digits, not its magnitude', () => {
    const cases: [number, number][] = [
      [2.5, 1],
      [0.25, 2],
      [0.05, 2],
      [0.5, 1],
      [0.2, 1],
      [0.1, 1],
      [1e-4, 4],
      [2.5e-4, 5],
      [0.125, 3],
      [1, 0],
      [5, 0],
      [20, 0],
      [250, 0],
      [25_000, 0],
    ];
    for (const [step, decimals] of cases) expect(tickDecimals(step), String(step)).toBe(decimals);
  });

  it('ignores floating-point noise in the step (0.1 + 0.2)', () => {
    expect(tickDecimals(0.1 + 0.2)).toBe(1);
    expect(tickDecimals(2.5000000000000004)).toBe(1);
    expect(tickDecimals(0.049999999999999996)).toBe(2);
  });

  it('gives 0 for a step that is not a positive number', () => {
    for (const bad of [0, -1, NaN, Infinity]) expect(tickDecimals(bad), String(bad)).toBe(0);
  });
});

describe('the state axis of discrete pens', () => {
  const pen = (points: [number, number, Kind][]) => {
    const trace = new Trace(true);
    for (const [t, v, k] of points) trace.push(t, v, k, k === Kind.Bad ? 0x80000000 : 0);
    return { trace, liveUntil: -Infinity };
  };

  it('spans 0 and 1 for on/off tags, and every state an enumeration shows in view', () => {
    expect(stateRange([pen([[0, 1, Kind.Good], [10, 0, Kind.Good]])], 0, 10)).toEqual([-0.25, 1.25]);
    const valve = pen([[0, 0, Kind.Good], [10, 2, Kind.Good], [20, 3, Kind.Good], [30, -1, Kind.Good]]);
    expect(stateRange([valve], 0, 40)).toEqual([-1.25, 3.25]);
    // Out of view: a state before the one held at the view's start, or after the first one past its end.
    expect(stateRange([valve], 11, 19)).toEqual([-0.25, 3.25]);
    expect(stateRange([pen([])], 0, 10)).toEqual([-0.25, 1.25]);
  });

  it('a bad sample is no state', () => {
    expect(stateRange([pen([[0, 1, Kind.Good], [10, 7, Kind.Bad]])], 0, 20)).toEqual([-0.25, 1.25]);
  });

  it('ticks each state when they are few, else whole steps of 2, 5, 10 ... (at most 9 ticks)', () => {
    expect(stateSplits(-0.25, 1.25)).toEqual([0, 1]);
    expect(stateSplits(-1.25, 3.25)).toEqual([-1, 0, 1, 2, 3]);
    expect(stateSplits(-0.25, 8.25)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(stateSplits(-0.25, 9.25)).toEqual([0, 2, 4, 6, 8]);
    expect(stateSplits(-0.25, 40.25)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40]);
    expect(stateSplits(-3.25, 70.25)).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
    expect(stateSplits(-0.25, 1000.25)).toEqual([0, 200, 400, 600, 800, 1000]);
  });
});
