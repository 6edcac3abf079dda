/** A history series from the console API back into typed columns. */
import type { HistorySeries, HistoryPoint, TagVersionInfo } from '../api/history.js';
import { decodeFloats, decodeRuns, decodeTimes } from './columns.js';

export interface PlotData {
  n: number;
  width: number;
  min: Float64Array;
  max: Float64Array;
  first: Float64Array;
  last: Float64Array;
  firstT: Float64Array;
  lastT: Float64Array;
  count: Float64Array;
  status: Uint32Array;
  endStatus: Uint32Array;
}

export interface RawData {
  n: number;
  t: Float64Array;
  value: Float64Array;
  status: Uint32Array;
  flags: Uint32Array;
  text?: string[];
  complete: boolean;
}

export interface ProcessedData {
  n: number;
  t: Float64Array;
  value: Float64Array;
  status: Uint32Array;
  /** A text tag's states per interval (value NaN there), as the raw columns keep them. */
  text?: string[];
}

export interface DecodedSeries {
  tag: string;
  kind: 'analog' | 'discrete' | 'text';
  versions: TagVersionInfo[];
  before: HistoryPoint | null;
  after: HistoryPoint | null;
  /** Spans [start, end) held by archive files that could not be read; empty when none. */
  unavailable: [number, number][];
  plot?: PlotData;
  raw?: RawData;
  processed?: ProcessedData;
}

export function decodeSeries(s: HistorySeries): DecodedSeries {
  const out: DecodedSeries = { tag: s.tag, kind: s.kind, versions: s.versions, before: s.before, after: s.after, unavailable: s.unavailable ?? [] };
  if (s.plot) {
    const p = s.plot, n = p.n;
    out.plot = {
      n,
      width: p.width,
      min: decodeFloats(p.min, n),
      max: decodeFloats(p.max, n),
      first: decodeFloats(p.first, n),
      last: decodeFloats(p.last, n),
      firstT: decodeTimes(p.firstT, n),
      lastT: decodeTimes(p.lastT, n),
      count: decodeFloats(p.count, n),
      status: decodeRuns(p.status, n),
      endStatus: decodeRuns(p.endStatus, n),
    };
  }
  if (s.raw) {
    const r = s.raw, n = r.n;
    out.raw = {
      n,
      t: decodeTimes(r.t, n),
      value: decodeFloats(r.value, n),
      status: decodeRuns(r.status, n),
      flags: decodeRuns(r.flags, n),
      ...(r.text ? { text: r.text } : {}),
      complete: r.complete,
    };
  }
  if (s.processed) {
    const r = s.processed, n = r.n;
    out.processed = { n, t: decodeTimes(r.t, n), value: decodeFloats(r.value, n), status: decodeRuns(r.status, n), ...(r.text ? { text: r.text } : {}) };
  }
  return out;
}
