/**
 * CSV import into the archive. Good rows are archived even when others are
 * rejected; every rejection is reported with file, line, field and what was
 * expected. Per tag, rows are archived in time order: rows after what the archive
 * already holds go through append (the compressor); older rows fill gaps through
 * insert (the late path), which writes only what changes the archive (late-filter.ts).
 *
 * A file is read into memory up to `sortBudget` samples and sorted per tag, so a file running
 * newest first (or shuffled) is appended in time order, compressed as an ordered one. A file in
 * time order that holds more is archived as it is read (batches of 50,000 samples); one that is
 * not is read again once per window of time holding at most `sortBudget` samples (a first pass
 * finds the windows). A later row with a tag and time an earlier row of the file had is rejected
 * as its duplicate, however far back the earlier row lies (in a file archived as read, file-times.ts
 * keeps the times each tag archived); only a row at a time the file did not give goes the late path.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Flag, type ArchivedSample, type Compression, type Sample, type TagConfig, type TagKind } from '../types.js';
import { ARCHIVED_FLAGS } from './archived-flags.js';
import type { Historian } from '../index.js';
import { CsvFileError, readCsv, type CsvReadOptions, type CsvSummary, type TagRows } from './read.js';
import { FUTURE_TOLERANCE_MS } from './records.js';
import { delimiterName } from './tokenize.js';
import { valueSpans, type Span } from './spans.js';
import { formatTime } from './time.js';
import { LateFilter } from './late-filter.js';
import { FileTimes } from './file-times.js';
import type { FinerLines } from './finer-lines.js';
import { digestRejections, formatDigest } from './rejection-digest.js';
import { RejectionLog } from './rejection-log.js';
import { counted } from './counted.js';
import { MAX_UNIT_CHANGES, quoteUnit, unitAt, type UnitSample, type UnitSpan } from './unit-history.js';
import { inRepeat, repeatedHourHint, repeatedHourNote } from './local-time-hint.js';

/** What the importer needs from the archive: historianTarget(h) adapts a Historian. */
export interface ImportTarget {
  /** The tag's kind, undefined when the archive does not know the tag. */
  kindOf(name: string): TagKind | undefined;
  /**
   * The tag's unit in the archive ('' none), undefined when the archive does not know the tag: a file's unit must agree.
   * With `t`, the unit in force at that time (the archive keeps each version's): an export spanning a unit change reads back.
   */
  unitOf?(name: string, t?: number): string | undefined;
  /** The tag's units over time (each configuration version's), undefined when the archive does not know the tag. */
  unitHistory?(name: string): readonly UnitSpan[] | undefined;
  /** A new configuration version of the tag from `validFrom` on, the same but for its unit (a tag this import created: its rows state a unit change). */
  changeUnit?(name: string, unit: string, validFrom: number): void;
  /** Time of the newest archived sample of the tag (append beyond it), or -Infinity. */
  lastTime(name: string): number;
  /** Defines new tags, all in one catalog commit (an import may create thousands). */
  defineTags(configs: TagConfig[], validFrom: number): unknown;
  append(name: string, samples: Sample[]): void;
  /**
   * Late samples (time order, one per time). Returns how many were written (the others the archive
   * holds already) and how many of those replaced an archived value at their time; nothing when all were written, none replacing.
   */
  insert(name: string, samples: Sample[]): { written: number; replacing: number; cyclic?: number } | void;
  flush(): void;
  /** The import is over (flushed or not): let go of what it read the archive with. */
  release?(): void;
}

/**
 * A Historian as an import target. The newest archived time per tag is looked
 * up when first needed (never for a tag the import just created) and tracked
 * while rows are appended; flush() (the end of each import) forgets it, so a
 * long-lived target (the watched folder in a station) sees data the station
 * added in between. Late samples are written only where they change the archive (late-filter.ts).
 */
