/**
 * Start, End (§5.4.3.24-25: the first/last raw value in the interval, at its
 * own time and with its own status) and Delta (§5.4.3.27: latest minus
 * earliest Good raw value).
 */
import { Good, HistorianCalculated, HistorianRaw, UncertainDataSubNormal } from '../status.js';
import type { HistValue } from '../types.js';
import type { IntervalState } from './intervals.js';
import { noDataValue, partialBit, result } from './result.js';
import { Q_BAD, Q_GOOD, Q_NODATA, lowerBound, requireNumeric, type Series } from './series.js';

function rawAt(s: Series, i: number, iv: IntervalState): HistValue {
  // Part 13 §3.1.8: the value of Bad raw data is not returned.
  const value = s.q[i] === Q_BAD ? NaN : s.raw[i];
  return result(s.t[i], value, s.status[i], HistorianRaw | partialBit(iv.partial));
}

export function start(s: Series, iv: IntervalState): HistValue {
  if (iv.noData) return noDataValue(iv.start);
  for (let i = lowerBound(s, iv.start); i < s.length && s.t[i] < iv.end; i++) {
    if (s.q[i] !== Q_NODATA) return rawAt(s, i, iv);
  }
  return noDataValue(iv.start);
}

export function end(s: Series, iv: IntervalState): HistValue {
  if (iv.noData) return noDataValue(iv.start);
  for (let i = lowerBound(s, iv.end) - 1; i >= 0 && s.t[i] >= iv.start; i--) {
    if (s.q[i] !== Q_NODATA) return rawAt(s, i, iv);
  }
  return noDataValue(iv.start);
}

export function delta(s: Series, iv: IntervalState): HistValue {
  requireNumeric(s, 'Delta');
  if (iv.noData) return noDataValue(iv.start);
  const from = lowerBound(s, iv.start);
  const to = lowerBound(s, iv.end); // exclusive
  let first = -1;
  let last = -1;
  let skipped = false;
  for (let i = from; i < to; i++) {
    if (s.q[i] === Q_GOOD) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) return noDataValue(iv.start);
  // Uncertain when non-Good values were passed over looking for the first or last Good one.
  for (let i = from; i < first; i++) if (s.q[i] !== Q_NODATA) skipped = true;
  for (let i = last + 1; i < to; i++) if (s.q[i] !== Q_NODATA) skipped = true;
  const status = skipped ? UncertainDataSubNormal : Good;
  return result(iv.start, s.num[last] - s.num[first], status, HistorianCalculated | partialBit(iv.partial));
}
