/**
 * What the archive has durably committed, kept beside it (<data>/archive/committed.json) and
 * written after each commit its thread paces: `at`, when the newest committed write() batch was
 * handed over (station clock: everything received before it is on disk), and per tag the newest
 * sample time committed. After a crash (server-link.ts resumeGaps) the loss starts there and each
 * tag's history is read from its own newest committed value: what the station received and never
 * committed (the last second; minutes while the disk was full) comes back from the server.
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

/**
 * The mark a run left; null when there is none (no archive yet, or one from before the mark) or it
 * cannot be read: a damaged mark must not stop the station, whose crash gap then starts at the last
 * heartbeat with history read from a few seconds before it (server-link.ts CRASH_EDGE_MS).
 */
export function readCommittedMark(dataDir: string, logger: Logger): CommittedMark | null {
  const path = committedMarkPath(dataDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    logger.warn({ err, path }, 'archive commit mark unreadable: a crash gap starts at the last heartbeat');
    return null;
  }
  let mark: Partial<CommittedMark> | null = null;
  try {
    mark = JSON.parse(text) as Partial<CommittedMark> | null;
  } catch {
    // Reported below with the file's name: the content is what is wrong, not where it failed to parse.
  }
  if (mark && typeof mark.at === 'number' && typeof mark.tags === 'object' && mark.tags !== null) return mark as CommittedMark;
  logger.warn({ path, bytes: text.length }, 'archive commit mark damaged (expected {"at": <ms>, "tags": {...}}): a crash gap starts at the last heartbeat');
  return null;
}

/** Batches handed over within this time share one pending entry (a commit covers it once it covers the last of them). */
const ENTRY_MS = 100;
/** Pending entries at most: past it the oldest two merge (the mark then moves a little later, never too far). */
const MAX_PENDING = 32;

/**
 * Follows write() batches to their commit. Memory: at most MAX_PENDING maps of the tags, however
 * long commits fail (merged batches count as committed only with the last of them).
 */
export class CommittedMarkWriter {
  private readonly durable: CommittedMark;
  private readonly pending: { seq: number; at: number; tags: Map<string, number> }[] = [];
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
      for (const [tag, t] of entry.tags) if (t > (this.durable.tags[tag] ?? -Infinity)) this.durable.tags[tag] = t;
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

  /** One write at a time, the latest mark at its end; replaced whole (rename), synced before. */
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
    const path = committedMarkPath(this.dataDir);
    const tmp = `${path}.tmp`;
    try {
      const file = await open(tmp, 'w');
      try {
        await file.writeFile(JSON.stringify(this.durable));
        await file.sync();
      } finally {
        await file.close();
      }
      renameSync(tmp, path);
      if (this.failed) this.logger.info({ path }, 'archive commit mark written again');
      this.failed = false;
    } catch (err) {
      // The old mark stays: a crash now backfills from further back, which loses nothing.
      if (!this.failed) this.logger.warn({ err, path }, 'could not write the archive commit mark (a crash now backfills from the last one written)');
      this.failed = true;
    }
  }
}
