/**
 * The data directory holds password hashes, the audit trail, the archive and
 * the OPC UA private keys: readable by the account that runs Vigil only.
 * Created 0700, files 0600 (umask); a directory from an earlier version that
 * others could read is closed, and the log says so.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { StartRefusal } from '../start-refusal.js';

/** What a process of Vigil creates is its own: files 0600, folders 0700. */
export function ownFilesOnly(): void {
  if (process.platform !== 'win32') process.umask(0o077);
}

/**
 * Where secureDataDir says it closed a directory: the station passes its logger (one JSON line),
 * a CLI a plain line on stderr. Only this one call is made.
 */
export interface DataDirReport {
  warn(detail: { dir: string; was: string; now: string }, text: string): void;
}

export function secureDataDir(dir: string, report: DataDirReport): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new StartRefusal(`data directory ${dir}: expected a directory, found a file (give a directory with --data DIR)`);
    if (code === 'ENOTDIR') throw new StartRefusal(`data directory ${dir}: a file is on its path where a directory should be (give a directory with --data DIR)`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new StartRefusal(`data directory ${dir}: cannot be created here (${code}): give a directory this account may write with --data DIR`);
    throw err;
  }
  if (process.platform === 'win32') return; // ACLs, not mode bits: the installer's folder permissions apply
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  chmodSync(dir, mode & 0o700);
  report.warn({ dir, was: mode.toString(8), now: (mode & 0o700).toString(8) }, 'the data directory was open to other users: closed to them');
}
