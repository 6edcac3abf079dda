/**
 * Streaming CSV export (RFC 4180 via csv-stringify) of raw or processed reads:
 * time (ISO 8601 with offset), tag, value, unit, status (name), status_code (hex), flags.
 * The file reads back through readCsv (long format).
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { Flag, type HistValue } from '../types.js';
import { isBad } from '../status.js';
import { formatTime } from './time.js';
import { statusHex, statusName } from './status-text.js';

export interface ExportRow {
  tag: string;
  unit: string;
  value: HistValue;
}

export interface CsvWriteOptions {
  /** Offset of the written times in minutes east of UTC (0: Z). */
  offsetMinutes?: number;
  /** End the destination when done (false for stdout). Default true. */
  end?: boolean;
}

export const EXPORT_COLUMNS = ['time', 'tag', 'value', 'unit', 'status', 'status_code', 'flags'] as const;

const FLAG_NAMES = Object.entries(Flag) as [string, number][];

/** Flag names joined by '|', empty when none. */
export function flagNames(flags: number): string {
  if (flags === 0) return '';
  return FLAG_NAMES.filter(([, bit]) => (flags & bit) !== 0).map(([name]) => name).join('|');
}

/**
 * A sample without a usable value (a Bad status, or NaN) exports an empty value cell beside its
 * status, whatever the tag's kind: the placeholder a bad sample carries (NaN, false, "") is no
 * value and must not read as one.
 */
export function valueCell(v: HistValue): string {
  if (isBad(v.status) || (typeof v.value === 'number' && Number.isNaN(v.value))) return '';
  return String(v.value);
}

export function exportRecord(row: ExportRow, offsetMinutes = 0): string[] {
  const v = row.value;
  return [
    formatTime(v.t, offsetMinutes),
    row.tag,
    valueCell(v),
    row.unit,
    statusName(v.status),
    statusHex(v.status),
    flagNames(v.flags),
  ];
}

/** Streams rows to out, respecting back-pressure; resolves with the number of rows written. */
export async function writeCsv(
  rows: Iterable<ExportRow> | AsyncIterable<ExportRow>,
  out: Writable,
  opts: CsvWriteOptions = {},
): Promise<number> {
  let count = 0;
  const offset = opts.offsetMinutes ?? 0;
  async function* records(): AsyncGenerator<string[]> {
    for await (const row of rows) {
      count++;
      yield exportRecord(row, offset);
    }
  }
  const csv = stringify({ header: true, columns: [...EXPORT_COLUMNS], record_delimiter: 'windows' });
  await pipeline(Readable.from(records()), csv, out, { end: opts.end ?? true });
  return count;
}
