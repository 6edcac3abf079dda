/**
 * Cases for the mutants StrykerJS left alive in tag-writer.ts (README "Mutation testing
 * (tag-writer.ts)"). Expectations come from the behaviour the README and the code's comments
 * describe: what reads back, the rows a volume holds, catalog tag.state (NULL for a tag at
 * rest), and block sizes worked out in the test from the stored block bytes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import type { Sample } from '../types.js';
import { DAY, T0, catalogMeta, catalogQuery, crash, openWriter, tagConfig, tempDir, volumeQuery } from './testing.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

function dir(): string {
  const t = tempDir();
  cleanups.push(t.remove);
  return t.dir;
}

/** n samples a second from t0, noisy values with 3 decimals. */
const noisy = (t0: number, n: number, seed = 1): Sample[] =>
  Array.from({ length: n }, (_, k) => ({ t: t0 + k * 1000, value: ((k * 7919 + seed * 104729) % 10007) / 1000, status: Good }));

const stateOf = (d: string, name: string): unknown =>
  catalogQuery<{ state: Buffer | null }>(d, 'SELECT state FROM tag WHERE name = ?', name)[0]!.state;
const segmentRows = (d: string): number => volumeQuery<{ n: number }>(d, 'SELECT count(*) AS n FROM segment').reduce((s, r) => s + r.n, 0);
const events = (d: string): [number, unknown][] =>
  volumeQuery<{ t: number; value: unknown }>(d, 'SELECT t, value FROM event ORDER BY t').map((r) => [(r.t - T0) / 1000, r.value]);

describe('openBlock: quick', () => {
  // guards tag-writer.ts:53 `segs.length > 1` -> false
  it('an open block found after a crash as two segment rows is written whole at close: one row', () => {
    const d = dir();
    const a = openWriter(d);
    a.defineTag(tagConfig('A'), T0);
    a.append('A', noisy(T0, 50));
    a.flush();
    a.append('A', noisy(T0 + 50_000, 50, 2));
    a.flush();
    expect(segmentRows(d)).toBe(2);
    crash(a);
    const b = openWriter(d);
    b.close();
    expect(segmentRows(d)).toBe(1);
  });
});

describe('TagWriter constructor', () => {
  // guards tag-writer.ts:121 `staggerFirstBlock = false` -> true
  it('a writer opened without staggerBlocks keeps every first block at blockSize (512)', () => {
    const d = dir();
    const w = openWriter(d); // no staggerBlocks: an import's writer
    w.defineTag(tagConfig('A'), T0); // tag id 1: staggered, its first block would be 354 points
    w.append('A', noisy(T0, 600));
    w.close();
    const rows = volumeQuery<{ t_start: number; t_end: number }>(d, 'SELECT t_start, t_end FROM block ORDER BY t_start');
    expect(rows.map((r) => (r.t_end - r.t_start) / 1000 + 1)).toEqual([512]);
  });
});

describe('the compressor of a tag at rest', () => {
  // guards tag-writer.ts:138 `this.kind === 'analog'` -> true
  it('a discrete tag at rest takes samples after a reopen', async () => {
    const d = dir();
    const open = () => Historian.open(d, { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0 + DAY });
    const a = open();
    a.defineTag(tagConfig('D', {}, 'discrete'), T0);
    a.append('D', [{ t: T0, value: 1, status: Good }, { t: T0 + 1000, value: 2, status: Good }]);
    await a.close();
    expect(stateOf(d, 'D')).toBeNull();
    const b = open();
    b.append('D', [{ t: T0 + 2000, value: 3, status: Good }]);
    await b.close();
    expect(events(d)).toEqual([[0, 1], [1, 2], [2, 3]]);
  });

  // guards tag-writer.ts:139 `last !== null` -> false and -> `last === null`
  it('woken by a late sample only, an analog tag is still at rest at close: state NULL', () => {
    const d = dir();
    const a = openWriter(d);
    a.defineTag(tagConfig('A'), T0);
    a.append('A', noisy(T0 + 10_000, 20));
    a.close();
    expect(stateOf(d, 'A')).toBeNull();
    const b = openWriter(d);
    b.append('A', [{ t: T0, value: 7, status: Good }]); // behind the archive: late, archived as given
    b.close();
    expect(stateOf(d, 'A')).toBeNull();
    expect(volumeQuery<{ n: number }>(d, 'SELECT count(*) AS n FROM block').reduce((s, r) => s + r.n, 0) + segmentRows(d)).toBeGreaterThan(0);
  });

  // guards tag-writer.ts:131 `compressorInstance !== null` -> true
  it('a tag at rest given only an insert after its last point is not woken at close: state NULL', () => {
    const d = dir();
    const a = openWriter(d);
    a.defineTag(tagConfig('A'), T0);
    a.append('A', noisy(T0, 20));
    a.close();
    const b = openWriter(d);
    b.insert('A', [{ t: T0 + 30_000, value: 5, status: Good }]);
    b.close();
    expect(stateOf(d, 'A')).toBeNull();
  });
});

