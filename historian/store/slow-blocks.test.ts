/**
 * Blocks of slow points (a minute or more apart on average: 3-minute process data) grow past
 * blockSize up to slowBlockSize (4096 by default), cut by size as any block; fast data keeps
 * blockSize (a plot decodes the blocks at its buckets' edges). Points per block are read from
 * the volume's rows (first and last time over the period), the values read back whole.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian, type HistorianOptions } from '../index.js';
import { Good } from '../status.js';
import type { Sample } from '../types.js';
import { T0, tagConfig, tempDir, volumeQuery } from './testing.js';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0)) c(); });

/** Seeded noise with 5 significant digits around 80 (a temperature), one point per periodMs. */
function series(n: number, periodMs: number): Sample[] {
  let s = 12345;
  const random = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, (_, i) => ({ t: T0 + i * periodMs, value: Math.round((80 + random() * 0.4) * 1000) / 1000, status: Good }));
}

/** Archives the series in flushes of `chunk` points; the points of each block or open-block row, in time order. */
async function blockPoints(samples: Sample[], periodMs: number, options: HistorianOptions = {}, chunk = 1000): Promise<number[]> {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, volumePeriod: 'month', ...options });
  h.defineTag(tagConfig('PROC.TEMP'), T0);
  for (let i = 0; i < samples.length; i += chunk) {
    h.append('PROC.TEMP', samples.slice(i, i + chunk));
    h.flush();
  }
  await h.close();
  const reopened = Historian.open(tmp.dir);
  try {
    const back = reopened.readRaw({ tags: ['PROC.TEMP'], start: T0, end: T0 + samples.length * periodMs, pageSize: samples.length + 1 });
    expect(back.continuation).toBeNull();
    expect(back.rows.map((x) => [x.t, x.value])).toEqual(samples.map((x) => [x.t, x.value]));
  } finally {
    await reopened.close();
  }
  const rows = volumeQuery<{ t_start: number; t_end: number }>(tmp.dir,
    'SELECT t_start, t_end FROM block UNION ALL SELECT min(t_start), max(t_end) FROM segment HAVING count(*) > 0 ORDER BY 1');
  return rows.map((r) => (r.t_end - r.t_start) / periodMs + 1);
}

describe('blocks of slow points', () => {
  it('3-minute data fills blocks past blockSize (512), up to 4096 points, with every value read back', async () => {
    const points = await blockPoints(series(10_000, 180_000), 180_000);
    expect(points.reduce((a, b) => a + b, 0)).toBe(10_000);
    // At 512 points a block it would take 20 rows; cut by size (~3.5 KB) it takes far fewer.
    expect(points.length).toBeLessThanOrEqual(6);
    expect(Math.max(...points)).toBeGreaterThan(512);
    expect(Math.max(...points)).toBeLessThanOrEqual(4096);
  });

  it('a long series appended at once (an import) is cut by size too, not at its first block\'s 2048 points', async () => {
    const once = await blockPoints(series(10_000, 180_000), 180_000, {}, 10_000);
    const flushed = await blockPoints(series(10_000, 180_000), 180_000);
    expect(once.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(once[0]).toBeLessThanOrEqual(2048);
    // The blocks after the first are sized by the first one's bytes, as a flush between them would size them.
    expect(Math.min(...once.slice(1, -1))).toBeGreaterThan(2048);
    expect(Math.max(...once)).toBeLessThanOrEqual(4096);
    expect(once.length).toBeLessThanOrEqual(flushed.length);
  });

  it('1-second data keeps blocks of at most blockSize after a first block of up to 2048', async () => {
    const points = await blockPoints(series(5000, 1000), 1000);
    expect(points.reduce((a, b) => a + b, 0)).toBe(5000);
    // One block a tag costs a plot nothing: a short import (~1,000 samples) is one row.
    expect(points[0]).toBeGreaterThan(512);
    expect(points[0]).toBeLessThanOrEqual(2048);
    expect(Math.max(...points.slice(1))).toBeLessThanOrEqual(512);
  });

  it('an explicit blockSize under the smallest size-cut block (256 points) still caps every block', async () => {
    const points = await blockPoints(series(3000, 1000), 1000, { blockSize: 64 });
    expect(points.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(Math.max(...points)).toBeLessThanOrEqual(64);
  });

  it('an explicit blockSize caps slow blocks too, unless slowBlockSize is given', async () => {
    const capped = await blockPoints(series(3000, 180_000), 180_000, { blockSize: 512 });
    expect(Math.max(...capped)).toBeLessThanOrEqual(512);
    const slow = await blockPoints(series(3000, 180_000), 180_000, { blockSize: 512, slowBlockSize: 1024 });
    expect(Math.max(...slow)).toBeGreaterThan(512);
    expect(Math.max(...slow)).toBeLessThanOrEqual(1024);
  });

  it('refuses a block size that is not a whole number of points, naming the option', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    expect(() => Historian.open(tmp.dir, { slowBlockSize: 0 })).toThrow('historian: slowBlockSize: expected an integer >= 1 (points per block), got 0');
    expect(() => Historian.open(tmp.dir, { blockSize: 2.5 })).toThrow('historian: blockSize: expected an integer >= 1 (points per block), got 2.5');
    // Nothing was opened: the archive opens afterwards (no writer lock left behind).
    const h = Historian.open(tmp.dir);
    await h.close();
  });
});
