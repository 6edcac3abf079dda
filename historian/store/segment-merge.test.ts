/**
 * The open block's segments are merged size-tiered (writer.ts mergeFrom): a block written a
 * point per flush keeps few segment rows (reads stay cheap) and re-encodes each point a few
 * times, not once per flush (writes stay cheap); and every point written is read back.
 */
import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { MAX_SEGMENTS } from './tag-writer.js';
import { DAY, T0, tagConfig, tempDir, volumeQuery } from './testing.js';
import { mergeFrom } from './writer.js';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0)) c(); });

/**
 * Replays the writer's plan over flushes of `perFlush` points: the new points are a segment of
 * their own; when mergeFrom reaches back into older segments, those become one (the new points
 * stay apart, so a change-feed reader never decodes the merged points again). Returns the most segments at once and the points encoded per point written.
 */
function replay(flushes: number, perFlush: (f: number) => number): { most: number; encodesPerPoint: number } {
  let segs: number[] = [];
  let encoded = 0, written = 0, most = 0;
  for (let f = 0; f < flushes; f++) {
    const n = perFlush(f);
    written += n;
    const from = mergeFrom(segs.concat(n));
    if (from < segs.length) {
      const merged = segs.slice(from).reduce((a, b) => a + b, 0);
      encoded += merged + n;
      segs = segs.slice(0, from).concat(merged, n);
    } else {
      encoded += n;
      segs.push(n);
    }
    most = Math.max(most, segs.length);
  }
  return { most, encodesPerPoint: encoded / written };
}

