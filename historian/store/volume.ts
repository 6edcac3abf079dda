/**
 * One volume file opened for writing (format 3, schema.ts): sealed blocks (summary row + bytes
 * appended to block_data), the open blocks' segments, the event rows of discrete and text tags,
 * and the counter deltas of the last flush. A file of an older format is migrated on open.
 * Opened `readOnly` (what the writer only reads, e.g. a past volume on open) it changes nothing
 * in the file: a damaged one stays as it was.
 */
import type Database from 'better-sqlite3';
import type { ArchivedSample, SampleColumns, Value } from '../types.js';
import { Flag } from '../types.js';
import { BLOCK_VERSION, ColumnBuffer, blockColumns, decodeBlock, decodeBlockInto, decodeSeqs, encodeBlockColumns, encodeSeqs, summarize } from './codec.js';
import type { VolumePeriod } from './periods.js';
import {
  FORMAT, RELABELLED_FORMATS, JOURNAL_DDL, SEGMENT_SEQ_DDL, LEGACY_FORMATS, STORED_BOOLEAN, SUMMARY_FIELDS, VOLUME_DDL, VOLUME_PAGE_SIZE,
  closeWritable, hasIndex, hasTable, openReadOnly, openWritable, readMeta,
} from './schema.js';
import { decodeSummaryInto, encodeSummary } from './summary-codec.js';
import { type JournalEntry, type JournalWrite, decodeJournal, encodeJournal } from './journal.js';
import { migrateVolume } from './volume-migrate.js';
import { RollupWriter } from './rollups.js';
import { packSegments } from './segment-pack.js';

/** A point as the writer holds it: seq is the write sequence number once written (undefined before). */
export interface StoredPoint extends ArchivedSample {
  seq?: number;
}

/** What a write changed in a tag's counters: values stored, and how many of them the historian added (cyclic/hold records). */
export interface CountDelta { samples: number; added: number }

export function fromColumns(cols: SampleColumns, seqs: Float64Array): StoredPoint[] {
  const out: StoredPoint[] = new Array(cols.length);
  for (let i = 0; i < cols.length; i++) out[i] = { t: cols.t[i]!, value: cols.value[i]!, status: cols.status[i]!, flags: cols.flags[i]!, seq: seqs[i]! };
  return out;
}

/** Cyclic and hold records among points: values the historian added. */
export function addedIn(points: readonly ArchivedSample[]): number {
  let n = 0;
  for (const p of points) if (p.flags & Flag.Cyclic) n++;
  return n;
}

/** A value as SQLite keeps it in the event table, with the flag that says it was a boolean. */
export function storedValue(value: Value, flags: number): [number | string, number] {
  if (typeof value === 'boolean') return [value ? 1 : 0, flags | STORED_BOOLEAN];
  return [value, flags & ~STORED_BOOLEAN];
}

/**
 * Points about to be stored as one block or segment: checked columns and each point's write
 * sequence number. The writer's seal path builds it from the segments' decoded columns, without
 * an object per point.
 */
export interface StoredRun {
  cols: SampleColumns;
  seqs: Float64Array;
}

/** The points as a run; every point needs its write sequence number. */
export function storedRun(points: readonly StoredPoint[]): StoredRun {
  const seqs = new Float64Array(points.length);
  for (let i = 0; i < points.length; i++) {
    const s = points[i]!.seq;
    if (s === undefined) throw new Error(`point ${i} (t=${points[i]!.t}) has no write sequence number`);
    seqs[i] = s;
  }
  return { cols: blockColumns(points), seqs };
}

const runOf = (points: StoredRun | readonly StoredPoint[]): StoredRun => ('cols' in points ? points : storedRun(points));

/** Summary, bytes and sequence numbers of a run about to be stored as one block or segment. */
function encodeRun({ cols, seqs }: StoredRun, stepped: boolean, entropy = true) {
  const s = summarize(cols, stepped);
  let min = Infinity, max = -Infinity, added = 0;
  for (let i = 0; i < cols.length; i++) {
    if (seqs[i]! < min) min = seqs[i]!;
    if (seqs[i]! > max) max = seqs[i]!;
    if (cols.flags[i]! & Flag.Cyclic) added++;
  }
  return {
    tStart: s.tStart, tEnd: s.tEnd, seqMin: min, seqMax: max, added,
    summary: encodeSummary({ ...s, added }),
    data: encodeBlockColumns(cols, BLOCK_VERSION, entropy),
    seqs: encodeSeqs(seqs, cols.length),
  };
}

