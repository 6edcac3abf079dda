/**
 * Interpolated bounding values (Part 13 §3.1.8) through the Interpolative aggregate (Table 15),
 * one rule per test: the first archived value as a bound, Uncertain values under steps, a Bad
 * value as the last entry, extrapolation with one value or two at one time, Boolean steps.
 * Expectations are Table 15's status rules and values worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { Bad, Good, HistorianInterpolated, UncertainDataSubNormal, UncertainLastUsableValue, codeOf } from '../status.js';
import type { Sample } from '../types.js';
import { computeProcessed } from './index.js';

const T0 = Date.UTC(2026, 0, 1);
const s = (sec: number, value: Sample['value'], status = Good): Sample => ({ t: T0 + sec * 1000, value, status });
/** Interpolative at T0 + sec (a 1 s interval starting there), the data known to T0 + 60 s. */
const at = (data: Sample[], sec: number, config = {}) =>
  computeProcessed(data, T0 + sec * 1000, T0 + sec * 1000 + 1000, 0, 'Interpolative', config, T0 + 60_000)[0]!;
const kind = (status: number) => status & 0x3;

describe('Interpolative (Part 13 Table 15)', () => {
  it('interpolates from the very first archived value: 4 at 0 s and 8 at 10 s give 6 at 5 s, Good', () => {
    const v = at([s(0, 4), s(10, 8)], 5);
    expect([v.value, codeOf(v.status), kind(v.status)]).toEqual([6, Good, HistorianInterpolated]);
  });

  it('a step held from an Uncertain value is Uncertain_DataSubNormal ("Uncertain if Uncertain values are used")', () => {
    const data = [s(0, 5, UncertainLastUsableValue), s(10, 7)];
    const v = at(data, 5, { stepped: true, treatUncertainAsBad: false });
    expect([v.value, codeOf(v.status)]).toEqual([5, UncertainDataSubNormal]);
  });

  it('a Bad last entry after the time is no value to interpolate to: the last Good value is extrapolated, Uncertain', () => {
    // 4 at 0 s, 6 at 2 s, Bad at 8 s: no non-Bad value after 5 s, so 6 is held (stepped extrapolation, the default).
    const v = at([s(0, 4), s(2, 6), s(8, NaN, Bad)], 5);
    expect([v.value, codeOf(v.status), kind(v.status)]).toEqual([6, UncertainDataSubNormal, HistorianInterpolated]);
  });

  it('sloped extrapolation from a single value has no slope: the value is held, Uncertain', () => {
    for (const data of [[s(0, 5)], [s(0, 5), s(2, NaN, Bad)]]) {
      const v = at(data, 5, { useSlopedExtrapolation: true });
      expect([v.value, codeOf(v.status)]).toEqual([5, UncertainDataSubNormal]);
    }
  });

  it('sloped extrapolation after two values at one time has no slope either: the last one is held, Uncertain', () => {
    const v = at([s(0, 4), s(2, 6), s(2, 8)], 5, { useSlopedExtrapolation: true });
    expect([v.value, codeOf(v.status)]).toEqual([8, UncertainDataSubNormal]);
  });

  it('Boolean data steps (Annex A.1.4) even when the tag is not configured stepped', () => {
    const v = at([s(0, true), s(10, false)], 5, { stepped: false });
    expect([v.value, codeOf(v.status)]).toEqual([true, Good]);
  });
});
