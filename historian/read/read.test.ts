import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { BadNoData, Good, UncertainDataSubNormal, codeOf, isGood } from '../status.js';
import { DAY, T0, tagConfig, tempDir } from '../store/testing.js';
import { Flag, type Sample } from '../types.js';
import { propertyRuns } from '../testing/property-runs.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

function open(blockSize = 64): Historian {
  const tmp = tempDir();
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, blockSize, now: () => T0 + 400 * DAY });
  cleanups.push(tmp.remove, () => h.close());
  return h;
}

/** Three tags: A every 10 ms from T0 (100 values), B every 25 ms from T0 + 5 (40), C discrete (3). */
function fixture(): Historian {
  const h = open(16);
  for (const n of ['A', 'B']) h.defineTag(tagConfig(n), T0);
  h.defineTag(tagConfig('C', {}, 'discrete'), T0);
  h.append('A', Array.from({ length: 100 }, (_, i) => ({ t: T0 + i * 10, value: i, status: Good })));
  h.append('B', Array.from({ length: 40 }, (_, i) => ({ t: T0 + 5 + i * 25, value: -i, status: Good })));
  h.insert('C', [{ t: T0 + 100, value: true, status: Good }, { t: T0 + 500, value: false, status: Good }, { t: T0 + 900, value: 3, status: Good }]);
  h.flush();
  return h;
}

describe('raw reads', () => {
  it('returns bounding values, or NoData placeholders where there are none', () => {
    const h = fixture();
    const rows = h.readRaw({ tags: 'A', start: T0 + 15, end: T0 + 45, bounds: true }).rows;
    expect(rows.map((r) => r.t - T0)).toEqual([10, 20, 30, 40, 50]);
    expect(rows[0]!.flags & Flag.Bounding && rows[4]!.flags & Flag.Bounding).toBeTruthy();
    const edge = h.readRaw({ tags: 'A', start: T0 - 100, end: T0 + 5000, bounds: true }).rows;
    expect(edge).toHaveLength(102);
    expect(codeOf(edge[0]!.status)).toBe(BadNoData);
    expect(edge[0]!.flags & Flag.NoData && edge[101]!.flags & Flag.NoData).toBeTruthy();
  });

  it('gives back the limit bits a value was archived with (Part 4 §7.39.2: 0x100 low, 0x200 high, in a DataValue status 0x400)', () => {
    const h = open();
    h.defineTag(tagConfig('L'), T0);
    h.append('L', [{ t: T0, value: 1, status: 0x500 }, { t: T0 + 10, value: 2, status: Good }, { t: T0 + 20, value: 9, status: 0x600 }]);
    h.flush();
    const rows = h.readRaw({ tags: 'L', start: T0, end: T0 + 20 }).rows;
    expect(rows.map((r) => r.status)).toEqual([0x500, 0x400, 0x600]); // Raw (bits 0-1 = 0), InfoType DataValue
  });

  it('reads descending when end < start, bounds in request order', () => {
    const h = fixture();
    const rows = h.readRaw({ tags: 'A', start: T0 + 45, end: T0 + 15, bounds: true }).rows;
    expect(rows.map((r) => r.t - T0)).toEqual([50, 40, 30, 20, 10]);
  });

  it('pages with a continuation token in every order and direction, losing and repeating nothing', () => {
    const h = fixture();
    for (const order of ['tag', 'time'] as const) {
      for (const [start, end] of [[T0 - 50, T0 + 2000], [T0 + 2000, T0 - 50]] as const) {
        const whole = h.readRaw({ tags: '*', start, end, bounds: true, order }).rows;
        for (const pageSize of [1, 7, 50]) {
          const paged = [];
          let continuation: string | null = null;
          do {
            const page = h.readRaw({ tags: '*', start, end, bounds: true, order, pageSize, continuation });
            expect(page.rows.length).toBeLessThanOrEqual(pageSize);
            paged.push(...page.rows);
            continuation = page.continuation;
          } while (continuation);
          expect(paged).toEqual(whole);
        }
        expect(whole).toHaveLength(100 + 40 + 3 + 6);
        if (order === 'time') {
          const inner = whole.filter((r) => !(r.flags & Flag.Bounding)).map((r) => r.t);
          expect(inner).toEqual([...inner].sort((a, b) => (start < end ? a - b : b - a)));
        }
      }
    }
    expect(() => h.readRaw({ tags: 'A', start: T0, end: T0 + 10, continuation: 'bogus' })).toThrow(/continuation/);
  });

  it('selects tags by name, wildcard or all', () => {
    const h = fixture();
    const tags = (sel: string | string[]) => [...new Set(h.readRaw({ tags: sel, start: T0, end: T0 + 2000 }).rows.map((r) => r.tag))];
    expect(tags('?')).toEqual(['A', 'B', 'C']);
    expect(tags(['B', 'A'])).toEqual(['B', 'A']);
    expect(() => tags('nope')).toThrow(/nope/);
  });
});

