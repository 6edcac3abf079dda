/**
 * Vigil's historian: the public API.
 *
 *   const h = Historian.open(dir, { volumePeriod: 'day' });
 *   h.defineTag(config);                 // a new version when the config changed
 *   h.append('TT-101', samples);         // in order, through the compressor
 *   h.insert('TT-101', lateSamples);     // archived as given
 *   await h.reader.plot({ tags: 'TT-*', start, end, buckets: 2000 });  // in the reader worker
 *   await h.close();                     // archives held points, persists state
 *
 * Synchronous reads (readRaw, ...) run on the caller's thread over their own
 * read-only connections; both they and the reader see what was flushed.
 */
import { mkdirSync } from 'node:fs';
import { readAtTime } from './read/at-time.js';
import { HistorianReader, type ReaderOptions } from './read/client.js';
import { readPlot } from './read/plot.js';
import { readProcessed } from './read/processed.js';
import { readRaw } from './read/raw.js';
import { readRawColumns } from './read/raw-columns.js';
import { changeBacklog, changeHead, readChangeColumns, readChanges } from './read/changes.js';
import { ReadSource } from './read/source.js';
import type {
  AtTimeQuery, ChangeBacklog, ChangeColumns, ChangeCursor, ChangePage, PlotQuery, PlotSeries, ProcessedQuery, RawColumnsPage, RawColumnsQuery, RawPage, RawQuery, TagValues,
} from './read/types.js';
import type { VolumeInfo } from './store/catalog.js';
import type { VolumePeriod } from './store/periods.js';
import {
  type RetentionPolicy, applyRetention, attachVolume, detachVolume, exportVolume, importVolume,
} from './store/volume-admin.js';
import { type VolumeProblem, checkVolume } from './store/unreadable.js';
import { versionAt } from './store/versions.js';
import { Writer } from './store/writer.js';
import { acquireWriterLock } from './writer-lock.js';
import { type HistorianStats, type TagCounters, type TagStats, archiveStats, tagStats } from './stats.js';
import type { ArchivedSample, Sample, TagConfig, TagKind, TagVersion } from './types.js';

export type * from './types.js';
export type * from './read/types.js';
export type { VolumeInfo, VolumeState } from './store/catalog.js';
export type { VolumePeriod } from './store/periods.js';
export type { RetentionPolicy } from './store/volume-admin.js';
export type { VolumeProblem } from './store/unreadable.js';
export { HistorianReader } from './read/client.js';
export type { TagStats, HistorianStats } from './stats.js';
export { ArchiveReader } from './cli/reader.js';
export { RAW_BOOLEAN } from './read/types.js';
export { compareChangeCursors } from './read/change-cursor.js';
export { ArchiveLockedError } from './writer-lock.js';

export interface HistorianOptions {
  /**
   * How the archive is cut into files (UTC boundaries; ISO weeks start on Monday). Default 'day'.
   * 'auto': each new volume a month, a week or a day, whichever stays under about 1 GiB at the
   * archive's data rate (slow tags then do not start a file and a block every day).
   */
  volumePeriod?: VolumePeriod | 'auto';
  /** Most time (ms) received data waits before it is written. Default 1000; 0: only on flush(). */
  flushIntervalMs?: number;
  /** Discrete/text values wait this long (ms) in the sorting buffer. Default 2000. */
  sortWindowMs?: number;
  /**
   * Most points in one analog block. Default 512: a plot decodes one block per bucket edge,
   * and with 4096 a year's plot took 354 ms warm instead of 63 (store/README.md). Blocks are cut
   * sooner at about 3.5 KB encoded (store/tag-writer.ts).
   */
  blockSize?: number;
  /**
   * Most points in one analog block when its points come a minute or more apart (3-minute
   * process data): few points in any plot's range, and blocks filled by size save ~20 % on disk
   * (store/tag-writer.ts SLOW_INTERVAL_MS). A tag's first block may also take up to 2048 points,
   * fast ones too (an import's short series is one row). Default 4096, or blockSize when that
   * is given.
   */
  slowBlockSize?: number;
  /**
   * Live data (a station): each tag's first block is cut at its own point between half and all
   * of blockSize, so that tags started together do not all seal their blocks in one flush
   * (store/tag-writer.ts). Default false: an import keeps a short series in one block.
   */
  staggerBlocks?: boolean;
  /**
   * Segment rows a background flush aims at. Default 500: with more tags receiving points,
   * tags take turns (store/writer.ts) and readers see a tag's newest points up to 16 flush
   * intervals later, unless publish() or flush() wrote them first.
   */
  segmentsPerFlush?: number;
  /** Wall clock (ms since epoch). Default Date.now. */
  now?: () => number;
  /** Where background flush failures are reported. Default: a line on stderr. */
  onError?: (err: Error) => void;
  /** Options of the reader worker. */
  reader?: ReaderOptions;
}

