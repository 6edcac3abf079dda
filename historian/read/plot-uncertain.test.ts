/**
 * Uncertain values in plot buckets: drawn (min, max, first and last take them in) and marked
 * (the bucket's status is not Good); only Bad values are left out. A block summary holds the
 * extremes of its good values only, so a block with any value not good is decoded, not read
 * from its summary (or a rollup's); a block of good values is still answered from its summary.
 * Expectations come from the samples each case writes.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Historian } from '../index.js';
import { Bad, BadNoData, BadSensorFailure, Good, Uncertain, UncertainDataSubNormal } from '../status.js';
import { ROLLUP_BLOCKS } from '../store/rollups.js';
import { DAY, T0, tagConfig, tempDir } from '../store/testing.js';
import { propertyRuns } from '../testing/property-runs.js';
import type { TagKind } from '../types.js';
import type { PlotSeries } from './types.js';
import { VolumeReader } from './volume-reader.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Written { t: number; value: number | boolean; status: number }

function archive(blockSize: number, samples: Written[], kind: TagKind = 'analog'): Historian {
  const tmp = tempDir();
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, blockSize, sortWindowMs: 0, now: () => T0 + 400 * DAY });
  cleanups.push(tmp.remove, () => h.close());
  h.defineTag(tagConfig('P', {}, kind), T0 - DAY);
  h.insert('P', samples);
  h.flush();
  return h;
}

/** n samples 1 s apart from T0: 5 Good, except those `odd` gives. */
function flat(n: number, odd: (i: number) => [number, number] | null = () => null): Written[] {
  return Array.from({ length: n }, (_, i) => {
    const o = odd(i);
    return { t: T0 + i * 1000, value: o ? o[0] : 5, status: o ? o[1] : Good };
  });
}

const plot = (h: Historian, start: number, end: number, buckets: number, snapMs = 0): PlotSeries =>
  h.readPlot({ tags: 'P', start, end, buckets, snapMs })[0]!;

const half = (start: number, end: number, buckets: number) => (end - start) / buckets / 2;

/** The refs decoded by plots from now on. */
function decodedRefs(): number[] {
  const refs: number[] = [];
  const orig = VolumeReader.prototype.eachDecoded;
  vi.spyOn(VolumeReader.prototype, 'eachDecoded').mockImplementation(function (this: VolumeReader, ...args: Parameters<VolumeReader['eachDecoded']>) {
    refs.push(...args[1]);
    return orig.apply(this, args);
  });
  return refs;
}

describe('an Uncertain value is drawn at every zoom', () => {
  // 64 samples in blocks of 8: the Uncertain 500 at 21 s lies in the block 16..23 s.
  const samples = flat(64, (i) => (i === 21 ? [500, Uncertain] : null));
  const start = T0, end = T0 + 64_000;

  for (const buckets of [1, 2, 4, 8]) {
    for (const snap of [false, true]) {
      it(`a spike inside a block that lies in one bucket: ${buckets} bucket(s)${snap ? ', as pixel columns' : ''}`, () => {
        const p = plot(archive(8, samples), start, end, buckets, snap ? half(start, end, buckets) : 0);
        const b = Math.floor((21 * buckets) / 64);
        expect(p.max[b]).toBe(500);
        expect(p.min[b]).toBe(5);
        expect(p.status[b]).toBe(UncertainDataSubNormal);
        for (let k = 0; k < buckets; k++) {
          if (k === b) continue;
          expect([p.min[k], p.max[k], p.status[k]]).toEqual([5, 5, Good]);
        }
      });
    }
  }

  it('a bucket of Uncertain values only reads their range, first and last, Uncertain: not a gap', () => {
    // 70..77 Uncertain at 8..15 s (one block), Good 5 elsewhere; 4 buckets of 8 s.
    const h = archive(8, flat(32, (i) => (i >= 8 && i < 16 ? [62 + i, UncertainDataSubNormal] : null)));
    const p = plot(h, T0, T0 + 32_000, 4);
    expect([p.count[1], p.min[1], p.max[1], p.first[1], p.last[1]]).toEqual([8, 70, 77, 70, 77]);
    expect([p.firstT[1]! - T0, p.lastT[1]! - T0]).toEqual([8000, 15_000]);
    expect([...p.status]).toEqual([Good, Uncertain, Good, Good]);
  });

  it('inside a rollup that lies in one bucket (rollups are summaries of good values too)', () => {
    const n = 8 * ROLLUP_BLOCKS * 4; // four rollups of blocks of 8
    const spikeAt = 8 * ROLLUP_BLOCKS + 37; // in the second rollup
    const h = archive(8, flat(n, (i) => (i === spikeAt ? [500, Uncertain] : null)));
    for (const snap of [false, true]) {
      const end = T0 + n * 1000;
      const p = plot(h, T0, end, 2, snap ? half(T0, end, 2) : 0);
      expect([...p.max]).toEqual([500, 5]);
      expect([...p.status]).toEqual([UncertainDataSubNormal, Good]);
    }
  });

  it('a discrete value that is Uncertain is drawn; a Bad one is not', () => {
    const h = archive(64, [
      { t: T0, value: true, status: Good }, { t: T0 + 1000, value: false, status: Uncertain }, { t: T0 + 2000, value: 3, status: Bad },
    ], 'discrete');
    const p = plot(h, T0, T0 + 3000, 3);
    expect([...p.min]).toEqual([1, 0, NaN]);
    expect([...p.status]).toEqual([Good, Uncertain, Bad]);
  });
});

