/**
 * What a pen reads at the cursor: the same reconstruction the drawing uses.
 * Between archived values a linear tag interpolates and a stepped one holds;
 * in a gap there is no value, only the status that made it; where a plot
 * bucket (a pixel column of a long range) holds values, the honest answer is
 * their range (min .. max) over the bucket, not one made-up value.
 */
import type { PlotData } from '../../../shared/history/decode.js';
import { isGap, Kind, type Trace } from './trace.js';
import { traceDecimals } from './data-decimals.js';

export type Reading =
  | { kind: 'value'; value: number; status: number; t: number; sampleT: number; interpolated: boolean; held: boolean }
  | { kind: 'range'; min: number; max: number; status: number; t: number; t2: number; count: number }
  /** `since`: t is when the gap began (before the x read); otherwise t is x, and when it began is not known. */
  | { kind: 'gap'; status: number; t: number; noData: boolean; since?: boolean };

const BadNoData = 0x809b0000;

/** The worse of two statuses by severity (good < uncertain < bad). */
const worse = (a: number, b: number): number => ((b >>> 30) > (a >>> 30) ? b : a);

export interface ReadContext {
  /** The plot buckets the trace was built from, if any, with their start. */
  plot?: { data: PlotData; start: number } | null;
  /** Up to when an open trace's last value holds (the live edge), or -Infinity when not live. */
  liveUntil: number;
}

export function readAt(tr: Trace, x: number, ctx: ReadContext): Reading {
  const p = ctx.plot;
  if (p) {
    const b = Math.floor((x - p.start) / p.data.width);
    // A bucket with values to draw (good or uncertain) reads as their range; one without is a gap the trace says more about.
    if (b >= 0 && b < p.data.n && p.data.count[b]! > 0 && p.data.first[b] === p.data.first[b]) {
      const d = p.data;
      const t = p.start + b * d.width;
      return { kind: 'range', min: d.min[b]!, max: d.max[b]!, status: d.status[b]!, t, t2: t + d.width, count: d.count[b]! };
    }
  }
  const i = tr.indexAfter(x) - 1;
  if (i < 0) return { kind: 'gap', status: BadNoData, t: x, noData: true };
  const k = tr.k[i]!;
  if (isGap(k)) return { kind: 'gap', status: tr.status[i]!, t: tr.t[i]!, noData: k === Kind.NoData, since: true };
  const v = tr.v[i]!, ti = tr.t[i]!, status = tr.status[i]!;
  if (i === tr.n - 1) {
    if (x === ti) return { kind: 'value', value: v, status, t: x, sampleT: ti, interpolated: false, held: false };
    if (tr.open && x <= ctx.liveUntil) return { kind: 'value', value: v, status, t: x, sampleT: ti, interpolated: false, held: true };
    return { kind: 'gap', status: BadNoData, t: ti, noData: true, since: true };
  }
  const j = i + 1;
  // Stepped, at a sample, or running into a gap: the value holds (nothing to interpolate towards).
  if (tr.stepped || x === ti || isGap(tr.k[j]!)) return { kind: 'value', value: v, status, t: x, sampleT: ti, interpolated: false, held: x !== ti };
  const tj = tr.t[j]!;
  const value = v + ((tr.v[j]! - v) * (x - ti)) / (tj - ti);
  return { kind: 'value', value, status: worse(status, tr.status[j]!), t: x, sampleT: ti, interpolated: true, held: false };
}

/** A pen's reading as the readout shows it, and whether it stands for a value that is not current. */
export type PenReading = Reading & {
  /**
   * Read as the pen's value now (the latest, no cursor, at or after the newest point of an open
   * trace: the station's live feed) while the console's link is down: that feed has stopped, so the
   * value is only the last one received, whatever its status said.
   */
  notCurrent: boolean;
  /** The decimals the pen's values carry (data-decimals.ts): how a tag that says nothing of its own is written. */
  decimals?: number | null;
};

/**
 * Where the readout reads a pen: at the cursor; in a live window, the pen's newest point (its
 * latest value, which readPen holds to now while live); in a view of the past, the view's end,
 * the time the readout names. Not the pen's last point there: a value archived before the end is
 * not the value at the end, and a pen with nothing then reads as no data, as its gap lane shows.
 */
export function readoutTime(cursor: number | null, live: boolean, span: { start: number; end: number }, lastT: number): number {
  if (cursor !== null) return cursor;
  return live ? Math.min(span.end, Math.max(lastT, span.start)) : span.end;
}

/**
 * The readout of a pen at x. Only the latest reading (no cursor) of an open trace from its newest
 * point on is the pen's live value; a cursor reads its own time, and a closed trace (a range in the
 * past) is history: what the archive says stays so whatever the link does.
 */
export function readPen(tr: Trace, x: number, ctx: ReadContext & { atCursor: boolean; linkUp: boolean }): PenReading {
  const live = !ctx.atCursor && tr.open && tr.n > 0 && x >= tr.lastT;
  return { ...readAt(tr, x, ctx), notCurrent: live && !ctx.linkUp, decimals: traceDecimals(tr) };
}
