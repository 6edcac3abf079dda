/**
 * Raw reads as columns (readRawColumns): readRaw by tag, value for value (the same bounds,
 * order, statuses and pages; the continuation tokens are interchangeable), but each tag's
 * values are copied into typed arrays a decoded block range at a time: no object, generator
 * step or key per value. What trends, the CSV export and the sync's re-sends read.
 */
import { HistorianRaw, withHistorianBits } from '../status.js';
import { ColumnBuffer, decodeBlockInto } from '../store/codec.js';
import type { HistValue, SampleColumns } from '../types.js';
import { type Key, bound, fingerprintOf, holdsAt, makeToken, noData, pageSizeOf, parseToken, raw } from './raw.js';
import type { ReadSource, TagInfo } from './source.js';
import { RAW_BOOLEAN, type RawColumnsPage, type RawColumnsQuery, type RawSeries } from './types.js';

/** Blocks fetched per query at most; fewer when the page needs fewer (a block is ~512 values). */
const MAX_FETCH = 256;

export function readRawColumns(src: ReadSource, q: RawColumnsQuery): RawColumnsPage {
  src.refresh();
  const tags = src.resolve(q.tags);
  const desc = q.end < q.start;
  const fingerprint = fingerprintOf({ ...q, order: 'tag' });
  const after = q.continuation ? parseToken(q.continuation, fingerprint) : null;
  const page = new Page(pageSizeOf(q), q.statuses === 'stored');
  for (let i = after ? after.tag : 0; i < tags.length && !page.more; i++) {
    readTag(src, tags[i]!, i, q, desc, after !== null && after.tag === i ? after : null, page);
  }
  return { series: page.done(), continuation: page.more ? makeToken(page.last, fingerprint) : null };
}

/**
 * One tag's values after `after` (its token, when the read resumes within this tag) into the
 * page, until the page is full and one more value was seen (then page.more).
 */
function readTag(src: ReadSource, tag: TagInfo, index: number, q: RawColumnsQuery, desc: boolean, after: Key | null, page: Page): void {
  page.begin(tag, index);
  const skipTo = after ? after.phase : 0;
  if (q.bounds && !after && !holdsAt(src, tag, q.start)) {
    const b = desc ? src.after(tag, q.start) : src.before(tag, q.start);
    if (!page.value(0, b ? bound(b) : noData(q.start))) return;
  }
  if (skipTo <= 1) {
    let lo = Math.min(q.start, q.end), hi = Math.max(q.start, q.end);
    // Resuming inside the range: only values past the token's time.
    const past = after && after.phase === 1 ? after.t : NaN;
    if (past === past) {
      if (desc) hi = Math.min(hi, past); else lo = Math.max(lo, past);
    }
    if (tag.kind === 'analog') {
      if (!analog(src, tag, lo, hi, desc, past, page)) return;
    } else {
      const stored = q.statuses === 'stored';
      for (const v of src.scan(tag, lo, hi, desc)) {
        if (v.t !== past && !page.value(1, stored ? v : raw(v))) return;
      }
    }
  }
  if (q.bounds && skipTo < 2 && !holdsAt(src, tag, q.end)) {
    const b = desc ? src.before(tag, q.end) : src.after(tag, q.end);
    page.value(2, b ? bound(b) : noData(q.end));
  }
}

/** An analog tag's values in [lo, hi] (none at `past`, the token's time), block by block; false once the page is done. */
function analog(src: ReadSource, tag: TagInfo, lo: number, hi: number, desc: boolean, past: number, page: Page): boolean {
  const cols = new ColumnBuffer();
  let perBlock = 512;
  const vols = src.volumesIn(lo, hi);
  if (desc) vols.reverse();
  for (const vol of vols) {
    const r = src.reader(vol);
    if (r === null) continue; // missing or damaged: skipped (src.unreadable())
    let from: number, to = hi;
    try {
      from = r.blockFloor(tag.id, lo);
    } catch (err) {
      src.skip(vol, err);
      continue;
    }
    for (;;) {
      // As many blocks as the page still needs (and one more value: is there a next page?).
      const n = Math.min(MAX_FETCH, Math.ceil((page.room + 1) / perBlock) + 1);
      let rows: [number, Buffer][];
      try {
        rows = r.blocksWithData(tag.id, from, to, desc, n);
      } catch (err) {
        src.skip(vol, err);
        break;
      }
      for (const [, bytes] of rows) {
        const k = decodeBlockInto(bytes, cols);
        perBlock = Math.max(1, k);
        let i0 = lowerBound(cols.t, k, lo), i1 = upperBound(cols.t, k, hi);
        if (desc) while (i1 > i0 && cols.t[i1 - 1] === past) i1--;
        else while (i0 < i1 && cols.t[i0] === past) i0++;
        if (i0 < i1 && !page.block(cols, i0, i1, desc)) return false;
      }
      if (rows.length < n) break;
      if (desc) to = rows[rows.length - 1]![0] - 1; else from = rows[rows.length - 1]![0] + 1;
    }
  }
  return true;
}

/** First i < n with a[i] >= x (n when none). */
function lowerBound(a: Float64Array, n: number, x: number): number {
  let lo = 0, hi = n;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m]! < x) lo = m + 1; else hi = m;
  }
  return lo;
}

