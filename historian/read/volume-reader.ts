/**
 * One volume file opened for reading: a tag's blocks in time order with their bytes, their
 * summaries (what plots read), its event rows. Sealed blocks and the open block's segments read
 * as one sequence. Files of format 1 and 2 (before format 3) read through the same methods:
 * their `block` rows carry the summary in columns and their bytes sit in block_data by key.
 */
import type Database from 'better-sqlite3';
import { ColumnBuffer, decodeBlock, decodeBlockInto } from '../store/codec.js';
import type { VolumeInfo } from '../store/catalog.js';
import { FORMAT, SUMMARY_FIELDS, hasColumn, openReadOnly, readMeta } from '../store/schema.js';
import { NO_LOWER } from '../store/rollups.js';
import { decodeSummaryInto, summaryEnd } from '../store/summary-codec.js';
import type { SampleColumns } from '../types.js';
import type { SummaryCache } from './summary-cache.js';

/** SQLite binds integers up to 2^63: infinite bounds become the largest safe ones. */
export const clampInt = (t: number): number => (t === Infinity ? Number.MAX_SAFE_INTEGER : t === -Infinity ? -Number.MAX_SAFE_INTEGER : t);

/**
 * Block summaries packed for plots: SUMMARY_FIELDS doubles per block (t_start, t_end, count,
 * min, max, first_t, first_v, last_t, last_v, worst; NaN for a null) and, per block, the ref
 * eachDecoded takes to decode it: its t_start in v3 files (a tag's blocks and open segments
 * never share one), a number only this reader interprets.
 */
export interface PackedSummaries { sums: Float64Array; refs: Float64Array }

/**
 * What a plot reads of a tag in one volume: `runs`, summaries of blocks and open segments;
 * `rollups`, summaries of runs of sealed blocks (store/rollups.ts) whose refs are their hi (the
 * last block's start), expanded into their blocks' summaries by `expand` where needed.
 */
export interface TagSummaries {
  runs: PackedSummaries[];
  rollups: PackedSummaries | null;
  /** The tag has open segments in the file (else every ref is a sealed block's: eachDecoded looks in blocks only). */
  open: boolean;
}

/** A tag's sealed summaries as cached: the rollups, the blocks no rollup covers, rollups expanded so far (by hi). */
export interface SealedSummaries { runs: PackedSummaries[]; rollups: PackedSummaries | null; expanded: Map<number, PackedSummaries> }

/**
 * A tag's sealed summaries from one row: `starts` the blocks' t_start as comma-separated
 * integers (their refs too), `sums` the summaries end to end (each says where it ends). Null when
 * the blocks did not come in time order.
 */
function sealedPacked(starts: string | null, sums: Buffer | null): PackedSummaries[] | null {
  if (starts === null || sums === null) return [];
  const tStart = parseIntegers(starts);
  const out = decodeSummaries(tStart, sums);
  return out && [{ sums: out, refs: tStart }];
}

/** Summaries laid end to end, each keyed by its start (in increasing order, else null), as packed doubles. */
function decodeSummaries(tStart: Float64Array, sums: Buffer): Float64Array | null {
  const n = tStart.length;
  const out = new Float64Array(n * SUMMARY_FIELDS);
  const bytes = new Uint8Array(sums.buffer, sums.byteOffset, sums.length); // not a Buffer: one element kind for the decoder
  for (let k = 0, at = 0; k < n; k++) {
    if (k > 0 && !(tStart[k]! > tStart[k - 1]!)) return null;
    if (at >= bytes.length) throw new Error(`corrupt summaries: ${n} blocks, summaries end at block ${k}`);
    decodeSummaryInto(bytes, tStart[k]!, out, k * SUMMARY_FIELDS, at, bytes.length);
    at = summaryEnd();
  }
  return out;
}

/**
 * A tag's rollups from one row (his, los and starts as comma-separated integers, summaries end
 * to end) and the ranges of block starts (lo, hi] they leave uncovered: breaks in their chain
 * (a rollup a changed block deleted) and the blocks after the last. Null when the rows did not
 * come in key order.
 */
