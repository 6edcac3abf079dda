/**
 * Rollups: one summary for each run of ROLLUP_BLOCKS consecutive sealed blocks of a tag in a
 * volume. A plot over a year of 1 s data read 61,600 block summaries (half of a cold plot's
 * time was SQLite walking their rows); with rollups it reads a sixteenth of them, and a
 * rollup's blocks only where the rollup lies across a bucket edge.
 *
 * A rollup covers the block starts in (lo, hi]: lo is the rollup before it's hi (NO_LOWER for the
 * first), hi its last block's start, t_start its first block's, summary the blocks' summaries
 * merged (summary-codec.ts, keyed by t_start). Triggers on `block` delete every rollup whose
 * range takes in a block that is inserted, deleted or changed, whatever code (or older writer)
 * changes it: a rollup is never stale, only missing. A reader finds the missing ones as breaks
 * in the chain of lo and hi and reads those blocks' own summaries.
 */
import type Database from 'better-sqlite3';
import { SUMMARY_FIELDS, hasTable } from './schema.js';
import { decodeSummaryInto, encodeSummary } from './summary-codec.js';

export const ROLLUP_BLOCKS = 16;

/** The lo of a tag's first rollup: below every block start. */
export const NO_LOWER = -Number.MAX_SAFE_INTEGER;

/** Made with a volume's first rollup (readers of a file without it read block summaries alone). */
export const ROLLUP_DDL = `
CREATE TABLE IF NOT EXISTS rollup(tag_id INTEGER NOT NULL, hi INTEGER NOT NULL, lo INTEGER NOT NULL, t_start INTEGER NOT NULL,
  summary BLOB NOT NULL, PRIMARY KEY(tag_id, hi)) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS rollup_block_insert AFTER INSERT ON block BEGIN
  DELETE FROM rollup WHERE tag_id = new.tag_id AND hi >= new.t_start AND lo < new.t_start;
END;
CREATE TRIGGER IF NOT EXISTS rollup_block_delete AFTER DELETE ON block BEGIN
  DELETE FROM rollup WHERE tag_id = old.tag_id AND hi >= old.t_start AND lo < old.t_start;
END;
CREATE TRIGGER IF NOT EXISTS rollup_block_update AFTER UPDATE OF tag_id, t_start, t_end, summary ON block BEGIN
  DELETE FROM rollup WHERE tag_id = old.tag_id AND hi >= old.t_start AND lo < old.t_start;
  DELETE FROM rollup WHERE tag_id = new.tag_id AND hi >= new.t_start AND lo < new.t_start;
END;
`;

/** Stored summaries (each keyed by its block's start), in time order, merged into one: what a rollup stores. */
export function mergeSummaries(blocks: readonly (readonly [tStart: number, summary: Uint8Array])[]): Uint8Array {
  const f = new Float64Array(SUMMARY_FIELDS);
  let count = 0, added = 0, worst = 0, min = Infinity, max = -Infinity;
  let first: { t: number; value: number } | null = null, last: { t: number; value: number } | null = null;
  for (const [tStart, summary] of blocks) {
    added += decodeSummaryInto(summary, tStart, f, 0);
    count += f[2]!;
    worst = Math.max(worst, f[9]!);
    if (f[3] !== f[3]) continue; // no good value
    min = Math.min(min, f[3]!);
    max = Math.max(max, f[4]!);
    if (first === null) first = { t: f[5]!, value: f[6]! };
    last = { t: f[7]!, value: f[8]! };
  }
  if (blocks.length === 0) throw new Error('rollup of no blocks');
  return encodeSummary({
    tStart: blocks[0]![0], tEnd: f[1]!, count, added, worstSeverity: worst as 0 | 1 | 2,
    min: first ? min : null, max: first ? max : null, first, last,
  });
}

/**
 * Keeps a volume's rollups as its blocks are sealed: a count per tag of the blocks after its
 * last rollup (read once, then counted) says when ROLLUP_BLOCKS more are there to roll up. The
 * table and its triggers are made with the first rollup: a volume of short series (an import of
 * 1,000 samples a tag) never has one, and does not pay ~1.5 KB of schema and pages for it.
 */
export class RollupWriter {
  private readonly pending = new Map<number, number>();
  private st: ReturnType<typeof statements> | null;
  private readonly countAfter: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.st = hasTable(db, 'rollup') ? statements(db) : null;
    this.countAfter = db.prepare('SELECT count(*) FROM block WHERE tag_id = ? AND t_start > ?').pluck();
  }

  /** The file has rollups (or had blocks enough for them when it was opened). */
  get present(): boolean { return this.tables() !== null; }

  /** rollUpAll() would write nothing: the file has rollups, or no tag has blocks enough for one. */
  get upToDate(): boolean {
    return this.present || this.db.prepare('SELECT 1 FROM block GROUP BY tag_id HAVING count(*) >= ? LIMIT 1').get(ROLLUP_BLOCKS) === undefined;
  }

  /** A block of the tag was written. */
  sealed(tagId: number): void {
    const seen = this.pending.get(tagId);
    const n = seen === undefined ? (this.countAfter.get(tagId, this.lastHi(tagId)) as number) : seen + 1;
    this.pending.set(tagId, n >= ROLLUP_BLOCKS ? this.rollUp(tagId) : n);
  }

  /**
   * Rolls up every tag's blocks after its last rollup: a file from before rollups, or (`anew`)
   * one whose tags were renumbered (an import: the triggers deleted what they could, this the rest).
   */
  rollUpAll(anew = false): void {
    if (anew) this.tables()?.clear.run();
    const tags = this.db.prepare('SELECT tag_id FROM block GROUP BY tag_id HAVING count(*) >= ?').pluck().all(ROLLUP_BLOCKS) as number[];
    for (const tagId of tags) this.pending.set(tagId, this.rollUp(tagId));
  }

  /** Writes the rollups of the tag's whole runs of blocks after its last one; returns how many blocks are left over. */
  private rollUp(tagId: number): number {
    const st = this.tables() ?? (this.st = create(this.db));
    let lo = this.lastHi(tagId);
    const rows = st.blocksAfter.all(tagId, lo) as [number, Buffer][];
    let i = 0;
    for (; i + ROLLUP_BLOCKS <= rows.length; i += ROLLUP_BLOCKS) {
      const run = rows.slice(i, i + ROLLUP_BLOCKS);
      const hi = run[run.length - 1]![0];
      st.put.run(tagId, hi, lo, run[0]![0], mergeSummaries(run));
      lo = hi;
    }
    return rows.length - i;
  }

  private lastHi(tagId: number): number {
    return (this.tables()?.lastHi.get(tagId) as number | undefined) ?? NO_LOWER;
  }

  /** The statements, while the table is there: a flush that failed rolls back the table it made with it. */
  private tables(): ReturnType<typeof statements> | null {
    if (this.st && !hasTable(this.db, 'rollup')) this.st = null;
    return this.st;
  }
}

function create(db: Database.Database): ReturnType<typeof statements> {
  db.exec(ROLLUP_DDL);
  return statements(db);
}

function statements(db: Database.Database) {
  return {
    lastHi: db.prepare('SELECT hi FROM rollup WHERE tag_id = ? ORDER BY hi DESC LIMIT 1').pluck(),
    blocksAfter: db.prepare('SELECT t_start, summary FROM block WHERE tag_id = ? AND t_start > ? ORDER BY t_start').raw(),
    put: db.prepare('INSERT INTO rollup(tag_id, hi, lo, t_start, summary) VALUES (?, ?, ?, ?, ?)'),
    clear: db.prepare('DELETE FROM rollup'),
  };
}
