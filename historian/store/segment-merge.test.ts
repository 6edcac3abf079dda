/**
 * The open block's segments are merged size-tiered (writer.ts mergeFrom): a block written a
 * point per flush keeps few segment rows (reads stay cheap) and re-encodes each point a few
 * times, not once per flush (writes stay cheap); and every point written is read back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { MAX_SEGMENTS } from './tag-writer.js';
import { T0, tagConfig, tempDir } from './testing.js';
import { mergeFrom } from './writer.js';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0)) c(); });

/** Replays mergeFrom over flushes of `perFlush` points: most segments at once, points encoded per point written. */
function replay(flushes: number, perFlush: (f: number) => number): { most: number; encodesPerPoint: number } {
  let segs: number[] = [];
  let encoded = 0, written = 0, most = 0;
  for (let f = 0; f < flushes; f++) {
    const n = perFlush(f);
    written += n;
    const sizes = segs.concat(n);
    const from = mergeFrom(sizes);
    const merged = sizes.slice(from).reduce((a, b) => a + b, 0);
    encoded += merged;
    segs = sizes.slice(0, from).concat(merged);
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
});