describe('stateBytes / restore', () => {
  // Bug found through 160/161: stateBytes() returned null for a tag whose compressor was never
  // woken (a new tag, or one at rest since the open) even with samples in its sorting buffer, so
  // a flush did not save the buffer (nor the counters) and kill -9 lost those samples.
  it('samples in the sorting buffer of a new and of a resting discrete tag survive kill -9 after a flush', () => {
    const d = dir();
    const now = T0 + 10_000;
    const opts = { sortWindowMs: 60_000, now: () => now };
    const a = openWriter(d, opts);
    a.defineTag(tagConfig('N', {}, 'discrete'), T0); // new: never woken
    a.defineTag(tagConfig('R', {}, 'discrete'), T0);
    a.append('R', [{ t: T0, value: 1, status: Good }]);
    a.close(); // R at rest
    const b = openWriter(d, opts);
    b.append('N', [{ t: T0, value: 1, status: Good }, { t: T0 + 1000, value: 2, status: Good }]);
    b.append('R', [{ t: T0 + 1000, value: 2, status: Good }]);
    b.flush(); // inside the sort window: nothing released, the buffers go to the catalog
    crash(b);
    const c = openWriter(d, opts);
    c.close();
    const rows = volumeQuery<{ tag_id: number; t: number; value: number }>(d, 'SELECT tag_id, t, value FROM event ORDER BY tag_id, t');
    const ids = Object.fromEntries(catalogQuery<{ id: number; name: string }>(d, 'SELECT id, name FROM tag').map((r) => [r.name, r.id]));
    expect(rows.map((r) => [r.tag_id, (r.t - T0) / 1000, r.value])).toEqual([[ids.N, 0, 1], [ids.N, 1, 2], [ids.R, 0, 1], [ids.R, 1, 2]]);
    expect(catalogQuery(d, 'SELECT name, received, archived FROM tag ORDER BY name')).toEqual([
      { name: 'N', received: 2, archived: 2 }, { name: 'R', received: 2, archived: 2 }]);
  });

  // guards tag-writer.ts:176 `this.kind === 'analog'` -> true
  it('a discrete tag whose compressor holds nothing is at rest at close: state NULL', async () => {
    const d = dir();
    const h = Historian.open(d, { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0 + DAY });
    h.defineTag(tagConfig('D', {}, 'discrete'), T0);
    h.append('D', [{ t: T0, value: 1, status: Good }, { t: T0 + 1000, value: 2, status: Good }]);
    await h.close();
    expect(stateOf(d, 'D')).toBeNull();
  });

  // guards tag-writer.ts:160 `?? -Infinity` -> +Infinity and 161 `?? -Infinity` -> +Infinity
  it('a discrete tag restored with samples only in its sorting buffer compresses them, and ends at rest', () => {
    const d = dir();
    const now = T0 + 10_000;
    const a = openWriter(d, { sortWindowMs: 60_000, now: () => now });
    a.defineTag(tagConfig('D', {}, 'discrete'), T0);
    a.append('D', [{ t: T0, value: 1, status: Good }, { t: T0 + 1000, value: 1, status: Good }]);
    a.flush(); // inside the sort window: the catalog keeps the sorting buffer, nothing pushed yet
    expect(events(d)).toEqual([]);
    crash(a);
    const b = openWriter(d, { sortWindowMs: 60_000, now: () => now });
    b.append('D', [{ t: T0 + 2000, value: 1, status: Good }, { t: T0 + 3000, value: 1, status: Good }]);
    b.close();
    // The discrete compressor archives changes; an unchanged value is held, and the held one is
    // archived at close: 1 at 0 s, then the last held sample (3 s). Not 1 s and 2 s.
    expect(events(d)).toEqual([[0, 1], [3, 1]]);
    expect(stateOf(d, 'D')).toBeNull();
  });
});

