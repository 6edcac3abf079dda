/**
 * NumberOfTransitions (Part 13 v1.05 §5.4.3.24): how many times the value changed in the interval.
 * The earliest non-Bad value in the interval is compared with the non-Bad value before it (the
 * bound: "a non-Bad value prior to the interval is used"); no such value counts as a transition.
 * Bad values (Uncertain ones too when TreatUncertainAsBad) are not compared. A change at the
 * interval's end belongs to the next interval. The station's own records (Cyclic) are skipped
 * (source-values.ts): they repeat the value held, so they never are a transition anyway.
 */
import { Bad, HistorianCalculated } from '../status.js';
import type { HistValue } from '../types.js';
import type { IntervalState } from './intervals.js';
import { badValue, noDataValue, partialBit, percentValuesStatus, result } from './result.js';
import { Q_GOOD, countKinds, lowerBound, type Series } from './series.js';

export function numberOfTransitions(s: Series, iv: IntervalState): HistValue {
  if (iv.noData) return noDataValue(iv.start);
  const first = lowerBound(s, iv.start);
  let prev = first > 0 ? s.prevUsable[first - 1] : -1;
  const bound = prev;
  let n = 0;
  for (let i = first; i < s.length && s.t[i] < iv.end; i++) {
    if (!s.usable[i]) continue;
    if (prev < 0 || !sameValue(s, prev, i)) n++;
    prev = i;
  }
  // PercentValues over the raw values; the bound is counted too (§5.4.3.2.1: "the Bounding Values
  // are included in the count"). With no value before, there is no bound to count.
  const c = countKinds(s, iv.start, iv.end);
  if (bound >= 0) {
    if (s.q[bound] === Q_GOOD) c.good++;
    else c.other++; // usable but not Good: Uncertain while TreatUncertainAsBad is false
  }
  const status = percentValuesStatus(c, s.config);
  if (status === Bad) return badValue(iv.start);
  return result(iv.start, n, status, HistorianCalculated | partialBit(iv.partial));
}

/** Numbers and Booleans by value (false = 0), text as text. */
function sameValue(s: Series, a: number, b: number): boolean {
  const x = s.raw[a];
  const y = s.raw[b];
  if (typeof x === 'string' || typeof y === 'string') return x === y;
  return s.num[a] === s.num[b];
}
