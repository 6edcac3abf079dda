/**
 * From history answers to traces: where the line goes and where it must not.
 *
 * - Raw samples: a point each; a bad sample starts a gap that lasts until the
 *   next good one (its span is a band, never a line).
 * - Plot buckets (one per pixel column): first, min/max and last of the good
 *   and uncertain values (historian/read/plot.ts); an empty bucket is no gap
 *   (nothing was archived: the tag's reconstruction, linear or stepped, runs
 *   on to the next value); a bucket with only bad values, or one whose last
 *   value is bad before empty buckets (endStatus), starts a gap; a bucket with
 *   some values not good is drawn through the others and marked uncertain.
 * - Before the first value: the value before the range draws the line in; with
 *   none, the tag has no data there (a no-data band). After the last: the
 *   value after the range draws it out; with none the trace is open (the live
 *   edge decides at drawing time).
 */
import type { HistoryPoint } from '../../../shared/api/history.js';
import type { PlotData, RawData } from '../../../shared/history/decode.js';
import { BadDataUnavailable } from '../../../../historian/status.js';
import { isGap, Kind, kindOf, Trace } from './trace.js';

const BadNoData = 0x809b0000;

function enter(tr: Trace, before: HistoryPoint | null, start: number): void {
  if (before) tr.push(before.t, before.value ?? NaN, kindOf(before.status, before.value ?? NaN), before.status);
  else tr.push(start, NaN, Kind.NoData, BadNoData);
}

function leave(tr: Trace, after: HistoryPoint | null): void {
  if (!after) return;
  tr.push(after.t, after.value ?? NaN, kindOf(after.status, after.value ?? NaN), after.status);
  tr.open = false;
}

/** A sample onto the trace; a gap that merely goes on (same kind) adds nothing. */
export function pushSample(tr: Trace, t: number, v: number, status: number): void {
  const k = kindOf(status, v);
  if (isGap(k) && tr.n > 0 && tr.lastKind === k) return;
  tr.push(t, v, k, status);
}

export function traceFromRaw(r: RawData, start: number, before: HistoryPoint | null, after: HistoryPoint | null, stepped: boolean): Trace {
  const tr = new Trace(stepped, r.n + 4);
  enter(tr, before, start);
  for (let i = 0; i < r.n; i++) pushSample(tr, r.t[i]!, r.value[i]!, r.status[i]!);
  leave(tr, after);
  return tr;
}

/**
 * A gap point of a plot trace whose time is the bucket's guess, not the archive's: the first bad
 * sample is the first archived after `after` (the trace's point before it: the last good or
 * uncertain value), before `to` (past the bucket by the half a bucket a block may cross its
 * edge by). A raw read there gives the time (exactGapStarts).
 */
export interface GapEdge {
  index: number;
  after: number;
  to: number;
}

export function traceFromPlot(
  p: PlotData, start: number, before: HistoryPoint | null, after: HistoryPoint | null, stepped: boolean, edges: GapEdge[] = [],
): Trace {
  const tr = new Trace(stepped, p.n * 4 + 4);
  enter(tr, before, start);
  for (let b = 0; b < p.n; b++) {
    if (p.count[b] === 0) continue;
    const status = p.status[b]!;
    const first = p.first[b]!;
    const bucketEnd = start + (b + 1) * p.width;
    if (first !== first) {
      // Only bad values in the bucket: a gap from its start (or from where the last one ended).
      if (!isGap(tr.lastKind)) {
        edges.push({ index: tr.n, after: tr.lastT, to: bucketEnd + p.width / 2 });
        tr.push(Math.max(start + b * p.width, tr.lastT), NaN, Kind.Bad, p.endStatus[b] ?? status);
      }
      continue;
    }
    const kind = status >>> 30 === 0 ? Kind.Good : Kind.Uncertain;
    pushBucket(tr, p.firstT[b]!, first, p.min[b]!, p.max[b]!, p.lastT[b]!, p.last[b]!, kind, status);
    const end = p.endStatus[b]!;
    if (end >>> 30 >= 2) {
      // The bucket's last value is bad and nothing follows in the next buckets: a gap from within it.
      edges.push({ index: tr.n, after: p.lastT[b]!, to: bucketEnd + p.width / 2 });
      tr.push((p.lastT[b]! + bucketEnd) / 2, NaN, Kind.Bad, end);
    }
  }
  leave(tr, after);
  return tr;
}

