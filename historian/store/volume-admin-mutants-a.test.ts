/**
 * Mutants StrykerJS left alive in volume-admin.ts lines 1-128 (detach, attach, export, the first
 * checks of import). Expectations are worked out by hand from the comments and the store's README:
 * counters from the samples written, catalog and file rows read with plain SQL, exact messages,
 * file handles counted in /proc/self/fd.
 */
import Database from 'better-sqlite3';
import { copyFileSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian, type HistorianOptions } from '../index.js';
import { Good } from '../status.js';
import { DAY, T0, catalogQuery, messageOf, tagConfig, tempDir } from './testing.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const at = (s: number, value: number) => ({ t: T0 + s * 1000, value, status: Good });

function archive(clock: { now: number }, options: HistorianOptions = {}): { h: Historian; dir: string } {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => clock.now, ...options });
  cleanups.push(() => h.close());
  return { h, dir: tmp.dir };
}

/** Tag A with points at 1 s and 2 s in day 0, then day 0 detached (the clock two days on). */
function detachedDay0(): { h: Historian; dir: string; day0: ReturnType<Historian['volumes']>[number] } {
  const { h, dir } = archive({ now: T0 + 2 * DAY });
  h.defineTag(tagConfig('A'), T0);
  h.append('A', [at(1, 1), at(2, 2)]);
  h.flush();
  const day0 = h.volumes()[0]!;
  h.detachVolume(day0.id);
  return { h, dir, day0 };
}

/** Tag C, 1 s cycle, in day 0: 0..9 s, silent 11 s (one cyclic record at 19 s), 20..29 s: 20 received, 21 stored, 1 added. */
function writeC(h: Historian): void {
  h.defineTag(tagConfig('C', { cycleMs: 1000 }), T0);
  h.append('C', Array.from({ length: 10 }, (_, k) => at(k, k)));
  h.flush();
  h.append('C', Array.from({ length: 10 }, (_, k) => at(20 + k, 20 + k)));
  h.flush();
}

const counters = (h: Historian, tag: string) => {
  const s = h.tagStats().find((x) => x.name === tag)!;
  return [s.samplesReceived, s.samplesArchived, s.recordsAdded];
};

/** How many of this process's file descriptors are open on file. */
function handlesOn(file: string): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') continue; // the listing's own descriptor, closed since
      throw err;
    }
    if (target === file) n++;
  }
  return n;
}

const rawValues = (h: Historian, tag: string, start = T0, end = T0 + 3 * DAY) =>
  h.readRaw({ tags: tag, start, end, pageSize: 1000 }).rows.map((r) => [r.t - T0, r.value]);

