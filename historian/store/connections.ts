/**
 * How the archive's SQLite files are opened and closed: a writer in WAL mode with
 * synchronous=FULL, readers that never leave files behind.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';

/**
 * How a file the writer creates is laid out. Set before anything else: once a file is in WAL
 * mode (or has a table) SQLite keeps its page size and auto_vacuum setting without a word.
 */
export interface NewFileLayout {
  pageSize: number;
  /** Pages freed later (segments of sealed blocks) can go back to the file system at close. */
  incrementalVacuum?: boolean;
}

const WAL_CHECKPOINT_BYTES = 1 << 20;

export function openWritable(file: string, layout?: NewFileLayout): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (err) {
    throw inFile(file, err);
  }
  try {
    db.pragma('busy_timeout = 5000'); // first: switching to WAL waits for a reader to finish
    if (layout && (db.pragma('page_count', { simple: true }) as number) === 0) {
      db.pragma(`page_size = ${layout.pageSize}`);
      if (layout.incrementalVacuum) db.pragma('auto_vacuum = INCREMENTAL');
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // A checkpoint (and its fsync) per MB of WAL whatever the page size: SQLite's default of 1000
    // pages made small-page volumes checkpoint twice as often.
    db.pragma(`wal_autocheckpoint = ${Math.ceil(WAL_CHECKPOINT_BYTES / (db.pragma('page_size', { simple: true }) as number))}`);
  } catch (err) {
    db.close();
    throw inFile(file, err);
  }
  return db;
}

/**
 * An error of a file's connection with the file's name in front (SQLite names none: "attempt to
 * write a readonly database"), and what to do when the file cannot be written. Its code is kept.
 */
export function inFile(file: string, err: unknown): Error {
  const e = err as Error & { code?: string };
  if (!(e instanceof Error) || e.message.startsWith(`${file}:`)) return e;
  const readOnly = e.code?.startsWith('SQLITE_READONLY') || e.code === 'EACCES' || e.code === 'EROFS' || e.code === 'EPERM';
  const hint = readOnly ? ' (the file cannot be written: give the user that runs the historian write permission on it and its folder)' : '';
  const named = Object.assign(new Error(`${file}: ${e.message}${hint}`, { cause: e }), { code: e.code });
  return named;
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
    // Pages freed meanwhile (segments of sealed blocks) go back to the file system, where the
    // file was made with auto_vacuum = INCREMENTAL (volumes); elsewhere this does nothing.
    db.pragma('incremental_vacuum');
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

