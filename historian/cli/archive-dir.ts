/**
 * What the CLI's --data names, checked before anything opens it: an archive (catalog.sqlite), a
 * place for a new one, or a mistake. A Vigil station's data directory holds its archive in
 * `archive/`: an import there would have made a second archive the station never reads, and
 * the engineer would believe the gap filled.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from './args.js';

/** Files that only a station's data directory holds (beside its `archive/`). */
const STATION_FILES = ['accounts.sqlite', 'audit.sqlite', 'alarms.sqlite', 'sync.sqlite'];

const hasCatalog = (dir: string): boolean => existsSync(join(dir, 'catalog.sqlite'));

function stationDataDir(dir: string): boolean {
  return hasCatalog(join(dir, 'archive')) || STATION_FILES.some((f) => existsSync(join(dir, f)));
}

/** Throws unless dir holds an archive (reading commands: a typo must not answer "no data"). */
export function requireArchive(dir: string | undefined): string {
  if (dir === undefined) throw new UsageError('--data <dir>: required (the archive directory)');
  if (hasCatalog(dir)) return dir;
  if (stationDataDir(dir)) throw stationError(dir);
  throw new Error(`${dir}: no historian archive here (no catalog.sqlite)`);
}

/** The archive in dir, or a new one made there (0700: process data is the site's alone). */
export function archiveForWriting(dir: string | undefined): string {
  if (dir === undefined) throw new UsageError('--data <dir>: required (the archive directory)');
  ownFilesOnly();
  if (hasCatalog(dir)) return dir;
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new Error(`${dir}: not a directory (--data names the archive's directory)`);
  if (stationDataDir(dir)) throw stationError(dir);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || code === 'EEXIST') throw new Error(`${dir}: cannot be made: a file is in its path (${fileOnPath(dir)})`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new Error(`${dir}: cannot be made: no permission to write in ${dirname(dir)}`);
    throw err;
  }
  return dir;
}

/**
 * What a writing command creates is the site's alone, as the station's (app/main/station/data-dir.ts
 * ownFilesOnly): files 0600, folders 0700 (volumes/ and the volume files included), whatever the shell's umask.
 */
function ownFilesOnly(): void {
  if (process.platform !== 'win32') process.umask(0o077);
}

function stationError(dir: string): Error {
  return new Error(`${dir}: a Vigil station's data directory, not an archive: its archive is ${join(dir, 'archive')} (give --data ${join(dir, 'archive')})`);
}

/** The first path component that is a file, for the message. */
function fileOnPath(dir: string): string {
  let at = dir;
  for (let up = dirname(at); up !== at; at = up, up = dirname(at)) {
    if (existsSync(up) && !statSync(up).isDirectory()) return up;
  }
  return dir;
}
