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
-- the most lines it was read with, a digest of its lines, and how many copies the upstream may
-- hold of its unsettled lines (uncertain: JSON runs [from, to, tries], deliver/uncertain.ts; NULL:
-- the sending lines once) (INFLIGHT_COLUMNS: added to files from before them).
CREATE TABLE IF NOT EXISTS inflight(
  upstream TEXT PRIMARY KEY, lane TEXT NOT NULL, stream TEXT NOT NULL,
  from_cursor TEXT, to_cursor TEXT, settled INTEGER NOT NULL, sending INTEGER NOT NULL,
  started_at INTEGER NOT NULL, max_lines INTEGER, digest TEXT, uncertain TEXT) WITHOUT ROWID;
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
-- past_retention: lines of an engineer's range the upstream refused as past its retention so far
-- (said to them with the total; REPLAY_COLUMNS).
CREATE TABLE IF NOT EXISTS replay(
  id INTEGER PRIMARY KEY, upstream TEXT NOT NULL, stream TEXT NOT NULL, kind TEXT NOT NULL,
  from_pos TEXT, to_pos TEXT NOT NULL, position TEXT, reason TEXT NOT NULL,
  requested_at INTEGER NOT NULL, lines_sent INTEGER NOT NULL DEFAULT 0, past_retention INTEGER NOT NULL DEFAULT 0);
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
-- Data missing upstream (aged out of the archive unsent, or lost by an upstream that had acknowledged
-- it): never silent. detail: the English text (log, CLI); upstream and text (a catalog message, JSON:
-- sync/text.ts) are NULL in rows from before them (LOSS_COLUMNS), which show their detail as it is.
CREATE TABLE IF NOT EXISTS loss(id INTEGER PRIMARY KEY, stream TEXT NOT NULL, detail TEXT NOT NULL, at INTEGER NOT NULL);
-- What each loss of data at the station was about, per upstream: records first..last of a stream
-- numbering without gaps, or a named part (a volume file). A read that finds it again (a batch read
-- again after a station restart, a replay after an upstream restart) reports only what is not here.
CREATE TABLE IF NOT EXISTS loss_hole(
  id INTEGER PRIMARY KEY, upstream TEXT NOT NULL, stream TEXT NOT NULL, first INTEGER, last INTEGER, name TEXT);
