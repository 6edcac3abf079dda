/**
 * `import --start T --period P`: a headerless, timeless numeric table (the Tennessee Eastman set's
 * d00.dat .. d21.dat: 52 numbers a line separated by spaces, one line per 3-minute sample; d00.dat
 * transposed, 52 lines of 500 numbers, one line per variable), or with `--time-column elapsed-s`
 * a table whose first number is the sample's time in seconds since --start. The file is read as a
 * stream, twice: first checked whole (every line as many numbers, every field a number), then
 * written as a wide CSV (epoch ms, the numbers copied as written) that the CSV import reads as any
 * other file: nothing is archived from a table that does not read, and the values archived are
 * those the file's digits say, bit for bit. Memory holds a chunk of the file, not the file: a
 * 300 MB table must not take gigabytes (a string of it alone is refused by V8 past 512 MB).
 */
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { join } from 'node:path';
import { FUTURE_TOLERANCE_MS } from '../csv/records.js';
import { formatTime } from '../csv/time.js';
import { pairQualityColumns } from '../csv/quality.js';
import { UsageError } from './args.js';

export type EachLine = 'sample' | 'tag';

/** `--time-column elapsed-<unit>`: the first number of a line is its time since --start in that unit. */
export const ELAPSED_UNITS_MS: Record<string, number> = { 'elapsed-ms': 1, 'elapsed-s': 1000, 'elapsed-min': 60_000, 'elapsed-h': 3_600_000 };

export interface HeaderlessOptions {
  start: number;
  /** Sample i at start + i·periodMs; undefined with elapsed. */
  periodMs?: number;
  /** The first column is each line's time since start: 'elapsed-s' and the like (ELAPSED_UNITS_MS). */
  elapsed?: string;
  /** Tag names, one per column of the table (per line with eachLine 'tag'); undefined: X1..Xn. */
  names?: string[];
  /** What one line of the file is; undefined: said by the names' count, else by the table's shape (refused when that is ambiguous). */
  eachLine?: EachLine;
  /** undefined: runs of spaces and tabs. */
  delimiter?: string;
}

/** A table's shape: lines (the last not blank), numbers a line. */
export interface Shape {
  height: number;
  width: number;
}

/** A number as the CSV import reads one (no thousands separators, no decimal comma here), or a no-sample word. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NO_SAMPLE = new Set(['', 'nan', 'null', 'na', 'n/a', '#n/a', 'none']);

export class TableError extends Error {}

/** A signal stopped the reading of a table (before any of it was archived): after `line`, the last line read whole. */
export class TableInterrupted extends Error {
  constructor(readonly line: number, readonly pass: 'check' | 'convert') {
    super(`interrupted at line ${line}`);
  }
}

function delimiterWord(d: string | undefined): string {
  return d === undefined ? 'spaces' : d === ',' ? 'commas' : d === ';' ? 'semicolons' : d === '\t' ? 'tabs' : 'pipes';
}

/**
 * Bytes read at a time: what memory holds of a table, besides a line longer than this. Small, as a
 * signal is heard between two reads only, and tsx (the CLI's runner) kills a child that has not
 * heard Ctrl-C within some 60 ms, before it can close the archive.
 */
export const CHUNK_BYTES = 1 << 16;
/** Lines handed on at a time by tableLines (a batch never holds more). */
export const BATCH_LINES = 4096;

/**
 * The lines of a file, a batch of at most BATCH_LINES at a time, each without its line end (CRLF, LF
 * or CR, also split between two reads), the byte-order mark dropped; a last line without a line end
 * too. `copyTo`: a file each chunk is written to as read (a pipe is read once: the second pass reads
 * the copy). A signal stops it between reads (TableInterrupted after the last line handed on).
 */
