/**
 * The historian's answers in the console API's columnar form. Pure: what the
 * reader returned in, columns out (app/shared/history/columns.ts).
 */
import type { HistValue, PlotSeries, RawSeries, TagVersion } from '../../../historian/index.js';
import type { HistoryPoint, PlotColumns, ProcessedColumns, RawColumns, TagVersionInfo } from '../../shared/api/history.js';
import { encodeFloats, encodeRuns, encodeTimes } from '../../shared/history/columns.js';
import { cyclicRecordMs } from '../../../historian/compression/settings.js';

/** The versions valid over [start, end), oldest first; at least the one valid at start. */
export function versionsOver(versions: readonly TagVersion[], start: number, end: number): TagVersionInfo[] {
  const over = versions.filter((v) => v.validFrom < end && (v.validTo === null || v.validTo > start));
  // Before a tag's first version, the first one stands (as versionAt answers).
  const chosen = over.length > 0 ? over : versions.slice(0, 1);
  return chosen.map((v) => ({
    version: v.version,
    validFrom: v.validFrom,
    validTo: v.validTo,
    description: v.config.description,
    unit: v.config.unit,
    range: v.config.range ? [v.config.range.low, v.config.range.high] : null,
    stepped: v.config.stepped,
    compression: { ...v.config.compression },
    cycleMs: cyclicRecordMs(v.config),
  }));
}

export function pointOf(v: HistValue | undefined): HistoryPoint | null {
  if (!v) return null;
  const n = typeof v.value === 'number' ? v.value : typeof v.value === 'boolean' ? +v.value : NaN;
  return { t: v.t, value: Number.isFinite(n) ? n : null, status: v.status >>> 0, ...(typeof v.value === 'string' ? { text: v.value } : {}) };
}

export function encodePlot(s: PlotSeries, endStatus: Uint32Array): PlotColumns {
  return {
    n: s.t.length,
    width: s.width,
    min: encodeFloats(s.min),
    max: encodeFloats(s.max),
    first: encodeFloats(s.first),
    last: encodeFloats(s.last),
    firstT: encodeTimes(s.firstT),
    lastT: encodeTimes(s.lastT),
    count: encodeFloats(s.count),
    status: encodeRuns(s.status),
    endStatus: encodeRuns(endStatus),
  };
}

/** Raw rows of one tag (time order) as columns; text values go to `text`. */
export function encodeRaw(rows: readonly HistValue[], complete: boolean): RawColumns {
  const n = rows.length;
  const t = new Float64Array(n), value = new Float64Array(n), status = new Uint32Array(n), flags = new Uint8Array(n);
  let text: string[] | undefined;
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    t[i] = r.t;
    status[i] = r.status;
    flags[i] = r.flags;
    if (typeof r.value === 'number') value[i] = r.value;
    else if (typeof r.value === 'boolean') value[i] = +r.value;
    else {
      value[i] = NaN;
      (text ??= new Array<string>(n).fill(''))[i] = r.value;
    }
  }
  return { n, t: encodeTimes(t), value: encodeFloats(value), status: encodeRuns(status), flags: encodeRuns(flags), ...(text ? { text } : {}), complete };
}

/** A tag's raw columns (readRawColumns) as the API's columns: the same as encodeRaw of its rows, without the rows. */
export function encodeRawSeries(s: RawSeries | undefined, complete: boolean): RawColumns {
  if (s === undefined) return encodeRaw([], complete);
  const n = s.length;
  const flags = new Uint8Array(n);
  for (let i = 0; i < n; i++) flags[i] = s.flags[i]! & 0xff;
  return {
    n, t: encodeTimes(s.t), value: encodeFloats(s.value), status: encodeRuns(s.status), flags: encodeRuns(flags),
    ...(s.text ? { text: s.text } : {}), complete,
  };
}

export function encodeProcessed(values: readonly HistValue[]): ProcessedColumns {
  const n = values.length;
  const t = new Float64Array(n), value = new Float64Array(n), status = new Uint32Array(n);
  let text: string[] | undefined; // a text tag's states (Interpolative, Start, End...), as encodeRaw keeps them
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    t[i] = v.t;
    value[i] = typeof v.value === 'number' ? v.value : typeof v.value === 'boolean' ? +v.value : NaN;
    if (typeof v.value === 'string') (text ??= new Array<string>(n).fill(''))[i] = v.value;
    status[i] = v.status;
  }
  return { n, t: encodeTimes(t), value: encodeFloats(value), status: encodeRuns(status), ...(text ? { text } : {}) };
}


/**
 * Integer-ms bounds of plot buckets, agreeing with the historian's bucketOf
 * (floor((t - start) / width), the last bucket taking the rest).
 */
export class BucketGrid {
  readonly width: number;
  constructor(readonly start: number, readonly end: number, readonly n: number) {
    this.width = (end - start) / n;
  }

  bucketOf(t: number): number {
    const b = Math.floor((t - this.start) / this.width);
    return b < this.n ? b : this.n - 1;
  }

  /** The first integer ms in bucket b (b = n: the end). */
  firstMs(b: number): number {
    if (b <= 0) return Math.ceil(this.start);
    if (b >= this.n) return Math.ceil(this.end);
    let t = Math.ceil(this.start + b * this.width);
    while (this.bucketOf(t - 1) >= b) t--;
    while (this.bucketOf(t) < b) t++;
    return t;
  }
}
