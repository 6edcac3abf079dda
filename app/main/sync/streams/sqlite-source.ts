/**
 * A sequenced source over an SQLite table with an increasing integer key and
 * a written-at column: how the alarm journal, the audit trail and the gap
 * ledger keep their records, so each of their adapters is a table name and
 * a row mapping.
 */
import Database from 'better-sqlite3';
import type { Backlog } from './stream.js';
import type { Sequenced, SequencedSource } from './sequenced.js';

export interface TableSpec<R> {
  table: string;
  /** The increasing key (default "id"). */
  seq?: string;
  /** When the row was written, ms (default "written_at"). */
  writtenAt?: string;
  /** The other columns the record needs, as SQL (e.g. "server, start, end_ms AS end"). */
  columns: string;
  toRecord(row: Record<string, unknown>): R;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function sqliteSource<R>(db: Database.Database, spec: TableSpec<R>): SequencedSource<R> {
  const seq = spec.seq ?? 'id';
  const at = spec.writtenAt ?? 'written_at';
  for (const name of [spec.table, seq, at]) if (!IDENT.test(name)) throw new Error(`sqliteSource: ${JSON.stringify(name)} is not an identifier`);
  const readAll = db.prepare(`SELECT ${seq} AS _seq, ${at} AS _at, ${spec.columns} FROM ${spec.table} WHERE ${seq} > ? ORDER BY ${seq} LIMIT ?`);
  const readUntil = db.prepare(`SELECT ${seq} AS _seq, ${at} AS _at, ${spec.columns} FROM ${spec.table} WHERE ${seq} > ? AND ${seq} <= ? ORDER BY ${seq} LIMIT ?`);
  // An AUTOINCREMENT table remembers its last number when emptied (sqlite_sequence): the head then, so
  // records deleted before they were sent are still counted as such (SequencedStream.read).
  const lastAssigned = hasSequenceTable(db) ? db.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').pluck() : null;
  const head = db.prepare(`SELECT MAX(${seq}) FROM ${spec.table}`).pluck();
  const backlog = db.prepare(`SELECT COUNT(*) AS records, MIN(${at}) AS oldest FROM ${spec.table} WHERE ${seq} > ?`);
  const written = db.prepare(`SELECT ${seq} AS _seq, ${at} AS _at, ${spec.columns} FROM ${spec.table} WHERE ${at} >= ? AND ${at} <= ? AND ${seq} > ? ORDER BY ${seq} LIMIT ?`);
  const toSequenced = (row: Record<string, unknown>): Sequenced<R> => ({ seq: Number(row._seq), writtenAt: Number(row._at), record: spec.toRecord(row) });
  return {
    read(after, max, until) {
      const rows = (until === null ? readAll.all(after, max) : readUntil.all(after, until, max)) as Record<string, unknown>[];
      return rows.map(toSequenced);
    },
    head() {
      const h = (head.get() ?? lastAssigned?.get(spec.table) ?? null) as number | null;
      return h === null ? null : Number(h);
    },
    backlog(after): Backlog {
      const r = backlog.get(after) as { records: number; oldest: number | null };
      return { records: r.records, oldestWrittenAt: r.oldest };
    },
    readWritten(from, to, after, max) {
      return (written.all(from, to, after, max) as Record<string, unknown>[]).map(toSequenced);
    },
  };
}

/**
 * The sync's own connection to another module's SQLite file (the alarm
 * journal, the audit trail): read-only, so it never takes the writer's lock;
 * in WAL mode a reader sees every committed transaction without blocking the
 * writer, and the writer's commits never wait for it.
 */
export function openReadOnly(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const mode = db.pragma('journal_mode', { simple: true }) as string;
  if (mode !== 'wal') {
    db.close();
    throw new Error(`${file}: journal_mode is ${mode}, expected wal (the owning module must have opened it first)`);
  }
  return db;
}

function hasSequenceTable(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").get() !== undefined;
}
