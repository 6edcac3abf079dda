import { describe, expect, it } from 'vitest';
import { tickDecimals } from './scales.js';

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
