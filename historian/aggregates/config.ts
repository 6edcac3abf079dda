/**
 * The processed-read vocabulary: which OPC UA Part 13 aggregates Vigil computes
 * and the per-tag AggregateConfiguration (Part 13 §4.2.1.2) that steers them.
 */

export type AggregateName =
  | 'Interpolative'
  | 'Average'
  | 'TimeAverage'
  | 'Minimum'
  | 'Maximum'
  | 'MinimumActualTime'
  | 'MaximumActualTime'
  | 'Start'
  | 'End'
  | 'Delta'
  | 'Count'
  | 'Range'
  | 'StandardDeviation'
  | 'DurationGood'
  | 'PercentGood'
  // Part 13 counterparts of DurationGood/PercentGood: Good + Bad + the rest = the interval.
  | 'DurationBad'
  | 'PercentBad'
  // Part 13 v1.05 §5.4.3.7-9: with simple bounding values (TimeAverage2, Total2), or interpolated (Total).
  | 'TimeAverage2'
  | 'Total'
  | 'Total2'
  // §5.4.3.22-24: for discrete (Boolean, multi-state) signals.
  | 'DurationInStateZero'
  | 'DurationInStateNonZero'
  | 'NumberOfTransitions';

export const aggregateNames: readonly AggregateName[] = [
  'Interpolative', 'Average', 'TimeAverage', 'Minimum', 'Maximum', 'MinimumActualTime',
  'MaximumActualTime', 'Start', 'End', 'Delta', 'Count', 'Range', 'StandardDeviation',
  'DurationGood', 'PercentGood', 'DurationBad', 'PercentBad',
  'TimeAverage2', 'Total', 'Total2', 'DurationInStateZero', 'DurationInStateNonZero', 'NumberOfTransitions',
];

export interface AggregateConfig {
  /** Uncertain raw values count as Bad (Part 13 default true). */
  treatUncertainAsBad: boolean;
  /** % of Bad data (values or time) at or above which a result is Bad. */
  percentDataBad: number;
  /** % of Good data at or above which a result is Good; checked first (Part 13 v1.05 §4.2.1.2). */
  percentDataGood: number;
  /** Extrapolate past the last value along the last slope instead of holding it. */
  useSlopedExtrapolation: boolean;
  /** The tag is stepped (sample-and-hold); Boolean and text data are always stepped. */
  stepped: boolean;
}

export const defaultAggregateConfig: AggregateConfig = Object.freeze({
  treatUncertainAsBad: true,
  percentDataBad: 100,
  percentDataGood: 100,
  useSlopedExtrapolation: false,
  stepped: false,
});

export function resolveConfig(partial: Partial<AggregateConfig> | undefined): AggregateConfig {
  const config = { ...defaultAggregateConfig, ...partial };
  for (const field of ['percentDataBad', 'percentDataGood'] as const) {
    const v = config[field];
    if (!Number.isFinite(v) || v < 0 || v > 100) {
      throw new RangeError(`aggregate config: ${field} must be a number in [0, 100], got ${v}`);
    }
  }
  // Part 13 §4.2.1.2: PercentDataGood >= 100 - PercentDataBad, else a value could be both.
  if (config.percentDataGood < 100 - config.percentDataBad) {
    throw new RangeError(
      `aggregate config: percentDataGood (${config.percentDataGood}) must be >= 100 - percentDataBad (${config.percentDataBad})`,
    );
  }
  return config;
}
