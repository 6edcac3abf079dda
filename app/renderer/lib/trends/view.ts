/**
 * What the trend shows and how the operator moves through it: live (a window
 * ending now, scrolling) or history (fixed times), quick ranges, zoom and pan,
 * and a back/forward history of views like a browser's. Plain data in, plain
 * data out, so the page keeps it in $state and the tests need no DOM.
 */
import { LIVE_WINDOW_MAX_MS, LIVE_WINDOW_MIN_MS, type QuickRange } from '../../../shared/api/trends.js';

export type View = { mode: 'live'; windowMs: number } | { mode: 'history'; start: number; end: number };

const MIN = 60_000, HOUR = 3_600_000, DAY = 86_400_000;

export const QUICK_MS: Record<QuickRange, number> = {
  '15m': 15 * MIN, '1h': HOUR, '8h': 8 * HOUR, '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY, '1y': 365 * DAY,
};
export const LIVE_WINDOWS = [MIN, 10 * MIN, HOUR, 8 * HOUR, DAY] as const;

/** Narrowest view a zoom may reach: one second (the archive keeps ms, a trend needs a few samples). */
export const MIN_SPAN_MS = 1000;
/** Widest: ten years. */
export const MAX_SPAN_MS = 10 * 365 * DAY;

export function spanOf(v: View, now: number): { start: number; end: number } {
  return v.mode === 'live' ? { start: now - v.windowMs, end: now } : { start: v.start, end: v.end };
}

export function clampWindow(ms: number): number {
  return Math.min(LIVE_WINDOW_MAX_MS, Math.max(LIVE_WINDOW_MIN_MS, Math.round(ms)));
}

/** The last `q` up to now, as fixed times (the trend does not scroll in history mode). */
export function quick(q: QuickRange, now: number): View {
  return { mode: 'history', start: now - QUICK_MS[q], end: now };
}

function fixed(start: number, end: number): View {
  let span = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, end - start));
  if (!Number.isFinite(span)) span = HOUR;
  const mid = (start + end) / 2;
  return { mode: 'history', start: Math.round(mid - span / 2), end: Math.round(mid - span / 2 + span) };
}

/** Zoom by `factor` (< 1 in, > 1 out) around time `at` (which keeps its place on screen). */
export function zoom(v: View, factor: number, at: number, now: number): View {
  const { start, end } = spanOf(v, now);
  const f = (at - start) / (end - start);
  const span = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, (end - start) * factor));
  const s = at - f * span;
  return fixed(s, s + span);
}

/** Move by a fraction of the span (negative: back in time). */
export function pan(v: View, fraction: number, now: number): View {
  const { start, end } = spanOf(v, now);
  const d = (end - start) * fraction;
  return fixed(start + d, end + d);
}

export function select(start: number, end: number): View {
  return fixed(Math.min(start, end), Math.max(start, end));
}

export function sameView(a: View, b: View): boolean {
  return a.mode === 'live' ? b.mode === 'live' && a.windowMs === b.windowMs : b.mode === 'history' && a.start === b.start && a.end === b.end;
}

/** Back and forward through the views the operator went through. */
export class ViewHistory {
  private views: View[];
  private at = 0;

  constructor(first: View, private readonly limit = 100) {
    this.views = [first];
  }

  get current(): View {
    return this.views[this.at]!;
  }
  get canBack(): boolean {
    return this.at > 0;
  }
  get canForward(): boolean {
    return this.at < this.views.length - 1;
  }

  /** A new view: what was ahead of the current one is dropped, as in a browser. */
  go(v: View): View {
    if (sameView(v, this.current)) return v;
    this.views = this.views.slice(0, this.at + 1);
    this.views.push(v);
    if (this.views.length > this.limit) this.views.shift();
    this.at = this.views.length - 1;
    return v;
  }

  back(): View {
    if (this.at > 0) this.at--;
    return this.current;
  }

  forward(): View {
    if (this.at < this.views.length - 1) this.at++;
    return this.current;
  }
}
