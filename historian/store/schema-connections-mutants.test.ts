/**
 * Mutants StrykerJS left alive in schema.ts, connections.ts and volume-migrate.ts (store/README.md,
 * "Mutation testing (schema.ts, connections.ts, volume-migrate.ts)"). Expectations are literals
 * from the formats and comments, or read with plain SQL from the fixtures made by older versions.
 */
import Database from 'better-sqlite3';
import { copyFileSync, cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeBlock } from '../encoding/block.js';
import { Catalog } from './catalog.js';
import { closeWritable, hasIndex, openReadOnly, openWritable } from './schema.js';
import { VolumeStore } from './volume.js';
import { migrateVolume } from './volume-migrate.js';
import { DAY, T0, tempDir } from './testing.js';

/** Faults SQLite's open can give that a test cannot produce for real (the tests run as root, on a writable disk). */
const fault = vi.hoisted(() => ({ file: '', code: '', remove: false, appearFrom: '' }));
vi.mock('better-sqlite3', async (importOriginal) => {
  const Real = (await importOriginal<{ default: typeof import('better-sqlite3') }>()).default;
  const { copyFileSync: copy, unlinkSync } = await import('node:fs');
  function Fake(file: string, opts?: { readonly?: boolean }) {
    if (fault.appearFrom !== '' && file === fault.file) { // made between the header check and the open
      copy(fault.appearFrom, file);
      fault.appearFrom = '';
    }
    else if (fault.file !== '' && file === fault.file && !opts?.readonly) {
      if (fault.remove) unlinkSync(file); // removed between the header check and the open
      else throw Object.assign(new Error(`injected ${fault.code}`), { code: fault.code });
    }
    return new Real(file, opts);
  }
  Fake.prototype = Real.prototype;
  return { default: Fake };
});

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const temps: { remove: () => void }[] = [];
function newDir(): string {
  const t = tempDir();
  temps.push(t);
  return t.dir;
}
afterEach(() => {
  fault.file = '';
  fault.code = '';
  fault.remove = false;
  fault.appearFrom = '';
  for (const t of temps.splice(0)) t.remove();
});

function plain<T>(file: string, sql: string): T[] {
  const db = new Database(file, { readonly: true });
  try { return db.prepare(sql).all() as T[]; } finally { db.close(); }
}
const format = (file: string) => plain<{ value: string }>(file, "SELECT value FROM meta WHERE key = 'format'")[0]!.value;
const names = (file: string, type: string) =>
  plain<{ name: string }>(file, `SELECT name FROM sqlite_master WHERE type = '${type}' AND name NOT LIKE 'sqlite_%' ORDER BY name`).map((r) => r.name);

function newVolume(file: string, start = T0): VolumeStore {
  return new VolumeStore(file, { period: 'day', start, end: start + DAY });
}

