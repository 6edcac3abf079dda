/**
 * Raw reads (readRaw, readRawColumns): literal cases for what mutation testing of raw.ts and
 * raw-columns.ts found untested (README.md, "Mutation testing"). Every expectation is worked out
 * by hand from the samples each case writes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian, type RawColumnsPage } from '../index.js';
import { Good } from '../status.js';
import { DAY, T0, tagConfig, tempDir } from '../store/testing.js';
import { Flag, type TagKind } from '../types.js';

const H = 3_600_000;
const B = Flag.Bounding, ND = Flag.Bounding | Flag.NoData;
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** An archive in day volumes with the given tags: name -> [ms after T0, value][] (kind by name: D discrete, X text, else analog). */
function archive(tags: Record<string, [number, number | boolean | string][]>, blockSize = 64): Historian {
  const tmp = tempDir();
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, blockSize, volumePeriod: 'day', now: () => T0 + 400 * DAY });
  cleanups.push(tmp.remove, () => h.close());
  for (const [name, samples] of Object.entries(tags)) {
    const kind: TagKind = name.startsWith('D') ? 'discrete' : name.startsWith('X') ? 'text' : 'analog';
    h.defineTag(tagConfig(name, {}, kind), T0);
    h.insert(name, samples.map(([dt, value]) => ({ t: T0 + dt, value, status: Good })));
  }
  h.flush();
  return h;
}

type Row = [tag: string, t: number, flags: number];
const rowOf = (r: { tag: string; t: number; flags: number }): Row => [r.tag, r.t - T0, r.flags & 0xff];

/** readRaw over all pages of `pageSize`. */
function allRaw(h: Historian, q: Parameters<Historian['readRaw']>[0], pageSize: number): Row[] {
  const out: Row[] = [];
  let continuation: string | null = null;
  for (let pages = 0; pages === 0 || continuation !== null; pages++) {
    if (pages === 100) throw new Error('readRaw: more than 100 pages');
    const page = h.readRaw({ ...q, pageSize, continuation });
    out.push(...page.rows.map(rowOf));
    continuation = page.continuation;
  }
  return out;
}

const colRows = (page: RawColumnsPage): Row[] =>
  page.series.flatMap((s) => Array.from(s.t, (t, i): Row => [s.tag, t - T0, s.flags[i]! & 0xff]));

/** readRawColumns over all pages of `pageSize` (pages: how many were read). */
function allCols(h: Historian, q: Parameters<Historian['readRawColumns']>[0], pageSize: number): { rows: Row[]; pages: number } {
  const rows: Row[] = [];
  let continuation: string | null = null, pages = 0;
  do {
    if (pages === 100) throw new Error('readRawColumns: more than 100 pages');
    const page = h.readRawColumns({ ...q, pageSize, continuation });
    rows.push(...colRows(page));
    continuation = page.continuation;
    pages++;
  } while (continuation !== null);
  return { rows, pages };
}

describe('raw reads (mutant cases): merged by time', () => {
  it('three tags whose next values come out of order: A 0, 100; B 20; C 10', () => {
    const h = archive({ A: [[0, 1], [100, 2]], B: [[20, 3]], C: [[10, 4]] });
    const rows = h.readRaw({ tags: ['A', 'B', 'C'], start: T0, end: T0 + 200, order: 'time' }).rows.map(rowOf);
    expect(rows).toEqual([['A', 0, 0], ['C', 10, 0], ['B', 20, 0], ['A', 100, 0]]);
  });

  it('four tags, the one asked last starting first: B 10, C 20, E 30, A 0', () => {
    const h = archive({ B: [[10, 1]], C: [[20, 2]], E: [[30, 3]], A: [[0, 4]] });
    const rows = h.readRaw({ tags: ['B', 'C', 'E', 'A'], start: T0, end: T0 + 200, order: 'time' }).rows.map(rowOf);
    expect(rows).toEqual([['A', 0, 0], ['B', 10, 0], ['C', 20, 0], ['E', 30, 0]]);
  });
});

