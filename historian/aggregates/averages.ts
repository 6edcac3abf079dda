/**
 * Average (§5.4.3.5: mean of Good raw values), TimeAverage (§5.4.3.6: area
 * under sloped lines between interpolated bounds, divided by the time) and Total (§5.4.3.8: that area).
 */
import { Bad, Good, HistorianCalculated, UncertainDataSubNormal, isGood, type StatusCode } from '../status.js';
import type { HistValue } from '../types.js';
import { interpolatedBound } from './bounds.js';
import type { IntervalState } from './intervals.js';
import { badValue, noDataValue, partialBit, percentValuesStatus, result } from './result.js';
import { Q_GOOD, Q_UNCERTAIN, countKinds, lowerBound, requireNumeric, type Series } from './series.js';

export function average(s: Series, iv: IntervalState): HistValue {
  requireNumeric(s, 'Average');
  if (iv.noData) return noDataValue(iv.start);
  let sum = 0;
  let n = 0;
  for (let i = lowerBound(s, iv.start); i < s.length && s.t[i] < iv.end; i++) {
    if (s.q[i] === Q_GOOD) {
      sum += s.num[i];
      n++;
    }
  }
  if (n === 0) return noDataValue(iv.start);
  const status = percentValuesStatus(countKinds(s, iv.start, iv.end), s.config);
  if (status === Bad) return badValue(iv.start);
  // Part 13 Table 16: Average never sets Partial.
  return result(iv.start, sum / n, status, HistorianCalculated);
}

export function timeAverage(s: Series, iv: IntervalState): HistValue {
  requireNumeric(s, 'TimeAverage');
  const a = timeAverageArea(s, iv);
  if (!('area' in a)) return a;
  return result(iv.start, a.area / (iv.end - a.from), a.status, HistorianCalculated | partialBit(a.partial));
}

/**
 * Total (§5.4.3.8): TimeAverage × the ProcessingInterval in seconds, i.e. the area under TimeAverage's
 * sloped lines in value·seconds, with TimeAverage's status. Where TimeAverage averages only the part of
 * the interval that has data (no start bound: "Calculate Partial Interval") or the short last
 * interval, the interval it multiplies by is that part: the total of what was there, never an
 * average stretched over time without data.
 */
export function total(s: Series, iv: IntervalState): HistValue {
  requireNumeric(s, 'Total');
  const a = timeAverageArea(s, iv);
  if (!('area' in a)) return a;
  return result(iv.start, a.area / 1000, a.status, HistorianCalculated | partialBit(a.partial));
}

interface TimeAverageArea {
  /** Under the sloped lines, value × ms. */
  area: number;
  /** Where the lines start: the interval start, or the first usable value when there is no start bound. */
  from: number;
  status: StatusCode;
  partial: boolean;
}

/** TimeAverage's lines over one interval (§5.4.3.6), or the result when there are none (Bad_NoData). */
function timeAverageArea(s: Series, iv: IntervalState): TimeAverageArea | HistValue {
  if (iv.noData) return noDataValue(iv.start);
  // TimeAverage always draws sloped lines (§5.4.3.6), whatever the tag's Stepped.
  const startBound = interpolatedBound(s, iv.start, false);
  const endBound = interpolatedBound(s, iv.end, false);
  // No usable value before the end: nothing to draw a line through.
  if (endBound === null) return noDataValue(iv.start);
  let uncertain = false;
  let t0: number;
  let v0: number;
  let i = lowerBound(s, iv.start);
  if (startBound !== null) {
    t0 = iv.start;
    v0 = startBound.value;
    uncertain ||= !isGood(startBound.status);
  } else {
    // No start bound: Table 17's "Calculate Partial Interval", over the part that has data. Its
    // status is Good unless Bad values were skipped: nothing archived before the interval is no
    // Bad value, while values before it that gave no bound were all Bad.
    uncertain = i > 0;
    while (i < s.length && s.t[i] < iv.end && !s.usable[i]) i++;
    if (i >= s.length || s.t[i] >= iv.end) return noDataValue(iv.start);
    t0 = s.t[i];
    v0 = s.num[i];
  }
  let area = 0;
  let prevT = t0;
  let prevV = v0;
  for (let j = lowerBound(s, iv.start); j < s.length && s.t[j] < iv.end; j++) {
    if (!s.usable[j]) {
      uncertain = true; // a Bad value was skipped
      continue;
    }
    if (s.q[j] === Q_UNCERTAIN) uncertain = true;
    // No usable value lies before t0; one at prevT adds a trapezoid of zero width and stands in
    // for the one before it (of values sharing a time the later stands, as on Interpolative's line).
    area += ((prevV + s.num[j]) / 2) * (s.t[j] - prevT);
    prevT = s.t[j];
    prevV = s.num[j];
  }
  uncertain ||= !isGood(endBound.status);
  area += ((prevV + endBound.value) / 2) * (iv.end - prevT);
  const status = uncertain ? UncertainDataSubNormal : Good;
  return { area, from: t0, status, partial: iv.partial || startBound === null };
}
