/**
 * Cases for the mutants StrykerJS left alive in catalog.ts (README "Mutation testing
 * (catalog.ts)"). Expectations come from the code's comments, schema.ts and the README:
 * catalog rows are read with plain SQL on a connection of the test's own.
 */
import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog, catalogPath, loadTags, openCatalogDb } from './catalog.js';
import { T0, tagConfig, tempDir } from './testing.js';

const dirs: (() => void)[] = [];
afterEach(() => { for (const remove of dirs.splice(0)) remove(); });
function newDir(): string {
  const { dir, remove } = tempDir('vigil-cat-mut-');
  dirs.push(remove);
  return dir;
}

/** Runs sql on the catalog in dir with a connection of the test's own. */
function withDb<T>(dir: string, f: (db: Database.Database) => T): T {
  const db = new Database(catalogPath(dir));
  try { return f(db); } finally { db.close(); }
}
const rows = (dir: string, sql: string): unknown[] => withDb(dir, (db) => db.prepare(sql).raw().all());
const btreeStat = (dir: string): unknown => withDb(dir, (db) => db.prepare('SELECT sum(pgsize), sum(payload) FROM dbstat').raw().get());

describe('openCatalogDb', () => {
  // guards catalog.ts:57:50 StringLiteral ('' -> "Stryker was here!")
  it('refuses a catalog whose meta has no format, naming no format', () => {
    const dir = newDir();
    new Catalog(dir).close();
    withDb(dir, (db) => db.prepare("DELETE FROM meta WHERE key = 'format'").run());
    expect(() => new Catalog(dir)).toThrow(new Error(`${join(dir, 'catalog.sqlite')}: meta.format: expected vigil-historian-catalog/4, got `));
  });

  // guards catalog.ts:65:16 ConditionalExpression (false), 65:59 StringLiteral (the message)
  it('refuses a catalog of an unknown format with the exact message', () => {
    const dir = newDir();
    new Catalog(dir).close();
    withDb(dir, (db) => db.prepare("UPDATE meta SET value = 'vigil-historian-catalog/9' WHERE key = 'format'").run());
    expect(() => new Catalog(dir)).toThrow(new Error(`${join(dir, 'catalog.sqlite')}: meta.format: expected vigil-historian-catalog/4, got vigil-historian-catalog/9`));
  });
});

describe('loadTags', () => {
  // guards catalog.ts:88:45 StringLiteral (the message)
  it('names the tag, version and config of a version whose config row is missing', () => {
    const dir = newDir();
    const c = new Catalog(dir);
    c.createTag(tagConfig('flow'), T0);
    c.close();
    const configId = rows(dir, 'SELECT config_id FROM tag_version')[0] as [number];
    withDb(dir, (db) => db.prepare('DELETE FROM config').run());
    const db = openCatalogDb(dir, true);
    try {
      expect(() => loadTags(db)).toThrow(new Error(`catalog: tag flow version 1: config ${configId[0]} is missing`));
    } finally { db.close(); }
  });
});

describe('Catalog.migrated', () => {
  // guards catalog.ts:118:21 ConditionalExpression (true): a catalog of the current format is not migrated
  it('is false for a new catalog and a reopened one, true for a format-1 catalog', () => {
    const dir = newDir();
    const fresh = new Catalog(dir);
    expect(fresh.migrated).toBe(false);
    fresh.close();
    const again = new Catalog(dir);
    expect(again.migrated).toBe(false);
    again.close();
    const old = newDir();
    copyFileSync(join(import.meta.dirname, 'fixtures', 'format-1', 'catalog.sqlite'), catalogPath(old));
    const migrated = new Catalog(old);
    expect(migrated.migrated).toBe(true);
    migrated.close();
  });
});

describe('Catalog.commitWrite', () => {
  // guards catalog.ts:214:19 ConditionalExpression (true)
  it('a number below the log\'s last row starts a row of its own', () => {
    const dir = newDir();
    const c = new Catalog(dir);
    c.commitWrite(5, 10, [], T0);
    c.commitWrite(3, 2, [], T0 + 1000);
    c.close();
    expect(rows(dir, 'SELECT seq, written_at, samples FROM change_log ORDER BY seq')).toEqual([[3, T0 + 1000, 2], [5, T0, 10]]);
  });

  // guards catalog.ts:214:19 EqualityOperator (last.seq <= seq): change_log.seq is the primary key (schema.ts)
  it('refuses the last row\'s number again and leaves the row as it was', () => {
    const dir = newDir();
    const c = new Catalog(dir);
    c.commitWrite(5, 10, [], T0);
    expect(() => c.commitWrite(5, 2, [], T0 + 1000)).toThrow('UNIQUE constraint failed: change_log.seq');
    c.close();
    expect(rows(dir, 'SELECT seq, written_at, samples FROM change_log')).toEqual([[5, T0, 10]]);
    expect(rows(dir, "SELECT value FROM meta WHERE key = 'change_head'")).toEqual([['5']]);
  });

  // guards catalog.ts:214:76 ConditionalExpression (true): a clock set back does not extend the row
  it('a flush at a time before the last row\'s starts a row of its own', () => {
    const dir = newDir();
    const c = new Catalog(dir);
    c.commitWrite(1, 10, [], T0 + 30_000);
    c.commitWrite(2, 5, [], T0);
    c.close();
    expect(rows(dir, 'SELECT seq, written_at, samples FROM change_log ORDER BY seq')).toEqual([[1, T0 + 30_000, 10], [2, T0, 5]]);
  });
});

