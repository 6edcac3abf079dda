/**
 * readRawColumns: literal values for each kind of tag, and on random archives (late inserts
 * into sealed blocks, open segments, several volumes, bad statuses) the values written, in
 * either direction, with bounds, over pages of any size; its tokens resume readRaw's and back.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian, RAW_BOOLEAN, type RawColumnsPage, type RawSeries } from '../index.js';
import { BadNoData, Good, UncertainDataSubNormal } from '../status.js';
import { DAY, T0, tagConfig, tempDir } from '../store/testing.js';
import { Flag, type Sample } from '../types.js';
import { propertyRuns } from '../testing/property-runs.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

function open(blockSize: number): Historian {
  const tmp = tempDir();
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, blockSize, volumePeriod: 'day', now: () => T0 + 400 * DAY });
  cleanups.push(tmp.remove, () => h.close());
  return h;
}

/** OPC UA: a historian's raw value carries the DataValue info type (0x400) and the code's high 16 bits. */
const asRead = (status: number) => (((status & 0xffff0000) | 0x400) >>> 0);

/** A page's columns as plain rows, to compare with a list. */
function rowsOf(page: RawColumnsPage) {
  return page.series.flatMap((s: RawSeries) => Array.from({ length: s.length }, (_, i) => ({
    tag: s.tag, t: s.t[i]!, value: s.text ? s.text[i]! : s.flags[i]! & RAW_BOOLEAN ? s.value[i] === 1 : s.value[i]!,
    status: s.status[i]!, flags: s.flags[i]! & 0xff,
  })));
}

