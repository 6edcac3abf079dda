/** Which function computes which aggregate, one interval at a time. */
import type { HistValue } from '../types.js';
import { average, timeAverage, total } from './averages.js';
import { interpolative } from './bounds.js';
import type { AggregateName } from './config.js';
import { count, durationBad, durationGood, percentBad, percentGood } from './counts.js';
import { maximum, maximumActualTime, minimum, minimumActualTime, range } from './extremes.js';
import type { IntervalState } from './intervals.js';
import type { Series } from './series.js';
import { delta, end, start } from './startEnd.js';
import { durationInStateNonZero, durationInStateZero, timeAverage2, total2 } from './simple-bounds.js';
import { standardDeviation } from './stddev.js';
import { numberOfTransitions } from './transitions.js';

export type IntervalAggregate = (series: Series, interval: IntervalState) => HistValue;

export const aggregateFunctions: Readonly<Record<AggregateName, IntervalAggregate>> = {
  Interpolative: interpolative,
  Average: average,
  TimeAverage: timeAverage,
  Minimum: minimum,
  Maximum: maximum,
  MinimumActualTime: minimumActualTime,
  MaximumActualTime: maximumActualTime,
  Start: start,
  End: end,
  Delta: delta,
  Count: count,
  Range: range,
  StandardDeviation: standardDeviation,
  DurationGood: durationGood,
  PercentGood: percentGood,
  DurationBad: durationBad,
  PercentBad: percentBad,
  TimeAverage2: timeAverage2,
  Total: total,
  Total2: total2,
  DurationInStateZero: durationInStateZero,
  DurationInStateNonZero: durationInStateNonZero,
  NumberOfTransitions: numberOfTransitions,
};