describe('at-time and processed reads', () => {
  it('interpolates linearly between good neighbours, for many tags and times', () => {
    const h = fixture();
    const r = h.readAtTime({ tags: ['A', 'C'], times: [T0 + 15, T0 + 20, T0 + 600] });
    expect(r[0]!.values.map((v) => v.value)).toEqual([1.5, 2, 60]);
    expect(r[0]!.values.map((v) => isGood(v.status))).toEqual([true, true, true]);
    expect(r[1]!.values.map((v) => v.value)).toEqual([NaN, NaN, false]); // C starts at T0 + 100
    const stepped = h.readAtTime({ tags: 'A', times: [T0 + 15], mode: 'stepped' });
    expect(stepped[0]!.values[0]!.value).toBe(1);
  });

  it('computes aggregates over equal intervals through computeProcessed', () => {
    const h = fixture();
    const [a] = h.readProcessed({ tags: 'A', start: T0, end: T0 + 500, intervalMs: 100, aggregate: 'Maximum' });
    expect(a!.values.map((v) => v.value)).toEqual([9, 19, 29, 39, 49]);
    const [avg] = h.readProcessed({ tags: 'A', start: T0, end: T0 + 200, intervalMs: 100, aggregate: 'Average' });
    expect(avg!.values.map((v) => v.value)).toEqual([4.5, 14.5]);
  });
});

describe('plot reads', () => {
  it('equal a brute-force min/max/first/last over the samples written (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ dt: fc.integer({ min: 1, max: 5000 }), v: fc.double({ min: -1e6, max: 1e6, noNaN: true }), bad: fc.boolean() }),
        { minLength: 1, maxLength: 400 }),
      fc.integer({ min: 1, max: 60 }), fc.integer({ min: -2000, max: 2000 }), fc.integer({ min: 1, max: 400_000 }),
      fc.integer({ min: 2, max: 80 }),
      fc.array(fc.record({ at: fc.integer({ min: -1000, max: 500_000 }), v: fc.double({ min: -1e6, max: 1e6, noNaN: true }) }), { maxLength: 30 }),
      (steps, buckets, startOffset, span, blockSize, late) => {
        const h = open(blockSize);
        h.defineTag(tagConfig('P'), T0);
        let t = T0;
        const samples: Sample[] = steps.map((s) => ({ t: (t += s.dt), value: s.v, status: s.bad ? BadNoData : Good }));
        h.append('P', samples);
        h.flush();
        // Late points merged into sealed blocks, open segments and gaps.
        h.insert('P', late.map((l) => ({ t: T0 + l.at, value: l.v, status: Good })));
        h.flush();
        const start = T0 + startOffset, end = start + span;
        const [p] = h.readPlot({ tags: 'P', start, end, buckets });
        // The reference is what was written, not another read: late points replace equal times.
        const written = new Map<number, Sample>();
        for (const x of [...samples, ...late.map((l) => ({ t: T0 + l.at, value: l.v, status: Good }))]) written.set(x.t, x);
        const all = [...written.values()].filter((x) => x.t >= start && x.t < end).sort((a, b) => a.t - b.t);
        const width = span / buckets;
        for (let b = 0; b < buckets; b++) {
          const inB = all.filter((r) => Math.min(buckets - 1, Math.floor((r.t - start) / width)) === b);
          const good = inB.filter((r) => isGood(r.status));
          const vals = good.map((r) => r.value as number);
          expect(p!.count[b]).toBe(inB.length);
          if (good.length) {
            // -0 counts as 0: block summaries live in SQLite REAL columns, which store -0.0 as 0.0.
            const z = (x: number | undefined) => (x === 0 ? 0 : x);
            expect([p!.min[b], p!.max[b], p!.firstT[b], p!.first[b], p!.lastT[b], p!.last[b]].map(z)).toEqual(
              [Math.min(...vals), Math.max(...vals), good[0]!.t, vals[0], good.at(-1)!.t, vals.at(-1)].map(z));
          } else expect(Number.isNaN(p!.min[b])).toBe(true);
          const expected = inB.length === 0 ? BadNoData : good.length === inB.length ? Good : good.length ? UncertainDataSubNormal : 0x80000000;
          expect(p!.status[b]).toBe(expected);
        }
        void h.close();
      }), { numRuns: propertyRuns(40) });
  });

  it('sees a late correction of a block it has already summarised', () => {
    const h = open(16);
    h.defineTag(tagConfig('P'), T0);
    h.append('P', Array.from({ length: 1000 }, (_, i) => ({ t: T0 + i * 1000, value: i % 10, status: Good })));
    h.flush();
    const q = { tags: 'P', start: T0, end: T0 + 1_000_000, buckets: 4 };
    expect([...h.readPlot(q)[0]!.min]).toEqual([0, 0, 0, 0]);
    h.insert('P', [{ t: T0 + 300_000, value: -5, status: Good }]); // replaces a value inside a summarised block
    h.flush();
    expect([...h.readPlot(q)[0]!.min]).toEqual([0, -5, 0, 0]);
  });
});
