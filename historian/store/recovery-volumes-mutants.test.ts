/**
 * Cases for the StrykerJS mutants left alive in recovery.ts and volumes.ts (README "Mutation
 * testing (recovery.ts, volumes.ts)"). Expectations are worked out by hand from the comments and
 * the README; files and rows are read back with plain SQL and fs.
 */
import Database from 'better-sqlite3';
import { rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Good } from '../status.js';
import { Catalog } from './catalog.js';
import { recount } from './recovery.js';
import { DAY, T0, catalogQuery, crash, openWriter, tagConfig, tempDir, volumeQuery } from './testing.js';
import { detachVolume } from './volume-admin.js';
import { VolumeSet } from './volumes.js';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0).reverse()) c(); });

function fresh(): string {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  return tmp.dir;
}

/** A catalog and a VolumeSet on a new folder, closed after the test. */
function volumeSet(period: 'day' | 'auto' = 'day', samplesPerDay = () => 0): { dir: string; cat: Catalog; set: VolumeSet } {
  const dir = fresh();
  const cat = new Catalog(dir);
  const set = new VolumeSet(dir, cat, period, samplesPerDay);
  cleanups.push(() => { set.closeAll(); cat.close(); });
  return { dir, cat, set };
}

/** A file of `size` bytes (sparse: truncated to its size, nothing written). */
function sizedFile(path: string, size: number): void {
  writeFileSync(path, '');
  truncateSync(path, size);
}

describe('VolumeSet.byId', () => {
  it('an unknown id: the exact message', () => {
    // guards volumes.ts:35 (message emptied)
    const { set } = volumeSet();
    expect(() => set.byId(42)).toThrow(/^volume 42: no such volume$/);
  });
});

describe('VolumeSet.locate', () => {
  it('a day before two existing days is that whole day (its neighbour is the volume after it)', () => {
    // guards volumes.ts:58 (prev = list[lo + 1]: the day after next, whose end would be the start)
    const { set } = volumeSet();
    set.locate(T0 + DAY + 5);
    set.locate(T0 + 3 * DAY + 5);
    const v = set.locate(T0 + 5);
    expect([v.start, v.end]).toEqual([T0, T0 + DAY]);
  });
});

describe("VolumeSet autoPeriod ('auto')", () => {
  /** Volume rows added by hand with files of given sizes (null: no file); the period locate picks for a time after them. */
  function autoAfter(vols: { start: number; end: number; state: 'attached' | 'detached'; size: number | null }[], t: number): string {
    const { dir, cat } = volumeSet('auto');
    vols.forEach((v, i) => {
      const file = `v${i}.sqlite`;
      cat.addVolume(file, 'day', v.start, v.end, v.state);
      if (v.size !== null) sizedFile(join(dir, 'volumes', file), v.size);
    });
    const set = new VolumeSet(dir, cat, 'auto', () => 0);
    cleanups.push(() => set.closeAll());
    return set.locate(t).period;
  }

  it('the bytes a day of the newest attached volume with a file decide: 160 MB over 2 days is a week', () => {
    // 80e6 bytes a day: x 31 = 2.48e9 > 2^30 (not a month), x 7 = 5.6e8 <= 2^30: a week.
    // guards volumes.ts:77 (not reversed: the oldest, empty, gives a month; find to undefined;
    // the condition to false, to true (statSync of the newest, missing, throws), `!==`, `||`, the
    // state test to true: the detached one, 10 bytes, gives a month) and 78 (Math.min: 0 a day;
    // `*`: 320e6 a day, a day; Math.min(1, days): 160e6 a day, x 7 > 2^30, a day; `* DAY` and
    // `end + start`: ~0 a day, a month)
    const period = autoAfter([
      { start: T0, end: T0 + DAY, state: 'attached', size: 0 },
      { start: T0 + DAY, end: T0 + 3 * DAY, state: 'attached', size: 160e6 },
      { start: T0 + 3 * DAY, end: T0 + 4 * DAY, state: 'detached', size: 10 },
      { start: T0 + 4 * DAY, end: T0 + 5 * DAY, state: 'attached', size: null },
    ], T0 + 40 * DAY);
    expect(period).toBe('week');
  });

  it('exactly 2^30 bytes a month (a 31-day volume of 2^30 bytes): still a month', () => {
    // guards volumes.ts:79 (`<`)
    expect(autoAfter([{ start: T0, end: T0 + 31 * DAY, state: 'attached', size: 2 ** 30 }], T0 + 40 * DAY)).toBe('month');
  });

  it('exactly 2^30 bytes a week (a 7-day volume of 2^30 bytes): a week', () => {
    // guards volumes.ts:80 (`<`)
    expect(autoAfter([{ start: T0, end: T0 + 7 * DAY, state: 'attached', size: 2 ** 30 }], T0 + 40 * DAY)).toBe('week');
  });
});

describe('VolumeSet.store, closeAll', () => {
  it('a listed volume whose file is missing: the exact message, and no file made', () => {
    // guards volumes.ts:84 (create defaults to true), 92 (`create`, false, message emptied)
    const { dir, set } = volumeSet();
    const v = set.locate(T0);
    rmSync(join(dir, 'volumes', v.file));
    const path = join(dir, 'volumes', v.file);
    expect(() => set.store(v)).toThrow(new Error(`volume ${v.file}: file ${path} is missing (listed in the catalog as attached)`));
    expect(volumeQuery(dir, 'SELECT 1')).toEqual([]);
  });

  it('keeps 16 connections open: the 17th closes the least recently used', () => {
    // guards volumes.ts:95 (false, block emptied: none closed; `>=`: closed at the 16th)
    const { set } = volumeSet();
    const vols = Array.from({ length: 17 }, (_, i) => set.locate(T0 + i * DAY));
    const stores = vols.slice(0, 16).map((v) => set.store(v));
    expect(stores.every((s) => s.db.open)).toBe(true);
    set.store(vols[0]!); // used again: the second is now the oldest used
    set.store(vols[16]!);
    expect(stores.map((s) => s.db.open)).toEqual([true, false, ...Array(14).fill(true)]);
  });

  it('closeAll() keeps the flush_delta rows (only closeAll(true) clears them)', () => {
    // guards volumes.ts:113 (clean defaults to true)
    const { dir, set } = volumeSet();
    const v = set.locate(T0);
    set.store(v).putDeltas(7, [{ tagId: 1, received: 3, samples: 2, added: 1 }]);
    set.closeAll();
    const db = new Database(join(dir, 'volumes', v.file), { readonly: true });
    try {
      expect(db.prepare('SELECT tag_id AS tagId, seq FROM flush_delta').all()).toEqual([{ tagId: 1, seq: 7 }]);
    } finally { db.close(); }
  });
});
