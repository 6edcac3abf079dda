/**
 * Read-only access to an archive: the reading commands (export, query, stats, volumes
 * list) and any process beside the station (e.g. a sync reading the change feed). It
 * opens no writer: running it beside a live station neither writes to the archive nor
 * archives a stale copy of the station's held points on exit.
 */
import { join } from 'node:path';
import { ReadSource } from '../read/source.js';
import type { TagKind } from '../types.js';
import { readRaw } from '../read/raw.js';
import { readRawColumns } from '../read/raw-columns.js';
import { readAtTime } from '../read/at-time.js';
import { readProcessed } from '../read/processed.js';
import { readPlot } from '../read/plot.js';
import { changeBacklog, changeHead, readChangeColumns, readChanges } from '../read/changes.js';
import { catalogPath, loadVolumes, openCatalogDb } from '../store/catalog.js';
import { type VolumeProblem, catalogError, checkVolume } from '../store/unreadable.js';
import type {
  AtTimeQuery, ChangeBacklog, ChangeColumns, ChangeCursor, ChangePage, HistorianStats, PlotQuery, PlotSeries, ProcessedQuery, RawColumnsPage, RawColumnsQuery, RawPage,
  RawQuery, TagStats, TagValues, TagVersion, VolumeInfo,
} from '../index.js';
import { requireArchive } from './archive-dir.js';
import { archiveStats, tagStats } from '../stats.js';

export class ArchiveReader {
  private readonly src: ReadSource;

  constructor(readonly dir: string) {
    this.src = new ReadSource(dir);
  }

  readRaw(q: RawQuery): RawPage { return readRaw(this.src, q); }
  readRawColumns(q: RawColumnsQuery): RawColumnsPage { return readRawColumns(this.src, q); }
  readAtTime(q: AtTimeQuery): TagValues[] { return readAtTime(this.src, q); }
  readProcessed(q: ProcessedQuery): TagValues[] { return readProcessed(this.src, q); }
  readPlot(q: PlotQuery): PlotSeries[] { return readPlot(this.src, q); }
  readChanges(after: ChangeCursor | null, maxSamples: number): ChangePage { return readChanges(this.src, after, maxSamples); }
  readChangeColumns(after: ChangeCursor | null, maxSamples: number): ChangeColumns { return readChangeColumns(this.src, after, maxSamples); }
  changeHead(): ChangeCursor { return changeHead(this.src); }
  changeBacklog(after: ChangeCursor | null): ChangeBacklog { return changeBacklog(this.src, after); }

  /** Each archived tag's kind (analog, discrete, text), as the writer last committed them: a kind is fixed for good. */
  tagKinds(): Map<string, TagKind> {
    this.src.refresh();
    return new Map(this.src.tags().map((t) => [t.name, t.kind]));
  }

  /**
   * --tag names and patterns as the archive names its tags: one typed decomposed (NFD, as a macOS
   * terminal may write "Température") finds the tag an import archived composed (NFC); a name
   * the archive has as typed stays so.
   */
  resolveNames(given: readonly string[]): string[] {
    const known = new Set(this.tagNames());
    return given.map((t) => {
      const nfc = t.normalize('NFC');
      return nfc === t || known.has(t) ? t : /[*?]/.test(t) || known.has(nfc) ? nfc : t;
    });
  }

  /** The archived tags' names, as the writer last committed them. */
  tagNames(): string[] {
    this.src.refresh();
    return this.src.tags().map((t) => t.name);
  }

  /** A tag's configuration versions, oldest first, as the writer last committed them; an unknown tag is an error. */
  versions(name: string): TagVersion[] {
    this.src.refresh();
    return [...this.src.resolve([name])[0]!.versions];
  }

  /** The tag's engineering unit in the configuration valid at t. */
  unitAt(tag: string, t: number): string {
    return this.src.resolve([tag])[0].versionAt(t).config.unit;
  }

  /** All volumes, detached ones included. */
  volumes(): VolumeInfo[] {
    let db;
    try {
      db = openCatalogDb(this.dir, true);
      return loadVolumes(db);
    } catch (err) {
      throw catalogError(catalogPath(this.dir), err);
    } finally {
      db?.close();
    }
  }

  /** Volumes the reads so far found missing or damaged, and skipped. */
  unreadableVolumes(): VolumeProblem[] { return this.src.unreadable(); }

  /** Reads every listed volume's file (read-only, its schema and meta): those missing or damaged. */
  checkVolumes(list: VolumeInfo[] = this.volumes()): VolumeProblem[] {
    return list.flatMap((v) => checkVolume(join(this.dir, 'volumes', v.file), v, Date.now()) ?? []);
  }

  /** As Historian.tagStats(), from what the writer last persisted. */
  tagStats(): TagStats[] { return tagStats(this.src.tags()); }

  /** As Historian.stats(), from what the writer last persisted. */
  stats(): HistorianStats { return archiveStats(this.dir, this.src.tags(), this.volumes().length); }

  close(): void { this.src.close(); }
}


/**
 * A warning on stderr per volume a command could not read (`who`: "historian export"); returns
 * the exit code of a read: 1 when one was left out (the output lacks its data), else 0.
 */
export function warnUnreadable(who: string, problems: readonly VolumeProblem[]): number {
  for (const p of problems) process.stderr.write(`${who}: warning: ${p.message}\n`);
  return problems.length > 0 ? 1 : 0;
}

export async function withReader<T>(dir: string | undefined, fn: (r: ArchiveReader) => Promise<T> | T): Promise<T> {
  const r = new ArchiveReader(requireArchive(dir));
  try {
    return await fn(r);
  } finally {
    r.close();
  }
}