describe('Catalog.setClean / wasClean', () => {
  // guards catalog.ts:223:31 StringLiteral ('clean' -> "")
  it('setClean(false) removes the clean mark', () => {
    const dir = newDir();
    const c = new Catalog(dir);
    c.setClean(true);
    c.setClean(false);
    c.close();
    expect(rows(dir, "SELECT value FROM meta WHERE key = 'clean'")).toEqual([]);
  });

  // guards catalog.ts:225:32 ConditionalExpression (false), 225:54 StringLiteral ('clean' -> ""), 225:67 StringLiteral ('1' -> "")
  it('wasClean() is true for a catalog whose meta says clean = 1, false without it', () => {
    const dir = newDir();
    new Catalog(dir).close();
    const before = new Catalog(dir);
    expect(before.wasClean()).toBe(false);
    before.close();
    withDb(dir, (db) => db.prepare("INSERT INTO meta(key, value) VALUES ('clean', '1')").run());
    const after = new Catalog(dir);
    expect(after.wasClean()).toBe(true);
    after.close();
  });
});

describe('Catalog.setVolumeState', () => {
  // guards catalog.ts:238:11 ConditionalExpression (true)
  it('leaves a volume_gone row when a volume is detached, none when it is attached again', () => {
    const dir = newDir();
    const c = new Catalog(dir);
    const v = c.addVolume('day-2024-03-01.sqlite', 'day', T0, T0 + 86_400_000, 'attached');
    c.setVolumeState(v.id, 'detached', T0 + 5);
    c.setVolumeState(v.id, 'attached', T0 + 9);
    c.close();
    expect(rows(dir, 'SELECT file, reason, at FROM volume_gone')).toEqual([['day-2024-03-01.sqlite', 'detached', T0 + 5]]);
    expect(rows(dir, 'SELECT state FROM volume')).toEqual([['attached']]);
  });
});

describe('Catalog.close compaction', () => {
  // guards catalog.ts:270:7 ConditionalExpression (false), 270:7 EqualityOperator (<), 270:16 ArithmeticOperator (1.4 / payload),
  // 270:16 ArithmeticOperator (- 4096): pages exactly 1.4 * payload + 4096 (47104 = 1.4 * 30720 + 4096, exact in binary
  // floating point) is not "less than ~70 % full", so the close leaves the pages as they are. 596 tags and a 878-byte meta
  // row give those sums in 1 KB pages (found by search; checked below before the close): the file is made with them
  // first, as catalogs were before 512-byte pages (SQLite keeps a file's page size).
  it('leaves a catalog at exactly the threshold as it is', () => {
    const dir = newDir();
    const made = new Database(catalogPath(dir));
    made.pragma('page_size = 1024');
    made.exec('CREATE TABLE t(x); DROP TABLE t');
    made.close();
    const c = new Catalog(dir);
    expect(c.db.pragma('page_size', { simple: true })).toBe(1024);
    for (let i = 0; i < 596; i++) c.createTag(tagConfig(`tag-${String(i).padStart(20, '0')}`), T0);
    c.db.prepare("INSERT INTO meta(key, value) VALUES ('pad', ?)").run('x'.repeat(878));
    expect(btreeStat(dir)).toEqual([47104, 30720]);
    expect(47104).toBe(1.4 * 30720 + 4096);
    c.close();
    expect(btreeStat(dir)).toEqual([47104, 30720]);
  });

  // guards catalog.ts:275:9 ConditionalExpression (true), 275:9 ConditionalExpression (first clause true),
  // 275:9 EqualityOperator (=== 'SQLITE_BUSY'), 275:9 LogicalOperator (||), 275:45 StringLiteral ('SQLITE_BUSY' -> "")
  it('skips the VACUUM while another connection holds the write lock (SQLITE_BUSY)', () => {
    const dir = newDir();
    const c = new Catalog(dir);
    const before = btreeStat(dir) as [number, number];
    expect(before[0]).toBeGreaterThan(1.4 * before[1] + 4096); // sparse: the close tries to compact
    const holder = new Database(catalogPath(dir));
    holder.exec('BEGIN IMMEDIATE');
    try {
      expect(() => c.close()).not.toThrow();
      expect(c.db.open).toBe(false);
    } finally { holder.exec('ROLLBACK'); holder.close(); }
  });

  // guards catalog.ts:274:17 BlockStatement ({}), 275:9 ConditionalExpression (false), 275:9 EqualityOperator (=== 'SQLITE_BUSY'),
  // 275:62 EqualityOperator (=== 'SQLITE_LOCKED')
  it('throws any other error of the VACUUM (a transaction left open: SQLITE_ERROR)', () => {
    const dir = newDir();
    const c = new Catalog(dir);
    c.db.exec('BEGIN');
    try {
      expect(() => c.close()).toThrow('cannot VACUUM from within a transaction');
    } finally { c.db.exec('ROLLBACK'); c.db.close(); }
  });

  // guards catalog.ts:275:62 ConditionalExpression (true), 275:98 StringLiteral ('SQLITE_LOCKED' -> ""): a VACUUM refused
  // with SQLITE_LOCKED (a table locked on the same connection or its shared cache) is skipped like SQLITE_BUSY. The
  // connection's exec is made to fail as SQLite would: better-sqlite3 opens no shared cache to make it fail for real.
  it('skips the VACUUM on SQLITE_LOCKED', () => {
    const dir = newDir();
    const c = new Catalog(dir);
    const exec = c.db.exec.bind(c.db);
    let refused = 0;
    c.db.exec = (sql: string) => {
      if (sql === 'VACUUM') { refused++; throw Object.assign(new Error('database table is locked'), { code: 'SQLITE_LOCKED' }); }
      return exec(sql);
    };
    expect(() => c.close()).not.toThrow();
    expect(refused).toBe(1);
    expect(c.db.open).toBe(false);
  });
});
