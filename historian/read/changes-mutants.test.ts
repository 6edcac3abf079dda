/**
 * The change feed (readChanges, readChangeColumns, changeHead, changeBacklog): literal cases for
 * what mutation testing of changes.ts found untested (README.md, "Mutation testing"). Every
 * expectation is worked out by hand from the samples each case writes: one flush is one write
 * sequence number (the first is 1), a cursor is `1.a.g` or `1.a.g.b.vol.tag.t` (change-cursor.ts),
 * the first tag defined has id 1, and the first volume_gone row id 1.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ArchiveReader } from '../cli/reader.js';
import { Historian, type HistorianOptions } from '../index.js';
import { Good } from '../status.js';
import { DAY, T0, tagConfig, tempDir } from '../store/testing.js';
import type { Sample } from '../types.js';
import type { ChangePage } from './types.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** The archive's wall clock: thirty days after T0, so the day volumes written are all past. */
const NOW = T0 + 30 * DAY;

function open(options: HistorianOptions = {}, now = () => NOW): { h: Historian; dir: string } {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, volumePeriod: 'day', now, ...options });
  cleanups.push(() => h.close());
  return { h, dir: tmp.dir };
}

/** n samples from `from`, one a second, values v(i). */
const run = (from: number, n: number, v: (i: number) => number | boolean = (i) => i): Sample[] =>
  Array.from({ length: n }, (_, i) => ({ t: from + i * 1000, value: v(i), status: Good }));

/** A page's samples as [tag, ms after T0, value]. */
const got = (p: ChangePage): [string, number, unknown][] =>
  p.items.flatMap((it) => it.t.map((t, i): [string, number, unknown] => [it.tag, t - T0, it.values[i]]));

describe('change feed (mutant cases): maxSamples', () => {
  it('refuses 0, -1 and 1.5 with the message, in both forms; takes 1', () => {
    const { h } = open();
    h.defineTag(tagConfig('A'), T0);
    h.append('A', run(T0, 2));
    h.flush();
    for (const bad of [0, -1, 1.5]) {
      const message = `readChanges: maxSamples: expected an integer >= 1, got ${bad}`;
      expect(() => h.readChanges(null, bad)).toThrow(message);
      expect(() => h.readChangeColumns(null, bad)).toThrow(message);
    }
    const one = h.readChanges(null, 1);
    expect([got(one), one.more, one.cursor]).toEqual([[['A', 0, 0]], true, `1.-1.0.1.${T0}.1.${T0}`]);
  });
});

