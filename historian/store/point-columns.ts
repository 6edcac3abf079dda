/**
 * Points in time order as growable typed columns: an open block's points not in a segment yet
 * (tag-writer.ts `tail`). An object per point (with two boxed doubles) lived from its sample's
 * arrival to the flush that wrote it, so each young-generation collection copied every point
 * of the last second, at 10,000 tags tens of thousands; the columns hold the same points in
 * four arrays the collector never traces.
 */
import type { ArchivedSample, SampleColumns } from '../types.js';
import type { StoredPoint, StoredRun } from './volume.js';

const FIRST_CAPACITY = 16;
/** Arrays up to this many points are kept across flushes: at most ~2.7 KB a tag (a live tag's tail holds a few points: 16-32). */
const KEPT_CAPACITY = 128;

/** Bytes a point takes in the columns: t and value (8 each), status (4), flags (1). */
const POINT_BYTES = 21;

export class PointColumns implements SampleColumns {
  // The four columns share one buffer: at 10,000 tags, four buffers each (their objects and
  // backing stores) cost ~7 MB more of the archive's memory than the points they held.
  t!: Float64Array;
  value!: Float64Array;
  status!: Uint32Array;
  flags!: Uint8Array;
  length = 0;

  constructor() {
    this.allocate(FIRST_CAPACITY);
  }

  push(p: ArchivedSample): void {
    if (typeof p.value !== 'number') throw new Error(`analog point at t=${p.t}: value must be a number, got ${typeof p.value}`);
    this.pushValue(p.t, p.value, p.status, p.flags);
  }

  /** push() of a point given as numbers. */
  pushValue(t: number, value: number, status: number, flags: number): void {
    const i = this.length;
    if (i === this.t.length) this.grow(2 * i);
    this.t[i] = t;
    this.value[i] = value;
    this.status[i] = status;
    this.flags[i] = flags;
    this.length = i + 1;
  }

  /** Points [from, length) as columns (views: valid until the next push). */
  view(from = 0): SampleColumns {
    const n = this.length;
    return { t: this.t.subarray(from, n), value: this.value.subarray(from, n), status: this.status.subarray(from, n), flags: this.flags.subarray(from, n), length: n - from };
  }

  /** All the points as a run written by `seq` (views: valid until the next push). */
  run(seq: number): StoredRun {
    return { cols: this.view(), seqs: new Float64Array(this.length).fill(seq) };
  }

  /**
   * Empties it for the next flush's points, keeping its arrays (allocating four typed arrays per
   * tag per flush cost more than the objects they replace) unless a large block grew them.
   */
  clear(): void {
    this.length = 0;
    if (this.t.length > KEPT_CAPACITY) this.grow(FIRST_CAPACITY);
  }

  /** The points as objects, not written yet (no seq): the rare paths that merge points one by one. */
  points(): StoredPoint[] {
    const out: StoredPoint[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = { t: this.t[i]!, value: this.value[i]!, status: this.status[i]!, flags: this.flags[i]!, seq: undefined };
    return out;
  }

  private grow(capacity: number): void {
    const { t, value, status, flags } = this;
    const n = this.length;
    this.allocate(capacity);
    this.t.set(t.subarray(0, n));
    this.value.set(value.subarray(0, n));
    this.status.set(status.subarray(0, n));
    this.flags.set(flags.subarray(0, n));
  }

  /** Empty columns for `capacity` points (a multiple of 8: the Float64 columns stay aligned). */
  private allocate(capacity: number): void {
    const buffer = new ArrayBuffer(capacity * POINT_BYTES);
    this.t = new Float64Array(buffer, 0, capacity);
    this.value = new Float64Array(buffer, 8 * capacity, capacity);
    this.status = new Uint32Array(buffer, 16 * capacity, capacity);
    this.flags = new Uint8Array(buffer, 20 * capacity, capacity);
  }
}
