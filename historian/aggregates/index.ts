/**
 * Processed reads (OPC UA Part 13 aggregates) as a pure function of the raw
 * archived data. The store reads the samples covering the range, plus the
 * bounding value on each side when there is one, and hands them here.
 */
import type { HistValue } from '../types.js';
import { resolveConfig, type AggregateConfig, type AggregateName } from './config.js';
import { intervalState, makeIntervals } from './intervals.js';
import { aggregateFunctions } from './registry.js';
import { averageColumns } from './average-columns.js';
import { buildSeriesColumns, columnsOf, type FlaggedSample, type SampleColumnsLike } from './series.js';
import { skipsStationRecords, sourceValuesOf } from './source-values.js';

export type { FlaggedSample, SampleColumnsLike } from './series.js';
export { skipsStationRecords } from './source-values.js';
export { aggregateNames, defaultAggregateConfig, type AggregateConfig, type AggregateName } from './config.js';

/**
 * One HistValue per interval of [start, end), in request order (reversed when
 * end < start); t is the interval start, or the actual time for Start, End and
 * *ActualTime. intervalMs 0 (or >= the range) makes one interval. endOfData is
 * the time of the last archived value (default: the last sample's): later time
 * is not yet known, so intervals there are Partial or Bad_NoData. A sample flagged Cyclic is a
 * record the station made (source-values.ts): the sample-based aggregates skip it.
 */
export function computeProcessed(
  data: readonly FlaggedSample[],
  start: number,
  end: number,
  intervalMs: number,
  aggregate: AggregateName,
  config?: Partial<AggregateConfig>,
  endOfData?: number,
): HistValue[] {
  return perInterval(columnsOf(data), resolveConfig(config), endOfData, start, end, intervalMs, aggregate);
}

/**
 * computeProcessed over columns (the store's decoded blocks): the same series, so the same
 * results, without a Sample object per value. The columns are only read, and not kept.
 */
export function computeProcessedColumns(
  data: SampleColumnsLike,
  start: number,
  end: number,
  intervalMs: number,
  aggregate: AggregateName,
  config?: Partial<AggregateConfig>,
  endOfData?: number,
): HistValue[] {
  const resolved = resolveConfig(config);
  // Average needs only each interval's values: one pass over numeric columns, no Series.
  if (aggregate === 'Average' && data.value instanceof Float64Array) {
    return averageColumns(data as SampleColumnsLike & { value: Float64Array }, start, end, intervalMs, resolved);
  }
  return perInterval(data, resolved, endOfData, start, end, intervalMs, aggregate);
}

/**
 * Where data stands in each interval (no data? partial?) is read from everything archived, the
 * station's records included: a held value covers its time. What a sample-based aggregate counts
 * is the source's values alone.
 */
function perInterval(
  cols: SampleColumnsLike, config: AggregateConfig, endOfData: number | undefined,
  start: number, end: number, intervalMs: number, aggregate: AggregateName,
): HistValue[] {
  const fn = aggregateFunction(aggregate);
  const all = buildSeriesColumns(cols, config, endOfData);
  const source = skipsStationRecords(aggregate) ? sourceValuesOf(cols) : cols;
  const values = source === cols ? all : buildSeriesColumns(source, config, all.endOfData);
  return makeIntervals(start, end, intervalMs).map((iv) => fn(values, intervalState(all, iv)));
}

function aggregateFunction(aggregate: AggregateName) {
  const fn = Object.hasOwn(aggregateFunctions, aggregate) ? aggregateFunctions[aggregate] : undefined;
  if (fn === undefined) throw new RangeError(`processed read: unknown aggregate '${String(aggregate)}'`);
  return fn;
}
