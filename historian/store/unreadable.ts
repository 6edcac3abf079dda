/**
 * Files of the archive that cannot be read: a volume file that is damaged (truncated, overwritten)
 * or missing, and the catalog. The one place that recognises them and words what is wrong and
 * what to do. A past volume that cannot be read is left out (readers skip it, the writer writes
 * elsewhere); its file is never written, repaired or removed: an investigation may need it.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { VolumeInfo } from './catalog.js';
import { openReadOnly } from './connections.js';

export interface VolumeProblem {
  /** The volume's file name (what the `volumes` commands take). */
  volume: string;
  /** The file's full path. */
  path: string;
  /** SQLite's reason, or that the file is missing. */
  reason: string;
  /** The whole message: the file, the reason and what to do. */
  message: string;
  /** The volume's period [start, end) in ms: the times whose data reads leave out. */
  start: number;
  end: number;
  /**
   * What `reason` and `message` say, as facts, for a caller that words them itself (the sync, in
   * the console's language): the file is missing (else `reason` is SQLite's), which advice the
   * message gives (the volume being written, a detached one, a past one), and the data folder it names.
   * Set by VolumeUnreadableError: a problem made elsewhere may lack them (the caller then says `message`).
   */
  missing?: boolean;
  advice?: 'present' | 'detached' | 'past';
  dataDir?: string;
}

/** SQLite says the file is no (longer a) good database. */
export function isDamage(err: unknown): boolean {
  if (err instanceof VolumeUnreadableError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'));
}

/** 'missing', or the SQLite error that says the file is damaged. */
export type Cause = 'missing' | unknown;

function reasonOf(path: string, cause: Cause): string {
  if (cause === 'missing') return 'the file is missing';
  const e = cause as Error & { code?: string };
  // inFile() put the path in front already: it is in the message once.
  const text = e.message.startsWith(`${path}: `) ? e.message.slice(path.length + 2) : e.message;
  return e.code ? `${text} (${e.code})` : text;
}

const iso = (t: number) => new Date(t).toISOString();

export class VolumeUnreadableError extends Error {
  readonly code = 'VOLUME_UNREADABLE';
  readonly problem: VolumeProblem;

  /** `present`: the volume of the period being written (its end is after now). */
  constructor(v: VolumeInfo, path: string, cause: Cause, present: boolean) {
    const reason = reasonOf(path, cause);
    const advice = present ? 'present' : v.state === 'detached' ? 'detached' : 'past';
    const todo = present
      ? `It is the volume being written (its period ends ${iso(v.end)}): the archive cannot write without it; the file is left as it is. ` +
        'Restore it from a backup.'
      : v.state === 'detached'
        ? 'It is detached; the file is left as it is. Restore it from a backup before attaching it again.'
        : `Reads leave out its data (${iso(v.start)} to ${iso(v.end)}) and nothing is written to it; the file is left as it is. ` +
          `Restore it from a backup, or take it out of the archive: npm run historian -- volumes detach ${v.file} --data ${dirname(dirname(path))}`;
    const message = `volume ${v.file} cannot be read: ${path}: ${reason}. ${todo}`;
    super(message, cause === 'missing' ? undefined : { cause });
    this.problem = { volume: v.file, path, reason, message, start: v.start, end: v.end, missing: cause === 'missing', advice, dataDir: dirname(dirname(path)) };
  }
}

/**
 * Why a volume file cannot be read: missing, or what SQLite says when its schema and meta are
 * read (a truncated file fails here: SQLite compares its size with the header's). Null when it
 * reads; damage deeper in a large file shows when its pages are read. Read-only: the file and
 * its folder stay as they were. Other failures (permissions) are left to the open that follows.
 */
export function fileProblem(path: string): Cause | null {
  if (!existsSync(path)) return 'missing';
  let db: ReturnType<typeof openReadOnly> | undefined;
  try {
    db = openReadOnly(path);
    db.prepare('SELECT key, value FROM meta').all();
    return null;
  } catch (err) {
    return isDamage(err) ? err : null;
  } finally {
    db?.close();
  }
}

/** The problem of a listed volume's file (read-only), or null. */
export function checkVolume(path: string, v: VolumeInfo, now: number): VolumeProblem | null {
  const cause = fileProblem(path);
  return cause === null ? null : new VolumeUnreadableError(v, path, cause, v.state === 'attached' && v.end > now).problem;
}

/** A damaged catalog, named with what to do; any other error as it is. */
export function catalogError(path: string, err: unknown): unknown {
  if (!isDamage(err)) return err;
  return new Error(`${path}: ${reasonOf(path, err)}. The catalog (tags, their versions, the list of volumes) cannot be read, so the ` +
    'archive cannot be opened. Restore catalog.sqlite from a backup; the volume files are left as they are.', { cause: err });
}
