/**
 * The watched folder: CSV files dropped into <dir>/inbox are imported once
 * stable (size and mtime unchanged for stableMs), then moved to inbox/done/,
 * or to inbox/rejected/ with <name>.report.txt when any line was rejected or
 * the file could not be read (its good lines are imported all the same).
 * Polling, not fs.watch: it behaves the same on every file system, network
 * shares included, and sees files that were there before start.
 *
 * A writer may pause longer than stableMs (a logger between flushes, a stalled copy): a file that
 * changed while it was read stays in the inbox and is imported again once stable; one that changes
 * after it was moved (the writer keeps it open: the move does not stop it) is followed for
 * followMs and imported again where it lies. Imported again, the rows archived already are
 * "already archived as given" (late-filter.ts): only the rest is added. Writers that can should
 * write to a name the inbox leaves alone (IN_PROGRESS: name.csv.tmp, .name.csv) and rename it
 * when complete.
 *
 * The followed files are recorded in <dir>/inbox-following.json (follow-record.ts) whenever they
 * change, before a file is moved: a station restarted (or killed) within a file's follow window
 * goes on following it, and imports what its writer appended meanwhile.
 */
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { basename, dirname, join, extname, relative, sep } from 'node:path';
import { formatReport, importCsvFile, type ImportOptions, type ImportReport, type ImportTarget } from './import.js';
import { RejectionLog } from './rejection-log.js';
import { followRecordPath, readFollowRecord, writeFollowRecord, type FollowEntry } from './follow-record.js';

export interface InboxOptions extends ImportOptions {
  /** How long a file must stay unchanged before it is imported. */
  stableMs?: number;
  pollMs?: number;
  /**
   * How long a file moved to done/ or rejected/ is followed: should it change (its writer still had
   * it open), it is imported again. Default FOLLOW_MS.
   */
  followMs?: number;
  /** Called after each file (imported or rejected). */
  onFile?: (report: ImportReport, movedTo: string) => void;
  /** Called when a poll fails (the next poll retries). Default: a line on stderr. */
  onError?: (err: Error) => void;
  /**
   * What the follow record says at start (a damaged record or entry: ignored; a file that changed
   * while the inbox was not running: imported again), and a record that could not be written.
   * Default: a line on stderr.
   */
  onNote?: (level: 'info' | 'warn', msg: string, fields: Record<string, unknown>) => void;
}

/** Names copy tools and editors use while a file is being written: left alone. */
const IN_PROGRESS = /^\.|~$|\.(part|partial|tmp|crdownload|swp)$/i;

interface Seen {
  size: number;
  mtimeMs: number;
  since: number;
}

/** A moved file still followed: `grew` once it changed after the move (imported again once stable). */
interface Followed extends Seen {
  name: string;
  grew: boolean;
  /** Its size when last imported (follow-record.ts). */
  importedBytes: number;
}

/** Default followMs: a logger between flushes, a copy stalled on a network share. */
export const FOLLOW_MS = 10 * 60_000;

export class Inbox {
  readonly inbox: string;
  readonly done: string;
  readonly rejected: string;
  private readonly seen = new Map<string, Seen>();
  /** Files moved to done/ or rejected/, by path, while followed (followMs). */
  private readonly followed = new Map<string, Followed>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** Entries of the follow record left by the last run, taken up by the first poll (its clock); null once taken. */
  private recorded: FollowEntry[] | null;
  /** The followed set changed since the record was written. */
  private dirty = false;
  private recordFailed = false;

