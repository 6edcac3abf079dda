/**
 * Which aggregates count the source's values alone. The station archives records of its own
 * beside what the source gave, flagged Cyclic: HIST's cyclic record (the previous value
 * re-stamped one acquisition cycle before a new one after a gap) and deadband's hold record (the
 * last archived value re-stamped at a suppressed sample's time). They keep the reconstruction a
 * step where the value held, so the aggregates that read the line between values (Interpolative,
 * TimeAverage, the quality durations) use them. Part 13's sample-based aggregates are over the
 * raw values the source gave: a held record repeated after every quiet spell would be counted
 * (Count), weigh its value again (Average, StandardDeviation), be returned as a value the source
 * never sent at that time (Start, End, Minimum, Maximum and their ActualTime) or hide the change
 * across an interval (Delta). They skip them.
 */
import { Flag } from '../types.js';
import type { AggregateName } from './config.js';
import type { SampleColumnsLike } from './series.js';

/**
 * Computed from the raw values in each interval (Part 13 §5.4.3.5, 10-14, 23-25, 27, 37), and
 * NumberOfTransitions (§5.4.3.24): a held record repeats the value, it is no transition, and it
 * would be counted as a value in the status.
 */
const SAMPLE_BASED: ReadonlySet<AggregateName> = new Set<AggregateName>([
  'Average', 'Count', 'StandardDeviation', 'Minimum', 'Maximum', 'MinimumActualTime', 'MaximumActualTime', 'Range',
  'Start', 'End', 'Delta', 'NumberOfTransitions',
]);

/** The aggregate counts the source's raw values only: the station's Cyclic records are skipped. */
export const skipsStationRecords = (aggregate: AggregateName): boolean => SAMPLE_BASED.has(aggregate);

/** A record the station made (Cyclic), not a value the source gave. */
export const isStationRecord = (flags: number | undefined): boolean => ((flags ?? 0) & Flag.Cyclic) !== 0;

/**
 * The columns without the station's records: the same object when there are none (the usual
 * case for a tag that changes often), else copies of the source's values.
 */
export function sourceValuesOf(cols: SampleColumnsLike): SampleColumnsLike {
  const flags = cols.flags;
  const n = cols.length;
  if (flags === undefined) return cols;
  let made = 0;
  for (let i = 0; i < n; i++) if (isStationRecord(flags[i])) made++;
  if (made === 0) return cols;
  const keep = n - made;
  const t = new Float64Array(keep);
  const status = new Uint32Array(keep);
  const numeric = cols.value instanceof Float64Array;
  const fvalue = numeric ? new Float64Array(keep) : null;
  const avalue: SampleColumnsLike['value'][number][] = numeric ? [] : new Array(keep);
  for (let i = 0, k = 0; i < n; i++) {
    if (isStationRecord(flags[i])) continue;
    t[k] = cols.t[i]!;
    status[k] = cols.status[i]!;
    if (fvalue) fvalue[k] = cols.value[i] as number;
    else avalue[k] = cols.value[i]!;
    k++;
  }
  return { t, value: fvalue ?? avalue, status, length: keep };
}
