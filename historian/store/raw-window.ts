/**
 * The raw samples a compressed tag received over its open block's span, so that when the block
 * is sealed the writer can store whichever is smaller: the compressor's points, or every raw
 * sample of the span (with the compressor's points: see merge). Archived points
 * of noisy data lose the regular timestamps and small deltas the lossless codec lives on, so
 * they can take more bytes than the samples they stand for; with the raw samples stored the
 * reconstruction is exact and the deviation bound holds trivially. Compression never costs
 * bytes on a block this covers.
 *
 * When the window holds as many samples as a lossless block of the tag would (blocks are sized
 * by bytes) it weighs them against the block's points so far (encoded; the samples too, unless
 * the points fit under their floor, encoding/bound.ts): the block is sealed
 * then if the samples are the smaller, so it spans about what a lossless block would (each block
 * pays a header and code tables: cut shorter, its bytes would add up to more than lossless);
 * else the window is given up for the rest of the block (a compressor that keeps few points: the
 * points stay the smaller). Memory is bounded: 20 bytes per raw sample, at most 2 x blockSize
 * samples (160 KB with 4096) and the block's points; about a block's worth in the usual case.
 */
import { type ArchivedSample, Flag, type Sample, type SampleColumns } from '../types.js';
import { blockBytesAtLeast, encodeBlock, encodeBlockColumns } from './codec.js';
import type { StoredPoint } from './volume.js';

/** Points within this share of the samples' bytes: too close to call, the block is sealed on a lossless boundary. */
const CLOSE_CALL = 0.9;
/**
 * A compressor keeping fewer than one point in SPARSE samples is not sealed on a close call: a
 * stepped signal's few points and its samples (long runs of one value) both encode to a few dozen
 * bytes, and sealing each on a lossless boundary cost a block's overhead every time for nothing
 * (the plant's stepped tags: 735 blocks, 44 KB; 89 blocks, 19.5 KB without; 65 KB lossless).
 */
const SPARSE = 4;
/** Samples a window holds before its first growth (to its capacity). */
const INITIAL = 64;

export class RawWindow {
  /**
   * max: most samples held before the window decides (the writer's most points per block).
   * capacity: the samples it is expected to hold (the tag's first block and one). It starts at
   * INITIAL and grows to capacity in one step, then by doubling: a tag whose server sends a value
   * now and then (a set point, a valve held) holds 1.3 KB, not a block's 10 KB (100 MB at 10,000
   * such tags); a busy one pays one copy of INITIAL samples, not the ~3 % of a swinging-door ingest
   * that growing every window from 64 by doubling took (typed arrays are zeroed on allocation).
   */
  constructor(private readonly max: number, capacity = 0) {
    this.capacity = Math.min(capacity, 2 * max);
    const n = Math.min(this.capacity, INITIAL);
    this.t = new Float64Array(n);
    this.value = new Float64Array(n);
    this.status = new Uint32Array(n);
  }

  private readonly capacity: number;

  private t: Float64Array;
  private value: Float64Array;
  private status: Uint32Array;
  private n = 0;
  /** Every sample pushed with a time at or after this is held (Infinity: none is guaranteed). */
  private from = Infinity;
  /** The open block's points while the window covers it (what decide() weighs the samples against). */
  private points = new PointColumns();

  /** Raw samples held. */
  get size(): number { return this.n; }

  /** A raw sample pushed to the compressor (in time order). */
  keep(s: Sample): void {
    if (this.n >= 2 * this.max) this.giveUp(); // a seal decided on has not come: memory stays bounded
    if (this.from === Infinity) this.from = s.t;
    if (this.n === this.t.length) this.grow();
    this.t[this.n] = s.t;
    this.value[this.n] = s.value as number;
    this.status[this.n] = s.status;
    this.n++;
  }