describe('archivePoint: lastPoint and lastArchivedT', () => {
  // guards tag-writer.ts:186 `p.t >= this.lastArchivedT` -> true
  it('a late insert behind the last point leaves an analog tag at rest at close: state NULL', () => {
    const d = dir();
    const w = openWriter(d);
    w.defineTag(tagConfig('A'), T0);
    w.append('A', noisy(T0 + 10_000, 20));
    w.insert('A', [{ t: T0, value: 7, status: Good }]);
    w.close();
    expect(stateOf(d, 'A')).toBeNull();
  });

  // guards tag-writer.ts:186 `p.t >= this.lastArchivedT` -> `p.t > this.lastArchivedT`
  // (Before the compressor took late samples at its newest time, Compressor.pushLate, it kept the
  // replaced (1 s, 2) and this test expected a stored state holding it.)
  it('an insert replacing the last point: the compressor takes it too, so the tag is at rest (state NULL)', () => {
    const d = dir();
    const w = openWriter(d);
    w.defineTag(tagConfig('A'), T0);
    w.append('A', [{ t: T0, value: 1, status: Good }, { t: T0 + 1000, value: 2, status: Good }]);
    w.insert('A', [{ t: T0 + 1000, value: 5, status: Good }]);
    w.close();
    // The archive's last point and the compressor's are both (1 s, 5): the resting state. With
    // lastPoint not moved by the insert, the state would be stored, holding (1 s, 5) beside a
    // last point of (1 s, 2).
    expect(stateOf(d, 'A')).toBeNull();
  });

  // guards tag-writer.ts:189 `p.t > this.lastArchivedT` -> false, -> true, -> `<=`
  it('a discrete tag given a late sample is still at rest at close: state NULL', async () => {
    const d = dir();
    const h = Historian.open(d, { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0 + DAY });
    h.defineTag(tagConfig('D', {}, 'discrete'), T0);
    h.append('D', [{ t: T0, value: 1, status: Good }, { t: T0 + 2000, value: 2, status: Good }]);
    h.flush();
    h.insert('D', [{ t: T0 + 1000, value: 9, status: Good }]);
    await h.close();
    expect(events(d)).toEqual([[0, 1], [1, 9], [2, 2]]);
    expect(stateOf(d, 'D')).toBeNull();
  });
});

describe('settleOpen', () => {
  // guards tag-writer.ts:243 `ob.quick || ob.tail.length > 0` -> `&&`, `ob.tail.length > 0` -> false, `ob.rewrite = true` -> false
  it('an open block of one segment and new points at close is written whole: one segment row', () => {
    const d = dir();
    const w = openWriter(d);
    w.defineTag(tagConfig('A'), T0);
    w.append('A', noisy(T0, 100));
    w.flush();
    expect(segmentRows(d)).toBe(1);
    w.append('A', noisy(T0 + 100_000, 100, 2));
    w.close();
    expect(segmentRows(d)).toBe(1);
  });

  // guards tag-writer.ts:243 `ob.quick || ob.tail.length > 0` -> `&&`, `ob.rewrite = true` -> false
  it('an open block of two flushed segments and nothing new at close is written whole: one segment row', () => {
    const d = dir();
    const w = openWriter(d);
    w.defineTag(tagConfig('A'), T0);
    w.append('A', noisy(T0, 100));
    w.flush();
    w.append('A', noisy(T0 + 100_000, 100, 2));
    w.flush();
    expect(segmentRows(d)).toBe(2);
    w.close();
    expect(segmentRows(d)).toBe(1);
  });
});

