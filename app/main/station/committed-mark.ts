/**
 * What the archive has durably committed, kept beside it (<data>/archive/committed.json) and
 * written after each commit its thread paces: `at`, when the newest committed write() batch was
 * handed over (station clock: everything received before it is on disk), and per tag the newest
 * sample time committed. After a crash (server-link.ts resumeGaps) the loss starts there and each
 * tag's history is read from its own newest committed value: what the station received and never
 * committed (the last second; minutes while the disk was full) comes back from the server.
 *
 * Written light: committed.json is a snapshot of every tag (the format a reader before the log
 * reads), and each commit after it appends one line to committed.log with the new `at` and only
 * the tags whose time moved, synced: a commit of one tag of 10,000 writes that tag, not 350 KB.
 * The log is folded into a new snapshot (written beside, synced, renamed; then the log emptied)
 * once it is as big as 4 snapshots, when a commit moves most tags (a snapshot is then no bigger),
 * at a writer's first write and after a failed one. Every field only moves forward, so the mark
 * is the snapshot with each line laid over it by max: a log older than its snapshot (a crash
 * between the rename and the emptying) changes nothing, and a last line cut short by a crash was
 * never synced (its commit's mark was not durable yet): left out, the mark is the one before it.
 */
import { readFileSync, renameSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log.js';

export interface CommittedMark {
  at: number;
  tags: Record<string, number>;
}

export const committedMarkPath = (dataDir: string): string => join(dataDir, 'archive', 'committed.json');
/** The commits since the snapshot: one JSON line each, {"at": <ms>, "tags": {<moved tags>}}. */
export const committedLogPath = (dataDir: string): string => join(dataDir, 'archive', 'committed.log');

const DAMAGED = 'archive commit mark damaged (expected {"at": <ms>, "tags": {...}}): a crash gap starts at the last heartbeat';

const isMark = (m: unknown): m is CommittedMark => {
  const o = m as Partial<CommittedMark> | null;
  return typeof o === 'object' && o !== null && typeof o.at === 'number' && typeof o.tags === 'object' && o.tags !== null && !Array.isArray(o.tags) &&
    Object.values(o.tags).every((t) => typeof t === 'number');
};

/** `line`'s at and tags laid over the mark: each only moves forward. */
function layOver(mark: CommittedMark, line: CommittedMark): void {
  if (line.at > mark.at) mark.at = line.at;
  for (const [tag, t] of Object.entries(line.tags)) if (t > (mark.tags[tag] ?? -Infinity)) mark.tags[tag] = t;
}

/** Reads a file's text; null when it does not exist. */
function textOf(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * The mark a run left; null when there is none (no archive yet, or one from before the mark) or it
 * cannot be read: a damaged mark must not stop the station, whose crash gap then starts at the last
 * heartbeat with history read from a few seconds before it (server-link.ts CRASH_EDGE_MS).
 */
export function readCommittedMark(dataDir: string, logger: Logger): CommittedMark | null {
  const path = committedMarkPath(dataDir);
  const logPath = committedLogPath(dataDir);
  let text: string | null;
  let log: string | null;
  try {
    text = textOf(path);
    log = text === null ? null : textOf(logPath);
  } catch (err) {
    logger.warn({ err, path }, 'archive commit mark unreadable: a crash gap starts at the last heartbeat');
    return null;
  }
  if (text === null) return null; // a log without its snapshot names only some tags: no mark
  let mark: unknown = null;
  try {
    mark = JSON.parse(text);
  } catch {
    // Reported below with the file's name: the content is what is wrong, not where it failed to parse.
  }
  if (!isMark(mark)) {
    logger.warn({ path, bytes: text.length }, DAMAGED);
    return null;
  }
  const lines = (log ?? '').split('\n');
  lines.pop(); // after the last line end: '' or a line a crash cut short (never synced)
  for (const [i, line] of lines.entries()) {
    let entry: unknown = null;
    try {
      entry = JSON.parse(line);
    } catch {
      // below
    }
    if (!isMark(entry)) {
      logger.warn({ path: logPath, line: i + 1, bytes: line.length }, DAMAGED);
      return null;
    }
    layOver(mark, entry);
  }
  return mark;
}

/** Batches handed over within this time share one pending entry (a commit covers it once it covers the last of them). */
const ENTRY_MS = 100;
/** The log is folded into a snapshot once it is this many snapshots big. */
const LOG_SNAPSHOTS = 4;
/** Pending entries at most: past it the oldest two merge (the mark then moves a little later, never too far). */
const MAX_PENDING = 32;

/**
 * Follows write() batches to their commit. Memory: at most MAX_PENDING maps of the tags, however
 * long commits fail (merged batches count as committed only with the last of them).
 */
export class CommittedMarkWriter {
  private readonly durable: CommittedMark;
  private readonly pending: { seq: number; at: number; tags: Map<string, number> }[] = [];
  /** Tags whose committed time moved since the last line or snapshot written. */
  private moved = new Map<string, number>();
  /** A snapshot is written next (first write, after a failure: the log may end in a torn line). */
  private snapshotNext = true;
  private snapshotBytes = 0;
  private logBytes = 0;
  private writing: Promise<void> | null = null;
  private again = false;
  private failed = false;

  constructor(private readonly dataDir: string, private readonly logger: Logger) {
    this.durable = readCommittedMark(dataDir, logger) ?? { at: 0, tags: {} };
  }

  /** A batch handed to the archive as `seq` at `at`. */
  written(seq: number, at: number, samples: readonly { tag: string; t: number }[]): void {
    let entry = this.pending.at(-1);
    if (!entry || at - entry.at >= ENTRY_MS) {
      if (this.pending.length >= MAX_PENDING) this.mergeOldest();
      this.pending.push((entry = { seq, at, tags: new Map() }));
    }
    entry.seq = seq;
    entry.at = at;
    for (const s of samples) if (s.t > (entry.tags.get(s.tag) ?? -Infinity)) entry.tags.set(s.tag, s.t);
  }

  /** The archive committed every batch up to `seq`: the mark moves there and is written. */
  committed(seq: number): void {
    let moved = false;
    while (this.pending.length > 0 && this.pending[0]!.seq <= seq) {
      const entry = this.pending.shift()!;
      this.durable.at = entry.at;
      for (const [tag, t] of entry.tags) {
        if (t > (this.durable.tags[tag] ?? -Infinity)) {
          this.durable.tags[tag] = t;
          this.moved.set(tag, t);
        }
      }
      moved = true;
    }
    if (moved) this.save();
  }

  /** The oldest batch counts as committed with the next one only: the newest stay apart, so the mark keeps moving. */
  private mergeOldest(): void {
    const [oldest, next] = [this.pending.shift()!, this.pending[0]!];
    for (const [tag, t] of oldest.tags) if (t > (next.tags.get(tag) ?? -Infinity)) next.tags.set(tag, t);
  }

  /** Waits for the write under way (a stop). */
  async settled(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** One write at a time, the latest mark at its end. */
  private save(): void {
    if (this.writing) {
      this.again = true;
      return;
    }
    this.writing = this.writeOnce().finally(() => {
      this.writing = null;
      if (this.again) {
        this.again = false;
        this.save();
      }
    });
  }

  private async writeOnce(): Promise<void> {
    // Taken in the same tick as the snapshot's text or the line: a tag moved while they are written goes in the next.
    const moved = this.moved;
    this.moved = new Map();
    const line = `${JSON.stringify({ at: this.durable.at, tags: Object.fromEntries(moved) })}\n`;
    // A line as big as half a snapshot (most tags moved): a snapshot costs no more. A log of LOG_SNAPSHOTS
    // snapshots is folded: the snapshot costs a quarter more than the lines, the start reads a few MB at most.
    const snapshot = this.snapshotNext || 2 * line.length >= this.snapshotBytes || this.logBytes + line.length >= LOG_SNAPSHOTS * this.snapshotBytes;
    const path = snapshot ? committedMarkPath(this.dataDir) : committedLogPath(this.dataDir);
    try {
      if (snapshot) await this.writeSnapshot();
      else await this.appendLine(line);
      if (this.failed) this.logger.info({ path }, 'archive commit mark written again');
      this.failed = false;
    } catch (err) {
      // The old mark stays: a crash now backfills from further back, which loses nothing. The log may
      // end in part of a line: the next write is a snapshot, which empties it.
      for (const [tag, t] of moved) if (t > (this.moved.get(tag) ?? -Infinity)) this.moved.set(tag, t);
      this.snapshotNext = true;
      if (!this.failed) this.logger.warn({ err, path }, 'could not write the archive commit mark (a crash now backfills from the last one written)');
      this.failed = true;
    }
  }

  /** Every tag, replaced whole (written beside, synced, renamed); then the log it holds is emptied. */
  private async writeSnapshot(): Promise<void> {
    const path = committedMarkPath(this.dataDir);
    const tmp = `${path}.tmp`;
    const text = JSON.stringify(this.durable);
    await writeSynced(tmp, 'w', text);
    renameSync(tmp, path);
    this.snapshotBytes = Buffer.byteLength(text);
    this.snapshotNext = false;
    this.logBytes = 0;
    await writeSynced(committedLogPath(this.dataDir), 'w', '');
  }

  private async appendLine(line: string): Promise<void> {
    await writeSynced(committedLogPath(this.dataDir), 'a', line);
    this.logBytes += Buffer.byteLength(line);
  }
}

/** Writes `text` (flag 'w': the file replaced; 'a': appended) and syncs it before returning. */
async function writeSynced(path: string, flag: 'w' | 'a', text: string): Promise<void> {
  const file = await open(path, flag);
  try {
    if (text !== '') await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
}