export async function* tableLines(path: string, opts: { signal?: AbortSignal; chunkBytes?: number; copyTo?: number; pass?: 'check' | 'convert' } = {}):
  AsyncGenerator<{ lines: string[]; first: number }> {
  const fh = await open(path, 'r');
  const decoder = new StringDecoder('utf8');
  const buf = Buffer.alloc(opts.chunkBytes ?? CHUNK_BYTES);
  let carry = '';
  let started = false;
  let next = 1; // the number of the next line handed on
  const stopped = () => new TableInterrupted(next - 1, opts.pass ?? 'check');
  let abortWait: Promise<never> | undefined;
  if (opts.signal) {
    const signal = opts.signal;
    abortWait = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(stopped()), { once: true }));
    abortWait.catch(() => {}); // raced below; unobserved otherwise
  }
  let done = false;
  try {
    for (;;) {
      if (opts.signal?.aborted) throw stopped();
      const read = fh.read(buf, 0, buf.length, null);
      // A pipe may wait for data for ever: the signal does not wait with it.
      const { bytesRead } = abortWait ? await Promise.race([read, abortWait]) : await read;
      if (opts.signal?.aborted) throw stopped();
      let text: string;
      if (bytesRead === 0) text = carry + decoder.end();
      else {
        if (opts.copyTo !== undefined) writeSync(opts.copyTo, buf, 0, bytesRead);
        text = carry + decoder.write(buf.subarray(0, bytesRead));
      }
      if (!started && text.length > 0) {
        started = true;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      let lines: string[];
      if (bytesRead === 0) {
        // The end: a CR held back ends the last line; text left without a line end is a last line.
        lines = text === '' ? [] : [text.endsWith('\r') ? text.slice(0, -1) : text];
        carry = '';
      } else {
        const hold = text.endsWith('\r') ? 1 : 0; // a CR whose LF may be in the next read
        lines = text.slice(0, text.length - hold).split(/\r\n|\n|\r/);
        carry = lines.pop()! + (hold ? '\r' : '');
      }
      for (let i = 0; i < lines.length; i += BATCH_LINES) {
        const batch = lines.slice(i, i + BATCH_LINES);
        yield { lines: batch, first: next };
        next += batch.length;
      }
      if (bytesRead === 0) break;
    }
    done = true;
  } finally {
    // After an interrupted read on a pipe, closing waits for that read: not waited for.
    if (done) await fh.close();
    else fh.close().catch(() => {});
  }
}

/** Splits a line into its fields: by `delimiter` (each trimmed), else by runs of spaces and tabs. */
function fieldsOf(text: string, delimiter: string | undefined): string[] {
  return delimiter === undefined ? text.trim().split(/[ \t]+/) : text.split(delimiter).map((f) => f.trim());
}

/** The delimiter line 1 says: the first of a semicolon, comma or pipe it holds (a decimal comma is refused, so a comma there separates), else undefined. */
function delimiterOf(line1: string): string | undefined {
  return [';', ',', '|'].find((d) => line1.includes(d));
}

/**
 * Checks a table line by line: every line as many fields, every field a number (NaN or empty: no
 * sample; empty only between delimiters); blank lines only at the end. With elapsed, field 1 of every
 * line is a number of that unit, each after the one before at the archive's millisecond.
 */
export class TableCheck {
  width = -1;
  /** The last line that is not blank. */
  height = 0;
  private blank: number | undefined;
  private lastTime: { t: number; line: number; text: string } | undefined;
  /** The last line's time (elapsed), else undefined. */
  lastTimeMs: number | undefined;

  constructor(readonly file: string, public delimiter: string | undefined, private readonly elapsed?: { unit: string; ms: number; start: number }) {}

  line(text: string, n: number): void {
    const { file } = this;
    if (n === 1) this.delimiter ??= delimiterOf(text);
    const delimiter = this.delimiter;
    if (text.trim() === '') {
      this.blank ??= n; // an error only when a line of numbers follows: blank lines at the end are the file's end
      return;
    }
    if (this.blank !== undefined) {
      throw new TableError(`${file}:${this.blank}: empty line; expected ${this.width} numbers separated by ${delimiterWord(delimiter)} as line 1 holds`);
    }
    const fields = fieldsOf(text, delimiter);
    for (let k = 0; k < fields.length; k++) {
      const f = fields[k]!;
      const ok = NUMBER.test(f) ? Number.isFinite(Number(f)) : NO_SAMPLE.has(f.toLowerCase()) && (f !== '' || delimiter !== undefined);
      if (!ok) {
        const header = n === 1 && /^[A-Za-z_]/.test(f) ? ' (a file with a header row is imported without --start and --period)' : '';
        throw new TableError(`${file}:${n}: field ${k + 1}: expected a number${header}; got "${f}"`);
      }
    }
    if (this.width === -1) {
      this.width = fields.length;
      if (this.elapsed && this.width < 2) {
        throw new TableError(`${file}:${n}: 1 field; expected the time (--time-column ${this.elapsed.unit}) and at least one number after it`);
      }
    } else if (fields.length !== this.width) {
      throw new TableError(`${file}:${n}: ${fields.length} fields; expected ${this.width} numbers separated by ${delimiterWord(delimiter)} as line 1 holds`);
    }
    if (this.elapsed) this.time(fields[0]!, n);
    this.height = n;
  }

