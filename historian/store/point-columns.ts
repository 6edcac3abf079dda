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

export class PointColumns implements SampleColumns {
  t = new Float64Array(FIRST_CAPACITY);
  value = new Float64Array(FIRST_CAPACITY);
  status = new Uint32Array(FIRST_CAPACITY);
  flags = new Uint8Array(FIRST_CAPACITY);
  length = 0;

  push(p: ArchivedSample): void {
    if (typeof p.value !== 'number') throw new Error(`analog point at t=${p.t}: value must be a number, got ${typeof p.value}`);
    const i = this.length;
    if (i === this.t.length) this.grow(2 * i);
    this.t[i] = p.t;
    this.value[i] = p.value;
    this.status[i] = p.status;
    this.flags[i] = p.flags;
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
    const t = new Float64Array(capacity), value = new Float64Array(capacity);
    const status = new Uint32Array(capacity), flags = new Uint8Array(capacity);
    const n = this.length;
    t.set(this.t.subarray(0, n));
    value.set(this.value.subarray(0, n));
    status.set(this.status.subarray(0, n));
    flags.set(this.flags.subarray(0, n));
    this.t = t;
    this.value = value;
    this.status = status;
    this.flags = flags;
  }
}
