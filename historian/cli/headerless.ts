/**
 * `import --start T --period P`: a headerless, timeless numeric table (the Tennessee Eastman set's
 * d00.dat .. d21.dat: 52 numbers a line separated by spaces, one line per 3-minute sample; d00.dat
 * transposed, 52 lines of 500 numbers, one line per variable). The table is read and checked whole
 * here (every line as many numbers, every field a number), each sample given its time
 * start + i·period, and written as a wide CSV (epoch ms, the numbers copied as written) that the CSV
 * import reads as any other file: the values archived are those the file's digits say, bit for bit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { FUTURE_TOLERANCE_MS } from '../csv/records.js';
import { formatTime } from '../csv/time.js';
import { pairQualityColumns } from '../csv/quality.js';
import { UsageError } from './args.js';

export type EachLine = 'sample' | 'tag';

export interface HeaderlessOptions {
  start: number;
  periodMs: number;
  /** Tag names, one per column of the table (per line with eachLine 'tag'); undefined: X1..Xn. */
  names?: string[];
  /** What one line of the file is; undefined: said by the names' count, else by the table's shape (refused when that is ambiguous). */
  eachLine?: EachLine;
  /** undefined: runs of spaces and tabs. */
  delimiter?: string;
}

/** A table read: its fields as written, line by line, and the line numbers they came from. */
interface Table {
  lines: string[][];
  lineNumbers: number[];
}

/** A number as the CSV import reads one (no thousands separators, no decimal comma here), or a no-sample word. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NO_SAMPLE = new Set(['', 'nan', 'null', 'na', 'n/a', '#n/a', 'none']);

export class TableError extends Error {}

function delimiterWord(d: string | undefined): string {
  return d === undefined ? 'spaces' : d === ',' ? 'commas' : d === ';' ? 'semicolons' : d === '\t' ? 'tabs' : 'pipes';
}

/**
 * Reads the table: every line as many fields, every field a number (NaN or empty: no sample; empty only between delimiters).
 * Fields are separated by `delimiter`, else by what line 1 holds: a semicolon, comma or pipe, else
 * runs of spaces and tabs.
 */
export function readTable(file: string, text: string, delimiter: string | undefined): Table & { delimiter: string | undefined } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const raw = text.split(/\r\n|\n|\r/);
  while (raw.length > 0 && raw[raw.length - 1]!.trim() === '') raw.pop(); // the last line end, blank lines at the end
  if (raw.length === 0) throw new TableError(`${file}: no lines; expected a table of numbers`);
  // Not said: the first of these in line 1 (a decimal comma is refused below, so a comma there is a separator), else
  // runs of spaces and tabs (--delimiter tab: a tab each, so that two make an empty field).
  delimiter ??= [';', ',', '|'].find((d) => raw[0]!.includes(d));
  const lines: string[][] = [];
  const lineNumbers: number[] = [];
  let width = -1;
  for (let i = 0; i < raw.length; i++) {
    const n = i + 1;
    const trimmed = raw[i]!.trim();
    if (trimmed === '') throw new TableError(`${file}:${n}: empty line; expected ${width} numbers separated by ${delimiterWord(delimiter)} as line 1 holds`);
    const fields = delimiter === undefined ? trimmed.split(/[ \t]+/) : raw[i]!.split(delimiter).map((f) => f.trim());
    for (let k = 0; k < fields.length; k++) {
      const f = fields[k]!;
      const ok = NUMBER.test(f) ? Number.isFinite(Number(f)) : NO_SAMPLE.has(f.toLowerCase()) && (f !== '' || delimiter !== undefined);
      if (!ok) {
        const header = n === 1 && /^[A-Za-z_]/.test(f) ? ' (a file with a header row is imported without --start and --period)' : '';
        throw new TableError(`${file}:${n}: field ${k + 1}: expected a number${header}; got "${f}"`);
      }
    }
    if (width === -1) width = fields.length;
    else if (fields.length !== width) {
      throw new TableError(`${file}:${n}: ${fields.length} fields; expected ${width} numbers separated by ${delimiterWord(delimiter)} as line 1 holds`);
    }
    lines.push(fields);
    lineNumbers.push(n);
  }
  return { lines, lineNumbers, delimiter };
}

/** What one line is: said, or told by the names' count, or by the shape when it cannot be anything else; ambiguous is refused. */
export function eachLineOf(file: string, table: Table, opts: HeaderlessOptions): { eachLine: EachLine; why: string } {
  const height = table.lines.length;
  const width = table.lines[0]!.length;
  const shape = `${height} ${height === 1 ? 'line' : 'lines'} of ${width} ${width === 1 ? 'number' : 'numbers'}`;
  const names = opts.names?.length;
  if (opts.eachLine !== undefined) {
    const tags = opts.eachLine === 'sample' ? width : height;
    if (names !== undefined && names !== tags) {
      throw new TableError(`${file}: ${shape}: with --each-line ${opts.eachLine} that is ${tags} tags; --names gives ${names}`);
    }
    return { eachLine: opts.eachLine, why: `--each-line ${opts.eachLine}` };
  }
  if (names !== undefined) {
    if (names === width && names === height) {
      throw new TableError(`${file}: ${shape}, ${names} names: a line may be a sample or a tag's series; say which: --each-line sample or --each-line tag`);
    }
    if (names === width) return { eachLine: 'sample', why: `${names} names, ${width} numbers a line` };
    if (names === height) return { eachLine: 'tag', why: `${names} names, ${height} lines: one tag's series a line` };
    throw new TableError(`${file}: ${shape}: --names gives ${names} names; expected ${width} (one per number in a line) or ${height} (one per line, with --each-line tag)`);
  }
  if (height > width) return { eachLine: 'sample', why: `more lines than numbers a line` };
  throw new TableError(`${file}: ${shape}: no more lines than numbers a line, so a line may be a sample or one tag's series ` +
    `(Tennessee Eastman's d00.dat holds 52 lines of 500); say which: --each-line sample or --each-line tag`);
}

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) || s.trim() !== s ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface Converted {
  /** Tag names as the file's columns (before --tag-prefix). */
  names: string[];
  samples: number;
  /** The line said on stderr: how the table was read. */
  note: string;
  /** The fields' separator, ' ' for runs of spaces and tabs. */
  delimiter: string;
}

