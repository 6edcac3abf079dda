/**
 * The audit trail as CSV (RFC 4180: CRLF line ends, quotes where needed,
 * via csv-stringify). Times are ISO 8601 with the station's UTC offset at
 * that instant. A cell that a spreadsheet would read as a formula (starting
 * with = + - @, a tab or a carriage return) is written with a leading
 * apostrophe, so opening the export cannot run what someone typed into a
 * comment or a user name (OWASP "CSV injection").
 */
import { createWriteStream, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { formatTime } from '../../../../historian/csv/time.js';
import type { ChainedEntry } from './trail.js';

export const AUDIT_CSV_COLUMNS = ['seq', 'time', 'user', 'role', 'action', 'target', 'old_value', 'new_value', 'comment', 'result', 'detail', 'source', 'hash'] as const;

// bom: a UTF-8 byte-order mark first, or Excel (the supervisors' tool) reads the file as ANSI and
// garbles Cyrillic and Chinese text (°C as Â°C). RFC 4180 readers and the historian's tokenizer skip it.
const csvOptions = { record_delimiter: 'windows', header: true, columns: [...AUDIT_CSV_COLUMNS], bom: true } as const;

/** Prefixes a cell a spreadsheet would take for a formula. */
export function guardCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function localTime(t: number): string {
  return formatTime(t, -new Date(t).getTimezoneOffset());
}

export function auditRecord(e: ChainedEntry): string[] {
  const cells = [e.user, e.role, e.action, e.target, e.oldValue, e.newValue, e.comment, e.result, e.detail, e.source].map((v) => guardCell(v ?? ''));
  return [String(e.seq), localTime(e.at), ...cells, e.hash];
}

/** The whole export as one string (the console's download). */
export function auditCsv(entries: Iterable<ChainedEntry>): { csv: string; rows: number } {
  const records: string[][] = [];
  for (const e of entries) records.push(auditRecord(e));
  return { csv: stringifySync(records, csvOptions), rows: records.length };
}

/** A new file only ('wx', as `historian export`): an --out mistyped as audit.sqlite once emptied the trail. */
function createNew(file: string): number {
  try {
    return openSync(file, 'wx');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new Error(`${file}: already exists (not overwritten)`);
    if (code === 'ENOENT') throw new Error(`${file}: cannot be created: no folder ${dirname(file)}`);
    if (code === 'ENOTDIR') throw new Error(`${file}: cannot be created: a file is on its path where a folder should be`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new Error(`${file}: cannot be created here (${code})`);
    throw err;
  }
}

/** Streams the export to a new file (the CLI: trails too large to hold). Resolves with the number of rows. */
export async function writeAuditCsv(entries: Iterable<ChainedEntry>, file: string): Promise<number> {
  const fd = createNew(file);
  let rows = 0;
  function* records(): Generator<string[]> {
    for (const e of entries) {
      rows++;
      yield auditRecord(e);
    }
  }
  await pipeline(Readable.from(records()), stringify(csvOptions), createWriteStream(file, { fd }));
  return rows;
}
