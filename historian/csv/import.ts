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
import { CsvFileError, formatRejection, readCsv, type CsvFormat, type CsvRow, type Rejection } from './read.js';

/** What the importer needs from the archive: historianTarget(h) adapts a Historian. */
export interface ImportTarget {
  /** The tag's kind, undefined when the archive does not know the tag. */
  kindOf(name: string): TagKind | undefined;
  /** Time of the newest archived sample of the tag (append beyond it), or -Infinity. */
  lastTime(name: string): number;
  defineTag(config: TagConfig, validFrom?: number): unknown;
  append(name: string, samples: Sample[]): void;
  insert(name: string, samples: Sample[]): void;
  flush(): void;
}

/**
 * A Historian as an import target. Tags and the newest archived time per tag
 * are looked up when first needed and tracked while rows are appended; flush()
 * (the end of each import) forgets them, so a long-lived target (the watched
 * folder in a station) sees tags and data the station added in between.
 */
export function historianTarget(h: Historian): ImportTarget {
  let kinds = new Map<string, TagKind>();
  const last = new Map<string, number>();
  return {
    kindOf(name) {
      if (!kinds.has(name)) {
        if (!h.tagNames().includes(name)) return undefined;
        kinds.set(name, h.versionAt(name, Date.now()).config.kind);
      }
      return kinds.get(name);
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
    defineTag(config, validFrom) {
      h.defineTag(config, validFrom);
      kinds.set(config.name, config.kind);
    },
    append(name, samples) {
      h.append(name, samples);
      const t = samples[samples.length - 1]?.t;
      if (t !== undefined && t > (last.get(name) ?? -Infinity)) last.set(name, t);
    },
    insert: (name, samples) => h.insert(name, samples),
    flush() {
      h.flush();
      kinds = new Map();
      last.clear();
    },
  };
}

export interface ImportOptions {
  format?: CsvFormat;
  /** Compression of tags the import creates (analog only). Default none: lossless. */
  compression?: Compression;
  /** Kind of tags the import creates; 'auto' infers number -> analog, true/false -> discrete. */
  newTagKind?: TagKind | 'auto';
  /** Read ISO times without an offset as UTC (default) or reject them. */
  assumeUtc?: boolean;
  /** Name used in rejections (default: the file's base name). */
  displayName?: string;
}

export interface ImportReport {
  file: string;
  /** Rows read and archived (appended or inserted). */
  imported: number;
  appended: number;
  inserted: number;
  createdTags: string[];
  rejections: Rejection[];
  /** Set when the file as a whole could not be read (encoding, header); nothing was imported. */
  fileError?: string;
}

export function defaultTagConfig(name: string, kind: TagKind, compression: Compression, source: string): TagConfig {
  return {
    name,
    kind,
    description: `created by CSV import of ${source}`,
    unit: '',
    compression: kind === 'analog' ? compression : { kind: 'none' },
    stepped: kind !== 'analog',
    cycleMs: 0, // unknown acquisition cycle: no cyclic records
  };
}

const kindOfValue = (v: Sample['value']): TagKind => (typeof v === 'number' ? 'analog' : typeof v === 'boolean' ? 'discrete' : 'text');

export async function importCsvFile(target: ImportTarget, path: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const file = opts.displayName ?? basename(path);
  const report: ImportReport = { file, imported: 0, appended: 0, inserted: 0, createdTags: [], rejections: [] };
  try {
    for await (const batch of readCsv(createReadStream(path), {
      file,
      format: opts.format,
      newTagKind: opts.newTagKind,
      assumeUtc: opts.assumeUtc,
      kindOf: (tag) => target.kindOf(tag),
    })) {
      report.rejections.push(...batch.rejections);
      archiveRows(target, batch.rows, opts, report);
    }
  } catch (e) {
    if (!(e instanceof CsvFileError)) throw e;
    report.fileError = e.message;
  }
  target.flush();
  report.rejections.sort((a, b) => a.line - b.line);
  return report;
}

function archiveRows(target: ImportTarget, rows: CsvRow[], opts: ImportOptions, report: ImportReport): void {
  const byTag = new Map<string, CsvRow[]>();
  for (const row of rows) {
    const list = byTag.get(row.tag);
    if (list) list.push(row);
    else byTag.set(row.tag, [row]);
  }
  for (const [tag, list] of byTag) {
    if (target.kindOf(tag) === undefined) {
      const config = defaultTagConfig(tag, kindOfValue(list[0].sample.value), opts.compression ?? { kind: 'none' }, report.file);
      target.defineTag(config, 0); // valid for all past data the file may hold
      report.createdTags.push(tag);
    }
    list.sort((a, b) => a.sample.t - b.sample.t || a.line - b.line);
    const last = target.lastTime(tag);
    const split = list.findIndex((r) => r.sample.t > last);
    const late = split === -1 ? list : list.slice(0, split);
    const fresh = split === -1 ? [] : list.slice(split);
    if (late.length) report.inserted += archive(target, 'insert', tag, late, report);
    if (fresh.length) report.appended += archive(target, 'append', tag, fresh, report);
  }
}

/**
 * Archives rows in one call. When the archive refuses an insert (all-or-nothing,
 * e.g. a time in a detached volume), retries row by row so only the bad rows are
 * rejected. An append failure is not retried: part of it may be archived already.
 */
function archive(target: ImportTarget, how: 'append' | 'insert', tag: string, rows: CsvRow[], report: ImportReport): number {
  try {
    target[how](tag, rows.map((r) => r.sample));
    report.imported += rows.length;
    return rows.length;
  } catch (batchError) {
    if (how === 'append') throw batchError;
    let ok = 0;
    for (const row of rows) {
      try {
        target[how](tag, [row.sample]);
        ok++;
      } catch (e) {
        report.rejections.push({ file: report.file, line: row.line, field: 'time', expected: (e as Error).message, got: String(row.sample.t) });
      }
    }
    if (ok === rows.length) throw batchError; // not a per-row problem: let it surface
    report.imported += ok;
    return ok;
  }
}

/** The text of a <name>.report.txt: a summary, then every rejected line and why. */
export function formatReport(r: ImportReport): string {
  const lines = [
    `file: ${r.file}`,
    r.fileError ? `file rejected: ${r.fileError}` : `imported: ${r.imported} samples (${r.appended} appended, ${r.inserted} inserted as late data)`,
    `rejected lines: ${new Set(r.rejections.map((x) => x.line)).size}`,
  ];
  if (r.createdTags.length) lines.push(`tags created: ${r.createdTags.join(', ')}`);
  for (const x of r.rejections) lines.push(formatRejection(x));
  return lines.join('\n') + '\n';
}