/**
 * Reads `file`, checks it and writes it to `out` as a wide CSV: `time` (epoch ms), then a column per tag.
 * A table that cannot be read throws TableError naming file, line and field; nothing is written then.
 */
export function convertTable(file: string, out: string, opts: HeaderlessOptions, now = Date.now()): Converted {
  const table = readTable(file, readFileSync(file, 'utf8'), opts.delimiter);
  const { eachLine, why } = eachLineOf(file, table, opts);
  const height = table.lines.length;
  const width = table.lines[0]!.length;
  const tags = eachLine === 'sample' ? width : height;
  const samples = eachLine === 'sample' ? height : width;
  const names = opts.names ?? Array.from({ length: tags }, (_, i) => `X${i + 1}`);
  const last = opts.start + (samples - 1) * opts.periodMs;
  if (last > now + FUTURE_TOLERANCE_MS) {
    const where = eachLine === 'sample' ? `line ${table.lineNumbers[samples - 1]}` : `field ${samples} of each line`;
    throw new TableError(`${file}: ${where}, sample ${samples}, would be at ${formatTime(last)}: after now; expected an earlier --start ` +
      `(the ${samples} samples every ${opts.periodMs} ms span ${formatTime(opts.start)} .. ${formatTime(last)})`);
  }
  const rows: string[] = [['time', ...names].map(csvCell).join(',')];
  for (let s = 0; s < samples; s++) {
    const t = opts.start + s * opts.periodMs;
    const values = eachLine === 'sample' ? table.lines[s]! : table.lines.map((l) => l[s]!);
    rows.push(`${t},${values.join(',')}`);
  }
  writeFileSync(out, rows.join('\n') + '\n');
  const note = `${file}: no header, ${height} lines of ${width} numbers separated by ${delimiterWord(table.delimiter)}: ${eachLine === 'sample' ? 'one sample a line' : 'one tag\'s series a line'} (${why}); ` +
    `${samples} samples of ${tags} tags, ${formatTime(opts.start)} .. ${formatTime(last)} every ${opts.periodMs} ms`;
  return { names, samples, note, delimiter: table.delimiter ?? ' ' };
}

/** --names a,b,c or --names-file (one name a line): the names, checked (none empty, none twice). */
export function namesArg(list: string | undefined, file: string | undefined): string[] | undefined {
  if (list !== undefined && file !== undefined) throw new UsageError('--names and --names-file: give one');
  if (list === undefined && file === undefined) return undefined;
  let names: string[];
  let where: (i: number) => string;
  if (list !== undefined) {
    names = list.split(',').map((n) => n.trim());
    where = (i) => `--names: name ${i + 1}`;
  } else {
    let text: string;
    try {
      text = readFileSync(file!, 'utf8');
    } catch (e) {
      throw new UsageError(`--names-file: ${file}: cannot be read: ${(e as Error).message}`);
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    names = text.split(/\r\n|\n|\r/).map((n) => n.trim());
    while (names.length > 0 && names[names.length - 1] === '') names.pop();
    where = (i) => `--names-file: ${file}:${i + 1}`;
  }
  if (names.length === 0) throw new UsageError(`${list !== undefined ? '--names' : `--names-file: ${file}`}: expected tag names; got none`);
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    if (n === '') throw new UsageError(`${where(i)}: expected a tag name; got an empty one`);
    const before = seen.get(n);
    if (before !== undefined) throw new UsageError(`${where(i)}: "${n}" again: expected each name once (first as name ${before + 1})`);
    seen.set(n, i);
    // The wide reader leaves "Unnamed: 3" (pandas' name for a column without one) unread.
    if (/^Unnamed: \d+$/.test(n)) throw new UsageError(`${where(i)}: "${n}" is read as a column without a name, left unread; expected a tag name`);
  });
  // Every field of a table is a value: a name the wide reader would pair as another's quality column
  // ("X1 Quality" beside "X1") would have its numbers read as OPC DA qualities of X1, not archived.
  const { isQuality } = pairQualityColumns(names, () => true);
  const q = isQuality.indexOf(true);
  if (q >= 0) {
    throw new UsageError(`${where(q)}: "${names[q]}" beside another name would be read as that tag's quality column, its numbers as OPC DA qualities; ` +
      'expected a tag name without a quality suffix (Quality, _Q)');
  }
  return names;
}
