/**
 * What every read works on: read-only connections to the catalog and to the
 * attached volumes, the tags with their versions, and per-tag scans that run
 * lazily across volumes, blocks and event rows in either direction. A volume
 * whose file is missing or damaged is skipped from where that shows, and
 * listed by unreadable() (store/unreadable.ts).
 */
import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ColumnBuffer, decodeBlockInto } from '../store/codec.js';
import { type TagRecord, type VolumeInfo, catalogPath, loadTags, loadVolumes, openCatalogDb } from '../store/catalog.js';
import { STORED_BOOLEAN, hasColumn } from '../store/schema.js';
import { decodeState } from '../store/tag-state.js';
import { fromStatePoint } from '../compression/state.js';
import { type VolumeProblem, VolumeUnreadableError, catalogError, isDamage } from '../store/unreadable.js';
import type { HistValue, SampleColumns, TagVersion } from '../types.js';
import { versionAt } from '../store/versions.js';
import { SummaryCache } from './summary-cache.js';
import { GrowingColumns } from './growing-columns.js';
import { type SealedSummaries, VolumeReader } from './volume-reader.js';

export { VolumeReader, clampInt } from './volume-reader.js';

/** Read connections kept open at once (each holds three file descriptors). */
const MAX_OPEN = 64;
/** Rows fetched per query while scanning. */
const CHUNK = 256;

export type TagSelector = string | readonly string[];

export interface TagInfo extends TagRecord {
  versionAt(t: number): TagVersion;
}

export class ReadSource {
  private readonly catalog: Database.Database;
  /** The catalog connection (read-only): the change feed reads its own tables there. */
  get catalogDb(): Database.Database { return this.catalog; }
  private readonly dataVersion: Database.Statement;
  private seenVersion = -1;
  private seenGeneration = '';
  private readonly generation: Database.Statement;
  private readonly stateOf: Database.Statement;
  private tagList: TagInfo[] = [];
  private byName = new Map<string, TagInfo>();
  private volumes: VolumeInfo[] = [];
  private readonly open = new Map<number, VolumeReader>();
  /** Volumes whose files cannot be read, by id: skipped until the catalog changes. */
  private readonly bad = new Map<number, VolumeProblem>();
  readonly summaryCache = new SummaryCache<SealedSummaries>();
  private readonly collected = new GrowingColumns(0);

  constructor(readonly dir: string) {
    try {
      this.catalog = openCatalogDb(dir, true);
      this.dataVersion = this.catalog.prepare('PRAGMA data_version').pluck();
      this.generation = this.catalog.prepare("SELECT value FROM meta WHERE key = 'generation'").pluck();
      // Catalogs of format 1 and 2, read as they are, keep the state as JSON in tag_state.
      this.stateOf = this.catalog.prepare(hasColumn(this.catalog, 'tag', 'state')
        ? 'SELECT state FROM tag WHERE id = ?' : 'SELECT state FROM tag_state WHERE tag_id = ?').pluck();
      this.refresh();
    } catch (err) {
      throw catalogError(catalogPath(dir), err);
    }
  }

  /** Reloads tags and volumes when another connection changed the catalog. */
  refresh(): void {
    const v = this.dataVersion.get() as number;
    if (v === this.seenVersion) return;
    this.seenVersion = v;
    const g = (this.generation.get() as string | undefined) ?? '0';
    if (g === this.seenGeneration) return; // only tag_state rows changed
    this.catalog.transaction(() => {
      this.seenGeneration = (this.generation.get() as string | undefined) ?? '0';
      this.tagList = loadTags(this.catalog).map((t) => ({ ...t, versionAt: (at: number) => versionAt(t.versions, at)! }));
      this.volumes = loadVolumes(this.catalog).filter((x) => x.state === 'attached');
    })();
    this.byName = new Map(this.tagList.map((t) => [t.name, t]));
    const live = new Set(this.volumes.map((x) => x.id));
    for (const [id, r] of this.open) if (!live.has(id)) { r.close(); this.open.delete(id); }
    this.bad.clear(); // a volume detached, restored and attached again is read again
  }

  /** The volumes these reads found unreadable (missing or damaged files) and skip. */
  unreadable(): VolumeProblem[] { return [...this.bad.values()]; }
  /** Why v is skipped, if it is. */
  problemOf(v: VolumeInfo): VolumeProblem | undefined { return this.bad.get(v.id); }

  tags(): readonly TagInfo[] { return this.tagList; }