  /** A sample received again at time t (Compressor.pushLate): the window keeps the new one. */
  replace(t: number, value: number, status: number): void {
    let lo = 0, hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.t[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.n && this.t[lo] === t) {
      this.value[lo] = value;
      this.status[lo] = status;
    }
  }

  /** The first and last sample's time (their pace decides how many a lossless block takes); 0 when none. */
  get first(): number { return this.n ? this.t[0]! : 0; }
  get last(): number { return this.n ? this.t[this.n - 1]! : 0; }

  /** The window holds every sample of a block starting at blockStart (it decides where that block ends). */
  covers(blockStart: number): boolean { return this.from <= blockStart; }

  /** A point archived into the open block (starting at blockStart). */
  note(p: ArchivedSample, blockStart: number): void {
    this.noteValue(p.t, p.value as number, p.status, p.flags, blockStart);
  }

  /** note() of a point given as numbers. */
  noteValue(t: number, value: number, status: number, flags: number, blockStart: number): void {
    if (this.from <= blockStart) this.points.pushValue(t, value, status, flags);
  }

  /**
   * Time to decide (decide()): the window holds as many samples as a lossless block of the tag
   * would have (`blockPoints`, sized by bytes: tag-writer.ts), or `max`.
   */
  due(blockPoints: number): boolean { return this.n >= Math.min(blockPoints, this.max) && this.from !== Infinity; }

  /**
   * Due (due()): true when the block is to be sealed now, on the newest sample, so that it spans
   * what a lossless block would: when its samples encode shorter than its points so far, or its
   * points are within CLOSE_CALL of them and at least one sample in SPARSE is a point (either may
   * win by the block's end: sealing on the same boundaries as lossless keeps every block, hence
   * the tag, at most its lossless bytes). Else (a compressor that keeps few points: they stay the
   * smaller) the window is given up for the rest of the block and its memory freed.
   */
  decide(): boolean {
    const points = this.points.copyInto(decidePoints, 1);
    if (points.length > 0 && this.from <= points.t[0]!) {
      // The block ends on the newest sample (the compressor's restart() archives it).
      const k = this.n - 1;
      if (this.t[k]! > points.t[points.length - 1]!) appendPoint(points, this.t[k]!, this.value[k]!, this.status[k]!, 0);
      const merged = mergeColumns(points, new RawColumns(this.t, this.value, this.status), this.n, decideMerged);
      if (merged.length <= points.length) return this.giveUp(); // the points are every sample
      const pointsBytes = encodeBlockColumns(points).length;
      const sparse = points.length * SPARSE < merged.length;
      // Points within the samples' floor cannot seal below: the samples need no encode (the
      // points of a noisy signal compressed at 1 % take a tenth of its samples' bytes or less).
      if (pointsBytes <= (sparse ? 1 : CLOSE_CALL) * blockBytesAtLeast(merged)) return this.giveUp();
      const bytes = encodeBlockColumns(merged).length;
      if (pointsBytes > bytes || (pointsBytes > CLOSE_CALL * bytes && !sparse)) {
        this.decided = { n: merged.length, bytes, pointsBytes };
        return true;
      }
    }
    return this.giveUp();
  }

  /**
   * Samples and lossless bytes of the block decide() sealed (the next blocks are sized by them, as
   * lossless ones would be), and its points' bytes: the seal stores the smaller (settleDecided).
   */
  decided: Decided | null = null;

  private giveUp(): false {
    this.n = 0;
    this.from = Infinity;
    this.points.clear();
    return false;
  }

  /** A block starts at t: samples before it are not needed. */
  startAt(t: number): void {
    this.drop(t);
    if (this.from <= t) this.from = t;
    this.points.clear();
  }

  private span(first: number, last: number): RawSpan {
    let i = 0;
    while (i < this.n && this.t[i]! < first) i++;
    let j = i;
    while (j < this.n && this.t[j]! <= last) j++;
    return new RawColumns(this.t.slice(i, j), this.value.slice(i, j), this.status.slice(i, j));
  }

