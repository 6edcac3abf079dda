/**
 * Part 13 §5.4.2.2 interval generation, and what every aggregate needs to
 * know about an interval before computing anything in it.
 */
import { coveredMs, hasPointIn, type Series } from './series.js';

export interface Interval {
  /** Earlier bound (inclusive), ms. */
  start: number;
  /** Later bound (exclusive), ms. */
  end: number;
  /** The ProcessingInterval: a shorter interval is incomplete. */
  fullMs: number;
}

/** A read may ask for at most this many intervals (memory and time bound). */
export const maxIntervals = 1_000_000;

/**
 * The intervals of [start, end) in request order. Descending requests
 * (end < start) step back from start, as Part 13 Table 12 says: the first
 * interval ends at start and the short rest, if any, is the oldest one. Each
 * interval is still evaluated in forward time [lo, hi) and stamped with lo.
 */
export function makeIntervals(start: number, end: number, intervalMs: number): Interval[] {
  if (!Number.isFinite(start) || !Number.isFinite(end)) {
    throw new RangeError(`processed read: start and end must be ms since epoch, got ${start} and ${end}`);
  }
  if (start === end) throw new RangeError(`processed read: start equals end (${start}); Part 13 returns no intervals`);
  if (!Number.isFinite(intervalMs) || intervalMs < 0) {
    throw new RangeError(`processed read: intervalMs must be >= 0, got ${intervalMs}`);
  }
  const range = Math.abs(end - start);
  const step = intervalMs === 0 || intervalMs >= range ? range : intervalMs;
  const count = Math.ceil(range / step);
  if (count > maxIntervals) {
    throw new RangeError(`processed read: ${count} intervals of ${step} ms requested, more than ${maxIntervals}`);
  }
  const out: Interval[] = new Array<Interval>(count);
  for (let k = 0; k < count; k++) {
    if (end > start) out[k] = { start: start + k * step, end: Math.min(start + (k + 1) * step, end), fullMs: step };
    else out[k] = { start: Math.max(start - (k + 1) * step, end), end: start - k * step, fullMs: step };
  }
  return out;
}

export interface IntervalState extends Interval {
  /** No archived value stands anywhere in the interval: before the start or after the end of data. */
  noData: boolean;
  /** Incomplete: shorter than the ProcessingInterval, or data covers only part of it. */
  partial: boolean;
}

export function intervalState(s: Series, iv: Interval): IntervalState {
  const covered = coveredMs(s, iv.start, iv.end);
  const noData = covered === 0 && !hasPointIn(s, iv.start, iv.end);
  const length = iv.end - iv.start;
  return { ...iv, noData, partial: !noData && (covered < length || length < iv.fullMs) };
}