  /** Names, `*`/`?` wildcards, or '*' for all; an unknown exact name is an error. */
  resolve(selector: TagSelector): TagInfo[] {
    const patterns = typeof selector === 'string' ? [selector] : selector;
    const out: TagInfo[] = [];
    const seen = new Set<number>();
    for (const p of patterns) {
      if (!/[*?]/.test(p)) {
        const t = this.byName.get(p);
        if (!t) throw new Error(`tag '${p}': not defined`);
        if (!seen.has(t.id)) { seen.add(t.id); out.push(t); }
        continue;
      }
      const re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
      for (const t of this.tagList) if (re.test(t.name) && !seen.has(t.id)) { seen.add(t.id); out.push(t); }
    }
    return out;
  }

  /** Attached volumes overlapping [lo, hi], ascending, but those found unreadable. */
  volumesIn(lo: number, hi: number): VolumeInfo[] {
    return this.volumes.filter((v) => v.end > lo && v.start <= hi && !this.bad.has(v.id));
  }

  /** The volume's reader; null when its file is missing or damaged (recorded by skip()). */
  reader(v: VolumeInfo): VolumeReader | null {
    if (this.bad.has(v.id)) return null;
    try {
      return this.openReader(v);
    } catch (err) {
      this.skip(v, err);
      return null;
    }
  }

  /**
   * A read of volume v failed: when its file is missing or damaged, v is recorded and left out
   * of reads from now on (what was read from it stays); any other error is thrown.
   */
  skip(v: VolumeInfo, err: unknown): void {
    if (!isDamage(err)) throw err;
    const path = join(this.dir, 'volumes', v.file);
    const e = err instanceof VolumeUnreadableError ? err : new VolumeUnreadableError(v, path, err, v.end > Date.now());
    this.bad.set(v.id, e.problem);
    this.open.get(v.id)?.close();
    this.open.delete(v.id);
  }