export function historianTarget(h: Historian): ImportTarget {
  const last = new Map<string, number>();
  const late = new LateFilter(h.dir);
  return {
    // O(1): creating N tags must cost O(N), not a scan of the tag list (or a catalog reload) per tag.
    kindOf: (name) => h.kindOf(name),
    unitOf(name, t) {
      const newest = h.unitOf(name);
      return newest === undefined || t === undefined ? newest : h.versionAt(name, t).config.unit;
    },
    unitHistory: (name) => (h.kindOf(name) === undefined ? undefined : h.versions(name).map((v) => ({ validFrom: v.validFrom, unit: v.config.unit }))),
    changeUnit(name, unit, validFrom) {
      h.defineTag({ ...h.versions(name).at(-1)!.config, unit }, validFrom);
    },
    lastTime(name) {
      let t = last.get(name);
      if (t === undefined) {
        const page = h.readRaw({ tags: [name], start: Number.MAX_SAFE_INTEGER, end: -Number.MAX_SAFE_INTEGER, pageSize: 1 });
        t = page.rows.length ? page.rows[0].t : -Infinity;
        last.set(name, t);
      }
      return t;
    },
    defineTags(configs, validFrom) {
      const fresh = configs.filter((c) => h.kindOf(c.name) === undefined);
      h.defineTags(configs, validFrom);
      for (const c of fresh) last.set(c.name, -Infinity); // a new tag holds nothing: no read to find out
    },
    append(name, samples) {
      // A file holds what it holds: a stretch without rows is no value held (no cyclic record).
      // Points the file says the archive keeps flagged (Vigil's export: Cyclic, Backfilled) are
      // archived as given with their flags: through the compressor they became plain values.
      for (const run of flaggedRuns(samples)) {
        if (run.flagged) h.insert(name, run.samples);
        else h.append(name, run.samples, { cyclicRecords: false });
      }
      const t = samples[samples.length - 1]?.t;
      if (t !== undefined && t > (last.get(name) ?? -Infinity)) last.set(name, t);
    },
    insert(name, samples) {
      const tally = { replacing: 0 };
      const changes = late.changes(name, samples, tally);
      if (changes.length) h.insert(name, changes); // all or nothing
      late.written(name, changes);
      return { written: changes.length, replacing: tally.replacing, cyclic: cyclicIn(changes) };
    },
    flush() {
      h.flush();
      last.clear();
      late.reset();
    },
    release: () => late.reset(),
  };
}

/** Samples cut into runs with and without archived flags (Cyclic, Backfilled), in their order; nearly always one run. */
function flaggedRuns(samples: readonly Sample[]): { flagged: boolean; samples: Sample[] }[] {
  const flaggedAt = (i: number) => (((samples[i] as ArchivedSample).flags ?? 0) & ARCHIVED_FLAGS) !== 0;
  const runs: { flagged: boolean; samples: Sample[] }[] = [];
  for (let i = 0; i < samples.length; ) {
    const flagged = flaggedAt(i);
    let j = i + 1;
    while (j < samples.length && flaggedAt(j) === flagged) j++;
    runs.push({ flagged, samples: i === 0 && j === samples.length ? (samples as Sample[]) : samples.slice(i, j) });
    i = j;
  }
  return runs;
}

/** The reader's options (format, times, delimiter, naming) plus what the import adds. */
export interface ImportOptions extends Omit<CsvReadOptions, 'file' | 'kindOf' | 'batchSize' | 'timeFilter' | 'windowPass'> {
  /** Compression of tags the import creates (analog only). Default none: lossless. */
  compression?: Compression;
  /**
   * EU range of analog tags the import creates (what %-of-span deviations refer to); 'data':
   * each tag's own span of values in the file (spans.ts, a first reading pass).
   */
  range?: Span | 'data';
  /** Name used in rejections (default: the file's base name). */
  displayName?: string;
  /**
   * Flush when the file is read (default true). The CLI passes false: it closes the archive
   * right after, and close flushes too; one write instead of two, so a compressed tag's last
   * segment is not written twice (its held point comes at close), leaving no slack behind.
   */
  flushAtEnd?: boolean;
  /**
   * Samples held in memory to archive a file in time order per tag (SORT_BUDGET, about 100 bytes
   * each): a file up to this is sorted whole; a bigger one in time order is archived as read, one
   * out of order read once per window of time of this many samples.
   */
  sortBudget?: number;
}

export interface ImportReport {
  file: string;
  /** Rows read and archived (appended or inserted). */
  imported: number;
  appended: number;
  inserted: number;
  /** Late samples the archive held already (the same value and status, or within a compressed tag's bound): not written again. */
  unchanged: number;
  /** Of the inserted ones, those at the time of an archived value with another value or status: they replaced it. */
  replaced: number;
  /**
   * Of the imported ones, those flagged Cyclic (Vigil's export read back): the archive counts them
   * beside the values, with the records it adds (stats.ts recordsAdded).
   */
  cyclic?: number;
  createdTags: string[];
  /** Unit changes of tags this import created, as their rows stated them (a new version of the tag from `from`): said in the summary. */
  unitChanges?: { tag: string; unit: string; from: number }[];
  /** Tags the file fed that the archive knew before it: they keep their own config (compression, range), whatever the options said. */
  knownTags?: string[];
  /**
   * Every rejected line, kept in bounded memory (rejection-log.ts): counts, distinct lines, the first
   * LISTED_PER_PROBLEM of each problem (`listed`, in line order) and what the digest says of the rest.
   */
  rejections: RejectionLog;
  /** How the file was read (delimiter, time column and format) and what it held. */
  summary?: CsvSummary;
  /** Created analog tags whose EU range is their span of values in the file (range 'data'). */
  rangedFromData?: number;
  /** Set when the file as a whole could not be read (encoding, header); nothing was imported. */
  fileError?: string;
  /** Reading stopped (the signal): the last line read whole; what was read up to it is archived (unless interruptedNote says otherwise). */
  interruptedAfter?: number;
  /** What an interruption left archived when the file was read by windows of time. */
  interruptedNote?: string;
  /** The file's last line (its number) has no line end: it may be cut short, yet it is imported (noLineEndWarning). */
  noLineEnd?: number;
  /** The inbox: the file changed while it was read (still being written); left in the inbox, imported again once stable (stillWrittenNote). */
  changedWhileRead?: boolean;
  /** The inbox: the file changed after it was imported and moved (its writer still had it open); imported again where it lies. */
  grewAfterImport?: boolean;
}

