/**
 * What the change feed reads besides the data: from the catalog, the head, the volumes' last
 * sequence numbers, the volumes gone and the change log (one snapshot); from each volume, the
 * blocks and events written within a range of sequence numbers. Archives and volumes of
 * format 1 (before the feed) read as written at sequence number 0.
 */
import type Database from 'better-sqlite3';
import type { VolumeInfo } from '../store/catalog.js';
import { hasColumn } from '../store/schema.js';

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

/** A block with changes: where it is and the lowest sequence number it holds (for samples without their own). */
export interface ChangedBlock { tag: number; tStart: number; tEnd: number; seqMin: number }
/** An event row: tag, t, value, status, flags, seq. */
export type ChangedEvent = [number, number, number | string, number, number, number];

const volumeStatements = new WeakMap<Database.Database, ReturnType<typeof prepareVolume>>();

/**
 * The statements of a volume's feed; `seq` is how a block's numbers read (columns, or 0 in a
 * format-1 file). Candidate blocks come in (tag, start) order: `sparse` lists the few written
 * after a through the block_seq index, `after`/`next` walk the primary key when they are many.
 */
function prepareVolume(db: Database.Database, old: boolean) {
  const seqMin = old ? '0' : 'seq_min', seqMax = old ? '0' : 'seq_max', eventSeq = old ? '0' : 'seq';
  const cols = `tag_id AS tag, t_start AS tStart, t_end AS tEnd, ${seqMin} AS seqMin`;
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
    data: db.prepare(`SELECT t_start, bytes, ${old ? 'NULL' : 'seqs'} FROM block_data
      WHERE tag_id = ? AND t_start IN (SELECT value FROM json_each(?))`).raw(),
    dataRange: db.prepare(`SELECT t_start, bytes, ${old ? 'NULL' : 'seqs'} FROM block_data
      WHERE tag_id = ? AND t_start >= ? AND t_start <= ? ORDER BY t_start`).raw(),
  };
}

export type VolumeFeed = ReturnType<typeof prepareVolume>;

/** The statements of one volume connection, for its current schema (a writer may migrate the file meanwhile). */
export function volumeFeed(db: Database.Database): VolumeFeed {
  let st = volumeStatements.get(db);
  if (!st) {
    if (!hasColumn(db, 'block', 'seq_min')) return prepareVolume(db, true);
    st = prepareVolume(db, false);
    volumeStatements.set(db, st);
  }
  return st;
}

/** Candidates fewer than this are listed through the sequence index and sorted; more are walked in key order. */
const SPARSE = 1024;
/** Blocks per query when walking in key order. */
const CHUNK = 256;

/**
 * The blocks of a volume holding samples with numbers in (a, b], after a position, in
 * (tag, start) order, a chunk at a time: [] when there are no more.
 */
export function changedBlocks(st: VolumeFeed, a: number, b: number, from: { tag: number; t: number }): { dense: boolean; next: () => ChangedBlock[] } {
  const t = Math.max(from.t, -Number.MAX_SAFE_INTEGER);
  if ((st.count.get({ a, b, limit: SPARSE }) as number) < SPARSE) {
    let all: ChangedBlock[] | null = (st.sparse.all({ a, b, tag: from.tag, t }) as ChangedBlock[]).sort((x, y) => x.tag - y.tag || x.tStart - y.tStart);
    return { dense: false, next: () => { const out = all ?? []; all = null; return out; } };
  }
  let last: ChangedBlock | null = null;
  return { dense: true, next: () => {
    const chunk = (last === null ? st.after.all({ a, b, tag: from.tag, t, limit: CHUNK })
      : st.next.all({ a, b, tag: last.tag, t: last.tStart, limit: CHUNK })) as ChangedBlock[];
    if (chunk.length) last = chunk[chunk.length - 1]!;
    return chunk;
  } };
}
