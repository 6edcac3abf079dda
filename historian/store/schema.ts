/**
 * SQLite layouts of the catalog and of a volume file (format 3), and how connections are
 * opened. A writer runs every file in WAL mode with synchronous=FULL (it commits about once a
 * second per file, and each commit survives a power cut too) and takes it out of WAL mode when
 * it closes it, so that nothing but the database files stays on disk. Formats 1 and 2 are still
 * read as they are (read/volume-reader.ts, catalog-legacy.ts) and migrated by a writer (volume-migrate.ts, catalog-legacy.ts).
 */
import type Database from 'better-sqlite3';

/**
 * 8: blocks of codec v8 (NaN, ±Infinity and -0 coded apart from decimal values, encoding/block.ts);
 * 7: codec v7 (sparse jitter, code tables that skip unused symbols);
 * 6: codec v6 (smoothed values); 5: codec v5 (distinct, float32 and near-decimal values); 4: codec
 * v4 (held values); the tables are format 3's. A format-3, 4, 5, 6 or 7 file is taken as it is (its blocks are still read) and relabelled when a writer opens it; each
 * bump makes an older writer refuse a file whose blocks it could not read.
 */
export const FORMAT = 'vigil-historian-volume/8';
export const FORMAT_3 = 'vigil-historian-volume/3';
export const FORMAT_4 = 'vigil-historian-volume/4';
export const FORMAT_5 = 'vigil-historian-volume/5';
export const FORMAT_6 = 'vigil-historian-volume/6';
export const FORMAT_7 = 'vigil-historian-volume/7';
/** Formats with format 8's tables and older blocks: relabelled, nothing else changes. */
export const RELABELLED_FORMATS = [FORMAT_3, FORMAT_4, FORMAT_5, FORMAT_6, FORMAT_7];
/**
 * 4: configurations stored without defaults, the range in tag_version (issue 12). A format-3
 * catalog is read as it is and upgraded in place by a writer (two columns); the bump makes an
 * older writer refuse a catalog it would misread.
 */
export const CATALOG_FORMAT = 'vigil-historian-catalog/4';
export const CATALOG_FORMAT_3 = 'vigil-historian-catalog/3';
/** Formats still read; a writer migrates them when it opens them. */
export const LEGACY_FORMATS = ['vigil-historian-volume/1', 'vigil-historian-volume/2'];
export const LEGACY_CATALOG_FORMATS = ['vigil-historian-catalog/1', 'vigil-historian-catalog/2'];

/**
 * config: a tag configuration without its name, kind, range and default-valued fields, once for
 * every version that has it (most tags of a plant share a handful; the range, which most tags
 * have of their own, is in tag_version: range_low, range_high, NULL without one. Catalogs
 * written before kept it in the JSON and get the columns when a writer opens them). tag: no unique index on the name (the one writer keeps names
 * unique; readers load every tag anyway), the counters (read/README.md defines them) and the
 * writer's state, NULL when the tag is at rest (store/tag-state.ts): so an idle tag costs its
 * name and a few bytes. change_head, change_log, volume.max_seq and volume_gone are the change
 * feed's (store/README.md).
 */
export const CATALOG_DDL = `
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE config(id INTEGER PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE tag(id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind INTEGER NOT NULL,
  received INTEGER NOT NULL DEFAULT 0, archived INTEGER NOT NULL DEFAULT 0, added INTEGER NOT NULL DEFAULT 0, state BLOB);
CREATE TABLE tag_version(tag_id INTEGER NOT NULL, version INTEGER NOT NULL, valid_from INTEGER NOT NULL, valid_to INTEGER,
  config_id INTEGER NOT NULL, range_low REAL, range_high REAL, PRIMARY KEY(tag_id, version)) WITHOUT ROWID;
CREATE TABLE volume(id INTEGER PRIMARY KEY, file TEXT NOT NULL UNIQUE, period TEXT NOT NULL,
  t_start INTEGER NOT NULL, t_end INTEGER NOT NULL, state TEXT NOT NULL, max_seq INTEGER NOT NULL DEFAULT 0);
CREATE TABLE change_log(seq INTEGER PRIMARY KEY, written_at INTEGER NOT NULL, samples INTEGER NOT NULL);
CREATE TABLE volume_gone(id INTEGER PRIMARY KEY, file TEXT NOT NULL, t_start INTEGER NOT NULL, t_end INTEGER NOT NULL,
  max_seq INTEGER NOT NULL, reason TEXT NOT NULL, at INTEGER NOT NULL);
`;

