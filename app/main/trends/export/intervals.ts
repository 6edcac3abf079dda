/**
 * Resampled export intervals on round clock times in the export's zone, as PI and most
 * historians align them: an hour on the hour, a minute on the minute, a day from local midnight
 * to the next (23 h or 25 h across a DST change), not from whatever ms the view started at.
 */
import type { TimeOffset } from '../../../../historian/csv/write.js';

const DAY = 86_400_000;

export interface IntervalPlan {
  /** The first interval's start (at or before the range's start) and the last one's end (at or after the range's end). */
  start: number;
  end: number;
  /** Whole local days per interval (their length in ms varies with DST), or null: fixed-length intervals. */
  days: number | null;
}

const offsetFn = (offset: TimeOffset): ((utc: number) => number) => (typeof offset === 'number' ? () => offset : offset);

/** The instant a local wall time (ms, the fields read as UTC) falls on, near `near`. */
function wallToUtc(wall: number, off: (utc: number) => number, near: number): number {
  const guess = wall - off(near) * 60_000;
  return wall - off(guess) * 60_000;
}

/** The local midnight `days` days after the one at or before `utc`. */
export function nextMidnight(utc: number, days: number, offset: TimeOffset): number {
  const off = offsetFn(offset);
  const wall = utc + off(utc) * 60_000;
  return wallToUtc(Math.floor(wall / DAY) * DAY + days * DAY, off, utc);
}

/**
 * How [start, end) is cut: an interval that divides a day starts at a multiple of itself on the
 * local clock; whole days at local midnight; any other length where the range starts.
 */
export function planIntervals(start: number, end: number, intervalMs: number, offset: TimeOffset): IntervalPlan {
  const off = offsetFn(offset);
  if (intervalMs % DAY === 0) {
    const days = intervalMs / DAY;
    const first = nextMidnight(start, 0, offset);
    let last = first;
    while (last < end) last = nextMidnight(last, days, offset);
    return { start: first, end: last, days };
  }
  if (DAY % intervalMs !== 0) return { start, end: start + Math.ceil((end - start) / intervalMs) * intervalMs, days: null };
  const wall = start + off(start) * 60_000;
  const first = wallToUtc(Math.floor(wall / intervalMs) * intervalMs, off, start);
  return { start: first, end: first + Math.ceil((end - first) / intervalMs) * intervalMs, days: null };
}
