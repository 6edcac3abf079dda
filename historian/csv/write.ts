/**
 * Streaming CSV export (RFC 4180) of raw or processed reads:
 * time (ISO 8601 with offset), tag, value, unit, status (name), status_code (hex), flags[, kind].
 * The file reads back through readCsv (long format); with the kind column (`kind: true`, what the
 * historian CLI's export writes) each tag comes back with its kind, not one guessed from its values.
 *
 * Lines are built here rather than by csv-stringify: an export is millions of
 * rows, and a per-record stringifier with an async step per row ran at a tenth
 * of the speed of building the text directly. The quoting is RFC 4180's
 * (write.test.ts checks it against csv-stringify's on random text).
 */
import type { Writable } from 'node:stream';
import { Flag, type HistValue, type TagKind } from '../types.js';
import { isBad } from '../status.js';
import { formatTime } from './time.js';
import { statusHex, statusName } from './status-text.js';
import { numberText } from './number-text.js';

export interface ExportRow {
  tag: string;
  unit: string;
  value: HistValue;
  /** The kind of the tag's values: required when the kind column is written (CsvWriteOptions.kind). */
  kind?: TagKind;
}

/** Minutes east of UTC: one offset for every time, or the zone's offset at each instant. */
export type TimeOffset = number | ((t: number) => number);

export interface CsvWriteOptions {
  /** Offset of the written times in minutes east of UTC (0: Z), or a zone's offset per instant. */
  offsetMinutes?: TimeOffset;
  /** End the destination when done (false for stdout). Default true. */
  end?: boolean;
  /** Applied to every text field (tag, unit, text values) before quoting, e.g. a formula-injection guard. */
  guard?: (text: string) => string;
  /**
   * Write the `kind` column (analog, discrete or text, last; EXPORT_COLUMNS_WITH_KIND): an import
   * then creates each tag with its kind and reads its values so (a text tag of "1", "2" stays text).
   * Default false: the columns of EXPORT_COLUMNS.
   */
  kind?: boolean;
}

export const EXPORT_COLUMNS = ['time', 'tag', 'value', 'unit', 'status', 'status_code', 'flags'] as const;
/** The historian CLI's export: EXPORT_COLUMNS and the tag's kind last (every other column keeps its place, for readers by position). */
export const EXPORT_COLUMNS_WITH_KIND = ['time', 'tag', 'value', 'unit', 'status', 'status_code', 'flags', 'kind'] as const;
export const CRLF = '\r\n';

const FLAG_NAMES = Object.entries(Flag) as [string, number][];

/** Flag names joined by '|', empty when none. */
export function flagNames(flags: number): string {
  if (flags === 0) return '';
  return FLAG_NAMES.filter(([, bit]) => (flags & bit) !== 0).map(([name]) => name).join('|');
}

/** An RFC 4180 field: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(text: string): string {
  // Spaces at either end quoted too: a reader (Vigil's import among them) trims an unquoted cell.
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A text value's field (guarded already): a Good or Uncertain empty text is written "" (quoted), since an
 * empty cell is no value (Bad, or no data) and is read back as such; the import reads "" as the empty text.
 */
export function textValueField(guarded: string): string {
  return guarded === '' ? '""' : csvField(guarded);
}

/**
 * A sample without a usable value (a Bad status, or NaN) exports an empty value cell beside its
 * status, whatever the tag's kind: the placeholder a bad sample carries (NaN, false, "") is no
 * value and must not read as one.
 */
export function valueCell(v: HistValue): string {
  if (isBad(v.status) || (typeof v.value === 'number' && Number.isNaN(v.value))) return '';
  return typeof v.value === 'number' ? numberText(v.value) : String(v.value);
}

export function exportRecord(row: ExportRow, offsetMinutes = 0, withKind = false): string[] {
  const v = row.value;
  return [
    formatTime(v.t, offsetMinutes),
    row.tag,
    valueCell(v),
    row.unit,
    statusName(v.status),
    statusHex(v.status),
    flagNames(v.flags),
    ...(withKind ? [kindOfRow(row)] : []),
  ];
}

function kindOfRow(row: ExportRow): TagKind {
  if (row.kind === undefined) throw new Error(`CSV export with a kind column: no kind given for tag ${row.tag}`);
  return row.kind;
}

const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/**
 * ISO 8601 times with milliseconds and offset, as formatTime writes them, made
 * quickly: the text up to the minute is built once per minute (zone offsets
 * change on whole minutes), the seconds and milliseconds per call.
 */
export class TimeText {
  private minute = NaN;
  private head = '';
  private tail = '';

  constructor(private readonly offset: TimeOffset = 0) {}

