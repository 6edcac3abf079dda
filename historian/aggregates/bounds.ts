/**
 * Interpolated bounding values (Part 13 §3.1.8) and the Interpolative
 * aggregate (§5.4.3.2), which is nothing but those values at interval starts.
 */
import { Good, HistorianInterpolated, HistorianRaw, UncertainDataSubNormal, type StatusCode } from '../status.js';
import type { HistValue, Value } from '../types.js';
import type { IntervalState } from './intervals.js';
import { noDataValue, result } from './result.js';
import { Q_UNCERTAIN, lowerBound, upperBound, type Series } from './series.js';

export interface Bound {
  value: number;
  /** The raw value as archived when `raw`; else the interpolated number. */
  rawValue: Value;
  status: StatusCode;
  /** A usable archived value stands exactly at the bound's time. */
  raw: boolean;
}

/**
 * The value at `time`: an exact usable sample, else interpolated between the
 * usable samples around it (skipping Bad ones, which makes it Uncertain), else
 * extrapolated past the last one (always Uncertain). Null before the first
 * usable value: there is no bound.
 */
export function interpolatedBound(s: Series, time: number, stepped: boolean): Bound | null {
  const at = lowerBound(s, time);
  const after = upperBound(s, time);
  for (let i = at; i < after; i++) {
    if (s.usable[i]) return { value: s.num[i], rawValue: s.raw[i], status: s.status[i], raw: true };
  }
  const p = at > 0 ? s.prevUsable[at - 1] : -1;
  if (p < 0) return null;
  const n = after < s.length ? s.nextUsable[after] : -1;
  if (n < 0) return extrapolated(s, p, time, stepped);
  let value: number;
  let skipped: boolean;
  let uncertainUsed: boolean;
  if (stepped) {
    // A step holds p's value: only what happened between p and `time` matters.
    value = s.num[p];
    skipped = after - 1 > p;
    uncertainUsed = s.q[p] === Q_UNCERTAIN;
  } else {
    value = s.num[p] + ((s.num[n] - s.num[p]) * (time - s.t[p])) / (s.t[n] - s.t[p]);
    skipped = n - p > 1;
    uncertainUsed = s.q[p] === Q_UNCERTAIN || s.q[n] === Q_UNCERTAIN;
  }
  const status = skipped || uncertainUsed ? UncertainDataSubNormal : Good;
  return { value, rawValue: stepped ? s.raw[p] : value, status, raw: false };
}

function extrapolated(s: Series, p: number, time: number, stepped: boolean): Bound {
  const pp = p > 0 ? s.prevUsable[p - 1] : -1;
  if (stepped || !s.config.useSlopedExtrapolation || pp < 0 || s.t[pp] === s.t[p]) {
    return { value: s.num[p], rawValue: s.raw[p], status: UncertainDataSubNormal, raw: false };
  }
  const slope = (s.num[p] - s.num[pp]) / (s.t[p] - s.t[pp]);
  const value = s.num[p] + slope * (time - s.t[p]);
  return { value, rawValue: value, status: UncertainDataSubNormal, raw: false };
}

/** Interpolative: the value at each interval start; raw when one is archived there. */
export function interpolative(s: Series, iv: IntervalState): HistValue {
  const b = interpolatedBound(s, iv.start, s.stepped);
  if (b === null) return noDataValue(iv.start);
  return result(iv.start, b.rawValue, b.status, b.raw ? HistorianRaw : HistorianInterpolated);
}
