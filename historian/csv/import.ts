/**
 * CSV import into the archive. Good rows are archived even when others are
 * rejected; every rejection is reported with file, line, field and what was
 * expected. Per tag, rows after what the archive already holds go through
 * append (the compressor); older rows fill gaps through insert (archived as given).
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Compression, Sample, TagConfig, TagKind } from '../types.js';
import type { Historian } from '../index.js';
import { CsvFileError, formatRejection, readCsv, type CsvReadOptions, type CsvSummary, type Rejection, type TagRows } from './read.js';
import { valueSpans, type Span } from './spans.js';
import { formatTime } from './time.js';

/** What the importer needs from the archive: historianTarget(h) adapts a Historian. */
export interface ImportTarget {
  /** The tag's kind, undefined when the archive does not know the tag. */
  kindOf(name: string): TagKind | undefined;
  /** Time of the newest archived sample of the tag (append beyond it), or -Infinity. */
  lastTime(name: string): number;
  /** Defines new tags, all in one catalog commit (an import may create thousands). */
  defineTags(configs: TagConfig[], validFrom: number): unknown;
  append(name: string, samples: Sample[]): void;
  insert(name: string, samples: Sample[]): void;
  flush(): void;
}

/**
 * A Historian as an import target. The newest archived time per tag is looked
 * up when first needed (never for a tag the import just created) and tracked
 * while rows are appended; flush() (the end of each import) forgets it, so a
 * long-lived target (the watched folder in a station) sees data the station
 * added in between.
 */
export function historianTarget(h: Historian): ImportTarget {
  const last = new Map<string, number>();
  return {
    // O(1): creating N tags must cost O(N), not a scan of the tag list (or a catalog reload) per tag.
    kindOf: (name) => h.kindOf(name),
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
      h.append(name, samples);
      const t = samples[samples.length - 1]?.t;
      if (t !== undefined && t > (last.get(name) ?? -Infinity)) last.set(name, t);
    },
    insert: (name, samples) => h.insert(name, samples),
    flush() {
      h.flush();
      last.clear();
    },
  };
}

/** The reader's options (format, times, delimiter, naming) plus what the import adds. */
export interface ImportOptions extends Omit<CsvReadOptions, 'file' | 'kindOf' | 'batchSize'> {
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
}

export interface ImportReport {
  file: string;
  /** Rows read and archived (appended or inserted). */
  imported: number;
  appended: number;
  inserted: number;
  createdTags: string[];
  rejections: Rejection[];
  /** How the file was read (delimiter, time column and format) and what it held. */
  summary?: CsvSummary;
  /** Created analog tags whose EU range is their span of values in the file (range 'data'). */
  rangedFromData?: number;
  /** Set when the file as a whole could not be read (encoding, header); nothing was imported. */
  fileError?: string;
}

export function defaultTagConfig(name: string, kind: TagKind, compression: Compression, source: string, range?: Span): TagConfig {
  return {
    name,
    kind,
    description: `created by CSV import of ${source}`,
    unit: '',
    ...(kind === 'analog' && range ? { range } : {}),
    compression: kind === 'analog' ? compression : { kind: 'none' },
    stepped: kind !== 'analog',
    cycleMs: 0, // unknown acquisition cycle: no cyclic records
  };
}

const kindOfValue = (v: Sample['value']): TagKind => (typeof v === 'number' ? 'analog' : typeof v === 'boolean' ? 'discrete' : 'text');

/** Samples archived between flushes of a long import. */
const FLUSH_EVERY = 250_000;

export async function importCsvFile(target: ImportTarget, path: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const file = opts.displayName ?? basename(path);
  const report: ImportReport = { file, imported: 0, appended: 0, inserted: 0, createdTags: [], rejections: [] };
  let flushedAt = 0;
  try {
    const { compression: _c, range: _r, displayName: _d, flushAtEnd: _f, ...readOptions } = opts;
    const read = { ...readOptions, file, kindOf: (tag: string) => target.kindOf(tag) };
    const spans = opts.range === 'data' ? await valueSpans(path, read) : undefined;
    if (spans) report.rangedFromData = 0;
    const given = opts.range === 'data' ? undefined : opts.range;
    const rangeOf = (tag: string): Span | undefined => (spans ? spans.get(tag) : given);
    for await (const batch of readCsv(createReadStream(path), read)) {
      for (const r of batch.rejections) report.rejections.push(r);
      report.summary = batch.summary;
      defineNewTags(target, batch.tags, opts.compression, rangeOf, report);
      for (const [tag, rows] of batch.tags) archiveTag(target, tag, rows, report);
      if (report.imported - flushedAt >= FLUSH_EVERY) {
        target.flush(); // a big file must not sit in memory until its end
        flushedAt = report.imported;
      }
    }
  } catch (e) {
    if (!(e instanceof CsvFileError)) throw e;
    report.fileError = e.message;
  }
  if (opts.flushAtEnd !== false) target.flush();
  report.rejections.sort((a, b) => a.line - b.line);
  return report;
}

