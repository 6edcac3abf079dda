/**
 * The raw samples a compressed tag received over its open block's span, so that when the block
 * is sealed the writer can store whichever is smaller: the compressor's points, or every raw
 * sample of the span (with the compressor's points: see merge). Archived points
 * of noisy data lose the regular timestamps and small deltas the lossless codec lives on, so
 * they can take more bytes than the samples they stand for; with the raw samples stored the
 * reconstruction is exact and the deviation bound holds trivially. Compression never costs
 * bytes on a block this covers.
 *
 * Memory is bounded: a tag whose compressor drops more than 3 of 4 samples gives its window up
 * for the rest of the block (at that rate the points are very likely the smaller; not checked).
 */
import { type ArchivedSample, Flag, type Sample } from '../types.js';
import { encodeBlock } from './codec.js';
import type { StoredPoint } from './volume.js';

/** Raw samples allowed per archived point of the open block, and beyond that a fixed slack. */
const PER_POINT = 4;
const SLACK = 256;

export class RawWindow {
  private t = new Float64Array(0);
  private value = new Float64Array(0);
  private status = new Uint32Array(0);
  private n = 0;
  /** Every sample pushed with a time at or after this is held (Infinity: none is guaranteed). */
  private from = Infinity;

  /** Raw samples held. */
  get size(): number { return this.n; }

  /** A raw sample pushed to the compressor (in time order); openPoints: the open block's points. */
  keep(s: Sample, openPoints: number): void {
    if (this.n >= PER_POINT * openPoints + SLACK) {
      this.n = 0;
      this.from = Infinity;
    }
    if (this.from === Infinity) this.from = s.t;
    if (this.n === this.t.length) this.grow();
    this.t[this.n] = s.t;
    this.value[this.n] = s.value as number;
    this.status[this.n] = s.status;
    this.n++;
  }

  /** A block starts at t: samples before it are not needed. */
  startAt(t: number): void {
    this.drop((x) => x < t);
    if (this.from <= t) this.from = t;
  }

  /**
   * The raw samples of a block's span [first, last] as the block is sealed (null when the window
   * does not hold all of them); samples up to its end are then let go.
   */
  cut(first: number, last: number): RawSpan | null {
    let span: RawSpan | null = null;
    if (this.from <= first) {
      let i = 0;
      while (i < this.n && this.t[i]! < first) i++;
      let j = i;
      while (j < this.n && this.t[j]! <= last) j++;
      span = { t: this.t.slice(i, j), value: this.value.slice(i, j), status: this.status.slice(i, j) };
    }
    this.drop((x) => x <= last);
    if (this.from <= last + 1) this.from = last + 1;
    return span;
  }

  private drop(before: (t: number) => boolean): void {
    let k = 0;
    while (k < this.n && before(this.t[k]!)) k++;
    if (k === 0) return;
    this.t.copyWithin(0, k, this.n);
    this.value.copyWithin(0, k, this.n);
    this.status.copyWithin(0, k, this.n);
    this.n -= k;
  }

  private grow(): void {
    const size = Math.max(64, this.t.length * 2);
    const t = new Float64Array(size), value = new Float64Array(size), status = new Uint32Array(size);
    t.set(this.t);
    value.set(this.value);
    status.set(this.status);
    this.t = t;
    this.value = value;
    this.status = status;
  }
}

/** Raw samples of a block's span, in time order. */
export interface RawSpan { t: Float64Array; value: Float64Array; status: Uint32Array }

/**
 * The points to store for a block: its own, or the raw samples of its span merged with them
 * when that encodes shorter.
 */
export function settleWith(points: StoredPoint[], span: RawSpan): StoredPoint[] {
  if (points.length === 0) return points;
  const merged = mergeSpan(points, span);
  return merged.length > points.length && encodeBlock(merged).length < encodeBlock(points).length ? merged : points;
}

/**
 * Raw samples in the block's span and its points. At equal times a point wins (a late insert
 * corrects the sample), but for a record the historian added (a deadband's hold record
 * re-stamps the last value at a sample's time): the sample itself is exact. The block's first
 * and last points stay: the compressor measured its next decisions from them.
 */
function mergeSpan(points: readonly StoredPoint[], span: RawSpan): StoredPoint[] {
  const first = points[0]!.t, last = points[points.length - 1]!.t, n = span.t.length;
  const sample = (i: number): ArchivedSample => ({ t: span.t[i]!, value: span.value[i]!, status: span.status[i]!, flags: 0 });
  const out: StoredPoint[] = [];
  let i = 0;
  while (i < n && span.t[i]! < first) i++;
  for (let k = 0; k < points.length; k++) {
    const p = points[k]!;
    while (i < n && span.t[i]! < p.t) out.push(sample(i++));
    if (i < n && span.t[i] === p.t) {
      if (p.flags & Flag.Cyclic && k > 0 && k < points.length - 1) {
        out.push(sample(i++));
        continue;
      }
      i++;
    }
    out.push(p);
  }
  while (i < n && span.t[i]! <= last) out.push(sample(i++));
  return out;
}
