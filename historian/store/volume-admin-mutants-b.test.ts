/**
 * Cases for the mutants StrykerJS left alive in volume-admin.ts, lines 129-206 (importVolume's
 * checks and copy, applyRetention). Expectations worked out by hand from the comments and
 * historian/store/README.md; catalog and volume rows read with plain SQL.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian, type HistorianOptions } from '../index.js';
import { Good } from '../status.js';
import type { Sample } from '../types.js';
import { DAY, T0, catalogQuery, tagConfig, tempDir } from './testing.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

function archive(options: HistorianOptions = {}): { h: Historian; dir: string } {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, now: () => T0 + 400 * DAY, ...options });
  cleanups.push(() => h.close());
  return { h, dir: tmp.dir };
}

const series = (from: number, n: number): Sample[] =>
  Array.from({ length: n }, (_, i) => ({ t: from + i * 1000, value: i, status: Good }));

/** An archive with A (analog, 100 values) and B (discrete, 1 value) on each of `days` days from T0. */
function filled(days: number, options: HistorianOptions = {}): { h: Historian; dir: string } {
  const a = archive(options);
  a.h.defineTag(tagConfig('A'), T0);
  a.h.defineTag(tagConfig('B', {}, 'discrete'), T0);
  for (let d = 0; d < days; d++) {
    a.h.append('A', series(T0 + d * DAY, 100));
    a.h.insert('B', [{ t: T0 + d * DAY, value: d, status: Good }]);
  }
  a.h.flush();
  return a;
}

/** The file exportVolume makes of the first volume of a `filled(1, options)` archive. */
function exported(options: HistorianOptions = {}): string {
  const a = filled(1, options);
  const file = join(a.dir, 'export.sqlite');
  a.h.exportVolume(a.h.volumes()[0]!.id, file);
  return file;
}

function setMeta(file: string, key: string, value: string): void {
  const db = new Database(file);
  try { db.prepare('UPDATE meta SET value = ? WHERE key = ?').run(value, key); } finally { db.close(); }
}

/** Paths this process holds open (Linux). */
const openFiles = (): string[] => readdirSync('/proc/self/fd').flatMap((fd) => {
  try { return [readlinkSync(`/proc/self/fd/${fd}`)]; } catch { return []; } // the directory's own fd is gone by now
});

const values = (h: Historian, tag: string) =>
  h.readRaw({ tags: tag, start: T0, end: T0 + DAY - 1 }).rows.map((r) => r.value);

