/**
 * What the change feed reads besides the data: from the catalog, the head, the volumes' last
 * sequence numbers, the volumes gone and the change log (one snapshot); from each volume, the
 * blocks and events written within a range of sequence numbers. Archives and volumes of
 * format 1 (before the feed) read as written at sequence number 0.
 */
import type Database from 'better-sqlite3';
import type { VolumeInfo } from '../store/catalog.js';
import { hasColumn, hasIndex } from '../store/schema.js';

export interface FeedVolume extends VolumeInfo { maxSeq: number }
export interface GoneVolume { id: number; file: string; start: number; maxSeq: number; reason: string }
export interface LogRow { seq: number; writtenAt: number; samples: number }

export interface ChangeState {
  head: number;
  volumes: FeedVolume[];
  /** volume_gone rows after the cursor's g. */
  gone: GoneVolume[];
  /** Change log rows with seq > a, ascending. */
  log: LogRow[];
}

const statements = new WeakMap<Database.Database, ReturnType<typeof prepareCatalog> | null>();

function prepareCatalog(db: Database.Database) {
  return {
    head: db.prepare("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'change_head'), 0)").pluck(),
    volumes: db.prepare('SELECT id, file, period, t_start AS start, t_end AS end, state, max_seq AS maxSeq FROM volume ORDER BY t_start'),
    gone: db.prepare('SELECT id, file, t_start AS start, max_seq AS maxSeq, reason FROM volume_gone WHERE id > ? ORDER BY id'),
    log: db.prepare('SELECT seq, written_at AS writtenAt, samples FROM change_log WHERE seq > ? ORDER BY seq'),
  };
}

/** The catalog side, in one read transaction; `a` and `g` bound the log and gone rows read. */
export function loadChangeState(db: Database.Database, a: number, g: number): ChangeState {
  let st = statements.get(db);
  if (!st) {
    // A format-1 catalog has none of it until a writer migrates it: everything is at 0.
    st = hasColumn(db, 'volume', 'max_seq') && hasColumn(db, 'change_log', 'seq') ? prepareCatalog(db) : null;
    if (st) statements.set(db, st);
  }
  if (!st) {
    const volumes = (db.prepare('SELECT id, file, period, t_start AS start, t_end AS end, state FROM volume ORDER BY t_start').all() as VolumeInfo[])
      .map((v) => ({ ...v, maxSeq: 0 }));
    return { head: 0, volumes, gone: [], log: [] };
  }
  const s = st;
  return db.transaction(() => ({
    head: s.head.get() as number,
    volumes: s.volumes.all() as FeedVolume[],
    gone: s.gone.all(g) as GoneVolume[],
    log: s.log.all(Math.max(a, 0)) as LogRow[],
  }))();
}

/** A block with changes: where it is, where its bytes are, and the lowest sequence number it holds (for samples without their own). */
export interface ChangedBlock { tag: number; tStart: number; tEnd: number; seqMin: number; ref: number }
/** An event row: tag, t, value, status, flags, seq. */
export type ChangedEvent = [number, number, number | string, number, number, number];

const volumeStatements = new WeakMap<Database.Database, VolumeFeed>();

/**
 * The statements of a format-3 volume's feed. Candidate blocks (sealed blocks and open
 * segments, `ref` says where the bytes are: a block_data id, or minus a segment id) come in
 * (tag, start) order: `sparse` lists the few written after a through the sequence indexes
 * (named: the planner would rather walk the keys for the tag condition, reading every row),
 * `after`/`next` walk the keys when they are many. A file no writer opened since the
 * segment index came has its segments read whole.
 */
function prepareVolume(db: Database.Database) {
  const inRange = 'seq_max > @a AND seq_min <= @b';
  const both = (where: string, tail = '', by: { block: string; segment: string } = { block: '', segment: '' }) =>
    `SELECT tag_id AS tag, t_start AS tStart, t_end AS tEnd, seq_min AS seqMin, data_id AS ref FROM block ${by.block} WHERE ${where}
    UNION ALL SELECT tag_id, t_start, t_end, seq_min, -id FROM segment ${by.segment} WHERE ${where} ${tail}`;
  const bySeq = { block: 'INDEXED BY block_seq', segment: hasIndex(db, 'segment_seq') ? 'INDEXED BY segment_seq' : '' };
  return {
    count: db.prepare(`SELECT count(*) FROM (SELECT 1 FROM block WHERE ${inRange} LIMIT @limit)`).pluck(),
    sparse: db.prepare(both(`${inRange} AND (tag_id > @tag OR (tag_id = @tag AND t_end > @t))`, '', bySeq)),
    after: db.prepare(both(`tag_id >= @tag AND (tag_id > @tag OR t_end > @t) AND ${inRange}`, 'ORDER BY 1, 2 LIMIT @limit')),
    next: db.prepare(both(`tag_id >= @tag AND (tag_id > @tag OR t_start > @t) AND ${inRange}`, 'ORDER BY 1, 2 LIMIT @limit')),
    events: db.prepare(`SELECT tag_id, t, value, status, flags, seq FROM event
      WHERE seq > @a AND seq <= @b AND (tag_id > @tag OR (tag_id = @tag AND t > @t)) ORDER BY tag_id, t LIMIT @limit`).raw(),
    data: db.prepare(`SELECT id, data, seqs FROM block_data WHERE id IN (SELECT value FROM json_each(@refs)) AND @tag IS NOT NULL
      UNION ALL SELECT -id, data, seqs FROM segment WHERE id IN (SELECT -value FROM json_each(@refs))`).raw(),
  };
}

