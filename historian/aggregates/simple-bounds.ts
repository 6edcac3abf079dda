/**
 * The aggregates over Simple Bounding Values (Part 13 v1.05 §3.1.9) with a time-weighted
 * ("PercentTime", §5.4.3.2.1-2) status: TimeAverage2 (§5.4.3.7), Total2 (§5.4.3.9),
 * DurationInStateZero (§5.4.3.22) and DurationInStateNonZero (§5.4.3.23).
 *
 * The interval is cut into regions, each from a data point (or the interval start, taking the
 * point at or before it: the simple start bound) to the next point or the interval end. A region
 * takes its starting point's quality: non-Bad data (Good, or Uncertain when TreatUncertainAsBad is
 * false, §3.1.7) is used; a Bad point, a Bad_NoData entry and the time before the first point are
 * left out of the value and count as Bad in the status. Unlike the interpolated bounds, a Bad value
 * is not bridged: the time it stands is not Good. Time after the end of data is not known yet: it
 * is neither Good nor Bad, and the status weighs the known part of the interval (the Partial bit
 * says the rest is missing), as the v1.05 corrections do for the last Maximum2 interval of Annex A's
 * Historian1 (Mantis 6193: Good, Partial).
 */
import { Bad, Good, HistorianCalculated, UncertainDataSubNormal, type StatusCode } from '../status.js';
import type { HistValue } from '../types.js';
import type { AggregateConfig } from './config.js';
import type { IntervalState } from './intervals.js';
import { badValue, noDataValue, partialBit, result } from './result.js';
import { Q_UNCERTAIN, requireNumeric, upperBound, type Series } from './series.js';

export interface SimpleRegions {
  /** Time covered by non-Bad data, ms. */
  goodMs: number;
  /** Time of Bad data, Bad_NoData entries and before the first value, ms. */
  badMs: number;
  /** The part of the interval up to the end of data, ms. */
  knownMs: number;
  /** An Uncertain value was used, or (sloped) a region ends at a non-Good value. */
  uncertain: boolean;
  /** Area under the line over the non-Bad regions, value × ms. */
  area: number;
  /** Non-Bad time in the zero state (value 0 or false) and in any other, ms. */
  zeroMs: number;
  nonZeroMs: number;
}

/**
 * Walks [iv.start, iv.end). `sloped`: a region whose next point is non-Bad draws a straight line
 * to it (§5.4.3.7); else (stepped, or the next point is Bad, or there is none) the region holds its
 * starting value ("only the Good starting value is used"). §5.4.3.2.2: with sloped lines, a region
 * that ends at a Bad or Uncertain value (or at no value: no end bound) is Uncertain; the end point
 * does not matter to a stepped region.
 */
export function simpleRegions(s: Series, iv: IntervalState, sloped: boolean): SimpleRegions {
  // Time after the end of data is not known yet: no value stands there.
  const known = Math.min(iv.end, Math.max(iv.start, s.endOfData));
  const r: SimpleRegions = { goodMs: 0, badMs: 0, knownMs: known - iv.start, uncertain: false, area: 0, zeroMs: 0, nonZeroMs: 0 };
  let i = upperBound(s, iv.start) - 1; // the point in force at the start (-1: none, before the data)
  let from = iv.start;
  while (from < known) {
    const next = i + 1;
    const to = next < s.length ? Math.min(known, s.t[next]) : known;
    const dur = to - from;
    if (i < 0 || !s.usable[i]) {
      r.badMs += dur;
    } else if (dur > 0) {
      r.goodMs += dur;
      if (s.q[i] === Q_UNCERTAIN) r.uncertain = true;
      const v = s.num[i];
      if (v === 0) r.zeroMs += dur;
      else r.nonZeroMs += dur;
      if (sloped && next < s.length && s.usable[next] && s.t[next] > s.t[i]) {
        const slope = (s.num[next] - v) / (s.t[next] - s.t[i]);
        const a = v + slope * (from - s.t[i]);
        const b = v + slope * (to - s.t[i]);
        r.area += ((a + b) / 2) * dur;
        if (s.q[next] === Q_UNCERTAIN) r.uncertain = true;
      } else {
        r.area += v * dur;
        if (sloped) r.uncertain = true; // ends at a Bad value, a Bad_NoData entry or no value
      }
    }
    from = Math.max(from, to);
    i = next;
  }
  return r;
}