export function defaultTagConfig(name: string, kind: TagKind, compression: Compression, source: string, range?: Span, unit = ''): TagConfig {
  return {
    name,
    kind,
    description: `created by CSV import of ${source}`,
    unit,
    ...(kind === 'analog' && range ? { range } : {}),
    compression: kind === 'analog' ? compression : { kind: 'none' },
    stepped: kind !== 'analog',
    cycleMs: 0, // unknown acquisition cycle: no cyclic records
  };
}

const kindOfValue = (v: Sample['value']): TagKind => (typeof v === 'number' ? 'analog' : typeof v === 'boolean' ? 'discrete' : 'text');

/** Samples archived between flushes of a long import. */
const FLUSH_EVERY = 250_000;
/** Samples of a file sorted in memory (about 100 MB): see ImportOptions.sortBudget. */
export const SORT_BUDGET = 1_000_000;
/** Entries file-times.ts may hold at least (runs of evenly spaced times, late rows): a small test budget must not make regular files 'unknown'. */
const FILE_TIMES_MIN = 100_000;
/** Samples per batch from the reader. */
const BATCH = 50_000;

export async function importCsvFile(target: ImportTarget, path: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const file = opts.displayName ?? basename(path);
  const report: ImportReport = { file, imported: 0, appended: 0, inserted: 0, unchanged: 0, replaced: 0, createdTags: [], rejections: new RejectionLog() };
  const budget = Math.max(2, Math.floor(opts.sortBudget ?? SORT_BUDGET));
  try {
    const { compression: _c, range: _r, displayName: _d, flushAtEnd: _f, sortBudget: _b, ...readOptions } = opts;
    // One limit for every pass over the file (windows of time): the same rows refused in each.
    const notAfter = readOptions.notAfter ?? Date.now() + FUTURE_TOLERANCE_MS;
    const given = opts.range === 'data' ? undefined : opts.range;
    const archiver = new Archiver(target, report, opts.compression, (tag) => (spans ? spans.get(tag) : given), Math.max(budget, FILE_TIMES_MIN));
    // A tag this import created has the units its rows state (unit-history.ts): the reader hands each row's unit
    // to the archiver, which checks it against the versions it made; it asks the archive nothing of such a tag.
    const read: CsvReadOptions = {
      ...readOptions, notAfter, file, kindOf: (tag: string) => target.kindOf(tag), batchSize: Math.min(BATCH, Math.ceil(budget / 4)),
      unitOf: (tag: string, t?: number) => (archiver.createdHere(tag) ? undefined : target.unitOf?.(tag, t)),
      unitHistory: (tag: string) => (archiver.createdHere(tag) ? undefined : target.unitHistory?.(tag)),
    };
    // (rangeOf reads it once tags are created, after this first pass)
    const spans = opts.range === 'data' ? await valueSpans(path, read) : undefined;
    if (spans) report.rangedFromData = 0;
    const unordered = await readInOrder(archiver, path, read, budget);
    if (unordered) await readByWindows(archiver, path, read, budget, unordered.samplesPerRow);
  } catch (e) {
    if (!(e instanceof CsvFileError)) throw e;
    report.fileError = e.message;
  }
  if (report.summary?.interruptedAfter !== undefined) report.interruptedAfter = report.summary.interruptedAfter;
  if (report.summary?.noLineEnd !== undefined) report.noLineEnd = report.summary.noLineEnd;
  if (opts.flushAtEnd !== false) target.flush();
  target.release?.();
  return report;
}

/**
 * Reads the file once: sorted whole when it holds up to `budget` samples, else archived as read
 * when its first `budget` samples are in time order per tag. Returns the samples per row seen
 * when they are not: the file is to be read by windows of time (nothing was archived).
 */
