/**
 * The raw data of one processed read, classified once: every aggregate asks
 * the same questions (is this value usable? where does data stand?) and must
 * get the same answers.
 */
import { codeOf, BadNoData, isGood, isUncertain } from '../status.js';
import type { Sample, Value } from '../types.js';
import type { AggregateConfig } from './config.js';

/** Quality classes of a raw sample. */
export const Q_GOOD = 0;
export const Q_UNCERTAIN = 1;
export const Q_BAD = 2;
/** A Bad_NoData entry (e.g. "point created", acquisition stopped): no data from here to the next sample. */
export const Q_NODATA = 3;

export interface Series {
  readonly config: AggregateConfig;
  readonly length: number;
  readonly t: Float64Array;
  /** Numeric view (booleans as 0/1); NaN for text and for Bad/no-data samples. */
  readonly num: Float64Array;
  readonly raw: ArrayLike<Value>;
  readonly status: Uint32Array;
  readonly q: Uint8Array;
  /** Usable as data: Good, or Uncertain when TreatUncertainAsBad is false. */
  readonly usable: Uint8Array;
  /** Counts as Bad for status calculations: Bad, or Uncertain when TreatUncertainAsBad. */
  readonly bad: Uint8Array;
  /** Index of the last usable sample at or before i (-1: none). */
  readonly prevUsable: Int32Array;
  /** Index of the first usable sample at or after i (-1: none). */
  readonly nextUsable: Int32Array;
  /** Time of the last archived value: later times are not yet known. */
  readonly endOfData: number;
  /** Interpolate with steps: configured so, or the data is Boolean or text. */
  readonly stepped: boolean;
  /** Some value is text: numeric aggregates refuse the series. */
  readonly hasText: boolean;
}

/** A sample with the flags the archive keeps with it (Cyclic: a record the station made). */
export type FlaggedSample = Sample & { readonly flags?: number };

export function buildSeries(data: readonly FlaggedSample[], config: AggregateConfig, endOfData?: number): Series {
  return buildSeriesColumns(columnsOf(data), config, endOfData);
}

/** The samples as columns, their flags (0 where a sample has none) beside them. */
export function columnsOf(data: readonly FlaggedSample[]): SampleColumnsLike {
  const n = data.length;
  const t = new Float64Array(n);
  const status = new Uint32Array(n);
  const flags = new Uint8Array(n);
  const raw: Value[] = new Array<Value>(n);
  for (let i = 0; i < n; i++) {
    const s = data[i];
    t[i] = s.t;
    raw[i] = s.value;
    status[i] = s.status;
    flags[i] = s.flags ?? 0;
  }
  return { t, value: raw, status, flags, length: n };
}

/** The samples as columns (what the store decodes): t ascending, values as archived. */
export interface SampleColumnsLike {
  readonly t: Float64Array;
  readonly value: ArrayLike<Value>;
  readonly status: Uint32Array;
  /** Vigil's flags of each value (Flag.Cyclic: a record the station made); none: all the source's. */
  readonly flags?: ArrayLike<number>;
  readonly length: number;
}

/**
 * buildSeries over columns, without a Sample object per value. The series views the columns'
 * t, status and (numeric) values: they must stay unchanged while the series is in use.
 */
