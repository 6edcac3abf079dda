/**
 * The compression guarantee (compression/README.md "The guarantee") through the real writer: a
 * compressed tag's blocks are sealed where its raw window decides (tag-writer.ts weighRaw:
 * Compressor.restart()), flushed every few samples, staggered; after close, the reconstruction
 * through what readRaw returns stays within the deviation of every raw sample. Noisy series with
 * 6 significant digits, where the window often decides and the block may still be stored as its
 * points. The reconstruction is the README's rule, written here: linear between neighbouring
 * points (a stepped tag: the left one's value), at an archived time the point there.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { propertyRuns } from '../testing/property-runs.js';
import type { Sample } from '../types.js';
import { T0, tagConfig, tempDir } from './testing.js';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0)) c(); });

interface Case { seed: number; noise: number; blockSize: number; flushEvery: number; gaps: boolean }

const cases: fc.Arbitrary<Case> = fc.record({
  seed: fc.integer(),
  noise: fc.constantFrom(1.5, 2, 3, 4), // peak-to-peak, in deviations
  blockSize: fc.constantFrom(8, 16, 32),
  flushEvery: fc.constantFrom(4, 16, 64),
  gaps: fc.boolean(),
});

/** The same samples go to one tag of each: a deadband's hold records on a linear tag, its held samples on a stepped one, the door. */
const TAGS = [
  { name: 'DB', compression: { kind: 'deadband' }, stepped: false },
  { name: 'DB.STEPPED', compression: { kind: 'deadband' }, stepped: true },
  { name: 'SD', compression: { kind: 'swinging-door' }, stepped: false },
] as const;

const DEV = 1;
const SAMPLES = 1000;

/**
 * A slow walk around 100 with uniform noise, 6 significant digits, one a second (gaps of 3-9 s
 * now and then: cyclic records), across midnight (T0): a day volume's first block.
 */
function series({ seed, noise, gaps }: Case): Sample[] {
  let s = seed >>> 0;
  const random = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  let level = 100, t = T0 - 500_000;
  return Array.from({ length: SAMPLES }, () => {
    level += (random() - 0.5) * 0.3;
    const value = Math.round((level + (random() - 0.5) * noise * DEV) * 1e4) / 1e4;
    const sample = { t, value, status: Good };
    t += gaps && random() < 0.02 ? 3000 + Math.floor(random() * 7) * 1000 : 1000;
    return sample;
  });
}

/** Samples farther than DEV (with the README's slack of 1e-9 of the magnitudes) from the reconstruction through points. */
function beyondDeviation(raw: readonly Sample[], points: readonly { t: number; value: number }[], stepped: boolean): string[] {
  const out: string[] = [];
  let j = 0;
  for (const s of raw) {
    while (j + 1 < points.length && points[j + 1]!.t <= s.t) j++;
    const a = points[j]!, b = points[j + 1];
    if (a.t > s.t) { out.push(`${s.t}: before the first point`); continue; }
    const rec = a.t === s.t || stepped || b === undefined ? a.value : a.value + (b.value - a.value) * (s.t - a.t) / (b.t - a.t);
    if (b === undefined && a.t !== s.t) { out.push(`${s.t}: after the last point`); continue; }
    const v = s.value as number;
    if (Math.abs(rec - v) > DEV + 1e-9 * (Math.abs(v) + Math.abs(rec) + DEV)) out.push(`${s.t}: raw ${v}, reconstruction ${rec}`);
  }
  return out;
}

describe('the deviation holds at block seals (live ingest, small blocks, frequent flushes)', () => {
  it('every raw sample is within the deviation of the reconstruction readRaw gives after close', async () => {
    await fc.assert(fc.asyncProperty(cases, async (c) => {
      const tmp = tempDir('vigil-seal-');
      cleanups.push(tmp.remove);
      const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, blockSize: c.blockSize, staggerBlocks: true });
      for (const tag of TAGS) {
        h.defineTag(tagConfig(tag.name, { compression: { kind: tag.compression.kind, deviation: DEV }, stepped: tag.stepped, cycleMs: 1000 }), 0);
      }
      const raw = series(c);
      raw.forEach((s, i) => {
        for (const tag of TAGS) h.append(tag.name, [s]);
        if (i % c.flushEvery === c.flushEvery - 1) h.flush(false);
      });
      await h.close();
      const r = Historian.open(tmp.dir, { flushIntervalMs: 0 });
      const beyond: Record<string, string[]> = {};
      for (const tag of TAGS) {
        const points = r.readRaw({ tags: [tag.name], start: 0, end: 4e12, pageSize: 1_000_000 }).rows.map((p) => ({ t: p.t, value: p.value as number }));
        beyond[tag.name] = beyondDeviation(raw, points, tag.stepped);
      }
      await r.close();
      expect(beyond).toEqual(Object.fromEntries(TAGS.map((tag) => [tag.name, []])));
    }), { numRuns: propertyRuns(12) });
  }, 240_000);

  it('a hold record that is a day volume\'s first point stays, its block stored as samples after it', async () => {
    // Deadband 1: 100 archived at -3 s (a step from 95); 100.9, 99.1, 100.9 stay in its band; the
    // step to 103 at 1 s archives the hold record (0 s, 100): the new day's first point. Ending
    // there on the raw 100.9 instead drew 100 -> 100.9, 100.6 at -1 s, 1.5 from the 99.1 there.
    const head = [95, 95.2, 95.1, 100, 100.9, 99.1, 100.9, 103].map((value, i) => ({ t: T0 + (i - 6) * 1000, value, status: Good }));
    // Then noise of 4 deviations: the deadband keeps nearly every sample, and the samples encode
    // shorter than those points (timestamps all 1 s apart): the block is stored as its samples.
    const tail = series({ seed: 7, noise: 4, blockSize: 512, flushEvery: 10, gaps: false }).map((x, i) => ({ ...x, t: T0 + (i + 2) * 1000 }));
    const raw = [...head, ...tail.slice(0, 100)];
    const tmp = tempDir('vigil-seal-');
    cleanups.push(tmp.remove);
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0 });
    h.defineTag(tagConfig('DB', { compression: { kind: 'deadband', deviation: DEV }, cycleMs: 1000 }), 0);
    raw.forEach((x, i) => {
      h.append('DB', [x]);
      if (i % 10 === 9) h.flush(false);
    });
    await h.close();
    const r = Historian.open(tmp.dir, { flushIntervalMs: 0 });
    const points = r.readRaw({ tags: ['DB'], start: 0, end: 4e12, pageSize: 1_000_000 }).rows;
    await r.close();
    expect(points.filter((p) => p.t >= T0 - 3000 && p.t <= T0 + 1000).map((p) => [(p.t - T0) / 1000, p.value])).toEqual([[-3, 100], [0, 100], [1, 103]]);
    expect(beyondDeviation(raw, points.map((p) => ({ t: p.t, value: p.value as number })), false)).toEqual([]);
  });
});
