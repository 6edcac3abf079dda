/**
 * Count (§5.4.3.23) and the data-quality aggregates DurationGood/Bad and
 * PercentGood/Bad (§5.4.3.31-34): how much of an interval holds what quality.
 */
import { Bad, Good, HistorianCalculated } from '../status.js';
import type { HistValue } from '../types.js';
import type { IntervalState } from './intervals.js';
import { badValue, noDataValue, partialBit, percentValuesStatus, result } from './result.js';
import { Q_GOOD, Q_NODATA, countKinds, upperBound, type Series } from './series.js';

/** The number of Good raw values; the status weighs them against the non-Good ones. */
export function count(s: Series, iv: IntervalState): HistValue {
  if (iv.noData) return noDataValue(iv.start);
  const c = countKinds(s, iv.start, iv.end);
  const status = percentValuesStatus(c, s.config);
  if (status === Bad) return badValue(iv.start);
  return result(iv.start, c.good, status, HistorianCalculated | partialBit(iv.partial));
}

export interface QualityDurations {
  goodMs: number;
  badMs: number;
  /** Uncertain (TreatUncertainAsBad false) time: neither Good nor Bad. */
  otherMs: number;
}

/**
 * Splits [start, end) into regions, each starting at a data point and taking
 * its quality; the first region takes the quality of the last point at or
 * before start, and is Bad when there is none (§5.4.3.31). A Bad_NoData entry
 * starts a Bad region. Time after endOfData is not yet known and counts as nothing.
 */
export function qualityDurations(s: Series, start: number, end: number): QualityDurations {
  const d: QualityDurations = { goodMs: 0, badMs: 0, otherMs: 0 };
  const known = Math.min(end, Math.max(start, s.endOfData));
  let i = upperBound(s, start) - 1; // region in force at start (-1: before any data)
  let from = start;
  while (from < known) {
    const to = Math.min(known, i + 1 < s.length ? s.t[i + 1] : known);
    const ms = to - from;
    if (i < 0 || s.q[i] === Q_NODATA || s.bad[i]) d.badMs += ms;
    else if (s.q[i] === Q_GOOD) d.goodMs += ms;
    else d.otherMs += ms;
    from = Math.max(from, to);
    i++;
  }
  return d;
}

function durationResult(s: Series, iv: IntervalState, pick: 'goodMs' | 'badMs', percent: boolean): HistValue {
  if (iv.noData) return noDataValue(iv.start);
  const ms = qualityDurations(s, iv.start, iv.end)[pick];
  // PercentX = DurationX / interval length (the short last interval's own length).
  const value = percent ? (100 * ms) / (iv.end - iv.start) : ms;
  return result(iv.start, value, Good, HistorianCalculated | partialBit(iv.partial));
}

export const durationGood = (s: Series, iv: IntervalState): HistValue => durationResult(s, iv, 'goodMs', false);
export const durationBad = (s: Series, iv: IntervalState): HistValue => durationResult(s, iv, 'badMs', false);
export const percentGood = (s: Series, iv: IntervalState): HistValue => durationResult(s, iv, 'goodMs', true);
export const percentBad = (s: Series, iv: IntervalState): HistValue => durationResult(s, iv, 'badMs', true);