describe('settleOpen: the raw window at close', () => {
  /** Noisy values within ±0.45 of `at`, one a second from t0. */
  const jitter = (t0: number, n: number, at = 0): Sample[] =>
    Array.from({ length: n }, (_, k) => ({ t: t0 + k * 1000, value: at + (((k * 7919) % 901) - 450) / 1000, status: Good }));

  // guards tag-writer.ts:244 `this.raw.size >= MIN_SETTLE` -> `>`
  it('a deadband tag closed after exactly 16 samples stores them as they are (smaller than its points)', async () => {
    const d = dir();
    const h = Historian.open(d, { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0 + DAY });
    h.defineTag(tagConfig('A', { compression: { kind: 'deadband', deviation: 0.3 } }), T0);
    // Four stairs of four samples 0.01 apart: the deadband keeps each stair's first sample and a
    // hold record (8 points at uneven times, half of them flagged); the 16 samples, one a second
    // with 2 decimals, encode shorter.
    const samples = Array.from({ length: 16 }, (_, k) => ({ t: T0 + k * 1000, value: Math.floor(k / 4) + (k % 4) / 100, status: Good }));
    h.append('A', samples);
    await h.close();
    const r = Historian.open(d, { flushIntervalMs: 0, now: () => T0 + DAY });
    cleanups.push(() => r.close());
    const rows = r.readRaw({ tags: 'A', start: T0, end: T0 + DAY }).rows;
    expect(rows.map((x) => [x.t, x.value])).toEqual(samples.map((x) => [x.t, x.value]));
  });

  // guards tag-writer.ts:246 `ob.raw` -> true
  it('a block the window gave up on, all flushed, is not written again at close: the change head stays', async () => {
    const d = dir();
    const h = Historian.open(d, { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0 + DAY, blockSize: 512 });
    h.defineTag(tagConfig('A', { compression: { kind: 'deadband', deviation: 1 } }), T0);
    // 600 samples inside the band: at 512 the window finds 2 points far smaller than the samples
    // and gives up on the block (its later samples cover only part of it); then a jump, archived
    // at once: the compressor holds nothing at close.
    h.append('A', [...jitter(T0, 600), { t: T0 + 600_000, value: 10, status: Good }]);
    h.flush();
    const head = catalogMeta(d, 'change_head');
    const rows = segmentRows(d);
    await h.close();
    expect(catalogMeta(d, 'change_head')).toBe(head);
    expect(segmentRows(d)).toBe(rows);
  });
});

describe('learnBlockSize', () => {
  /**
   * A lossless tag with blockSize 4096: `day1` points on day 1 (a block the day boundary cuts),
   * then 6,000 on day 2 in flushes of 100. The points of each block, and its stored bytes.
   */
  function blocks(day1: number): { points: number; bytes: number }[] {
    const d = dir();
    const w = openWriter(d, { blockSize: 4096, now: () => T0 + 3 * DAY });
    w.defineTag(tagConfig('A'), T0);
    w.append('A', noisy(T0, day1, 3));
    w.flush();
    const day2 = noisy(T0 + DAY, 6000);
    for (let k = 0; k < day2.length; k += 100) {
      w.append('A', day2.slice(k, k + 100));
      w.flush();
    }
    w.close();
    return volumeQuery<{ t_start: number; t_end: number; bytes: number }>(d,
      'SELECT b.t_start, b.t_end, length(d.data) AS bytes FROM block b JOIN block_data d ON d.id = b.data_id ORDER BY b.t_start')
      .map((r) => ({ points: (r.t_end - r.t_start) / 1000 + 1, bytes: r.bytes }));
  }
  /** The README's rule: about 3,500 bytes a block, learned from the last one, between 256 points and blockSize. */
  const next = (b: { points: number; bytes: number }) => Math.max(256, Math.min(4096, Math.round(3500 / (b.bytes / b.points))));

  // guards tag-writer.ts:253 block -> {}, 254 `n < 16` -> true, `n <= 16`, `n >= 16`,
  // 255 Math.max -> Math.min, `BLOCK_TARGET_BYTES / (bytes / n)` -> `*`, `bytes / n` -> `bytes * n`
  it('each block after a block of 16 points is sized by the bytes per point of the block before', () => {
    const b = blocks(16);
    expect(b[0]!.points).toBe(16);
    expect(b.length).toBeGreaterThanOrEqual(4);
    // The size learned from the 16 points is none of the bounds nor the unlearned 2048 (else this case tells nothing).
    expect([256, 2048, 4096]).not.toContain(b[1]!.points);
    for (let i = 1; i < b.length - 1; i++) expect(b[i]!.points).toBe(next(b[i - 1]!));
  });

  // guards tag-writer.ts:254 `n < 16` -> false
  it('a block of fewer than 16 points teaches nothing: the next is a first block of 2048', () => {
    const b = blocks(15);
    expect(b[0]!.points).toBe(15);
    expect(next(b[0]!)).not.toBe(2048);
    expect(b[1]!.points).toBe(2048);
    expect(b[2]!.points).toBe(next(b[1]!));
  });
});

