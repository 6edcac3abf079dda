/**
 * Mutants StrykerJS left alive in versions.ts, catalog-legacy.ts and merge.ts. Expectations are
 * worked out by hand from the comments and the store's README: canonical JSON written out as
 * literals, exact messages, counters from the samples written, catalog and volume rows read with
 * plain SQL, the legacy catalog's rows read before the migration.
 */
import Database from 'better-sqlite3';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian, type HistorianOptions } from '../index.js';
import { Good } from '../status.js';
import type { TagConfig } from '../types.js';
import { migrateCatalog } from './catalog-legacy.js';
import { mergeIntoVolume, sortUnique } from './merge.js';
import { DAY, T0, catalogQuery, messageOf, tagConfig, tempDir, volumeQuery } from './testing.js';
import { canonicalJson } from './versions.js';
import type { VolumeStore } from './volume.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const at = (s: number, value: number) => ({ t: T0 + s * 1000, value, status: Good });

function archive(options: HistorianOptions = {}): { h: Historian; dir: string } {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0 + 2 * DAY, ...options });
  cleanups.push(() => h.close()); // a second close is a no-op
  return { h, dir: tmp.dir };
}

describe('canonicalJson', () => {
  it('sorts keys at every level, inside arrays too, and keeps nulls', () => {
    // guards versions.ts:11:9 (whole condition to true; `v === null` to false: Object.keys(null) throws), 13:21 (no sort)
    const value = { b: 1, a: { d: null, c: [{ y: 1, x: 2 }, 3] } };
    expect(canonicalJson(value)).toBe('{"a":{"c":[{"x":2,"y":1},3],"d":null},"b":1}');
  });

  it('a config given again with its keys in another order is the same config: no new version', async () => {
    // guards versions.ts:11:9 (true), 13:21: defineTag compares canonicalJson texts (sameConfig)
    const { h } = archive();
    h.defineTag(tagConfig('A', { unit: 'bar', compression: { kind: 'deadband', deviation: 0.5 } }), T0);
    const reordered = { compression: { deviation: 0.5, kind: 'deadband' }, cycleMs: 0, stepped: false, unit: 'bar', description: '', kind: 'analog', name: 'A' } as TagConfig;
    h.defineTag(reordered, T0 + 1000);
    expect(h.versions('A').length).toBe(1);
    await h.close();
  });
});

describe('checkConfig (through defineTag)', () => {
  const good = tagConfig('A');
  const refusals: [string, unknown, string][] = [
    // guards 69:17 (where), 69:39 and 70:14 (`config.name` on undefined throws a TypeError), 70:7, 70:85
    ['no config at all', undefined, "tag config 'undefined': name: expected a non-empty string"],
    // guards 70:7 (whole and first clause to false), 70:85
    ['a name that is a number', { ...good, name: 5 }, "tag config '5': name: expected a non-empty string"],
    // guards 70:7 (whole to false), 70:43
    ['an empty name', { ...good, name: '' }, "tag config '': name: expected a non-empty string"],
    // guards 71:7, 71:49
    ['a wildcard in the name', { ...good, name: 'P1.*' }, "tag config 'P1.*': name: '*' and '?' are reserved for wildcards"],
    ['a ? in the name', { ...good, name: 'P?' }, "tag config 'P?': name: '*' and '?' are reserved for wildcards"],
    // guards 72:7, 72:48
    ['an unknown kind', { ...good, kind: 'counter' }, "tag config 'A': kind: expected analog, discrete or text, got counter"],
    // guards 73:7, 73:60
    ['stepped as a string', { ...good, stepped: 'yes' }, "tag config 'A': stepped: expected a boolean"],
    // guards 74:7 (false, `&&`), 74:79: NaN is not finite
    ['cycleMs NaN', { ...good, cycleMs: NaN }, "tag config 'A': cycleMs: expected a number >= 0"],
    // guards 74:7 (false, `&&`), 74:43, 74:79
    ['cycleMs -1', { ...good, cycleMs: -1 }, "tag config 'A': cycleMs: expected a number >= 0"],
    // guards 75:7, 75:91
    ['no compression', { ...good, compression: undefined }, "tag config 'A': compression: expected an object with a kind"],
    // guards 75:7, 75:30, 75:91
    ['a compression kind that is not a string', { ...good, compression: { kind: 1 } }, "tag config 'A': compression: expected an object with a kind"],
  ];
  for (const [what, config, message] of refusals) {
    it(`refuses ${what} with the exact message, storing nothing`, async () => {
      const { h } = archive();
      expect(messageOf(() => h.defineTag(config as TagConfig, T0))).toBe(message);
      expect(h.tagNames()).toEqual([]);
      await h.close();
    });
  }

  it('takes a discrete tag whose compression settings only an analog tag would need to resolve', async () => {
    // guards versions.ts:77:7 (`config.kind === 'analog'` to true): percentOfSpan without a range is
    // refused for an analog tag (versions-check.test.ts) but a discrete tag is never archived by it
    const { h } = archive();
    h.defineTag({ ...tagConfig('D', {}, 'discrete'), compression: { kind: 'deadband', deviation: 1, percentOfSpan: true } }, T0);
    expect(h.tagNames()).toEqual(['D']);
    h.append('D', [{ t: T0 + 1000, value: true, status: Good }]);
    h.flush();
    expect(h.readRaw({ tags: 'D', start: T0, end: T0 + DAY, pageSize: 10 }).rows.map((r) => [r.t - T0, r.value])).toEqual([[1000, true]]);
    await h.close();
  });
});