describe('schema.ts: what a writer makes of new and old files', () => {
  // guards schema.ts:22 StringLiteral (CATALOG_FORMAT -> ""), 38 StringLiteral (CATALOG_DDL -> ``)
  it('a new catalog: format vigil-historian-catalog/4 and its seven tables', () => {
    const dir = newDir();
    new Catalog(dir).close();
    const file = join(dir, 'catalog.sqlite');
    expect(format(file)).toBe('vigil-historian-catalog/4');
    expect(names(file, 'table')).toEqual(['change_log', 'config', 'meta', 'tag', 'tag_version', 'volume', 'volume_gone']);
  });

  // guards schema.ts:15 StringLiteral (FORMAT -> ""), 79 StringLiteral (VOLUME_DDL -> ``), 95 StringLiteral (SEGMENT_SEQ_DDL -> ""),
  // 96 StringLiteral (JOURNAL_DDL -> ""), 114 ConditionalExpression (hasIndex -> false)
  it('a new volume: format vigil-historian-volume/8, its tables and indexes (journal and segment_seq included; rollup comes with the first rollup)', () => {
    const file = join(newDir(), 'v.sqlite');
    const v = newVolume(file);
    expect(hasIndex(v.db, 'segment_seq')).toBe(true);
    expect(hasIndex(v.db, 'block_seq')).toBe(true);
    expect(hasIndex(v.db, 'no_such_index')).toBe(false);
    v.close();
    expect(format(file)).toBe('vigil-historian-volume/8');
    expect(names(file, 'table')).toEqual(['block', 'block_data', 'event', 'flush_delta', 'journal', 'meta', 'segment']);
    expect(names(file, 'index')).toEqual(['block_seq', 'event_seq', 'segment_key', 'segment_seq']);
  });

  // A 950-byte row (a 3-minute tag's 960 points) took a 1 KB page to itself; on 512-byte pages it is a
  // local part and one full overflow page. Checkpoints stay one per MB of WAL, whatever the page size.
  it('a new volume has 512-byte pages and checkpoints every 2048 pages (1 MB); a 1 KB-page volume of format 3 keeps its pages, every 1024', () => {
    const file = join(newDir(), 'v.sqlite');
    const v = newVolume(file);
    expect(v.db.pragma('page_size', { simple: true })).toBe(512);
    expect(v.db.pragma('wal_autocheckpoint', { simple: true })).toBe(2048);
    v.close();
    const dir = newDir();
    cpSync(join(fixtures, 'format-3', 'volumes'), join(dir, 'volumes'), { recursive: true });
    const old = newVolume(join(dir, 'volumes', 'day-2024-03-01.sqlite'));
    expect(old.db.pragma('page_size', { simple: true })).toBe(1024);
    expect(old.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1024);
    old.close();
  });

  // A catalog's rows are small (a tag's ~35 bytes): 1 KB pages left each of its dozen tables a mostly empty page.
  it('a new catalog has 512-byte pages; a 1 KB-page catalog (fixtures/format-6) keeps its pages when a writer opens it', () => {
    const dir = newDir();
    new Catalog(dir).close();
    expect(plain<{ page_size: number }>(join(dir, 'catalog.sqlite'), 'PRAGMA page_size')).toEqual([{ page_size: 512 }]);
    const old = newDir();
    cpSync(join(fixtures, 'format-6', 'catalog.sqlite'), join(old, 'catalog.sqlite'));
    new Catalog(old).close();
    expect(plain<{ page_size: number }>(join(old, 'catalog.sqlite'), 'PRAGMA page_size')).toEqual([{ page_size: 1024 }]);
  });

  // guards schema.ts:16 (FORMAT_3 -> ""), 23 (CATALOG_FORMAT_3 -> ""), 25:32 and 25:60 (LEGACY_FORMATS -> ""),
  // 26:40 and 26:69 (LEGACY_CATALOG_FORMATS -> "")
  it.each(['format-1', 'format-2', 'format-3', 'format-4', 'format-5', 'format-6', 'format-7'])('%s: the writer relabels (migrates) the catalog to format 4 and both volumes to format 8', (name) => {
    const dir = newDir();
    cpSync(join(fixtures, name, 'catalog.sqlite'), join(dir, 'catalog.sqlite'));
    cpSync(join(fixtures, name, 'volumes'), join(dir, 'volumes'), { recursive: true });
    const n = Number(name.slice(-1));
    expect(format(join(dir, 'catalog.sqlite'))).toBe(`vigil-historian-catalog/${Math.min(n, 4)}`); // catalog 4 came with volume 4
    new Catalog(dir).close();
    expect(format(join(dir, 'catalog.sqlite'))).toBe('vigil-historian-catalog/4');
    const files = readdirSync(join(dir, 'volumes')).sort();
    expect(files).toEqual(['day-2024-03-01.sqlite', 'day-2024-03-02.sqlite']);
    files.forEach((f, i) => {
      const file = join(dir, 'volumes', f);
      expect(format(file)).toBe(`vigil-historian-volume/${n}`);
      newVolume(file, T0 + i * DAY).close();
      expect(format(file)).toBe('vigil-historian-volume/8');
    });
  });
});

describe('connections.ts: closeWritable', () => {
  // guards connections.ts:44 BlockStatement ({}), 45 ConditionalExpression (false)
  it('throws an error other than SQLITE_BUSY (a transaction left open) and closes the connection', () => {
    const file = join(newDir(), 'x.sqlite');
    const db = openWritable(file);
    db.exec('CREATE TABLE t(x)');
    db.exec('BEGIN');
    expect(() => closeWritable(db)).toThrow('cannot change out of wal mode from within a transaction');
    expect(db.open).toBe(false);
  });
});