describe('open block segments', () => {
  it('a point per flush: at most 28 segments over a 4096-point block, each point encoded fewer than 5 times', () => {
    const r = replay(4096, () => 1);
    expect(r.most).toBeLessThanOrEqual(28);
    expect(r.most).toBeLessThan(MAX_SEGMENTS);
    expect(r.encodesPerPoint).toBeLessThan(5);
  });

  it('uneven flushes (1 to 60 points) keep the same bounds', () => {
    const r = replay(300, (f) => 1 + ((f * 37) % 60));
    expect(r.most).toBeLessThan(MAX_SEGMENTS);
    expect(r.encodesPerPoint).toBeLessThan(5);
  });

  it('a tag written a point per flush reads back every point, in order, before and after a reopen', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const open = () => Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0 });
    let h = open();
    h.defineTag(tagConfig('L'), T0);
    const values: number[] = [];
    for (let i = 0; i < 300; i++) {
      values.push(Math.round(Math.sin(i / 7) * 1000) / 100);
      h.append('L', [{ t: T0 + i * 1000, value: values[i]!, status: Good }]);
      h.flush();
    }
    const read = () => h.readRaw({ tags: 'L', start: T0, end: T0 + 400_000, pageSize: 1000 }).rows.map((r) => r.value);
    expect(read()).toEqual(values);
    await h.close();
    h = open();
    expect(read()).toEqual(values);
    await h.close();
  });

  it('no segment row mixes points a change-feed reader has seen with new ones, so a reader decodes each point once', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0 });
    h.defineTag(tagConfig('L'), T0);
    // The volume files as SQLite sees them: each segment row's lowest and highest write sequence number.
    const rows = () => readdirSync(join(tmp.dir, 'volumes')).filter((f) => !/-(wal|shm)$/.test(f)).flatMap((file) => {
      const db = new Database(join(tmp.dir, 'volumes', file), { readonly: true });
      try {
        return db.prepare('SELECT seq_min AS lo, seq_max AS hi FROM segment').all() as { lo: number; hi: number }[];
      } finally {
        db.close();
      }
    });
    let head = 0, merges = 0, before = 0;
    for (let i = 0; i < 200; i++) {
      h.append('L', [{ t: T0 + i * 1000, value: i % 2, status: Good }]);
      h.flush();
      const now = rows();
      const fresh = now.filter((r) => r.hi > head);
      expect(fresh.length).toBeGreaterThan(0);
      for (const r of fresh) expect(r.lo, `flush ${i}: a row holds sequence numbers ${r.lo}..${r.hi}, the reader had seen up to ${head}`).toBeGreaterThan(head);
      if (now.length < before + 1) merges++;
      before = now.length;
      head = Math.max(...now.map((r) => r.hi));
    }
    expect(merges).toBeGreaterThan(10); // the merges happened, and kept the rule
    await h.close();
  });

  it('segments of a block that one more flush fills are not merged first: the seal reads them back anyway', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0, blockSize: 512 });
    h.defineTag(tagConfig('F'), T0); // a new tag's first block: 512 points (blockSize given alone caps it)
    const segmentRows = () => readdirSync(join(tmp.dir, 'volumes')).filter((f) => !/-(wal|shm)$/.test(f)).reduce((n, file) => {
      const db = new Database(join(tmp.dir, 'volumes', file), { readonly: true });
      try {
        return n + (db.prepare('SELECT count(*) FROM segment').pluck().get() as number);
      } finally {
        db.close();
      }
    }, 0);
    const values: number[] = [];
    const rows: number[] = [];
    for (let f = 0; f < 9; f++) {
      const part = Array.from({ length: 60 }, (_, k) => {
        const i = f * 60 + k;
        values.push(Math.round(Math.sin(i / 11) * 10_000) / 100);
        return { t: T0 + i * 1000, value: values[i]!, status: Good };
      });
      h.append('F', part);
      h.flush();
      rows.push(segmentRows());
    }
    // Eight parts of 60 make eight segments (the eighth would merge the seven before it, but a
    // ninth fills the block); the ninth seals the block at 512 points, the 28 after it a segment.
    expect(rows).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 1]);
    expect(h.readRaw({ tags: 'F', start: T0, end: T0 + DAY, pageSize: 1000 }).rows.map((r) => r.value)).toEqual(values);
    await h.close();
  });

  it('mergeFrom: none to merge is sizes.length - 1; the lowest tier first; a merged run counts all its points', () => {
    // Guards: "none" reported past the new segment; the loop going on to a higher tier once a lower one merged; a merge's points summed wrong.
    expect(mergeFrom([2])).toBe(0);
    expect(mergeFrom([1, 1, 1, 1, 1, 1, 1])).toBe(6);
    expect(mergeFrom([1, 1, 1, 1, 1, 1, 1, 1])).toBe(0);
    // Eight 1s become an 8 (tier 1): with the seven 8s before them, eight of tier 1: all of it.
    expect(mergeFrom([8, 8, 8, 8, 8, 8, 8, 1, 1, 1, 1, 1, 1, 1, 1])).toBe(0);
    // Ten 7s (tier 0) become a 70 (tier 2), which ends the run of tier 1: the eight 8s stay.
    expect(mergeFrom([8, 8, 8, 8, 8, 8, 8, 8, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7])).toBe(8);
  });

  function segmentArchive(blockSize: number) {
    const tmp = tempDir();
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, blockSize, segmentsPerFlush: 1 / 8, now: () => T0 });
    cleanups.push(() => void h.close(), tmp.remove); // close has nothing to wait for (no reader worker)
    h.defineTag(tagConfig('S'), T0);
    let i = 0;
    /** Appends n points and flushes (all: flush(), else a background flush); the segment rows then. */
    const part = (n: number, all = true) => {
      h.append('S', Array.from({ length: n }, () => ({ t: T0 + i * 1000, value: i++, status: Good })));
      h.flush(all);
      return volumeQuery(tmp.dir, 'SELECT id FROM segment').length;
    };
    const read = () => h.readRaw({ tags: 'S', start: T0, end: T0 + DAY, pageSize: 1000 }).rows.map((r) => r.value);
    return { part, read, points: () => i };
  }

  it('a point per flush: the eighth merges the seven before it, and the writer remembers the merged segment', () => {
    // Guards: the writer's list of segments not updated after a merge (the next flush merges again).
    const s = segmentArchive(512);
    const rows = Array.from({ length: 10 }, () => s.part(1));
    expect(rows).toEqual([1, 2, 3, 4, 5, 6, 7, 2, 3, 4]);
    expect(s.read()).toEqual(Array.from({ length: 10 }, (_, k) => k));
  });

  it('segments are not merged when the part makes the block exactly one such part short of full', () => {
    // Guards: "one more part fills it" taken as "more than fills it" (count + part > blockPoints).
    // Blocks of 9: at the eighth point, 8 + 1 = 9 fills it: the eight segments stay until the seal.
    const s = segmentArchive(9);
    expect(Array.from({ length: 8 }, () => s.part(1))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('segments are not merged when up to MERGE_FAN_IN more parts like this one fill the block; beyond that they are', () => {
    // Blocks of 20 in parts of 2: the eighth part leaves two to go, so its eight segments stay until the
    // seal (the 11th part's first point); merged, they would be decoded and encoded again two parts later.
    const s = segmentArchive(20);
    expect(Array.from({ length: 11 }, () => s.part(2))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1]);
    expect(s.read()).toEqual(Array.from({ length: 22 }, (_, k) => k));
    // Blocks of 34: the eighth part leaves nine (more than MERGE_FAN_IN): merged as before.
    const t = segmentArchive(34);
    expect(Array.from({ length: 8 }, () => t.part(2))).toEqual([1, 2, 3, 4, 5, 6, 7, 2]);
    // Blocks of 32: it leaves eight: not merged.
    const u = segmentArchive(32);
    expect(Array.from({ length: 8 }, () => u.part(2))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('near MAX_SEGMENTS segments are merged even when the block is about to be sealed', () => {
    // Guards: the merge skipped before a seal when the block has 30 segments (30 + 2 is not under MAX_SEGMENTS).
    // Parts 1 x7 then 8, twice; 1 x6 then 8: 23 segments no merge reaches (each 8 ends a run of 1s); then 1s.
    const s = segmentArchive(53);
    const sizes = [1, 1, 1, 1, 1, 1, 1, 8, 1, 1, 1, 1, 1, 1, 1, 8, 1, 1, 1, 1, 1, 1, 8, 1, 1, 1, 1, 1, 1, 1];
    const rows = sizes.map((n) => s.part(n));
    expect(rows.at(-1)).toBe(30);
    // The 31st part (52 points, one part short of 53): eight 1s merge; 23 + 1 + the new one.
    expect(s.part(1)).toBe(25);
    expect(s.read()).toEqual(Array.from({ length: s.points() }, (_, k) => k));
  });

  it('an open block of MAX_SEGMENTS segments is written by a background flush whatever its turn', () => {
    // Guards: a block at MAX_SEGMENTS (32) segments sent to the journal when its turn has not come.
    const s = segmentArchive(512);
    const sizes = Array.from({ length: 4 }, () => [1, 1, 1, 1, 1, 1, 1, 8]).flat();
    expect(sizes.map((n) => s.part(n)).at(-1)).toBe(MAX_SEGMENTS); // uneven parts: none of them merge
    // The 33rd flush is a background one, not the tag's turn (8 turns, tag 1: flushes 7, 15, ...).
    expect(s.part(1, false)).toBe(MAX_SEGMENTS + 1);
    expect(s.read()).toEqual(Array.from({ length: 61 }, (_, k) => k));
  });
});
