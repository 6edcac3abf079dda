/**
 * The change feed (readChanges, readChangeColumns, changeHead, compareChangeCursors): literal
 * cases for what mutation testing of change-builder.ts, change-cursor.ts and change-state.ts
 * found untested (README.md, "Mutation testing"). Every expectation is worked out by hand from
 * the samples and flushes each case makes.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ArchiveReader } from '../cli/reader.js';
import { Historian, compareChangeCursors } from '../index.js';
import { Good } from '../status.js';
import { DAY, T0, tagConfig, tempDir } from '../store/testing.js';
import type { TagKind } from '../types.js';

const MIN = 60_000;
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** The wall clock the archive sees: cases move it. */
let clock = T0 + 30 * DAY;

function open(blockSize = 64): { h: Historian; dir: string } {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, blockSize, volumePeriod: 'day', now: () => clock });
  cleanups.push(() => h.close());
  return { h, dir: tmp.dir };
}

function define(h: Historian, name: string, kind: TagKind = 'analog'): void {
  h.defineTag(tagConfig(name, kind === 'analog' ? {} : { stepped: true }, kind), T0);
}

/** Appends values at T0 + dt. */
function put(h: Historian, name: string, samples: [number, number | boolean | string][]): void {
  h.append(name, samples.map(([dt, value]) => ({ t: T0 + dt, value, status: Good })));
}

const MESSAGE = 'change cursor: expected a cursor returned by readChanges or changeHead, got ';

describe('change feed (mutant cases): cursors', () => {
  it('a fresh archive after one flush: head 1.1.0; from the beginning the page ends there', () => {
    const { h } = open();
    define(h, 'A');
    put(h, 'A', [[0, 1], [1000, 2]]);
    h.flush();
    expect(h.changeHead()).toBe('1.1.0');
    const page = h.readChanges(null, 10);
    expect(page.cursor).toBe('1.1.0');
    expect(page.items.map((it) => [it.tag, it.t.map((t) => t - T0), it.values])).toEqual([['A', [0, 1000], [1, 2]]]);
    // The literal cursor of "nothing read yet" reads the same.
    expect(h.readChanges('1.-1.0', 10).items.map((it) => it.values)).toEqual([[1, 2]]);
  });

  it('refuses cursors of another version, of 1, 3 or 7 numbers, with a non-integer, and non-strings, with the message', () => {
    const { h } = open();
    for (const bad of ['2.5.0', '0.5.0', '.5.0', '1.5', '1.5.0.1', '1.5.0.1.2.3.4.5', '1.5.x', '1.x.0', '1.5.0.2.0.1.0.5', '1.5.0.5.0.1.1.5', '1.5.1e300']) {
      expect(() => h.readChanges(bad, 10), bad).toThrow(new Error(`${MESSAGE}"${bad}"`));
    }
    expect(() => h.readChanges(undefined as unknown as string, 10)).toThrow(new Error(`${MESSAGE}undefined`));
    expect(() => h.readChanges(5 as unknown as string, 10)).toThrow(new Error(`${MESSAGE}5`));
    expect(() => compareChangeCursors('1.5', '1.5.0')).toThrow(new Error(`${MESSAGE}"1.5"`));
  });

  it('orders cursors: a first, then in a pass before not, then b, volume, tag, time, then g', () => {
    expect(compareChangeCursors('1.-1.0', '1.3.0')).toBe(-1);
    expect(compareChangeCursors('1.3.0', '1.-1.0')).toBe(1);
    expect(compareChangeCursors(null, '1.0.0')).toBe(-1);
    expect(compareChangeCursors('1.3.0', '1.3.0')).toBe(0);
    expect(compareChangeCursors(null, null)).toBe(0);
    expect(compareChangeCursors('1.3.0.5.0.1.0', '1.3.0.5.0.1.0')).toBe(0);
    expect(compareChangeCursors('1.3.0', '1.3.0.5.0.1.0')).toBe(-1);
    expect(compareChangeCursors('1.3.0.5.0.1.0', '1.3.0.6.0.1.0')).toBe(-1);
    expect(compareChangeCursors('1.3.0.6.0.1.0', '1.3.0.5.0.1.0')).toBe(1);
    expect(compareChangeCursors('1.3.0.5.0.1.0', '1.3.0.5.7.1.0')).toBe(-1);
    expect(compareChangeCursors('1.3.0.5.0.2.0', '1.3.0.5.0.1.9')).toBe(1);
    expect(compareChangeCursors('1.3.0.5.0.1.8', '1.3.0.5.0.1.9')).toBe(-1);
    expect(compareChangeCursors('1.3.2', '1.3.1')).toBe(1);
    expect(compareChangeCursors('1.3.1', '1.3.2')).toBe(-1);
  });
});