describe('change feed (mutant cases): where a pass ends', () => {
  it('a pass that took everything ends with more false and the cursor at its head', () => {
    const { h } = open();
    h.defineTag(tagConfig('A'), T0);
    h.append('A', run(T0, 3));
    h.flush();
    const page = h.readChanges(null, 1000);
    expect([got(page), page.more, page.cursor]).toEqual([[['A', 0, 0], ['A', 1000, 1], ['A', 2000, 2]], false, '1.1.0']);
  });

  it('a pass over (-1, 1] finished after write 2: more true, and write 2 comes on the next page', () => {
    let now = NOW;
    const { h } = open({}, () => now);
    h.defineTag(tagConfig('A'), T0);
    h.append('A', run(T0, 3));
    h.flush(); // write 1
    const first = h.readChanges(null, 2);
    expect([got(first), first.more, first.cursor]).toEqual([[['A', 0, 0], ['A', 1000, 1]], true, `1.-1.0.1.${T0}.1.${T0 + 1000}`]);
    h.append('A', [{ t: T0 + 3000, value: 3, status: Good }]);
    now += 1000;
    h.flush(); // write 2: after the pass's b = 1
    const second = h.readChanges(first.cursor, 1000);
    expect([got(second), second.more, second.cursor]).toEqual([[['A', 2000, 2]], true, '1.1.0']);
    const third = h.readChanges(second.cursor, 1000);
    expect([got(third), third.more, third.cursor]).toEqual([[['A', 3000, 3]], false, '1.2.0']);
  });

  it('a discrete tag of three events read two at a time: the page stops on the second', () => {
    const { h } = open();
    h.defineTag(tagConfig('D', { stepped: true }, 'discrete'), T0);
    h.append('D', run(T0, 3, (i) => i + 1));
    h.flush();
    const first = h.readChanges(null, 2);
    expect([got(first), first.more, first.cursor]).toEqual([[['D', 0, 1], ['D', 1000, 2]], true, `1.-1.0.1.${T0}.1.${T0 + 1000}`]);
    const second = h.readChanges(first.cursor, 2);
    expect([got(second), second.more, second.cursor]).toEqual([[['D', 2000, 3]], false, '1.1.0']);
  });

  it('more than a thousand blocks of one volume in one page (block bytes fetched in batches)', () => {
    // 3000 samples in blocks of two: 1500 blocks, all in the day volume of T0.
    const { h } = open({ blockSize: 2 });
    h.defineTag(tagConfig('A'), T0);
    h.append('A', run(T0, 3000, (i) => i / 2));
    h.flush();
    const cols = h.readChangeColumns(null, 10_000);
    expect([cols.length, cols.more, cols.cursor, cols.tags]).toEqual([3000, false, '1.1.0', ['A']]);
    expect(Array.from(cols.t)).toEqual(Array.from({ length: 3000 }, (_, i) => T0 + i * 1000));
    expect(Array.from(cols.value)).toEqual(Array.from({ length: 3000 }, (_, i) => i / 2));
  });
});

describe('change feed (mutant cases): items', () => {
  it('one item per tag and change log row: two writes a minute apart are two items of A', () => {
    let now = NOW;
    const { h } = open({}, () => now);
    h.defineTag(tagConfig('A'), T0);
    h.defineTag(tagConfig('B'), T0);
    h.append('A', run(T0, 2));
    h.append('B', run(T0, 1, () => 7));
    h.flush(); // log row written at NOW
    now += 60_000;
    h.append('A', [{ t: T0 + 2000, value: 2, status: Good }]);
    h.flush(); // a minute later: a new log row
    const page = h.readChanges(null, 1000);
    expect(page.items.map((it) => [it.tag, it.t.map((t) => t - T0), it.values, it.writtenAt])).toEqual([
      ['A', [0, 1000], [0, 1], NOW],
      ['A', [2000], [2], NOW + 60_000],
      ['B', [0], [7], NOW],
    ]);
  });
});

describe('change feed (mutant cases): volumes gone during a pass', () => {
  it('reports the detached volumes the pass had not finished, not the one it had, and reads none of them', () => {
    // A: ten samples a day on days 0..3, one write: four day volumes of maxSeq 1.
    const { h } = open();
    h.defineTag(tagConfig('A'), T0);
    for (let d = 0; d < 4; d++) h.append('A', run(T0 + d * DAY, 10));
    h.flush();
    const first = h.readChanges(null, 15); // day 0 whole, day 1 up to its fifth sample
    expect(got(first)).toEqual([...run(0, 10).map((s): [string, number, unknown] => ['A', s.t, s.value]),
      ...run(DAY, 5).map((s): [string, number, unknown] => ['A', s.t, s.value])]);
    expect(first.cursor).toBe(`1.-1.0.1.${T0 + DAY}.1.${T0 + DAY + 4000}`);
    const [v0, v1, v2] = h.volumes();
    for (const v of [v0!, v1!, v2!]) h.detachVolume(v.id); // volume_gone rows 1, 2, 3
    const second = h.readChanges(first.cursor, 15);
    expect(second.lost).toEqual({
      volumes: ['day-2024-03-02.sqlite', 'day-2024-03-03.sqlite'],
      reason: 'changes not read yet are no longer in the archive (day-2024-03-02.sqlite: detached; day-2024-03-03.sqlite: detached)',
      parts: [{ kind: 'gone', volumes: [{ file: 'day-2024-03-02.sqlite', reason: { kind: 'detached' } }, { file: 'day-2024-03-03.sqlite', reason: { kind: 'detached' } }] }],
    });
    expect(got(second)).toEqual(run(3 * DAY, 10).map((s): [string, number, unknown] => ['A', s.t, s.value]));
    expect([second.more, second.cursor]).toEqual([false, '1.1.3']);
    expect(h.changeHead()).toBe('1.1.3');
  });
});

