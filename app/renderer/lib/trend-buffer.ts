/**
 * Ring buffer of live rows for the trend page: one time column and one
 * column per tag, NaN where the value was not usable (bad, not live, none),
 * which becomes null for uPlot, i.e. a gap and never a line.
 * Rows are kept in time order: a row not later than the last replaces it.
 */
export class TrendBuffer {
  private readonly times: Float64Array;
  private readonly columns = new Map<string, Float64Array>();
  private start = 0;
  private count = 0;

  constructor(
    tags: readonly string[],
    readonly capacity: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new Error(`TrendBuffer: capacity must be an integer >= 2, got ${capacity}`);
    this.times = new Float64Array(capacity);
    for (const tag of tags) this.columns.set(tag, new Float64Array(capacity).fill(NaN));
  }

  get length(): number {
    return this.count;
  }

  has(tag: string): boolean {
    return this.columns.has(tag);
  }

  /** Appends a row at t (ms); valueOf gives each tag's usable value or null. */
  push(t: number, valueOf: (tag: string) => number | null): void {
    let slot: number;
    const lastSlot = (this.start + this.count - 1) % this.capacity;
    if (this.count > 0 && t <= this.times[lastSlot]) {
      slot = lastSlot; // keep time monotonic: refresh the last row instead
    } else {
      if (this.count < this.capacity) {
        slot = (this.start + this.count) % this.capacity;
        this.count++;
      } else {
        slot = this.start;
        this.start = (this.start + 1) % this.capacity;
      }
      this.times[slot] = t;
    }
    for (const [tag, col] of this.columns) {
      const v = valueOf(tag);
      col[slot] = v === null || !Number.isFinite(v) ? NaN : v;
    }
  }

  /** uPlot's aligned data: x in seconds, then one series per tag, null for gaps, oldest first. */
  data(tags: readonly string[], sinceMs = -Infinity): [number[], ...(number | null)[][]] {
    let first = 0;
    while (first < this.count && this.times[(this.start + first) % this.capacity] < sinceMs) first++;
    const n = this.count - first;
    const xs = new Array<number>(n);
    const series = tags.map(() => new Array<number | null>(n));
    const cols = tags.map((t) => this.columns.get(t));
    for (let i = 0; i < n; i++) {
      const slot = (this.start + first + i) % this.capacity;
      xs[i] = this.times[slot] / 1000;
      for (let s = 0; s < cols.length; s++) {
        const v = cols[s]?.[slot] ?? NaN;
        series[s][i] = Number.isNaN(v) ? null : v;
      }
    }
    return [xs, ...series];
  }
}

/** Rows to keep for n tags within a memory budget of cells (8 bytes each). */
export function trendCapacity(tagCount: number, cellBudget = 4_000_000): number {
  return Math.max(2000, Math.min(20_000, Math.floor(cellBudget / Math.max(1, tagCount))));
}