/**
 * Moves each guessed gap start to the first bad sample the archive holds in its window
 * (`firstBad(edge)`, null when the read found none there: the guess stays).
 */
export function exactGapStarts(tr: Trace, edges: readonly GapEdge[], firstBad: (edge: GapEdge) => { t: number; status: number } | null): void {
  for (const e of edges) {
    const bad = firstBad(e);
    // Only within its neighbours: the trace stays in time order.
    if (!bad || bad.t <= tr.t[e.index - 1]! || (e.index + 1 < tr.n && bad.t > tr.t[e.index + 1]!)) continue;
    tr.t[e.index] = bad.t;
    tr.status[e.index] = bad.status;
  }
}

/** first, the extremes between (in the order that makes one stroke), last: M4 per pixel column. */
function pushBucket(tr: Trace, t0: number, first: number, min: number, max: number, t1: number, last: number, kind: Kind, status: number): void {
  tr.push(t0, first, kind, status);
  if (t1 <= t0) return;
  const lo = Math.min(first, last), hi = Math.max(first, last);
  const third = (t1 - t0) / 3;
  const extremes = first <= last ? [min, max] : [max, min];
  let at = t0;
  for (const x of extremes) {
    at += third;
    if (x < lo || x > hi) tr.push(at, x, kind, status);
  }
  tr.push(t1, last, kind, status);
}

/**
 * The trace with each span that unreadable archive files hold (in time order) as a gap of its
 * own, status BadDataUnavailable: an empty stretch of a plot is otherwise drawn through, as if
 * the values had not changed, and what was read of a file before it failed is left out, so that
 * nothing drawn there looks known. From the span's end to the next point nothing is known either,
 * but not for that reason: a no-data gap.
 */
export function markUnavailable(tr: Trace, spans: readonly (readonly [number, number])[]): Trace {
  if (spans.length === 0) return tr;
  const out = new Trace(tr.stepped, tr.n + 2 * spans.length);
  out.open = tr.open;
  const span = ([a, b]: readonly [number, number], next: number) => {
    out.push(a, NaN, Kind.Bad, BadDataUnavailable);
    if (next > b) out.push(b, NaN, Kind.NoData, BadNoData);
  };
  let k = 0;
  for (let i = 0; i < tr.n; i++) {
    const t = tr.t[i]!;
    for (; k < spans.length && spans[k]![1] <= t; k++) span(spans[k]!, k + 1 < spans.length ? Math.min(t, spans[k + 1]![0]) : t);
    if (k < spans.length && t >= spans[k]![0]) continue; // inside a span
    out.push(t, tr.v[i]!, tr.k[i]! as Kind, tr.status[i]!);
  }
  for (; k < spans.length; k++) span(spans[k]!, k + 1 < spans.length ? spans[k + 1]![0] : Infinity);
  return out;
}

/**
 * Empties the plot buckets that overlap a span held by unreadable archive files (the readout
 * reads buckets first): values read from such a file before it failed are not shown as known.
 */
export function clearUnavailable(p: PlotData, start: number, spans: readonly (readonly [number, number])[]): void {
  for (const [a, b] of spans) {
    const from = Math.max(0, Math.floor((a - start) / p.width));
    const to = Math.min(p.n, Math.ceil((b - start) / p.width));
    for (let i = from; i < to; i++) p.count[i] = 0;
  }
}
