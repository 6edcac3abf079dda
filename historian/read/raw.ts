/**
 * Raw reads (Part 11 ReadRaw): archived values of one or many tags in a time
 * range, either direction, with bounding values, paged by a continuation token.
 *
 * Every value has an order key (phase, t, tag index): phase 0 is the start
 * bound, 1 the values inside the range, 2 the end bound. A token is the key of
 * the last value returned, so the next page resumes just after it.
 */
import { BadNoData, HistorianRaw, withHistorianBits } from '../status.js';
import { canonicalJson } from '../store/versions.js';
import { Flag, type HistValue } from '../types.js';
import type { ReadSource, TagInfo } from './source.js';
import type { RawPage, RawQuery, RawRow } from './types.js';

export interface Key { phase: number; t: number; tag: number }
/** Where a tag's stream is: the phase of the row it yielded last, and the tag's index. */
interface StreamState { phase: number; tag: number }
interface Stream extends StreamState { rows: Generator<RawRow> }

export const DEFAULT_PAGE = 10_000;

export function readRaw(src: ReadSource, q: RawQuery): RawPage {
  src.refresh();
  const tags = src.resolve(q.tags);
  const desc = q.end < q.start;
  const pageSize = pageSizeOf(q);
  const fingerprint = fingerprintOf(q);
  const after = q.continuation ? parseToken(q.continuation, fingerprint) : null;
  const cmp = compareKeys(desc, q.order === 'time');

  const streams = tags.map((tag, i): Stream => {
    const st = { phase: 0, tag: i };
    return Object.assign(st, { rows: stream(src, tag, st, q, desc, after, cmp) });
  });
  const rows: RawRow[] = [];
  let last: Key | null = null;
  if (q.order === 'time') {
    // A binary heap of the streams' next rows, smallest key (phase, t, tag) on top.
    const heap: { row: RawRow; phase: number; st: Stream }[] = [];
    const keyOf = (e: { row: RawRow; phase: number; st: Stream }): Key => ({ phase: e.phase, t: e.row.t, tag: e.st.tag });
    const less = (a: number, b: number) => cmp(keyOf(heap[a]!), keyOf(heap[b]!)) < 0;
    const swap = (a: number, b: number) => { const x = heap[a]!; heap[a] = heap[b]!; heap[b] = x; };
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < heap.length && less(l, m)) m = l;
        if (r < heap.length && less(r, m)) m = r;
        if (m === i) return;
        swap(i, m);
        i = m;
      }
    };
    for (const st of streams) {
      const r = st.rows.next();
      if (r.done) continue;
      heap.push({ row: r.value, phase: st.phase, st });
      for (let c = heap.length - 1; c > 0 && less(c, (c - 1) >> 1); c = (c - 1) >> 1) swap(c, (c - 1) >> 1);
    }
    while (heap.length && rows.length < pageSize) {
      const top = heap[0]!;
      rows.push(top.row);
      last = keyOf(top);
      const r = top.st.rows.next();
      if (r.done) {
        heap[0] = heap[heap.length - 1]!;
        heap.pop();
      } else {
        top.row = r.value;
        top.phase = top.st.phase;
      }
      down(0);
    }
    return { rows, continuation: heap.length ? makeToken(last!, fingerprint) : null };
  }
  for (const st of streams) {
    for (const row of st.rows) {
      if (rows.length === pageSize) return { rows, continuation: makeToken(last!, fingerprint) };
      rows.push(row);
      last = { phase: st.phase, t: row.t, tag: st.tag };
    }
  }
  return { rows, continuation: null };
}

/**
 * One tag's rows in request order, starting strictly after `after`; `st.phase` tells which
 * phase the row just yielded belongs to. Values inside the range are built straight from the
 * decoded block columns: one object per row, nothing else per sample.
 */