describe('change feed (mutant cases): backlog', () => {
  it('from the beginning the tags\' counters (a rewrite once), after a cursor the change log (a rewrite again)', () => {
    let now = NOW;
    const { h } = open({}, () => now);
    h.defineTag(tagConfig('A'), T0);
    const head = h.changeHead();
    expect(head).toBe('1.0.0');
    h.append('A', run(T0, 2));
    h.flush(); // write 1 at NOW: 2 samples
    now += 60_000;
    h.insert('A', [{ t: T0, value: 5, status: Good }]);
    h.flush(); // write 2 a minute later: 1 sample, replacing the one at T0
    expect(h.changeBacklog(null)).toEqual({ samples: 2, oldestWrittenAt: NOW });
    expect(h.changeBacklog(head)).toEqual({ samples: 3, oldestWrittenAt: NOW });
  });

  it('from the beginning counts the records the archive added (a HIST cyclic record)', () => {
    const { h } = open();
    h.defineTag(tagConfig('A', { cycleMs: 1000 }), T0);
    h.append('A', [{ t: T0, value: 1, status: Good }, { t: T0 + 10_000, value: 2, status: Good }]);
    h.flush();
    // The cyclic record: the value 1 re-stamped one cycle before the 2.
    expect(got(h.readChanges(null, 1000))).toEqual([['A', 0, 1], ['A', 9000, 1], ['A', 10_000, 2]]);
    expect(h.changeBacklog(null)).toEqual({ samples: 3, oldestWrittenAt: NOW });
  });

  it('an archive of format 1 (no change log): everything, written at 0', () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const fixture = new URL('../store/fixtures/format-1/', import.meta.url);
    cpSync(new URL('catalog.sqlite', fixture), join(tmp.dir, 'catalog.sqlite'));
    cpSync(new URL('volumes', fixture), join(tmp.dir, 'volumes'), { recursive: true });
    const reader = new ArchiveReader(tmp.dir);
    cleanups.push(() => reader.close());
    // The fixture catalog's tag_state.samples_archived: A 1203, X 1200, C 40, D 33, S 12. (A holds
    // 1202 values: that writer counted its equal-time replacement twice; a writer opening the
    // archive recounts, catalog-legacy.ts.)
    expect(reader.changeBacklog(null)).toEqual({ samples: 1203 + 1200 + 40 + 33 + 12, oldestWrittenAt: 0 });
  });
});

describe('change feed (mutant cases): a damaged archive', () => {
  /** An archive of A (blocks of two, four samples: sealed blocks) closed, then read by an ArchiveReader after `damage`. */
  async function damaged(damage: (dir: string) => void): Promise<ArchiveReader> {
    const { h, dir } = open({ blockSize: 2 });
    h.defineTag(tagConfig('A'), T0);
    h.append('A', run(T0, 4));
    await h.close();
    damage(dir);
    const reader = new ArchiveReader(dir);
    cleanups.push(() => reader.close());
    return reader;
  }

  it('a block without its bytes is named: file, tag id and start', async () => {
    const reader = await damaged((dir) => {
      const db = new Database(join(dir, 'volumes', 'day-2024-03-01.sqlite'));
      db.prepare('DELETE FROM block_data').run();
      db.close();
    });
    expect(() => reader.readChanges(null, 100)).toThrow(`day-2024-03-01.sqlite: block of tag 1 at ${T0} has no data row`);
  });

  it('data of a tag the catalog does not know is named: tag id', async () => {
    const reader = await damaged((dir) => {
      const db = new Database(join(dir, 'catalog.sqlite'));
      db.prepare("DELETE FROM tag WHERE name = 'A'").run();
      db.close();
    });
    expect(() => reader.readChanges(null, 100)).toThrow('change feed: tag id 1 has data but is not in the catalog');
  });
});

