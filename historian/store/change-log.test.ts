/**
 * The write sequence numbers and the catalog's change log (store/README.md, change feed): a
 * flush that writes takes the next number and logs the samples it wrote, each once; a flush that
 * only journals, and a close with nothing new, take none. Expectations counted by hand from the
 * samples each test writes (lossless tags: every sample is archived as given).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { T0, catalogMeta, catalogQuery, tagConfig, tempDir, volumeQuery } from './testing.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const at = (s: number, value: number) => ({ t: T0 + s * 1000, value, status: Good });
const log = (dir: string) => catalogQuery<{ seq: number; samples: number }>(dir, 'SELECT seq, samples FROM change_log ORDER BY seq');
const head = (dir: string) => Number(catalogMeta(dir, 'change_head'));

/** A swinging-door tag 'S' in blocks of 20 points, and a noise source (Park-Miller) its door keeps most samples of. */
function noisyDoorTag() {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, blockSize: 20, now: () => T0 + 3_600_000 });
  h.defineTag(tagConfig('S', { compression: { kind: 'swinging-door', deviation: 0.5 } }), T0);
  let x = 1;
  const noise = () => { x = (x * 48271) % 2147483647; return Math.round((x / 2147483647) * 1000) / 100; };
  return { tmp, h, noise };
}

describe('change log', () => {
  it('logs each flush\'s samples once: events, a sealed block, the open block\'s segments, late inserts', async () => {
    // Guards: a kind of write left out of the count or subtracted (events, late points, a sealed block's points, an open block's new points).
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    let now = T0 + 3_600_000;
    // Blocks of 20 points; the clock moves two minutes a flush, so each flush has its own log row.
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, blockSize: 20, now: () => now });
    cleanups.push(() => h.close());
    h.defineTag(tagConfig('L'), T0);
    h.defineTag(tagConfig('D', {}, 'discrete'), T0);
    h.append('L', Array.from({ length: 25 }, (_, k) => at(k, k + 0.5))); // a block of 20 sealed, 5 in the open block
    h.append('D', [1, 2, 3].map((v, k) => ({ t: T0 + k * 1000, value: v, status: Good })));
    h.flush();
    now += 120_000;
    h.append('L', Array.from({ length: 5 }, (_, k) => at(25 + k, k))); // a segment of 5 appended to the open block
    h.flush();
    now += 120_000;
    h.insert('L', [at(3.5, -1), at(22.5, -2)]); // one late point into the sealed block, one into the open block
    h.flush();
    expect(log(tmp.dir)).toEqual([{ seq: 1, samples: 28 }, { seq: 2, samples: 5 }, { seq: 3, samples: 2 }]);
    expect(head(tmp.dir)).toBe(3);
    expect(h.readRaw({ tags: 'L', start: T0, end: T0 + 60_000, pageSize: 100 }).rows).toHaveLength(32);
  });

  it('a background flush that only journals takes no sequence number; the next write takes the next one', () => {
    // Guards: the catalog committing a write (head and log moved) for a flush that wrote no volume data.
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, segmentsPerFlush: 1 / 8, now: () => T0 + 3_600_000 });
    cleanups.push(() => h.close());
    h.defineTag(tagConfig('A'), T0);
    h.append('A', [at(0, 1)]);
    h.flush();
    expect(head(tmp.dir)).toBe(1);
    // One live tag, 8 turns: the first two background flushes are not its turn (the journal gets its point).
    h.append('A', [at(1, 2)]);
    h.flush(false);
    h.append('A', [at(2, 3)]);
    h.flush(false);
    expect(volumeQuery(tmp.dir, 'SELECT id FROM journal')).toHaveLength(2);
    expect(head(tmp.dir)).toBe(1);
    expect(log(tmp.dir)).toEqual([{ seq: 1, samples: 1 }]);
    h.flush();
    expect(head(tmp.dir)).toBe(2);
    expect(log(tmp.dir)).toEqual([{ seq: 2, samples: 3 }]); // the same minute: the row grows, numbered by its last write
  });

  it('a close with nothing new writes nothing, marks the archive clean and leaves no counter deltas', async () => {
    // Guards: a block written whole by a flush rewritten again at close; the clean mark or the deltas' removal skipped.
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0 + 3_600_000 });
    h.defineTag(tagConfig('A'), T0);
    h.append('A', Array.from({ length: 20 }, (_, k) => at(k, Math.sin(k))));
    h.flush(); // a lossless tag's block, written whole: at close there is nothing to weigh or rewrite
    expect(head(tmp.dir)).toBe(1);
    expect(catalogMeta(tmp.dir, 'clean')).toBeUndefined();
    expect(volumeQuery(tmp.dir, 'SELECT tag_id FROM flush_delta')).toHaveLength(1);
    await h.close();
    expect(head(tmp.dir)).toBe(1);
    expect(log(tmp.dir)).toEqual([{ seq: 1, samples: 20 }]);
    expect(catalogMeta(tmp.dir, 'clean')).toBe('1');
    expect(volumeQuery(tmp.dir, 'SELECT tag_id FROM flush_delta')).toEqual([]);
  });

  it('a compressed tag\'s blocks stored as their raw samples are logged as the change feed sends them: once', async () => {
    // Bug found reviewing the survivors: a block the raw window settled counted its points twice (as new points, then as the rewrite).
    const { tmp, h, noise } = noisyDoorTag();
    h.append('S', Array.from({ length: 200 }, (_, k) => at(k, noise())));
    h.flush();
    let sent = 0;
    for (let cursor: string | null = null; ;) {
      const page = h.readChanges(cursor, 100_000);
      for (const item of page.items) sent += item.t.length;
      cursor = page.cursor;
      if (!page.more) break;
    }
    const archived = h.readRaw({ tags: 'S', start: T0, end: T0 + 3_600_000, pageSize: 1000 }).rows.length;
    expect(sent).toBe(archived); // the first write: every value archived, sent once
    expect(archived).toBeGreaterThan(100); // noise: mostly raw samples (the door would keep fewer points)
    expect(log(tmp.dir)).toEqual([{ seq: 1, samples: sent }]);
    await h.close();
  });

  it('a block stored again as its raw samples is sent again whole: its earlier points too', async () => {
    // Guards: the points of a block rewritten as its samples keeping their earlier sequence numbers (the feed would send only the new ones).
    const { h, noise } = noisyDoorTag();
    h.append('S', Array.from({ length: 10 }, (_, k) => at(k, noise())));
    h.flush(); // the door's points of the first 10 s: write 1
    const first = h.readRaw({ tags: 'S', start: T0, end: T0 + 3_600_000 }).rows.map((r) => r.t);
    expect(first.length).toBeGreaterThan(2);
    const cursor = h.changeHead();
    h.append('S', Array.from({ length: 190 }, (_, k) => at(10 + k, noise())));
    h.flush(); // the first block sealed, stored as its 20 raw samples: write 2
    const firstBlock = h.readRaw({ tags: 'S', start: T0, end: T0 + 19_000 }).rows.map((r) => r.t);
    expect(firstBlock).toEqual(Array.from({ length: 20 }, (_, k) => T0 + k * 1000));
    const sent = new Set(h.readChanges(cursor, 100_000).items.flatMap((i) => i.t));
    expect(first.filter((t) => !sent.has(t))).toEqual([]);
    await h.close();
  });
});