  format(t: number): string {
    // Outside years 0000-9999 ISO 8601 needs extended years: the slow path writes them.
    if (!Number.isInteger(t) || t < -62_135_596_800_000 || t >= 253_402_300_740_000) return formatTime(t, this.offsetAt(t));
    const minute = Math.floor(t / 60_000);
    if (minute !== this.minute) this.enter(minute);
    const ms = t - minute * 60_000;
    const s = (ms / 1000) | 0, f = ms - s * 1000;
    return `${this.head}${two(s)}.${f < 10 ? '00' : f < 100 ? '0' : ''}${f}${this.tail}`;
  }

  private offsetAt(t: number): number {
    return typeof this.offset === 'number' ? this.offset : this.offset(t);
  }

  private enter(minute: number): void {
    this.minute = minute;
    const start = minute * 60_000;
    const text = formatTime(start, this.offsetAt(start)); // YYYY-MM-DDThh:mm:00.000<offset>
    this.head = text.slice(0, 17);
    this.tail = text.slice(23);
  }
}

/** Lines of the long export (CRLF ended), with the per-tag and per-status text made once. */
export class ExportLines {
  private readonly time: TimeText;
  private readonly text = new Map<string, string>();
  private readonly status = new Map<number, string>();
  private readonly guard: (text: string) => string;
  private readonly withKind: boolean;
  /** The header line of these lines' columns. */
  readonly header: string;

  constructor(opts: Pick<CsvWriteOptions, 'offsetMinutes' | 'guard' | 'kind'> = {}) {
    this.time = new TimeText(opts.offsetMinutes ?? 0);
    this.guard = opts.guard ?? ((s) => s);
    this.withKind = opts.kind ?? false;
    this.header = this.withKind ? ExportLines.headerWithKind : ExportLines.header;
  }

  static readonly header = EXPORT_COLUMNS.join(',') + CRLF;
  static readonly headerWithKind = EXPORT_COLUMNS_WITH_KIND.join(',') + CRLF;

  /** A text field, guarded and quoted (cached: tags and units repeat on every row). */
  field(text: string): string {
    let f = this.text.get(text);
    if (f === undefined) {
      f = csvField(this.guard(text));
      if (this.text.size > 10_000) this.text.clear();
      this.text.set(text, f);
    }
    return f;
  }

  line(row: ExportRow): string {
    return this.lineFor(row.tag, row.unit, row.value, this.withKind ? kindOfRow(row) : undefined);
  }

  /** The same without an ExportRow: what a reader of millions of rows calls (`kind`: with the kind column only). */
  lineFor(tag: string, unit: string, v: HistValue, kind?: TagKind): string {
    let st = this.status.get(v.status * 256 + v.flags);
    if (st === undefined) {
      st = `${statusName(v.status)},${statusHex(v.status)},${flagNames(v.flags)}`;
      this.status.set(v.status * 256 + v.flags, st);
    }
    // No usable value: an empty cell, as valueCell writes it. A usable empty text is "" (textValueField).
    const value = isBad(v.status) || (typeof v.value === 'number' && Number.isNaN(v.value)) ? ''
      : typeof v.value === 'string' ? textValueField(this.guard(v.value)) : typeof v.value === 'number' ? numberText(v.value) : String(v.value);
    const kindCell = this.withKind ? `,${kind ?? kindOfRow({ tag, unit, value: v })}` : '';
    return `${this.time.format(v.t)},${this.field(tag)},${value},${this.field(unit)},${st}${kindCell}${CRLF}`;
  }
}

/** Streams rows to out in chunks, respecting back-pressure; resolves with the number of rows written. */
export async function writeCsv(
  rows: Iterable<ExportRow> | AsyncIterable<ExportRow>,
  out: Writable,
  opts: CsvWriteOptions = {},
): Promise<number> {
  const lines = new ExportLines(opts);
  let count = 0;
  let chunk = lines.header;
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  const flush = async () => {
    const ok = out.write(chunk);
    chunk = '';
    if (!ok) await Promise.race([new Promise((r) => out.once('drain', r)), failed]);
  };
  // A sync source is read without an await per row (a microtask each): only full chunks wait.
  if (Symbol.iterator in rows) {
    for (const row of rows) {
      chunk += lines.line(row);
      count++;
      if (chunk.length >= 1 << 16) await flush();
    }
  } else {
    for await (const row of rows) {
      chunk += lines.line(row);
      count++;
      if (chunk.length >= 1 << 16) await flush();
    }
  }
  await flush();
  if (opts.end ?? true) {
    await Promise.race([new Promise<void>((r) => out.end(r)), failed]);
  }
  return count;
}