export class VolumeStore {
  readonly db: Database.Database;
  private readonly st: ReturnType<VolumeStore['prepare']>;
  private readonly rollups: RollupWriter;

  /**
   * `readOnly`: for reads only; throws NeedsWriter when the file needs what a writer's open does (a migration).
   * `pageSize`: a new file's (an existing one keeps its own).
   */
  constructor(readonly file: string, meta: { period: VolumePeriod; start: number; end: number }, readonly readOnly = false, pageSize = VOLUME_PAGE_SIZE) {
    this.db = readOnly ? openReadOnly(file) : openWritable(file, { pageSize, incrementalVacuum: true });
    try {
      if (readOnly) this.current(meta);
      else {
        this.init(file, meta);
        this.db.exec(JOURNAL_DDL);
        this.db.exec(SEGMENT_SEQ_DDL);
      }
      this.rollups = new RollupWriter(this.db);
      // A file from before rollups (or migrated just now) gets them for the blocks it has.
      if (readOnly && !this.rollups.upToDate) throw new NeedsWriter();
      if (!this.rollups.present && !readOnly) this.rollUpAll();
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.st = this.prepare();
  }

  /** Creates a new file's tables and meta, or checks (and migrates) an existing one, in one transaction. */
  private init(file: string, meta: { period: VolumePeriod; start: number; end: number }): void {
    const fresh = (this.db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'meta'").pluck().get() as number) === 0;
    if (fresh) {
      // One transaction: a reader opening the file meanwhile sees all of it or none.
      this.db.transaction(() => {
        this.db.exec(VOLUME_DDL);
        const put = this.db.prepare('INSERT INTO meta(key, value) VALUES (?, ?)');
        put.run('format', FORMAT);
        put.run('period', meta.period);
        put.run('start', String(meta.start));
        put.run('end', String(meta.end));
      })();
      return;
    }
    const existing = readMeta(this.db);
    if (Number(existing.get('start')) === meta.start && LEGACY_FORMATS.includes(existing.get('format') ?? '')) {
      migrateVolume(this.db);
      return;
    }
    if (Number(existing.get('start')) === meta.start && RELABELLED_FORMATS.includes(existing.get('format') ?? '')) {
      this.db.prepare("UPDATE meta SET value = ? WHERE key = 'format'").run(FORMAT);
      return;
    }
    if (existing.get('format') !== FORMAT || Number(existing.get('start')) !== meta.start) {
      throw new Error(`${file}: meta: expected ${FORMAT} starting at ${new Date(meta.start).toISOString()}, ` +
        `got ${existing.get('format')} starting at ${existing.get('start')}`);
    }
  }

  /** A file a writer's open would leave as it is: this format, this start, the tables and index of now. */
  private current(meta: { start: number }): void {
    const m = readMeta(this.db);
    if (m.get('format') !== FORMAT || Number(m.get('start')) !== meta.start || !hasTable(this.db, 'journal') || !hasIndex(this.db, 'segment_seq')) {
      throw new NeedsWriter();
    }
  }

  private prepare() {
    const db = this.db;
    return {
      putData: db.prepare('INSERT INTO block_data(data, seqs) VALUES (?, ?)'),
      putBlock: db.prepare('INSERT INTO block(tag_id, t_start, t_end, seq_min, seq_max, summary, data_id) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      dataIdOf: db.prepare('SELECT data_id FROM block WHERE tag_id = ? AND t_start = ?').pluck(),
      summaryOf: db.prepare('SELECT summary, data_id FROM block WHERE tag_id = ? AND t_start = ?').raw(),
      segmentRows: db.prepare('SELECT t_start, summary FROM segment WHERE tag_id = ?').raw(),
      delBlock: db.prepare('DELETE FROM block WHERE tag_id = ? AND t_start = ?'),
      delData: db.prepare('DELETE FROM block_data WHERE id = ?'),
      blockRow: db.prepare(`SELECT d.data, d.seqs, b.seq_min FROM block b JOIN block_data d ON d.id = b.data_id
        WHERE b.tag_id = ? AND b.t_start = ?`).raw(),
      touching: db.prepare('SELECT t_start FROM block WHERE tag_id = ? AND t_end >= ? AND t_start <= ? ORDER BY t_start').pluck(),
      before: db.prepare('SELECT t_start FROM block WHERE tag_id = ? AND t_start < ? ORDER BY t_start DESC LIMIT 1').pluck(),
      after: db.prepare('SELECT t_start FROM block WHERE tag_id = ? AND t_start > ? ORDER BY t_start LIMIT 1').pluck(),
      putSegment: db.prepare('INSERT INTO segment(tag_id, t_start, t_end, seq_min, seq_max, summary, data, seqs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      delSegments: db.prepare('DELETE FROM segment WHERE tag_id = ?'),
      segments: db.prepare('SELECT data, seqs, seq_min FROM segment WHERE tag_id = ? ORDER BY t_start').raw(),
      segmentsFrom: db.prepare('SELECT data, seqs, seq_min FROM segment WHERE tag_id = ? AND t_start >= ? ORDER BY t_start').raw(),
      segmentRowsFrom: db.prepare('SELECT t_start, summary FROM segment WHERE tag_id = ? AND t_start >= ? ORDER BY t_start').raw(),
      segmentSpans: db.prepare('SELECT t_start, t_end, summary FROM segment WHERE tag_id = ? ORDER BY t_start').raw(),
      delSegmentsFrom: db.prepare('DELETE FROM segment WHERE tag_id = ? AND t_start >= ?'),
      segmentTags: db.prepare('SELECT DISTINCT tag_id FROM segment').pluck(),
      segmentCount: db.prepare('SELECT count(*) FROM segment WHERE tag_id = ?').pluck(),
      lastBlock: db.prepare('SELECT t_start, t_end FROM block WHERE tag_id = ? ORDER BY t_start DESC LIMIT 1').raw(),
      lastSegment: db.prepare('SELECT t_end FROM segment WHERE tag_id = ? ORDER BY t_start DESC LIMIT 1').pluck(),
      lastEvent: db.prepare('SELECT t, value, status, flags FROM event WHERE tag_id = ? ORDER BY t DESC LIMIT 1').raw(),
      eventFlags: db.prepare('SELECT flags FROM event WHERE tag_id = ? AND t = ?').pluck(),
      putEvent: db.prepare('INSERT OR REPLACE INTO event(tag_id, t, value, status, flags, seq) VALUES (?, ?, ?, ?, ?, ?)'),
      maxBlockSeq: db.prepare('SELECT max(seq_max) FROM block').pluck(),
      maxSegmentSeq: db.prepare('SELECT max(seq_max) FROM segment').pluck(),
      maxEventSeq: db.prepare('SELECT max(seq) FROM event').pluck(),
      clearDeltas: db.prepare('DELETE FROM flush_delta'),
      putJournal: db.prepare('INSERT INTO journal(data) VALUES (?)'),
      dropJournal: db.prepare('DELETE FROM journal WHERE id <= ?'),
      journal: db.prepare('SELECT id, data FROM journal ORDER BY id').raw(),
      clearOtherDeltas: db.prepare('DELETE FROM flush_delta WHERE seq <> ?'),
      putDelta: db.prepare(`INSERT INTO flush_delta(tag_id, seq, received, samples, added) VALUES (?, ?, ?, ?, ?) ON CONFLICT(tag_id)
        DO UPDATE SET received = received + excluded.received, samples = samples + excluded.samples, added = added + excluded.added`),
      deltasAfter: db.prepare('SELECT tag_id AS tagId, seq, received, samples, added FROM flush_delta WHERE seq > ?'),
      blockSummaries: db.prepare('SELECT tag_id, t_start, summary FROM block').raw(),
      segmentSummaries: db.prepare('SELECT tag_id, t_start, summary FROM segment').raw(),
      eventCounts: db.prepare('SELECT tag_id, count(*) FROM event GROUP BY tag_id').raw(),
    };
  }

  /**
   * Writes a sealed block: its bytes appended to block_data, its summary row pointing at them
   * (replacing a block with the same start, should a failed flush be tried again). Returns the
   * change in the tag's counters.
   */
  putBlock(tagId: number, points: StoredRun | readonly StoredPoint[], stepped: boolean): CountDelta {
    const run = runOf(points);
    const e = encodeRun(run, stepped);
    const replaced = this.st.dataIdOf.get(tagId, e.tStart) !== undefined ? this.deleteBlock(tagId, e.tStart) : NONE;
    const dataId = Number(this.st.putData.run(e.data, e.seqs).lastInsertRowid);
    this.st.putBlock.run(tagId, e.tStart, e.tEnd, e.seqMin, e.seqMax, e.summary, dataId);
    this.rollups.sealed(tagId);
    this.lastBlockBytes = e.data.length;
    return { samples: run.cols.length + replaced.samples, added: e.added + replaced.added };
  }

  /** Encoded bytes of the last block written (the writer sizes the next blocks by it). */
  lastBlockBytes = 0;

  /** Deletes a sealed block; returns the change in the tag's counters (negative). */
  deleteBlock(tagId: number, tStart: number): CountDelta {
    const row = this.st.summaryOf.get(tagId, tStart) as [Buffer, number] | undefined;
    if (!row) return NONE;
    this.st.delBlock.run(tagId, tStart);
    this.st.delData.run(row[1]);
    return negated(summaryCounts(row[0], tStart));
  }

  /**
   * Appends a segment of the tag's open block; returns the change in the tag's counters. `quick`:
   * a flush's few new points, or merged segments, written again with the block later (no entropy
   * stage: block.ts).
   */
  putSegment(tagId: number, points: StoredRun | readonly StoredPoint[], stepped: boolean, quick = false): CountDelta {
    const run = runOf(points);
    const e = encodeRun(run, stepped, !quick);
    this.st.putSegment.run(tagId, e.tStart, e.tEnd, e.seqMin, e.seqMax, e.summary, e.data, e.seqs);
    return { samples: run.cols.length, added: e.added };
  }

  /** Deletes the tag's open block (all its segments in this volume); returns the change in its counters (negative). */
  deleteSegments(tagId: number): CountDelta {
    let samples = 0, added = 0;
    for (const [tStart, summary] of this.st.segmentRows.all(tagId) as [number, Buffer][]) {
      const c = summaryCounts(summary, tStart);
      samples += c.samples;
      added += c.added;
    }
    this.st.delSegments.run(tagId);
    return { samples: -samples, added: -added };
  }

  /** Deletes the open block's segments from the one starting at `from` on; returns the change in its counters (negative). */
  deleteSegmentsFrom(tagId: number, from: number): CountDelta {
    let samples = 0, added = 0;
    for (const [tStart, summary] of this.st.segmentRowsFrom.all(tagId, from) as [number, Buffer][]) {
      const c = summaryCounts(summary, tStart);
      samples += c.samples;
      added += c.added;
    }
    this.st.delSegmentsFrom.run(tagId, from);
    return { samples: -samples, added: -added };
  }

  /** The open block's segment rows: first time and points of each, in time order. */
  segmentSizes(tagId: number): { t: number; n: number; tEnd: number }[] {
    return (this.st.segmentSpans.all(tagId) as [number, number, Buffer][]).map(([t, tEnd, summary]) => ({ t, n: summaryCounts(summary, t).samples, tEnd }));
  }

  /** A sealed block's points with their write sequence numbers. */
  blockPoints(tagId: number, tStart: number): StoredPoint[] {
    const row = this.st.blockRow.get(tagId, tStart) as [Buffer, Buffer | null, number] | undefined;
    if (!row) throw new Error(`${this.file}: block of tag ${tagId} at ${tStart} has no data row`);
    return pointsOf(row);
  }

  /** The tag's open block as its segments hold it, in time order. */
  segmentPoints(tagId: number): StoredPoint[] {
    return (this.st.segments.all(tagId) as [Buffer, Buffer | null, number][]).flatMap(pointsOf);
  }

  /** The open block as its segments hold it followed by `tail`, as one run: the seal path. */
  segmentRun(tagId: number, tail: StoredRun): StoredRun {
    return runOfRows(this.st.segments.all(tagId) as SegmentRow[], tail);
  }

  /** The open block's segments from the one starting at `from` on, as one run: the merge path. */
  segmentRunFrom(tagId: number, from: number): StoredRun {
    return runOfRows(this.st.segmentsFrom.all(tagId, from) as SegmentRow[]);
  }

  /**
   * Starts of the sealed blocks a late sample set [from, to] must be merged into: those
   * overlapping it, the one just before (a sample in a gap joins the block before it) or else
   * the first one after.
   */
  mergeTargets(tagId: number, from: number, to: number): number[] {
    const starts = this.st.touching.all(tagId, from, to) as number[];
    const before = this.st.before.get(tagId, from) as number | undefined;
    if (before !== undefined && starts[0] !== before) starts.unshift(before);
    if (starts.length === 0) {
      const after = this.st.after.get(tagId, to) as number | undefined;
      if (after !== undefined) starts.push(after);
    }
    return starts;
  }

  /** Segment rows of the tag's open block here. */
  segmentCount(tagId: number): number { return this.st.segmentCount.get(tagId) as number; }

  /** Tags with an open block (segments) here. */
  segmentTags(): number[] { return this.st.segmentTags.all() as number[]; }

  /** Time of the tag's last archived value in this volume, or null. */
  lastTime(tagId: number): number | null {
    const b = this.st.lastBlock.get(tagId) as [number, number] | undefined;
    const s = this.st.lastSegment.get(tagId) as number | undefined;
    const e = this.st.lastEvent.get(tagId) as [number] | undefined;
    const t = Math.max(b?.[1] ?? -Infinity, s ?? -Infinity, e?.[0] ?? -Infinity);
    return t === -Infinity ? null : t;
  }

  /** The tag's last archived point here (what an idle tag's compressor resumes from), or null. */
  lastPoint(tagId: number): ArchivedSample | null {
    const e = this.st.lastEvent.get(tagId) as [number, number | string, number, number] | undefined;
    if (e) return { t: e[0], value: e[3] & STORED_BOOLEAN ? e[1] === 1 : e[1], status: e[2], flags: e[3] & 0xff };
    const seg = this.segmentPoints(tagId);
    if (seg.length) return strip(seg[seg.length - 1]!);
    const b = this.st.lastBlock.get(tagId) as [number, number] | undefined;
    if (!b) return null;
    const pts = this.blockPoints(tagId, b[0]);
    return strip(pts[pts.length - 1]!);
  }

  /** Writes an event; returns what it changed in the tag's counters (nothing when it replaced a value at that time). */
  putEvent(tagId: number, t: number, value: Value, status: number, flags: number, seq: number): CountDelta {
    const replaced = this.st.eventFlags.get(tagId, t) !== undefined;
    const [v, f] = storedValue(value, flags);
    this.st.putEvent.run(tagId, t, v, status, f, seq);
    return { samples: replaced ? 0 : 1, added: 0 };
  }

  /** Seals every open block (the volume is let go): each tag's segments become one sealed block (or a few). */
  sealAll(stepped: (tagId: number) => boolean, blockPoints: number): void {
    for (const tagId of this.segmentTags()) {
      const points = this.segmentPoints(tagId);
      this.deleteSegments(tagId);
      const chunks = Math.ceil(points.length / blockPoints);
      const size = Math.ceil(points.length / chunks);
      for (let i = 0; i < points.length; i += size) this.putBlock(tagId, points.slice(i, i + size), stepped(tagId));
    }
  }

  /** Appends a journal row (journal.ts); returns its id. */
  putJournal(entries: readonly JournalWrite[]): number {
    return Number(this.st.putJournal.run(encodeJournal(entries)).lastInsertRowid);
  }

  /** Deletes the journal rows up to id (their points are in segments now). */
  dropJournal(upTo: number): void {
    this.st.dropJournal.run(upTo);
  }

  /** The journal's entries in the order they were written, and the last row's id (0: none). */
  journal(): { entries: JournalEntry[]; last: number } {
    const entries: JournalEntry[] = [];
    let last = 0;
    for (const [id, data] of this.st.journal.all() as [number, Buffer][]) {
      entries.push(...decodeJournal(data, `${this.file}: journal row ${id}`));
      last = id;
    }
    return { entries, last };
  }

  /**
   * The counter deltas of this flush, replacing the last flush's; added to those of its own
   * sequence number: a flush the catalog did not record (its commit, or a later volume's, failed)
   * is followed by one with the same number, and a crash before the catalog records it must
   * find both here (recoverWrites).
   */
  putDeltas(seq: number, rows: Iterable<{ tagId: number; received: number; samples: number; added: number }>): void {
    this.st.clearOtherDeltas.run(seq);
    for (const r of rows) this.st.putDelta.run(r.tagId, seq, r.received, r.samples, r.added);
  }

  /** Drops the counter deltas (after a clean close's last catalog commit they are not needed). */
  clearDeltas(): void {
    this.st.clearDeltas.run();
  }

  /** Counter deltas of flushes after seq (one the catalog missed: a crash between the commits). */
  deltasAfter(seq: number): { tagId: number; seq: number; received: number; samples: number; added: number }[] {
    return this.st.deltasAfter.all(seq) as { tagId: number; seq: number; received: number; samples: number; added: number }[];
  }

  /** What this volume holds per tag: values, and records the historian added among them. */
  counts(): Map<number, CountDelta> {
    const out = new Map<number, CountDelta>();
    const at = (id: number) => {
      let c = out.get(id);
      if (!c) out.set(id, (c = { samples: 0, added: 0 }));
      return c;
    };
    for (const stmt of [this.st.blockSummaries, this.st.segmentSummaries]) {
      for (const [tagId, tStart, summary] of stmt.all() as [number, number, Buffer][]) {
        const c = at(tagId), d = summaryCounts(summary, tStart);
        c.samples += d.samples;
        c.added += d.added;
      }
    }
    for (const [tagId, n] of this.st.eventCounts.all() as [number, number][]) at(tagId).samples += n;
    return out;
  }

  /** The highest write sequence number this volume holds (0 for data written before the change feed). */
  maxSeq(): number {
    return Math.max((this.st.maxBlockSeq.get() as number | null) ?? 0, (this.st.maxSegmentSeq.get() as number | null) ?? 0,
      (this.st.maxEventSeq.get() as number | null) ?? 0);
  }

  /** Gives every row of the volume write sequence number seq (an imported file). */
  restamp(seq: number): void {
    this.db.prepare('UPDATE block SET seq_min = @seq, seq_max = @seq').run({ seq });
    this.db.prepare('UPDATE block_data SET seqs = NULL').run();
    this.db.prepare('UPDATE segment SET seq_min = @seq, seq_max = @seq, seqs = NULL').run({ seq });
    this.db.prepare('UPDATE event SET seq = ?').run(seq);
    this.st.clearDeltas.run();
  }

  /** Rolls up every tag's blocks after its last rollup (rollups.ts): a file from before them, or (anew) imported. */
  rollUpAll(anew = false): void {
    this.db.transaction(() => this.rollups.rollUpAll(anew))();
  }

  /** Fills the segment table's leaf pages (segment-pack.ts): a clean close does it before the file is left. */
  packSegments(): void { packSegments(this.db); }

  close(): void {
    if (this.readOnly) this.db.close();
    else closeWritable(this.db);
  }
}

/** A volume opened read-only that needs a writer's open first (an older format, rollups to make). */
export class NeedsWriter extends Error {
  constructor() { super('volume: opened read-only, needs a writer\'s open'); }
}

const NONE: CountDelta = { samples: 0, added: 0 };
const negated = (c: CountDelta): CountDelta => ({ samples: -c.samples, added: -c.added });

/** Count and cyclic records of a block from its stored summary. */
function summaryCounts(summary: Uint8Array, tStart: number): CountDelta {
  const sums = new Float64Array(SUMMARY_FIELDS);
  const added = decodeSummaryInto(summary, tStart, sums, 0);
  return { samples: sums[2]!, added };
}

/** A block or segment row (data, seqs, uniform seq) as its columns and sequence numbers. */
function decodeRow(row: [Buffer, Buffer | null, number]): StoredRun {
  const cols = decodeBlock(row[0]);
  const seqs = new Float64Array(cols.length);
  decodeSeqs(row[1], row[2], seqs, cols.length);
  return { cols, seqs };
}

/** A segment row as the statements return it: data, seqs (null when uniform), seq_max. */
type SegmentRow = [Buffer, Buffer | null, number];

/**
 * Segment rows in time order (and the tail after them) as one run. Each row is decoded into one
 * reused buffer and gathered in reused columns, then copied out once at the run's length: a
 * seal reads back ~10 segments, and five fresh typed arrays per row (zeroed, and counted as
 * external memory, which brings collections on) cost more than decoding them.
 */
function runOfRows(rows: readonly SegmentRow[], tail?: StoredRun): StoredRun {
  const extra = tail?.cols.length ?? 0;
  if (rows.length === 0 && tail) return tail;
  if (rows.length === 1 && extra === 0) return decodeRow(rows[0]!);
  let n = 0;
  for (const row of rows) {
    const k = decodeBlockInto(row[0], rowBuffer);
    gathered.room(n + k);
    copyColumns(gathered, n, rowBuffer, k);
    decodeSeqs(row[1], row[2], gathered.seqs.subarray(n, n + k), k);
    n += k;
  }
  const total = n + extra;
  const cols: SampleColumns = {
    t: new Float64Array(total), value: new Float64Array(total), status: new Uint32Array(total), flags: new Uint8Array(total), length: total,
  };
  const seqs = new Float64Array(total);
  copyColumns(cols, 0, gathered, n);
  seqs.set(gathered.seqs.subarray(0, n));
  if (tail && extra) {
    copyColumns(cols, n, tail.cols, extra);
    seqs.set(tail.seqs.subarray(0, extra), n);
  }
  return { cols, seqs };
}

type Columns = Pick<SampleColumns, 't' | 'value' | 'status' | 'flags'>;

/** Points [0, n) of `from` into `to` from index `at`. */
function copyColumns(to: Columns, at: number, from: Columns, n: number): void {
  to.t.set(from.t.subarray(0, n), at);
  to.value.set(from.value.subarray(0, n), at);
  to.status.set(from.status.subarray(0, n), at);
  to.flags.set(from.flags.subarray(0, n), at);
}

/** runOfRows' reused columns: grown to the largest open block read back, never shrunk (a block is at most MAX_BLOCK_POINTS). */
class Gathered {
  t = new Float64Array(0);
  value = new Float64Array(0);
  status = new Uint32Array(0);
  flags = new Uint8Array(0);
  seqs = new Float64Array(0);

  /** Room for n points, keeping what is gathered. */
  room(n: number): void {
    if (this.t.length >= n) return;
    const size = Math.max(n, 2 * this.t.length);
    const grow = <A extends Float64Array | Uint32Array | Uint8Array>(a: A, make: (size: number) => A): A => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.t = grow(this.t, (k) => new Float64Array(k));
    this.value = grow(this.value, (k) => new Float64Array(k));
    this.status = grow(this.status, (k) => new Uint32Array(k));
    this.flags = grow(this.flags, (k) => new Uint8Array(k));
    this.seqs = grow(this.seqs, (k) => new Float64Array(k));
  }
}
const gathered = new Gathered();
const rowBuffer = new ColumnBuffer();

function pointsOf(row: [Buffer, Buffer | null, number]): StoredPoint[] {
  const { cols, seqs } = decodeRow(row);
  return fromColumns(cols, seqs);
}

const strip = (p: StoredPoint): ArchivedSample => ({ t: p.t, value: p.value, status: p.status, flags: p.flags });
