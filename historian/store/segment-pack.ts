/**
 * Packs a volume's segment rows into as few leaf pages as they fit, when a writer closes it.
 *
 * A row larger than a page keeps its tail in the leaf (SQLite fills the overflow pages whole and
 * leaves the remainder, 39 to 477 bytes with 512-byte pages, "local"), and rows go into leaf
 * pages in rowid order: a 450-byte remainder followed by a 300-byte one leaves most of a page
 * empty. The open blocks of short series (an import, 3-minute data) stay segments after close,
 * a row each, so their leaves were ~25 % empty (process-3min: 107 KB of 1.29 MB). Rewritten at
 * close with rowids in an order that fills each page (the largest remainder first, then the
 * largest that still fits, and so on), the next page starts where SQLite starts it when an
 * appended row does not fit. Rows keep every column; only their rowids change (nothing keeps
 * a segment's rowid across transactions: merges rewrite them all the time).
 */
import type Database from 'better-sqlite3';

export interface SegmentRow {
  tag_id: number;
  t_start: number;
  t_end: number;
  seq_min: number;
  seq_max: number;
  summary: Uint8Array;
  data: Uint8Array;
  seqs: Uint8Array | null;
}

/** A pack saving less than this share of the leaf pages is not worth rewriting every row. */
const MIN_SHARE_SAVED = 1 / 32;

/** Rewrites the segment table in page-filling order when that saves pages; returns the leaf pages before and after (planned). */
export function packSegments(db: Database.Database): { leaves: number; planned: number } | null {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const leaves = db.prepare("SELECT count(*) FROM dbstat WHERE name = 'segment' AND pagetype = 'leaf'").pluck().get() as number;
  if (leaves < 2) return null;
  const rows = db.prepare('SELECT tag_id, t_start, t_end, seq_min, seq_max, summary, data, seqs FROM segment').all() as SegmentRow[];
  // Rowids are 1..n in the new order, not known yet per row: each cell is weighed with the longest (n's), so no page overfills.
  const order = fillOrder(rows.map((r) => leafCellBytes(recordBytes(r), rows.length, pageSize)), pageSize - LEAF_HEADER);
  const planned = order.pages;
  if (leaves - planned < Math.max(1, leaves * MIN_SHARE_SAVED)) return null;
  db.transaction(() => {
    db.prepare('DELETE FROM segment').run();
    const put = db.prepare('INSERT INTO segment(id, tag_id, t_start, t_end, seq_min, seq_max, summary, data, seqs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    order.rows.forEach((i, k) => {
      const r = rows[i]!;
      put.run(k + 1, r.tag_id, r.t_start, r.t_end, r.seq_min, r.seq_max, r.summary, r.data, r.seqs);
    });
    // Built again from sorted keys, the indexes' pages fill up too (rows came in page order, not key order).
    db.exec('REINDEX segment');
  })();
  return { leaves, planned };
}

/** A b-tree leaf page's header (no right-child pointer). */
const LEAF_HEADER = 8;

/**
 * Rows in page order: per page the largest cell left, then repeatedly the largest that still
 * fits (cells are at most a page, so sizes index a bucket array: no sort, no search).
 */
export function fillOrder(cells: readonly number[], room: number): { rows: number[]; pages: number } {
  const buckets: number[][] = Array.from({ length: room + 1 }, () => []);
  for (let i = cells.length - 1; i >= 0; i--) buckets[Math.min(room, Math.max(1, cells[i]!))]!.push(i);
  const rows: number[] = [];
  let top = room, pages = 0;
  while (rows.length < cells.length) {
    while (buckets[top]!.length === 0) top--;
    pages++;
    let left = room;
    for (let s = top; s > 0;) {
      const b = buckets[s]!;
      if (s > left || b.length === 0) { s = Math.min(s - 1, left); continue; }
      rows.push(b.pop()!);
      left -= s;
    }
  }
  return { rows, pages };
}

/** Bytes of a SQLite record of a segment row (file format 4: 0 and 1 take no body bytes; the rowid alias is a NULL). */
export function recordBytes(r: SegmentRow): number {
  let header = 1, body = 0; // the NULL of the id column: serial type 0
  for (const v of [r.tag_id, r.t_start, r.t_end, r.seq_min, r.seq_max]) {
    header++;
    body += intBytes(v);
  }
  for (const b of [r.summary, r.data, r.seqs]) {
    const n = b ? b.length : 0;
    header += b ? varintBytes(12 + 2 * n) : 1;
    body += n;
  }
  return varintBytes(header + 1) + header + body;
}

/** Body bytes of an integer in a record (serial types 8/9 for 0 and 1, then 1, 2, 3, 4, 6 or 8 bytes). */
function intBytes(v: number): number {
  if (v === 0 || v === 1) return 0;
  const m = v < 0 ? -v - 1 : v;
  return m < 0x80 ? 1 : m < 0x8000 ? 2 : m < 0x800000 ? 3 : m < 0x80000000 ? 4 : m < 0x800000000000 ? 6 : 8;
}

function varintBytes(v: number): number {
  let n = 1;
  while (v >= 0x80 && n < 9) { v = Math.floor(v / 0x80); n++; }
  return n;
}

/** What a table-leaf cell takes on its page, its 2-byte pointer included (SQLite's btree.c: local payload of an overflowing row). */
export function leafCellBytes(payload: number, rowid: number, pageSize: number): number {
  const usable = pageSize, maxLocal = usable - 35, minLocal = Math.floor(((usable - 12) * 32) / 255) - 23;
  let local = payload;
  if (payload > maxLocal) {
    const k = minLocal + ((payload - minLocal) % (usable - 4));
    local = (k <= maxLocal ? k : minLocal) + 4; // + the first overflow page's number
  }
  return 2 + varintBytes(payload) + varintBytes(rowid) + local;
}
