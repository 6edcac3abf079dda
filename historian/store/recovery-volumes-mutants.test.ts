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
import { Flag } from '../types.js';
import { Catalog } from './catalog.js';
import { recount } from './recovery.js';
import { DAY, T0, catalogMeta, catalogQuery, crash, messageOf, openWriter, tagConfig, tempDir, volumeQuery } from './testing.js';
import type { TagWriter } from './tag-writer.js';
import type { Writer } from './writer.js';
import { detachVolume } from './volume-admin.js';
import { type CycleRate, VolumeSet } from './volumes.js';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0).reverse()) c(); });

function fresh(): string {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  return tmp.dir;
}

/** A catalog and a VolumeSet on a new folder, closed after the test. */
function volumeSet(period: 'day' | 'month' | 'auto' = 'day', rate: CycleRate = { samplesPerDay: 0, tags: 0 }): { dir: string; cat: Catalog; set: VolumeSet } {
  const dir = fresh();
  const cat = new Catalog(dir);
  const set = new VolumeSet(dir, cat, period, () => rate);
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
    const set = new VolumeSet(dir, cat, 'auto', () => ({ samplesPerDay: 0, tags: 0 }));
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

describe('VolumeSet: a new volume\'s page size', () => {
  /** The page size SQLite reports for the file of the volume made for T0 with the given cycle rate. */
  function pageSize(period: 'day' | 'month', rate: CycleRate, before: { days: number; size: number } | null = null): number {
    const { dir, cat } = volumeSet(period, rate);
    const t = before ? T0 + before.days * DAY : T0;
    if (before) {
      cat.addVolume('before.sqlite', 'day', T0, t, 'attached');
      sizedFile(join(dir, 'volumes', 'before.sqlite'), before.size);
    }
    const set = new VolumeSet(dir, cat, period, () => rate);
    cleanups.push(() => set.closeAll());
    const v = set.locate(t);
    const db = new Database(set.path(v), { readonly: true });
    try {
      return db.pragma('page_size', { simple: true }) as number;
    } finally {
      db.close();
    }
  }

  it('tags with a 1 s cycle in a daily volume (86,400 samples each): 4 KB pages', () => {
    expect(pageSize('day', { samplesPerDay: 10 * 86_400, tags: 10 })).toBe(4096);
  });

  it('tags without a cycle (an import) or 3-minute tags in a daily volume (480 samples each): 512-byte pages', () => {
    expect(pageSize('day', { samplesPerDay: 0, tags: 0 })).toBe(512);
    expect(pageSize('day', { samplesPerDay: 100 * 480, tags: 100 })).toBe(512);
  });

  it('the threshold is 64 KB a tag at 1.5 bytes a sample: 43,691 samples a day are long, 43,690 not', () => {
    // 43,690 x 1.5 = 65,535 bytes < 65,536
    expect(pageSize('day', { samplesPerDay: 43_691, tags: 1 })).toBe(4096);
    expect(pageSize('day', { samplesPerDay: 43_690, tags: 1 })).toBe(512);
  });

  it('the volume\'s span counts: 10 s tags are short in a day (8,640 samples) and long in a month (267,840)', () => {
    expect(pageSize('day', { samplesPerDay: 8_640, tags: 1 })).toBe(512);
    expect(pageSize('month', { samplesPerDay: 8_640, tags: 1 })).toBe(4096);
  });

  it('compressed tags promise nothing: 1 s tags all on swinging door get 512, half of them lossless 4 KB', () => {
    expect(pageSize('day', { samplesPerDay: 10 * 86_400, tags: 10, losslessSamplesPerDay: 0 })).toBe(512);
    // 5 lossless 1 s tags of 10: 43,200 samples a tag a day on average, x 1.5 = 64,800 bytes: short
    expect(pageSize('day', { samplesPerDay: 10 * 86_400, tags: 10, losslessSamplesPerDay: 5 * 86_400 })).toBe(512);
    expect(pageSize('day', { samplesPerDay: 10 * 86_400, tags: 10, losslessSamplesPerDay: 6 * 86_400 })).toBe(4096);
  });

  it('what the newest volume holds decides when it is more: 2 days of 1.4 MB for 10 compressed tags (70 KB a tag a day) give 4 KB', () => {
    const compressed = { samplesPerDay: 10 * 86_400, tags: 10, losslessSamplesPerDay: 0 };
    expect(pageSize('day', compressed, { days: 2, size: 2 * 10 * 70_000 })).toBe(4096);
    // 60 KB a tag a day: short in a day, long in a month
    expect(pageSize('day', compressed, { days: 2, size: 2 * 10 * 60_000 })).toBe(512);
    expect(pageSize('month', compressed, { days: 2, size: 2 * 10 * 60_000 })).toBe(4096);
    // a small newest volume does not lower what the lossless cycles promise
    expect(pageSize('day', { samplesPerDay: 86_400, tags: 1 }, { days: 1, size: 1000 })).toBe(4096);
    // tags without a cycle: no rate per tag, 512 whatever the newest volume holds (an import's files stay as they are)
    expect(pageSize('day', { samplesPerDay: 0, tags: 0 }, { days: 1, size: 1e9 })).toBe(512);
  });

  it('a writer counts the defined tags\' cycles: 1 s tags get 4 KB pages, tags without a cycle (and the mean of a mix) 512', () => {
    const sizeFor = (configs: ReturnType<typeof tagConfig>[]): number => {
      const dir = fresh();
      const w = openWriter(dir);
      w.defineTags(configs, T0);
      const v = w.volumes.locate(T0);
      w.close();
      const db = new Database(join(dir, 'volumes', v.file), { readonly: true });
      try {
        return db.pragma('page_size', { simple: true }) as number;
      } finally {
        db.close();
      }
    };
    expect(sizeFor([tagConfig('A', { cycleMs: 1000 }), tagConfig('B', { cycleMs: 1000 })])).toBe(4096);
    expect(sizeFor([tagConfig('A'), tagConfig('B')])).toBe(512);
    // A 1 s tag with a cycle-less one: the cycle-less one promises nothing and is not counted.
    expect(sizeFor([tagConfig('A', { cycleMs: 1000 }), tagConfig('B')])).toBe(4096);
    // 1 s and 1 min: (86,400 + 1,440) / 2 x 1.5 = 65,880 bytes a tag, long; 1 s and 10 min: 64,908, short.
    expect(sizeFor([tagConfig('A', { cycleMs: 1000 }), tagConfig('B', { cycleMs: 60_000 })])).toBe(4096);
    expect(sizeFor([tagConfig('A', { cycleMs: 1000 }), tagConfig('B', { cycleMs: 600_000 })])).toBe(512);
    // 1 s tags on swinging door or deadband promise nothing; one lossless 1 s tag beside a compressed one: 43,200 a tag, short
    const door = { kind: 'swinging-door' as const, deviation: 1 }, deadband = { kind: 'deadband' as const, deviation: 1 };
    expect(sizeFor([tagConfig('A', { cycleMs: 1000, compression: door }), tagConfig('B', { cycleMs: 1000, compression: deadband })])).toBe(512);
    expect(sizeFor([tagConfig('A', { cycleMs: 1000 }), tagConfig('B', { cycleMs: 1000, compression: door })])).toBe(512);
    expect(sizeFor([tagConfig('A', { cycleMs: 1000 }), tagConfig('B', { cycleMs: 1000 }), tagConfig('C', { cycleMs: 1000, compression: door })])).toBe(4096);
  });
});

describe('VolumeSet.store, closeAll', () => {
  it('a listed volume whose file is missing: the exact message, and no file made', () => {
    // guards volumes.ts:84 (create defaults to true), 92 (`create`, false, message emptied)
    const { dir, set } = volumeSet();
    const v = set.locate(T0);
    rmSync(join(dir, 'volumes', v.file));
    const path = join(dir, 'volumes', v.file);
    expect(messageOf(() => set.store(v))).toBe(`volume ${v.file} cannot be read: ${path}: the file is missing. Reads leave out its data ` +
      `(2024-03-01T00:00:00.000Z to 2024-03-02T00:00:00.000Z) and nothing is written to it; the file is left as it is. Restore it from a ` +
      `backup, or take it out of the archive: npm run historian -- volumes detach ${v.file} --data ${dir}`);
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

/** The writer's tags by id (what the writer's constructor passes to recovery). */
function byId(w: Writer): Map<number, TagWriter> {
  return new Map([...w.tags.values()].map((tw) => [tw.id, tw]));
}

const s = (t: number, value: number | boolean) => ({ t, value, status: Good });

describe('recoverTag', () => {
  it('a tag with nothing archived does not look at the volumes: an archive whose only volume file is missing opens', () => {
    // guards recovery.ts:16 (the early return to false; `!Number.isFinite` to `Number.isFinite`): the
    // mutants open the volume, and store() refuses the missing file
    const dir = fresh();
    const w = openWriter(dir);
    w.defineTag(tagConfig('A'), T0);
    const v = w.volumes.locate(T0);
    w.close();
    rmSync(join(dir, 'volumes', v.file));
    const w2 = openWriter(dir);
    expect(w2.tag('A').lastArchivedT).toBe(-Infinity);
    w2.close();
  });

  it('a resting tag whose data is only in the older of two volumes: its last time from that volume', () => {
    // guards recovery.ts:18 (`i++`: runs past the newest volume, without A, into vols[2], undefined)
    const dir = fresh();
    const w = openWriter(dir);
    w.defineTags([tagConfig('A'), tagConfig('B')], T0);
    w.append('A', [s(T0 + 1000, 1), s(T0 + 2000, 2)]);
    w.append('B', [s(T0 + DAY + 1000, 1)]);
    w.close();
    expect(catalogQuery(dir, "SELECT state FROM tag WHERE name = 'A'")).toEqual([{ state: null }]);
    const w2 = openWriter(dir);
    expect(w2.tag('A').lastArchivedT).toBe(T0 + 2000);
    w2.close();
  });

  it('a detached newer volume is not looked at: the last time comes from the attached one', () => {
    // guards recovery.ts:17 (filter dropped; the whole condition, and the state test, to true; `||`):
    // the mutants take the last time from the detached day (T0 + 2 days + 1 s)
    const dir = fresh();
    const now = () => T0 + 10 * DAY;
    const w = openWriter(dir, { now });
    w.defineTag(tagConfig('A'), T0);
    w.append('A', [s(T0 + 1000, 1), s(T0 + 2 * DAY + 1000, 2)]);
    w.flush();
    const day3 = w.volumes.all().find((v) => v.start === T0 + 2 * DAY)!;
    detachVolume(w, day3.id);
    w.close();
    expect(catalogQuery(dir, "SELECT state FROM tag WHERE name = 'A'")).toEqual([{ state: null }]);
    const w2 = openWriter(dir, { now });
    expect(w2.tag('A').lastArchivedT).toBe(T0 + 1000);
    w2.close();
  });

  it('an open block found in the volume counts the points of its segment rows', () => {
    // guards recovery.ts:28 (the sum to undefined; `n - x.n`: -5)
    const dir = fresh();
    const w = openWriter(dir);
    w.defineTag(tagConfig('A'), T0);
    w.append('A', [1, 2, 3, 4, 5].map((k) => s(T0 + k * 1000, k)));
    w.flush();
    crash(w);
    const w2 = openWriter(dir);
    expect(w2.tag('A').open?.count).toBe(5);
    w2.close();
  });
});

describe('lastPointOf', () => {
  it('a resting discrete tag whose events are only in the older volume resumes from its last event', () => {
    // guards recovery.ts:39 (`i++`: past the newest volume into undefined), 41 (`true`: the newest
    // volume's null returned, the compressor starts afresh and archives the repeated value)
    const dir = fresh();
    const w = openWriter(dir);
    w.defineTags([tagConfig('D', {}, 'discrete'), tagConfig('B')], T0);
    w.append('D', [s(T0 + 1000, 5)]);
    w.append('B', [s(T0 + DAY + 1000, 1)]);
    w.close();
    const w2 = openWriter(dir);
    w2.append('D', [s(T0 + 2000, 5), s(T0 + 3000, 6)]);
    w2.close();
    const id = catalogQuery<{ id: number }>(dir, "SELECT id FROM tag WHERE name = 'D'")[0]!.id;
    expect(volumeQuery(dir, 'SELECT t, value FROM event WHERE tag_id = ? ORDER BY t', id)).toEqual([
      { t: T0 + 1000, value: 5 }, { t: T0 + 3000, value: 6 },
    ]);
  });
  it('a detached newer volume is not looked at: the compressor resumes from the attached last event', () => {
    // guards recovery.ts:38 (filter dropped, state test to true: the detached day's 7 taken as the
    // last event, and the 7 appended on day 2 dropped as a repeat)
    const dir = fresh();
    const now = () => T0 + 10 * DAY;
    const w = openWriter(dir, { now });
    w.defineTag(tagConfig('D', {}, 'discrete'), T0);
    w.append('D', [s(T0 + 1000, 5), s(T0 + 2 * DAY + 1000, 7)]);
    w.flush();
    detachVolume(w, w.volumes.all().find((v) => v.start === T0 + 2 * DAY)!.id);
    w.close();
    const w2 = openWriter(dir, { now });
    w2.append('D', [s(T0 + DAY + 1000, 7), s(T0 + DAY + 2000, 8)]);
    w2.close();
    expect(volumeQuery(dir, 'SELECT t, value FROM event WHERE t >= ? AND t < ? ORDER BY t', T0 + DAY, T0 + 2 * DAY)).toEqual([
      { t: T0 + DAY + 1000, value: 7 }, { t: T0 + DAY + 2000, value: 8 },
    ]);
  });
});

describe('recoverWrites', () => {
  it('a flush committed in its volume and not in the catalog: head, counters and the touched volume recorded on open', () => {
    // guards recovery.ts:59 (false, `<`: the older volume, at the head, marked touched), 67 (`-=`), 71 (no counter rows)
    const dir = fresh();
    const w = openWriter(dir);
    w.defineTags([tagConfig('A'), tagConfig('B')], T0);
    w.append('B', [s(T0 + 1000, 1)]);
    w.flush(); // seq 1, committed everywhere
    w.append('A', [s(T0 + DAY + 1000, 1)]);
    w.insert('A', [{ t: T0 + DAY + 2000, value: 1, status: Good, flags: Flag.Cyclic }]);
    w.catalog.commitWrite = () => { throw new Error('crash before the catalog commits'); };
    expect(() => w.flush()).toThrow('crash before the catalog commits'); // seq 2: in the day-2 volume only
    crash(w);
    expect(catalogMeta(dir, 'change_head')).toBe('1');
    const w2 = openWriter(dir);
    expect(catalogMeta(dir, 'change_head')).toBe('2');
    // A: 2 received, 2 stored of which 1 added (the cyclic record): archived 1
    expect(catalogQuery(dir, 'SELECT name, received, archived, added FROM tag ORDER BY name')).toEqual([
      { name: 'A', received: 2, archived: 1, added: 1 },
      { name: 'B', received: 1, archived: 1, added: 0 },
    ]);
    expect(catalogQuery(dir, 'SELECT t_start AS start, max_seq AS maxSeq FROM volume ORDER BY t_start')).toEqual([
      { start: T0, maxSeq: 1 }, { start: T0 + DAY, maxSeq: 2 },
    ]);
    w2.close();
  });
});

describe('recount', () => {
  it('counts the attached volumes only, and saves the counters', () => {
    // guards recovery.ts:79 (false: the detached day counted), 83 (`-=`), 91 (Math.min, `+`), 93 (no rows saved)
    const dir = fresh();
    const now = () => T0 + 10 * DAY;
    const w = openWriter(dir, { now });
    w.defineTag(tagConfig('A'), T0);
    for (const day of [0, 1]) {
      w.append('A', [s(T0 + day * DAY + 1000, 1), s(T0 + day * DAY + 2000, 2)]);
      w.insert('A', [{ t: T0 + day * DAY + 3000, value: 3, status: Good, flags: Flag.Cyclic }]);
    }
    w.flush();
    detachVolume(w, w.volumes.all().find((v) => v.start === T0)!.id);
    const a = w.tag('A');
    a.received = 0;
    a.stored = 0;
    a.added = 0;
    recount(w.volumes, w.catalog, byId(w));
    // day 2: 3 values, 1 of them added; received at least the 2 not added
    expect([a.stored, a.added, a.received]).toEqual([3, 1, 2]);
    expect(catalogQuery(dir, 'SELECT received, archived, added FROM tag')).toEqual([{ received: 2, archived: 2, added: 1 }]);
    w.close();
  });
});
