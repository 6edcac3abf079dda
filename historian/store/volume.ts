/**
 * One volume file opened for writing: analog blocks (summary + bytes) and the
 * event row stream of discrete and text tags.
 */
import type Database from 'better-sqlite3';
import type { ArchivedSample, BlockSummary, SampleColumns, Value } from '../types.js';
import { decodeBlock, decodeSeqs, encodeBlock, encodeSeqs, summarize } from './codec.js';
import {
  FORMAT, INDEX_CHUNK, OLD_FORMATS, STORED_BOOLEAN, SUMMARY_FIELDS, VOLUME_DDL, VOLUME_FEED_DDL, closeWritable, migrateVolume, openWritable, readMeta,
} from './schema.js';
import type { VolumePeriod } from './periods.js';

/** A point as the writer holds it: seq is the write sequence number once written (undefined before). */
export interface StoredPoint extends ArchivedSample {
  seq?: number;
}

export function toColumns(points: readonly ArchivedSample[]): SampleColumns {
  const n = points.length;
  const cols: SampleColumns = {
    t: new Float64Array(n), value: new Float64Array(n), status: new Uint32Array(n), flags: new Uint8Array(n), length: n,
  };
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    cols.t[i] = p.t;
    cols.value[i] = p.value as number;
    cols.status[i] = p.status;
    cols.flags[i] = p.flags;
  }
  return cols;
}

export function fromColumns(cols: SampleColumns, seqs: Float64Array): StoredPoint[] {
  const out: StoredPoint[] = new Array(cols.length);
  for (let i = 0; i < cols.length; i++) out[i] = { t: cols.t[i]!, value: cols.value[i]!, status: cols.status[i]!, flags: cols.flags[i]!, seq: seqs[i]! };
  return out;
}

/** The write sequence numbers of points about to be stored, their lowest and highest. */
function seqsOf(points: readonly StoredPoint[]): { seqs: number[]; min: number; max: number } {
  const seqs = new Array<number>(points.length);
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < points.length; i++) {
    const s = points[i]!.seq;
    if (s === undefined) throw new Error(`point ${i} (t=${points[i]!.t}) has no write sequence number`);
    seqs[i] = s;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  return { seqs, min, max };
}

/** A value as SQLite keeps it in the event table, with the flag that says it was a boolean. */
export function storedValue(value: Value, flags: number): [number | string, number] {
  if (typeof value === 'boolean') return [value ? 1 : 0, flags | STORED_BOOLEAN];
  return [value, flags & ~STORED_BOOLEAN];
}

export function packSummary(s: BlockSummary): Float64Array {
  return Float64Array.of(s.tStart, s.tEnd, s.count, s.min ?? NaN, s.max ?? NaN, s.first?.t ?? NaN, s.first?.value ?? NaN,
    s.last?.t ?? NaN, s.last?.value ?? NaN, s.worstSeverity);
}

export class VolumeStore {
  readonly db: Database.Database;
  private readonly st: ReturnType<VolumeStore["prepare"]>;