/** Tags of the batch the archive does not know: created in one commit, valid from time 0 (for all past data the file may hold). */
function defineNewTags(target: ImportTarget, tags: Map<string, TagRows>, compression: Compression | undefined, rangeOf: (tag: string) => Span | undefined,
  report: ImportReport): void {
  const configs: TagConfig[] = [];
  for (const [tag, rows] of tags) {
    if (rows.samples.length === 0 || target.kindOf(tag) !== undefined) continue;
    configs.push(defaultTagConfig(tag, kindOfValue(rows.samples[0].value), compression ?? { kind: 'none' }, report.file, rangeOf(tag)));
  }
  if (configs.length === 0) return;
  target.defineTags(configs, 0);
  for (const c of configs) {
    report.createdTags.push(c.name);
    if (report.rangedFromData !== undefined && c.range) report.rangedFromData++;
  }
}

function archiveTag(target: ImportTarget, tag: string, rows: TagRows, report: ImportReport): void {
  if (rows.samples.length === 0) return;
  const { samples, lines } = inTimeOrder(rows);
  const last = target.lastTime(tag);
  let split = samples.length; // first sample newer than the archive: binary search, samples are in time order
  for (let lo = 0, hi = samples.length; lo < hi; ) {
    const mid = (lo + hi) >>> 1;
    if (samples[mid].t > last) hi = split = mid;
    else lo = mid + 1;
  }
  if (split > 0) report.inserted += archive(target, 'insert', tag, samples.slice(0, split), lines, report);
  if (split < samples.length) report.appended += archive(target, 'append', tag, split === 0 ? samples : samples.slice(split), lines.slice(split), report);
}

/** Samples sorted by time (then line); files are nearly always in order already, so check first. */
function inTimeOrder(rows: TagRows): TagRows {
  const { samples, lines } = rows;
  let sorted = true;
  for (let i = 1; i < samples.length && sorted; i++) sorted = samples[i - 1].t <= samples[i].t;
  if (sorted) return rows;
  const order = samples.map((_, i) => i).sort((a, b) => samples[a].t - samples[b].t || lines[a] - lines[b]);
  return { samples: order.map((i) => samples[i]), lines: order.map((i) => lines[i]) };
}

/**
 * Archives samples in one call. When the archive refuses an insert (all-or-nothing,
 * e.g. a time in a detached volume), retries sample by sample so only the bad rows are
 * rejected. An append failure is not retried: part of it may be archived already.
 */
function archive(target: ImportTarget, how: 'append' | 'insert', tag: string, samples: Sample[], lines: number[], report: ImportReport): number {
  try {
    target[how](tag, samples);
    report.imported += samples.length;
    return samples.length;
  } catch (batchError) {
    if (how === 'append') throw batchError;
    let ok = 0;
    samples.forEach((sample, i) => {
      try {
        target[how](tag, [sample]);
        ok++;
      } catch (e) {
        report.rejections.push({ file: report.file, line: lines[i], field: 'time', expected: (e as Error).message, got: String(sample.t) });
      }
    });
    if (ok === samples.length) throw batchError; // not a per-row problem: let it surface
    report.imported += ok;
    return ok;
  }
}

/** Names listed in a summary at most; an import may create thousands. */
export const NAMES_LISTED = 10;

/** The first names and how many more: "A, B, C and 1141 more". */
export function someNames(names: readonly string[]): string {
  if (names.length <= NAMES_LISTED) return names.join(', ');
  return `${names.slice(0, NAMES_LISTED).join(', ')} and ${names.length - NAMES_LISTED} more`;
}

const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

/** One line: rows, samples, tags, time range, how the file was read, rejected lines. */
export function formatSummary(r: ImportReport): string {
  const s = r.summary;
  const lines = new Set(r.rejections.map((x) => x.line)).size;
  if (!s || s.format === undefined) return `${r.file}: summary: nothing read, ${lines} lines rejected${r.fileError ? ', file rejected' : ''}`;
  const range = s.first <= s.last ? `${formatTime(s.first)} .. ${formatTime(s.last)}` : 'none';
  const d = s.delimiter ?? ',';
  const tags = r.createdTags.length ? `${r.createdTags.length} tags created (${someNames(r.createdTags)})` : 'no tags created';
  const ranged = r.rangedFromData ? ` (EU range of ${r.rangedFromData} from their values in the file)` : '';
  return `${r.file}: summary: ${s.format}, ${s.rows} rows, ${s.samples} samples (${r.imported} archived), ${s.missing} empty cells, ${tags}${ranged}, ` +
    `time ${range}, time column "${s.timeField}" (${s.timeFormat ?? 'no data'}), delimiter ${DELIMITER_NAMES[d] ?? JSON.stringify(d)}` +
    `${s.decimalComma ? ' (decimal comma allowed)' : ''}${s.ignored.length ? `, ignored unnamed ${s.ignored.join(', ')}` : ''}, ${lines} lines rejected`;
}

/** The text of a <name>.report.txt: a summary, then every rejected line and why. */
export function formatReport(r: ImportReport): string {
  const lines = [
    `file: ${r.file}`,
    r.fileError ? `file rejected: ${r.fileError}` : `imported: ${r.imported} samples (${r.appended} appended, ${r.inserted} inserted as late data)`,
    `rejected lines: ${new Set(r.rejections.map((x) => x.line)).size}`,
  ];
  if (r.createdTags.length) lines.push(`tags created: ${r.createdTags.length} (${someNames(r.createdTags)})`);
  lines.push(formatSummary(r));
  for (const x of r.rejections) lines.push(formatRejection(x));
  return lines.join('\n') + '\n';
}
