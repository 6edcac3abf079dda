/**
 * The samples an upstream took lately, per tag: their times, each with a
 * digest of the line sent. For an upstream that keeps a second value at a
 * time it already holds (VictoriaMetrics), a change-feed record for a time
 * already sent is the archive writing that sample again: the same line (a
 * compressed tag's block settled as its raw samples sends its archived points
 * once more) is not sent twice; another line is a rewrite, sent and counted as
 * sent again.
 *
 * In memory and bounded: per tag the newest MAX_PER_TAG times taken (fewer
 * when there are many tags, at least MIN_PER_TAG), so a sample of an older
 * time, or one taken before the station started, is sent (and counted) again.
 *
 * Only what the upstream still holds is trusted: each time is kept with when
 * it was acknowledged (the sync's steady clock), and a restart check that
 * finds the upstream lost what it acknowledged after some moment doubts every
 * time acknowledged since (doubt): such a line is sent again, counted as sent
 * again, and trusted once acknowledged anew. Found by an exploratory run: a
 * block settled as its samples after VictoriaMetrics lost them was skipped as
 * "not sent twice" (the re-send of the lost positions no longer found the
 * block's points there), and 23 samples never reached it.
 */
const MAX_PER_TAG = 4096;
const MIN_PER_TAG = 64;
const MAX_TOTAL = 2_000_000;

interface Times {
  /** Sorted; valid in [start, end). */
  t: Float64Array;
  /** digest[i]: the line sent for time t[i]. */
  digest: Float64Array;
  /** at[i]: when it was acknowledged (steady ms); NaN: doubted, the upstream may have lost it. */
  at: Float64Array;
  start: number;
  end: number;
}

/** 'doubt': taken, but the upstream may have lost it since (a restart check said so): sent again. */
export type Taken = 'same' | 'other' | 'none' | 'doubt';

export class SentIndex {
  private readonly byKey = new Map<string, Times>();
  /** Changes at every add: what was worked out from the index before is out of date. */
  version = 0;

  /** clock: when a line is acknowledged (the sync's steady clock, as restart checks compare). */
  constructor(private readonly clock: () => number = () => 0) {}

  /** Whether the upstream took a line for (key, t): this very line ('same', by its digest), another, or none known. */
  taken(key: string, t: number, digest: number): Taken {
    const x = this.byKey.get(key);
    if (!x) return 'none';
    const i = lowerBound(x, t);
    if (i >= x.end || x.t[i] !== t) return 'none';
    if (Number.isNaN(x.at[i]!)) return 'doubt';
    return x.digest[i] === digest ? 'same' : 'other';
  }

  add(key: string, t: number, digest: number): void {
    this.version++;
    let x = this.byKey.get(key);
    if (!x) this.byKey.set(key, (x = { t: new Float64Array(16), digest: new Float64Array(16), at: new Float64Array(16), start: 0, end: 0 }));
    room(x);
    const at = this.clock();
    // Live data comes in time order: an append; a late sample is put in its place.
    const i = x.end > x.start && t > x.t[x.end - 1]! ? x.end : lowerBound(x, t);
    if (i < x.end && x.t[i] === t) {
      x.digest[i] = digest; // the newest line sent for that time
      x.at[i] = at;
      return;
    }
    x.t.copyWithin(i + 1, i, x.end);
    x.digest.copyWithin(i + 1, i, x.end);
    x.at.copyWithin(i + 1, i, x.end);
    x.t[i] = t;
    x.digest[i] = digest;
    x.at[i] = at;
    x.end++;
    const cap = Math.max(MIN_PER_TAG, Math.min(MAX_PER_TAG, Math.floor(MAX_TOTAL / this.byKey.size)));
    if (x.end - x.start > cap) x.start = x.end - cap; // the oldest times go
  }

  /**
   * The upstream may no longer hold what it acknowledged at or after `since` (steady ms; -Infinity:
   * anything): those times are doubted, their lines sent again. Returns how many were doubted.
   */
  doubt(since: number): number {
    this.version++;
    let n = 0;
    for (const x of this.byKey.values()) {
      for (let i = x.start; i < x.end; i++) {
        if (x.at[i]! >= since) { x.at[i] = NaN; n++; }
      }
    }
    return n;
  }
}

/** Space for one more at the end: the evicted front reclaimed first, else twice the size. */
function room(x: Times): void {
  if (x.end < x.t.length) return;
  const n = x.end - x.start;
  if (x.start > 0) {
    x.t.copyWithin(0, x.start, x.end);
    x.digest.copyWithin(0, x.start, x.end);
    x.at.copyWithin(0, x.start, x.end);
  } else {
    const t = new Float64Array(x.t.length * 2), d = new Float64Array(x.t.length * 2), at = new Float64Array(x.t.length * 2);
    t.set(x.t);
    d.set(x.digest);
    at.set(x.at);
    x.t = t;
    x.digest = d;
    x.at = at;
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