describe('importVolume', () => {
  it('refuses a plain volume file (no tag tables) with the exact message', async () => {
    // guards volume-admin.ts:130 `hasTags !== 2` -> false (then "no such table: tag"), 130 its message
    const src = filled(1);
    const file = join(src.dir, 'plain.sqlite');
    const volumeFile = src.h.volumes()[0]!.file;
    await src.h.close();
    copyFileSync(join(src.dir, 'volumes', volumeFile), file);
    const { h } = archive();
    expect(() => h.importVolume(file)).toThrow(new Error(`import ${file}: tables tag and tag_version: missing (not a file made by export)`));
  });

  it('refuses a malformed period, or an end not after the start, with the exact message', () => {
    // guards volume-admin.ts:137 the condition -> false, `||` -> `&&` (period bad, start/end good),
    // `end > start` -> true and -> `end >= start` (end == start), 137 its message
    const { h } = archive();
    const badPeriod = exported();
    setMeta(badPeriod, 'period', 'year');
    expect(() => h.importVolume(badPeriod)).toThrow(new Error(`import ${badPeriod}: meta: period/start/end malformed`));
    const empty = exported();
    setMeta(empty, 'end', String(T0));
    expect(() => h.importVolume(empty)).toThrow(new Error(`import ${empty}: meta: period/start/end malformed`));
    expect(h.volumes()).toEqual([]);
  });

  it('imports a week volume and a month volume', () => {
    // guards volume-admin.ts:137 'week' -> "" and 'month' -> "" (each then refused as malformed)
    const week = archive();
    week.h.importVolume(exported({ volumePeriod: 'week' }));
    // T0 is Friday 2024-03-01: its ISO week starts Monday 2024-02-26.
    expect(week.h.volumes().map((v) => [v.period, v.start, v.end])).toEqual([['week', Date.UTC(2024, 1, 26), Date.UTC(2024, 2, 4)]]);
    expect(values(week.h, 'A')).toHaveLength(100);
    const month = archive();
    month.h.importVolume(exported({ volumePeriod: 'month' }));
    expect(month.h.volumes().map((v) => [v.period, v.start, v.end])).toEqual([['month', Date.UTC(2024, 2, 1), Date.UTC(2024, 3, 1)]]);
    expect(values(month.h, 'A')).toHaveLength(100);
  });

  it('imports a period that starts where a listed volume ends', () => {
    // guards volume-admin.ts:138 `start < v.end` -> true and -> `start <= v.end` (both see a clash)
    const { h } = archive();
    h.defineTag(tagConfig('A'), T0 - DAY);
    h.append('A', series(T0 - DAY, 10));
    h.flush();
    expect(h.volumes().map((v) => [v.start, v.end])).toEqual([[T0 - DAY, T0]]);
    h.importVolume(exported());
    expect(h.volumes().map((v) => [v.start, v.end])).toEqual([[T0 - DAY, T0], [T0, T0 + DAY]]);
    expect(values(h, 'A')).toHaveLength(100);
  });

  it('leaves the versions of a tag it knows alone; creates only the unknown one from its own versions', () => {
    // guards volume-admin.ts:144 `!local` -> true (B redefined from the file),
    // 145 `versions.filter(...)` -> `versions` and the predicate -> true (A's turn defines B too)
    const { h } = archive();
    h.defineTag(tagConfig('B', { unit: 'kg' }, 'discrete'), T0 - 5 * DAY);
    h.importVolume(exported());
    expect(h.versions('B').map((v) => [v.version, v.validFrom, v.validTo, v.config.unit])).toEqual([[1, T0 - 5 * DAY, null, 'kg']]);
    expect(h.versions('A').map((v) => [v.version, v.validFrom, v.validTo, v.config.kind])).toEqual([[1, T0, null, 'analog']]);
  });

  it('refuses a tag of another kind with the exact message', () => {
    // guards volume-admin.ts:148 its message
    const { h } = archive();
    h.defineTag(tagConfig('A', {}, 'discrete'), T0);
    const file = exported();
    expect(() => h.importVolume(file)).toThrow(new Error(`import ${file}: tag 'A' is analog there but discrete here`));
  });

  it('names the copy by its period and first day, like the other volumes (no time, no colon)', () => {
    // guards volume-admin.ts:151 `.toISOString().slice(0, 10)` -> `.toISOString()`
    const { h, dir } = archive();
    h.importVolume(exported());
    const [v] = h.volumes();
    expect(v!.file).toMatch(/^import-day-2024-03-01-\d+\.sqlite$/);
    expect(existsSync(join(dir, 'volumes', v!.file))).toBe(true);
  });

  it('drops the tag tables from the copy: the imported volume exports and imports again', () => {
    // guards volume-admin.ts:165 'DROP TABLE tag; DROP TABLE tag_version;' -> "" (export then fails: table tag already exists)
    const { h, dir } = archive();
    h.importVolume(exported());
    const [v] = h.volumes();
    const db = new Database(join(dir, 'volumes', v!.file), { readonly: true });
    try {
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name IN ('tag', 'tag_version')").pluck().all()).toEqual([]);
    } finally { db.close(); }
    const again = join(dir, 'again.sqlite');
    h.exportVolume(v!.id, again);
    const third = archive();
    third.h.importVolume(again);
    expect(values(third.h, 'A')).toHaveLength(100);
  });

  it('records the imported samples in the change log', () => {
    // guards volume-admin.ts:175 `samples += c.samples` -> `samples -= c.samples`
    const { h, dir } = archive();
    h.importVolume(exported());
    // A's 100 values and B's 1, in one write.
    expect(catalogQuery<{ samples: number }>(dir, 'SELECT samples FROM change_log')).toEqual([{ samples: 101 }]);
  });

  it('closes the file it imports and its copy', () => {
    // guards volume-admin.ts:133 `src.close()` removed, 171 `store.close()` removed (a descriptor left open on each)
    const { h, dir } = archive();
    const file = exported();
    const v = h.importVolume(file);
    expect(openFiles().filter((f) => f.startsWith(file))).toEqual([]);
    h.detachVolume(v.id); // the writer lets go of its own connection
    const copy = join(dir, 'volumes', v.file);
    expect(openFiles().filter((f) => f.startsWith(copy))).toEqual([]);
  });
});