  private time(f: string, n: number): void {
    const { unit } = this.elapsed!;
    if (!NUMBER.test(f)) throw new TableError(`${this.file}:${n}: field 1: expected the time in ${unit.slice(8)} since --start (--time-column ${unit}); got "${f}"`);
    const t = elapsedTime(f, this.elapsed!);
    const last = this.lastTime;
    if (last && t <= last.t) {
      const same = t === last.t && Number(f) !== Number(last.text) ? ' (the same millisecond)' : '';
      throw new TableError(`${this.file}:${n}: field 1: ${f} is not after line ${last.line}'s ${last.text}${same}; ` +
        `expected times in increasing order (--time-column ${unit})`);
    }
    this.lastTime = { t, line: n, text: f };
    this.lastTimeMs = t;
  }
}

function elapsedTime(f: string, e: { ms: number; start: number }): number {
  return e.start + Math.round(Number(f) * e.ms);
}

/**
 * Reads a table held as text (tests; `convertTable` streams the file through the same check).
 * Fields are separated by `delimiter`, else by what line 1 holds: a semicolon, comma or pipe, else
 * runs of spaces and tabs.
 */
export function readTable(file: string, text: string, delimiter: string | undefined): { lines: string[][]; delimiter: string | undefined } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const check = new TableCheck(file, delimiter);
  const raw = text.split(/\r\n|\n|\r/);
  if (raw[raw.length - 1] === '') raw.pop(); // the last line end
  raw.forEach((l, i) => check.line(l, i + 1));
  if (check.height === 0) throw new TableError(`${file}: no lines; expected a table of numbers`);
  return { lines: raw.slice(0, check.height).map((l) => fieldsOf(l, check.delimiter)), delimiter: check.delimiter };
}

/** What one line is: said, or told by the names' count, or by the shape when it cannot be anything else; ambiguous is refused. */
export function eachLineOf(file: string, { height, width }: Shape, opts: HeaderlessOptions): { eachLine: EachLine; why: string } {
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
  /** What one line of the table is: a line of the CSV written is then the table's line + 1 (its header). */
  eachLine: EachLine;
}

/** Fields of a transposed table (a tag a line) held at a time: samples are written a window at a time, a pass over the file each. */
export const WINDOW_FIELDS = 1 << 20;

/** Text written out a piece at a time. */
class Out {
  private text = '';
  constructor(private readonly fd: number) {}
  add(s: string): void {
    this.text += s;
    if (this.text.length >= CHUNK_BYTES) this.flush();
  }
  flush(): void {
    if (this.text) writeSync(this.fd, this.text);
    this.text = '';
  }
}

/**
 * Reads `file`, checks it whole, then writes it to `out` as a wide CSV: `time` (epoch ms), then a
 * column per tag. A table that cannot be read throws TableError naming file, line and field, a
 * signal TableInterrupted: nothing is archived from it then. `work`: a folder for a copy of a file
 * that can be read once only (a pipe).
 */
