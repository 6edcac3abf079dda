/**
 * Plots over archives made by older versions (historian/store/fixtures, formats 1 to 4: summaries
 * in columns or packed, with and without rollups): their blocks holding Bad values are decoded
 * (a summary says only its worst severity), and every bucket matches the values the fixture
 * lists (expected.json, a raw read): count, and min, max, first and last of those not Bad.
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ArchiveReader } from '../cli/reader.js';
import { BadNoData, Good, Uncertain, UncertainDataSubNormal } from '../status.js';
import { tempDir } from '../store/testing.js';

type Row = [number, number | boolean | string | null, number, number];

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0).reverse()) c(); });

describe.each(['format-1', 'format-2', 'format-3', 'format-4'])('plots over fixtures/%s', (name) => {
  const fixture = fileURLToPath(new URL(`../store/fixtures/${name}/`, import.meta.url));
  const expected = JSON.parse(readFileSync(join(fixture, 'expected.json'), 'utf8')) as Record<string, Row[]>;

  it('every bucket from the values listed, Bad ones counted but not drawn', () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    cpSync(join(fixture, 'catalog.sqlite'), join(tmp.dir, 'catalog.sqlite'));
    cpSync(join(fixture, 'volumes'), join(tmp.dir, 'volumes'), { recursive: true });
    const r = new ArchiveReader(tmp.dir);
    cleanups.push(() => r.close());
    const num = (v: Row[1]) => (typeof v === 'boolean' ? +v : typeof v === 'number' ? v : NaN);
    let bad = 0;
    for (const [tag, rows] of Object.entries(expected)) {
      const start = rows[0]![0] - 500, end = rows.at(-1)![0] + 1;
      for (const buckets of [1, 7, 50]) {
        const p = r.readPlot({ tags: tag, start, end, buckets })[0]!;
        for (let b = 0; b < buckets; b++) {
          const own = rows.filter((x) => Math.floor(((x[0] - start) * buckets) / (end - start)) === b);
          const drawn = own.filter((x) => x[2] >>> 30 < 2 && num(x[1]) === num(x[1]));
          bad += own.length - drawn.length;
          const v = drawn.map((x) => num(x[1]));
          expect(p.count[b], `${tag} bucket ${b}`).toBe(own.length);
          expect([p.min[b], p.max[b], p.first[b], p.firstT[b], p.last[b], p.lastT[b]], `${tag} bucket ${b}`).toEqual(drawn.length
            ? [Math.min(...v), Math.max(...v), v[0], drawn[0]![0], v.at(-1), drawn.at(-1)![0]]
            : [NaN, NaN, NaN, NaN, NaN, NaN]);
          const severities = new Set(own.map((x) => x[2] >>> 30));
          const status = own.length === 0 ? BadNoData : drawn.length === 0 ? 0x80000000 : drawn.length < own.length || severities.size > 1 ? UncertainDataSubNormal
            : severities.has(0) ? Good : Uncertain;
          expect(p.status[b], `${tag} bucket ${b}`).toBe(status);
        }
      }
    }
    expect(bad).toBeGreaterThan(0); // the fixture has Bad values: blocks that are decoded, not summed
  });
});