describe('releaseEvents', () => {
  // guards tag-writer.ts:267 `this.sortBuffer[n]!.t <= horizon` -> `<`
  it('a sample exactly sortWindowMs before now is released by the flush', () => {
    const d = dir();
    const now = T0 + 10_000;
    const w = openWriter(d, { sortWindowMs: 1000, now: () => now });
    w.defineTag(tagConfig('D', {}, 'discrete'), T0);
    w.append('D', [{ t: now - 1000, value: 1, status: Good }, { t: now - 999, value: 2, status: Good }]);
    w.flush();
    expect(events(d)).toEqual([[9, 1]]);
    w.close();
  });

  // guards tag-writer.ts:270 `s.t > this.lastPushedT` -> true, 273 block -> {}
  it('a sample behind the last pushed one is archived as given, and the compressor goes on from its own value', () => {
    const d = dir();
    const w = openWriter(d);
    w.defineTag(tagConfig('D', {}, 'discrete'), T0);
    w.append('D', [{ t: T0, value: 1, status: Good }, { t: T0 + 2000, value: 2, status: Good }]);
    w.flush();
    w.append('D', [{ t: T0 + 1000, value: 3, status: Good }]);
    w.flush();
    w.append('D', [{ t: T0 + 3000, value: 3, status: Good }]); // a change from 2: archived
    w.close();
    expect(events(d)).toEqual([[0, 1], [1, 3], [2, 2], [3, 3]]);
  });

  // guards tag-writer.ts:270 `s.t > this.lastPushedT` -> `>=`
  it('a sample at the last pushed time is archived as given (it replaces the value there)', () => {
    const d = dir();
    const w = openWriter(d);
    w.defineTag(tagConfig('D', {}, 'discrete'), T0);
    w.append('D', [{ t: T0, value: 1, status: Good }, { t: T0 + 2000, value: 2, status: Good }]);
    w.flush();
    w.append('D', [{ t: T0 + 2000, value: 3, status: Good }]);
    w.flush();
    w.append('D', [{ t: T0 + 3000, value: 3, status: Good }]); // a change from the compressor's 2: archived
    w.close();
    expect(events(d)).toEqual([[0, 1], [2, 3], [3, 3]]);
  });
});

describe('releaseEvents: the sorting buffer', () => {
  // Samples appended out of order, held by the sort window in the tag's state across a crash:
  // the next writer releases them in time order (sorted by the flush that saved them, or on restore).
  it('a buffer appended out of order before a crash is released in time order by the next writer', async () => {
    const d = dir();
    const a = openWriter(d, { sortWindowMs: 60_000, now: () => T0 + 10_000 });
    a.defineTag(tagConfig('V', {}, 'discrete'), T0);
    a.append('V', [{ t: T0 + 3000, value: true, status: Good }, { t: T0 + 1000, value: false, status: Good },
      { t: T0 + 2000, value: true, status: Good }]);
    a.flush(); // durable in the tag's state, none released
    crash(a);
    expect(events(d)).toEqual([]);
    const b = openWriter(d, { sortWindowMs: 60_000, now: () => T0 + 10_000 });
    await b.close(); // releases the buffer
    expect(events(d)).toEqual([[1, 0], [2, 1], [3, 1]]);
  });
});
