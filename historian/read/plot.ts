/**
 * Plot reads: min, max, first and last per bucket for N equal buckets, over the
 * values that can be drawn (good and uncertain; an uncertain one marks its bucket
 * through the status). A block of good values lying wholly inside one bucket is
 * answered from its summary; blocks that straddle a bucket edge (or the range's
 * ends) are decoded, and so is every block holding a value that is not good: a
 * summary keeps the extremes of the good values only. When the buckets are pixel
 * columns (snapMs), a good block crossing an edge by less than the caller's
 * tolerance counts whole on its larger side: a year's plot then decodes no block
 * but the two at the range's ends. Runs of sealed blocks are read as one summary
 * each (store/rollups.ts) where they fall in one bucket.
 */
import { Bad, BadNoData, Good, Uncertain, UncertainDataSubNormal } from '../status.js';
import { ColumnBuffer } from '../store/codec.js';
import { SUMMARY_FIELDS } from '../store/schema.js';
import { Flag, type SampleColumns } from '../types.js';
import type { ReadSource, TagInfo } from './source.js';
import type { PackedSummaries, VolumeReader } from './volume-reader.js';
import type { PlotQuery, PlotSeries } from './types.js';

export function readPlot(src: ReadSource, q: PlotQuery): PlotSeries[] {
  src.refresh();
  if (!Number.isInteger(q.buckets) || q.buckets < 1) throw new Error(`plot read: buckets: expected an integer >= 1, got ${q.buckets}`);
  if (!(q.end > q.start)) throw new Error(`plot read: expected start < end, got ${q.start} .. ${q.end}`);
  const snap = q.snapMs ?? 0;
  const half = (q.end - q.start) / q.buckets / 2;
  if (!(snap >= 0 && snap <= half)) throw new Error(`plot read: snapMs: expected 0 to half a bucket (${half} ms), got ${snap}`);
  return src.resolve(q.tags).map((tag) => plotTag(src, tag, q.start, q.end, q.buckets, snap));
}

/** What a bucket holds, in `seen`: a value not drawn (bad, or no number), a good one, an uncertain one. */
const NOT_DRAWN = 1, GOOD = 2, UNCERTAIN = 4;

/** The seen bit of a value: good and uncertain numbers are drawn. */
const kindOf = (severity: number, v: number): number => (v !== v || severity >= 2 ? NOT_DRAWN : severity === 0 ? GOOD : UNCERTAIN);

/** Per-bucket accumulators over drawn values, and what kinds of value each bucket holds (`seen`). */
class Buckets {
  readonly s: PlotSeries;
  readonly seen: Uint8Array;
  readonly width: number;

  constructor(tag: string, readonly start: number, readonly end: number, readonly n: number, readonly snap: number) {
    this.width = (end - start) / n;
    this.s = {
      tag, start, end, width: this.width,
      t: new Float64Array(n), min: new Float64Array(n).fill(NaN), max: new Float64Array(n).fill(NaN),
      firstT: new Float64Array(n).fill(NaN), first: new Float64Array(n).fill(NaN),
      lastT: new Float64Array(n).fill(NaN), last: new Float64Array(n).fill(NaN),
      count: new Float64Array(n), status: new Uint32Array(n), flags: new Uint8Array(n),
    };
    this.seen = new Uint8Array(n);
  }

  /**
   * (t - start)·n / (end - start), not (t - start) / width: width is rounded (4,000,000 ms in
   * 28 buckets: 142,857.14285714287) and a sample exactly on an edge (+1,000,000 ms) fell into
   * the bucket before. Integer ms times the bucket count stay exact below 2^53, so a quotient
   * that is a whole number is exact; beyond that (a century in 4,096 columns) the rounded width.
   */
  bucketOf(t: number): number {
    const a = (t - this.start) * this.n;
    const b = Math.floor(Number.isSafeInteger(a) ? a / (this.end - this.start) : (t - this.start) / this.width);
    return b < this.n ? b : this.n - 1;
  }

