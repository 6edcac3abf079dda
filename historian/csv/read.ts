/**
 * Streaming CSV reader for historian samples (RFC 4180 via csv-parse).
 *
 * Long format:  time,tag,value[,status]   (header names, any order; other columns
 *               such as unit, status_code, flags are allowed: an export reads back)
 * Wide format:  time,<tag1>,<tag2>,...     (an empty cell is "no sample")
 *
 * Every bad record or cell becomes a Rejection naming file, line, field and what
 * was expected; good records are yielded anyway. Problems that make the whole
 * file unusable (no header, UTF-16) throw CsvFileError.
 */
import type { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import type { Sample, TagKind, Value } from '../types.js';
import { isBad } from '../status.js';
import { parseTime } from './time.js';
import { parseStatus, STATUS_EXPECTED } from './status-text.js';
import { EncodingError, Utf8Check, describeBadBytes, type BadBytes } from './utf8-check.js';

export interface Rejection {
  file: string;
  line: number;
  field: string;
  expected: string;
  got: string;
}

export function formatRejection(r: Rejection): string {
  return `${r.file}:${r.line}: field "${r.field}": expected ${r.expected}; got ${JSON.stringify(r.got)}`;
}

export class CsvFileError extends Error {
  /** line 0: the problem is not on one line (e.g. the file cannot be read). */
  constructor(readonly file: string, readonly line: number, message: string) {
    super(line > 0 ? `${file}:${line}: ${message}` : `${file}: ${message}`);
  }
}

export interface CsvRow {
  line: number;
  tag: string;
  sample: Sample;
}

export interface CsvBatch {
  rows: CsvRow[];
  rejections: Rejection[];
}

export type CsvFormat = 'auto' | 'long' | 'wide';

export interface CsvReadOptions {
  /** Named in every rejection. */
  file: string;
  format?: CsvFormat;
  /** The archive's kind for a tag, undefined when unknown. */
  kindOf: (tag: string) => TagKind | undefined;
  /** Kind given to tags unknown to kindOf; 'auto' infers it from the first value (number or true/false). */
  newTagKind?: TagKind | 'auto';
  /** Read ISO times without offset as UTC (default true); false rejects them. */
  assumeUtc?: boolean;
  /** Rows per yielded batch. */
  batchSize?: number;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TIME_NAMES = new Set(['time', 'timestamp', 't']);

interface Layout {
  format: 'long' | 'wide';
  width: number;
  names: string[];
  time: number;
  tag: number;
  value: number;
  status: number; // -1 when absent
}

export async function* readCsv(input: Readable, opts: CsvReadOptions): AsyncGenerator<CsvBatch> {
  const file = opts.file;
  const batchSize = opts.batchSize ?? 10_000;
  const check = new Utf8Check();
  const parser = parse({
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    record_delimiter: ['\r\n', '\n'],
  });
  let skipped: Rejection[] = [];
  let unclosedQuoteAt = 0; // last line of the file when a quote was never closed
  parser.on('skip', (err: CsvError) => {
    const line = Number((err as unknown as { lines?: number }).lines ?? 0);
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') unclosedQuoteAt = line;
    else skipped.push({ file, line, field: 'record', expected: 'RFC 4180 quoting', got: err.message });
  });
  input.on('error', (e) => parser.destroy(e));
  check.on('error', (e) => parser.destroy(e));
  input.pipe(check).pipe(parser);

  const kinds = new Map<string, TagKind>();
  const kindFor = (tag: string, raw: string): TagKind | undefined => {
    let kind = kinds.get(tag) ?? opts.kindOf(tag);
    if (kind === undefined) {
      const wanted = opts.newTagKind ?? 'auto';
      if (wanted !== 'auto') kind = wanted;
      else if (NUMBER.test(raw.trim())) kind = 'analog';
      else if (/^(true|false)$/i.test(raw.trim())) kind = 'discrete';
      else return undefined; // decided by a later, clearer value
    }
    kinds.set(tag, kind);
    return kind;
  };

  let layout: Layout | undefined;
  let lastEnd = 0; // last line of the last record read
  let batch: CsvBatch = { rows: [], rejections: [] };
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines - newlinesIn(record);
      lastEnd = info.lines;
      if (layout === undefined) {
        layout = readHeader(record, file, line, opts.format ?? 'auto');
        continue;
      }
      const bad = firstBadLine(check.badLines, line, info.lines);
      if (bad) {
        const fieldIndex = record.findIndex((f) => f.includes('\uFFFD'));
        const field = fieldIndex >= 0 ? layout.names[fieldIndex] ?? `column ${fieldIndex + 1}` : 'record';
        batch.rejections.push({ file, line: bad.line, field, expected: describeBadBytes(bad.bytes), got: record.join(',') });
      } else if (record.length !== layout.width) {
        batch.rejections.push({
          file, line, field: 'record',
          expected: `${layout.width} fields (${layout.names.join(',')})`,
          got: `${record.length} fields: ${record.join(',')}`,
        });
      } else if (layout.format === 'long') readLong(record, line, layout, batch, kindFor, opts);
      else readWide(record, line, layout, batch, kindFor, opts);
      if (skipped.length > 0) {
        batch.rejections.push(...skipped);
        skipped = [];
      }
      if (batch.rows.length >= batchSize) {
        yield batch;
        batch = { rows: [], rejections: [] };
      }
    }
  } catch (e) {
    if (e instanceof CsvFileError) throw e;
    throw new CsvFileError(file, e instanceof EncodingError ? 1 : 0, (e as Error).message);
  }
  if (layout === undefined) throw new CsvFileError(file, 1, 'empty file: expected a header row (time,tag,value[,status] or time,<tag>,...)');
  batch.rejections.push(...skipped);
  if (unclosedQuoteAt > 0) {
    // An opening quote never closed swallows the rest of the file into one field: say which lines.
    const from = lastEnd + 1;
    batch.rejections.push({ file, line: from, field: 'record', got: `lines ${from}-${unclosedQuoteAt}`,
      expected: `a closing quote: a quote opened on or after this line is never closed, so lines ${from} to ${unclosedQuoteAt} were read as one field and none was imported` });
  }
  yield batch;
}