describe('change feed (mutant cases): when each sample was written', () => {
  it('three flushes two minutes apart: three change log rows, each sample at its own row', () => {
    clock = T0 + 30 * DAY;
    const w0 = clock;
    const { h } = open();
    define(h, 'A');
    define(h, 'D', 'discrete');
    put(h, 'A', [[0, 1]]);
    put(h, 'D', [[0, true]]);
    h.flush(); // seq 1 at w0
    clock += 2 * MIN;
    put(h, 'A', [[1000, 2]]);
    put(h, 'D', [[1000, false]]);
    h.flush(); // seq 2 at w0 + 2 min
    clock += 2 * MIN;
    put(h, 'A', [[2000, 3]]);
    put(h, 'D', [[2000, true]]);
    h.flush(); // seq 3 at w0 + 4 min
    const cols = h.readChangeColumns(null, 100);
    expect(cols.tags).toEqual(['A', 'D']);
    expect(Array.from(cols.tag)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(Array.from(cols.t, (t) => t - T0)).toEqual([0, 1000, 2000, 0, 1000, 2000]);
    expect(Array.from(cols.writtenAt, (w) => (w - w0) / MIN)).toEqual([0, 2, 4, 0, 2, 4]);
    expect(cols.cursor).toBe('1.3.0');
    // After the first flush: the second and third rows.
    const later = h.readChangeColumns('1.1.0', 100);
    expect(Array.from(later.writtenAt, (w) => (w - w0) / MIN)).toEqual([2, 4, 2, 4]);
    // Two flushes within the minute share a row: its first commit.
    clock += 30_000;
    put(h, 'A', [[3000, 4]]);
    h.flush(); // seq 4, extends the row of seq 3
    const last = h.readChanges('1.2.0', 100);
    expect(last.items.map((it) => [it.tag, it.t.map((t) => t - T0), (it.writtenAt - w0) / MIN])).toEqual([['A', [2000, 3000], 4], ['D', [2000], 4]]);
  });

  it('a format-1 archive a writer opened: the old samples at 0, the new one at its flush', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const fixture = new URL('../store/fixtures/format-1/', import.meta.url);
    cpSync(new URL('catalog.sqlite', fixture), join(tmp.dir, 'catalog.sqlite'));
    cpSync(new URL('volumes', fixture), join(tmp.dir, 'volumes'), { recursive: true });
    clock = T0 + 400 * DAY;
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, now: () => clock });
    cleanups.push(() => h.close());
    const old = h.readChangeColumns(null, 1_000_000);
    expect(old.length).toBeGreaterThan(0);
    expect(new Set(old.writtenAt)).toEqual(new Set([0]));
    const lastT = Math.max(...old.t);
    h.append('A', [{ t: lastT + 1000, value: 1, status: Good }]);
    h.flush();
    const all = h.readChangeColumns(null, 1_000_000);
    expect(all.length).toBe(old.length + 1);
    // Every sample but the new one is from before the feed.
    const at = Array.from(all.writtenAt);
    const i = Array.from(all.t).indexOf(lastT + 1000);
    expect(at[i]).toBe(clock);
    expect(at.filter((w) => w === 0)).toHaveLength(old.length);
  });
});

