/**
 * Compression goes on across a clean restart: close() archives what the compressor held and the
 * catalog keeps its state, so after reopening, a sample the door still covers is held, not
 * archived as if the tag were new. (crash-held.test.ts covers the same state after kill -9.)
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ArchiveReader } from '../cli/reader.js';
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

  it('opening and closing an archive without writing leaves its volumes as they were', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const open = () => Historian.open(tmp.dir, { flushIntervalMs: 0, now: () => T0 + 400 * DAY });
    const a = open();
    for (const name of ['A', 'B']) a.defineTag(tagConfig(name), T0);
    // A: an open block of several flushed segments; B: one flush only (its block is one segment).
    for (let k = 0; k < 5; k++) {
      a.append('A', ramp(k * 10, k * 10 + 10).map((s) => ({ ...s, value: Math.sin(s.value) })));
      a.flush();
    }
    a.append('B', ramp(0, 30));
    a.flush();
    await a.close(); // each open block written whole, with the entropy stage
    const volumes = join(tmp.dir, 'volumes');
    // The files' bytes but SQLite's header counters (file change counter at 24, version-valid-for
    // at 92: any transaction at close bumps them), so a block written again shows.
    const bytes = () => readdirSync(volumes).filter((f) => f.endsWith('.sqlite')).map((f) => {
      const b = readFileSync(join(volumes, f));
      b.fill(0, 24, 28);
      b.fill(0, 92, 96);
      return [f, b.toString('hex')];
    });
    const closed = bytes();
    expect(closed.length).toBeGreaterThan(0);

    const b = open(); // nothing appended: the close has nothing to rewrite
    await b.close();
    expect(bytes()).toEqual(closed);

    const c = open();
    cleanups.push(() => c.close());
    expect(c.readRaw({ tags: 'A', start: T0, end: T0 + DAY }).rows).toHaveLength(50);
    expect(c.readRaw({ tags: 'B', start: T0, end: T0 + DAY }).rows).toHaveLength(30);
  });

  it('close writes what the sorting buffers hold: a reader after it finds every event', async () => {
    // Guards: the close leaving discrete and text values in the sorting buffer (kept only as writer state, unread).
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const a = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 60_000, now: () => T0 + 10_000 });
    a.defineTag(tagConfig('D', {}, 'discrete'), T0);
    a.append('D', [true, false, true].map((value, k) => ({ t: T0 + k * 1000, value, status: Good })));
    a.flush(); // within the sort window: nothing released yet
    expect(a.readRaw({ tags: 'D', start: T0, end: T0 + DAY }).rows).toEqual([]);
    await a.close();
    const r = new ArchiveReader(tmp.dir);
    cleanups.push(() => r.close());
    expect(r.readRaw({ tags: 'D', start: T0, end: T0 + DAY }).rows.map((x) => [(x.t - T0) / 1000, x.value])).toEqual([[0, true], [1, false], [2, true]]);
  });
});