  /**
   * The first integer ms that bucketOf puts after bucket b (Infinity for the last), found
   * with bucketOf itself so that it agrees with it to the ms whatever the rounding.
   */
  firstAfter(b: number): number {
    if (b >= this.n - 1) return Infinity;
    let t = Math.ceil(this.start + (b + 1) * this.width);
    while (this.bucketOf(t - 1) > b) t--;
    while (this.bucketOf(t) <= b) t++;
    return t;
  }

  /** A drawable value (good or uncertain) into bucket b. */
  drawable(b: number, t: number, v: number): void {
    const s = this.s;
    if (!(s.min[b]! <= v)) s.min[b] = v;
    if (!(s.max[b]! >= v)) s.max[b] = v;
    if (!(s.firstT[b]! <= t)) { s.firstT[b] = t; s.first[b] = v; }
    if (!(s.lastT[b]! >= t)) { s.lastT[b] = t; s.last[b] = v; }
  }

  point(t: number, v: number, status: number): void {
    if (t < this.start || t >= this.end) return;
    const b = this.bucketOf(t);
    this.s.count[b]!++;
    const k = kindOf(status >>> 30, v);
    this.seen[b]! |= k;
    if (k !== NOT_DRAWN) this.drawable(b, t, v);
  }

  /**
   * A decoded block, in time order, a bucket's run of samples at a time: the bucket advances
   * with t instead of a division per sample, and the run's count, extremes and first and last
   * drawable samples are found in locals, then merged into the bucket once.
   */
  columns(c: SampleColumns): void {
    const { t, value, status } = c;
    const n = c.length;
    const { start, end, seen } = this;
    const count = this.s.count;
    let i = 0;
    while (i < n && t[i]! < start) i++;
    while (i < n && t[i]! < end) {
      const b = this.bucketOf(t[i]!);
      const next = Math.min(this.firstAfter(b), end);
      let min = Infinity, max = -Infinity, first = -1, last = -1, kinds = 0;
      let j = i;
      for (; j < n; j++) {
        if (t[j]! >= next) break;
        const v = value[j]!;
        const k = kindOf(status[j]! >>> 30, v);
        kinds |= k;
        if (k !== NOT_DRAWN) {
          if (first < 0) first = j;
          last = j;
          if (v < min) min = v;
          if (v > max) max = v;
        }
      }
      count[b]! += j - i;
      seen[b]! |= kinds;
      if (first >= 0) {
        const s = this.s;
        if (!(s.min[b]! <= min)) s.min[b] = min;
        if (!(s.max[b]! >= max)) s.max[b] = max;
        if (!(s.firstT[b]! <= t[first]!)) { s.firstT[b] = t[first]!; s.first[b] = value[first]!; }
        if (!(s.lastT[b]! >= t[last]!)) { s.lastT[b] = t[last]!; s.last[b] = value[last]!; }
      }
      i = j;
    }
  }

  /**
   * The bucket a block of good values [ts, te] inside the range counts in whole, or -1 when it
   * must be decoded: it lies in one bucket, or (snapping) it crosses one edge by at most `snap` ms.
   */
  bucketOfBlock(ts: number, te: number): number {
    const b = this.bucketOf(ts);
    const b2 = this.bucketOf(te);
    if (b === b2) return b;
    if (b2 !== b + 1 || this.snap === 0) return -1;
    const edge = this.firstAfter(b);
    const before = edge - ts, after = te + 1 - edge; // ms of the block on each side
    if (Math.min(before, after) > this.snap) return -1;
    return after > before ? b2 : b;
  }

