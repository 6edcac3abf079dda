/**
 * How readers find tags, volumes and blocks (source.ts): literal cases for what mutation testing
 * of source.ts found untested (README.md, "Mutation testing (source.ts)"). Every expectation is
 * worked out by hand from the samples each case writes.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ArchiveReader } from '../cli/reader.js';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { DAY, T0, tagConfig, tempDir } from '../store/testing.js';
import type { TagKind } from '../types.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** An archive in day volumes with the given tags: name -> [ms after T0, value][] (kind by name: D discrete, else analog). */
function archive(tags: Record<string, [number, number][]>, blockSize = 64): { h: Historian; dir: string } {
  const tmp = tempDir();
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, blockSize, volumePeriod: 'day', now: () => T0 + 400 * DAY });
  cleanups.push(tmp.remove, () => h.close());
  for (const [name, samples] of Object.entries(tags)) {
    const kind: TagKind = name.startsWith('D') ? 'discrete' : 'analog';
    h.defineTag(tagConfig(name, {}, kind), T0);
    h.insert(name, samples.map(([dt, value]) => ({ t: T0 + dt, value, status: Good })));
  }
  h.flush();
  return { h, dir: tmp.dir };
}

type Row = [tag: string, t: number, value: unknown];
const rowsOf = (page: { rows: { tag: string; t: number; value: unknown }[] }): Row[] => page.rows.map((r) => [r.tag, r.t - T0, r.value]);

/** Volume files (without -wal/-shm) this process has a descriptor open on (Linux: /proc/self/fd). */
function openVolumeFiles(dir: string): string[] {
  const prefix = join(dir, 'volumes') + '/';
  const files = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // readdir's own descriptor, closed by now
      throw err;
    }
    if (target.startsWith(prefix)) files.add(target.slice(prefix.length).replace(/-(wal|shm)$/, ''));
  }
  return [...files].sort();
}

describe('source (mutant cases): tag selectors', () => {
  it('an exact name given twice, or also matched by a pattern, is read once', () => {
    const { h } = archive({ 'A.1': [[0, 1]], 'A.2': [[10, 2]], AB: [[20, 3]], 'B.1': [[30, 4]] });
    expect(rowsOf(h.readRaw({ tags: ['A.1', 'A.1'], start: T0, end: T0 + 100 }))).toEqual([['A.1', 0, 1]]);
    expect(rowsOf(h.readRaw({ tags: ['A.1', 'A.*'], start: T0, end: T0 + 100 }))).toEqual([['A.1', 0, 1], ['A.2', 10, 2]]);
  });

  it("'A.*' is A, a literal dot, then anything: not AB, not B.1", () => {
    const { h } = archive({ 'A.1': [[0, 1]], 'A.2': [[10, 2]], AB: [[20, 3]], 'B.1': [[30, 4]] });
    expect(rowsOf(h.readRaw({ tags: 'A.*', start: T0, end: T0 + 100 }))).toEqual([['A.1', 0, 1], ['A.2', 10, 2]]);
    expect(h.readAtTime({ tags: '?B*', times: [T0 + 30] }).map((v) => v.tag)).toEqual(['AB']);
  });
});

describe('source (mutant cases): volumes', () => {
  it('a detached volume is not read, and its read connection is closed', () => {
    // A: 1 on day 0, 2 on day 1 (two day volumes).
    const { h, dir } = archive({ A: [[0, 1], [DAY, 2]] });
    expect(rowsOf(h.readRaw({ tags: 'A', start: T0, end: T0 + 2 * DAY }))).toEqual([['A', 0, 1], ['A', DAY, 2]]);
    const day0 = h.volumes().find((v) => v.start === T0)!;
    h.detachVolume(day0.id);
    expect(rowsOf(h.readRaw({ tags: 'A', start: T0, end: T0 + 2 * DAY }))).toEqual([['A', DAY, 2]]);
    // The writer let go of it on detach; the reader's connection is closed at the catalog change.
    expect(openVolumeFiles(dir)).not.toContain(day0.file);
  });

  it('keeps at most 64 volumes open at once: reading 66 day volumes leaves the last 64 open', async () => {
    const samples: [number, number][] = Array.from({ length: 66 }, (_, k) => [k * DAY, k]);
    const { h, dir } = archive({ A: samples });
    const volumes = h.volumes();
    expect(volumes.length).toBe(66);
    await h.close();
    const r = new ArchiveReader(dir);
    cleanups.push(() => r.close());
    expect(r.readRaw({ tags: 'A', start: T0, end: T0 + 66 * DAY }).rows.length).toBe(66);
    // Opened in time order, the least recently used closed first: all but the first two stay open.
    const expected = volumes.filter((v) => v.start >= T0 + 2 * DAY).map((v) => v.file).sort();
    expect(expected.length).toBe(64);
    expect(openVolumeFiles(dir)).toEqual(expected);
  });
});

