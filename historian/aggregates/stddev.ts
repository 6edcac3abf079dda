/**
 * StandardDeviation (Part 13 §5.4.3.37 StandardDeviationSample): the sample
 * standard deviation (n - 1) of the Good raw values in an interval.
 */
import { Good, HistorianCalculated, UncertainDataSubNormal } from '../status.js';
import type { HistValue } from '../types.js';
import type { IntervalState } from './intervals.js';
import { noDataValue, partialBit, result } from './result.js';
import { Q_GOOD, countKinds, lowerBound, requireNumeric, type Series } from './series.js';

export function standardDeviation(s: Series, iv: IntervalState): HistValue {
  requireNumeric(s, 'StandardDeviation');
  if (iv.noData) return noDataValue(iv.start);
  // Welford: one pass, no cancellation on large offsets (e.g. 1e9 ± 0.1).
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = lowerBound(s, iv.start); i < s.length && s.t[i] < iv.end; i++) {
    if (s.q[i] !== Q_GOOD) continue;
    n++;
    const d = s.num[i] - mean;
    mean += d / n;
    m2 += d * (s.num[i] - mean);
  }
  if (n === 0) return noDataValue(iv.start);
  // §5.4.3.37: Uncertain_DataSubNormal if any non-Good value was ignored (Annex A: Uncertain ones too).
  const c = countKinds(s, iv.start, iv.end);
  const status = c.bad + c.other > 0 ? UncertainDataSubNormal : Good;
  // One value varies by nothing: Part 13 Annex A returns 0.
  const sd = n > 1 ? Math.sqrt(Math.max(0, m2) / (n - 1)) : 0;
  return result(iv.start, sd, status, HistorianCalculated | partialBit(iv.partial));
}
