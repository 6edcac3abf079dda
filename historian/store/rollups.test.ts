/**
 * Rollups (rollups.ts): one summary per ROLLUP_BLOCKS sealed blocks, kept by the writer, deleted
 * by triggers when a block under them changes, read by plots. Checked against the samples the
 * tests wrote: what each rollup says, and plots (exact buckets computed here from the samples)
 * over archives whose rollups are whole, broken by a late value, or missing (a file from before).
 */
import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ArchiveReader } from '../cli/reader.js';
import { Historian } from '../index.js';
import { Good, UncertainDataSubNormal } from '../status.js';
import type { PlotSeries } from '../read/types.js';
import { ROLLUP_BLOCKS } from './rollups.js';
import { SUMMARY_FIELDS } from './schema.js';
import { decodeSummaryInto } from './summary-codec.js';
import { DAY, T0, tagConfig, tempDir } from './testing.js';
import { VolumeStore, type StoredPoint } from './volume.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

interface Written { t: number; value: number; status: number }

const BLOCK = 64;
const opts = { flushIntervalMs: 0, blockSize: BLOCK, sortWindowMs: 0, now: () => T0 + 400 * DAY };

function open(dir: string): Historian {
  const h = Historian.open(dir, opts);
  cleanups.push(() => h.close());
  return h;
}

function archive(samples: Written[]): { h: Historian; dir: string } {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const h = open(tmp.dir);
  h.defineTag(tagConfig('P'), T0 - DAY);
  h.insert('P', samples);
  h.flush();
  return { h, dir: tmp.dir };
}

/** n samples 1 s apart from T0 (within one day volume), integer values from a seeded walk. */
function series(n: number, seed: number, status: (i: number) => number = () => Good): Written[] {
  let x = seed;
  return Array.from({ length: n }, (_, i) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return { t: T0 + i * 1000, value: (x >>> 16) % 1000, status: status(i) };
  });
}

function volume(dir: string): Database.Database {
  const files = readdirSync(join(dir, 'volumes')).filter((f) => f.endsWith('.sqlite'));
  expect(files).toHaveLength(1);
  const db = new Database(join(dir, 'volumes', files[0]!), { readonly: true });
  cleanups.push(() => { db.close(); });
  return db;
}

const good = (s: Written) => s.status === Good;
/** What a plot draws: good and uncertain values (read/plot.ts). */
const drawn = (s: Written) => s.status >>> 30 < 2;

/** Exact buckets from the samples alone: count, min, max, first and last drawn (good or uncertain) value. */
function expectExact(p: PlotSeries, samples: Written[]): void {
  const n = p.count.length;
  for (let b = 0; b < n; b++) {
    const own = samples.filter((s) => s.t >= p.start && s.t < p.end && Math.floor(((s.t - p.start) * n) / (p.end - p.start)) === b);
    const g = own.filter(drawn);
    expect(p.count[b], `bucket ${b} count`).toBe(own.length);
    if (g.length === 0) {
      expect(p.min[b]).toBeNaN();
      continue;
    }
    expect([p.min[b], p.max[b], p.first[b], p.firstT[b], p.last[b], p.lastT[b]], `bucket ${b}`).toEqual([
      Math.min(...g.map((s) => s.value)), Math.max(...g.map((s) => s.value)), g[0]!.value, g[0]!.t, g.at(-1)!.value, g.at(-1)!.t]);
  }
}

/** Every sample in range counted once, and the snapped buckets' figures those of their own samples. */
function expectPartition(p: PlotSeries, samples: Written[]): void {
  let counted = 0;
  for (let b = 0; b < p.count.length; b++) {
    if (p.count[b] === 0) continue;
    const own = samples.filter((s) => s.t >= p.firstT[b]! && s.t <= p.lastT[b]!);
    expect(p.count[b]).toBe(own.length);
    expect([p.min[b], p.max[b]]).toEqual([Math.min(...own.map((s) => s.value)), Math.max(...own.map((s) => s.value))]);
    counted += own.length;
  }
  expect(counted).toBe(samples.filter((s) => s.t >= p.start && s.t < p.end).length);
}

const plot = (h: Historian, buckets: number, snap = false, start = T0, end = T0 + DAY): PlotSeries =>
  h.readPlot({ tags: 'P', start, end, buckets, snapMs: snap ? (end - start) / buckets / 2 : 0 })[0]!;