function rollupsPacked(his: string | null, los: string | null, starts: string | null, sums: Buffer | null): { rollups: PackedSummaries | null; gaps: [number, number][] } | null {
  if (his === null || los === null || starts === null || sums === null) return { rollups: null, gaps: [] };
  const hi = parseIntegers(his), lo = parseIntegers(los);
  const packedSums = decodeSummaries(parseIntegers(starts), sums);
  if (packedSums === null) return null;
  const gaps: [number, number][] = [];
  let covered = NO_LOWER;
  for (let k = 0; k < hi.length; k++) {
    if (lo[k]! > covered) gaps.push([covered, lo[k]!]);
    covered = hi[k]!;
  }
  gaps.push([covered, Number.MAX_SAFE_INTEGER]);
  return { rollups: { sums: packedSums, refs: hi }, gaps };
}

/** Connections by whether their file is UTF-8 (asked once: a cold plot prepared four such statements in each of 12 files). */
const utf8Files = new WeakMap<Database.Database, boolean>();

/**
 * SQL for a column's blobs end to end, as one blob. group_concat passes a blob's bytes through
 * unchanged in a UTF-8 database (every volume Vigil makes is one) and the cast keeps the result
 * a blob: half the time of the hex() and unhex() a database in another encoding needs.
 */
export function concatBlobs(db: Database.Database, column: string, order = ''): string {
  let utf8 = utf8Files.get(db);
  if (utf8 === undefined) utf8Files.set(db, (utf8 = db.pragma('encoding', { simple: true }) === 'UTF-8'));
  return utf8
    ? `CAST(group_concat(${column}, ''${order}) AS BLOB)`
    : `unhex(group_concat(hex(${column}), ''${order}))`;
}

/**
 * "12,-3,40" as numbers, without a string per number, in one pass (n numbers take at least 2n - 1
 * characters), copied to their own buffer: summaries keep them as refs, in a cache that counts bytes.
 */
function parseIntegers(text: string): Float64Array {
  const out = new Float64Array((text.length + 1) >> 1);
  const len = text.length;
  let k = 0, v = 0, sign = 1;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) {
      out[k++] = sign * v;
      v = 0;
      sign = 1;
    } else if (c === 45) sign = -1;
    else v = v * 10 + (c - 48);
  }
  out[k++] = sign * v;
  return k === out.length ? out : out.slice(0, k);
}

/** The range of block starts [t_start, hi] of rollup k, as (lo, hi]. */
const rangeOf = (rollups: PackedSummaries, k: number): [number, number] => [rollups.sums[k * SUMMARY_FIELDS]! - 1, rollups.refs[k]!];

/** Where `x` is in the increasing `sorted` (it must be there). */
function indexOf(sorted: Float64Array, x: number): number {
  let lo = 0, hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  if (sorted[lo] !== x) throw new Error(`no rollup ends at block ${x}`);
  return lo;
}

/** v3 summary rows [t_start, summary, ref] decoded. */
function packed(rows: [number, Buffer, number][]): PackedSummaries[] {
  if (rows.length === 0) return [];
  const sums = new Float64Array(rows.length * SUMMARY_FIELDS);
  const refs = new Float64Array(rows.length);
  rows.forEach(([tStart, summary, ref], k) => {
    decodeSummaryInto(summary, tStart, sums, k * SUMMARY_FIELDS);
    refs[k] = ref;
  });
  return [{ sums, refs }];
}

/**
 * Statements prepared on first use: a reader is opened per volume for queries that run two or
 * three of them (a cold plot over a year of month volumes prepared all 12 of each of the 12).
 */
function lazy<T extends Record<string, () => Database.Statement>>(make: T): { readonly [K in keyof T]: Database.Statement } {
  const out = {} as { [K in keyof T]: Database.Statement };
  for (const key of Object.keys(make) as (keyof T)[]) {
    Object.defineProperty(out, key, {
      configurable: true,
      get: () => {
        const st = make[key]!();
        Object.defineProperty(out, key, { value: st });
        return st;
      },
    });
  }
  return out;
}

