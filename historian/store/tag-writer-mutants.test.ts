/**
 * Cases for the mutants StrykerJS left alive in tag-writer.ts (README "Mutation testing
 * (tag-writer.ts)"). Expectations come from the behaviour the README and the code's comments
 * describe: what reads back, the rows a volume holds, catalog tag.state (NULL for a tag at
 * rest), and block sizes worked out in the test from the stored block bytes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import type { Sample } from '../types.js';
import { DAY, T0, catalogQuery, crash, openWriter, tagConfig, tempDir, volumeQuery } from './testing.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

function dir(): string {
  const t = tempDir();
  cleanups.push(t.remove);
  return t.dir;
}

/** n samples a second from t0, noisy values with 3 decimals. */
const noisy = (t0: number, n: number, seed = 1): Sample[] =>
  Array.from({ length: n }, (_, k) => ({ t: t0 + k * 1000, value: ((k * 7919 + seed * 104729) % 10007) / 1000, status: Good }));

const stateOf = (d: string, name: string): unknown =>
  catalogQuery<{ state: Buffer | null }>(d, 'SELECT state FROM tag WHERE name = ?', name)[0]!.state;
const segmentRows = (d: string): number => volumeQuery<{ n: number }>(d, 'SELECT count(*) AS n FROM segment').reduce((s, r) => s + r.n, 0);
const events = (d: string): [number, unknown][] =>
  volumeQuery<{ t: number; value: unknown }>(d, 'SELECT t, value FROM event ORDER BY t').map((r) => [(r.t - T0) / 1000, r.value]);

describe('stateBytes', () => {
  // Bug found through 160/161: stateBytes() returned null for a tag whose compressor was never
  // woken (a new tag, or one at rest since the open) even with samples in its sorting buffer, so
  // a flush did not save the buffer (nor the counters) and kill -9 lost those samples.
  it('samples in the sorting buffer of a new and of a resting discrete tag survive kill -9 after a flush', () => {
    const d = dir();
    const now = T0 + 10_000;
    const opts = { sortWindowMs: 60_000, now: () => now };
    const a = openWriter(d, opts);
    a.defineTag(tagConfig('N', {}, 'discrete'), T0); // new: never woken
    a.defineTag(tagConfig('R', {}, 'discrete'), T0);
    a.append('R', [{ t: T0, value: 1, status: Good }]);
    a.close(); // R at rest
    const b = openWriter(d, opts);
    b.append('N', [{ t: T0, value: 1, status: Good }, { t: T0 + 1000, value: 2, status: Good }]);
    b.append('R', [{ t: T0 + 1000, value: 2, status: Good }]);
    b.flush(); // inside the sort window: nothing released, the buffers go to the catalog
    crash(b);
    const c = openWriter(d, opts);
    c.close();
    const rows = volumeQuery<{ tag_id: number; t: number; value: number }>(d, 'SELECT tag_id, t, value FROM event ORDER BY tag_id, t');
    const ids = Object.fromEntries(catalogQuery<{ id: number; name: string }>(d, 'SELECT id, name FROM tag').map((r) => [r.name, r.id]));
    expect(rows.map((r) => [r.tag_id, (r.t - T0) / 1000, r.value])).toEqual([[ids.N, 0, 1], [ids.N, 1, 2], [ids.R, 0, 1], [ids.R, 1, 2]]);
    expect(catalogQuery(d, 'SELECT name, received, archived FROM tag ORDER BY name')).toEqual([
      { name: 'N', received: 2, archived: 2 }, { name: 'R', received: 2, archived: 2 }]);
  });
});