/** First i < n with a[i] > x (n when none). */
function upperBound(a: Float64Array, n: number, x: number): number {
  let lo = 0, hi = n;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m]! <= x) lo = m + 1; else hi = m;
  }
  return lo;
}

/**
 * Where pages are built: columns grown to the largest page read (up to KEEP values, kept for
 * the next read; beyond that let go). Each tag's values are then sliced out once, at their size:
 * no growing copies per page, and what moves to another thread is exactly the values.
 */
class Scratch {
  t = new Float64Array(0);
  value = new Float64Array(0);
  status = new Uint32Array(0);
  flags = new Uint16Array(0);

  reserve(need: number, used: number): void {
    if (need <= this.t.length) return;
    const cap = Math.max(need, this.t.length * 2, 4096);
    const grow = <A extends Float64Array | Uint32Array | Uint16Array>(a: A, b: A): A => { b.set(a.subarray(0, used)); return b; };
    this.t = grow(this.t, new Float64Array(cap));
    this.value = grow(this.value, new Float64Array(cap));
    this.status = grow(this.status, new Uint32Array(cap));
    this.flags = grow(this.flags, new Uint16Array(cap));
  }
}

const KEEP = 1 << 20;
let kept = new Scratch();

/** The page being filled: values of one tag after another, the key of the last, whether more exist. */
class Page {
  more = false;
  last: Key = { phase: 0, t: 0, tag: 0 };
  private count = 0;
  private readonly c = kept;
  private readonly out: { tag: TagInfo; from: number; text: string[] | null }[] = [];
  private tag: TagInfo | null = null;
  private index = 0;
  private open = false;
  private prevIn = -1;
  private prevOut = 0;

  constructor(private readonly size: number, private readonly stored: boolean) {}

  get room(): number { return this.size - this.count; }

  begin(tag: TagInfo, index: number): void {
    this.tag = tag;
    this.index = index;
    this.open = false;
  }

  /** Room for k more values of the current tag (its series starts with the first). */
  private reserve(k: number): void {
    this.c.reserve(this.count + k, this.count);
    if (this.open) return;
    this.open = true;
    this.out.push({ tag: this.tag!, from: this.count, text: this.tag!.kind === 'text' ? [] : null });
  }

  /** One value (a bound, an event); false when the page was full (it has a next then). */
  value(phase: number, v: HistValue): boolean {
    if (this.count === this.size) return !(this.more = true);
    this.reserve(1);
    const c = this.c, i = this.count++;
    c.t[i] = v.t;
    c.status[i] = v.status;
    c.flags[i] = v.flags | (typeof v.value === 'boolean' ? RAW_BOOLEAN : 0);
    c.value[i] = typeof v.value === 'number' ? v.value : typeof v.value === 'boolean' ? +v.value : NaN;
    const text = this.out[this.out.length - 1]!.text;
    if (text) text.push(typeof v.value === 'string' ? v.value : '');
    this.last = { phase, t: v.t, tag: this.index };
    return true;
  }

  /** Values i0 <= i < i1 of a decoded block, in read order; false when the page filled up with some left. */
  block(b: SampleColumns, i0: number, i1: number, desc: boolean): boolean {
    if (this.count === this.size) return !(this.more = true);
    const all = i1 - i0, take = Math.min(all, this.size - this.count);
    if (desc) i0 = i1 - take; else i1 = i0 + take;
    this.reserve(take);
    const c = this.c, at = this.count, st = c.status, bs = b.status;
    if (!desc) {
      c.t.set(b.t.subarray(i0, i1), at);
      c.value.set(b.value.subarray(i0, i1), at);
      c.flags.set(b.flags.subarray(i0, i1), at);
      for (let i = i0, j = at; i < i1; i++, j++) st[j] = this.status(bs[i]!);
    } else {
      const t = c.t, v = c.value, f = c.flags;
      for (let i = i1 - 1, j = at; i >= i0; i--, j++) {
        t[j] = b.t[i]!;
        v[j] = b.value[i]!;
        f[j] = b.flags[i]!;
        st[j] = this.status(bs[i]!);
      }
    }
    this.count += take;
    this.last = { phase: 1, t: b.t[desc ? i0 : i1 - 1]!, tag: this.index };
    if (take < all) return !(this.more = true);
    return true;
  }

  /** withHistorianBits(s, Raw) (or s as stored), remembered: a block's statuses come in long runs. */
  private status(s: number): number {
    if (s !== this.prevIn) {
      this.prevIn = s;
      this.prevOut = this.stored ? s : withHistorianBits(s, HistorianRaw);
    }
    return this.prevOut;
  }

  /** Each tag's values sliced out at their size. */
  done(): RawSeries[] {
    const c = this.c;
    kept = c.t.length <= KEEP ? c : new Scratch();
    return this.out.map((s, k): RawSeries => {
      const to = k + 1 < this.out.length ? this.out[k + 1]!.from : this.count;
      return {
        tag: s.tag.name, kind: s.tag.kind, length: to - s.from,
        t: c.t.slice(s.from, to), value: c.value.slice(s.from, to), status: c.status.slice(s.from, to), flags: c.flags.slice(s.from, to),
        text: s.text,
      };
    });
  }
}