  /**
   * Adds packed summaries of blocks (or rollups) of good values that count whole in one
   * bucket; the refs of the others go to `edges`, to be decoded (or expanded). A summary with
   * a value not good (worst > 0) cannot say what to draw: its min and max are the good
   * values' only, and uncertain values are drawn too.
   */
  summaries(p: PackedSummaries, edges: number[]): void {
    const { start, end, seen } = this;
    const { count, min, max } = this.s;
    const sums = p.sums;
    for (let o = 0, k = 0; o < sums.length; o += SUMMARY_FIELDS, k++) {
      const ts = sums[o]!, te = sums[o + 1]!;
      if (te < start || ts >= end) continue;
      const b = ts < start || te >= end || sums[o + 9] !== 0 ? -1 : this.bucketOfBlock(ts, te);
      if (b < 0) {
        edges.push(p.refs[k]!);
        continue;
      }
      count[b]! += sums[o + 2]!;
      const lo = sums[o + 3]!;
      if (lo === lo) { // some value (all are good here)
        seen[b]! |= GOOD;
        this.drawable(b, sums[o + 5]!, sums[o + 6]!);
        this.drawable(b, sums[o + 7]!, sums[o + 8]!);
        if (lo < min[b]!) min[b] = lo;
        if (sums[o + 4]! > max[b]!) max[b] = sums[o + 4]!;
      }
    }
  }

  finish(): PlotSeries {
    const s = this.s;
    for (let b = 0; b < this.n; b++) {
      s.t[b] = this.start + (b * (this.end - this.start)) / this.n;
      const k = this.seen[b]!;
      // Uncertain alone says all are uncertain; a mix of kinds with some drawn is UncertainDataSubNormal.
      s.status[b] = k === 0 ? BadNoData : k === GOOD ? Good : k === UNCERTAIN ? Uncertain : k === NOT_DRAWN ? Bad : UncertainDataSubNormal;
      if (k === 0) s.flags[b] = Flag.NoData;
    }
    return s;
  }
}

/**
 * Where every plot decodes its edge blocks (reads are synchronous and do not nest), grown once to
 * the largest block: a buffer per plot grew on its first block each time, and the optimized
 * decoder, built before that path had feedback, was thrown away at each new plot's first block.
 */
const edgeColumns = new ColumnBuffer();

function plotTag(src: ReadSource, tag: TagInfo, start: number, end: number, n: number, snap: number): PlotSeries {
  const acc = new Buckets(tag.name, start, end, n, snap);
  const cols = edgeColumns;
  for (const vol of src.volumesIn(start, end - 1)) {
    if (tag.kind !== 'analog') {
      for (const v of src.scan(tag, Math.max(start, vol.start), Math.min(end - 1, vol.end - 1), false)) {
        acc.point(v.t, typeof v.value === 'boolean' ? +v.value : typeof v.value === 'number' ? v.value : NaN, v.status);
      }
      continue;
    }
    const r = src.reader(vol);
    if (r === null) continue; // missing or damaged: skipped (src.unreadable())
    try {
      r.snapshot(() => plotVolume(src, r, tag, end, acc, cols));
    } catch (err) {
      src.skip(vol, err); // damaged further in: what was counted from it stays
    }
  }
  return acc.finish();
}

/** One volume's part of an analog tag's plot (in one read transaction). */
function plotVolume(src: ReadSource, r: VolumeReader, tag: TagInfo, end: number, acc: Buckets, cols: ColumnBuffer): void {
  const edges: number[] = [];
  const { runs, rollups, open } = r.summaries(tag.id, end - 1, src.summaryCache);
  for (const part of runs) acc.summaries(part, edges);
  if (rollups) {
    // Rollups across an edge (or the range's ends), or with a value not good, count by their blocks.
    const across: number[] = [];
    acc.summaries(rollups, across);
    if (across.length) for (const part of r.expand(tag.id, across, src.summaryCache)) acc.summaries(part, edges);
  }
  // Blocks across a bucket edge (or the range's ends) or with a value not good are decoded,
  // a batch per query, into one reused buffer.
  for (let i = 0; i < edges.length; i += 256) r.eachDecoded(tag.id, edges.slice(i, i + 256), cols, (c) => acc.columns(c), open);
}