/**
 * Page sizes of new files. Every table and index takes at least one page, so SQLite's default
 * of 4 KB made ~40 KB per volume file before any data (ten of them) and ~36 KB of catalog:
 * 3-minute data in daily volumes paid more for that than for its samples. A row larger than a
 * page's local share spills into overflow pages, which SQLite fills whole (the remainder stays
 * in the leaf, beside other rows); a row that fits stays whole and leaves the rest of its page
 * empty when the next one does not fit: with 1 KB pages a 3-minute tag's ~950-byte row took a
 * page to itself. Volumes have 512-byte pages (historian/store/README.md has the figures), but
 * those of long series (volumes.ts pageSizeFor): a cold read fetches each page with a call of its
 * own, and 4 KB pages hold such series in fewer bytes too.
 */
export const VOLUME_PAGE_SIZE = 512;
export const LONG_SERIES_PAGE_SIZE = 4096;
export const CATALOG_PAGE_SIZE = 512;

/** Tag kinds as stored (one byte each instead of a word). */
export const KIND_CODES = ['analog', 'discrete', 'text'] as const;

/**
 * block: one row per sealed block of an analog tag: its key, write sequence numbers, summary
 * (summary-codec.ts: what plots read without decoding) and where its bytes are. A narrow
 * WITHOUT ROWID table: a plot over a year scans a few hundred pages of it.
 * block_data: the encoded bytes (encoding/block.ts) and, when the samples were written by
 * several flushes, their sequence numbers (encoding/seqs.ts). Rows are only ever appended
 * (rowids grow, nothing is rewritten in place), so its pages fill up whole.
 * segment: the tag's open block as it grows, one row per flush (or the segments rewritten as
 * one): it churns, so it lives in pages of its own, freed when the block is sealed.
 * event: discrete and text values, one row each, at their real size.
 * flush_delta: per tag, what the last flush that wrote here changed in its counters: after a
 * crash between this file's commit and the catalog's, the writer adds it (store/writer.ts).
 * journal: open-block points flushes made durable without a segment row (journal.ts); empty
 * after a normal close. Created on open in files from before it (JOURNAL_DDL).
 */
export const VOLUME_DDL = `
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE block(tag_id INTEGER NOT NULL, t_start INTEGER NOT NULL, t_end INTEGER NOT NULL, seq_min INTEGER NOT NULL, seq_max INTEGER NOT NULL,
  summary BLOB NOT NULL, data_id INTEGER NOT NULL, PRIMARY KEY(tag_id, t_start)) WITHOUT ROWID;
CREATE INDEX block_seq ON block(seq_max, seq_min);
CREATE TABLE block_data(id INTEGER PRIMARY KEY, data BLOB NOT NULL, seqs BLOB);
CREATE TABLE segment(id INTEGER PRIMARY KEY, tag_id INTEGER NOT NULL, t_start INTEGER NOT NULL, t_end INTEGER NOT NULL, seq_min INTEGER NOT NULL,
  seq_max INTEGER NOT NULL, summary BLOB NOT NULL, data BLOB NOT NULL, seqs BLOB);
CREATE UNIQUE INDEX segment_key ON segment(tag_id, t_start);
CREATE TABLE event(tag_id INTEGER NOT NULL, t INTEGER NOT NULL, value, status INTEGER NOT NULL, flags INTEGER NOT NULL,
  seq INTEGER NOT NULL, PRIMARY KEY(tag_id, t)) WITHOUT ROWID;
CREATE INDEX event_seq ON event(seq);
CREATE TABLE flush_delta(tag_id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, received INTEGER NOT NULL,
  samples INTEGER NOT NULL, added INTEGER NOT NULL);
`;
/** The change feed finds a live reader's few new segments through this (added on open to files from before it). */
export const SEGMENT_SEQ_DDL = 'CREATE INDEX IF NOT EXISTS segment_seq ON segment(seq_max, seq_min)';
export const JOURNAL_DDL = 'CREATE TABLE IF NOT EXISTS journal(id INTEGER PRIMARY KEY, data BLOB NOT NULL)';

/** t_start, t_end, count, min, max, first_t, first_v, last_t, last_v, worst: a block's summary as plots read it (NaN for a null). */
export const SUMMARY_FIELDS = 10;

/** Stored-only flag on event rows: the value was a boolean (kept as 0/1). */
export const STORED_BOOLEAN = 0x100;

export function readMeta(db: Database.Database): Map<string, string> {
  const rows = db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
  return new Map(rows.map((r) => [r.key, r.value]));
}

export function hasColumn(db: Database.Database, table: string, column: string): boolean {
  return (db.prepare(`SELECT count(*) FROM pragma_table_info('${table}') WHERE name = ?`).pluck().get(column) as number) > 0;
}

export function hasIndex(db: Database.Database, index: string): boolean {
  return (db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(index) as number) > 0;
}

export function hasTable(db: Database.Database, table: string): boolean {
  return (db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(table) as number) > 0;
}

export { closeWritable, openReadOnly, openWritable } from './connections.js';
