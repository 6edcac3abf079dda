/**
 * The volume files under <dir>/volumes/ and their catalog rows: which volume
 * holds a time, creation on first write (its period chosen by the data rate
 * when the archive's period is 'auto'), and the writer's open connections.
 * A volume whose file is missing or damaged is left alone (unreadable.ts).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog, VolumeInfo } from './catalog.js';
import { type VolumePeriod, periodOf, volumeFileName } from './periods.js';
import { type VolumeProblem, VolumeUnreadableError, fileProblem, isDamage } from './unreadable.js';
import { LONG_SERIES_PAGE_SIZE, VOLUME_PAGE_SIZE } from './schema.js';
import { NeedsWriter, VolumeStore } from './volume.js';

/**
 * What the defined tags' acquisition cycles promise: samples a day, how many tags have a cycle,
 * and the samples a day of those stored lossless (a compressed tag keeps an unknown share).
 */
export interface CycleRate { samplesPerDay: number; tags: number; losslessSamplesPerDay?: number }

/** Writer connections kept open at once; the oldest used is closed beyond this. */
const MAX_OPEN = 16;
/** An 'auto' volume aims at no more than this many bytes. */
const AUTO_VOLUME_BYTES = 1 << 30;
/** Bytes per sample assumed before the archive shows its own (lossless process data: storage README). */
const ASSUMED_BYTES_PER_SAMPLE = 1.5;
const DAY = 86_400_000;
/**
 * A new volume gets 4 KB pages when its tags' cycles promise each at least this many bytes in it.
 * Lossless plant of 200 tags in daily volumes (`bench/historian/layout.ts`), B/sample 512 B / 4 KB
 * pages: 3,000 samples a tag 0.774 / 0.803, 6,000 0.748 / 0.725, 11,000 0.737 / 0.709; a year of
 * 1 s data: cold plot 60 -> 47 ms, 15.5 -> 14.8 MB. Short series (an import, slow tags) keep 512.
 */
const LONG_SERIES_BYTES = 64 * 1024;

export class VolumeSet {
  readonly folder: string;
  private list: VolumeInfo[];
  private readonly open = new Map<number, VolumeStore>();
  /** Read-only connections to volumes the writer only reads (tryRead): the files stay as they are. */
  private readonly views = new Map<number, VolumeStore>();
  /** Volumes whose files were read (read-only) before the writer opened them, and those that could not be. */
  private readonly checked = new Set<number>();
  private readonly unreadable = new Map<number, VolumeUnreadableError>();

  constructor(dir: string, private readonly catalog: Catalog, private readonly period: VolumePeriod | 'auto',
    private readonly rate: () => CycleRate = () => ({ samplesPerDay: 0, tags: 0 }), private readonly now: () => number = Date.now) {
    this.folder = join(dir, 'volumes');
    mkdirSync(this.folder, { recursive: true });
    this.list = catalog.volumes();
  }

  all(): readonly VolumeInfo[] { return this.list; }
  byId(id: number): VolumeInfo {
    const v = this.list.find((x) => x.id === id);
    if (!v) throw new Error(`volume ${id}: no such volume`);
    return v;
  }
  path(v: VolumeInfo): string { return join(this.folder, v.file); }
  reload(): void { this.list = this.catalog.volumes(); }

