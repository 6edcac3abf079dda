/**
 * SQLite layouts of the catalog and of a volume file, and how connections are
 * opened. Every file runs in WAL mode with synchronous=FULL: the writer
 * commits about once a second per file, and each commit then survives a power
 * cut too, not only a process crash.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';

export const FORMAT = 'vigil-historian-volume/2';
export const CATALOG_FORMAT = 'vigil-historian-catalog/2';
/** Formats still opened: a writer migrates them (migrateVolume, migrateCatalog); readers read them as they are. */
export const OLD_FORMATS = ['vigil-historian-volume/1'];
export const OLD_CATALOG_FORMATS = ['vigil-historian-catalog/1'];

export const CATALOG_DDL = `
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tag(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tag_version(
  tag_id INTEGER NOT NULL, version INTEGER NOT NULL, valid_from INTEGER NOT NULL,
  valid_to INTEGER, config TEXT NOT NULL, PRIMARY KEY(tag_id, version)) WITHOUT ROWID;
-- Per tag, written at every flush in one statement: the counters and what the
-- writer holds in memory (compressor, sorting buffer) as JSON.
CREATE TABLE IF NOT EXISTS tag_state(
  tag_id INTEGER PRIMARY KEY, samples_received INTEGER NOT NULL, samples_archived INTEGER NOT NULL, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS volume(
  id INTEGER PRIMARY KEY, file TEXT NOT NULL UNIQUE, period TEXT NOT NULL,
  t_start INTEGER NOT NULL, t_end INTEGER NOT NULL, state TEXT NOT NULL, max_seq INTEGER NOT NULL DEFAULT 0);
`;

/**
 * The change feed's side of the catalog (format 2). meta.change_head is the last write sequence
 * number committed; volume.max_seq the last one that wrote into each volume. change_log: one row
 * per minute of flushes (keyed by its last sequence number): when its first flush committed and
 * how many samples its flushes wrote. volume_gone: volumes detached or dropped by retention, with
 * the last sequence number they held, so a reader behind it learns what it can no longer get.
 */
export const CATALOG_FEED_DDL = `
CREATE TABLE IF NOT EXISTS change_log(seq INTEGER PRIMARY KEY, written_at INTEGER NOT NULL, samples INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS volume_gone(
  id INTEGER PRIMARY KEY, file TEXT NOT NULL, t_start INTEGER NOT NULL, t_end INTEGER NOT NULL, max_seq INTEGER NOT NULL, reason TEXT NOT NULL, at INTEGER NOT NULL);
`;

/**
 * block: one row per analog block, its summary in columns (what plots and wide
 * aggregates read); the encoded samples live beside it in block_data so that a
 * scan of summaries never pages through BLOBs. sealed = 0 marks the open block
 * of a tag, rewritten at every flush.
 * block_index: the summaries of up to INDEX_CHUNK consecutive sealed blocks
 * of a tag packed in one row (SUMMARY_FIELDS float64 each), so that a plot
 * over a year reads a few hundred rows instead of tens of thousands. It is
 * derived from block and written in the same transactions. A rowid table: its
 * rows grow to 20 KB, and a WITHOUT ROWID table moves anything over ~1 KB to
 * overflow pages that stay mostly empty (0.39 vs 0.31 B/sample measured).
 * event: discrete and text values, one row each, at their real size.
 */
export const VOLUME_DDL = `
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS block(
  tag_id INTEGER NOT NULL, t_start INTEGER NOT NULL, t_end INTEGER NOT NULL, count INTEGER NOT NULL,
  min REAL, max REAL, first_t INTEGER, first_v REAL, last_t INTEGER, last_v REAL,
  integral REAL NOT NULL, good_ms INTEGER NOT NULL, worst INTEGER NOT NULL, sealed INTEGER NOT NULL,
  seq_min INTEGER NOT NULL DEFAULT 0, seq_max INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(tag_id, t_start)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS block_data(
  tag_id INTEGER NOT NULL, t_start INTEGER NOT NULL, bytes BLOB NOT NULL, seqs BLOB, PRIMARY KEY(tag_id, t_start));
CREATE INDEX IF NOT EXISTS block_open ON block(tag_id, t_start) WHERE sealed = 0;
CREATE TABLE IF NOT EXISTS block_index(
  tag_id INTEGER NOT NULL, t_start INTEGER NOT NULL, t_end INTEGER NOT NULL, n INTEGER NOT NULL, packed BLOB NOT NULL,
  PRIMARY KEY(tag_id, t_start));
CREATE TABLE IF NOT EXISTS event(
  tag_id INTEGER NOT NULL, t INTEGER NOT NULL, value, status INTEGER NOT NULL, flags INTEGER NOT NULL,
  seq INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(tag_id, t)) WITHOUT ROWID;
`;

