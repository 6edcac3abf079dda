/**
 * Live data (staggerBlocks): tags defined and fed together cut their first blocks at points
 * spread between half and all of blockSize, so a flush does not seal them all at once; an
 * import (the default) keeps every first block at blockSize.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { T0, tagConfig, tempDir, volumeQuery } from './testing.js';

let remove: (() => void) | null = null;
afterEach(() => { remove?.(); remove = null; });

/** 100 tags fed one noisy point a second for 600 s, a flush every 10 s; the points of each tag's first block. */
async function firstBlocks(staggerBlocks: boolean): Promise<number[]> {
  const t = tempDir();
  remove = t.remove;
  const h = Historian.open(t.dir, { flushIntervalMs: 0, sortWindowMs: 0, blockSize: 512, staggerBlocks });
  const names = Array.from({ length: 100 }, (_, i) => `T${i}`);
  for (const n of names) h.defineTag(tagConfig(n), T0);
  for (let s = 0; s < 600; s++) {
    names.forEach((n, i) => h.append(n, [{ t: T0 + s * 1000, value: ((s * 7919 + i * 104729) % 1000) / 10, status: 0 }]));
    if (s % 10 === 9) h.flush(false);
  }
  await h.close();
  const rows = volumeQuery<{ tag_id: number; t_start: number; t_end: number }>(t.dir,
    'SELECT tag_id, t_start, t_end FROM block b WHERE t_start = (SELECT min(t_start) FROM block WHERE tag_id = b.tag_id)');
  expect(rows).toHaveLength(100);
  return rows.map((r) => (r.t_end - r.t_start) / 1000 + 1);
}

describe('staggered first blocks', () => {
  it('spreads the first blocks of tags fed together between 256 and 512 points, at most two tags alike', async () => {
    const points = await firstBlocks(true);
    expect(Math.min(...points)).toBeGreaterThanOrEqual(256);
    expect(Math.max(...points)).toBeLessThanOrEqual(512);
    const alike = new Map<number, number>();
    for (const p of points) alike.set(p, (alike.get(p) ?? 0) + 1);
    expect(Math.max(...alike.values())).toBeLessThanOrEqual(2);
    // Spread over the whole range, not bunched: a quarter of the tags in each quarter of it, give or take 5.
    for (const [lo, hi] of [[256, 320], [320, 384], [384, 448], [448, 513]]) {
      const n = points.filter((p) => p >= lo! && p < hi!).length;
      expect(n).toBeGreaterThanOrEqual(20);
      expect(n).toBeLessThanOrEqual(30);
    }
  });

  it('without it (an import), every first block holds blockSize points', async () => {
    expect(new Set(await firstBlocks(false))).toEqual(new Set([512]));
  });
});