describe('raw reads (mutant cases): oldest first across day volumes', () => {
  // A: k at k·12 h, k = 0..4: three day volumes.
  const samples: [number, number][] = [0, 1, 2, 3, 4].map((k) => [k * 12 * H, k]);
  const expected: Row[] = [0, 12, 24, 36, 48].map((hh) => ['A', hh * H, 0]);

  it('readRaw', () => {
    const h = archive({ A: samples });
    expect(h.readRaw({ tags: 'A', start: T0, end: T0 + 3 * DAY }).rows.map(rowOf)).toEqual(expected);
  });

  it('readRawColumns', () => {
    const h = archive({ A: samples });
    expect(colRows(h.readRawColumns({ tags: 'A', start: T0, end: T0 + 3 * DAY }))).toEqual(expected);
  });
});

describe('raw reads (mutant cases): arguments refused', () => {
  it('a page size that is not an integer >= 1', () => {
    const h = archive({ A: [[0, 1]] });
    for (const pageSize of [0, -1, 1.5]) {
      expect(() => h.readRaw({ tags: 'A', start: T0, end: T0 + 10, pageSize })).toThrow(`raw read: pageSize: expected an integer >= 1, got ${pageSize}`);
      expect(() => h.readRawColumns({ tags: 'A', start: T0, end: T0 + 10, pageSize })).toThrow(`raw read: pageSize: expected an integer >= 1, got ${pageSize}`);
    }
  });

  it('a token of another query, or with a key that is not (phase, t, tag)', () => {
    const h = archive({ A: [[0, 1], [10, 2], [20, 3]], C: [[0, 1], [10, 2]] });
    const q = { tags: 'A', start: T0, end: T0 + 30, pageSize: 1 };
    const token = h.readRaw(q).continuation!;
    const other = 'raw read: continuation: the token belongs to another query (tags, range, bounds and order must be the same)';
    for (const change of [{ tags: 'C' }, { start: T0 + 1 }, { end: T0 + 31 }, { bounds: true }, { order: 'time' as const }]) {
      expect(() => h.readRaw({ ...q, ...change, continuation: token })).toThrow(other);
    }
    // The same token with a key of two numbers only.
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { f: string; k: number[] };
    const short = Buffer.from(JSON.stringify({ f: parsed.f, k: parsed.k.slice(0, 2) })).toString('base64url');
    expect(() => h.readRaw({ ...q, continuation: short })).toThrow(other);
    expect(() => h.readRawColumns({ ...q, continuation: short })).toThrow(other);
  });

  it('bounds: false and bounds left out are the same query (their tokens are shared)', () => {
    const h = archive({ A: [[0, 1], [10, 2], [20, 3]] });
    const first = h.readRaw({ tags: 'A', start: T0, end: T0 + 30, pageSize: 1, bounds: false });
    const next = h.readRaw({ tags: 'A', start: T0, end: T0 + 30, pageSize: 1, continuation: first.continuation });
    expect(next.rows.map(rowOf)).toEqual([['A', 10, 0]]);
  });
});

