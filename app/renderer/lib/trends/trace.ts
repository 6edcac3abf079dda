/**
 * A pen's drawable history: points in time order, each saying what the span
 * up to the next point is. Growable columns, so live samples append in place.
 *
 *   Good, Uncertain  the line goes on to the next point (linear: straight;
 *                    stepped: v holds until the next point's time)
 *   Bad, NoData      a gap starts here (v is NaN): no line to the next point,
 *                    a band over [t, next t) instead
 */
export const Kind = { Good: 0, Uncertain: 1, Bad: 2, NoData: 3 } as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export const isGap = (k: number): boolean => k >= Kind.Bad;

/** Kind of a sample from its OPC UA status (severity bits) and value. */
export function kindOf(status: number, value: number): Kind {
  const severity = status >>> 30;
  if (severity >= 2 || value !== value) return Kind.Bad;
  return severity === 1 ? Kind.Uncertain : Kind.Good;
}

export class Trace {
  t: Float64Array;
  v: Float64Array;
  k: Uint8Array;
  status: Uint32Array;
  n = 0;
  /**
   * False while the archive holds more after the last point (a range in the
   * past): the line ends there. True when the last point is the newest value
   * known: the live edge follows it (held while the tag is live).
   */
  open = true;

  constructor(
    /** Hold each value until the next (discrete tags, stepped tags); else linear. */
    readonly stepped: boolean,
    capacity = 64,
  ) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
    this.k = new Uint8Array(capacity);
    this.status = new Uint32Array(capacity);
  }

  get lastT(): number {
    return this.n > 0 ? this.t[this.n - 1]! : -Infinity;
  }

  get lastKind(): Kind {
    return (this.n > 0 ? this.k[this.n - 1]! : Kind.NoData) as Kind;
  }

  push(t: number, v: number, k: Kind, status: number): void {
    if (this.n === this.t.length) this.grow(this.n * 2);
    const i = this.n++;
    this.t[i] = t;
    this.v[i] = isGap(k) ? NaN : v;
    this.k[i] = k;
    this.status[i] = status;
  }

  /** Drops the points from index i on (a live bucket being rewritten). */
  truncate(i: number): void {
    this.n = Math.max(0, Math.min(this.n, i));
  }

  /** Drops points before t, keeping the one before it (it draws the line into view); returns how many. */
  trimBefore(t: number): number {
    const i = this.indexAfter(t) - 1;
    if (i <= 0) return 0;
    this.t.copyWithin(0, i, this.n);
    this.v.copyWithin(0, i, this.n);
    this.k.copyWithin(0, i, this.n);
    this.status.copyWithin(0, i, this.n);
    this.n -= i;
    return i;
  }

  /** The first index with t[i] > x (n when none): binary search. */
  indexAfter(x: number): number {
    let lo = 0, hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.t[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private grow(capacity: number): void {
    const grow = <A extends Float64Array | Uint8Array | Uint32Array>(a: A, make: (n: number) => A): A => {
      const b = make(capacity);
      b.set(a.subarray(0, this.n));
      return b;
    };
    this.t = grow(this.t, (n) => new Float64Array(n));
    this.v = grow(this.v, (n) => new Float64Array(n));
    this.k = grow(this.k, (n) => new Uint8Array(n));
    this.status = grow(this.status, (n) => new Uint32Array(n));
  }
}