function v3Statements(db: Database.Database) {
  return lazy({
    // Each side's last start by its index (a max() over the union walked every block before t: 0.7 ms a call).
    floor: () => db.prepare(`SELECT max(t_start), t_end FROM (
      SELECT * FROM (SELECT t_start, t_end FROM block WHERE tag_id = @tag AND t_start <= @t ORDER BY t_start DESC LIMIT 1)
      UNION ALL SELECT * FROM (SELECT t_start, t_end FROM segment WHERE tag_id = @tag AND t_start <= @t ORDER BY t_start DESC LIMIT 1))`).raw(),
    dataAsc: () => db.prepare(`SELECT b.t_start, d.data FROM block b JOIN block_data d ON d.id = b.data_id
      WHERE b.tag_id = @tag AND b.t_start BETWEEN @lo AND @hi
      UNION ALL SELECT t_start, data FROM segment WHERE tag_id = @tag AND t_start BETWEEN @lo AND @hi ORDER BY 1 LIMIT @n`).raw(),
    dataDesc: () => db.prepare(`SELECT b.t_start, d.data FROM block b JOIN block_data d ON d.id = b.data_id
      WHERE b.tag_id = @tag AND b.t_start BETWEEN @lo AND @hi
      UNION ALL SELECT t_start, data FROM segment WHERE tag_id = @tag AND t_start BETWEEN @lo AND @hi ORDER BY 1 DESC LIMIT @n`).raw(),
    // The blocks' bytes end to end in one row, with their refs (t_start) and lengths (a row and a Buffer per block cost more than the SQL).
    dataOf: () => db.prepare(`SELECT group_concat(k), group_concat(n), ${concatBlobs(db, 'data')} FROM (
      SELECT b.t_start AS k, length(d.data) AS n, d.data FROM block b JOIN block_data d ON d.id = b.data_id
      WHERE b.tag_id = @tag AND b.t_start IN (SELECT value FROM json_each(@refs))
      UNION ALL SELECT t_start, length(data), data FROM segment WHERE tag_id = @tag AND t_start IN (SELECT value FROM json_each(@refs)))`).raw(),
    // The same of sealed blocks only (a year plot's ~2,000 edge blocks: the segment side cost ~15 % of the query).
    sealedDataOf: () => db.prepare(`SELECT group_concat(b.t_start), group_concat(length(d.data)), ${concatBlobs(db, 'd.data')}
      FROM block b JOIN block_data d ON d.id = b.data_id WHERE b.tag_id = @tag AND b.t_start IN (SELECT value FROM json_each(@refs))`).raw(),
    // A tag's sealed summaries in one row (sealedPacked): a row and a Buffer per block made a cold year plot 4x slower;
    // the blocks' data ids as a second list made it ~15 % slower (the refs are the starts).
    // The key range is scanned in t_start order; sealedPacked checks it, and asks again with the order spelled out if not.
    sealed: () => db.prepare(`SELECT group_concat(t_start), ${concatBlobs(db, 'summary')} FROM block WHERE tag_id = ?`).raw(),
    sealedOrdered: () => db.prepare(`SELECT group_concat(t_start, ',' ORDER BY t_start), ${concatBlobs(db, 'summary', ' ORDER BY t_start')}
      FROM block WHERE tag_id = ?`).raw(),
    open: () => db.prepare('SELECT t_start, summary, t_start FROM segment WHERE tag_id = ? AND t_start <= ? ORDER BY t_start').raw(),
    hasRollups: () => db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'rollup'").pluck(),
    // A tag's rollups in one row, like its sealed summaries; and the summaries of its blocks in ranges of starts (lo, hi].
    rollups: () => db.prepare(`SELECT group_concat(hi), group_concat(lo), group_concat(t_start), ${concatBlobs(db, 'summary')}
      FROM rollup WHERE tag_id = ?`).raw(),
    rollupsOrdered: () => db.prepare(`SELECT group_concat(hi, ',' ORDER BY hi), group_concat(lo, ',' ORDER BY hi),
      group_concat(t_start, ',' ORDER BY hi), ${concatBlobs(db, 'summary', ' ORDER BY hi')} FROM rollup WHERE tag_id = ?`).raw(),
    sealedIn: () => db.prepare(`SELECT group_concat(b.t_start), ${concatBlobs(db, 'b.summary')}
      FROM json_each(@ranges) r CROSS JOIN block b ON b.tag_id = @tag AND b.t_start > r.value ->> 0 AND b.t_start <= r.value ->> 1`).raw(),
    sealedInOrdered: () => db.prepare(`SELECT group_concat(b.t_start, ',' ORDER BY b.t_start), ${concatBlobs(db, 'b.summary', ' ORDER BY b.t_start')}
      FROM json_each(@ranges) r CROSS JOIN block b ON b.tag_id = @tag AND b.t_start > r.value ->> 0 AND b.t_start <= r.value ->> 1`).raw(),
  });
}

