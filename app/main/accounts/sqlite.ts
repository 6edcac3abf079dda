/**
 * How the accounts and audit files are opened: WAL so a CLI can work beside
 * a running station, synchronous=FULL so a committed entry survives a power
 * cut (the audit entry of an action is on disk before its answer returns),
 * and on close a checkpoint that folds the WAL back into the file, so the
 * data directory holds one file per store when the station is down.
 */
import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openReadOnly } from '../../../historian/store/connections.js';

export type Db = Database.Database;

/** What each store holds, for the message about an emptied one. */
export type StoreKind = 'the accounts' | 'the audit trail';

/** A store file that cannot be used, named, with what to do: the CLIs print its message alone. */
export class StoreFileError extends Error {}

// SQLite takes an empty file as a new database: an audit trail or the accounts truncated to 0 bytes
// would start again silently (no accounts offers "create the first administrator" to the local console).
function refuseEmptied(file: string, holds: StoreKind): void {
  if (existsSync(file) && statSync(file).size === 0 && !(existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0)) {
    throw new StoreFileError(`${file}: the file is empty (0 bytes); it held ${holds}. Restore it from a backup, or, to start ${holds} anew, remove it`);
  }
}

export function openStore(file: string, schema: string, holds: StoreKind): Db {
  refuseEmptied(file, holds);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.exec(schema);
  } catch (err) {
    db.close();
    throw new StoreFileError(`${file}: ${(err as Error).message}`, { cause: err });
  }
  return db;
}

/**
 * For commands that only read (audit verify, export): nothing is created or changed, not even the schema,
 * and no -wal or -shm is left beside a file the station has closed (the historian's read-only open).
 */
export function openStoreReadOnly(file: string, holds: StoreKind): Db {
  refuseEmptied(file, holds); // else it reads as a trail with no table ("no such table: audit")
  return openReadOnly(file);
}

/** Folds the WAL into the file and closes; SQLite then removes -wal and -shm unless another process still has the file open. */
export function closeStore(db: Db): void {
  if (!db.open) return;
  if (!db.readonly) db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
