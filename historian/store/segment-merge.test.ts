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
import { DAY, T0, tagConfig, tempDir } from './testing.js';
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
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0 });
    h.defineTag(tagConfig('F'), T0); // a new tag's first block: 512 points (the default block size)
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
});
