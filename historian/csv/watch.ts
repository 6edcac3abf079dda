/**
 * The watched folder: CSV files dropped into <dir>/inbox are imported once
 * stable (size and mtime unchanged for stableMs), then moved to inbox/done/,
 * or to inbox/rejected/ with <name>.report.txt when any line was rejected or
 * the file could not be read (its good lines are imported all the same).
 * Polling, not fs.watch: it behaves the same on every file system, network
 * shares included, and sees files that were there before start.
 */
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, extname } from 'node:path';
import { formatReport, importCsvFile, type ImportOptions, type ImportReport, type ImportTarget } from './import.js';
import { RejectionLog } from './rejection-log.js';

export interface InboxOptions extends ImportOptions {
  /** How long a file must stay unchanged before it is imported. */
  stableMs?: number;
  pollMs?: number;
  /** Called after each file (imported or rejected). */
  onFile?: (report: ImportReport, movedTo: string) => void;
  /** Called when a poll fails (the next poll retries). Default: a line on stderr. */
  onError?: (err: Error) => void;
}

/** Names copy tools and editors use while a file is being written: left alone. */
const IN_PROGRESS = /^\.|~$|\.(part|partial|tmp|crdownload|swp)$/i;

interface Seen {
  size: number;
  mtimeMs: number;
  since: number;
}

export class Inbox {
  readonly inbox: string;
  readonly done: string;
  readonly rejected: string;
  private readonly seen = new Map<string, Seen>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly target: ImportTarget, dir: string, private readonly opts: InboxOptions = {}) {
    this.inbox = join(dir, 'inbox');
    this.done = join(this.inbox, 'done');
    this.rejected = join(this.inbox, 'rejected');
    for (const d of [this.inbox, this.done, this.rejected]) mkdirSync(d, { recursive: true });
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
    const stableMs = this.opts.stableMs ?? 2000;
    const ready: { name: string; mtimeMs: number }[] = [];
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
      ready.push({ name: entry.name, mtimeMs: st.mtimeMs });
    }
    for (const name of this.seen.keys()) if (!present.has(name)) this.seen.delete(name);
    ready.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
    const reports: ImportReport[] = [];
    for (const { name } of ready) {
      reports.push(await this.importOne(name));
      this.seen.delete(name);
    }
    return reports;
  }

  private async importOne(name: string): Promise<ImportReport> {
    const path = join(this.inbox, name);
    let report: ImportReport;
    if (extname(name).toLowerCase() !== '.csv') {
      report = { file: name, imported: 0, appended: 0, inserted: 0, unchanged: 0, replaced: 0, createdTags: [], rejections: new RejectionLog(), fileError: `${name}: expected a .csv file` };
    } else {
      try {
        report = await importCsvFile(this.target, path, this.opts);
      } catch (e) {
        // The archive refused (not the file's fault, e.g. a detached volume): park the file with the
        // reason rather than retry it every poll. Rows before the failure may be archived already.
        report = { file: name, imported: 0, appended: 0, inserted: 0, unchanged: 0, replaced: 0, createdTags: [], rejections: new RejectionLog(),
          fileError: `${name}: import failed, rows before the failure may be archived: ${(e as Error).message}` };
      }
    }
    const failed = report.fileError !== undefined || report.rejections.count > 0;
    const destDir = failed ? this.rejected : this.done;
    const dest = freeName(destDir, name);
    renameSync(path, dest);
    if (failed) writeFileSync(`${dest}.report.txt`, formatReport(report));
    this.opts.onFile?.(report, dest);
    return report;
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