export interface AppendOptions {
  /** Default true: a gap of more than two cycles archives HIST's cyclic record (live data). */
  cyclicRecords?: boolean;
}

export class Historian {
  private source: ReadSource | null = null;
  private readerInstance: HistorianReader | null = null;
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly writer: Writer,
    private readonly options: HistorianOptions,
    private readonly releaseLock: () => void,
  ) {}

  /** Opens (or creates) the archive in dir and restores the writer's state. */
  static open(dir: string, options: HistorianOptions = {}): Historian {
    for (const key of ['blockSize', 'slowBlockSize'] as const) {
      const n = options[key];
      if (n !== undefined && !(Number.isInteger(n) && n >= 1)) throw new Error(`historian: ${key}: expected an integer >= 1 (points per block), got ${typeof n === 'string' ? JSON.stringify(n) : String(n)}`);
    }
    mkdirSync(dir, { recursive: true });
    const releaseLock = acquireWriterLock(dir);
    let writer: Writer;
    try {
      writer = new Writer(dir, {
        volumePeriod: options.volumePeriod ?? 'day',
        flushIntervalMs: options.flushIntervalMs ?? 1000,
        sortWindowMs: options.sortWindowMs ?? 2000,
        blockSize: options.blockSize ?? 512,
        slowBlockSize: options.slowBlockSize ?? options.blockSize ?? 4096,
        now: options.now ?? Date.now,
        segmentsPerFlush: options.segmentsPerFlush,
        staggerBlocks: options.staggerBlocks ?? false,
        onError: options.onError ?? ((err) => process.stderr.write(`historian: background flush failed: ${err.stack ?? err.message}\n`)),
      });
    } catch (err) {
      releaseLock();
      throw err;
    }
    return new Historian(dir, writer, options, releaseLock);
  }

  // --- tags -------------------------------------------------------------

  /** Defines a tag or a new version of it (valid from validFrom, default now); an identical config is a no-op. */
  defineTag(config: TagConfig, validFrom?: number): TagVersion { return this.writer.defineTag(config, validFrom); }
  /** defineTag for many tags in one catalog commit: all or none. */
  defineTags(configs: readonly TagConfig[], validFrom?: number): TagVersion[] { return this.writer.defineTags(configs, validFrom); }
  /**
   * The sampling interval (ms) the tag's server granted its monitored item, beside its version:
   * where the server revised it up from the configured one, the cyclic record goes by it, so a
   * value that changes at every granted sample is not taken for one that held in between.
   */
  grantSampling(name: string, samplingMs: number): void { this.writer.grant(name, samplingMs); }
  tagNames(): string[] { return [...this.writer.tags.keys()]; }
  /** The tag's kind, or undefined when it is not defined. */
  kindOf(name: string): TagKind | undefined { return this.writer.tags.get(name)?.kind; }
  /** The tag's unit as its current version says ('' none), or undefined when it is not defined. */
  unitOf(name: string): string | undefined { return this.writer.tags.get(name)?.config.unit; }
  versions(name: string): TagVersion[] { return [...this.writer.tag(name).versions]; }
  /** The configuration version valid at t (the first one before it began). */
  versionAt(name: string, t: number): TagVersion { return versionAt(this.writer.tag(name).versions, t)!; }

  // --- writes -----------------------------------------------------------

  /**
   * In-order samples through the tag's compressor; samples behind it take the late path.
   * `cyclicRecords: false` (imports): no HIST cyclic record, whatever the gap between samples
   * (a file does not say whether the value held over it).
   */
  append(name: string, samples: readonly Sample[], opts?: AppendOptions): void { this.writer.append(name, samples, opts?.cyclicRecords ?? true); }
  /** Late or out-of-order samples, archived as given and merged into their volume and blocks. */
  insert(name: string, samples: readonly (Sample | ArchivedSample)[]): void { this.writer.insert(name, samples); }
  /**
   * Writes what was received (except what compressors and sorting buffers still hold), durably
   * and visible to readers. `all` false: as the background flushes do, the open blocks of tags
   * whose turn it is not go to the journal (store/writer.ts turnsFor): readers see them a few
   * flushes later.
   */
  flush(all = true): void { this.writer.flush(all); }
  /** Before reading tags that may be live: their newest points written where readers see them (a flush of those alone when any wait their turn). */
  publish(names: Iterable<string>): void { this.writer.publish(names); }

  // --- reads on this thread --------------------------------------------

  readRaw(q: RawQuery): RawPage { return readRaw(this.src(), q); }
  /** readRaw by tag as typed columns per tag (no object per value); tokens work with either. */
  readRawColumns(q: RawColumnsQuery): RawColumnsPage { return readRawColumns(this.src(), q); }
  readAtTime(q: AtTimeQuery): TagValues[] { return readAtTime(this.src(), q); }
  readProcessed(q: ProcessedQuery): TagValues[] { return readProcessed(this.src(), q); }
  readPlot(q: PlotQuery): PlotSeries[] { return readPlot(this.src(), q); }

  // --- change feed (what a store-and-forward sync sends upstream) --------

  /**
   * Everything archived after `after` (null: from the beginning), at most maxSamples samples:
   * each sample once per write of it after the cursor (a late sample that replaced one at the
   * same time comes again: a correction). Only what was flushed. See read/changes.ts.
   */
  readChanges(after: ChangeCursor | null, maxSamples: number): ChangePage { return readChanges(this.src(), after, maxSamples); }
  /** readChanges as typed columns (no object per sample). */
  readChangeColumns(after: ChangeCursor | null, maxSamples: number): ChangeColumns { return readChangeColumns(this.src(), after, maxSamples); }
  /** The newest cursor. */
  changeHead(): ChangeCursor { return changeHead(this.src()); }
  /** What is written after the cursor: an estimate from the change log (samples, oldest write time). */
  changeBacklog(after: ChangeCursor | null): ChangeBacklog { return changeBacklog(this.src(), after); }

  /** The reader worker (started on first use): the same reads as promises, off this thread. */
  get reader(): HistorianReader {
    this.readerInstance ??= new HistorianReader(this.dir, this.options.reader);
    return this.readerInstance;
  }

  // --- volumes ----------------------------------------------------------

  volumes(): VolumeInfo[] { return [...this.writer.volumes.all()]; }
  /**
   * Volumes whose files were found missing or damaged by this archive's writer and reads on this
   * thread so far: left out of reads, written to no more, their files left as they are.
   */
  unreadableVolumes(): VolumeProblem[] {
    const found = [...this.writer.volumes.problems(), ...(this.source?.unreadable() ?? [])];
    return found.filter((p, i) => found.findIndex((q) => q.path === p.path) === i);
  }
  /** Reads every listed volume's file (read-only, its schema and meta): those missing or damaged. */
  checkVolumes(): VolumeProblem[] {
    const now = (this.options.now ?? Date.now)();
    return this.volumes().flatMap((v) => checkVolume(this.writer.volumes.path(v), v, now) ?? []);
  }
  detachVolume(id: number): VolumeInfo { return detachVolume(this.writer, id); }
  attachVolume(id: number): VolumeInfo { return attachVolume(this.writer, id); }
  /** Writes one self-contained file (data, tags and their versions) to target, which must not exist. */
  exportVolume(id: number, target: string): void { exportVolume(this.writer, id, target); }
  /** Imports a file made by exportVolume: validated, copied under volumes/, attached. */
  importVolume(file: string): VolumeInfo {
    return importVolume(this.writer, file, (config, validFrom) => this.writer.defineTag(config, validFrom));
  }
  /** Drops whole volumes by age and/or count (never the present one); returns the dropped. */
  applyRetention(policy: RetentionPolicy, now: number = (this.options.now ?? Date.now)()): VolumeInfo[] {
    return applyRetention(this.writer, policy, now);
  }

  // --- figures ----------------------------------------------------------

  /** Per tag: samples received, archived, records added (stats.ts defines them). */
  tagStats(): TagStats[] { return tagStats(this.counters()); }

  stats(): HistorianStats { return archiveStats(this.dir, this.counters(), this.writer.volumes.all().length); }

  private counters(): TagCounters[] {
    return [...this.writer.tags.values()].map((t) => ({ name: t.name, kind: t.kind, received: t.received, archived: t.stored - t.added, added: t.added }));
  }

  /** Archives what compressors and sorting buffers hold, writes everything, stops the reader. */
  async close(): Promise<void> {
    if (this.closed) return; // a second close is a no-op
    this.closed = true;
    const reader = this.readerInstance;
    this.readerInstance = null;
    if (reader) await reader.close();
    this.source?.close();
    this.source = null;
    this.writer.close();
    this.releaseLock();
  }

  private src(): ReadSource {
    this.source ??= new ReadSource(this.dir);
    return this.source;
  }
}