describe('change feed (mutant cases): pages', () => {
  it('one tag in two day volumes is one entry of tags', () => {
    const { h } = open();
    define(h, 'A');
    put(h, 'A', [[0, 1], [DAY, 2]]);
    h.flush();
    const cols = h.readChangeColumns(null, 10);
    expect(cols.tags).toEqual(['A']);
    expect(Array.from(cols.tag)).toEqual([0, 0]);
    expect(Array.from(cols.value)).toEqual([1, 2]);
  });

  it('five discrete values in pages of three, two and one', () => {
    const { h } = open();
    define(h, 'D', 'discrete');
    put(h, 'D', [[0, 1], [1000, 2], [2000, 3], [3000, 4], [4000, 5]]);
    h.flush();
    const p1 = h.readChangeColumns(null, 3);
    expect([p1.length, p1.more, Array.from(p1.value)]).toEqual([3, true, [1, 2, 3]]);
    const p2 = h.readChangeColumns(p1.cursor, 2);
    expect([p2.length, p2.more, Array.from(p2.value)]).toEqual([2, true, [4, 5]]);
    const p3 = h.readChangeColumns(p2.cursor, 1);
    expect([p3.length, p3.more, Array.from(p3.value)]).toEqual([0, false, []]);
  });

  it('a text value after analog ones: text null for the analog ones', () => {
    const { h } = open();
    define(h, 'A');
    define(h, 'X', 'text');
    put(h, 'A', [[0, 1], [1000, 2]]);
    put(h, 'X', [[0, 'on']]);
    h.flush();
    const cols = h.readChangeColumns(null, 10);
    expect(cols.tags).toEqual(['A', 'X']);
    expect(cols.text).toHaveLength(3);
    expect([cols.text![0], cols.text![1], cols.text![2]]).toEqual([null, null, 'on']);
  });

  it('a late value merged into a sealed block during a pass comes once, in the next pass', () => {
    const { h } = open(4);
    define(h, 'A');
    put(h, 'A', [[0, 0], [1000, 1], [2000, 2], [3000, 3], [4000, 4]]);
    h.flush(); // seq 1
    const p1 = h.readChanges(null, 2);
    expect(p1.items.flatMap((it) => it.values)).toEqual([0, 1]);
    expect(p1.cursor).toBe(`1.-1.0.1.${T0}.1.${T0 + 1000}`);
    h.insert('A', [{ t: T0 + 2500, value: 2.5, status: Good }]);
    h.flush(); // seq 2: 2.5 is merged into the block of 0..3, numbered 2 (after this pass's b = 1)
    const p2 = h.readChanges(p1.cursor, 100);
    expect(p2.items.flatMap((it) => it.values)).toEqual([2, 3, 4]);
    expect([p2.cursor, p2.more]).toEqual(['1.1.0', true]);
    const p3 = h.readChanges(p2.cursor, 100);
    expect(p3.items.flatMap((it) => it.values)).toEqual([2.5]);
    expect([p3.cursor, p3.more]).toEqual(['1.2.0', false]);
  });

  // The columns start at 2^18 entries (or the page size when smaller) and double as needed.
  it('2^18 + 5 analog values (blocks) read in one page of any size', () => {
    const { h } = open(4096);
    define(h, 'A');
    const n = (1 << 18) + 5;
    h.append('A', Array.from({ length: n }, (_, i) => ({ t: T0 + i, value: i, status: Good })));
    h.flush();
    const cols = h.readChangeColumns(null, Number.MAX_SAFE_INTEGER);
    expect([cols.length, cols.more, cols.tags]).toEqual([n, false, ['A']]);
    let bad = 0;
    for (let i = 0; i < n; i++) if (cols.t[i] !== T0 + i || cols.value[i] !== i || cols.tag[i] !== 0) bad++;
    expect(bad).toBe(0);
  });

  // A block larger than the columns (2^18) arriving when they are nearly full: they grow to what
  // the block needs (527,740), not only to twice their size (524,288). B's first block, 2,048
  // equal values a ms apart, encodes in a few dozen bytes, so its next block is sized at
  // ~3,500 bytes' worth: 275,692 values (tag-writer.ts learnBlockSize).
  it('a block of 275,692 values after 252,048 others: every sample in its place', () => {
    const { h } = open(1 << 20);
    define(h, 'A');
    define(h, 'B');
    h.append('A', Array.from({ length: 250_000 }, (_, i) => ({ t: T0 + i, value: i % 2, status: Good })));
    h.append('B', Array.from({ length: 2049 }, (_, i) => ({ t: T0 + i, value: 7, status: Good })));
    h.flush(); // B: block [0, 2047] sealed
    h.append('B', Array.from({ length: 275_692 }, (_, i) => ({ t: T0 + 2049 + i, value: 7, status: Good })));
    h.flush(); // B: block [2048, 277739] sealed, 277740 open
    const cols = h.readChangeColumns(null, Number.MAX_SAFE_INTEGER);
    expect([cols.length, cols.more, cols.tags]).toEqual([527_741, false, ['A', 'B']]);
    // A at 0..249,999 ms, then B at 0..277,740 ms.
    let bad = 0;
    for (let i = 0; i < 250_000; i++) if (cols.t[i] !== T0 + i || cols.value[i] !== i % 2 || cols.tag[i] !== 0) bad++;
    for (let i = 250_000; i < 527_741; i++) if (cols.t[i] !== T0 + i - 250_000 || cols.value[i] !== 7 || cols.tag[i] !== 1) bad++;
    expect(bad).toBe(0);
    expect([cols.t[524_288]! - T0, cols.t[527_739]! - T0, cols.value[527_739]]).toEqual([274_288, 277_739, 7]);
  });

  it('2^18 + 5 discrete values (event rows) read in one page of any size', () => {
    const { h } = open();
    define(h, 'D', 'discrete');
    const n = (1 << 18) + 5;
    h.append('D', Array.from({ length: n }, (_, i) => ({ t: T0 + i, value: i, status: Good })));
    h.flush();
    const cols = h.readChangeColumns(null, Number.MAX_SAFE_INTEGER);
    expect([cols.length, cols.more, cols.tags]).toEqual([n, false, ['D']]);
    let bad = 0;
    for (let i = 0; i < n; i++) if (cols.t[i] !== T0 + i || cols.value[i] !== i || cols.tag[i] !== 0) bad++;
    expect(bad).toBe(0);
  });
});