  /** The volume that holds t, created (clipped to its neighbours) when there is none; throws when detached. */
  locate(t: number): VolumeInfo {
    let lo = 0, hi = this.list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.list[mid]!;
      if (t < v.start) hi = mid - 1;
      else if (t >= v.end) lo = mid + 1;
      else {
        if (v.state !== 'attached') {
          throw new Error(`volume ${v.file} (${new Date(v.start).toISOString()}) is ${v.state}: cannot archive a value at ${new Date(t).toISOString()}`);
        }
        if (!this.checked.has(v.id)) this.check(v); // refused now, not at the flush
        return v;
      }
    }
    const period = this.period === 'auto' ? this.autoPeriod() : this.period;
    const p = periodOf(period, t);
    const prev = this.list[lo - 1], next = this.list[lo];
    const start = Math.max(p.start, prev?.end ?? -Infinity);
    const end = Math.min(p.end, next?.start ?? Infinity);
    // The file first, complete, then its catalog row: a reader never finds a listed volume half made.
    const file = volumeFileName(period, start);
    new VolumeStore(join(this.folder, file), { period, start, end }, false, this.pageSizeFor(end - start)).close();
    const info = this.catalog.addVolume(file, period, start, end, 'attached');
    this.list.splice(lo, 0, info);
    this.checked.add(info.id);
    return info;
  }

  /**
   * The longest period whose volume stays under AUTO_VOLUME_BYTES at the archive's data rate:
   * the bytes per day of the newest attached volume (its file over its period), or what the
   * tags' acquisition cycles promise. A month for slow or few tags (a 3-minute tag would
   * otherwise start a block of 480 samples every day), a day for a large fast plant.
   */
  private autoPeriod(): VolumePeriod {
    let perDay = this.rate().samplesPerDay * ASSUMED_BYTES_PER_SAMPLE;
    const newest = this.newestAttached();
    if (newest) perDay = Math.max(perDay, statSync(this.path(newest)).size / Math.max(1, (newest.end - newest.start) / DAY));
    if (perDay * 31 <= AUTO_VOLUME_BYTES) return 'month';
    return perDay * 7 <= AUTO_VOLUME_BYTES ? 'week' : 'day';
  }

  /**
   * The page size of a new volume of `spanMs`: 4 KB where each tag (on average) will hold a long
   * series in it, else 512 bytes. Long by what the lossless tags' cycles promise (a compressed
   * tag's share is unknown, so it promises nothing: swinging door keeps a few % of a plant's 1 s
   * samples, and 4 KB pages cost it 7 %), or by what the newest volume holds per tag a day (a
   * compressed noisy tag that keeps most of its samples gets 4 KB pages from its second volume).
   * Tags without a cycle, as an import defines them, promise nothing.
   */
  private pageSizeFor(spanMs: number): number {
    const { samplesPerDay, tags, losslessSamplesPerDay = samplesPerDay } = this.rate();
    if (tags === 0) return VOLUME_PAGE_SIZE;
    const days = spanMs / DAY;
    let perTag = (losslessSamplesPerDay / tags) * days * ASSUMED_BYTES_PER_SAMPLE;
    const newest = this.newestAttached();
    if (newest) perTag = Math.max(perTag, (statSync(this.path(newest)).size / Math.max(1, (newest.end - newest.start) / DAY) / tags) * days);
    return perTag >= LONG_SERIES_BYTES ? LONG_SERIES_PAGE_SIZE : VOLUME_PAGE_SIZE;
  }

  /** The newest volume that takes writes and whose file is there (what the archive's rate is read from). */
  private newestAttached(): VolumeInfo | undefined {
    return [...this.list].reverse().find((v) => v.state === 'attached' && existsSync(this.path(v)));
  }

  /**
   * The writer's connection to a volume, opened on demand. A listed volume's file must exist and
   * read: else VolumeUnreadableError (and the file is not opened for writing).
   */
  store(v: VolumeInfo, create = false): VolumeStore {
    let s = this.open.get(v.id);
    if (s) {
      this.open.delete(v.id); // re-insert: the Map's order is the use order
      this.open.set(v.id, s);
      return s;
    }
    if (!create) this.check(v);
    this.views.get(v.id)?.close(); // one connection per file: the writer's
    this.views.delete(v.id);
    try {
      s = new VolumeStore(this.path(v), { period: v.period, start: v.start, end: v.end });
    } catch (err) {
      throw isDamage(err) ? this.markUnreadable(v, err) : err;
    }
    keep(this.open, v.id, s);
    return s;
  }

  /** A connection to read v: the writer's when open, else a read-only one (a writer's open when the file needs one). */
  private view(v: VolumeInfo): VolumeStore {
    const s = this.open.get(v.id) ?? this.views.get(v.id);
    if (s) return s;
    this.check(v);
    let view: VolumeStore;
    try {
      view = new VolumeStore(this.path(v), { period: v.period, start: v.start, end: v.end }, true);
    } catch (err) {
      if (err instanceof NeedsWriter) return this.store(v); // an older format: migrated, as before
      throw err;
    }
    keep(this.views, v.id, view);
    return view;
  }

  /**
   * Throws VolumeUnreadableError when v's file is missing or damaged. Read read-only once before
   * the writer first opens it: a damaged file is never opened for writing (nor changed).
   */
  check(v: VolumeInfo): void {
    const known = this.unreadable.get(v.id);
    if (known) throw known;
    // Missing is looked for at every open: a writer must not create a listed volume's file anew.
    const cause = this.checked.has(v.id) ? (existsSync(this.path(v)) ? null : 'missing') : fileProblem(this.path(v));
    if (cause !== null) throw this.markUnreadable(v, cause);
    this.checked.add(v.id);
  }

  /**
   * fn on a connection to v (`write`: the writer's, else one that only reads); undefined when v's
   * file is missing or damaged (recorded: left alone from now on).
   */
  tryRead<T>(v: VolumeInfo, fn: (s: VolumeStore) => T, write = false): T | undefined {
    try {
      return fn(write ? this.store(v) : this.view(v));
    } catch (err) {
      if (!isDamage(err)) throw err;
      this.markUnreadable(v, err);
      return undefined;
    }
  }

  /** Records v as unreadable; a connection on it is closed as it is (nothing more written). Returns the error to throw. */
  markUnreadable(v: VolumeInfo, cause: unknown): VolumeUnreadableError {
    const known = this.unreadable.get(v.id);
    if (known) return known;
    const e = cause instanceof VolumeUnreadableError ? cause : new VolumeUnreadableError(v, this.path(v), cause, v.end > this.now());
    this.unreadable.set(v.id, e);
    for (const map of [this.open, this.views]) {
      map.get(v.id)?.db.close(); // as it is: no checkpoint switch, vacuum or packing
      map.delete(v.id);
    }
    return e;
  }

  /** The volumes found unreadable so far. */
  problems(): VolumeProblem[] { return [...this.unreadable.values()].map((e) => e.problem); }

  /** A volume detached or attached: checked again when next used. */
  forget(id: number): void {
    this.unreadable.delete(id);
    this.checked.delete(id);
  }

  /** Closes the writer's connection (before a detach, export or drop). */
  release(id: number): void {
    for (const map of [this.open, this.views]) {
      map.get(id)?.close();
      map.delete(id);
    }
  }

  /**
   * `clean`: the catalog committed everything: the counter deltas kept for crash recovery can go
   * (a page or more per volume), and the open blocks' segments are packed into full pages.
   */
  closeAll(clean = false): void {
    for (const s of this.open.values()) {
      if (clean) {
        s.clearDeltas();
        s.packSegments();
      }
      s.close();
    }
    this.open.clear();
    for (const s of this.views.values()) s.close();
    this.views.clear();
  }
}

/** Adds a connection to `map` (in use order), closing the least recently used beyond MAX_OPEN. */
function keep(map: Map<number, VolumeStore>, id: number, s: VolumeStore): void {
  map.set(id, s);
  if (map.size > MAX_OPEN) {
    const [oldId, oldest] = map.entries().next().value as [number, VolumeStore];
    map.delete(oldId);
    oldest.close();
  }
}