describe('rollups', () => {
  it('each rolls up 16 consecutive blocks, the chain covering all but the last few; its summary is those samples', () => {
    const samples = series(BLOCK * 40 + 17, 3, (i) => (i === 700 ? UncertainDataSubNormal : Good));
    const { dir } = archive(samples);
    const db = volume(dir);
    const blocks = db.prepare('SELECT t_start, t_end FROM block ORDER BY t_start').raw().all() as [number, number][];
    const rollups = db.prepare('SELECT hi, lo, t_start, summary FROM rollup ORDER BY hi').raw().all() as [number, number, number, Buffer][];
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").pluck().all())
      .toEqual(['rollup_block_delete', 'rollup_block_insert', 'rollup_block_update']);
    expect(rollups).toHaveLength(Math.floor(blocks.length / ROLLUP_BLOCKS));
    expect(rollups.length).toBeGreaterThanOrEqual(2);
    let lo = -Number.MAX_SAFE_INTEGER;
    rollups.forEach(([hi, rLo, tStart, summary], k) => {
      const own = blocks.slice(k * ROLLUP_BLOCKS, (k + 1) * ROLLUP_BLOCKS);
      expect([rLo, tStart, hi]).toEqual([lo, own[0]![0], own.at(-1)![0]]);
      lo = hi;
      const f = new Float64Array(SUMMARY_FIELDS);
      decodeSummaryInto(summary, tStart, f, 0);
      const mine = samples.filter((s) => s.t >= tStart && s.t <= own.at(-1)![1]);
      const g = mine.filter(good);
      expect([...f]).toEqual([tStart, own.at(-1)![1], mine.length, Math.min(...g.map((s) => s.value)), Math.max(...g.map((s) => s.value)),
        g[0]!.t, g[0]!.value, g.at(-1)!.t, g.at(-1)!.value, mine.length === g.length ? 0 : 1]);
    });
  });

  it('plots read through them, exact and as pixel columns, with few or many of them across an edge', () => {
    const samples = series(BLOCK * 70, 5, (i) => (i % 997 === 3 ? UncertainDataSubNormal : Good));
    const { h } = archive(samples);
    for (const buckets of [1, 3, 7, 50, 400]) {
      expectExact(plot(h, buckets), samples);
      expectPartition(plot(h, buckets, true), samples);
      // Twice: the second answer comes from the cached rollups and their expansions.
      expectExact(plot(h, buckets, false, T0 + 1234, T0 + 4000_321), samples);
      expectExact(plot(h, buckets, false, T0 + 1234, T0 + 4000_321), samples);
    }
  });

  it('expands a few rollups across edges, and many (adjacent ones read as one range), exactly', () => {
    const samples = series(BLOCK * ROLLUP_BLOCKS * 20, 7);
    const { h } = archive(samples);
    const end = samples.at(-1)!.t + 1;
    // Rollups are 1,024 s here: 3 buckets put 2 of them across an edge, 60 most (many next to each other), then from the cache.
    for (const buckets of [3, 60, 60]) expectExact(plot(h, buckets, false, T0, end), samples);
  });

  it('a late value in a rolled-up block deletes that rollup only; plots read its blocks, and the next ones roll up again', () => {
    const samples = series(BLOCK * 70, 9);
    const { h, dir } = archive(samples);
    const before = volume(dir).prepare('SELECT hi, lo FROM rollup ORDER BY hi').raw().all() as [number, number][];
    expectExact(plot(h, 9), samples); // cached before the change
    const late = { t: samples[BLOCK * 20]!.t + 500, value: 5000, status: Good };
    h.insert('P', [late]);
    h.flush();
    const after = volume(dir).prepare('SELECT hi, lo FROM rollup ORDER BY hi').raw().all() as [number, number][];
    const gone = before.filter(([hi]) => !after.some(([h2]) => h2 === hi));
    expect(gone).toHaveLength(1);
    expect(gone[0]![1]).toBeLessThan(late.t);
    expect(gone[0]![0]).toBeGreaterThanOrEqual(late.t - 1000);
    expect(after).toHaveLength(before.length - 1);
    const all = [...samples, late].sort((a, b) => a.t - b.t);
    for (const buckets of [1, 9, 300]) {
      expectExact(plot(h, buckets), all);
      expectPartition(plot(h, buckets, true), all);
    }
    // New blocks after the last rollup are rolled up as before.
    const more = series(BLOCK * 40, 11).map((s) => ({ ...s, t: s.t + BLOCK * 70 * 1000 }));
    h.insert('P', more);
    h.flush();
    expect((volume(dir).prepare('SELECT count(*) FROM rollup').pluck().get() as number)).toBeGreaterThan(after.length + 1);
    expectExact(plot(h, 11), [...all, ...more]);
  });

  it('a file from before rollups reads by its blocks, and gets them when a writer opens it', async () => {
    const samples = series(BLOCK * 50, 13);
    const { h, dir } = archive(samples);
    await h.close();
    const file = join(dir, 'volumes', readdirSync(join(dir, 'volumes')).find((f) => f.endsWith('.sqlite'))!);
    const db = new Database(file);
    db.exec('DROP TRIGGER rollup_block_insert; DROP TRIGGER rollup_block_delete; DROP TRIGGER rollup_block_update; DROP TABLE rollup;');
    db.close();
    const reader = new ArchiveReader(dir);
    const q = { tags: 'P', start: T0, end: T0 + DAY, buckets: 13 };
    expectExact(reader.readPlot(q)[0]!, samples);
    expectPartition(reader.readPlot({ ...q, snapMs: DAY / 13 / 2 })[0]!, samples);
    reader.close();
    const check = new Database(file, { readonly: true });
    expect(check.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'rollup'").pluck().get()).toBe(0);
    check.close();
    // A writer opens the volume for writing: its blocks are rolled up, before any write.
    const again = open(dir);
    expect(volume(dir).prepare('SELECT count(*) FROM rollup').pluck().get()).toBe(Math.floor(50 / ROLLUP_BLOCKS));
    const next = { t: samples.at(-1)!.t + 1000, value: 1, status: Good };
    again.insert('P', [next]);
    again.flush();
    expect(volume(dir).prepare('SELECT count(*) FROM rollup').pluck().get()).toBe(Math.floor(50 / ROLLUP_BLOCKS));
    expectExact(plot(again, 13), [...samples, next]);
  });

  it('an imported volume has its rollups under this archive\'s tag ids', () => {
    const samples = series(BLOCK * 40, 17);
    const { h } = archive(samples);
    const out = tempDir();
    cleanups.push(out.remove);
    const exported = join(out.dir, 'p.sqlite');
    h.exportVolume(h.volumes()[0]!.id, exported);
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const other = open(tmp.dir);
    other.defineTag(tagConfig('Q'), T0 - DAY); // P gets another id here
    const v = other.importVolume(exported);
    const db = new Database(join(tmp.dir, 'volumes', v.file), { readonly: true });
    cleanups.push(() => { db.close(); });
    const blocksOf = db.prepare('SELECT DISTINCT tag_id FROM block').pluck().all();
    expect(db.prepare('SELECT DISTINCT tag_id FROM rollup').pluck().all()).toEqual(blocksOf);
    expect(db.prepare('SELECT count(*) FROM rollup').pluck().get()).toBe(Math.floor((db.prepare('SELECT count(*) FROM block').pluck().get() as number) / ROLLUP_BLOCKS));
    expectExact(other.readPlot({ tags: 'P', start: T0, end: T0 + DAY, buckets: 5 })[0]!, samples);
  });

  it('a volume whose tags have fewer blocks than a rollup has no rollup table (nor its pages)', () => {
    const samples = series(BLOCK * (ROLLUP_BLOCKS - 2), 19);
    const { h, dir } = archive(samples);
    expect(volume(dir).prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE 'rollup%'").pluck().get()).toBe(0);
    expectExact(plot(h, 7), samples);
  });

  it('a flush that fails after making the rollup table rolls it back, and the next writes make it again', () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const v = new VolumeStore(join(tmp.dir, 'v.sqlite'), { period: 'day', start: T0, end: T0 + DAY });
    cleanups.push(() => v.close());
    const block = (k: number): StoredPoint[] => Array.from({ length: 4 }, (_, i) => ({ t: T0 + k * 10_000 + i * 1000, value: k + i, status: Good, flags: 0, seq: 1 }));
    expect(() => v.db.transaction(() => {
      for (let k = 0; k < ROLLUP_BLOCKS; k++) v.putBlock(1, block(k), false);
      expect(v.db.prepare('SELECT count(*) FROM rollup').pluck().get()).toBe(1);
      throw new Error('the flush fails');
    })()).toThrow('the flush fails');
    expect(v.db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'rollup'").pluck().get()).toBe(0);
    v.db.transaction(() => { for (let k = 0; k < ROLLUP_BLOCKS * 2; k++) v.putBlock(1, block(k), false); })();
    expect(v.db.prepare('SELECT lo, hi FROM rollup ORDER BY hi').raw().all()).toEqual([
      [-Number.MAX_SAFE_INTEGER, T0 + (ROLLUP_BLOCKS - 1) * 10_000], [T0 + (ROLLUP_BLOCKS - 1) * 10_000, T0 + (2 * ROLLUP_BLOCKS - 1) * 10_000]]);
  });
});