  /**
   * The raw samples of a block's span [first, last] as the block is sealed (null when the window
   * does not hold all of them); samples up to its end are then let go.
   */
  cut(first: number, last: number): RawSpan | null {
    const span = this.from <= first ? this.span(first, last) : null;
    this.points.clear();
    this.drop(last + 1); // times are integer ms
    if (this.from <= last + 1) this.from = last + 1;
    return span;
  }

  /** Lets go of the samples before t (a number, not a test: a time passed to a function is boxed). */
  private drop(t: number): void {
    let k = 0;
    while (k < this.n && this.t[k]! < t) k++;
    if (k === 0) return;
    this.t.copyWithin(0, k, this.n);
    this.value.copyWithin(0, k, this.n);
    this.status.copyWithin(0, k, this.n);
    this.n -= k;
  }

  private grow(): void {
    const size = this.t.length < this.capacity ? this.capacity : Math.max(INITIAL, this.t.length * 2);
    const t = new Float64Array(size), value = new Float64Array(size), status = new Uint32Array(size);
    t.set(this.t);
    value.set(this.value);
    status.set(this.status);
    this.t = t;
    this.value = value;
    this.status = status;
  }
}

/** Points as columns (a compressed tag's open block, while its window covers it): no object per point. */
class PointColumns {
  private t = new Float64Array(64);
  private value = new Float64Array(64);
  private status = new Uint32Array(64);
  private flags = new Uint8Array(64);
  private n = 0;

  push(p: ArchivedSample): void {
    this.pushValue(p.t, p.value as number, p.status, p.flags);
  }

  pushValue(t: number, value: number, status: number, flags: number): void {
    if (this.n === this.t.length) {
      const grow = <T extends Float64Array | Uint32Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.t = grow(this.t);
      this.value = grow(this.value);
      this.status = grow(this.status);
      this.flags = grow(this.flags);
    }
    this.t[this.n] = t;
    this.value[this.n] = value;
    this.status[this.n] = status;
    this.flags[this.n] = flags;
    this.n++;
  }

  clear(): void { this.n = 0; }

  /** The points into `out` (grown to hold `room` more), as its only points. */
  copyInto(out: Scratch, room: number): Scratch {
    out.ensure(this.n + room);
    out.t.set(this.t.subarray(0, this.n));
    out.value.set(this.value.subarray(0, this.n));
    out.status.set(this.status.subarray(0, this.n));
    out.flags.set(this.flags.subarray(0, this.n));
    out.length = this.n;
    return out;
  }
}

/** Columns the merges reuse (synchronous, not re-entrant): no object per sample or point. */
class Scratch implements SampleColumns {
  t = new Float64Array(0);
  value = new Float64Array(0);
  status = new Uint32Array(0);
  flags = new Uint8Array(0);
  length = 0;

  ensure(n: number): void {
    if (this.t.length >= n) return;
    const size = Math.max(n, 2 * this.t.length);
    this.t = new Float64Array(size);
    this.value = new Float64Array(size);
    this.status = new Uint32Array(size);
    this.flags = new Uint8Array(size);
  }
}

const decidePoints = new Scratch();
const decideMerged = new Scratch();
const settlePoints = new Scratch();
const settleMerged = new Scratch();

function appendPoint(c: Scratch, t: number, value: number, status: number, flags: number): void {
  const i = c.length++;
  c.t[i] = t;
  c.value[i] = value;
  c.status[i] = status;
  c.flags[i] = flags;
}

/**
 * The raw samples [0, to) of `raw` within the points' span merged with the points, into `out`.
 * At equal times a point wins (a late insert corrects the sample), but for a record the
 * historian added (a deadband's hold record re-stamps the last value at a sample's time): the
 * sample itself is exact. That holds at the block's ends too: a running compressor keeps its own
 * state, and one restored after a restart resumes from the archive's last point, a real sample
 * then (the close's hold record was 13 of 425 bytes over lossless on a real-shaped analyzer: its
 * flag run and a value off the deltas).
 */
