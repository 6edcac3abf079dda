/**
 * Building results: OPC UA status with Part 11 historian bits, Vigil flags
 * beside it, and Part 13's StatusCode calculation over counts of values.
 */
import {
  Bad, BadNoData, Good, HistorianCalculated, HistorianInterpolated, HistorianPartial, UncertainDataSubNormal,
  withHistorianBits, type StatusCode,
} from '../status.js';
import { Flag, type HistValue, type Value } from '../types.js';
import type { AggregateConfig } from './config.js';
import type { KindCounts } from './series.js';

/** No data stands for this time or interval. The value is NaN: there is none. */
export function noDataValue(t: number): HistValue {
  return { t, value: NaN, status: BadNoData, flags: Flag.NoData };
}

/** A result with Part 11 historian bits (Raw/Calculated/Interpolated, Partial, MultiValue). */
export function result(t: number, value: Value, code: StatusCode, bits: number): HistValue {
  let flags = 0;
  if ((bits & 3) === HistorianCalculated) flags |= Flag.Calculated;
  if ((bits & 3) === HistorianInterpolated) flags |= Flag.Interpolated;
  if (bits & HistorianPartial) flags |= Flag.Partial;
  return { t, value, status: withHistorianBits(code, bits), flags };
}

/** A Bad result: the aggregate has no meaningful value (Part 13 §5.3.3). */
export function badValue(t: number): HistValue {
  return result(t, NaN, Bad, 0);
}

export const partialBit = (partial: boolean): number => (partial ? HistorianPartial : 0);

/**
 * Part 13 §5.3.3 StatusCode calculation, "PercentValues" form. Good is checked
 * first so that PercentDataGood wins when it equals 100 - PercentDataBad
 * (v1.05 §4.2.1.2, Mantis 6227). An empty set is Good (nothing was skipped).
 */
export function percentValuesStatus(c: KindCounts, config: AggregateConfig): StatusCode {
  const total = c.good + c.bad + c.other;
  if (total === 0) return Good;
  if ((100 * c.good) / total >= config.percentDataGood) return Good;
  if ((100 * c.bad) / total >= config.percentDataBad) return Bad;
  return UncertainDataSubNormal;
}