  constructor(private readonly target: ImportTarget, private readonly dir: string, private readonly opts: InboxOptions = {}) {
    this.inbox = join(dir, 'inbox');
    this.done = join(this.inbox, 'done');
    this.rejected = join(this.inbox, 'rejected');
    for (const d of [this.inbox, this.done, this.rejected]) mkdirSync(d, { recursive: true });
    const { entries, problems } = readFollowRecord(dir);
    // A damaged record costs the following of its files, not the start: said, then ignored.
    for (const p of problems) this.note('warn', 'inbox follow record damaged: ignored (files it named are not followed)', { path: p.path, problem: p.problem });
    this.recorded = entries;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.poll()
        .then(() => undefined)
        .catch((e: Error) => (this.opts.onError ?? reportToStderr)(e))
        .finally(() => (this.running = null));
    }, this.opts.pollMs ?? 1000);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /**
   * One pass: imports every file that has been stable for stableMs (oldest
   * first) and returns their reports. `now` is for callers that drive time.
   */
  async poll(now = Date.now()): Promise<ImportReport[]> {
    if (this.recorded !== null) this.resume(this.recorded, now);
    try {
      return await this.pollOnce(now);
    } finally {
      if (this.dirty) this.record();
    }
  }

  private async pollOnce(now: number): Promise<ImportReport[]> {
    const stableMs = this.opts.stableMs ?? 2000;
    const ready: { name: string; size: number; mtimeMs: number }[] = [];
    const present = new Set<string>();
    for (const entry of readdirSync(this.inbox, { withFileTypes: true })) {
      if (!entry.isFile() || IN_PROGRESS.test(entry.name) || entry.name.endsWith('.report.txt')) continue;
      present.add(entry.name);
      const st = statSync(join(this.inbox, entry.name));
      const prev = this.seen.get(entry.name);
      if (!prev || prev.size !== st.size || prev.mtimeMs !== st.mtimeMs) {
        this.seen.set(entry.name, { size: st.size, mtimeMs: st.mtimeMs, since: now });
        if (stableMs > 0) continue;
      } else if (now - prev.since < stableMs) continue;
      ready.push({ name: entry.name, size: st.size, mtimeMs: st.mtimeMs });
    }
    for (const name of this.seen.keys()) if (!present.has(name)) this.seen.delete(name);
    ready.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
    const reports: ImportReport[] = [];
    // The poll's time moved on by as long as its imports took: a change seen after one is dated so.
    const began = Date.now();
    const clock = () => now + (Date.now() - began);
    for (const file of ready) reports.push(await this.importOne(file, clock));
    for (const [path, f] of [...this.followed]) {
      const report = await this.follow(path, f, clock(), stableMs, clock);
      if (report) reports.push(report);
    }
    return reports;
  }

  /** A file stable for stableMs: imported, then moved, unless it changed while it was read (then imported again once stable). */
  private async importOne(file: { name: string; size: number; mtimeMs: number }, clock: () => number): Promise<ImportReport> {
    const { name } = file;
    const path = join(this.inbox, name);
    const report = await this.read(path, name);
    const after = statOf(path);
    if (after === undefined) { // taken away meanwhile: nothing to move
      this.seen.delete(name);
      this.opts.onFile?.(report, path);
      return report;
    }
    const now = clock();
    if (after.size !== file.size || after.mtimeMs !== file.mtimeMs) {
      // Still being written: what was read is archived; the whole file is imported again once stable.
      this.seen.set(name, { size: after.size, mtimeMs: after.mtimeMs, since: now });
      report.changedWhileRead = true;
      this.opts.onFile?.(report, path);
      return report;
    }
    this.seen.delete(name);
    const dest = freeName(failedImport(report) ? this.rejected : this.done, name);
    if (this.followMs() > 0) {
      // Recorded before the move: killed in between, the file is still in the inbox (imported again) and the entry names nothing.
      this.followed.set(dest, { name, size: after.size, mtimeMs: after.mtimeMs, since: now, grew: false, importedBytes: after.size });
      this.record();
    }
    renameSync(path, dest);
    if (failedImport(report)) writeFileSync(`${dest}.report.txt`, formatReport(report));
    this.opts.onFile?.(report, dest);
    return report;
  }

  private followMs(): number {
    return this.opts.followMs ?? FOLLOW_MS;
  }

  private unfollow(path: string): void {
    if (this.followed.delete(path)) this.dirty = true;
  }

  /**
   * The files the last run followed, followed again: where unchanged, as they were (their window
   * goes on from when they last changed); where changed since (the writer went on while no inbox
   * ran, or in the moment before a kill), as grown: imported again once stable. Gone: forgotten.
   */
  private resume(entries: FollowEntry[], now: number): void {
    this.recorded = null;
    for (const e of entries) {
      const path = join(this.inbox, ...e.file.split('/'));
      if (this.followed.has(path)) continue;
      const st = statOf(path);
      if (st === undefined) continue;
      const f: Followed = { name: e.name, size: e.size, mtimeMs: e.mtimeMs, since: e.since, grew: e.grew, importedBytes: e.importedBytes };
      if (st.size !== e.size || st.mtimeMs !== e.mtimeMs) {
        Object.assign(f, { size: st.size, mtimeMs: st.mtimeMs, since: now, grew: true });
        this.note('info', 'inbox file changed while it was not followed: imported again once stable', { file: path, importedBytes: e.importedBytes, bytes: st.size });
      }
      this.followed.set(path, f);
    }
    if (entries.length > 0) this.dirty = true; // rewritten without the files gone meanwhile
  }

  /** Writes the follow record now. A failure is said once (a restart then forgets what it missed), never fails an import. */
  private record(): void {
    const entries: FollowEntry[] = [...this.followed].map(([path, f]) => ({
      file: relative(this.inbox, path).split(sep).join('/'),
      name: f.name, importedBytes: f.importedBytes, size: f.size, mtimeMs: f.mtimeMs, since: f.since, until: f.since + this.followMs(), grew: f.grew,
    }));
    try {
      writeFollowRecord(this.dir, entries);
      this.dirty = false;
      if (this.recordFailed) this.note('info', 'inbox follow record written again', { path: followRecordPath(this.dir) });
      this.recordFailed = false;
    } catch (e) {
      if (!this.recordFailed) this.note('warn', 'could not write the inbox follow record (a restart now forgets files it follows)', { path: followRecordPath(this.dir), error: (e as Error).message });
      this.recordFailed = true;
    }
  }

  private note(level: 'info' | 'warn', msg: string, fields: Record<string, unknown>): void {
    if (this.opts.onNote) this.opts.onNote(level, msg, fields);
    else process.stderr.write(`inbox: ${msg} ${JSON.stringify(fields)}\n`);
  }

  /**
   * A moved file still followed: once it changed (its writer still had it open) and is stable
   * again, imported again where it lies (to rejected/ with its report if lines are rejected now).
   * Forgotten when unchanged for followMs, or gone.
   */
  private async follow(path: string, f: Followed, now: number, stableMs: number, clock: () => number): Promise<ImportReport | undefined> {
    const st = statOf(path);
    if (st === undefined) {
      this.unfollow(path);
      return undefined;
    }
    if (st.size !== f.size || st.mtimeMs !== f.mtimeMs) {
      Object.assign(f, { size: st.size, mtimeMs: st.mtimeMs, since: now, grew: true });
      this.dirty = true;
      return undefined;
    }
    if (!f.grew) {
      if (now - f.since >= this.followMs()) this.unfollow(path);
      return undefined;
    }
    if (now - f.since < stableMs) return undefined;
    const report = await this.read(path, f.name);
    report.grewAfterImport = true;
    const after = statOf(path);
    if (after === undefined) { // taken away meanwhile
      this.unfollow(path);
      this.opts.onFile?.(report, path);
      return report;
    }
    if (after.size !== st.size || after.mtimeMs !== st.mtimeMs) {
      Object.assign(f, { size: after.size, mtimeMs: after.mtimeMs, since: clock() });
      this.dirty = true;
      report.changedWhileRead = true;
      this.opts.onFile?.(report, path);
      return report;
    }
    Object.assign(f, { since: clock(), grew: false, importedBytes: st.size });
    this.dirty = true;
    let dest = path;
    if (failedImport(report)) {
      if (dirname(path) !== this.rejected) {
        dest = freeName(this.rejected, basename(path));
        // Both recorded across the move: killed in between, the one that exists is followed.
        this.followed.set(dest, f);
        this.record();
        renameSync(path, dest);
        this.unfollow(path);
      }
      writeFileSync(`${dest}.report.txt`, formatReport(report));
    }
    this.opts.onFile?.(report, dest);
    return report;
  }

  /** A file's import report; a file not .csv, or one the archive refused, as a report with its fileError. */
  private async read(path: string, name: string): Promise<ImportReport> {
    if (extname(name).toLowerCase() !== '.csv') {
      return { file: name, imported: 0, appended: 0, inserted: 0, unchanged: 0, replaced: 0, createdTags: [], rejections: new RejectionLog(), fileError: `${name}: expected a .csv file` };
    }
    try {
      return await importCsvFile(this.target, path, { ...this.opts, displayName: name });
    } catch (e) {
      // The archive refused (not the file's fault, e.g. a detached volume): park the file with the
      // reason rather than retry it every poll. Rows before the failure may be archived already.
      return { file: name, imported: 0, appended: 0, inserted: 0, unchanged: 0, replaced: 0, createdTags: [], rejections: new RejectionLog(),
        fileError: `${name}: import failed, rows before the failure may be archived: ${(e as Error).message}` };
    }
  }
}

const failedImport = (r: ImportReport): boolean => r.fileError !== undefined || r.rejections.count > 0;

/** Size and mtime, or undefined when the file is gone. */
function statOf(path: string): { size: number; mtimeMs: number } | undefined {
  try {
    const st = statSync(path);
    return { size: st.size, mtimeMs: st.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

const reportToStderr = (e: Error): void => {
  process.stderr.write(`inbox: ${e.message}\n`);
};

/** dir/name, or dir/name-<n>.ext when a file of that name was already moved there. */
function freeName(dir: string, name: string): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let candidate = join(dir, name);
  for (let n = 1; existsSync(candidate); n++) candidate = join(dir, `${stem}-${n}${ext}`);
  return candidate;
}