describe('raw reads (mutant cases): readRawColumns pages', () => {
  it('start = end reads oldest first: the value there is both its bounds; between values, the two around it', () => {
    const h = archive({ A: [[0, 1], [10, 2], [20, 3]] });
    expect(colRows(h.readRawColumns({ tags: 'A', start: T0 + 10, end: T0 + 10, bounds: true }))).toEqual([['A', 10, 0]]);
    expect(colRows(h.readRawColumns({ tags: 'A', start: T0 + 15, end: T0 + 15, bounds: true }))).toEqual([['A', 10, B], ['A', 20, B]]);
  });

  it('two tags with bounds in pages of every size: each tag has its own bounds, nothing twice', () => {
    // A 10, 20, 30 and B 5, 15, 25 in [12, 22]: A's bounds 10 and 30, B's 5 and 25.
    const h = archive({ A: [[10, 1], [20, 2], [30, 3]], B: [[5, 4], [15, 5], [25, 6]] });
    const expected: Row[] = [['A', 10, B], ['A', 20, 0], ['A', 30, B], ['B', 5, B], ['B', 15, 0], ['B', 25, B]];
    for (const pageSize of [1, 2, 3, 4, 5, 6]) {
      const { rows, pages } = allCols(h, { tags: ['A', 'B'], start: T0 + 12, end: T0 + 22, bounds: true }, pageSize);
      expect(rows).toEqual(expected);
      expect(pages).toBe(Math.ceil(6 / pageSize));
      expect(allRaw(h, { tags: ['A', 'B'], start: T0 + 12, end: T0 + 22, bounds: true }, pageSize)).toEqual(expected);
    }
  });

  it('a first value on start and a last on end: each its own bound (Part 11: "at or before"), no NoData beside it, in pages of one', () => {
    const h = archive({ A: [[10, 1], [20, 2]] });
    const expected: Row[] = [['A', 10, 0], ['A', 20, 0]];
    expect(allCols(h, { tags: 'A', start: T0 + 10, end: T0 + 20, bounds: true }, 1).rows).toEqual(expected);
    expect(allRaw(h, { tags: 'A', start: T0 + 10, end: T0 + 20, bounds: true }, 1)).toEqual(expected);
  });

  it('a discrete tag in pages of one and two', () => {
    const h = archive({ D: [[5, true], [15, 7], [25, false]] });
    const expected: Row[] = [['D', 5, 0], ['D', 15, 0], ['D', 25, 0]];
    expect(allCols(h, { tags: 'D', start: T0, end: T0 + 30 }, 1)).toEqual({ rows: expected, pages: 3 });
    expect(allCols(h, { tags: 'D', start: T0, end: T0 + 30 }, 2)).toEqual({ rows: expected, pages: 2 });
  });

  it('an analog tag in blocks of two, either direction, in pages of every size', () => {
    // Ten values 0..9 at k ms, sealed two to a block: five blocks, more than a first fetch.
    const h = archive({ A: Array.from({ length: 10 }, (_, k): [number, number] => [k, k]) }, 2);
    const asc = Array.from({ length: 10 }, (_, k) => k);
    for (const pageSize of [1, 2, 3, 4, 5, 10, 11]) {
      for (const [start, end, values] of [[T0, T0 + 9, asc], [T0 + 9, T0, [...asc].reverse()]] as const) {
        const { rows, pages } = allCols(h, { tags: 'A', start, end }, pageSize);
        expect(rows.map((r) => r[1])).toEqual(values);
        expect(pages).toBe(Math.max(1, Math.ceil(10 / pageSize)));
      }
    }
  });

  it('an analog tag in blocks of one, in pages of one', () => {
    const h = archive({ A: [[0, 0], [1, 1], [2, 2]] }, 1);
    expect(allCols(h, { tags: 'A', start: T0, end: T0 + 9 }, 1)).toEqual({ rows: [['A', 0, 0], ['A', 1, 0], ['A', 2, 0]], pages: 3 });
  });

  it('a tag with no value in the range gives no series, though its block spans the range', () => {
    // A's one block holds 0 and 30: it is read for [10, 20] and has nothing there.
    const h = archive({ A: [[0, 1], [30, 2]], D: [[0, true], [30, false]] });
    expect(h.readRawColumns({ tags: ['A', 'D'], start: T0 + 10, end: T0 + 20 })).toEqual({ series: [], continuation: null });
  });

  it('many single values in one page (discrete)', () => {
    const h = archive({ D: Array.from({ length: 40 }, (_, k): [number, number] => [k, k]) });
    const [d] = h.readRawColumns({ tags: 'D', start: T0, end: T0 + 100 }).series;
    expect([...d!.value]).toEqual(Array.from({ length: 40 }, (_, k) => k));
  });
});

describe('raw reads (mutant cases): readRawColumns values', () => {
  it('a text tag: numeric-looking texts have no number, NoData bounds have an empty text', () => {
    const h = archive({ X: [[10, '42'], [20, '']] });
    const [x] = h.readRawColumns({ tags: 'X', start: T0 + 5, end: T0 + 25, bounds: true }).series;
    expect(x!.text).toEqual(['', '42', '', '']);
    expect([...x!.value].map((v) => Number.isNaN(v))).toEqual([true, true, true, true]);
    expect([...x!.flags]).toEqual([ND, 0, 0, ND]);
  });

  it('a status with only the low bit set, as read and as stored', () => {
    const tmp = tempDir();
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, now: () => T0 + 400 * DAY });
    cleanups.push(tmp.remove, () => h.close());
    h.defineTag(tagConfig('A'), T0);
    h.insert('A', [{ t: T0, value: 1, status: 1 }]);
    h.flush();
    // OPC UA Part 11: a raw value's status keeps the code's high 16 bits and carries InfoType DataValue (0x400).
    expect([...h.readRawColumns({ tags: 'A', start: T0, end: T0 + 1 }).series[0]!.status]).toEqual([0x400]);
    expect([...h.readRawColumns({ tags: 'A', start: T0, end: T0 + 1, statuses: 'stored' }).series[0]!.status]).toEqual([1]);
  });
});