async function readInOrder(archiver: Archiver, path: string, read: CsvReadOptions, budget: number): Promise<{ samplesPerRow: number } | undefined> {
  let held: Map<string, TagRows> | null = new Map(); // the file so far, while it fits the budget
  let count = 0;
  let ordered = true;
  let rejections = new RejectionLog(); // reported with the rows held: none if the file is to be read by windows
  for await (const batch of readCsv(createReadStream(path), read)) {
    archiver.note(batch.summary);
    if (held === null) {
      for (const r of batch.rejections) archiver.report.rejections.push(r);
      archiver.archiveAsRead(batch.tags);
      continue;
    }
    for (const r of batch.rejections) rejections.push(r);
    for (const [tag, rows] of batch.tags) {
      let all = held.get(tag);
      if (all === undefined) held.set(tag, (all = { samples: [], lines: [] }));
      let t = all.samples.length ? all.samples[all.samples.length - 1]!.t : -Infinity;
      for (let i = 0; i < rows.samples.length; i++) {
        const s = rows.samples[i]!;
        if (s.t < t) ordered = false;
        t = s.t;
        all.samples.push(s);
        all.lines.push(rows.lines[i]!);
      }
      count += rows.samples.length;
    }
    if (count > budget && batch.summary.interruptedAfter === undefined) {
      if (!ordered) return { samplesPerRow: Math.max(1, count / Math.max(1, batch.summary.rows)) }; // leaving the loop closes the file
      archiver.report.rejections.absorb(rejections);
      rejections = new RejectionLog();
      archiver.archiveSorted(held, true);
      held = null;
    }
  }
  if (held !== null) {
    // Held whole and a date shows the file is written the other way round: refused, none of it archived in wrong months.
    const shown = archiver.report.summary?.dateOrderShown;
    if (shown) {
      throw new CsvFileError(read.file, shown.line, `time: the file's dates are ${shown.order === 'mdy' ? 'month' : 'day'} first (${JSON.stringify(shown.text)} ` +
        `reads only so), not ${read.dateOrder === 'dmy' ? 'day' : 'month'} first as --date-order ${read.dateOrder} says: nothing imported; import it again with --date-order ${shown.order}`);
    }
    archiver.report.rejections.absorb(rejections);
    archiver.archiveSorted(held, false);
  }
  return undefined;
}

/**
 * A file out of order and bigger than the budget: a first pass reads every row's time (and
 * reports rejected records and times), then one pass per window of time holding about `budget`
 * samples archives that window's rows sorted (and reports their rejected values).
 */
async function readByWindows(archiver: Archiver, path: string, read: CsvReadOptions, budget: number, samplesPerRow: number): Promise<void> {
  const report = archiver.report;
  const times = new TimeHistogram();
  let summary: CsvSummary | undefined;
  for await (const batch of readCsv(createReadStream(path), { ...read, timeFilter: (t) => (times.add(t), false) })) {
    for (const r of batch.rejections) report.rejections.push(r);
    summary = batch.summary;
  }
  if (!summary) return;
  archiver.note(summary); // the whole file's: its time column, its lines with times finer than a ms
  if (summary.interruptedAfter !== undefined) {
    report.interruptedNote = 'while reading the times of a file out of time order: nothing of it is archived';
    return;
  }
  let samples = 0, missing = 0, noData = 0;
  for (const [lo, hi] of times.windows(Math.max(1, Math.floor(budget / samplesPerRow)))) {
    const tags = new Map<string, TagRows>();
    let last: CsvSummary | undefined;
    for await (const batch of readCsv(createReadStream(path), { ...read, windowPass: true, timeFilter: (t) => t >= lo && t < hi })) {
      for (const r of batch.rejections) report.rejections.push(r);
      for (const [tag, rows] of batch.tags) {
        const all = tags.get(tag);
        if (all === undefined) tags.set(tag, rows); // each batch's rows are its own
        else for (let i = 0; i < rows.samples.length; i++) {
          all.samples.push(rows.samples[i]!);
          all.lines.push(rows.lines[i]!);
        }
      }
      last = batch.summary;
    }
    samples += last?.samples ?? 0;
    missing += last?.missing ?? 0;
    noData += last?.noData ?? 0;
    archiver.archiveSorted(tags, false);
    if (last?.interruptedAfter !== undefined) {
      summary.interruptedAfter = last.interruptedAfter;
      // Stopped before the pass read a line (the signal came between two passes): no line to name.
      report.interruptedNote = last.interruptedAfter === 0
        ? `before reading the file again for its rows from ${formatTime(lo)} to ${formatTime(hi)} (it is out of time order): ` +
          `the rows before ${formatTime(lo)} are archived`
        : `while reading the file again for its rows from ${formatTime(lo)} to ${formatTime(hi)} (it is out of time order): ` +
          `the rows before ${formatTime(lo)} are archived, and those of lines up to it in that span`;
      break;
    }
  }
  summary.samples = samples;
  summary.missing = missing;
  summary.noData = noData;
}

/**
 * How many rows fall in each stretch of time: buckets of a second, made coarser (x4) while there
 * are more than MAX_BUCKETS of them. Windows are runs of whole buckets.
 */
class TimeHistogram {
  private width = 1000;
  private counts = new Map<number, number>();
  private static readonly MAX_BUCKETS = 1 << 16;

  add(t: number): void {
    const k = Math.floor(t / this.width);
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    if (this.counts.size > TimeHistogram.MAX_BUCKETS) {
      const old = this.counts;
      this.width *= 4;
      this.counts = new Map();
      for (const [key, n] of old) {
        const c = Math.floor(key / 4);
        this.counts.set(c, (this.counts.get(c) ?? 0) + n);
      }
    }
  }

