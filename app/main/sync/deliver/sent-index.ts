/**
 * The sample times an upstream took lately, per tag: for an upstream that
 * keeps a second value at a time it already holds (VictoriaMetrics), a
 * change-feed record for a time already sent is the archive rewriting that
 * sample, and the line that carries it is counted as sent again.
 *
 * In memory and bounded: per tag the newest MAX_PER_TAG times taken (fewer
 * when there are many tags, at least MIN_PER_TAG), so a rewrite of an older
 * time, or of one taken before the station started, goes uncounted.
 */
const MAX_PER_TAG = 1024;
const MIN_PER_TAG = 64;
const MAX_TOTAL = 1_000_000;

interface Times {
  /** Sorted; valid in [start, end). */
  t: Float64Array;
  start: number;
  end: number;
}

export class SentIndex {
  private readonly byKey = new Map<string, Times>();

  has(key: string, t: number): boolean {
    const x = this.byKey.get(key);
    if (!x) return false;
    const i = lowerBound(x, t);
    return i < x.end && x.t[i] === t;
  }

  add(key: string, t: number): void {
    let x = this.byKey.get(key);
    if (!x) this.byKey.set(key, (x = { t: new Float64Array(16), start: 0, end: 0 }));
    room(x);
    // Live data comes in time order: an append; a late sample is put in its place.
    const i = x.end > x.start && t > x.t[x.end - 1]! ? x.end : lowerBound(x, t);
    if (i < x.end && x.t[i] === t) return;
    x.t.copyWithin(i + 1, i, x.end);
    x.t[i] = t;
    x.end++;
    const cap = Math.max(MIN_PER_TAG, Math.min(MAX_PER_TAG, Math.floor(MAX_TOTAL / this.byKey.size)));
    if (x.end - x.start > cap) x.start = x.end - cap; // the oldest times go
  }
}

/** Space for one more at the end: the evicted front reclaimed first, else twice the size. */
function room(x: Times): void {
  if (x.end < x.t.length) return;
  const n = x.end - x.start;
  if (x.start > 0) x.t.copyWithin(0, x.start, x.end);
  else {
    const next = new Float64Array(x.t.length * 2);
    next.set(x.t);
    x.t = next;
  }
  x.start = 0;
  x.end = n;
}

/** The first index in [start, end) whose time is >= t. */
function lowerBound(x: Times, t: number): number {
  let lo = x.start, hi = x.end;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x.t[mid]! < t) lo = mid + 1; else hi = mid;
  }
  return lo;
}