function mergeColumns(points: SampleColumns, raw: RawSpan, to: number, out: Scratch): Scratch {
  const np = points.length, last = points.t[np - 1]!;
  let i = 0;
  while (i < to && raw.t[i]! < points.t[0]!) i++;
  out.ensure(np + to - i);
  out.length = 0;
  for (let k = 0; k < np; k++) {
    const pt = points.t[k]!;
    while (i < to && raw.t[i]! < pt) { appendPoint(out, raw.t[i]!, raw.value[i]!, raw.status[i]!, 0); i++; }
    if (i < to && raw.t[i] === pt) {
      // A record gives way to the sample at its time, but not as the block's first point: the
      // samples it stands for are in the block before, on a line to it (a hold record's: the raw
      // sample there may be up to 2·dev off that line).
      if (k > 0 && points.flags[k]! & Flag.Cyclic) {
        appendPoint(out, raw.t[i]!, raw.value[i]!, raw.status[i]!, 0);
        i++;
        continue;
      }
      i++;
    }
    appendPoint(out, pt, points.value[k]!, points.status[k]!, points.flags[k]!);
  }
  while (i < to && raw.t[i]! <= last) { appendPoint(out, raw.t[i]!, raw.value[i]!, raw.status[i]!, 0); i++; }
  return out;
}

/** Raw samples of a block's span, in time order. */
export interface RawSpan { t: Float64Array; value: Float64Array; status: Uint32Array }

/**
 * A RawSpan as a class, not an object literal. V8 builds the hidden classes of object literals
 * with the same first keys from one tree: a literal { t, value, status } of arrays made the
 * fields of every sample and point literal ({ t, value, status, ... } of numbers) hold anything,
 * and every number the compressors then stored in a point was boxed. On a 1,000-tag
 * swinging-door ingest that was 15 % of all it allocated (bench: 362 -> 308 MB over 50
 * minutes of data) and ~10 % of its time.
 */
class RawColumns implements RawSpan {
  constructor(readonly t: Float64Array, readonly value: Float64Array, readonly status: Uint32Array) {}
}

/** What decide() weighed for a block it sealed: its samples (merged with its points) and their bytes, and its points' bytes. */
export interface Decided { n: number; bytes: number; pointsBytes: number }

/**
 * settleWith for a block decide() sealed, its points as decide() saw them (no late point since):
 * the smaller by the bytes it weighed, without encoding the block twice more.
 */
export function settleDecided(points: StoredPoint[], span: RawSpan, decided: Decided): StoredPoint[] {
  return points.length > 0 && decided.bytes < decided.pointsBytes ? pointsOf(mergeSpan(points, span)) : points;
}

/**
 * The points to store for a block: its own, or the raw samples of its span merged with them
 * when that encodes shorter (new objects then: the writer stamps them all as this write's).
 */
export function settleWith(points: StoredPoint[], span: RawSpan): StoredPoint[] {
  if (points.length === 0) return points;
  const merged = mergeSpan(points, span);
  return merged.length > points.length && encodeBlockColumns(merged).length < encodeBlock(points).length ? pointsOf(merged) : points;
}

/** mergeColumns of a sealed block's points (objects: read back from its segments) and its span's samples. */
function mergeSpan(points: readonly StoredPoint[], span: RawSpan): SampleColumns {
  const c = settlePoints;
  c.ensure(points.length);
  c.length = 0;
  for (const p of points) appendPoint(c, p.t, p.value as number, p.status, p.flags);
  return mergeColumns(c, span, span.t.length, settleMerged);
}

function pointsOf(c: SampleColumns): StoredPoint[] {
  const out: StoredPoint[] = new Array(c.length);
  for (let i = 0; i < c.length; i++) out[i] = { t: c.t[i]!, value: c.value[i]!, status: c.status[i]!, flags: c.flags[i]! };
  return out;
}