export async function convertTable(file: string, out: string, opts: HeaderlessOptions, io: { signal?: AbortSignal; work: string; chunkBytes?: number; windowFields?: number },
  now = Date.now()): Promise<Converted> {
  const unitMs = opts.elapsed !== undefined ? ELAPSED_UNITS_MS[opts.elapsed] : undefined;
  const elapsed = unitMs !== undefined ? { unit: opts.elapsed!, ms: unitMs, start: opts.start } : undefined;
  const check = new TableCheck(file, opts.delimiter, elapsed);
  let source = file;
  let copy: number | undefined;
  if (!statSync(file).isFile()) {
    source = join(io.work, 'source.dat');
    copy = openSync(source, 'w');
  }
  try {
    for await (const { lines, first } of tableLines(file, { signal: io.signal, chunkBytes: io.chunkBytes, copyTo: copy, pass: 'check' })) {
      for (let i = 0; i < lines.length; i++) check.line(lines[i]!, first + i);
    }
  } finally {
    if (copy !== undefined) closeSync(copy);
  }
  if (check.height === 0) throw new TableError(`${file}: no lines; expected a table of numbers`);
  const shape: Shape = { height: check.height, width: check.width - (elapsed ? 1 : 0) };
  const { height, width } = shape;
  let eachLine: EachLine, why: string;
  if (elapsed) {
    if (opts.eachLine === 'tag') throw new TableError(`${file}: --each-line tag: not with --time-column ${elapsed.unit} (a line with its time is one sample)`);
    if (opts.names !== undefined && opts.names.length !== width) {
      throw new TableError(`${file}: ${height} lines of a time and ${width} numbers: --names gives ${opts.names.length} names; expected ${width}`);
    }
    eachLine = 'sample';
    why = `field 1 the time in ${elapsed.unit.slice(8)} since --start`;
  } else ({ eachLine, why } = eachLineOf(file, shape, opts));
  const tags = eachLine === 'sample' ? width : height;
  const samples = eachLine === 'sample' ? height : width;
  const names = opts.names ?? Array.from({ length: tags }, (_, i) => `X${i + 1}`);
  const periodMs = opts.periodMs ?? 0;
  const last = elapsed ? check.lastTimeMs! : opts.start + (samples - 1) * periodMs;
  if (last > now + FUTURE_TOLERANCE_MS) {
    const where = eachLine === 'sample' ? `line ${height}` : `field ${samples} of each line`;
    const span = elapsed ? `the ${samples} samples span` : `the ${samples} samples every ${periodMs} ms span`;
    throw new TableError(`${file}: ${where}, sample ${samples}, would be at ${formatTime(last)}: after now; expected an earlier --start ` +
      `(${span} ${formatTime(opts.start)} .. ${formatTime(last)})`);
  }
  const fd = openSync(out, 'w');
  try {
    const w = new Out(fd);
    w.add(`${['time', ...names].map(csvCell).join(',')}\n`);
    const read = () => tableLines(source, { signal: io.signal, chunkBytes: io.chunkBytes, pass: 'convert' });
    if (eachLine === 'sample') {
      for await (const { lines, first } of read()) {
        for (let i = 0; i < lines.length && first + i <= height; i++) {
          const fields = fieldsOf(lines[i]!, check.delimiter);
          const n = first + i;
          if (elapsed) w.add(`${elapsedTime(fields[0]!, elapsed)},${fields.slice(1).join(',')}\n`);
          else w.add(`${opts.start + (n - 1) * periodMs},${fields.join(',')}\n`);
        }
      }
    } else {
      // A tag a line: sample s is field s of every line; a window of samples at a time, a pass each.
      const size = Math.max(1, Math.floor((io.windowFields ?? WINDOW_FIELDS) / height));
      for (let s0 = 0; s0 < samples; s0 += size) {
        const window: string[][] = [];
        for await (const { lines, first } of read()) {
          for (let i = 0; i < lines.length && first + i <= height; i++) window.push(fieldsOf(lines[i]!, check.delimiter).slice(s0, s0 + size));
        }
        for (let s = s0; s < Math.min(samples, s0 + size); s++) w.add(`${opts.start + s * periodMs},${window.map((l) => l[s - s0]!).join(',')}\n`);
      }
    }
    w.flush();
  } finally {
    closeSync(fd);
  }
  const note = `${file}: no header, ${height} lines of ${elapsed ? `a time and ${width}` : width} numbers separated by ${delimiterWord(check.delimiter)}: ` +
    `${eachLine === 'sample' ? 'one sample a line' : 'one tag\'s series a line'} (${why}); ` +
    `${samples} samples of ${tags} tags, ${formatTime(opts.start)} .. ${formatTime(last)}${elapsed ? '' : ` every ${periodMs} ms`}`;
  return { names, samples, note, delimiter: check.delimiter ?? ' ', eachLine };
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