  /** [from, to) windows in time order, each of whole buckets holding at most maxRows (or one bucket), together covering every row. */
  windows(maxRows: number): [number, number][] {
    const keys = [...this.counts.keys()].sort((a, b) => a - b);
    const out: [number, number][] = [];
    let from = -1, rows = 0;
    for (const k of keys) {
      const n = this.counts.get(k)!;
      if (from >= 0 && rows + n > maxRows) {
        out.push([from, k * this.width]);
        from = -1;
        rows = 0;
      }
      if (from < 0) from = k * this.width;
      rows += n;
    }
    if (keys.length) out.push([from, (keys[keys.length - 1]! + 1) * this.width]);
    return out;
  }
}

/** Archives rows per tag in time order; rejects duplicates; defines new tags. */
class Archiver {
  /** Per tag, in a file archived as read: the newest time archived (rows behind it go the late path). */
  private readonly newest = new Map<string, number>();
  /** Per tag, in a file archived as read: the times (and lines) archived, to reject a later row's duplicate of them. */
  private readonly fileTimes: FileTimes;
  private flushedAt = 0;
  private timeField = 'time';
  private finerLines: FinerLines | undefined;

  constructor(readonly target: ImportTarget, readonly report: ImportReport, private readonly compression: Compression | undefined,
    private readonly rangeOf: (tag: string) => Span | undefined, budget: number) {
    this.fileTimes = new FileTimes(budget);
  }

  /** Tags this import created, and those it fed that the archive knew (report.knownTags). */
  private readonly created = new Set<string>();
  private readonly known = new Set<string>();

  note(summary: CsvSummary): void {
    this.report.summary = summary;
    this.timeField = summary.timeField ?? 'time';
    this.finerLines = summary.finerLines;
  }

  /** Every row of each tag over a span of time (the whole file, or a window, or the start of a file archived as read): sorted, deduplicated, archived. */
  archiveSorted(tags: Map<string, TagRows>, asRead: boolean): void {
    const sorted = this.inOrder(tags);
    this.defineNewTags(sorted);
    for (const [tag, rows] of sorted) {
      const { samples, lines } = this.withUnits(tag, rows);
      this.archiveTag(tag, samples, lines);
      if (asRead && samples.length) {
        this.newest.set(tag, samples[samples.length - 1]!.t);
        this.fileTimes.addInOrder(tag, samples, lines);
      }
    }
    this.flushNow();
  }

  /**
   * A batch of a file archived as read: rows behind the tag's newest archived one go through the late
   * path, but not one at a time this file gave the tag before (a duplicate, however far back: the late
   * path would replace the earlier row's value with it).
   */
  archiveAsRead(tags: Map<string, TagRows>): void {
    const sorted = this.inOrder(tags);
    this.defineNewTags(sorted);
    for (const [tag, rows] of sorted) {
      let { samples, lines } = this.withUnits(tag, rows);
      const newest = this.newest.get(tag);
      let from = 0;
      if (newest !== undefined) {
        while (from < samples.length && samples[from]!.t <= newest) from++;
        if (from > 0) {
          const keep: number[] = [];
          for (let i = 0; i < from; i++) {
            const earlier = this.fileTimes.has(tag, samples[i]!.t);
            if (earlier === undefined) keep.push(i);
            else this.duplicate(tag, samples[i]!.t, lines[i]!, earlier);
          }
          if (keep.length < from) {
            samples = [...keep.map((i) => samples[i]!), ...samples.slice(from)];
            lines = [...keep.map((i) => lines[i]!), ...lines.slice(from)];
            from = keep.length;
          }
        }
      }
      if (from > 0) {
        this.archiveTag(tag, samples.slice(0, from), lines.slice(0, from));
        for (let i = 0; i < from; i++) this.fileTimes.addLate(tag, samples[i]!.t, lines[i]!);
      }
      if (from < samples.length) {
        this.archiveTag(tag, samples.slice(from), lines.slice(from));
        this.newest.set(tag, samples[samples.length - 1]!.t);
        this.fileTimes.addInOrder(tag, samples, lines, from);
      }
    }
    this.flushNow();
  }

  private flushNow(): void {
    if (this.report.imported - this.flushedAt < FLUSH_EVERY) return;
    this.target.flush(); // a big file must not sit in memory until its end
    this.flushedAt = this.report.imported;
  }

  /** Each tag's rows in time order without their duplicates (unique). */
  private inOrder(tags: Map<string, TagRows>): Map<string, TagRows> {
    const out = new Map<string, TagRows>();
    for (const [tag, rows] of tags) out.set(tag, this.unique(tag, inTimeOrder(rows)));
    return out;
  }

  /** The tag was created by this import (its units are the file's: withUnits). */
  createdHere(tag: string): boolean {
    return this.created.has(tag);
  }

  /** Unit changes this import made per tag (MAX_UNIT_CHANGES). */
  private readonly unitChanges = new Map<string, number>();

