/**
 * The catalog rows a flush saves (writer.ts catalogRows): a tag written to a volume, and a tag
 * whose state is not at rest or was not at rest at its last save (tag.state, NULL at rest:
 * tag-state.ts). A tag at rest whose new points only went to the journal costs no catalog write.
 * Read from catalog.sqlite as the next open (after a crash) finds it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Good } from '../status.js';
import { T0, catalogQuery, crash, openWriter, tagConfig, tempDir, volumeQuery } from './testing.js';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0).reverse()) c(); });

/** The catalog's row of the archive's only tag: samples received, values archived, and whether a state is stored. */
const saved = (dir: string) => catalogQuery<{ received: number; archived: number; state: Buffer | null }>(dir, 'SELECT received, archived, state FROM tag')
  .map((r) => [r.received, r.archived, r.state === null ? 'rest' : 'state']);

// A deadband of 1: a sample within 1 of the last archived value is held (a state to keep); one beyond it is archived (at rest again).
const deadband = tagConfig('B', { compression: { kind: 'deadband', deviation: 1 } });

describe('catalog rows a flush saves', () => {
  it('a tag whose points go to the journal: saved while its state is not at rest, and once when it comes to rest', () => {
    // Guards: a state not at rest left unsaved; a state come to rest left as it was (the catalog keeps a stale held value); a tag at rest saved for nothing.
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const w = openWriter(tmp.dir, { segmentsPerFlush: 1 / 8 }); // one live tag: 8 turns, tag 1's is flush 7
    cleanups.push(() => crash(w));
    w.defineTag(deadband, T0);
    const rows: unknown[] = [];
    [0, 0.5, 0.7, 5, 5.2, 10, 20, 30].forEach((value, i) => {
      w.append('B', [{ t: T0 + i * 1000, value, status: Good }]);
      w.flush(false);
      rows.push(saved(tmp.dir)[0]);
    });
    expect(rows).toEqual([
      [0, 0, 'rest'], // 0 archived, to the journal: at rest, nothing to save
      [2, 0, 'state'], // 0.5 held
      [3, 0, 'state'], // 0.7 held
      [4, 0, 'rest'], // 5 archived (0.7 before it): at rest, saved once more
      [5, 0, 'state'], // 5.2 held
      [6, 0, 'rest'], // 10 archived
      [7, 5, 'rest'], // 20 archived, the tag's turn: 0, 0.7, 5, 10, 20 written to its segments
      [7, 5, 'rest'], // 30 archived, to the journal: at rest, nothing to save
    ]);
  });

  it('a state found at the open counts as saved: when the tag comes to rest, the catalog says so', () => {
    // Guards: a state restored from the catalog not marked as saved (its coming to rest never written).
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const before = openWriter(tmp.dir, { segmentsPerFlush: 1 / 8 });
    before.defineTag(deadband, T0);
    before.append('B', [{ t: T0, value: 0, status: Good }, { t: T0 + 1000, value: 0.5, status: Good }]);
    before.flush(); // 0 written, 0.5 held: a state; no journal row
    expect(saved(tmp.dir)).toEqual([[2, 1, 'state']]);
    crash(before);
    const w = openWriter(tmp.dir, { segmentsPerFlush: 1 / 8 });
    cleanups.push(() => crash(w));
    w.append('B', [{ t: T0 + 2000, value: 5, status: Good }]);
    w.flush(false); // not its turn: 0.5 and 5 to the journal, the tag at rest
    expect(saved(tmp.dir)).toEqual([[3, 1, 'rest']]);
    // The open wrote nothing (no journal to replay), so the turns count from it: tag 1's is its 7th flush.
    const segments = () => volumeQuery(tmp.dir, 'SELECT id FROM segment').length;
    const counts: number[] = [];
    for (let f = 2; f <= 7; f++) {
      w.flush(false);
      counts.push(segments());
    }
    expect(counts).toEqual([1, 1, 1, 1, 1, 2]);
  });
});

describe('catalog rows saved 64 to a statement', () => {
  // Guards catalog.ts putTags: the rows of a statement of 64 and those after the last full one,
  // each with its own counters and state (a row given another tag's values, or left out).
  it('150 tags, each its own count of samples: every row has its own counters and state', () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const w = openWriter(tmp.dir);
    cleanups.push(() => crash(w));
    const names = Array.from({ length: 150 }, (_, i) => `T${String(i).padStart(3, '0')}`);
    names.forEach((name) => w.defineTag(tagConfig(name, { compression: { kind: 'deadband', deviation: 1 } }), T0));
    // Tag i: i + 2 samples, all within the deadband but the first: the last one is held (a state).
    names.forEach((name, i) => w.append(name, Array.from({ length: i + 2 }, (_, k) => ({ t: T0 + k * 1000, value: k === 0 ? 0 : 0.5, status: Good }))));
    w.flush();
    const rows = catalogQuery<{ name: string; received: number; state: Buffer | null }>(tmp.dir, 'SELECT name, received, state FROM tag ORDER BY name');
    expect(rows.map((r) => [r.name, r.received, r.state !== null])).toEqual(names.map((name, i) => [name, i + 2, true]));
  });
});