/** Format 1/2 files: one block table (summary in columns, sealed = 0 for open segments), bytes keyed by (tag, start). */
function legacyStatements(db: Database.Database) {
  return lazy({
    floor: () => db.prepare('SELECT t_start, t_end FROM block WHERE tag_id = @tag AND t_start <= @t ORDER BY t_start DESC LIMIT 1').raw(),
    dataAsc: () => db.prepare('SELECT t_start, bytes FROM block_data WHERE tag_id = @tag AND t_start BETWEEN @lo AND @hi ORDER BY t_start LIMIT @n').raw(),
    dataDesc: () => db.prepare('SELECT t_start, bytes FROM block_data WHERE tag_id = @tag AND t_start BETWEEN @lo AND @hi ORDER BY t_start DESC LIMIT @n').raw(),
    dataOf: () => db.prepare('SELECT t_start, bytes FROM block_data WHERE tag_id = @tag AND t_start IN (SELECT value FROM json_each(@refs))').raw(),
    summaries: () => db.prepare(`SELECT t_start, t_end, count, min, max, first_t, first_v, last_t, last_v, worst
      FROM block WHERE tag_id = ? ORDER BY t_start`).raw(),
  });
}

export class VolumeReader {
  readonly db: Database.Database;
  readonly legacy: boolean;
  private readonly st: ReturnType<typeof v3Statements> | ReturnType<typeof legacyStatements>;
  private readonly schema: Database.Statement;
  private readonly schemaSeen: number;
  private readonly dataVersion: Database.Statement;
  private readonly ev: { readonly asc: Database.Statement; readonly desc: Database.Statement };

  constructor(readonly info: VolumeInfo, file: string) {
    const db = (this.db = openReadOnly(file));
    try {
      this.legacy = readMeta(db).get('format') !== FORMAT && !hasColumn(db, 'block', 'data_id');
      this.st = this.legacy ? legacyStatements(db) : v3Statements(db);
      this.schema = db.prepare('PRAGMA schema_version').pluck();
      this.schemaSeen = this.schema.get() as number;
      this.dataVersion = db.prepare('PRAGMA data_version').pluck();
    } catch (err) {
      db.close(); // a damaged file: no connection left on it
      throw err;
    }
    this.ev = lazy({
      asc: () => db.prepare('SELECT t, value, status, flags FROM event WHERE tag_id = ? AND t >= ? AND t <= ? ORDER BY t LIMIT ?').raw(),
      desc: () => db.prepare('SELECT t, value, status, flags FROM event WHERE tag_id = ? AND t >= ? AND t <= ? ORDER BY t DESC LIMIT ?').raw(),
    });
  }

  /** Event rows (t, stored value, status, stored flags) of a tag within [lo, hi], at most n. */
  events(tagId: number, lo: number, hi: number, desc: boolean, n: number): [number, number | string, number, number][] {
    return (desc ? this.ev.desc : this.ev.asc).all(tagId, clampInt(lo), clampInt(hi), n) as [number, number | string, number, number][];
  }

  /**
   * Runs fn in one read transaction: queries that belong together (a plot's summaries, then the
   * bytes of the blocks they name) see one state of the file, not a writer's merge between them.
   */
  snapshot<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** The file's tables changed under this reader (a writer migrated it): open it again. */
  stale(): boolean { return this.schema.get() !== this.schemaSeen; }

  /** The lowest block start to look from so that a block covering `lo` is included. */
  blockFloor(tagId: number, lo: number): number {
    const r = this.st.floor.get({ tag: tagId, t: clampInt(lo) }) as [number | null, number | null] | undefined;
    return r && r[0] !== null && r[1]! >= lo ? r[0] : lo;
  }

  /** Blocks of a tag starting within [lo, hi], with their bytes, in time order (at most n). */
  blocksWithData(tagId: number, lo: number, hi: number, desc: boolean, n: number): [number, Buffer][] {
    return (desc ? this.st.dataDesc : this.st.dataAsc).all({ tag: tagId, lo: clampInt(lo), hi: clampInt(hi), n }) as [number, Buffer][];
  }