  /** fn's result, or undefined when the volume turned out unreadable (skip()). */
  private query<T>(v: VolumeInfo, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      this.skip(v, err);
      return undefined;
    }
  }

  private openReader(v: VolumeInfo): VolumeReader {
    let r = this.open.get(v.id);
    if (r && r.stale()) { // a writer migrated the file to the current format since
      r.close();
      this.open.delete(v.id);
      r = undefined;
    }
    if (r) {
      this.open.delete(v.id);
      this.open.set(v.id, r);
      return r;
    }
    const path = join(this.dir, 'volumes', v.file);
    if (!existsSync(path)) throw new VolumeUnreadableError(v, path, 'missing', v.end > Date.now());
    r = new VolumeReader(v, path);
    this.open.set(v.id, r);
    if (this.open.size > MAX_OPEN) {
      const [oldId, oldest] = this.open.entries().next().value as [number, VolumeReader];
      this.open.delete(oldId);
      oldest.close();
    }
    return r;
  }

  /**
   * Archived values of a tag with lo <= t <= hi, ascending or descending,
   * lazily: stopping early reads no further. Status and flags as stored.
   */
  *scan(tag: TagInfo, lo: number, hi: number, desc: boolean): Generator<HistValue> {
    if (lo > hi) return;
    const vols = this.volumesIn(lo, hi);
    if (desc) vols.reverse();
    for (const v of vols) {
      if (tag.kind === 'analog') yield* this.scanBlocks(v, tag.id, lo, hi, desc);
      else yield* this.scanEvents(v, tag.id, lo, hi, desc);
    }
  }

  private *scanBlocks(v: VolumeInfo, tagId: number, lo: number, hi: number, desc: boolean): Generator<HistValue> {
    for (const c of this.blocks(v, tagId, lo, hi, desc)) {
      const n = c.length;
      for (let k = 0; k < n; k++) {
        const i = desc ? n - 1 - k : k;
        const t = c.t[i]!;
        if (t < lo || t > hi) continue;
        yield { t, value: c.value[i]!, status: c.status[i]!, flags: c.flags[i]! };
      }
    }
  }

  /**
   * The decoded blocks of an analog tag in one volume that may hold values in [lo, hi], in
   * block order (callers filter by t). The columns are one reused buffer: each is valid only
   * until the generator resumes, so a scan allocates nothing per block. None from an unreadable volume.
   */
  *blocks(v: VolumeInfo, tagId: number, lo: number, hi: number, desc: boolean): Generator<SampleColumns> {
    const r = this.reader(v);
    if (r === null) return;
    const cols = new ColumnBuffer();
    const floor = this.query(v, () => r.blockFloor(tagId, lo));
    if (floor === undefined) return;
    let from = floor, to = hi;
    for (;;) {
      const rows = this.query(v, () => r.blocksWithData(tagId, from, to, desc, CHUNK));
      if (rows === undefined) return;
      for (const [, bytes] of rows) {
        decodeBlockInto(bytes, cols);
        yield cols;
      }
      if (rows.length < CHUNK) return;
      if (desc) to = rows[rows.length - 1]![0] - 1; else from = rows[rows.length - 1]![0] + 1;
    }
  }

  private *scanEvents(v: VolumeInfo, tagId: number, lo: number, hi: number, desc: boolean): Generator<HistValue> {
    const r = this.reader(v);
    if (r === null) return;
    let from = lo, to = hi;
    for (;;) {
      const rows = this.query(v, () => r.events(tagId, from, to, desc, CHUNK));
      if (rows === undefined) return;
      for (const [t, value, status, flags] of rows) {
        yield { t, value: flags & STORED_BOOLEAN ? value === 1 : value, status, flags: flags & 0xff };
      }
      if (rows.length < CHUNK) return;
      if (desc) to = rows[rows.length - 1]![0] - 1; else from = rows[rows.length - 1]![0] + 1;
    }
  }

  /** All archived values of a discrete or text tag with lo <= t <= hi, ascending (processed reads; analog tags: collectColumns). */
  collectEvents(tag: TagInfo, lo: number, hi: number): HistValue[] {
    if (tag.kind === 'analog') throw new Error(`collectEvents: tag '${tag.name}' is analog, expected discrete or text`);
    return [...this.scan(tag, lo, hi, false)];
  }

  /**
   * An analog tag's archived values with lo <= t <= hi as columns: `lead` empty slots first (for a bound the caller
   * puts there) and room for one more at the end; `length` counts the lead slots. Values are
   * copied a block range at a time, with no object per value, into one buffer kept for the
   * next call (valid until then): a week of 1 s data is 14 MB not to allocate per query.
   */
  collectColumns(tag: TagInfo, lo: number, hi: number, lead: number): GrowingColumns {
    if (tag.kind !== 'analog') throw new Error(`collectColumns: tag '${tag.name}' is ${tag.kind}, expected analog`);
    const out = this.collected;
    out.reset(lead);
    this.eachBlockIn(tag, lo, hi, (c) => out.appendWithin(c, lo, hi));
    out.reserve(1);
    return out;
  }

  /** Decodes, in time order and a chunk of blocks at a time, every block of an analog tag that may hold lo..hi. */
  private eachBlockIn(tag: TagInfo, lo: number, hi: number, fn: (c: SampleColumns) => void): void {
    const cols = new ColumnBuffer();
    for (const v of this.volumesIn(lo, hi)) {
      const r = this.reader(v);
      if (r === null) continue;
      let from = this.query(v, () => r.blockFloor(tag.id, lo));
      while (from !== undefined) {
        const at = from;
        const rows = this.query(v, () => r.blocksWithData(tag.id, at, hi, false, CHUNK));
        if (rows === undefined) break;
        for (const [, bytes] of rows) {
          decodeBlockInto(bytes, cols);
          fn(cols);
        }
        if (rows.length < CHUNK) break;
        from = rows[rows.length - 1]![0] + 1;
      }
    }
  }

  /** The last archived value before t, if any. */
  before(tag: TagInfo, t: number): HistValue | undefined {
    return this.scan(tag, -Infinity, t - 1, true).next().value ?? undefined;
  }

  /** The first archived value after t, if any. */
  after(tag: TagInfo, t: number): HistValue | undefined {
    return this.scan(tag, t + 1, Infinity, false).next().value ?? undefined;
  }

  /**
   * The newest sample the writer took for the tag and did not archive, when later than every
   * archived one: a compressed tag's value held within its deviation (PI's snapshot), from the
   * state the writer saved at its last flush. It tells how long the tag's last archived value
   * went on holding: without it a steady tag's data would end at its last archived point.
   */
  unarchived(tag: TagInfo): HistValue | undefined {
    const stored = this.stateOf.get(tag.id) as Uint8Array | string | null | undefined;
    if (!stored) return undefined;
    const bytes = typeof stored === 'string' ? Buffer.from(stored) : stored;
    let p;
    try {
      p = fromStatePoint(decodeState(bytes).compressor?.latest ?? null, 'latest', tag.kind === 'analog');
    } catch (err) {
      throw new Error(`${catalogPath(this.dir)}: tag '${tag.name}': saved writer state: ${(err as Error).message}`, { cause: err });
    }
    if (p === null) return undefined;
    const last = this.before(tag, Infinity);
    return last === undefined || p.t > last.t ? p : undefined;
  }

  close(): void {
    for (const r of this.open.values()) r.close();
    this.open.clear();
    this.catalog.close();
  }
}