/** Format 1 and 2 files: one block table keyed (tag, start), bytes beside in block_data; format 1 has no sequence numbers (all 0). */
function prepareLegacy(db: Database.Database) {
  const seqs = hasColumn(db, 'block', 'seq_min');
  const seqMin = seqs ? 'seq_min' : '0', seqMax = seqs ? 'seq_max' : '0', eventSeq = seqs ? 'seq' : '0';
  const cols = `tag_id AS tag, t_start AS tStart, t_end AS tEnd, ${seqMin} AS seqMin, t_start AS ref`;
  const inRange = `${seqMax} > @a AND ${seqMin} <= @b`;
  return {
    count: db.prepare(`SELECT count(*) FROM (SELECT 1 FROM block WHERE ${inRange} LIMIT @limit)`).pluck(),
    sparse: db.prepare(`SELECT ${cols} FROM block WHERE ${inRange} AND (tag_id > @tag OR (tag_id = @tag AND t_end > @t))`),
    after: db.prepare(`SELECT ${cols} FROM block WHERE tag_id >= @tag AND (tag_id > @tag OR t_end > @t) AND ${inRange}
      ORDER BY tag_id, t_start LIMIT @limit`),
    next: db.prepare(`SELECT ${cols} FROM block WHERE tag_id >= @tag AND (tag_id > @tag OR t_start > @t) AND ${inRange}
      ORDER BY tag_id, t_start LIMIT @limit`),
    events: db.prepare(`SELECT tag_id, t, value, status, flags, ${eventSeq} FROM event
      WHERE ${eventSeq} > @a AND ${eventSeq} <= @b AND (tag_id > @tag OR (tag_id = @tag AND t > @t)) ORDER BY tag_id, t LIMIT @limit`).raw(),
    data: db.prepare(`SELECT t_start, bytes, ${seqs ? 'seqs' : 'NULL'} FROM block_data
      WHERE tag_id = @tag AND t_start IN (SELECT value FROM json_each(@refs))`).raw(),
  };
}

export type VolumeFeed = ReturnType<typeof prepareVolume>;

/** The statements of one volume connection (the source reopens a file a writer migrated). */
export function volumeFeed(db: Database.Database, legacy: boolean): VolumeFeed {
  let st = volumeStatements.get(db);
  if (!st) volumeStatements.set(db, (st = legacy ? prepareLegacy(db) : prepareVolume(db)));
  return st;
}

/** Candidates fewer than this are listed through the sequence index and sorted; more are walked in key order. */
const SPARSE = 1024;
/** Blocks per query when walking in key order: few first (a page of a drain takes a few sealed blocks), more as a pass goes on. */
const FIRST_CHUNK = 16, MAX_CHUNK = 256;

/**
 * The blocks of a volume holding samples with numbers in (a, b], after a position, in
 * (tag, start) order, a chunk at a time: [] when there are no more.
 */
export function changedBlocks(st: VolumeFeed, a: number, b: number, from: { tag: number; t: number }): { next: () => ChangedBlock[] } {
  const t = Math.max(from.t, -Number.MAX_SAFE_INTEGER);
  if ((st.count.get({ a, b, limit: SPARSE }) as number) < SPARSE) {
    let all: ChangedBlock[] | null = (st.sparse.all({ a, b, tag: from.tag, t }) as ChangedBlock[]).sort((x, y) => x.tag - y.tag || x.tStart - y.tStart);
    return { next: () => { const out = all ?? []; all = null; return out; } };
  }
  let last: ChangedBlock | null = null;
  let limit = FIRST_CHUNK;
  return { next: () => {
    const chunk = (last === null ? st.after.all({ a, b, tag: from.tag, t, limit })
      : st.next.all({ a, b, tag: last.tag, t: last.tStart, limit })) as ChangedBlock[];
    limit = Math.min(MAX_CHUNK, limit * 2);
    if (chunk.length) last = chunk[chunk.length - 1]!;
    return chunk;
  } };
}
