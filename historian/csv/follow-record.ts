/**
 * The inbox's followed files (watch.ts), kept on disk (<dir>/inbox-following.json) so a restart
 * within a file's follow window goes on following it: rows its writer appended after the station
 * stopped (or was killed) are imported, not silently left in done/. Written beside and renamed
 * (fsync'd first): a crash leaves the old record or the new one, never half of one. Outside the
 * inbox folder, so no poll ever takes it for a file to import.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';

/** One followed file, as recorded. */
export interface FollowEntry {
  /** Where it lies, relative to the inbox folder: done/<name> or rejected/<name>. */
  file: string;
  /** Its name when it was dropped into the inbox (its reports say so). */
  name: string;
  /** Bytes it held when last imported: what is archived of it (its rows up to there). */
  importedBytes: number;
  /** Size and mtime when last seen by a poll: a change since says its writer went on. */
  size: number;
  mtimeMs: number;
  /** When that change (or the import) was seen, ms since epoch: followed until `until` unless it changes again. */
  since: number;
  until: number;
  /** It changed after its last import: imported again once stable. */
  grew: boolean;
}

export const FOLLOW_RECORD = 'inbox-following.json';
const VERSION = 1;

export const followRecordPath = (dir: string): string => join(dir, FOLLOW_RECORD);

/** What a damaged record or entry is (for the log): ignored, never a failed start. */
export interface FollowRecordProblem {
  path: string;
  problem: string;
}

/**
 * The recorded entries; [] when there is none. A record that cannot be read or parsed is a problem
 * and no entry; an entry not shaped as FollowEntry (or pointing outside done/ and rejected/) is a
 * problem and skipped, the others kept.
 */
export function readFollowRecord(dir: string): { entries: FollowEntry[]; problems: FollowRecordProblem[] } {
  const path = followRecordPath(dir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], problems: [] };
    return { entries: [], problems: [{ path, problem: `unreadable: ${(e as Error).message}` }] };
  }
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    record = undefined;
  }
  const followed = (record as { version?: unknown; followed?: unknown } | null)?.followed;
  if (typeof record !== 'object' || record === null || (record as { version?: unknown }).version !== VERSION || !Array.isArray(followed)) {
    return { entries: [], problems: [{ path, problem: `damaged: expected {"version": ${VERSION}, "followed": [...]} (${text.length} bytes)` }] };
  }
  const entries: FollowEntry[] = [];
  const problems: FollowRecordProblem[] = [];
  followed.forEach((e: unknown, i) => {
    const why = entryProblem(e);
    if (why === null) entries.push(e as FollowEntry);
    else problems.push({ path, problem: `entry ${i + 1} skipped: ${why}` });
  });
  return { entries, problems };
}

const NUMBERS = ['importedBytes', 'size', 'mtimeMs', 'since', 'until'] as const;

function entryProblem(e: unknown): string | null {
  if (typeof e !== 'object' || e === null) return 'expected an object';
  const o = e as Record<string, unknown>;
  if (typeof o.file !== 'string' || !insideDoneOrRejected(o.file)) return 'field "file": expected done/<name> or rejected/<name>';
  if (typeof o.name !== 'string' || o.name === '') return 'field "name": expected a file name';
  for (const k of NUMBERS) if (typeof o[k] !== 'number' || !Number.isFinite(o[k])) return `field "${k}": expected a number`;
  if (typeof o.grew !== 'boolean') return 'field "grew": expected true or false';
  return null;
}

function insideDoneOrRejected(file: string): boolean {
  if (isAbsolute(file)) return false;
  const parts = normalize(file).split(sep);
  return parts.length === 2 && (parts[0] === 'done' || parts[0] === 'rejected') && parts[1] !== '..' && parts[1] !== '';
}

/** Replaces the record whole: written beside, fsync'd, renamed. */
export function writeFollowRecord(dir: string, entries: readonly FollowEntry[]): void {
  const path = followRecordPath(dir);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, JSON.stringify({ version: VERSION, followed: entries }));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