describe('Bad values stay out of the drawing', () => {
  it('a block of Good, Uncertain and Bad values: the extremes are those of the Good and Uncertain ones', () => {
    const h = archive(8, [
      { t: T0, value: 1, status: Good }, { t: T0 + 1000, value: 50, status: Uncertain },
      { t: T0 + 2000, value: 900, status: BadSensorFailure }, { t: T0 + 3000, value: -900, status: Bad }, { t: T0 + 4000, value: 2, status: Good },
    ]);
    const p = plot(h, T0, T0 + 8000, 1);
    expect([p.count[0], p.min[0], p.max[0], p.first[0], p.last[0], p.status[0]]).toEqual([5, 1, 50, 1, 2, UncertainDataSubNormal]);
  });

  it('a bucket of Bad values only is Bad with nothing to draw; an empty one is BadNoData', () => {
    const h = archive(4, flat(12, (i) => (i >= 4 && i < 8 ? [99, BadSensorFailure] : null)));
    const p = plot(h, T0, T0 + 16_000, 4);
    expect([...p.count]).toEqual([4, 4, 4, 0]);
    expect([...p.max]).toEqual([5, NaN, 5, NaN]);
    expect([...p.status]).toEqual([Good, Bad, Good, BadNoData]);
  });
});

describe('which blocks are decoded', () => {
  // 16 blocks of 8 samples (1 s apart), 4 buckets of 32 s: every block lies in one bucket.
  const start = T0, end = T0 + 128_000;

  it('all Good: none, exact or as pixel columns (answered from the summaries)', () => {
    const h = archive(8, flat(128));
    const refs = decodedRefs();
    plot(h, start, end, 4);
    plot(h, start, end, 4, half(start, end, 4));
    expect(refs).toEqual([]);
  });

  it('only the block holding a value that is not good', () => {
    const h = archive(8, flat(128, (i) => (i === 50 ? [7, Uncertain] : null)));
    const refs = decodedRefs();
    const p = plot(h, start, end, 4, half(start, end, 4));
    expect(refs).toEqual([T0 + 48_000]); // the block 48..55 s, by its start
    expect([...p.max]).toEqual([5, 7, 5, 5]);
  });
});

describe('property: every bucket against the samples written', () => {
  it('count; min, max, first and last over the values not Bad; status from the statuses (all uncertain: Uncertain)', () => {
    const statuses = [Good, Good, Good, Uncertain, UncertainDataSubNormal, Bad, BadSensorFailure];
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 1, max: 3000 }), v: fc.integer({ min: -1000, max: 1000 }), s: fc.constantFrom(...statuses) }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: -2000, max: 20_000 }), fc.integer({ min: 1000, max: 500_000 }),
        (steps, buckets, blockSize, startOffset, span) => {
          let t = T0;
          const samples = steps.map((x): Written => ({ t: (t += x.dt), value: x.v, status: x.s }));
          const h = archive(blockSize, samples);
          const start = T0 + startOffset, end = start + span;
          const p = plot(h, start, end, buckets);
          for (let b = 0; b < buckets; b++) {
            const own = samples.filter((s) => s.t >= start && s.t < end && Math.floor(((s.t - start) * buckets) / span) === b);
            const drawn = own.filter((s) => s.status >>> 30 < 2);
            const v = drawn.map((s) => s.value as number);
            expect(p.count[b]).toBe(own.length);
            expect([p.min[b], p.max[b], p.first[b], p.firstT[b], p.last[b], p.lastT[b]]).toEqual(drawn.length
              ? [Math.min(...v), Math.max(...v), v[0], drawn[0]!.t, v.at(-1), drawn.at(-1)!.t]
              : [NaN, NaN, NaN, NaN, NaN, NaN]);
            const status = own.length === 0 ? BadNoData : drawn.length === 0 ? Bad : own.every((s) => s.status === Good) ? Good
              : own.every((s) => s.status >>> 30 === 1) ? Uncertain : UncertainDataSubNormal;
            expect(p.status[b]).toBe(status);
          }
        }),
      { numRuns: propertyRuns(40) },
    );
  });
});