describe('change feed (mutant cases): older volume files', () => {
  it('a format-2 archive through a reader: every sample, written after the feed began', () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const fixture = new URL('../store/fixtures/format-2/', import.meta.url);
    cpSync(new URL('catalog.sqlite', fixture), join(tmp.dir, 'catalog.sqlite'));
    cpSync(new URL('volumes', fixture), join(tmp.dir, 'volumes'), { recursive: true });
    const reader = new ArchiveReader(tmp.dir);
    cleanups.push(() => reader.close());
    // expected.json (what the code that made it read back): A 1202, X 1200, C 40, D 33, S 12 values,
    // all flushed by one writer whose clock stood at T0 + 10 days.
    const page = reader.readChangeColumns(null, 1_000_000);
    expect([page.length, page.more, [...page.tags].sort()]).toEqual([2487, false, ['A', 'C', 'D', 'S', 'X']]);
    expect(new Set(page.writtenAt)).toEqual(new Set([T0 + 10 * DAY]));
    const head = reader.changeHead();
    expect(reader.readChangeColumns(head, 10).length).toBe(0);
  });

  it('a volume without the segment sequence index (no writer opened it since) reads its open blocks whole', async () => {
    const { h, dir } = open();
    define(h, 'A');
    put(h, 'A', [[0, 1], [1000, 2]]);
    h.flush();
    await h.close();
    const { readdirSync } = await import('node:fs');
    for (const f of readdirSync(join(dir, 'volumes')).filter((x) => x.endsWith('.sqlite'))) {
      const db = new Database(join(dir, 'volumes', f));
      db.exec('DROP INDEX IF EXISTS segment_seq');
      db.close();
    }
    const reader = new ArchiveReader(dir);
    cleanups.push(() => reader.close());
    const page = reader.readChanges(null, 10);
    expect(page.items.map((it) => [it.tag, it.values])).toEqual([['A', [1, 2]]]);
  });
});
