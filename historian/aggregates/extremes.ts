/**
 * Minimum, Maximum, their ActualTime forms and Range (Part 13 §5.4.3.10-14):
 * extremes of the Good raw values in an interval, no bounds.
 */
import {
  Good, HistorianCalculated, HistorianMultiValue, HistorianRaw, UncertainDataSubNormal, type StatusCode,
} from '../status.js';
import type { HistValue } from '../types.js';
import type { IntervalState } from './intervals.js';
import { noDataValue, partialBit, result } from './result.js';
import { Q_GOOD, Q_UNCERTAIN, lowerBound, requireNumeric, type Series } from './series.js';

interface Extreme {
  /** Index of the oldest Good sample holding the extreme. */
  index: number;
  value: number;
  /** How many Good samples hold it. */
  count: number;
}

interface Extremes {
  min: Extreme;
  max: Extreme;
  /** Some Bad value (Uncertain too when TreatUncertainAsBad) lies in the interval. */
  badSeen: boolean;
  /** Extremes of the Uncertain values that are not Bad (TreatUncertainAsBad false). */
  uncertainMin: number;
  uncertainMax: number;
}

function scan(s: Series, iv: IntervalState): Extremes | null {
  let min: Extreme | null = null;
  let max: Extreme | null = null;
  let badSeen = false;
  let uncertainMin = Infinity;
  let uncertainMax = -Infinity;
  for (let i = lowerBound(s, iv.start); i < s.length && s.t[i] < iv.end; i++) {
    if (s.bad[i]) badSeen = true;
    if (s.q[i] === Q_UNCERTAIN && !s.bad[i]) {
      uncertainMin = Math.min(uncertainMin, s.num[i]);
      uncertainMax = Math.max(uncertainMax, s.num[i]);
    }
    if (s.q[i] !== Q_GOOD) continue;
    const v = s.num[i];
    if (min === null || v < min.value) min = { index: i, value: v, count: 1 };
    else if (v === min.value) min.count++;
    if (max === null || v > max.value) max = { index: i, value: v, count: 1 };
    else if (v === max.value) max.count++;
  }
  if (min === null || max === null) return null;
  return { min, max, badSeen, uncertainMin, uncertainMax };
}

/**
 * Uncertain_DataSubNormal when Bad values were skipped or an Uncertain value
 * lies beyond the Good extreme (the normative text of §5.4.3.10-14; see README
 * for the one Annex A row that disagrees).
 */
function extremeStatus(e: Extremes, side: 'min' | 'max' | 'both'): StatusCode {
  if (e.badSeen) return UncertainDataSubNormal;
  if (side !== 'max' && e.uncertainMin < e.min.value) return UncertainDataSubNormal;
  if (side !== 'min' && e.uncertainMax > e.max.value) return UncertainDataSubNormal;
  return Good;
}

function extreme(s: Series, iv: IntervalState, side: 'min' | 'max', actualTime: boolean): HistValue {
  requireNumeric(s, side === 'min' ? 'Minimum' : 'Maximum');
  if (iv.noData) return noDataValue(iv.start);
  const e = scan(s, iv);
  if (e === null) return noDataValue(iv.start);
  const x = e[side];
  const status = extremeStatus(e, side);
  const bits = partialBit(iv.partial) | (x.count > 1 ? HistorianMultiValue : 0);
  const t = s.t[x.index];
  // Same as Source: the archived value (a Boolean stays Boolean).
  const value = s.raw[x.index];
  if (actualTime) return result(t, value, status, HistorianRaw | bits);
  // Stamped at the interval start: Raw only when the extreme is archived there.
  const raw = t === iv.start && status === Good;
  return result(iv.start, value, status, (raw ? HistorianRaw : HistorianCalculated) | bits);
}

export const minimum = (s: Series, iv: IntervalState): HistValue => extreme(s, iv, 'min', false);
export const maximum = (s: Series, iv: IntervalState): HistValue => extreme(s, iv, 'max', false);
export const minimumActualTime = (s: Series, iv: IntervalState): HistValue => extreme(s, iv, 'min', true);
export const maximumActualTime = (s: Series, iv: IntervalState): HistValue => extreme(s, iv, 'max', true);

export function range(s: Series, iv: IntervalState): HistValue {
  requireNumeric(s, 'Range');
  if (iv.noData) return noDataValue(iv.start);
  const e = scan(s, iv);
  if (e === null) return noDataValue(iv.start);
  return result(iv.start, e.max.value - e.min.value, extremeStatus(e, 'both'), HistorianCalculated | partialBit(iv.partial));
}