/**
 * §5.4.3.2.1, time-weighted, over the known part of the interval: Good when the non-Bad time reaches
 * PercentDataGood (checked first, v1.05 §4.2.1.2), Bad when the Bad time reaches PercentDataBad,
 * else Uncertain_DataSubNormal. When PercentDataGood = 100 − PercentDataBad the Good calculation
 * alone decides (§4.2.1.2 "the result of the PercentDataGood calculation is used", Mantis 6227:
 * Historian3's TimeAverage2 12:00:40 is 30 Uncertain, not Bad). An Uncertain value used keeps the
 * result Uncertain ("still treated as Uncertain").
 */
export function percentTimeStatus(r: SimpleRegions, config: AggregateConfig): StatusCode {
  if ((100 * r.goodMs) / r.knownMs >= config.percentDataGood) return r.uncertain ? UncertainDataSubNormal : Good;
  const goodDecides = config.percentDataGood === 100 - config.percentDataBad;
  if (!goodDecides && (100 * r.badMs) / r.knownMs >= config.percentDataBad) return Bad;
  return UncertainDataSubNormal;
}

/**
 * TimeAverage2 (§5.4.3.7): the area under the line (stepped or sloped as the tag's Stepped says)
 * over the non-Bad time, divided by that time: a value Bad for 1 of 5 minutes gives the average of
 * the other 4. Total2 (§5.4.3.9): TimeAverage2 × that time in seconds = the area in value·s.
 * No non-Bad time in the interval: Bad_NoData (there is no average; Annex A.5, Historian1 12:00:40),
 * also for an interval holding only the last value at the end of data (no time after it is known).
 */
function timeWeighted2(s: Series, iv: IntervalState, name: string, total: boolean): HistValue {
  requireNumeric(s, name);
  if (iv.noData) return noDataValue(iv.start);
  const r = simpleRegions(s, iv, !s.stepped);
  if (r.goodMs === 0) return noDataValue(iv.start);
  const status = percentTimeStatus(r, s.config);
  if (status === Bad) return badValue(iv.start);
  const value = total ? r.area / 1000 : r.area / r.goodMs;
  return result(iv.start, value, status, HistorianCalculated | partialBit(iv.partial));
}

export const timeAverage2 = (s: Series, iv: IntervalState): HistValue => timeWeighted2(s, iv, 'TimeAverage2', false);
export const total2 = (s: Series, iv: IntervalState): HistValue => timeWeighted2(s, iv, 'Total2', true);

/**
 * DurationInStateZero / NonZero (§5.4.3.22-23): ms of non-Bad time in the zero state (0, false) or
 * any other. A state holds until the next value whatever Stepped says. For an analog tag the zero
 * state is the value 0 exactly and every other value is non-zero.
 */
function durationInState(s: Series, iv: IntervalState, name: string, zero: boolean): HistValue {
  requireNumeric(s, name);
  if (iv.noData) return noDataValue(iv.start);
  const r = simpleRegions(s, iv, false);
  // Only a value at the end of data, no time known after it: After End of Data.
  if (r.knownMs === 0) return noDataValue(iv.start);
  const status = percentTimeStatus(r, s.config);
  if (status === Bad) return badValue(iv.start);
  return result(iv.start, zero ? r.zeroMs : r.nonZeroMs, status, HistorianCalculated | partialBit(iv.partial));
}

export const durationInStateZero = (s: Series, iv: IntervalState): HistValue =>
  durationInState(s, iv, 'DurationInStateZero', true);
export const durationInStateNonZero = (s: Series, iv: IntervalState): HistValue =>
  durationInState(s, iv, 'DurationInStateNonZero', false);