export function buildSeriesColumns(cols: SampleColumnsLike, config: AggregateConfig, endOfData?: number): Series {
  const n = cols.length;
  // Views, not copies: numeric columns serve as `raw` as they are (no array of n values to build).
  const t = cols.t.subarray(0, n);
  const status = cols.status.subarray(0, n);
  const values = cols.value;
  const raw: ArrayLike<Value> = values instanceof Float64Array ? values.subarray(0, n) : Array.prototype.slice.call(values, 0, n);
  const num = new Float64Array(n);
  const q = new Uint8Array(n);
  const usable = new Uint8Array(n);
  const bad = new Uint8Array(n);
  let hasText = false;
  let hasBoolean = false;
  for (let i = 0; i < n; i++) {
    const ti = t[i];
    if (!Number.isFinite(ti)) throw new RangeError(`aggregate data[${i}].t: expected ms since epoch, got ${ti}`);
    if (i > 0 && ti < t[i - 1]) {
      throw new RangeError(`aggregate data[${i}].t: expected ascending times, got ${ti} after ${t[i - 1]}`);
    }
    const st = status[i];
    const cls = codeOf(st) === BadNoData ? Q_NODATA : isGood(st) ? Q_GOOD : isUncertain(st) ? Q_UNCERTAIN : Q_BAD;
    q[i] = cls;
    usable[i] = cls === Q_GOOD || (cls === Q_UNCERTAIN && !config.treatUncertainAsBad) ? 1 : 0;
    bad[i] = cls === Q_BAD || (cls === Q_UNCERTAIN && config.treatUncertainAsBad) ? 1 : 0;
    const v = raw[i];
    if (typeof v === 'string') hasText = true;
    if (typeof v === 'boolean') hasBoolean = true;
    // Part 13 §3.1.8: the value of Bad data is not used in any calculation.
    num[i] = cls === Q_BAD || cls === Q_NODATA ? NaN : typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : NaN;
  }
  const last = n > 0 ? t[n - 1] : -Infinity;
  const eod = endOfData ?? last;
  if (eod < last) throw new RangeError(`aggregate endOfData ${eod} is before the last sample at ${last}`);
  const prevUsable = new Int32Array(n);
  const nextUsable = new Int32Array(n);
  for (let i = 0, p = -1; i < n; i++) prevUsable[i] = p = usable[i] ? i : p;
  for (let i = n - 1, x = -1; i >= 0; i--) nextUsable[i] = x = usable[i] ? i : x;
  return {
    config, length: n, t, num, raw, status, q, usable, bad, prevUsable, nextUsable,
    endOfData: eod, stepped: config.stepped || hasBoolean || hasText, hasText,
  };
}

/** First index with t[i] >= time (length if none). */
export function lowerBound(s: Series, time: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s.t[mid] < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with t[i] > time (length if none). */
export function upperBound(s: Series, time: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s.t[mid] <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function requireNumeric(s: Series, aggregate: string): void {
  if (s.hasText) throw new TypeError(`${aggregate} needs numeric or Boolean data; the tag holds text`);
}

/**
 * Milliseconds of [start, end) covered by archived data of any quality: each
 * sample stands until the next one, the last one until endOfData; Bad_NoData
 * entries and the time before the first sample are not covered.
 */
export function coveredMs(s: Series, start: number, end: number): number {
  let i = Math.max(0, upperBound(s, start) - 1);
  let ms = 0;
  for (; i < s.length && s.t[i] < end; i++) {
    if (s.q[i] === Q_NODATA) continue;
    const from = Math.max(start, s.t[i]);
    const to = Math.min(end, i + 1 < s.length ? s.t[i + 1] : s.endOfData);
    if (to > from) ms += to - from;
  }
  return ms;
}

/** Some archived value (not a Bad_NoData entry) lies in [start, end). */
export function hasPointIn(s: Series, start: number, end: number): boolean {
  for (let i = lowerBound(s, start); i < s.length && s.t[i] < end; i++) if (s.q[i] !== Q_NODATA) return true;
  return false;
}

export interface KindCounts {
  good: number;
  bad: number;
  /** Uncertain values while TreatUncertainAsBad is false: neither Good nor Bad. */
  other: number;
}

/** Counts the archived values in [start, end) by quality (Bad_NoData entries are not values). */
export function countKinds(s: Series, start: number, end: number): KindCounts {
  const c: KindCounts = { good: 0, bad: 0, other: 0 };
  for (let i = lowerBound(s, start); i < s.length && s.t[i] < end; i++) {
    if (s.q[i] === Q_NODATA) continue;
    if (s.q[i] === Q_GOOD) c.good++;
    else if (s.bad[i]) c.bad++;
    else c.other++;
  }
  return c;
}
