/**
 * Average (§5.4.3.5) over columns in one pass: what average() computes from a Series, without
 * building one. Average looks only at the values inside each interval (their sum and count
 * of Good ones, and the counts by quality for the StatusCode), so neither the bounds, the
 * coverage nor the per-sample classes of a Series are needed: a week of 1 s data is 600 000
 * values, and a Series of them is 11 MB and several passes. processed.test.ts checks it
 * against the Series path, value for value.
 */
import { BadNoData, HistorianCalculated, codeOf, isGood, isUncertain } from '../status.js';
import type { HistValue } from '../types.js';
import type { AggregateConfig } from './config.js';
import { makeIntervals } from './intervals.js';
import { badValue, noDataValue, percentValuesStatus, result } from './result.js';
import { Bad } from '../status.js';
import { isStationRecord } from './source-values.js';

export interface NumericColumns {
  readonly t: Float64Array;
  readonly value: Float64Array;
  readonly status: Uint32Array;
  /** Flag.Cyclic marks a record the station made: Average is over the source's values only. */
  readonly flags?: ArrayLike<number>;
  readonly length: number;
}

export function averageColumns(c: NumericColumns, start: number, end: number, intervalMs: number, config: AggregateConfig): HistValue[] {
  const { t, value, status, flags } = c;
  const n = c.length;
  // The checks buildSeriesColumns makes, with its words: both paths refuse the same data alike.
  for (let i = 0; i < n; i++) {
    const ti = t[i]!;
    if (!Number.isFinite(ti)) throw new RangeError(`aggregate data[${i}].t: expected ms since epoch, got ${ti}`);
    if (i > 0 && ti < t[i - 1]!) throw new RangeError(`aggregate data[${i}].t: expected ascending times, got ${ti} after ${t[i - 1]}`);
  }
  const counts = { good: 0, bad: 0, other: 0 };
  return makeIntervals(start, end, intervalMs).map((iv): HistValue => {
    let lo = 0, hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (t[mid]! < iv.start) lo = mid + 1; else hi = mid;
    }
    let sum = 0, good = 0, bad = 0, other = 0;
    for (let i = lo; i < n && t[i]! < iv.end; i++) {
      const st = status[i]!;
      if (codeOf(st) === BadNoData) continue; // not a value: acquisition had stopped
      if (flags !== undefined && isStationRecord(flags[i])) continue; // the station's, not the source's
      if (isGood(st)) {
        sum += value[i]!;
        good++;
      } else if (isUncertain(st) && !config.treatUncertainAsBad) other++;
      else bad++;
    }
    if (good === 0) return noDataValue(iv.start);
    counts.good = good;
    counts.bad = bad;
    counts.other = other;
    const code = percentValuesStatus(counts, config);
    if (code === Bad) return badValue(iv.start);
    return result(iv.start, sum / good, code, HistorianCalculated);
  });
}