CREATE INDEX IF NOT EXISTS loss_hole_of ON loss_hole(upstream, stream, first);
-- The current run of single lines an upstream refused with none accepted between (deliver/sender.ts
-- REFUSAL_LIMIT): kept across a station restart, so a run that goes on after it still pauses the
-- upstream, and the lines quarantined before the restart go again with the rest of the run.
CREATE TABLE IF NOT EXISTS refusal_run(
  id INTEGER PRIMARY KEY, upstream TEXT NOT NULL, key TEXT NOT NULL, t INTEGER NOT NULL, line TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS refusal_run_of ON refusal_run(upstream, id);
-- Per upstream and stream, cursors a read found nothing after, and when that read began (the
-- newest few, by id): what waits after such a cursor was written later. The change log's write
-- times are per minute; kept here, a backlog's age is as right after a station restart as before.
CREATE TABLE IF NOT EXISTS caught_up(
  id INTEGER PRIMARY KEY, upstream TEXT NOT NULL, stream TEXT NOT NULL, cursor TEXT NOT NULL, at INTEGER NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS caught_up_of ON caught_up(upstream, stream, cursor);
`;

/** Columns of the in-flight record that files written before them lack (NULL there: such a batch is sent again whole). */
const INFLIGHT_COLUMNS = [['max_lines', 'INTEGER'], ['digest', 'TEXT'], ['uncertain', 'TEXT']] as const;
/** Lines of a re-send refused as past the upstream's retention (0 in files from before it: counted from there on). */
const REPLAY_COLUMNS = [['past_retention', 'INTEGER NOT NULL DEFAULT 0']] as const;
/** The checkpoint's steady time (NULL in files from before it: its wall time `at` stands for it). */
const CHECKPOINT_COLUMNS = [['steady_at', 'INTEGER']] as const;
/** Which upstream a loss was reported to, and its catalog message (NULL in rows from before them). */
export const LOSS_COLUMNS = [['upstream', 'TEXT'], ['text', 'TEXT']] as const;
/**
 * A quarantined line an engineer has seen: 1 once a retry of its upstream was asked (the Sync page,
 * the CLI). A line quarantined since is a sync alarm (status.ts alarmOf); 0 in files from before it,
 * whose lines were never alarmed. A row id cannot say it: an emptied quarantine gives its ids again.
 * `said`: the reason as a catalog message (JSON, shared/sync-text.ts) where the station words it, for
 * the console's language; NULL where the reason is the upstream's own words, and in rows from before it.
 */
const QUARANTINE_COLUMNS = [['seen', 'INTEGER NOT NULL DEFAULT 0'], ['said', 'TEXT']] as const;
/**
 * pending_check: a check after an upstream restart that could not be made yet (JSON: when the old
 * process was last seen (steady), the new one's start, how many tries; deliver/restart-check.ts).
 * Kept across a station restart: the start time is stored at once, so a station restarted meanwhile
 * saw no restart to check, and a possible loss was never reported. NULL in files from before it.
 */
const UPSTREAM_STATE_COLUMNS = [['pending_check', 'TEXT']] as const;

/**
 * The schema's version (PRAGMA user_version): each migration runs once, in a transaction with the
 * version it brings the file to, so a kill in the middle leaves the file as it was.
 */
export const SYNC_SCHEMA_VERSION = 1;

const MIGRATIONS: { version: number; run: (db: Database.Database) => void }[] = [
  // Before quarantine_point, a line refused again (each re-send after an upstream restart read it
  // again) got a row each time: one row per line, as addQuarantine keeps them now. The first row
  // stays (its id keeps the line's place in the list; its origin and record are the line's); it takes
  // the newest refusal's reason and time, as a refusal again gives the kept row, and a retry pending
  // on any copy, so a line marked to go again still goes.
  {
    version: 1,
    run: (db) => db.exec(`
      CREATE TEMP TABLE quarantine_kept AS
        SELECT min(id) AS id, max(retry) AS retry,
          (SELECT n.id FROM quarantine n WHERE n.upstream = q.upstream AND n.stream = q.stream AND n.key = q.key AND n.t = q.t AND n.line = q.line
             ORDER BY n.at DESC, n.id DESC LIMIT 1) AS newest
        FROM quarantine q GROUP BY upstream, stream, key, t, line HAVING count(*) > 1;
      UPDATE quarantine SET
        reason = (SELECT n.reason FROM quarantine_kept k JOIN quarantine n ON n.id = k.newest WHERE k.id = quarantine.id),
        at = (SELECT n.at FROM quarantine_kept k JOIN quarantine n ON n.id = k.newest WHERE k.id = quarantine.id),
        retry = (SELECT k.retry FROM quarantine_kept k WHERE k.id = quarantine.id)
        WHERE id IN (SELECT id FROM quarantine_kept);
      DELETE FROM quarantine WHERE id NOT IN (SELECT id FROM quarantine_kept) AND EXISTS (
        SELECT 1 FROM quarantine_kept k JOIN quarantine f ON f.id = k.id
        WHERE f.upstream = quarantine.upstream AND f.stream = quarantine.stream AND f.key = quarantine.key AND f.t = quarantine.t AND f.line = quarantine.line);
      DROP TABLE quarantine_kept;`),
  },
];

/** Brings a file to SYNC_SCHEMA_VERSION; a file from a newer station is refused, not rewritten. */
function migrate(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SYNC_SCHEMA_VERSION) throw new Error(`${file}: schema version ${version}, this station knows up to ${SYNC_SCHEMA_VERSION} (written by a newer station)`);
  for (const m of MIGRATIONS) {
    if (m.version <= version) continue;
    db.transaction(() => {
      m.run(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

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
    const replay = db.prepare("SELECT name FROM pragma_table_info('replay')").pluck().all() as string[];
    for (const [name, type] of REPLAY_COLUMNS) if (!replay.includes(name)) db.exec(`ALTER TABLE replay ADD COLUMN ${name} ${type}`);
    const checkpoint = db.prepare("SELECT name FROM pragma_table_info('checkpoint')").pluck().all() as string[];
    for (const [name, type] of CHECKPOINT_COLUMNS) if (!checkpoint.includes(name)) db.exec(`ALTER TABLE checkpoint ADD COLUMN ${name} ${type}`);
    const loss = db.prepare("SELECT name FROM pragma_table_info('loss')").pluck().all() as string[];
    for (const [name, type] of LOSS_COLUMNS) if (!loss.includes(name)) db.exec(`ALTER TABLE loss ADD COLUMN ${name} ${type}`);
    const state = db.prepare("SELECT name FROM pragma_table_info('upstream_state')").pluck().all() as string[];
    for (const [name, type] of UPSTREAM_STATE_COLUMNS) if (!state.includes(name)) db.exec(`ALTER TABLE upstream_state ADD COLUMN ${name} ${type}`);
    const quarantine = db.prepare("SELECT name FROM pragma_table_info('quarantine')").pluck().all() as string[];
    for (const [name, type] of QUARANTINE_COLUMNS) if (!quarantine.includes(name)) db.exec(`ALTER TABLE quarantine ADD COLUMN ${name} ${type}`);
    // The lines a quarantine alarm is about, looked up at each status (a whole quarantine is not read for them).
    db.exec('CREATE INDEX IF NOT EXISTS quarantine_unseen ON quarantine(upstream, id) WHERE seen = 0 AND retry = 0');
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
  try {
    migrate(db, file);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