describe('connections.ts: openReadOnly', () => {
  /** A WAL-mode file with rows 1, 2, 3 and no -wal (closed without leaving WAL mode). */
  function walFile(): string {
    const file = join(newDir(), 'w.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3)');
    db.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    return file;
  }

  /** openReadOnly(file) gives a read-only connection that reads the 3 rows; closed after. */
  function expectReadOnlyRows(file: string): void {
    const db = openReadOnly(file);
    expect(db.readonly).toBe(true);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(3);
    db.close();
  }

  /** walFile() with one byte of its header changed. */
  function withHeaderByte(at: number, value: number): string {
    const file = walFile();
    const bytes = readFileSync(file);
    bytes[at] = value;
    writeFileSync(file, bytes);
    return file;
  }

  // guards connections.ts:60 StringLiteral (`${file}-wal` -> ``), 71:45 BooleanLiteral (readonly: true -> false)
  it('a crash to recover (-wal left, no writer): reads the committed rows and leaves the files as they were', () => {
    const dir = newDir();
    const src = join(dir, 'live.sqlite');
    const w = new Database(src);
    w.pragma('journal_mode = WAL');
    w.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3)');
    const file = join(dir, 'crashed.sqlite'); // the files as a kill -9 of the writer leaves them
    copyFileSync(src, file);
    copyFileSync(`${src}-wal`, `${file}-wal`);
    w.close();
    const before = readFileSync(file);
    const walBefore = readFileSync(`${file}-wal`);
    const db = openReadOnly(file);
    expect(db.readonly).toBe(true);
    expect(db.prepare('SELECT x FROM t ORDER BY x').pluck().all()).toEqual([1, 2, 3]);
    db.close();
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readFileSync(`${file}-wal`).equals(walBefore)).toBe(true);
  });

  // guards connections.ts:86:12 LogicalOperator (... && header[18] === 2 || header[19] === 2), 86:53 ConditionalExpression (true)
  it('header bytes 18-19 = 1, 2 (not both 2): opened read-only', () => {
    expectReadOnlyRows(withHeaderByte(18, 1));
  });

  // guards connections.ts:86:73 ConditionalExpression (true)
  it('header bytes 18-19 = 2, 1 (rollback mode for SQLite): opened read-only, rows read', () => {
    expectReadOnlyRows(withHeaderByte(19, 1));
  });

  it('a WAL file without -wal: opened read-write with query_only, leaves no -wal/-shm', () => {
    const file = walFile();
    const db = openReadOnly(file);
    expect(db.readonly).toBe(false);
    expect(db.pragma('query_only', { simple: true })).toBe(1);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(3);
    db.close();
    expect(readdirSync(join(file, '..')).sort()).toEqual(['w.sqlite']);
  });

  // guards connections.ts:62:37 ObjectLiteral ({}), 62:54 BooleanLiteral (fileMustExist: true -> false)
  it('a file removed between the header check and the open: refused, no empty file made', () => {
    const file = walFile();
    fault.file = file;
    fault.remove = true;
    expect(() => openReadOnly(file)).toThrow('unable to open database file');
    expect(existsSync(file)).toBe(false);
  });

  // guards connections.ts:82 BooleanLiteral (return false -> true: a file the header check could not open taken as in WAL mode)
  it('a file missing at the header check and there at the open: opened read-only', () => {
    const wal = walFile();
    const file = join(newDir(), 'late.sqlite');
    fault.file = file;
    fault.appearFrom = wal;
    expectReadOnlyRows(file);
  });

  it('a missing file: refused with SQLite\'s message', () => {
    expect(() => openReadOnly(join(newDir(), 'none.sqlite'))).toThrow('unable to open database file');
  });

  // guards connections.ts:66 BlockStatement ({}), 68:11 ConditionalExpression (false), 68:71 EqualityOperator (=== 'EACCES')
  it('the read-write open failing otherwise (SQLITE_IOERR): the error is thrown', () => {
    const file = walFile();
    fault.file = file;
    fault.code = 'SQLITE_IOERR';
    expect(() => openReadOnly(file)).toThrow('injected SQLITE_IOERR');
  });

  // guards connections.ts:68:11 ConditionalExpression (true, whole and first two clauses), 68:11-37 (true), 68:20 StringLiteral,
  // 68:41 (true), 68:50 StringLiteral, 68:71 (true), 68:71 EqualityOperator (=== 'EACCES'), 68:80 StringLiteral
  it.each(['SQLITE_READONLY', 'SQLITE_CANTOPEN', 'EACCES'])('the read-write open refused with %s: opened read-only instead', (code) => {
    const file = walFile();
    fault.file = file;
    fault.code = code;
    expectReadOnlyRows(file);
  });
});