describe('sortUnique', () => {
  it('sorts by time and keeps the last given of several points at one time', () => {
    // guards merge.ts:14:9 (false: duplicates kept), 14:59 (`out.length + 1`: holes, the first kept)
    const p = (t: number, value: number) => ({ t, value, status: Good, flags: 0 });
    expect(sortUnique([p(2, 1), p(1, 2), p(2, 3), p(1, 4), p(1, 5), p(3, 6)])).toEqual([p(1, 5), p(2, 3), p(3, 6)]);
  });
});

describe('mergeIntoVolume', () => {
  it('no late points: nothing changed, the store untouched', () => {
    // guards merge.ts:41:7 (false: reads late[0].t of an empty list). The store is an object with no methods: any use throws.
    expect(mergeIntoVolume({} as VolumeStore, 1, [], 4, false)).toEqual({ samples: 0, added: 0 });
  });

  it('a late point in a full sealed block: even chunks no larger than blockSize', async () => {
    // guards merge.ts:50:28 (`*`: blocks of one point), 51:26 (`*`: one block of 5), 52:71 (every chunk the whole list)
    const { h, dir } = archive({ blockSize: 4 });
    h.defineTag(tagConfig('A'), T0);
    h.append('A', Array.from({ length: 9 }, (_, k) => at(k, k)));
    h.flush();
    const blocks = () => volumeQuery<{ s: number; e: number }>(dir, 'SELECT t_start - ? AS s, t_end - ? AS e FROM block ORDER BY t_start', T0, T0);
    expect(blocks()).toEqual([{ s: 0, e: 3000 }, { s: 4000, e: 7000 }]); // precondition: two sealed blocks of 4
    h.insert('A', [{ t: T0 + 1500, value: 1.5, status: Good }]);
    h.flush();
    // 5 points, blockSize 4: ceil(5 / 4) = 2 chunks of ceil(5 / 2) = 3 points: 0, 1, 1.5 s and 2, 3 s
    expect(blocks()).toEqual([{ s: 0, e: 1500 }, { s: 2000, e: 3000 }, { s: 4000, e: 7000 }]);
    expect(h.readRaw({ tags: 'A', start: T0, end: T0 + DAY, pageSize: 100 }).rows.map((r) => [r.t - T0, r.value]))
      .toEqual([[0, 0], [1000, 1], [1500, 1.5], [2000, 2], [3000, 3], [4000, 4], [5000, 5], [6000, 6], [7000, 7], [8000, 8]]);
    await h.close();
  });

  it('a late point into a sealed block holding a cyclic record: the added count stays', async () => {
    // guards merge.ts:53:57 (`addedIn(merged) + addedIn(base)`: counts the block's cyclic record again)
    const { h, dir } = archive({ blockSize: 4 });
    // 1 s cycle: 0..9 s, silent until 20 s (one cyclic record, at 19 s), 20..29 s: 20 received, 21 stored of which 1 added
    h.defineTag(tagConfig('C', { cycleMs: 1000 }), T0);
    h.append('C', Array.from({ length: 10 }, (_, k) => at(k, k)));
    h.flush();
    h.append('C', Array.from({ length: 10 }, (_, k) => at(20 + k, 20 + k)));
    h.flush();
    const counters = () => { const s = h.tagStats().find((x) => x.name === 'C')!; return [s.samplesReceived, s.samplesArchived, s.recordsAdded]; };
    expect(counters()).toEqual([20, 20, 1]); // archived counts stored values less the added ones
    // precondition: the cyclic record is in a sealed block (8, 9, 19, 20 s)
    expect(volumeQuery(dir, 'SELECT t_start - ? AS s, t_end - ? AS e FROM block WHERE t_start <= ? AND t_end >= ?', T0, T0, T0 + 19_000, T0 + 19_000))
      .toEqual([{ s: 8000, e: 20_000 }]);
    h.insert('C', [at(15, 15)]);
    h.flush();
    // one more sample received and stored, no record added
    expect(counters()).toEqual([21, 21, 1]);
    await h.close();
  });
});