  /**
   * A tag this import created, its rows in time order with the units they state (records.ts gives a
   * unit only to such a tag's rows): a row in another unit than the one in force opens a version of
   * the tag at its time, when nothing of the tag is archived after it (the rows before it were in
   * the old unit); else, or past MAX_UNIT_CHANGES, the row is rejected naming the unit expected.
   * Rows without a unit (an empty cell) take the one in force.
   */
  private withUnits(tag: string, rows: TagRows): TagRows {
    const { samples, lines } = rows;
    let i = 0;
    while (i < samples.length && (samples[i] as UnitSample).unit === undefined) i++;
    if (i === samples.length || !this.created.has(tag) || this.target.changeUnit === undefined) return rows;
    const spans = [...(this.target.unitHistory?.(tag) ?? [])];
    if (spans.length === 0) return rows;
    const last = this.target.lastTime(tag);
    const out: TagRows = { samples: samples.slice(0, i), lines: lines.slice(0, i) };
    for (; i < samples.length; i++) {
      const s = samples[i] as UnitSample;
      const then = unitAt(spans, s.t);
      if (s.unit !== undefined && s.unit !== then) {
        const top = spans[spans.length - 1]!;
        const changes = this.unitChanges.get(tag) ?? 0;
        if (s.t > top.validFrom && s.t > last && changes < MAX_UNIT_CHANGES) {
          this.target.changeUnit(tag, s.unit, s.t);
          (this.report.unitChanges ??= []).push({ tag, unit: s.unit, from: s.t });
          spans.push({ validFrom: s.t, unit: s.unit });
          this.unitChanges.set(tag, changes + 1);
        } else {
          const why = changes >= MAX_UNIT_CHANGES ? `; this file changed the unit of ${tag} ${MAX_UNIT_CHANGES} times already, more than configuration changes do`
            : ', as the rows of this file around that time state it';
          this.report.rejections.push({ file: this.report.file, line: lines[i]!, field: this.report.summary?.unitField ?? 'unit', got: s.unit,
            expected: `${quoteUnit(then)} (the unit of ${tag} at ${formatTime(s.t)}${why})` });
          continue;
        }
      }
      out.samples.push(s);
      out.lines.push(lines[i]!);
    }
    return out;
  }

  /** Rows in time order without their duplicates: of rows with one time, the first line is kept and the others rejected. */
  private unique(tag: string, rows: TagRows): TagRows {
    const { samples, lines } = rows;
    let i = 1;
    while (i < samples.length && samples[i]!.t !== samples[i - 1]!.t) i++;
    if (i >= samples.length) return rows;
    const out: TagRows = { samples: samples.slice(0, i), lines: lines.slice(0, i) };
    let first = i - 1; // the kept row of the current time
    for (; i < samples.length; i++) {
      if (samples[i]!.t === samples[first]!.t) {
        this.duplicate(tag, samples[i]!.t, lines[i]!, lines[first]!);
        continue;
      }
      first = i;
      out.samples.push(samples[i]!);
      out.lines.push(lines[i]!);
    }
    return out;
  }

  /** `of` 'unknown': the file's irregular times were too many to keep (file-times.ts); the time cannot be ruled out, so the row is not archived. */
  private duplicate(tag: string, t: number, line: number, of: number | 'unknown'): void {
    // the ms note only when one of the two lines has digits below the ms: else it is a plain duplicate
    const finer = this.finerLines !== undefined && (this.finerLines.has(line) || (of !== 'unknown' && this.finerLines.has(of)));
    const why = finer ? ': the archive keeps times to the millisecond, and this file has times finer than that'
      : '; the archive keeps one value per tag and time';
    // Local times read as UTC across a fall-back: the clocks' second pass over the hour (local-time-hint.ts).
    const repeat = this.report.summary?.repeatedHour;
    const local = of !== 'unknown' && inRepeat(repeat, tag, t, line);
    if (local) repeat!.duplicates++;
    this.report.rejections.push({
      file: this.report.file, line, field: this.timeField, expected: 'one value per tag and time', got: formatTime(t),
      message: of === 'unknown'
        ? `possibly a duplicate of an earlier line of this file (tag ${tag} at ${formatTime(t)}, behind rows of it archived already; its times are too irregular ` +
          'to keep them all in memory and rule it out): not archived, lest it replace an earlier line\'s value; import the file sorted by time to archive it'
        : `duplicate of line ${of} (tag ${tag} at ${formatTime(t)}${why})${local ? repeatedHourHint(repeat!) : ''}`,
    });
  }

