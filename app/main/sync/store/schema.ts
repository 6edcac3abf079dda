/**
 * <data>/sync.sqlite: what the sync must remember across a kill -9. WAL with
 * synchronous=NORMAL: a commit survives the process dying at any moment (the
 * OS holds it); a power cut may lose the last commits, which only means
 * sending those batches again.
 */
import Database from 'better-sqlite3';
import { unreadableFile } from '../../sqlite-file-error.js';

export const SYNC_FORMAT = 'vigil-sync/1';

export const SYNC_DDL = `
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- Per upstream and stream: everything up to cursor was acknowledged (2xx).
-- While a backlog drains beside live data, (split, live] was acknowledged too.
CREATE TABLE IF NOT EXISTS watermark(
  upstream TEXT NOT NULL, stream TEXT NOT NULL, cursor TEXT, split TEXT, live TEXT,
  updated_at INTEGER NOT NULL, PRIMARY KEY(upstream, stream)) WITHOUT ROWID;
-- The batch an upstream is sending (one at a time): its range, how many of its
-- lines are settled (sent or quarantined, in order), how many the request in flight holds,
-- the most lines it was read with and a digest of its lines (INFLIGHT_COLUMNS: added to
-- files from before them).
CREATE TABLE IF NOT EXISTS inflight(
  upstream TEXT PRIMARY KEY, lane TEXT NOT NULL, stream TEXT NOT NULL,
  from_cursor TEXT, to_cursor TEXT, settled INTEGER NOT NULL, sending INTEGER NOT NULL,
  started_at INTEGER NOT NULL, max_lines INTEGER, digest TEXT) WITHOUT ROWID;
-- Acknowledged ranges, kept for the re-send window after an upstream restart. acked_at, and the
-- times below said to be steady, are on the sync's steady clock (steady-clock.ts), not the wall
-- clock: they order and age what is kept, and a step of the wall clock must move neither.
CREATE TABLE IF NOT EXISTS acked(
  id INTEGER PRIMARY KEY, upstream TEXT NOT NULL, stream TEXT NOT NULL,
  from_cursor TEXT, to_cursor TEXT NOT NULL, lines INTEGER NOT NULL, acked_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS acked_at ON acked(upstream, acked_at);
-- Quarantined lines the upstream acknowledged on another try: in no stream range, so kept
-- here for the re-send window (quarantined again to go once more after an upstream restart); acked_at steady.
CREATE TABLE IF NOT EXISTS acked_line(
  id INTEGER PRIMARY KEY, upstream TEXT NOT NULL, stream TEXT NOT NULL, line TEXT NOT NULL,
  key TEXT NOT NULL, t INTEGER NOT NULL, record TEXT, acked_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS acked_line_at ON acked_line(upstream, acked_at);
-- Lines refused by the station (origin 'station') or by the upstream ('upstream').
CREATE TABLE IF NOT EXISTS quarantine(
  id INTEGER PRIMARY KEY, upstream TEXT NOT NULL, stream TEXT NOT NULL, origin TEXT NOT NULL,
  line TEXT NOT NULL, reason TEXT NOT NULL, key TEXT NOT NULL, t INTEGER NOT NULL, record TEXT,
  at INTEGER NOT NULL, retry INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS quarantine_upstream ON quarantine(upstream, id);
-- A line is quarantined once per upstream: refused again (a re-send reads it again), its row is found by its point.
CREATE INDEX IF NOT EXISTS quarantine_point ON quarantine(upstream, key, t);
-- Ranges to send again: after an upstream restart (kind 'cursor') or asked by an engineer ('time').
CREATE TABLE IF NOT EXISTS replay(
  id INTEGER PRIMARY KEY, upstream TEXT NOT NULL, stream TEXT NOT NULL, kind TEXT NOT NULL,
  from_pos TEXT, to_pos TEXT NOT NULL, position TEXT, reason TEXT NOT NULL,
  requested_at INTEGER NOT NULL, lines_sent INTEGER NOT NULL DEFAULT 0);
-- start_seen_at: the last probe of the upstream's process (steady).
CREATE TABLE IF NOT EXISTS upstream_state(
  upstream TEXT PRIMARY KEY, paused TEXT, start_time INTEGER, start_seen_at INTEGER,
  sent_lines INTEGER NOT NULL DEFAULT 0, resent_lines INTEGER NOT NULL DEFAULT 0,
  status TEXT, status_at INTEGER) WITHOUT ROWID;
-- After an upstream restart, what it still holds: about once a minute, each stream's watermark
-- cursor and one line acknowledged then (its witness, looked up upstream). Thinned to one an
-- hour after a day, dropped after CHECKPOINT_DAYS (sync-store.ts), by steady_at (CHECKPOINT_COLUMNS);
-- at (wall clock) is what is shown. Ordered by id: the order they were taken in.
CREATE TABLE IF NOT EXISTS checkpoint(
  id INTEGER PRIMARY KEY, upstream TEXT NOT NULL, at INTEGER NOT NULL, cursors TEXT NOT NULL, witness TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS checkpoint_at ON checkpoint(upstream, at);
-- Requests from the CLI to the running station (resume a paused upstream).
CREATE TABLE IF NOT EXISTS request(id INTEGER PRIMARY KEY, upstream TEXT NOT NULL, action TEXT NOT NULL, at INTEGER NOT NULL);
-- Archive data that aged out before it was sent: never silent.
CREATE TABLE IF NOT EXISTS loss(id INTEGER PRIMARY KEY, stream TEXT NOT NULL, detail TEXT NOT NULL, at INTEGER NOT NULL);
-- What each loss of data at the station was about, per upstream: records first..last of a stream
-- numbering without gaps, or a named part (a volume file). A read that finds it again (a batch read
-- again after a station restart, a replay after an upstream restart) reports only what is not here.
CREATE TABLE IF NOT EXISTS loss_hole(
  id INTEGER PRIMARY KEY, upstream TEXT NOT NULL, stream TEXT NOT NULL, first INTEGER, last INTEGER, name TEXT);
CREATE INDEX IF NOT EXISTS loss_hole_of ON loss_hole(upstream, stream, first);
`;

