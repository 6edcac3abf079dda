/** The change feed's output columns, and the write time of a sequence number. */
import type { SampleColumns, TagKind } from '../types.js';
import type { LogRow } from './change-state.js';
import type { ChangeColumns, LostVolumes } from './types.js';

/** Columns of changed samples, grown by doubling up to the call's maximum. */
export class ChangeBuilder {
  readonly tags: string[] = [];
  readonly kinds: TagKind[] = [];
  private readonly index = new Map<number, number>();
  private tag = new Uint32Array(0);
  private t = new Float64Array(0);
  private value = new Float64Array(0);
  private status = new Uint32Array(0);
  private flags = new Uint16Array(0);
  private writtenAt = new Float64Array(0);
  private text: (string | null)[] | null = null;
  length = 0;

  constructor(readonly max: number) { this.grow(Math.min(max, 1 << 18)); }

  /** The index of a tag in this page's tag list, added on first use. */
  tagIndex(info: { id: number; name: string; kind: TagKind }): number {
    let i = this.index.get(info.id);
    if (i === undefined) {
      this.index.set(info.id, (i = this.tags.length));
      this.tags.push(info.name);
      this.kinds.push(info.kind);
    }
    return i;
  }

  get full(): boolean { return this.length >= this.max; }

  push(tag: number, t: number, value: number, status: number, flags: number, writtenAt: number, text: string | null): void {
    const n = this.length;
    if (n === this.t.length) this.grow(Math.min(this.max, n * 2));
    this.tag[n] = tag;
    this.t[n] = t;
    this.value[n] = value;
    this.status[n] = status;
    this.flags[n] = flags;
    this.writtenAt[n] = writtenAt;
    if (text !== null) (this.text ??= new Array<string | null>(n).fill(null))[n] = text;
    else if (this.text) this.text[n] = null;
    this.length = n + 1;
  }

  /**
   * The samples of a decoded block whose sequence numbers are in (a, b] and times after skipTo,
   * until the builder is full: returns the time of the last one taken when it filled up, else NaN.
   */
  pushBlock(tag: number, cols: SampleColumns, seqs: Float64Array, a: number, b: number, skipTo: number,
    writtenAt: (seq: number) => number): number {
    const n = cols.length;
    const ct = cols.t, cv = cols.value, cs = cols.status, cf = cols.flags;
    let m = this.length;
    if (this.t.length - m < n) this.grow(Math.min(this.max, Math.max(this.t.length * 2, m + n)));
    const tag_ = this.tag, t_ = this.t, v_ = this.value, s_ = this.status, f_ = this.flags, w_ = this.writtenAt;
    const text = this.text;
    let lastSeq = NaN, at = 0;
    for (let j = 0; j < n; j++) {
      const s = seqs[j]!, t = ct[j]!;
      if (s <= a || s > b || t <= skipTo) continue;
      if (s !== lastSeq) { lastSeq = s; at = writtenAt(s); }
      tag_[m] = tag;
      t_[m] = t;
      v_[m] = cv[j]!;
      s_[m] = cs[j]!;
      f_[m] = cf[j]!;
      w_[m] = at;
      if (text) text[m] = null;
      m++;
      if (m >= this.max) {
        this.length = m;
        return t;
      }
    }
    this.length = m;
    return NaN;
  }

  finish(cursor: string, more: boolean, lost: LostVolumes | undefined): ChangeColumns {
    const n = this.length;
    return {
      cursor, more, ...(lost ? { lost } : {}), length: n, tags: this.tags, kinds: this.kinds,
      tag: this.tag.subarray(0, n), t: this.t.subarray(0, n), value: this.value.subarray(0, n), text: this.text ? this.text.slice(0, n) : null,
      status: this.status.subarray(0, n), flags: this.flags.subarray(0, n), writtenAt: this.writtenAt.subarray(0, n),
    };
  }

  private grow(size: number): void {
    const n = this.length;
    const tag = new Uint32Array(size), t = new Float64Array(size), value = new Float64Array(size);
    const status = new Uint32Array(size), flags = new Uint16Array(size), writtenAt = new Float64Array(size);
    tag.set(this.tag.subarray(0, n));
    t.set(this.t.subarray(0, n));
    value.set(this.value.subarray(0, n));
    status.set(this.status.subarray(0, n));
    flags.set(this.flags.subarray(0, n));
    writtenAt.set(this.writtenAt.subarray(0, n));
    Object.assign(this, { tag, t, value, status, flags, writtenAt });
  }
}

/** When a sequence number was written: the first commit of its change log row; 0 before the feed existed. */
export function writtenAtOf(log: readonly LogRow[]): (seq: number) => number {
  let lastSeq = NaN, lastAt = 0;
  return (seq) => {
    if (seq === lastSeq) return lastAt;
    lastSeq = seq;
    let lo = 0, hi = log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (log[mid]!.seq < seq) lo = mid + 1; else hi = mid;
    }
    lastAt = seq <= 0 || log.length === 0 ? 0 : (log[lo] ?? log[log.length - 1]!).writtenAt;
    return lastAt;
  };
}