/**
 * Format 2 adds the write sequence numbers of the change feed: per block the lowest and highest
 * (and, in block_data.seqs, each sample's when they differ: encoding/seqs.ts), per event row its
 * own. block_seq and event_seq find what was written after a sequence number. Rows of a format-1
 * file get 0: written before the feed existed.
 */
export const VOLUME_FEED_DDL = `
CREATE INDEX IF NOT EXISTS block_seq ON block(seq_max, seq_min, t_end);
CREATE INDEX IF NOT EXISTS event_seq ON event(seq);
`;

/** Adds what format 2 has to a format-1 volume file (columns default to 0), in one transaction. */
export function migrateVolume(db: Database.Database): void {
  db.transaction(() => {
    if (!hasColumn(db, 'block', 'seq_min')) {
      db.exec(`ALTER TABLE block ADD COLUMN seq_min INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE block ADD COLUMN seq_max INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE block_data ADD COLUMN seqs BLOB;
        ALTER TABLE event ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;`);
    }
    db.exec(VOLUME_FEED_DDL);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'format'").run(FORMAT);
  })();
}

/** Adds what format 2 has to a format-1 catalog, in one transaction. */
export function migrateCatalog(db: Database.Database): void {
  db.transaction(() => {
    if (!hasColumn(db, 'volume', 'max_seq')) db.exec('ALTER TABLE volume ADD COLUMN max_seq INTEGER NOT NULL DEFAULT 0');
    db.exec(CATALOG_FEED_DDL);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'format'").run(CATALOG_FORMAT);
  })();
}

export function hasColumn(db: Database.Database, table: string, column: string): boolean {
  return (db.prepare(`SELECT count(*) FROM pragma_table_info('${table}') WHERE name = ?`).pluck().get(column) as number) > 0;
}

export const INDEX_CHUNK = 256;
/** t_start, t_end, count, min, max, first_t, first_v, last_t, last_v, worst; NaN for a null. */
export const SUMMARY_FIELDS = 10;

/** Stored-only flag on event rows: the value was a boolean (kept as 0/1). */
export const STORED_BOOLEAN = 0x100;

export function openWritable(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('busy_timeout = 5000'); // first: switching to WAL waits for a reader to finish
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  return db;
}

/**
 * Closes a writer's connection leaving one file: checkpointed, out of WAL mode (so that a
 * read-only open later creates no -wal/-shm files). When another connection still has the
 * file open the switch is not possible; the file stays in WAL mode and that connection's
 * close tidies up.
 */
export function closeWritable(db: Database.Database): void {
  if (!db.open) return;
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('journal_mode = DELETE');
  } catch (err) {
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
  } finally {
    db.close();
  }
}

/**
 * A connection that reads only. A read-only connection to a file in WAL mode creates its -wal
 * and -shm files and, being read-only, cannot remove them: every CLI query would leave two
 * files beside each volume. So when the file is in WAL mode and has no -wal (no writer at work,
 * nothing to recover), it is opened read-write with query_only on: it cannot write, and when it
 * is the last connection, SQLite removes what it made. Otherwise (a writer at work, a crash to
 * recover, a file in rollback mode, no write permission) it is opened read-only.
 */
export function openReadOnly(file: string): Database.Database {
  if (inWalMode(file) && !existsSync(`${file}-wal`)) {
    try {
      const db = new Database(file, { fileMustExist: true });
      db.pragma('query_only = 1');
      db.pragma('busy_timeout = 5000');
      return db;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'SQLITE_READONLY' && code !== 'SQLITE_CANTOPEN' && code !== 'EACCES') throw err;
    }
  }
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

/** The file header says WAL (bytes 18-19 are 2): see the SQLite file format. */
function inWalMode(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false; // the open below reports a missing file
  }
  try {
    const header = Buffer.alloc(20);
    return readSync(fd, header, 0, 20, 0) === 20 && header[18] === 2 && header[19] === 2;
  } finally {
    closeSync(fd);
  }
}

export function readMeta(db: Database.Database): Map<string, string> {
  const rows = db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
  return new Map(rows.map((r) => [r.key, r.value]));
}