/** Columns of the in-flight record that files written before them lack (NULL there: such a batch is sent again whole). */
const INFLIGHT_COLUMNS = [['max_lines', 'INTEGER'], ['digest', 'TEXT']] as const;
/** The checkpoint's steady time (NULL in files from before it: its wall time `at` stands for it). */
const CHECKPOINT_COLUMNS = [['steady_at', 'INTEGER']] as const;

export function openSyncDb(file: string, readonly = false): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = readonly ? new Database(file, { readonly: true, fileMustExist: true }) : new Database(file);
    db.pragma('busy_timeout = 5000');
    if (readonly) return db;
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(SYNC_DDL);
    const inflight = db.prepare("SELECT name FROM pragma_table_info('inflight')").pluck().all() as string[];
    for (const [name, type] of INFLIGHT_COLUMNS) if (!inflight.includes(name)) db.exec(`ALTER TABLE inflight ADD COLUMN ${name} ${type}`);
    const checkpoint = db.prepare("SELECT name FROM pragma_table_info('checkpoint')").pluck().all() as string[];
    for (const [name, type] of CHECKPOINT_COLUMNS) if (!checkpoint.includes(name)) db.exec(`ALTER TABLE checkpoint ADD COLUMN ${name} ${type}`);
  } catch (err) {
    db?.close();
    throw unreadableFile(file, 'what each upstream has acknowledged', err);
  }
  const format = db.prepare("SELECT value FROM meta WHERE key = 'format'").pluck().get() as string | undefined;
  if (format === undefined) db.prepare("INSERT INTO meta(key, value) VALUES ('format', ?)").run(SYNC_FORMAT);
  else if (format !== SYNC_FORMAT) {
    db.close();
    throw new Error(`${file}: format ${format}, expected ${SYNC_FORMAT}`);
  }
  return db;
}