describe('raw reads as columns', () => {
  it('hold each kind of tag as written, booleans marked, texts beside', () => {
    const h = open(4);
    h.defineTag(tagConfig('A'), T0);
    h.defineTag(tagConfig('D', {}, 'discrete'), T0);
    h.defineTag(tagConfig('X', {}, 'text'), T0);
    h.append('A', [0, 1, 2, 3, 4, 5].map((k) => ({ t: T0 + k * 10, value: k / 4, status: k === 3 ? UncertainDataSubNormal : Good })));
    h.insert('D', [{ t: T0 + 5, value: true, status: Good }, { t: T0 + 15, value: 7, status: Good }]);
    h.insert('X', [{ t: T0 + 20, value: 'on, "quoted"', status: Good }]);
    h.flush();
    const page = h.readRawColumns({ tags: ['A', 'D', 'X'], start: T0, end: T0 + 40 });
    expect(page.continuation).toBeNull();
    const [a, d, x] = page.series;
    expect([...a!.t].map((t) => t - T0)).toEqual([0, 10, 20, 30, 40]);
    expect([...a!.value]).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect([...a!.status]).toEqual([0x400, 0x400, 0x400, 0x40a40400, 0x400]);
    expect(a!.kind).toBe('analog');
    expect(a!.text).toBeNull();
    expect([...d!.value]).toEqual([1, 7]);
    expect([...d!.flags]).toEqual([RAW_BOOLEAN, 0]);
    expect(x!.text).toEqual(['on, "quoted"']);
    expect(Number.isNaN(x!.value[0])).toBe(true);
  });

  it('give statuses as archived when asked (what the change feed gives, for a re-send)', () => {
    const h = open(4);
    h.defineTag(tagConfig('A'), T0);
    h.defineTag(tagConfig('X', {}, 'text'), T0);
    // Literal OPC UA codes (Part 4): UncertainDataSubNormal 0x40A40000, a Good with its LimitHigh bits 0x200.
    h.append('A', [0, 1, 2].map((k) => ({ t: T0 + k * 10, value: k, status: [0, 0x40a40000, 0x200][k]! })));
    h.insert('X', [{ t: T0 + 5, value: 'lot', status: 0x40a40000 }]);
    h.flush();
    const stored = h.readRawColumns({ tags: ['A', 'X'], start: T0, end: T0 + 40, statuses: 'stored' });
    expect(stored.series.map((s) => [...s.status])).toEqual([[0, 0x40a40000, 0x200], [0x40a40000]]);
    const read = h.readRawColumns({ tags: ['A', 'X'], start: T0, end: T0 + 40 });
    expect(read.series.map((s) => [...s.status])).toEqual([[0x400, 0x40a40400, 0x400], [0x40a40400]]);
  });

  it('cut a block at the page size and go on from there on the next page', () => {
    const h = open(8);
    h.defineTag(tagConfig('A'), T0);
    h.insert('A', [0, 1, 2, 3, 4].map((k) => ({ t: T0 + k, value: k, status: Good }))); // one block of five
    h.flush();
    for (const [start, end, expected] of [[T0, T0 + 9, [0, 1, 2, 3, 4]], [T0 + 9, T0, [4, 3, 2, 1, 0]]] as const) {
      const seen: number[] = [];
      let continuation: string | null = null, pages = 0;
      do {
        const page = h.readRawColumns({ tags: 'A', start, end, pageSize: 2, continuation });
        for (const s of page.series) seen.push(...s.value);
        continuation = page.continuation;
        pages++;
      } while (continuation !== null);
      expect(seen).toEqual(expected);
      expect(pages).toBe(3);
    }
  });

  it('give the NoData placeholders as bounds where nothing is beyond the range', () => {
    const h = open(4);
    h.defineTag(tagConfig('A'), T0);
    h.append('A', [{ t: T0 + 10, value: 1, status: Good }, { t: T0 + 20, value: 2, status: Good }]);
    h.flush();
    const [s] = h.readRawColumns({ tags: 'A', start: T0 + 15, end: T0 + 100, bounds: true }).series;
    expect([...s!.t].map((t) => t - T0)).toEqual([10, 20, 100]);
    expect([...s!.flags]).toEqual([Flag.Bounding, 0, Flag.Bounding | Flag.NoData]);
    expect(s!.status[2]).toBe(asRead(BadNoData));
    expect(Number.isNaN(s!.value[2])).toBe(true);
  });

  it('equal the samples written, in pages of any size, either direction, tokens shared with readRaw (property)', () => {
    const sample = fc.record({ dt: fc.integer({ min: 1, max: 9 * 3_600_000 }), v: fc.integer({ min: -1e6, max: 1e6 }), bad: fc.integer({ min: 0, max: 5 }) });
    fc.assert(fc.property(
      fc.array(sample, { minLength: 0, maxLength: 120 }), fc.array(sample, { minLength: 0, maxLength: 60 }),
      fc.array(fc.record({ at: fc.integer({ min: 0, max: 3 * DAY }), v: fc.integer() }), { maxLength: 20 }),
      fc.integer({ min: 2, max: 40 }), fc.integer({ min: -DAY, max: 3 * DAY }), fc.integer({ min: 0, max: 4 * DAY }),
      fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 70 }),
      (sa, sb, late, blockSize, from, span, bounds, desc, pageSize) => {
        const h = open(blockSize);
        h.defineTag(tagConfig('A'), T0);
        h.defineTag(tagConfig('B'), T0);
        const series = (steps: typeof sa): Sample[] => {
          let t = T0;
          return steps.map((s) => ({ t: (t += s.dt), value: s.v / 8, status: s.bad === 0 ? BadNoData : s.bad === 1 ? UncertainDataSubNormal : Good }));
        };
        const a = series(sa), b = series(sb);
        h.append('A', a.slice(0, a.length >> 1));
        h.flush();
        h.insert('A', late.map((l) => ({ t: T0 + l.at, value: l.v, status: Good })));
        h.append('A', a.slice(a.length >> 1)); // the open block's tail, written as segments
        h.append('B', b);
        h.flush();
        // The reference: what was written (a late value replaces one at the same time).
        const written = new Map<string, Map<number, Sample>>([['A', new Map()], ['B', new Map()]]);
        for (const s of a.slice(0, a.length >> 1)) written.get('A')!.set(s.t, s);
        for (const l of late) written.get('A')!.set(T0 + l.at, { t: T0 + l.at, value: l.v, status: Good });
        for (const s of a.slice(a.length >> 1)) written.get('A')!.set(s.t, s);
        for (const s of b) written.get('B')!.set(s.t, s);
        const lo = T0 + from, hi = lo + span;
        desc &&= span > 0; // start = end reads oldest first
        const [start, end] = desc ? [hi, lo] : [lo, hi];
        const expected = ['B', 'A'].flatMap((tag) => {
          const all = [...written.get(tag)!.values()].sort((x, y) => x.t - y.t);
          const row = (s: Sample, flags: number) => ({ tag, t: s.t, value: s.value, status: asRead(s.status), flags });
          const none = (t: number) => ({ tag, t, value: NaN, status: asRead(BadNoData), flags: Flag.Bounding | Flag.NoData });
          const inside = all.filter((s) => s.t >= lo && s.t <= hi).map((s) => row(s, 0));
          if (desc) inside.reverse();
          if (!bounds) return inside;
          // A value exactly at start or end is its own bound (Part 11: "at or before" the start).
          const at = (t: number) => all.some((s) => s.t === t);
          const before = all.filter((s) => s.t < lo).at(-1), after = all.find((s) => s.t > hi);
          const first = desc ? after : before, last = desc ? before : after;
          return [
            ...(at(start) ? [] : [first ? row(first, Flag.Bounding) : none(start)]),
            ...inside,
            ...(at(end) ? [] : [last ? row(last, Flag.Bounding) : none(end)]),
          ];
        });
        const q = { tags: ['B', 'A'], start, end, bounds, pageSize };
        const got: ReturnType<typeof rowsOf> = [];
        let continuation: string | null = null, k = 0;
        do {
          // Every other page through readRaw: the tokens are the same.
          if (k++ % 2 === 1) {
            const page = h.readRaw({ ...q, continuation });
            got.push(...page.rows);
            continuation = page.continuation;
          } else {
            const page = h.readRawColumns({ ...q, continuation });
            const rows = rowsOf(page);
            expect(rows.length).toBeLessThanOrEqual(pageSize);
            if (page.continuation !== null) expect(rows.length).toBe(pageSize);
            got.push(...rows);
            continuation = page.continuation;
          }
        } while (continuation !== null);
        expect(got).toEqual(expected);
        void h.close();
      }), { numRuns: propertyRuns(40) });
  });
});