describe('migrateCatalog (format 2 fixture)', () => {
  const fixture = fileURLToPath(new URL('./fixtures/format-2/', import.meta.url));

  it('carries max_seq, the change log and volume_gone over, shares equal configs, keeps a range in its columns', () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    cpSync(join(fixture, 'catalog.sqlite'), join(tmp.dir, 'catalog.sqlite'));
    const db = new Database(join(tmp.dir, 'catalog.sqlite'));
    cleanups.push(() => { if (db.open) db.close(); });
    // set up with plain SQL: a volume dropped by retention, and X's version with a range in its JSON (format 2 kept it there)
    db.prepare('INSERT INTO volume_gone(id, file, t_start, t_end, max_seq, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(7, 'day-2024-02-28.sqlite', T0 - 2 * DAY, T0 - DAY, 3, 'age', T0 + 5 * DAY);
    db.prepare("UPDATE tag_version SET config = ? WHERE tag_id = 2").run(
      '{"name":"X","kind":"analog","description":"","unit":"V","compression":{"kind":"none"},"stepped":false,"cycleMs":0,"range":{"low":-2.5,"high":97.125}}');
    const volumesBefore = db.prepare('SELECT id, file, max_seq FROM volume ORDER BY id').all();
    expect(volumesBefore).toEqual([{ id: 1, file: 'day-2024-03-01.sqlite', max_seq: 25 }, { id: 2, file: 'day-2024-03-02.sqlite', max_seq: 25 }]);
    const logBefore = db.prepare('SELECT seq, written_at, samples FROM change_log').all();
    expect(logBefore.length).toBe(1);
    db.transaction(() => migrateCatalog(db))();
    // guards catalog-legacy.ts:35:95, 35:105 (max_seq read as 0)
    expect(db.prepare('SELECT id, file, max_seq FROM volume ORDER BY id').all()).toEqual(volumesBefore);
    // guards 36:28 (change log dropped)
    expect(db.prepare('SELECT seq, written_at, samples FROM change_log').all()).toEqual(logBefore);
    // guards 37:29 (volume_gone dropped)
    expect(db.prepare('SELECT id, file, t_start, t_end, max_seq, reason, at FROM volume_gone').all())
      .toEqual([{ id: 7, file: 'day-2024-02-28.sqlite', t_start: T0 - 2 * DAY, t_end: T0 - DAY, max_seq: 3, reason: 'age', at: T0 + 5 * DAY }]);
    // guards 58:11 (a config row per version): D and S both store {"stepped":true}: 5 rows for 6 versions
    expect(db.prepare('SELECT json FROM config ORDER BY id').pluck().all()).toEqual([
      '{"unit":"bar"}', '{"unit":"kPa"}', '{"unit":"V"}', '{"compression":{"deviation":0.5,"kind":"swinging-door"},"cycleMs":1000}', '{"stepped":true}',
    ]);
    // guards 59:88 (no range values: too few parameters)
    expect(db.prepare('SELECT tag_id, version, range_low, range_high FROM tag_version ORDER BY tag_id, version').raw().all())
      .toEqual([[1, 1, null, null], [1, 2, null, null], [2, 1, -2.5, 97.125], [3, 1, null, null], [4, 1, null, null], [5, 1, null, null]]);
    db.close();
    expect(catalogQuery(tmp.dir, "SELECT value FROM meta WHERE key = 'change_head'")).toEqual([{ value: '25' }]);
  });
});
