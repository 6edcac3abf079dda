/**
 * Volume reads (volume-reader.ts): literal cases for what mutation testing of the prepared
 * statements a reader runs on one volume file found untested (README.md, "Mutation testing
 * (volume-reader.ts)"). Every expectation is worked out by hand from the samples each case writes,
 * or from the rows a fixture's expected.json lists (a reference computation in the test).
 */
import Database from 'better-sqlite3';
import { cpSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ArchiveReader } from '../cli/reader.js';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { DAY, T0, tagConfig, tempDir } from '../store/testing.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

describe('plots of archives made by older versions (legacy summaries and block bytes)', () => {
  type Row = [t: number, value: number, status: number, flags: number];
  describe.each(['format-1', 'format-2', 'format-3'])('%s', (name) => {
    const fixture = fileURLToPath(new URL(`../store/fixtures/${name}/`, import.meta.url));
    const rows = (JSON.parse(readFileSync(join(fixture, 'expected.json'), 'utf8')) as Record<string, Row[]>).A!;

    function reader(): ArchiveReader {
      const tmp = tempDir();
      cpSync(join(fixture, 'catalog.sqlite'), join(tmp.dir, 'catalog.sqlite'));
      cpSync(join(fixture, 'volumes'), join(tmp.dir, 'volumes'), { recursive: true });
      const r = new ArchiveReader(tmp.dir);
      cleanups.push(tmp.remove, () => r.close());
      return r;
    }

    it('tag A in 7 buckets: count, min, max, first and last per bucket as the rows listed', () => {
      // A's rows span two day volumes, every value a number; 10 of them Bad (worked out below).
      expect(rows.length).toBe(1202);
      expect(rows.filter(([, v]) => typeof v !== 'number')).toEqual([]);
      expect(rows.filter(([, , status]) => status >>> 30 !== 0).length).toBe(10);
      // A whole number of ms per bucket, so that a row's bucket is floor((t - start) / width).
      const n = 7, start = rows[0]![0], width = Math.ceil((rows.at(-1)![0] + 1 - start) / n), end = start + n * width;
      // The reference: every row counts in its bucket; min, max, first and last over Good rows only.
      const ref = Array.from({ length: n }, () => ({ count: 0, min: NaN, max: NaN, firstT: NaN, lastT: NaN }));
      for (const [t, v, status] of rows) {
        const b = ref[Math.floor((t - start) / width)]!;
        b.count++;
        if (status >>> 30 !== 0) continue;
        b.min = Number.isNaN(b.min) ? v : Math.min(b.min, v);
        b.max = Number.isNaN(b.max) ? v : Math.max(b.max, v);
        if (Number.isNaN(b.firstT)) b.firstT = t;
        b.lastT = t;
      }
      expect(ref.every((b) => b.count > 0 && !Number.isNaN(b.min))).toBe(true);
      const [p] = reader().readPlot({ tags: 'A', start, end, buckets: n, snapMs: 0 });
      expect([...p!.count]).toEqual(ref.map((b) => b.count));
      expect([...p!.min]).toEqual(ref.map((b) => b.min));
      expect([...p!.max]).toEqual(ref.map((b) => b.max));
      expect([...p!.firstT]).toEqual(ref.map((b) => b.firstT));
      expect([...p!.lastT]).toEqual(ref.map((b) => b.lastT));
    });

    it('tag A newest first (end < start) over both day volumes: the rows listed, reversed', () => {
      // From the 1000th row back to the 100th: 901 rows, each as listed (status as read, flags).
      const from = rows[999]![0], to = rows[99]![0];
      const got = reader().readRaw({ tags: 'A', start: from, end: to, pageSize: 100_000 }).rows.map((r): Row => [r.t, r.value as number, r.status, r.flags]);
      expect(got).toEqual(rows.slice(99, 1000).reverse());
    });
  });
});

describe('the open block read from its segment rows', () => {
  it('three flushes of one open block (three segments) plot as the nine samples written', () => {
    const tmp = tempDir();
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, blockSize: 512, sortWindowMs: 0, now: () => T0 + DAY / 2 });
    cleanups.push(tmp.remove, () => h.close());
    h.defineTag(tagConfig('P'), T0 - DAY);
    // Flush k writes 10k + 1, 10k + 2, 10k + 3 at 1000·(3k + 1 .. 3k + 3) ms.
    for (let k = 0; k < 3; k++) {
      h.insert('P', [1, 2, 3].map((j) => ({ t: T0 + 1000 * (3 * k + j), value: 10 * k + j, status: Good })));
      h.flush();
    }
    // One bucket per segment: [0, 3500), [3500, 7000), [7000, 10500) ms; each segment inside one.
    const [p] = h.readPlot({ tags: 'P', start: T0, end: T0 + 10_500, buckets: 3, snapMs: 0 });
    expect([...p!.count]).toEqual([3, 3, 3]);
    expect([...p!.min]).toEqual([1, 11, 21]);
    expect([...p!.max]).toEqual([3, 13, 23]);
    expect([...p!.firstT]).toEqual([T0 + 1000, T0 + 4000, T0 + 7000]);
    expect([...p!.last]).toEqual([3, 13, 23]);
  });
});

