/**
 * Compression goes on across a clean restart: close() archives what the compressor held and the
 * catalog keeps its state, so after reopening, a sample the door still covers is held, not
 * archived as if the tag were new. (crash-held.test.ts covers the same state after kill -9.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { DAY, T0, tagConfig, tempDir } from './testing.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const ramp = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => ({ t: T0 + (from + k) * 1000, value: (from + k) / 10, status: Good }));

describe('restart', () => {
  it('a ramp split by a restart costs its ends and the point flushed at close, nothing more', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const open = () => Historian.open(tmp.dir, { flushIntervalMs: 0, now: () => T0 + 400 * DAY });
    const a = open();
    a.defineTag(tagConfig('R', { compression: { kind: 'swinging-door', deviation: 0.5 } }), T0);
    a.append('R', ramp(0, 10));
    await a.close(); // archives (9, 0.9), held until now

    const b = open();
    b.append('R', ramp(10, 20)); // still on the line from (9, 0.9): held, not a fresh start
    b.flush();
    expect(b.readRaw({ tags: 'R', start: T0, end: T0 + DAY }).rows.map((r) => (r.t - T0) / 1000)).toEqual([0, 9]);
    await b.close();

    const c = open();
    cleanups.push(() => c.close());
    const rows = c.readRaw({ tags: 'R', start: T0, end: T0 + DAY }).rows;
    expect(rows.map((r) => [(r.t - T0) / 1000, r.value])).toEqual([[0, 0], [9, 0.9], [19, 1.9]]);
  });
});