describe('detachVolume and attachVolume: the counters', () => {
  it('a detached volume takes its values off the counters, its re-attach puts them back, received unchanged', () => {
    // guards volume-admin.ts:26 `v.state === 'attached'` to false and its block emptied (nothing taken off),
    // :59 `-1` to `+1`, :47 `tw.added -= ...` (added counted twice), :48 `tw.stored + tw.added` (received raised on attach)
    const clock = { now: T0 + 2 * DAY };
    const { h } = archive(clock);
    writeC(h);
    expect(counters(h, 'C')).toEqual([20, 20, 1]);
    const day0 = h.volumes()[0]!;
    h.detachVolume(day0.id);
    expect(counters(h, 'C')).toEqual([20, 0, 0]);
    h.attachVolume(day0.id);
    expect(counters(h, 'C')).toEqual([20, 20, 1]);
  });

  it('retention dropping a detached volume takes nothing off the counters a second time', () => {
    // guards volume-admin.ts:26 `v.state === 'attached'` to true (letGo opening the detached file and counting it again)
    const clock = { now: T0 + 2 * DAY };
    const { h, dir } = archive(clock);
    writeC(h);
    h.defineTag(tagConfig('L'), T0);
    h.append('L', [{ t: T0 + DAY + 1000, value: 100, status: Good }]); // a second volume, day 1
    h.flush();
    const [day0, day1] = h.volumes();
    h.detachVolume(day0!.id);
    expect(counters(h, 'C')).toEqual([20, 0, 0]);
    expect(h.applyRetention({ maxVolumes: 1 }).map((v) => v.id)).toEqual([day0!.id]);
    expect(h.volumes().map((v) => v.id)).toEqual([day1!.id]);
    expect(counters(h, 'C')).toEqual([20, 0, 0]);
    expect(catalogQuery(dir, 'SELECT archived, added FROM tag WHERE name = ?', 'C')).toEqual([{ archived: 0, added: 0 }]);
  });

  it('attaching an attached volume changes nothing', () => {
    // guards volume-admin.ts:66 `v.state === 'attached'` to false (its values counted a second time)
    const clock = { now: T0 + 2 * DAY };
    const { h } = archive(clock);
    writeC(h);
    const day0 = h.volumes()[0]!;
    expect(h.attachVolume(day0.id).state).toBe('attached');
    expect(counters(h, 'C')).toEqual([20, 20, 1]);
  });

  it('detaching a detached volume changes nothing: one volume_gone row', () => {
    // guards volume-admin.ts:56 `v.state === 'detached'` to false (a second row, a second generation)
    const clock = { now: T0 + 2 * DAY };
    const { h, dir } = archive(clock);
    writeC(h);
    const day0 = h.volumes()[0]!;
    h.detachVolume(day0.id);
    clock.now += 1000;
    expect(h.detachVolume(day0.id).state).toBe('detached');
    expect(catalogQuery(dir, 'SELECT file, at FROM volume_gone')).toEqual([{ file: day0.file, at: T0 + 2 * DAY }]);
    expect(counters(h, 'C')).toEqual([20, 0, 0]);
  });

  it('a volume whose period ends exactly now is past: it detaches', () => {
    // guards volume-admin.ts:57 `v.end > now` to `>=` (periods are [start, end): README)
    const clock = { now: T0 + DAY };
    const { h } = archive(clock);
    writeC(h);
    const day0 = h.volumes()[0]!;
    expect(day0.end).toBe(T0 + DAY);
    expect(h.detachVolume(day0.id).state).toBe('detached');
  });

  it('re-attaching a volume whose file is gone names the file', () => {
    // guards volume-admin.ts:68 `!existsSync(file)` to false and its message
    const clock = { now: T0 + 2 * DAY };
    const { h, dir } = archive(clock);
    writeC(h);
    const day0 = h.volumes()[0]!;
    h.detachVolume(day0.id);
    const file = join(dir, 'volumes', day0.file);
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    expect(messageOf(() => h.attachVolume(day0.id))).toBe(`volume ${day0.file} cannot be read: ${file}: the file is missing. ` +
      'It is detached; the file is left as it is. Restore it from a backup before attaching it again.');
  });
});

describe('detachVolume: open blocks', () => {
  it('a tag whose open block was in the detached volume writes on into it after the re-attach', () => {
    // guards volume-admin.ts:24 `tw.open?.vol.id === v.id` to false (the tag keeps a block of a closed, sealed volume),
    // :28 the sealing transaction to `() => undefined` (README: detach seals open segments)
    const { h, dir, day0 } = detachedDay0();
    const db = new Database(join(dir, 'volumes', day0.file), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM segment').pluck().get()).toBe(0);
      expect(db.prepare('SELECT t_start, t_end FROM block').raw().all()).toEqual([[T0 + 1000, T0 + 2000]]);
    } finally {
      db.close();
    }
    h.attachVolume(day0.id);
    h.append('A', [at(3, 3), at(4, 4)]);
    h.flush();
    expect(rawValues(h, 'A')).toEqual([[1000, 1], [2000, 2], [3000, 3], [4000, 4]]);
  });

  it("another volume's open block stays open: it fills and is sealed as one block from its first point", () => {
    // guards volume-admin.ts:24 `tw.open?.vol.id === v.id` to true and to `!==` (every other tag's open block forgotten:
    // its segment left behind, the next points start a new block)
    const clock = { now: T0 + 2 * DAY };
    const { h, dir } = archive(clock, { blockSize: 4, staggerBlocks: false });
    h.defineTag(tagConfig('A'), T0);
    h.defineTag(tagConfig('B'), T0);
    h.append('B', [at(1, 1)]);
    h.append('A', [{ t: T0 + DAY + 1000, value: 1, status: Good }]);
    h.flush();
    const [day0, day1] = h.volumes();
    h.detachVolume(day0!.id);
    // Four points more: the block of four (1..4 s) is full when the fifth comes, and sealed.
    h.append('A', [2, 3, 4, 5].map((k) => ({ t: T0 + DAY + k * 1000, value: k, status: Good })));
    h.flush();
    const db = new Database(join(dir, 'volumes', day1!.file), { readonly: true });
    try {
      expect(db.prepare('SELECT t_start, t_end FROM block').raw().all()).toEqual([[T0 + DAY + 1000, T0 + DAY + 4000]]);
    } finally {
      db.close();
    }
    expect(rawValues(h, 'A')).toEqual([1, 2, 3, 4, 5].map((k) => [DAY + k * 1000, k]));
  });
});