/**
 * A closed archive of one analog tag P in day volumes, blocks of two: samples at 0, 100 | 200,
 * 300 sealed, 400, 500 the open block (a segment row), and its one volume file.
 */
function closedArchive(): { dir: string; volume: string } {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, blockSize: 2, sortWindowMs: 0, volumePeriod: 'day', now: () => T0 + 400 * DAY });
  h.defineTag(tagConfig('P'), T0 - DAY);
  h.insert('P', [0, 100, 200, 300, 400, 500].map((ms, k) => ({ t: T0 + ms, value: k, status: Good })));
  h.flush();
  cleanups.push(() => h.close());
  return { dir: tmp.dir, volume: join(tmp.dir, 'volumes', readdirSync(join(tmp.dir, 'volumes')).find((f) => f.endsWith('.sqlite'))!) };
}

/** Runs `sql` on the volume file with another connection (a corrupted or hand-edited file). */
function edit(volume: string, sql: string): void {
  const db = new Database(volume);
  try { db.exec(sql); } finally { db.close(); }
}

function open(dir: string): ArchiveReader {
  const r = new ArchiveReader(dir);
  cleanups.push(() => r.close());
  return r;
}

describe('volume files that do not hold together are refused, with what is wrong', () => {
  it('the last sealed block\'s summary emptied: 2 blocks, summaries end at block 1', async () => {
    const a = closedArchive();
    await cleanups.pop()!();
    edit(a.volume, `UPDATE block SET summary = x'' WHERE t_start = ${T0 + 200}`);
    expect(() => open(a.dir).readPlot({ tags: 'P', start: T0, end: T0 + 600, buckets: 1, snapMs: 0 }))
      .toThrow('corrupt summaries: 2 blocks, summaries end at block 1');
  });

  it('an open segment given a sealed block\'s start: refused, not decoded in its place', async () => {
    const a = closedArchive();
    await cleanups.pop()!();
    edit(a.volume, `UPDATE segment SET t_start = ${T0 + 200}`);
    // Two buckets of 300 ms: the block starting at 200 crosses the edge at 300 and is decoded by its start.
    expect(() => open(a.dir).readPlot({ tags: 'P', start: T0, end: T0 + 600, buckets: 2, snapMs: 0 }))
      .toThrow(`two blocks of tag 1 start at ${T0 + 200}`);
  });

  it('a block across a bucket edge whose bytes are gone: its tag and ref named', async () => {
    const a = closedArchive();
    await cleanups.pop()!();
    const db = new Database(a.volume, { readonly: true });
    const [tagId, dataId] = db.prepare(`SELECT tag_id, data_id FROM block WHERE t_start = ${T0 + 200}`).raw().get() as [number, number];
    db.close();
    edit(a.volume, `DELETE FROM block_data WHERE id = ${dataId}`);
    // Two buckets of 300 ms: the block [200, 300] crosses the edge at 300 and is decoded; its ref is its start.
    expect(() => open(a.dir).readPlot({ tags: 'P', start: T0, end: T0 + 600, buckets: 2, snapMs: 0 }))
      .toThrow(`block of tag ${tagId} (${T0 + 200}) has no data row`);
  });
});

describe('a reader closed leaves the volume files as it found them', () => {
  it('Historian: a plot, then close: the writer takes the volume out of WAL mode, one file left', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, blockSize: 2, sortWindowMs: 0, volumePeriod: 'day', now: () => T0 + 400 * DAY });
    h.defineTag(tagConfig('P'), T0 - DAY);
    h.insert('P', [0, 100, 200].map((ms, k) => ({ t: T0 + ms, value: k, status: Good })));
    h.flush();
    // The plot opens a reader on the volume, on the writer's own file, in this process.
    const [p] = h.readPlot({ tags: 'P', start: T0, end: T0 + 300, buckets: 1, snapMs: 0 });
    expect([...p!.count]).toEqual([3]);
    await h.close();
    const files = readdirSync(join(tmp.dir, 'volumes'));
    expect(files.length).toBe(1);
    expect(files[0]!.endsWith('.sqlite')).toBe(true);
  });
});