function* stream(src: ReadSource, tag: TagInfo, st: StreamState, q: RawQuery, desc: boolean, after: Key | null,
  cmp: (a: Key, b: Key) => number): Generator<RawRow> {
  const index = st.tag;
  const keep = (phase: number, t: number) => after === null || cmp({ phase, t, tag: index }, after) > 0;
  // What a resumed read has passed is skipped without reading: whole tags
  // (by tag), or the phases before the token's (by time, or the token's tag).
  const byTag = q.order !== 'time';
  if (after !== null && byTag && index < after.tag) return;
  const resumes = after !== null && (!byTag || index === after.tag);
  const skipTo = resumes ? after.phase : 0;
  // A value exactly at the start or the end is its own bound (Part 11 §6.4.3.2: "at or before"):
  // a second one there (or a NoData beside it) made an export's round trip archive BadNoData over it.
  if (q.bounds && skipTo === 0 && !holdsAt(src, tag, q.start)) {
    const b = desc ? src.after(tag, q.start) : src.before(tag, q.start);
    st.phase = 0;
    if (keep(0, b ? b.t : q.start)) yield { tag: tag.name, ...(b ? bound(b) : noData(q.start)) };
  }
  if (skipTo <= 1) {
    let lo = Math.min(q.start, q.end), hi = Math.max(q.start, q.end);
    if (resumes && after.phase === 1) {
      // Values at the token's time: only those after it in key order (the same t, later tag).
      if (desc) hi = Math.min(hi, after.t); else lo = Math.max(lo, after.t);
    }
    st.phase = 1;
    const name = tag.name;
    const atToken = resumes && after.phase === 1 ? after.t : NaN;
    if (tag.kind === 'analog') {
      const vols = src.volumesIn(lo, hi);
      if (desc) vols.reverse();
      for (const vol of vols) {
        for (const c of src.blocks(vol, tag.id, lo, hi, desc)) {
          const n = c.length, ct = c.t, cv = c.value, cs = c.status, cf = c.flags;
          for (let k = 0; k < n; k++) {
            const i = desc ? n - 1 - k : k;
            const t = ct[i]!;
            if (t < lo || t > hi || (t === atToken && !keep(1, t))) continue;
            yield { tag: name, t, value: cv[i]!, status: withHistorianBits(cs[i]!, HistorianRaw), flags: cf[i]! };
          }
        }
      }
    } else {
      for (const v of src.scan(tag, lo, hi, desc)) {
        if (v.t === atToken && !keep(1, v.t)) continue;
        yield { tag: name, ...raw(v) };
      }
    }
  }
  if (q.bounds && !holdsAt(src, tag, q.end)) {
    const b = desc ? src.before(tag, q.end) : src.after(tag, q.end);
    st.phase = 2;
    if (keep(2, b ? b.t : q.end)) yield { tag: tag.name, ...(b ? bound(b) : noData(q.end)) };
  }
}

/** The tag has an archived value at exactly t: it is the bound there. */
export const holdsAt = (src: ReadSource, tag: TagInfo, t: number): boolean => src.after(tag, t - 1)?.t === t;

export const raw = (v: HistValue): HistValue => ({ ...v, status: withHistorianBits(v.status, HistorianRaw) });
export const bound = (v: HistValue): HistValue => ({ ...v, status: withHistorianBits(v.status, HistorianRaw), flags: v.flags | Flag.Bounding });
export const noData = (t: number): HistValue => ({ t, value: NaN, status: withHistorianBits(BadNoData, 0), flags: Flag.NoData | Flag.Bounding });

function compareKeys(desc: boolean, byTime: boolean): (a: Key, b: Key) => number {
  const dir = desc ? -1 : 1;
  if (byTime) return (a, b) => a.phase - b.phase || dir * (a.t - b.t) || a.tag - b.tag;
  return (a, b) => a.tag - b.tag || a.phase - b.phase || dir * (a.t - b.t);
}

export function pageSizeOf(q: { pageSize?: number }): number {
  const pageSize = q.pageSize ?? DEFAULT_PAGE;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error(`raw read: pageSize: expected an integer >= 1, got ${pageSize}`);
  return pageSize;
}

/** What a token is tied to: a continuation is only accepted by the query that made it. */
export function fingerprintOf(q: RawQuery): string {
  return canonicalJson({ tags: q.tags, start: q.start, end: q.end, bounds: !!q.bounds, order: q.order ?? 'tag' });
}

export function makeToken(k: Key, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ f: fingerprint, k: [k.phase, k.t, k.tag] })).toString('base64url');
}

export function parseToken(token: string, fingerprint: string): Key {
  let parsed: { f?: unknown; k?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof parsed;
  } catch (err) {
    throw new Error(`raw read: continuation: not a token from a previous page (${(err as Error).message})`);
  }
  if (parsed.f !== fingerprint || !Array.isArray(parsed.k) || parsed.k.length !== 3) {
    throw new Error('raw read: continuation: the token belongs to another query (tags, range, bounds and order must be the same)');
  }
  const [phase, t, tag] = parsed.k as number[];
  return { phase: phase!, t: t!, tag: tag! };
}