describe('volume-migrate.ts: migrateVolume', () => {
  function legacy(name: string, file: string): string {
    const to = join(newDir(), file);
    copyFileSync(join(fixtures, name, 'volumes', file), to);
    return to;
  }

  // guards volume-migrate.ts:15:30 and 15:39 StringLiteral ('block', 'seq_min' -> ""), 34:11 ConditionalExpression (sealed -> true / false)
  it('format 2: sealed blocks become block rows, open ones segment rows, each with its write sequence numbers', () => {
    const file = legacy('format-2', 'day-2024-03-02.sqlite');
    type Key = { tag_id: number; t_start: number; seq_min: number; seq_max: number };
    const q = (where: string) => `SELECT tag_id, t_start, seq_min, seq_max FROM block WHERE ${where} ORDER BY tag_id, t_start`;
    const sealed = plain<Key>(file, q('sealed = 1'));
    const open = plain<Key>(file, q('sealed = 0'));
    expect([sealed.length, open.length]).toEqual([10, 17]);
    expect(sealed.some((r) => r.seq_max > 0) && open.some((r) => r.seq_max > 0)).toBe(true);
    const events = plain<{ seq: number }>(file, 'SELECT seq FROM event ORDER BY tag_id, t');
    expect(events.some((e) => e.seq > 0)).toBe(true);
    const db = openWritable(file);
    migrateVolume(db);
    closeWritable(db);
    expect(plain<Key>(file, 'SELECT tag_id, t_start, seq_min, seq_max FROM block ORDER BY tag_id, t_start')).toEqual(sealed);
    expect(plain<Key>(file, 'SELECT tag_id, t_start, seq_min, seq_max FROM segment ORDER BY tag_id, t_start')).toEqual(open);
    expect(plain<{ seq: number }>(file, 'SELECT seq FROM event ORDER BY tag_id, t')).toEqual(events);
  });

  // guards volume-migrate.ts:42 BlockStatement ({}), 44 StringLiteral ('VACUUM' -> "")
  it('vacuums the migrated file into incremental auto-vacuum', () => {
    const file = legacy('format-1', 'day-2024-03-02.sqlite');
    expect(plain<{ auto_vacuum: number }>(file, 'PRAGMA auto_vacuum')).toEqual([{ auto_vacuum: 0 }]);
    const db = openWritable(file);
    migrateVolume(db);
    closeWritable(db);
    expect(plain<{ auto_vacuum: number }>(file, 'PRAGMA auto_vacuum')).toEqual([{ auto_vacuum: 2 }]); // 2: INCREMENTAL
  });

  // guards volume-migrate.ts:31:23 ConditionalExpression (false), 31:23 EqualityOperator (>=), 31:49 ConditionalExpression (false),
  // 31:79 UpdateOperator (added--)
  it('counts the cyclic samples of a block into its summary (flag bit 16, then the count after span and count)', () => {
    const file = legacy('format-1', 'day-2024-03-02.sqlite');
    const raw = new Database(file);
    const t = T0 + DAY;
    const bytes = encodeBlock([
      { t, value: 1, status: 0, flags: 1 }, { t: t + 10, value: 2, status: 0, flags: 0 }, { t: t + 20, value: 3, status: 0, flags: 1 },
    ]);
    raw.prepare(`INSERT INTO block(tag_id, t_start, t_end, count, integral, good_ms, worst, sealed)
      VALUES (99, ?, ?, 3, 0, 0, 0, 1)`).run(t, t + 20);
    raw.prepare('INSERT INTO block_data(tag_id, t_start, bytes) VALUES (99, ?, ?)').run(t, bytes);
    raw.close();
    const db = openWritable(file);
    migrateVolume(db);
    closeWritable(db);
    const [summary] = plain<{ summary: Buffer }>(file, 'SELECT summary FROM block WHERE tag_id = 99').map((r) => r.summary);
    expect(summary![0]! & 16).toBe(16); // CYCLIC
    expect([...summary!.subarray(1, 4)]).toEqual([20, 3, 2]); // span 20 ms, 3 samples, 2 cyclic
  });

  // guards volume-migrate.ts:45:17 BlockStatement ({}), 47:9 ConditionalExpression (false)
  it('throws an error of the VACUUM other than SQLITE_BUSY (called inside a transaction)', () => {
    const file = legacy('format-1', 'day-2024-03-02.sqlite');
    const db = openWritable(file);
    db.exec('BEGIN');
    try {
      expect(() => migrateVolume(db)).toThrow('cannot VACUUM from within a transaction');
    } finally { db.exec('ROLLBACK'); db.close(); }
  });

  // guards volume-migrate.ts:47:9 ConditionalExpression (true), 47:9 EqualityOperator (=== 'SQLITE_BUSY'), 47:45 StringLiteral
  it('skips the VACUUM while another connection holds the write lock (SQLITE_BUSY): the file stays migrated', () => {
    const file = legacy('format-1', 'day-2024-03-02.sqlite');
    const db = openWritable(file);
    const holder = new Database(file);
    const pragma = db.pragma.bind(db);
    db.pragma = ((sql: string, opts?: Database.PragmaOptions) => {
      if (sql === 'auto_vacuum = INCREMENTAL') {
        pragma('busy_timeout = 0'); // refused at once rather than after 5 s
        holder.exec('BEGIN IMMEDIATE');
      }
      return pragma(sql, opts);
    }) as typeof db.pragma;
    try {
      expect(() => migrateVolume(db)).not.toThrow();
    } finally { if (holder.inTransaction) holder.exec('ROLLBACK'); holder.close(); }
    closeWritable(db);
    expect(format(file)).toBe('vigil-historian-volume/8');
    expect(plain<{ n: number }>(file, 'SELECT count(*) AS n FROM block')).toEqual([{ n: 10 }]);
    expect(plain<{ auto_vacuum: number }>(file, 'PRAGMA auto_vacuum')).toEqual([{ auto_vacuum: 0 }]);
  });
});
