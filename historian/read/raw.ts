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

interface Key { phase: number; t: number; tag: number }
interface Keyed { key: Key; value: HistValue }

const DEFAULT_PAGE = 10_000;

export function readRaw(src: ReadSource, q: RawQuery): RawPage {
  src.refresh();
  const tags = src.resolve(q.tags);
  const desc = q.end < q.start;
  const pageSize = q.pageSize ?? DEFAULT_PAGE;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error(`raw read: pageSize: expected an integer >= 1, got ${pageSize}`);
  const fingerprint = canonicalJson({ tags: q.tags, start: q.start, end: q.end, bounds: !!q.bounds, order: q.order ?? 'tag' });
  const after = q.continuation ? parseToken(q.continuation, fingerprint) : null;
  const cmp = compareKeys(desc, q.order === 'time');

  const streams = tags.map((tag, i) => stream(src, tag, i, q, desc, after, cmp));
  const rows: RawRow[] = [];
  let last: Key | null = null;
  const take = (k: Keyed, tag: TagInfo) => {
    rows.push({ tag: tag.name, ...k.value });
    last = k.key;
  };
  if (q.order === 'time') {
    // A binary heap of the streams' next values, smallest key on top.
    const heap: { k: Keyed; i: number }[] = [];
    const less = (a: number, b: number) => cmp(heap[a]!.k.key, heap[b]!.k.key) < 0;
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
    streams.forEach((st, i) => {
      const r = st.next();
      if (r.done) return;
      heap.push({ k: r.value, i });
      for (let c = heap.length - 1; c > 0 && less(c, (c - 1) >> 1); c = (c - 1) >> 1) swap(c, (c - 1) >> 1);
    });
    while (heap.length && rows.length < pageSize) {
      const top = heap[0]!;
      take(top.k, tags[top.i]!);
      const r = streams[top.i]!.next();
      if (r.done) {
        heap[0] = heap[heap.length - 1]!;
        heap.pop();
      } else top.k = r.value;
      down(0);
    }
    return { rows, continuation: heap.length ? makeToken(last!, fingerprint) : null };
  }
  for (let i = 0; i < streams.length; i++) {
    for (const k of streams[i]!) {
      if (rows.length === pageSize) return { rows, continuation: makeToken(last!, fingerprint) };
      take(k, tags[i]!);
    }
  }
  return { rows, continuation: null };
}

/** One tag's values in request order, starting strictly after `after`. */
function* stream(src: ReadSource, tag: TagInfo, index: number, q: RawQuery, desc: boolean, after: Key | null,
  cmp: (a: Key, b: Key) => number): Generator<Keyed> {
  const keep = (key: Key) => after === null || cmp(key, after) > 0;
  // What a resumed read has passed is skipped without reading: whole tags
  // (by tag), or the phases before the token's (by time, or the token's tag).
  const byTag = q.order !== 'time';
  if (after !== null && byTag && index < after.tag) return;
  const resumes = after !== null && (!byTag || index === after.tag);
  const skipTo = resumes ? after.phase : 0;
  if (q.bounds && skipTo === 0) {
    const b = desc ? src.after(tag, q.start) : src.before(tag, q.start);
    const key = { phase: 0, t: b ? b.t : q.start, tag: index };
    if (keep(key)) yield { key, value: b ? bound(b) : noData(q.start) };
  }
  if (skipTo <= 1) {
    let lo = Math.min(q.start, q.end), hi = Math.max(q.start, q.end);
    if (resumes && after.phase === 1) {
      if (desc) hi = Math.min(hi, after.t); else lo = Math.max(lo, after.t);
    }
    for (const v of src.scan(tag, lo, hi, desc)) {
      const key = { phase: 1, t: v.t, tag: index };
      if (keep(key)) yield { key, value: raw(v) };
    }
  }
  if (q.bounds) {
    const b = desc ? src.before(tag, q.end) : src.after(tag, q.end);
    const key = { phase: 2, t: b ? b.t : q.end, tag: index };
    if (keep(key)) yield { key, value: b ? bound(b) : noData(q.end) };
  }
}

const raw = (v: HistValue): HistValue => ({ ...v, status: withHistorianBits(v.status, HistorianRaw) });
const bound = (v: HistValue): HistValue => ({ ...v, status: withHistorianBits(v.status, HistorianRaw), flags: v.flags | Flag.Bounding });
const noData = (t: number): HistValue => ({ t, value: NaN, status: withHistorianBits(BadNoData, 0), flags: Flag.NoData | Flag.Bounding });

function compareKeys(desc: boolean, byTime: boolean): (a: Key, b: Key) => number {
  const dir = desc ? -1 : 1;
  if (byTime) return (a, b) => a.phase - b.phase || dir * (a.t - b.t) || a.tag - b.tag;
  return (a, b) => a.tag - b.tag || a.phase - b.phase || dir * (a.t - b.t);
}

function makeToken(k: Key, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ f: fingerprint, k: [k.phase, k.t, k.tag] })).toString('base64url');
}

function parseToken(token: string, fingerprint: string): Key {
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
