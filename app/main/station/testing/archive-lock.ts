/**
 * Holds the write lock of an archive's volume from a connection of its own (BEGIN IMMEDIATE): the
 * station's commits then fail past their busy timeout as on a full disk, without a full disk.
 * Closing the returned connection rolls its transaction back and frees the lock.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export function lockArchiveVolume(archiveDir: string): Database.Database {
  const volumes = join(archiveDir, 'volumes');
  const file = readdirSync(volumes).find((f) => f.endsWith('.sqlite'));
  if (file === undefined) throw new Error(`no volume in ${volumes} to lock yet`);
  const db = new Database(join(volumes, file));
  db.exec('BEGIN IMMEDIATE');
  return db;
}
