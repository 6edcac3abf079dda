/**
 * Segment rows packed into full leaf pages at a clean close (segment-pack.ts). The cell sizes
 * are checked against SQLite's own page accounting (dbstat), the packed file against the rows
 * and the samples as written.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import type { Sample } from '../types.js';
import { VOLUME_DDL, VOLUME_PAGE_SIZE } from './schema.js';
import { type SegmentRow, fillOrder, leafCellBytes, recordBytes } from './segment-pack.js';
import { T0, tagConfig, tempDir, volumeQuery } from './testing.js';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0).reverse()) c(); });

const LEAF_ROOM = VOLUME_PAGE_SIZE - 8;

/** Pages when cells go into pages in the given order, a new page when the next does not fit (what SQLite does on appends). */
function nextFitPages(cells: readonly number[], room: number): number[][] {
  const pages: number[][] = [];
  let left = -1;
  for (const c of cells) {
    if (c > left) { pages.push([]); left = room; }
    pages[pages.length - 1]!.push(c);
    left -= c;
  }
  return pages;
}

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const segmentRow = fc.record({
  tag_id: fc.integer({ min: 1, max: 100_000 }),
  t_start: fc.integer({ min: -(2 ** 47), max: 2 ** 47 }),
  t_end: fc.integer({ min: -(2 ** 47), max: 2 ** 47 }),
  seq_min: fc.integer({ min: 0, max: 2 ** 40 }),
  seq_max: fc.integer({ min: 0, max: 2 ** 40 }),
  summary: fc.integer({ min: 0, max: 40 }).chain(bytes),
  data: fc.oneof(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 5000 })).chain(bytes),
  seqs: fc.option(fc.integer({ min: 0, max: 300 }).chain(bytes)),
});

describe('leafCellBytes', () => {
  it('is what SQLite takes on the leaf for a segment row, overflowing or not (dbstat of a one-row table)', () => {
    const db = new Database(':memory:');
    cleanups.push(() => db.close());
    db.pragma(`page_size = ${VOLUME_PAGE_SIZE}`);
    db.exec(VOLUME_DDL);
    const put = db.prepare('INSERT INTO segment(id, tag_id, t_start, t_end, seq_min, seq_max, summary, data, seqs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const unused = db.prepare("SELECT unused FROM dbstat WHERE name = 'segment' AND pagetype = 'leaf'").pluck();
    fc.assert(fc.property(segmentRow, fc.integer({ min: 1, max: 2 ** 40 }), (row: SegmentRow, rowid) => {
      db.prepare('DELETE FROM segment').run();
      put.run(rowid, row.tag_id, row.t_start, row.t_end, row.seq_min, row.seq_max, row.summary, row.data, row.seqs);
      expect(LEAF_ROOM - (unused.get() as number)).toBe(leafCellBytes(recordBytes(row), rowid, VOLUME_PAGE_SIZE));
    }), { numRuns: 300 });
  });
});

describe('fillOrder', () => {
  it('orders every cell once, so that pages filled in that order are the pages it counts, none over its room', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 4, max: LEAF_ROOM }), { maxLength: 400 }), (cells) => {
      const { rows, pages } = fillOrder(cells, LEAF_ROOM);
      expect([...rows].sort((a, b) => a - b)).toEqual(cells.map((_, i) => i));
      const laid = nextFitPages(rows.map((i) => cells[i]!), LEAF_ROOM);
      expect(laid).toHaveLength(pages);
      for (const page of laid) expect(page.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(LEAF_ROOM);
      expect(pages).toBeGreaterThanOrEqual(Math.ceil(cells.reduce((a, b) => a + b, 0) / LEAF_ROOM));
    }));
  });

  it('pairs a large cell with the small ones that fill its page (by hand)', () => {
    // As they come, three pages: 450 | 300 200 | 50; packed, two: 450 50 | 300 200.
    const cells = [450, 300, 200, 50];
    expect(nextFitPages(cells, 504)).toHaveLength(3);
    const { rows, pages } = fillOrder(cells, 504);
    expect(pages).toBe(2);
    expect(rows).toEqual([0, 3, 1, 2]);
  });
});

/** 3-minute process data as an import leaves it: each tag's 960 points one open block, a segment row. */
function processTag(seed: number, n: number): Sample[] {
  let s = seed;
  const random = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  const magnitude = 10 ** (random() * 4 - 1);
  const p = 10 ** (5 - Math.floor(Math.log10(magnitude)));
  return Array.from({ length: n }, (_, i) => ({ t: T0 + i * 180_000, value: Math.round(magnitude * (1 + 0.01 * (random() - 0.5)) * p) / p, status: Good }));
}

type Row = Omit<SegmentRow, 'summary' | 'data' | 'seqs'> & { summary: Buffer; data: Buffer; seqs: Buffer | null };
const ROWS = 'SELECT tag_id, t_start, t_end, seq_min, seq_max, summary, data, seqs FROM segment ORDER BY tag_id, t_start';
const LEAVES = "SELECT count(*) AS n, sum(unused) AS unused FROM dbstat WHERE name = 'segment' AND pagetype = 'leaf'";

describe('a clean close', () => {
  it('packs the open blocks of short series into full leaf pages: the same rows and samples, fewer pages', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const tags = Array.from({ length: 240 }, (_, i) => [`P${i}`, processTag(i + 1, 300 + ((i * 97) % 700))] as const);
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, volumePeriod: 'month' });
    h.defineTags(tags.map(([name]) => tagConfig(name)), T0);
    for (const [name, samples] of tags) h.append(name, samples);
    h.flush();
    const before = volumeQuery<Row>(tmp.dir, ROWS);
    const leavesBefore = volumeQuery<{ n: number; unused: number }>(tmp.dir, LEAVES)[0]!;
    expect(before).toHaveLength(tags.length);
    await h.close();

    expect(volumeQuery<Row>(tmp.dir, ROWS)).toEqual(before);
    const leavesAfter = volumeQuery<{ n: number; unused: number }>(tmp.dir, LEAVES)[0]!;
    // The bound from SQLite's own figures: the cells' bytes (all that is not unused) over a page's room.
    const cellBytes = leavesBefore.n * LEAF_ROOM - leavesBefore.unused;
    expect(leavesAfter.n * LEAF_ROOM - leavesAfter.unused).toBe(cellBytes);
    expect(leavesAfter.n).toBeLessThan(leavesBefore.n);
    expect(leavesAfter.unused / leavesAfter.n).toBeLessThan(16);
    expect(volumeQuery<{ integrity_check: string }>(tmp.dir, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);

    // Read back through the API, then write on: the open blocks go on from their packed rows.
    const again = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, volumePeriod: 'month' });
    for (const [name, samples] of tags) {
      const rows = again.readRaw({ tags: name, start: T0, end: T0 + 1000 * 180_000, pageSize: 2000 }).rows;
      expect(rows.map((r) => [r.t, r.value]), name).toEqual(samples.map((x) => [x.t, x.value]));
    }
    const [name, samples] = tags[7]!;
    const more = processTag(999, 1000).slice(samples.length).map((x) => ({ ...x, value: 1.5 }));
    again.append(name, more);
    await again.close();
    const last = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, volumePeriod: 'month' });
    const rows = last.readRaw({ tags: name, start: T0, end: T0 + 1000 * 180_000, pageSize: 2000 }).rows;
    await last.close();
    expect(rows.map((r) => [r.t, r.value])).toEqual([...samples, ...more].map((x) => [x.t, x.value]));
  });
});