describe('change feed: a cursor past the archive\'s head (the archive restored from an older copy)', () => {
  /**
   * An archive copied after write 1 (A at 0 s and 1 s), written on to write 3 (A at 10, 11, 20,
   * 21 s) under a reader that read it all (cursor 1.3.0), then restored from the copy and opened
   * again: its next flush is write 2 once more.
   */
  async function restoredUnderReader(): Promise<Historian> {
    const tmp = tempDir();
    const backup = tempDir();
    cleanups.push(tmp.remove, backup.remove);
    const opts = { flushIntervalMs: 0, sortWindowMs: 0, volumePeriod: 'day' as const, now: () => NOW };
    let h = Historian.open(tmp.dir, opts);
    h.defineTag(tagConfig('A'), T0);
    h.append('A', run(T0, 2)); // write 1 (at close): A at 0 s and 1 s, day 0
    await h.close();
    cpSync(tmp.dir, backup.dir, { recursive: true }); // the copy, taken after write 1
    h = Historian.open(tmp.dir, opts);
    h.append('A', run(T0 + 10_000, 2)); // write 2
    h.flush();
    h.append('A', run(T0 + 20_000, 2)); // write 3
    h.flush();
    const read = h.readChanges(null, 100);
    expect([got(read).length, read.cursor]).toEqual([6, '1.3.0']);
    await h.close();
    // The disk fails; the archive is restored from the copy.
    cpSync(backup.dir, tmp.dir, { recursive: true, force: true });
    h = Historian.open(tmp.dir, opts);
    cleanups.push(() => h.close());
    return h;
  }

  it('starts again from the beginning and says why: the restored samples and the new ones all come, none skipped', async () => {
    const h = await restoredUnderReader();
    h.append('A', run(T0 + 30_000, 1)); // the new write 2: A at 30 s
    h.flush();
    expect(h.changeHead()).toBe('1.2.0');
    expect(h.changeBacklog('1.3.0').samples).toBe(3); // as from the beginning: 0 s, 1 s, 30 s
    const again = h.readChanges('1.3.0', 100);
    expect(got(again)).toEqual([['A', 0, 0], ['A', 1000, 1], ['A', 30_000, 0]]);
    expect(again.cursor).toBe('1.2.0');
    expect(again.lost).toEqual({ volumes: [], reason: "the cursor has read up to write 3, the archive's newest write is 2: the archive was restored from an older copy or replaced; its changes are sent again from the beginning", restarted: true,
      parts: [{ kind: 'restarted', read: 3, head: 2 }] });
    // From there on, an ordinary chain: nothing new, nothing lost.
    const next = h.readChanges(again.cursor, 100);
    expect([got(next), next.more, next.lost]).toEqual([[], false, undefined]);
  });

  it('a volume detached as well: both reasons, joined by "; "', async () => {
    const h = await restoredUnderReader();
    h.append('A', run(T0 + DAY, 1)); // the new write 2, in day 1's volume
    h.flush();
    h.detachVolume(h.volumes()[0]!.id); // day 0, written by write 1: volume_gone row 1
    const again = h.readChanges('1.3.0', 100);
    expect(got(again)).toEqual([['A', DAY, 0]]);
    expect(again.cursor).toBe('1.2.1');
    expect(again.lost).toEqual({
      volumes: ['day-2024-03-01.sqlite'],
      reason: "the cursor has read up to write 3, the archive's newest write is 2: the archive was restored from an older copy or replaced; its changes are sent again from the beginning; changes not read yet are no longer in the archive (day-2024-03-01.sqlite: detached)",
      restarted: true,
      parts: [{ kind: 'restarted', read: 3, head: 2 }, { kind: 'gone', volumes: [{ file: 'day-2024-03-01.sqlite', reason: { kind: 'detached' } }] }],
    });
  });
});