  /** Tags of the batch the archive does not know: created in one commit, valid from time 0 (for all past data the file may hold). */
  private defineNewTags(tags: Map<string, TagRows>): void {
    const configs: TagConfig[] = [];
    for (const [tag, rows] of tags) {
      if (rows.samples.length === 0) continue;
      if (this.target.kindOf(tag) !== undefined) {
        if (!this.created.has(tag) && !this.known.has(tag)) {
          this.known.add(tag);
          (this.report.knownTags ??= []).push(tag);
        }
        continue;
      }
      // The unit of its earliest row stating one (a long file's unit column: withUnits makes its later changes), else the units row's (units-row.ts).
      const unit = (rows.samples.find((s) => (s as UnitSample).unit !== undefined) as UnitSample | undefined)?.unit ?? this.report.summary?.units?.get(tag);
      const kind = this.report.summary?.kinds.get(tag) ?? kindOfValue(rows.samples[0].value);
      configs.push(defaultTagConfig(tag, kind, this.compression ?? { kind: 'none' }, this.report.file, this.rangeOf(tag), unit));
    }
    if (configs.length === 0) return;
    this.target.defineTags(configs, 0);
    for (const c of configs) {
      this.report.createdTags.push(c.name);
      this.created.add(c.name);
      if (this.report.rangedFromData !== undefined && c.range) this.report.rangedFromData++;
    }
  }

  /** Samples in time order, one per time: those after the tag's newest archived sample are appended, the others go the late path. */
  private archiveTag(tag: string, samples: Sample[], lines: number[]): void {
    if (samples.length === 0) return;
    const last = this.target.lastTime(tag);
    let split = samples.length; // first sample newer than the archive: binary search, samples are in time order
    for (let lo = 0, hi = samples.length; lo < hi; ) {
      const mid = (lo + hi) >>> 1;
      if (samples[mid].t > last) hi = split = mid;
      else lo = mid + 1;
    }
    if (split > 0) archive(this.target, 'insert', tag, samples.slice(0, split), lines, this.report);
    if (split < samples.length) archive(this.target, 'append', tag, split === 0 ? samples : samples.slice(split), lines.slice(split), this.report);
  }
}

/** Samples sorted by time (then line); files are nearly always in order already, so check first. */
function inTimeOrder(rows: TagRows): TagRows {
  const { samples, lines } = rows;
  let sorted = true;
  for (let i = 1; i < samples.length && sorted; i++) sorted = samples[i - 1].t <= samples[i].t;
  if (sorted) return rows;
  let descending = true; // a newest-first file: reversed in place, no sort
  for (let i = 1; i < samples.length && descending; i++) descending = samples[i - 1].t > samples[i].t;
  if (descending) {
    samples.reverse();
    lines.reverse();
    return rows;
  }
  const order = samples.map((_, i) => i).sort((a, b) => samples[a].t - samples[b].t || lines[a] - lines[b]);
  return { samples: order.map((i) => samples[i]), lines: order.map((i) => lines[i]) };
}

/**
 * Archives samples in one call. When the archive refuses an insert (all-or-nothing,
 * e.g. a time in a detached volume), retries sample by sample so only the bad rows are
 * rejected. An append failure is not retried: part of it may be archived already.
 */
function archive(target: ImportTarget, how: 'append' | 'insert', tag: string, samples: Sample[], lines: number[], report: ImportReport): void {
  const tally = (written: { written: number; replacing: number; cyclic?: number } | void, given: number, cyclic: () => number) => {
    const n = written ? written.written : given;
    report.imported += n;
    const c = written?.cyclic ?? cyclic();
    if (c > 0) report.cyclic = (report.cyclic ?? 0) + c;
    if (how === 'append') report.appended += n;
    else {
      report.inserted += n;
      report.unchanged += given - n;
      report.replaced += written ? written.replacing : 0;
    }
  };
  try {
    tally(target[how](tag, samples), samples.length, () => cyclicIn(samples));
  } catch (batchError) {
    if (how === 'append') throw batchError;
    let failed = 0;
    samples.forEach((sample, i) => {
      try {
        tally(target[how](tag, [sample]), 1, () => cyclicIn([sample]));
      } catch (e) {
        failed++;
        report.rejections.push({ file: report.file, line: lines[i], field: 'time', expected: (e as Error).message, got: String(sample.t) });
      }
    });
    if (failed === 0) throw batchError; // not a per-row problem: let it surface
  }
}

/** How many samples are flagged Cyclic (a file with Vigil's flags column). */
function cyclicIn(samples: readonly Sample[]): number {
  let n = 0;
  for (const s of samples) if (((s as ArchivedSample).flags ?? 0) & Flag.Cyclic) n++;
  return n;
}

/** Names listed in a summary at most; an import may create thousands. */
export const NAMES_LISTED = 10;

/** The first names and how many more: "A, B, C and 1141 more". */
export function someNames(names: readonly string[]): string {
  if (names.length <= NAMES_LISTED) return names.join(', ');
  return `${names.slice(0, NAMES_LISTED).join(', ')} and ${names.length - NAMES_LISTED} more`;
}

/**
 * One line: rows, samples (and how many the archive was handed: duplicates and late rows it holds
 * already are not), tags, time range, how the file was read, rejected lines. Not what the archive
 * kept of them (discrete and text tags keep changes, compressed tags what their compression keeps):
 * the historian CLI says that after the archive is closed, from the archive's own counts.
 */