describe('source (mutant cases): more than 256 blocks or events in one volume (one fetch)', () => {
  // A: 600 values in blocks of two (300 blocks); D: 600 discrete events. k at k s, value k.
  const samples: [number, number][] = Array.from({ length: 600 }, (_, k) => [k * 1000, k]);
  const asc = (tag: string): Row[] => samples.map(([dt, v]) => [tag, dt, v]);

  it('readRaw of the analog tag, oldest and newest first', () => {
    const { h } = archive({ A: samples }, 2);
    expect(rowsOf(h.readRaw({ tags: 'A', start: T0, end: T0 + 600_000, pageSize: 1000 }))).toEqual(asc('A'));
    expect(rowsOf(h.readRaw({ tags: 'A', start: T0 + 600_000, end: T0, pageSize: 1000 }))).toEqual(asc('A').reverse());
  });

  it('readRaw of the discrete tag, oldest and newest first', () => {
    const { h } = archive({ D: samples });
    expect(rowsOf(h.readRaw({ tags: 'D', start: T0, end: T0 + 600_000, pageSize: 1000 }))).toEqual(asc('D'));
    expect(rowsOf(h.readRaw({ tags: 'D', start: T0 + 600_000, end: T0, pageSize: 1000 }))).toEqual(asc('D').reverse());
  });

  it('readProcessed counts each of the 600 values once (analog and discrete)', () => {
    const { h } = archive({ A: samples, D: samples }, 2);
    const q = { start: T0, end: T0 + 600_000, intervalMs: 600_000, aggregate: 'Count' as const };
    expect(h.readProcessed({ ...q, tags: ['A', 'D'] }).map((s) => [s.tag, s.values.map((v) => v.value)])).toEqual([['A', [600]], ['D', [600]]]);
  });

  it('readProcessed of the discrete tag in order: Start and End of 100 s intervals', () => {
    const { h } = archive({ D: samples });
    const q = { tags: 'D', start: T0, end: T0 + 600_000, intervalMs: 100_000 };
    // Interval i holds k = 100·i .. 100·i + 99.
    expect(h.readProcessed({ ...q, aggregate: 'Start' })[0]!.values.map((v) => v.value)).toEqual([0, 100, 200, 300, 400, 500]);
    expect(h.readProcessed({ ...q, aggregate: 'End' })[0]!.values.map((v) => v.value)).toEqual([99, 199, 299, 399, 499, 599]);
  });
});

describe('source (mutant cases): the ends of a scan', () => {
  // B (analog, interpolated): 0 at 0, 100 at 10, 200 at 20, 999 at 21.
  const B: [number, number][] = [[0, 0], [10, 100], [20, 200], [21, 999]];

  it('readAtTime on a value (the scan ends on it) and 1 ms before one (the next scan starts on it)', () => {
    const { h } = archive({ B });
    const [at20, at19] = h.readAtTime({ tags: 'B', times: [T0 + 20, T0 + 19] })[0]!.values;
    expect(at20!.t - T0).toBe(20);
    expect(at20!.value).toBe(200);
    // Between 100 at 10 and 200 at 20: 100 + 100·9/10.
    expect(at19!.t - T0).toBe(19);
    expect(at19!.value).toBeCloseTo(190, 9);
  });

  it('readRaw of a discrete tag with start = end on its value', () => {
    const { h } = archive({ D: [[0, 1], [10, 2], [20, 3]] });
    expect(rowsOf(h.readRaw({ tags: 'D', start: T0 + 10, end: T0 + 10 }))).toEqual([['D', 10, 2]]);
  });
});

describe('source (mutant cases): the read-only reader', () => {
  it('does not create a catalog where there is none', () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    expect(() => new ArchiveReader(tmp.dir)).toThrow();
    expect(readdirSync(tmp.dir)).toEqual([]);
  });

  it('closes its connections on close(): a read after it fails', async () => {
    const { h, dir } = archive({ A: [[0, 1]] });
    await h.close();
    const r = new ArchiveReader(dir);
    expect(rowsOf(r.readRaw({ tags: 'A', start: T0, end: T0 + 100 }))).toEqual([['A', 0, 1]]);
    expect(openVolumeFiles(dir).length).toBe(1);
    r.close();
    expect(openVolumeFiles(dir)).toEqual([]);
    expect(() => r.readRaw({ tags: 'A', start: T0, end: T0 + 100 })).toThrow('The database connection is not open');
  });
});

describe('ReadSource refuses to collect a tag of the other kind (what processed reads call per kind)', () => {
  it('collectEvents refuses an analog tag and collectColumns a discrete one, naming the tag', async () => {
    const { dir } = archive({ A: [[0, 1]], D1: [[0, 1]] });
    const { ReadSource } = await import('./source.js');
    const src = new ReadSource(dir);
    cleanups.push(() => src.close());
    const [a, d] = src.resolve(['A', 'D1']);
    expect(() => src.collectEvents(a!, T0, T0 + DAY)).toThrow("collectEvents: tag 'A' is analog, expected discrete or text");
    expect(() => src.collectColumns(d!, T0, T0 + DAY, 0)).toThrow("collectColumns: tag 'D1' is discrete, expected analog");
    expect(src.collectEvents(d!, T0, T0 + DAY).map((v) => [v.t - T0, v.value])).toEqual([[0, 1]]); // a number given to a discrete tag stays a number
  });
});