describe('exportVolume', () => {
  it('refuses a target that exists, with its message', () => {
    // guards volume-admin.ts:84 `existsSync(target)` to false and its message
    const clock = { now: T0 + 2 * DAY };
    const { h, dir } = archive(clock);
    writeC(h);
    const day0 = h.volumes()[0]!;
    const target = join(dir, 'out.sqlite');
    h.exportVolume(day0.id, target);
    expect(messageOf(() => h.exportVolume(day0.id, target))).toBe(`export of ${day0.file}: ${target} already exists`);
  });

  it('holds only the tags its data refers to', () => {
    // guards volume-admin.ts:104 `!used.has(tw.id)` to false
    const clock = { now: T0 + 2 * DAY };
    const { h, dir } = archive(clock);
    writeC(h);
    h.defineTag(tagConfig('Z'), T0);
    h.append('Z', [{ t: T0 + DAY + 1000, value: 1, status: Good }]);
    h.flush();
    const target = join(dir, 'out.sqlite');
    h.exportVolume(h.volumes()[0]!.id, target);
    const db = new Database(target, { readonly: true });
    try {
      expect(db.prepare('SELECT name FROM tag').pluck().all()).toEqual(['C']);
    } finally {
      db.close();
    }
  });

  it('leaves no file open: not the attached volume a second time, not a detached one, not the target', () => {
    // guards volume-admin.ts:86 `v.state === 'attached'` to false (a read-only connection to the attached file, never closed),
    // :89 the finally block emptied and :90 `v.state !== 'attached'` to false (the detached file left open),
    // :109 the finally block emptied (the target left open)
    const clock = { now: T0 + 2 * DAY };
    const { h, dir } = archive(clock);
    writeC(h);
    h.append('C', [{ t: T0 + DAY + 1000, value: 1, status: Good }]);
    h.flush();
    const [day0, day1] = h.volumes();
    const file0 = join(dir, 'volumes', day0!.file), file1 = join(dir, 'volumes', day1!.file);
    const before = handlesOn(file1);
    expect(before).toBeGreaterThan(0); // attached: the writer holds it
    h.exportVolume(day1!.id, join(dir, 'out1.sqlite'));
    expect(handlesOn(file1)).toBe(before);
    expect(handlesOn(join(dir, 'out1.sqlite'))).toBe(0);
    h.detachVolume(day0!.id);
    expect(handlesOn(file0)).toBe(0);
    h.exportVolume(day0!.id, join(dir, 'out0.sqlite'));
    expect(handlesOn(file0)).toBe(0);
    expect(handlesOn(join(dir, 'out0.sqlite'))).toBe(0);
  });

  it('exporting a detached volume leaves it readable once re-attached', () => {
    // guards volume-admin.ts:86 `v.state === 'attached'` to true and to `!==` (the writer's cache given the detached
    // volume's store, whose connection the export then closes)
    const { h, dir, day0 } = detachedDay0();
    h.exportVolume(day0.id, join(dir, 'out.sqlite'));
    h.attachVolume(day0.id);
    expect(rawValues(h, 'A')).toEqual([[1000, 1], [2000, 2]]);
  });
});