describe('applyRetention', () => {
  const gone = (dir: string) => catalogQuery<{ file: string; reason: string }>(dir, 'SELECT file, reason FROM volume_gone ORDER BY id');

  it('records why each volume was dropped', () => {
    // guards volume-admin.ts:196 `maxAgeDays !== undefined` -> false and its string -> ``,
    // 197 `maxVolumes !== undefined` -> true, '' -> "Stryker was here!", ' or ' -> ""
    const a = filled(3);
    a.h.applyRetention({ maxAgeDays: 399 }, T0 + 400 * DAY); // day 0 ended T0 + DAY = now - 399 days
    a.h.applyRetention({ maxVolumes: 1 }, T0 + 400 * DAY);
    expect(gone(a.dir)).toEqual([
      { file: 'day-2024-03-01.sqlite', reason: 'dropped by retention (older than 399 days)' },
      { file: 'day-2024-03-02.sqlite', reason: 'dropped by retention (beyond the newest 1 volumes)' },
    ]);
    const b = filled(3);
    b.h.applyRetention({ maxAgeDays: 399, maxVolumes: 2 }, T0 + 400 * DAY);
    expect(gone(b.dir)).toEqual([
      { file: 'day-2024-03-01.sqlite', reason: 'dropped by retention (older than 399 days or beyond the newest 2 volumes)' },
    ]);
  });

  it('takes the dropped values off the counters', () => {
    // guards volume-admin.ts:201 `-1` -> `+1`
    const { h } = filled(3);
    h.applyRetention({ maxVolumes: 2 }, T0 + 400 * DAY);
    expect(h.tagStats().map((s) => [s.name, s.samplesArchived])).toEqual([['A', 200], ['B', 2]]);
  });

  it('removes the volume file and the -wal and -shm a crash left next to it', () => {
    // guards volume-admin.ts:202 the suffixes -> [], '' -> "Stryker was here!", '-wal' -> "", '-shm' -> ""
    const { h, dir } = filled(3);
    const day0 = h.volumes()[0]!;
    h.detachVolume(day0.id); // closed: nothing of SQLite's own removes these two
    writeFileSync(join(dir, 'volumes', `${day0.file}-wal`), '');
    writeFileSync(join(dir, 'volumes', `${day0.file}-shm`), '');
    h.applyRetention({ maxVolumes: 2 }, T0 + 400 * DAY);
    expect(readdirSync(join(dir, 'volumes')).filter((f) => f.startsWith(day0.file))).toEqual([]);
  });

  it('never drops the present volume, nor returns it', () => {
    // guards volume-admin.ts:199 `v.end > now` -> false, 205 the filter removed and its predicate -> true
    const { h, dir } = filled(3);
    const now = T0 + 2 * DAY + 1000; // inside day 2
    expect(h.applyRetention({ maxVolumes: 0 }, now).map((v) => v.start)).toEqual([T0, T0 + DAY]);
    expect(h.volumes().map((v) => v.start)).toEqual([T0 + 2 * DAY]);
    expect(existsSync(join(dir, 'volumes', 'day-2024-03-03.sqlite'))).toBe(true);
  });

  it('drops and returns a volume that ends exactly now', () => {
    // guards volume-admin.ts:199 `v.end > now` -> `v.end >= now`, 205 `v.end <= now` -> `v.end < now`
    const { h, dir } = filled(3);
    expect(h.applyRetention({ maxAgeDays: 0 }, T0 + DAY).map((v) => v.start)).toEqual([T0]);
    expect(h.volumes().map((v) => v.start)).toEqual([T0 + DAY, T0 + 2 * DAY]);
    expect(existsSync(join(dir, 'volumes', 'day-2024-03-01.sqlite'))).toBe(false);
  });
});