function newlinesIn(record: string[]): number {
  let n = 0;
  for (const f of record) for (let i = f.indexOf('\n'); i !== -1; i = f.indexOf('\n', i + 1)) n++;
  return n;
}

function firstBadLine(bad: Map<number, BadBytes>, from: number, to: number): { line: number; bytes: BadBytes } | undefined {
  if (bad.size === 0) return undefined;
  for (let line = from; line <= to; line++) {
    const bytes = bad.get(line);
    if (bytes) return { line, bytes };
  }
  return undefined;
}

function readHeader(record: string[], file: string, line: number, format: CsvFormat): Layout {
  const names = record.map((f) => f.trim());
  const lower = names.map((n) => n.toLowerCase());
  if (names.some((n) => n.includes('\uFFFD'))) throw new CsvFileError(file, line, 'header is not valid UTF-8; expected a UTF-8 file');
  if (typeof parseTime(names[0]) === 'number') {
    throw new CsvFileError(file, line, `expected a header row (time,tag,value[,status] or time,<tag>,...); got data: ${record.join(',')}`);
  }
  const isLong = format === 'long' || (format === 'auto' && lower.includes('tag') && lower.includes('value'));
  if (isLong) {
    const time = lower.findIndex((n) => TIME_NAMES.has(n));
    const tag = lower.indexOf('tag');
    const value = lower.indexOf('value');
    const status = lower.includes('status_code') ? lower.indexOf('status_code') : lower.indexOf('status');
    if (time < 0 || tag < 0 || value < 0) {
      throw new CsvFileError(file, line, `long format needs columns time, tag, value[, status]; got ${names.join(',')}`);
    }
    return { format: 'long', width: names.length, names, time, tag, value, status };
  }
  if (!TIME_NAMES.has(lower[0])) throw new CsvFileError(file, line, `wide format needs "time" as first column; got "${names[0]}"`);
  const seen = new Set<string>();
  for (let i = 1; i < names.length; i++) {
    if (names[i] === '') throw new CsvFileError(file, line, `column ${i + 1}: empty tag name in header`);
    if (seen.has(names[i])) throw new CsvFileError(file, line, `column ${i + 1}: tag "${names[i]}" appears twice in header`);
    seen.add(names[i]);
  }
  if (names.length < 2) throw new CsvFileError(file, line, 'wide format needs at least one tag column after time');
  return { format: 'wide', width: names.length, names, time: 0, tag: -1, value: -1, status: -1 };
}

type KindFor = (tag: string, raw: string) => TagKind | undefined;

function readLong(record: string[], line: number, l: Layout, batch: CsvBatch, kindFor: KindFor, opts: CsvReadOptions): void {
  const reject = (field: string, expected: string, got: string): void => {
    batch.rejections.push({ file: opts.file, line, field, expected, got });
  };
  const t = parseTime(record[l.time], opts);
  if (typeof t === 'string') return reject(l.names[l.time], t, record[l.time]);
  const tag = record[l.tag].trim();
  if (tag === '') return reject(l.names[l.tag], 'a tag name', record[l.tag]);
  let status = 0;
  if (l.status >= 0) {
    const s = parseStatus(record[l.status]);
    if (s === undefined) return reject(l.names[l.status], STATUS_EXPECTED, record[l.status]);
    status = s;
  }
  const raw = record[l.value];
  const value = parseValue(raw, kindFor(tag, raw), status);
  if (typeof value === 'object') return reject(l.names[l.value], value.expected, raw);
  batch.rows.push({ line, tag, sample: { t, value, status } });
}

function readWide(record: string[], line: number, l: Layout, batch: CsvBatch, kindFor: KindFor, opts: CsvReadOptions): void {
  const t = parseTime(record[0], opts);
  if (typeof t === 'string') {
    batch.rejections.push({ file: opts.file, line, field: l.names[0], expected: t, got: record[0] });
    return;
  }
  for (let i = 1; i < record.length; i++) {
    const raw = record[i];
    if (raw.trim() === '') continue; // no sample for this tag at this time
    const tag = l.names[i];
    const value = parseValue(raw, kindFor(tag, raw), 0);
    if (typeof value === 'object') batch.rejections.push({ file: opts.file, line, field: tag, expected: value.expected, got: raw });
    else batch.rows.push({ line, tag, sample: { t, value, status: 0 } });
  }
}

/**
 * A value for the tag's kind. An empty value is accepted only with a Bad status
 * (a value that never was): it is stored as 0 / false / "" and never shown as good.
 */
function parseValue(raw: string, kind: TagKind | undefined, status: number): Value | { expected: string } {
  const text = raw.trim();
  if (text === '' && kind !== 'text') {
    if (isBad(status)) return kind === 'discrete' ? false : 0;
    return { expected: kind === 'discrete' ? 'true or false' : 'a number (empty only with a Bad status)' };
  }
  switch (kind) {
    case 'analog':
      return NUMBER.test(text) ? Number(text) : { expected: 'a number (decimal point, no thousands separator)' };
    case 'discrete': {
      const l = text.toLowerCase();
      if (l === 'true' || l === '1') return true;
      if (l === 'false' || l === '0') return false;
      return { expected: 'true or false (or 1/0)' };
    }
    case 'text':
      return raw;
    default:
      return { expected: 'a number or true/false (unknown tag: define it as text first to import text)' };
  }
}