describe('importVolume: the checks before anything is copied', () => {
  /** An export of day 0 (tag C) from its own archive, then changed by edit with plain SQL. */
  function exported(edit: (db: Database.Database) => void): string {
    const { h, dir } = archive({ now: T0 + 2 * DAY });
    writeC(h);
    const file = join(dir, 'export.sqlite');
    h.exportVolume(h.volumes()[0]!.id, file);
    const db = new Database(file);
    try {
      edit(db);
    } finally {
      db.close();
    }
    return file;
  }

  /** A table whose NOT NULL column holds `rows` NULLs, declared by rewriting the schema: integrity_check reports each. */
  const nulls = (rows: number) => (db: Database.Database) => {
    db.exec('CREATE TABLE junk(a)');
    for (let i = 0; i < rows; i++) db.exec('INSERT INTO junk VALUES (NULL)');
    db.unsafeMode(true);
    db.pragma('writable_schema = ON');
    db.prepare("UPDATE sqlite_master SET sql = 'CREATE TABLE junk(a NOT NULL)' WHERE name = 'junk'").run();
  };

  it('a file with one integrity error is refused, the error quoted', () => {
    // guards volume-admin.ts:125 `check[0] !== 'ok'` to false, the whole condition to false, `||` to `&&`, the message
    const file = exported(nulls(1));
    const { h } = archive({ now: T0 + 10 * DAY });
    expect(messageOf(() => h.importVolume(file))).toBe(`import ${file}: integrity_check: NULL value in junk.a`);
    expect(h.volumes()).toEqual([]);
  });

  it('a file with five integrity errors is refused, the first three quoted, joined by "; "', () => {
    // guards volume-admin.ts:125 `check.slice(0, 3)` to `check`, the separator '; ' to ''
    const file = exported(nulls(5));
    const { h } = archive({ now: T0 + 10 * DAY });
    expect(messageOf(() => h.importVolume(file)))
      .toBe(`import ${file}: integrity_check: NULL value in junk.a; NULL value in junk.a; NULL value in junk.a`);
  });

  it('a file of another format is refused, the format named', () => {
    // guards volume-admin.ts:128 the condition to false, `format !== FORMAT_3` to `===`, `!LEGACY_FORMATS.includes` without `!`, the message
    const file = exported((db) => db.prepare("UPDATE meta SET value = 'vigil-historian-volume/9' WHERE key = 'format'").run());
    const { h } = archive({ now: T0 + 10 * DAY });
    expect(messageOf(() => h.importVolume(file)))
      .toBe(`import ${file}: meta.format: expected vigil-historian-volume/8, got vigil-historian-volume/9`);
  });

  it('a file with no format in its meta is refused as format ""', () => {
    // guards volume-admin.ts:127 `?? ''` to `?? "Stryker was here!"`
    const file = exported((db) => db.prepare("DELETE FROM meta WHERE key = 'format'").run());
    const { h } = archive({ now: T0 + 10 * DAY });
    expect(messageOf(() => h.importVolume(file))).toBe(`import ${file}: meta.format: expected vigil-historian-volume/8, got `);
  });

  it.each([['format-3', ['A']], ['format-4', ['A', 'H', 'P']]])('a file of %s (an export made by an older version) is imported, value for value', (name, tags) => {
    // guards volume-admin.ts:128 `RELABELLED_FORMATS.includes` to false (formats 3 and 4 refused)
    // The volume of 2024-03-01 from the fixture plus the two tables its export would have carried.
    const fixture = fileURLToPath(new URL(`./fixtures/${name}/`, import.meta.url));
    const expected = JSON.parse(readFileSync(join(fixture, 'expected.json'), 'utf8')) as Record<string, [number, unknown, number, number][]>;
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const file = join(tmp.dir, `${name}-export.sqlite`);
    copyFileSync(join(fixture, 'volumes', 'day-2024-03-01.sqlite'), file);
    const db = new Database(file);
    try {
      db.exec(`CREATE TABLE tag(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL);
        CREATE TABLE tag_version(tag_id INTEGER NOT NULL, version INTEGER NOT NULL, valid_from INTEGER NOT NULL,
          valid_to INTEGER, config TEXT NOT NULL, PRIMARY KEY(tag_id, version)) WITHOUT ROWID;`);
      // make.ts's tags, ids in the order it defined them.
      const configs = [tagConfig('A', { unit: 'bar' }), tagConfig('X', { unit: 'V' }),
        tagConfig('C', { compression: { kind: 'swinging-door', deviation: 0.5 }, cycleMs: 1000 }),
        tagConfig('D', { stepped: true }, 'discrete'), tagConfig('S', { stepped: true }, 'text'), tagConfig('N', { unit: 'm3/h' }),
        tagConfig('H', { unit: '%' }), tagConfig('P', { unit: 'bar' })].slice(0, name === 'format-3' ? 6 : 8);
      configs.forEach((c, i) => {
        db.prepare('INSERT INTO tag VALUES (?, ?, ?)').run(i + 1, c.name, c.kind);
        db.prepare('INSERT INTO tag_version VALUES (?, 1, ?, NULL, ?)').run(i + 1, T0, JSON.stringify(c));
      });
    } finally {
      db.close();
    }
    const { h } = archive({ now: T0 + 10 * DAY });
    h.importVolume(file);
    const dayEnd = T0 + DAY; // the volume of 2024-03-01: [T0, T0 + DAY)
    for (const tag of tags) {
      const want = expected[tag]!.filter((r) => r[0] < dayEnd).map((r) => [r[0], r[1]]);
      expect(want.length).toBeGreaterThan(0);
      expect(h.readRaw({ tags: tag, start: 0, end: dayEnd - 1, pageSize: 100_000 }).rows.map((r) => [r.t, r.value])).toEqual(want);
    }
  });
});