export function formatSummary(r: ImportReport): string {
  const s = r.summary;
  const lines = r.rejections.lines;
  if (!s || s.format === undefined) return `${r.file}: summary: nothing read, ${counted(lines, 'line')} rejected${r.fileError ? ', file rejected' : ''}`;
  const range = s.first <= s.last ? `${formatTime(s.first)} .. ${formatTime(s.last)}` : 'none';
  const d = s.delimiter ?? ',';
  const tags = r.createdTags.length ? `${counted(r.createdTags.length, 'tag')} created (${someNames(r.createdTags)})` : 'no tags created';
  const ranged = r.rangedFromData ? ` (EU range of ${r.rangedFromData} from their values in the file)` : '';
  return `${r.file}: summary: ${s.format}, ${counted(s.rows, 'row')}, ${counted(s.samples, 'sample')} (${r.imported} accepted), ${counted(s.missing, 'empty cell')}${s.noData ? `, ${counted(s.noData, 'NoData row')} (no value: not archived)` : ''}, ${tags}${ranged}, ` +
    `time ${range}, time column "${s.timeField}" (${s.timeFormat ?? 'no data'}${s.zoneFromHeader ? `, read as ${s.zoneFromHeader} as its name says` : ''}), delimiter ${delimiterName(d)}` +
    `${s.decimalComma ? ' (decimal comma allowed)' : ''}${s.ignored.length ? `, ignored unnamed ${s.ignored.join(', ')}` : ''}` +
    `${s.unitsLine !== undefined ? `, units from line ${s.unitsLine}` : ''}${unitChangesNote(r.unitChanges)}, ${counted(lines, 'line')} rejected${repeatedHourNote(s.repeatedHour)}`;
}

/**
 * ", unit changed: P1 to "kPa" from <time>": a created tag whose rows stated another unit part way
 * (an export across a reconfiguration, or a file that mixes units by mistake: said, not silent).
 */
function unitChangesNote(changes: ImportReport['unitChanges']): string {
  if (!changes?.length) return '';
  const shown = changes.slice(0, 3).map((c) => `${c.tag} to ${JSON.stringify(c.unit)} from ${formatTime(c.from)}`);
  const more = changes.length > shown.length ? ` and ${changes.length - shown.length} more` : '';
  return `, ${changes.length === 1 ? 'unit changed' : `${changes.length} unit changes`}: ${shown.join('; ')}${more}`;
}

/**
 * The warning for a last line without a line end. Imported all the same (many tools end a file without
 * one), but a file copied while still being written ends in a cut line ("12.3" of "12.345"): importing the
 * complete file again corrects it (a row the archive holds with another value goes in as a correction).
 */
export function noLineEndWarning(r: ImportReport): string | undefined {
  if (r.noLineEnd === undefined) return undefined;
  return `${r.file}:${r.noLineEnd}: warning: last line has no line end: it may be cut short (a file copied while still being written); ` +
    'imported as read: if the file was not complete, import it again once it is';
}

/** What the inbox says of a file still being written when it was read or after it was moved (watch.ts); undefined otherwise. */
export function stillWrittenNote(r: ImportReport): string | undefined {
  const convention = 'a writer should write to a name the inbox leaves alone (name.csv.tmp, .name.csv) and rename it to name.csv when complete';
  if (r.changedWhileRead) return `${r.file}: warning: the file changed while it was read (still being written): left in the inbox, imported again once stable; ${convention}`;
  if (r.grewAfterImport) return `${r.file}: warning: the file grew after it was imported and moved (its writer still had it open): imported again; ${convention}`;
  return undefined;
}

/** "interrupted at line N", or "interrupted" when no line was read (stopped before a pass over the file began). */
export function interruptedAt(r: Pick<ImportReport, 'interruptedAfter'>): string {
  return r.interruptedAfter ? `interrupted at line ${r.interruptedAfter}` : 'interrupted';
}

/** The text of a <name>.report.txt: a summary, then the rejected lines and why (rejection-digest.ts). */
export function formatReport(r: ImportReport): string {
  const lines = [
    `file: ${r.file}`,
    r.fileError ? `file rejected: ${r.fileError}` : `imported: ${r.imported} samples (${r.appended} appended, ${r.inserted} inserted as late data` +
      `${r.replaced ? `, ${r.replaced} of them replacing archived values` : ''}${r.unchanged ? `, ${r.unchanged} late samples already archived` : ''})`,
    ...(r.interruptedAfter !== undefined ? [`${interruptedAt(r)}${r.interruptedNote ? ` ${r.interruptedNote}` : ''}`] : []),
    ...(r.noLineEnd !== undefined ? [noLineEndWarning(r)!] : []),
    ...(stillWrittenNote(r) !== undefined ? [stillWrittenNote(r)!] : []),
    `rejected lines: ${r.rejections.lines}`,
  ];
  if (r.createdTags.length) lines.push(`tags created: ${r.createdTags.length} (${someNames(r.createdTags)})`);
  lines.push(formatSummary(r));
  lines.push(...formatDigest(digestRejections(r.rejections)));
  return lines.join('\n') + '\n';
}