  /**
   * Summaries of the tag's blocks and rollups that may overlap [lo, hi] (callers filter) as
   * packed runs of SUMMARY_FIELDS float64 (NaN for null), each with a run of refs (one per
   * block) to decode it: sealed ones kept in `cache` while this file is unchanged (data_version),
   * open segments read each time.
   */
  summaries(tagId: number, hi: number, cache: SummaryCache<SealedSummaries>): TagSummaries {
    const sealed = this.sealed(tagId, cache);
    if (this.legacy) return { runs: sealed.runs, rollups: sealed.rollups, open: true };
    const open = packed((this.st as ReturnType<typeof v3Statements>).open.all(tagId, clampInt(hi)) as [number, Buffer, number][]);
    return { runs: open.length ? [...sealed.runs, ...open] : sealed.runs, rollups: sealed.rollups, open: open.length > 0 };
  }

  /** The summaries of the blocks of the given rollups (by hi, in increasing order; cached with the rollups). */
  expand(tagId: number, his: readonly number[], cache: SummaryCache<SealedSummaries>): PackedSummaries[] {
    const sealed = this.sealed(tagId, cache);
    const rollups = sealed.rollups;
    if (!rollups) throw new Error(`${this.info.file}: tag ${tagId} has no rollups to expand`);
    const ranges: [number, number][] = [], read: [number, number][] = [];
    let prev = -2;
    for (const hi of his) {
      if (sealed.expanded.has(hi)) continue;
      const k = indexOf(rollups.refs, hi);
      const range = rangeOf(rollups, k);
      ranges.push(range);
      // Rollups next to each other in the chain are read as one range (blocks between them, where
      // the chain broke, come too and are left out by split).
      if (k === prev + 1) read[read.length - 1]![1] = range[1];
      else read.push([...range]);
      prev = k;
    }
    // Only the blocks of these rollups: even when every rollup is expanded this is no slower than
    // one pass over all the tag's blocks (a cold year plot in 2,000 buckets, half of them expanded:
    // 47.6 -> 42.9 ms on 4 KB pages, 61.7 -> 57.8 on 512 B).
    if (ranges.length > 0) cache.grow(this.cacheKey(tagId), this.split(tagId, this.sealedIn(tagId, read), ranges, sealed.expanded));
    return his.map((hi) => sealed.expanded.get(hi)!);
  }

  /**
   * Puts each range's blocks (ranges (lo, hi] in increasing order; `blocks` in increasing order
   * of start, maybe with blocks outside every range) into `expanded` by hi; returns the bytes kept.
   */
  private split(tagId: number, blocks: PackedSummaries, ranges: [number, number][], expanded: Map<number, PackedSummaries>): number {
    let k = 0, bytes = 0;
    for (const [lo, hi] of ranges) {
      while (k < blocks.refs.length && blocks.refs[k]! <= lo) k++;
      const from = k;
      while (k < blocks.refs.length && blocks.refs[k]! <= hi) k++;
      if (k === from) throw new Error(`${this.info.file}: the rollup of tag ${tagId} over blocks ${lo + 1} .. ${hi} has no blocks`);
      const part = { sums: blocks.sums.subarray(from * SUMMARY_FIELDS, k * SUMMARY_FIELDS), refs: blocks.refs.subarray(from, k) };
      expanded.set(hi, part);
      bytes += part.sums.byteLength + part.refs.byteLength;
    }
    return bytes;
  }

  private cacheKey(tagId: number): string { return `${this.info.id}:${tagId}`; }

  private sealed(tagId: number, cache: SummaryCache<SealedSummaries>): SealedSummaries {
    const version = this.dataVersion.get() as number;
    const key = this.cacheKey(tagId);
    let sealed = cache.get(key, version)?.[0];
    if (!sealed) {
      sealed = this.legacy ? { runs: this.legacySummaries(tagId), rollups: null, expanded: new Map() } : this.sealedSummaries(tagId);
      const bytes = [...sealed.runs, ...(sealed.rollups ? [sealed.rollups] : [])].reduce((n, p) => n + p.sums.byteLength + p.refs.byteLength, 0);
      cache.set(key, version, [sealed], bytes);
    }
    return sealed;
  }