  constructor(readonly file: string, meta: { period: VolumePeriod; start: number; end: number }) {
    this.db = openWritable(file);
    try {
      this.init(file, meta);
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.st = this.prepare();
  }

  /** Creates the tables and meta of a new file, or checks (and migrates) an existing one, in one transaction. */
  private init(file: string, meta: { period: VolumePeriod; start: number; end: number }): void {
    // One transaction: a reader opening the file meanwhile sees all of it or none.
    this.db.transaction(() => {
      this.db.exec(VOLUME_DDL);
      const existing = readMeta(this.db);
      if (OLD_FORMATS.includes(existing.get('format') ?? '') && Number(existing.get('start')) === meta.start) {
        migrateVolume(this.db);
        existing.set('format', FORMAT);
      }
      if (existing.size === 0) {
        const put = this.db.prepare('INSERT INTO meta(key, value) VALUES (?, ?)');
        this.db.exec(VOLUME_FEED_DDL);
        put.run('format', FORMAT);
        put.run('period', meta.period);
        put.run('start', String(meta.start));
        put.run('end', String(meta.end));
      } else if (existing.get('format') !== FORMAT || Number(existing.get('start')) !== meta.start) {
        throw new Error(`${file}: meta: expected ${FORMAT} starting at ${new Date(meta.start).toISOString()}, ` +
          `got ${existing.get('format')} starting at ${existing.get('start')}`);
      }
    })();
  }

  private prepare() {
    return {
      putBlock: this.db.prepare(`INSERT OR REPLACE INTO block(tag_id, t_start, t_end, count, min, max, first_t, first_v,
        last_t, last_v, integral, good_ms, worst, sealed, seq_min, seq_max) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`),
      putData: this.db.prepare('INSERT OR REPLACE INTO block_data(tag_id, t_start, bytes, seqs) VALUES (?, ?, ?, ?)'),
      delBlock: this.db.prepare('DELETE FROM block WHERE tag_id = ? AND t_start = ?'),
      delData: this.db.prepare('DELETE FROM block_data WHERE tag_id = ? AND t_start = ?'),
      delOpen: this.db.prepare('DELETE FROM block WHERE tag_id = ? AND sealed = 0 AND t_start >= ? AND t_start <= ?'),
      delOpenData: this.db.prepare('DELETE FROM block_data WHERE tag_id = ? AND t_start >= ? AND t_start <= ?'),
      data: this.db.prepare(`SELECT d.bytes, d.seqs, b.seq_min FROM block_data d JOIN block b USING (tag_id, t_start)
        WHERE d.tag_id = ? AND d.t_start = ?`).raw(),
      maxBlockSeq: this.db.prepare('SELECT max(seq_max) FROM block').pluck(),
      maxEventSeq: this.db.prepare('SELECT max(seq) FROM event').pluck(),
      countSince: this.db.prepare(`SELECT (SELECT coalesce(sum(count), 0) FROM block WHERE seq_max > @seq)
        + (SELECT count(*) FROM event WHERE seq > @seq)`).pluck(),
      touching: this.db.prepare(`SELECT t_start FROM block WHERE tag_id = ? AND t_start < ? AND t_end >= ? AND t_start <= ?
        ORDER BY t_start`).pluck(),
      before: this.db.prepare('SELECT t_start FROM block WHERE tag_id = ? AND t_start < ? ORDER BY t_start DESC LIMIT 1').pluck(),
      after: this.db.prepare('SELECT t_start FROM block WHERE tag_id = ? AND t_start > ? AND t_start < ? ORDER BY t_start LIMIT 1').pluck(),
      openBlocks: this.db.prepare('SELECT tag_id AS tagId, t_start AS tStart FROM block WHERE sealed = 0'),
      lastBlockEnd: this.db.prepare('SELECT t_end FROM block WHERE tag_id = ? ORDER BY t_start DESC LIMIT 1').pluck(),
      lastEvent: this.db.prepare('SELECT t, value, status, flags FROM event WHERE tag_id = ? ORDER BY t DESC LIMIT 1'),
      lastIndex: this.db.prepare('SELECT t_start, t_end, n, packed FROM block_index WHERE tag_id = ? ORDER BY t_start DESC LIMIT 1').raw(),
      putIndex: this.db.prepare('INSERT OR REPLACE INTO block_index(tag_id, t_start, t_end, n, packed) VALUES (?, ?, ?, ?, ?)'),
      dropIndex: this.db.prepare('DELETE FROM block_index WHERE tag_id = ?'),
      sealedSummaries: this.db.prepare(`SELECT t_start, t_end, count, min, max, first_t, first_v, last_t, last_v, worst
        FROM block WHERE tag_id = ? AND sealed = 1 ORDER BY t_start`).raw(),
      openTags: this.db.prepare('SELECT DISTINCT tag_id FROM block WHERE sealed = 0').pluck(),
      sealAll: this.db.prepare('UPDATE block SET sealed = 1 WHERE sealed = 0'),
      putEvent: this.db.prepare('INSERT OR REPLACE INTO event(tag_id, t, value, status, flags, seq) VALUES (?, ?, ?, ?, ?, ?)'),
    };
  }

  /**
   * Encodes and writes a block (replacing one with the same start); a sealed
   * block joins the index unless the caller rebuilds it (indexed = false).
   */
  putBlock(tagId: number, points: readonly StoredPoint[], sealed: boolean, stepped: boolean, indexed = true): void {
    const s = summarize(toColumns(points), stepped);
    const bytes = encodeBlock(points as ArchivedSample[]);
    const seq = seqsOf(points);
    this.st.putBlock.run(tagId, s.tStart, s.tEnd, s.count, s.min, s.max, s.first?.t ?? null, s.first?.value ?? null,
      s.last?.t ?? null, s.last?.value ?? null, s.integral, s.goodMs, s.worstSeverity, sealed ? 1 : 0, seq.min, seq.max);
    this.st.putData.run(tagId, s.tStart, bytes, encodeSeqs(seq.seqs, points.length));
    if (sealed && indexed) this.indexAppend(tagId, s);
  }

  /** Adds a newly sealed block's summary to the tag's last index row (or a new one). */
  private indexAppend(tagId: number, s: BlockSummary): void {
    const entry = packSummary(s);
    const last = this.st.lastIndex.get(tagId) as [number, number, number, Buffer] | undefined;
    if (last && last[1] >= s.tStart) return this.rebuildIndex(tagId); // not after the last: order must be rebuilt
    if (last && last[2] < INDEX_CHUNK) {
      const packed = new Float64Array(SUMMARY_FIELDS * (last[2] + 1));
      packed.set(new Float64Array(last[3].buffer.slice(last[3].byteOffset, last[3].byteOffset + last[3].byteLength)));
      packed.set(entry, SUMMARY_FIELDS * last[2]);
      this.st.putIndex.run(tagId, last[0], s.tEnd, last[2] + 1, Buffer.from(packed.buffer));
    } else {
      this.st.putIndex.run(tagId, s.tStart, s.tEnd, 1, Buffer.from(entry.buffer));
    }
  }

  /** Rewrites a tag's index rows from its sealed blocks (after a merge or a seal-all). */
  rebuildIndex(tagId: number): void {
    this.st.dropIndex.run(tagId);
    const rows = this.st.sealedSummaries.all(tagId) as (number | null)[][];
    for (let i = 0; i < rows.length; i += INDEX_CHUNK) {
      const chunk = rows.slice(i, i + INDEX_CHUNK);
      const packed = new Float64Array(chunk.length * SUMMARY_FIELDS);
      chunk.forEach((r, k) => { for (let f = 0; f < SUMMARY_FIELDS; f++) packed[k * SUMMARY_FIELDS + f] = r[f] ?? NaN; });
      this.st.putIndex.run(tagId, chunk[0]![0], chunk[chunk.length - 1]![1], chunk.length, Buffer.from(packed.buffer));
    }
  }

  /** Marks every open segment sealed (the volume is let go) and indexes them. */
  sealAll(): void {
    const tags = this.st.openTags.all() as number[];
    this.st.sealAll.run();
    for (const id of tags) this.rebuildIndex(id);
  }

  deleteBlock(tagId: number, tStart: number): void {
    this.st.delBlock.run(tagId, tStart);
    this.st.delData.run(tagId, tStart);
  }

  /** Deletes the open segments of a tag that start within [from, to] (they are the tag's last blocks here). */
  deleteSegments(tagId: number, from: number, to: number): void {
    this.st.delOpen.run(tagId, from, to);
    this.st.delOpenData.run(tagId, from, to);
  }

  /** A block's points with their write sequence numbers. */
  blockPoints(tagId: number, tStart: number): StoredPoint[] {
    const row = this.st.data.get(tagId, tStart) as [Buffer, Buffer | null, number] | undefined;
    if (!row) throw new Error(`${this.file}: block of tag ${tagId} at ${tStart} has no data row`);
    const cols = decodeBlock(row[0]);
    const seqs = new Float64Array(cols.length);
    decodeSeqs(row[1], row[2], seqs, cols.length);
    return fromColumns(cols, seqs);
  }

  /** Gives every row of the volume write sequence number seq (an imported file); returns its sample count. */
  restamp(seq: number): number {
    this.db.prepare('UPDATE block SET seq_min = @seq, seq_max = @seq').run({ seq });
    this.db.prepare('UPDATE block_data SET seqs = NULL').run();
    this.db.prepare('UPDATE event SET seq = ?').run(seq);
    return this.countSince(seq - 1);
  }

  /** Samples in blocks and events written after seq (blocks counted whole: an estimate). */
  countSince(seq: number): number { return this.st.countSince.get({ seq }) as number; }

  /** The highest write sequence number this volume holds (0 for data written before the change feed). */
  maxSeq(): number {
    return Math.max((this.st.maxBlockSeq.get() as number | null) ?? 0, (this.st.maxEventSeq.get() as number | null) ?? 0);
  }

  /**
   * Starts of the blocks a late sample set [from, to] must be merged into:
   * those overlapping it, the one just before (a sample in a gap joins the
   * block before it) or else the first one after. Blocks starting at or after
   * `below` (the tag's open block, held in memory) are left out.
   */
  mergeTargets(tagId: number, from: number, to: number, below: number): number[] {
    const starts = this.st.touching.all(tagId, below, from, to) as number[];
    const before = this.st.before.get(tagId, from) as number | undefined;
    if (before !== undefined && starts[0] !== before) starts.unshift(before);
    if (starts.length === 0) {
      const after = this.st.after.get(tagId, to, below) as number | undefined;
      if (after !== undefined) starts.push(after);
    }
    return starts;
  }

  openBlocks(): { tagId: number; tStart: number }[] {
    return this.st.openBlocks.all() as { tagId: number; tStart: number }[];
  }

  /** Time of the tag's last archived value in this volume, or null. */
  lastTime(tagId: number): number | null {
    const b = this.st.lastBlockEnd.get(tagId) as number | undefined;
    const e = this.st.lastEvent.get(tagId) as { t: number } | undefined;
    if (b === undefined && e === undefined) return null;
    return Math.max(b ?? -Infinity, e?.t ?? -Infinity);
  }

  putEvent(tagId: number, t: number, value: Value, status: number, flags: number, seq: number): void {
    const [v, f] = storedValue(value, flags);
    this.st.putEvent.run(tagId, t, v, status, f, seq);
  }

  close(): void { closeWritable(this.db); }
}