  /** The rollups and the summaries of the blocks they do not cover (all of them in a file without rollups). */
  private sealedSummaries(tagId: number): SealedSummaries {
    const st = this.st as ReturnType<typeof v3Statements>;
    const none = { runs: [], rollups: null, expanded: new Map() };
    if (!(st.hasRollups.get() as number)) return { ...none, runs: this.allSealed(tagId) };
    type Row = [string | null, string | null, string | null, Buffer | null];
    const r = rollupsPacked(...(st.rollups.get(tagId) as Row)) ?? rollupsPacked(...(st.rollupsOrdered.get(tagId) as Row))!;
    if (!r.rollups) return { ...none, runs: this.allSealed(tagId) };
    const rest = this.sealedIn(tagId, r.gaps);
    return { runs: rest.refs.length ? [rest] : [], rollups: r.rollups, expanded: new Map() };
  }

  /** Summaries of all the tag's sealed blocks, in one run (none when it has none). */
  private allSealed(tagId: number): PackedSummaries[] {
    const st = this.st as ReturnType<typeof v3Statements>;
    type Row = [string | null, Buffer | null];
    return sealedPacked(...(st.sealed.get(tagId) as Row)) ?? sealedPacked(...(st.sealedOrdered.get(tagId) as Row))!;
  }

  /** Summaries of the sealed blocks whose starts lie in the ranges (lo, hi] (in increasing order), in one query. */
  private sealedIn(tagId: number, ranges: [number, number][]): PackedSummaries {
    const st = this.st as ReturnType<typeof v3Statements>;
    const q = { tag: tagId, ranges: JSON.stringify(ranges) };
    type Row = [string | null, Buffer | null];
    const [p] = sealedPacked(...(st.sealedIn.get(q) as Row)) ?? sealedPacked(...(st.sealedInOrdered.get(q) as Row))!;
    return p ?? { sums: new Float64Array(0), refs: new Float64Array(0) };
  }

  private legacySummaries(tagId: number): PackedSummaries[] {
    const rows = (this.st as ReturnType<typeof legacyStatements>).summaries.all(tagId) as (number | null)[][];
    if (rows.length === 0) return [];
    const sums = Float64Array.from(rows.flat(), (x) => x ?? NaN);
    return [{ sums, refs: Float64Array.from(rows, (r) => r[0]!) }];
  }

  /**
   * Decodes blocks of a tag by ref, with one query, in the order of `refs`; with a ColumnBuffer
   * `into`, every block is decoded into it (valid only during the call).
   */
  eachDecoded(tagId: number, refs: readonly number[], into: ColumnBuffer | null, fn: (c: SampleColumns) => void, open = true): void {
    const rows = this.blockBytes(tagId, refs, open);
    for (const ref of refs) {
      const bytes = rows.get(ref);
      if (!bytes) throw new Error(`${this.info.file}: block of tag ${tagId} (${ref}) has no data row`);
      if (into) {
        decodeBlockInto(bytes, into);
        fn(into);
      } else fn(decodeBlock(bytes));
    }
  }

  /** The encoded bytes of blocks by ref (`open`: some may be open segments'). */
  private blockBytes(tagId: number, refs: readonly number[], open: boolean): Map<number, Uint8Array> {
    const q = { tag: tagId, refs: JSON.stringify(refs) };
    if (this.legacy) return new Map(this.st.dataOf.all(q) as [number, Buffer][]);
    const st = open ? this.st.dataOf : (this.st as ReturnType<typeof v3Statements>).sealedDataOf;
    const [keys, lengths, data] = st.get(q) as [string | null, string | null, Buffer | null];
    const out = new Map<number, Uint8Array>();
    if (keys === null || lengths === null || data === null) return out;
    const k = parseIntegers(keys), n = parseIntegers(lengths);
    const all = new Uint8Array(data.buffer, data.byteOffset, data.length);
    let at = 0;
    for (let i = 0; i < k.length; i++) {
      if (out.has(k[i]!)) throw new Error(`${this.info.file}: two blocks of tag ${tagId} start at ${k[i]}`);
      if (at + n[i]! > all.length) throw new Error(`${this.info.file}: block data of tag ${tagId} runs past its ${all.length} bytes`);
      out.set(k[i]!, all.subarray(at, (at += n[i]!)));
    }
    return out;
  }

  close(): void { this.db.close(); }
}

export { ColumnBuffer };
