/** `import` and `watch`: CSV files into the archive. */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Command } from '../cli.js';
import type { Historian } from '../index.js';
import type { TagKind } from '../types.js';
import { digestRejections, formatDigest } from '../csv/rejection-digest.js';
import { formatSummary, historianTarget, importCsvFile, interruptedAt, noLineEndWarning, someNames, stillWrittenNote, type ImportOptions, type ImportReport } from '../csv/import.js';
import { parseZone } from '../csv/zone.js';
import { encodingOf } from '../csv/transcode.js';
import { Inbox } from '../csv/watch.js';
import { compressionArg, durationArg, oneOf, UsageError } from './args.js';
import { withArchive } from './open.js';
import { counted } from '../csv/counted.js';
import { parseTime } from '../csv/time.js';
import { convertTable, ELAPSED_UNITS_MS, namesArg, TableError, TableInterrupted, type EachLine, type HeaderlessOptions } from './headerless.js';

type Values = Record<string, string | boolean | string[] | undefined>;

const csvOptions = {
  wide: { type: 'boolean' },
  long: { type: 'boolean' },
  compression: { type: 'string' },
  range: { type: 'string' },
  'new-tags': { type: 'string' },
  'strict-time': { type: 'boolean' },
  delimiter: { type: 'string' },
  encoding: { type: 'string' },
  tz: { type: 'string' },
  epoch: { type: 'string' },
  'tag-prefix': { type: 'string' },
  'time-column': { type: 'string' },
  'date-order': { type: 'string' },
  data: { type: 'string' },
} as const;

const CSV_HELP = `CSV files (RFC 4180, UTF-8 with or without byte-order mark, CRLF, LF or CR, header row required):
  encoding: UTF-8, or UTF-16 with a byte-order mark (Excel's "Unicode Text"); another named with
          --encoding (windows-1251 or koi8-r: Russian Windows' "CSV"; gb18030 or gbk, big5: Chinese;
          shift_jis, utf-16le, ...; the names TextDecoder takes); a line with bytes the encoding does
          not map is rejected
  delimiter: comma, semicolon, tab or pipe, detected from the header line (with names that hold
          two of them, "Zeit;Druck, bar", the one that splits the first row alike; --delimiter to force)
  long:  time,tag,value[,status]     other columns (unit, status_code, flags) are allowed,
                                     so an export reads back; detected from the header; a new
                                     tag takes the units its rows state (a change: a new version
                                     from the first row in the new unit), a known tag's rows must be
                                     in its unit at their time; flags Cyclic and Backfilled are
                                     archived with the value, PI's Questionable and Substituted
                                     (or mask 2, 4) mark its status
         [,kind]                     analog, discrete or text (an export writes it): a new tag
                                     is created with that kind (no guessing, ahead of --new-tags)
                                     and its values read so; a row whose kind disagrees with the
                                     archive's or the tag's first row's is a rejected line
  wide:  <time>,<tag1>,<tag2>,...    one tag per column (--tag-prefix P names them P.<column>);
                                     an empty, NaN, null, NA, N/A, #N/A or None cell is no sample
                                     (counted in the summary; in a long file, a rejected line
                                     unless its status is Bad); a column <tag> Quality (.Quality,
                                     _Q) beside <tag> gives its values' status (an OPC DA quality
                                     0-255, 192 Good, or a status as below), else all Good; a row of units
                                     under the header (time cell empty or Units, EU, Ед. изм.,
                                     单位) gives the units of the tags the import creates; a known
                                     tag's unit at each row's time must be the column's
  time column: named time, timestamp, datetime, date_time, Time Stamp, Date/Time, ts, t
          (any case); a date column and a time-of-day column beside it are joined (date+time,
          Datum+Uhrzeit, Date+Heure, Fecha+Hora, Дата+Время, 日期+时间, or by their contents); with
          no such name, the first column when it holds times; --time-column <name or number>
  time:   ISO 8601 with T or a space (2024-05-01T12:00:00.123+02:00, 2024-05-01 12:00:00),
          YYYY/MM/DD hh:mm:ss, DD.MM.YYYY hh:mm:ss, nn/nn/YYYY hh:mm:ss [AM|PM] with --date-order dmy|mdy
          (never guessed), or epoch seconds / milliseconds
          (integer or fractional; by magnitude: below 1e11 is seconds; --epoch s|ms to force;
          guessed, a number before 1973 (0.05: elapsed hours?) is rejected, not archived in 1970),
          or Excel serial dates with --epoch excel (46361.7397: days since 1899-12-30, local to --tz).
          Without an offset a time is UTC, or local to --tz (+02:00 or an IANA name such as
          Europe/Berlin: a wall time in the repeated hour of a DST fall-back is read only where the
          order of the file's rows says which pass it is, else rejected naming both instants; a local
          time skipped by a spring-forward is rejected); --strict-time rejects times without an offset. Times beyond the
          archive's range (years -2490 to 6429: a 9999-12-31 placeholder, epochs in µs) are rejected,
          as are times more than 5 min after the import started (no values from the future).
          A row with the tag and time of an earlier row is rejected: duplicate of line N
  value:  a number (decimal point; a decimal comma too when the delimiter is not a comma;
          thousands separators are refused, 1 234 with a no-break space and 1'234 too; in a file
          with decimal commas 1.234 is rejected as ambiguous, 1,234 in one with decimal points or
          with neither mark), true/false (or 1/0), or text for text tags (unquoted: without the spaces
          around it); empty only with a Bad status (long format, text tags too)
  the console's trend export (raw): its # header block and # sha256 line are skipped, its formula
          guard (' before = + - @) undone, new tags take its pens' kinds; a resampled one is refused
  status: Good, Uncertain, Bad, a name (BadSensorFailure, ...), a uint32 or 0x hex; empty: Good;
          historians' words in any case: Questionable (Uncertain), Substituted (UncertainSubstituteValue),
          a list (Good, Annotated: the worst word);
          OPC DA texts: Bad, Comm Failure; Bad - Comm Failure; Uncertain: Last Usable; Good, Local Override
          (OPC UA Part 8 Table A.61: BadNoCommunication, UncertainLastUsableValue, GoodLocalOverride);
          OPCQuality: OPC DA quality bytes (192 or 0xC0 Good, 0x18 Comm Failure); Ignition's dataintegrity
          (or quality beside t_stamp): 192 Good, legacy codes < 256 as DA bytes, others Bad, 32-bit
          QualityCodes by level (-2147483132 Bad_Stale); AVEVA's QualityDetail alone is refused (its own
          code, no DA byte); PI's IsGood/Questionable/Substituted and WinCC's Validity mark each row;
          a long file's Quality column of words is its status; another column named for quality or
          status, or a Quality column of numbers (0 is Good in one system, Bad in another), refuses the file
  PI system states in a value cell (I/O Timeout, Shutdown, Bad Input, ...) are Bad samples without
          a value (I/O Timeout BadCommunicationError, Shutdown BadOutOfService, ...; No Data: no sample)
Tags unknown to the archive are created with their kind column's kind, else by their values:
numbers -> analog, true/false -> discrete, words only -> text (a state column: NORMAL,
BROKEN); a number among a tag's first 1,000 words makes it analog and its words are rejected
lines ("Calibrating"); --new-tags analog|discrete|text to force a kind (files
without a kind column). With --compression (default none); a deviation in % is of each
created analog tag's EU range: --range <low>:<high> for all of them, or --range data (the
default with %) for each tag's own span of values in the file (a first pass reads
it; a tag that never changes gets low..low+1).
Each tag's rows are archived in time order (up to 1,000,000 samples are sorted in memory; a
bigger file out of order is read once per window of time): rows newer than a tag's archive are
appended (through the compressor), so a newest-first file is compressed as an ordered one; older
rows fill gaps through the late-data path, which writes only what changes the archive (a row
the archive holds already, within a compressed tag's deviation, or no change of a discrete or
text tag's value is not written again: importing a file twice changes nothing).
After each file a summary line on stderr: rows, samples, empty cells, tags created, time
range, time column and format, delimiter, rejected lines. Once the archive is closed, a last
line on stdout: samples accepted and how many of them the archive kept (discrete and text tags
keep only changes, compressed tags what their compression keeps).
`;

const DELIMITER_ARGS: Record<string, string> = { ',': ',', comma: ',', ';': ';', semicolon: ';', '\\t': '\t', '\t': '\t', tab: '\t', '|': '|', pipe: '|' };

function importOptions(v: Values): ImportOptions {
  if (v.wide && v.long) throw new UsageError('--wide and --long: choose one');
  const compression = compressionArg((v.compression as string | undefined) ?? 'none');
  // A deviation in % of span with no range named: each created tag's span of values in the file.
  const range = rangeArg(v.range as string | undefined) ?? (compression.kind !== 'none' && compression.percentOfSpan ? 'data' : undefined);
  return {
    format: v.wide ? 'wide' : v.long ? 'long' : 'auto',
    compression,
    range,
    newTagKind: oneOf<TagKind | 'auto'>('new-tags', v['new-tags'] as string | undefined, ['auto', 'analog', 'discrete', 'text'], 'auto'),
    assumeUtc: !v['strict-time'],
    zone: zoneArg(v.tz as string | undefined),
    epoch: oneOf<'auto' | 's' | 'ms' | 'excel'>('epoch', v.epoch as string | undefined, ['auto', 's', 'ms', 'excel'], 'auto'),
    delimiter: delimiterArg(v.delimiter as string | undefined),
    encoding: encodingArg(v.encoding as string | undefined),
    tagPrefix: tagPrefixArg(v['tag-prefix'] as string | undefined),
    timeColumn: v['time-column'] as string | undefined,
    dateOrder: v['date-order'] === undefined ? undefined : oneOf<'dmy' | 'mdy'>('date-order', v['date-order'] as string, ['dmy', 'mdy'], 'dmy'),
  };
}

/** The CSV reader's refusal of a file whose first line is numbers only, no time among them (csv/records.ts, csv/layout.ts): what --start/--period read. */
const NUMBERS_FOR_HEADER = /: no header: line \d+ holds \d+ numbers|expected a header row \(.*\); got data: [-+\d.eE,;|\t ]+$/;

/** Options of a headerless, timeless table (headerless.ts); refused with the options of a file that has a header and times. */
const tableOptions = {
  start: { type: 'string' },
  period: { type: 'string' },
  names: { type: 'string' },
  'names-file': { type: 'string' },
  'each-line': { type: 'string' },
} as const;

const TABLE_HELP = `Headerless numeric tables (no header row, no time column: the Tennessee Eastman set's d00.dat ..
d21.dat): --start <time> --period <duration> give sample i (from 0) the time start + i * period.
  --start  ISO 8601 (2024-01-01T00:00Z; without an offset UTC, or local to --tz) or epoch ms
  --period 180s, 3m, 1h, 500ms (the Tennessee Eastman sets: 3m)
  --time-column elapsed-s  (or elapsed-ms, elapsed-min, elapsed-h) instead of --period: the first
          number of each line is its time since --start (0.0 1.23 4.56, then 0.5 ...), increasing
          from line to line at the archive's millisecond, else the file is refused naming the line
  fields: numbers (decimal point; 2.5038e-01 too, copied as written) separated by the semicolon,
          comma or pipe line 1 holds, else by runs of spaces and tabs (--delimiter comma|semicolon|
          tab|pipe to say); NaN, NA, null, None (or an empty field between delimiters) are no
          sample; every line as many fields, else the file is refused naming the line; nothing of
          a refused file is archived
  names:  --names a,b,c or --names-file <file> (one name a line), else X1, X2, ...;
          --tag-prefix P names them P.<name>; every column is a tag's values, so a name the
          CSV reader would pair as another's quality column (X1 Quality beside X1) is refused
  --each-line sample|tag  what one line is: one sample of every tag (d01.dat: 480 lines of 52),
          or one tag's series (d00.dat: 52 lines of 500). Without it, the names' count says
          which; with no names, more lines than numbers a line is one sample a line, else the
          file is refused as ambiguous
Not with --wide, --long, --time-column <name>|<n>, --epoch, --date-order or --strict-time (those read
a time column). One table per run: two would give the same tags the same times (a --tag-prefix each).
The values archived are the file's numbers bit for bit; export them back to compare. The table is
read as a stream (any size, in little memory), twice: checked whole first, so Ctrl-C then archives
nothing ("interrupted at line N while the table was checked"); stopped later, the table's lines up
to the one named are archived.
`;

/**
 * `--time-column elapsed-s` (and -ms, -min, -h): a headerless table whose first number is the time
 * since --start. Another value is a CSV file's column (`Elapsed Time` too), unless --start says table.
 */
function elapsedArg(raw: unknown, table: boolean): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const unit = raw.trim().toLowerCase();
  if (ELAPSED_UNITS_MS[unit] !== undefined) return unit;
  if (table && /^elapsed/.test(unit)) {
    throw new UsageError(`--time-column: expected ${Object.keys(ELAPSED_UNITS_MS).join(', ')} (a headerless table's first number: its time since --start); got "${raw}"`);
  }
  return undefined;
}

/** The headerless options given, checked; undefined when none is given (a CSV file with a header). */
function tableArgs(v: Values): Omit<HeaderlessOptions, 'delimiter'> | undefined {
  const elapsed = elapsedArg(v['time-column'], v.start !== undefined);
  const given = [...Object.keys(tableOptions).filter((k) => v[k] !== undefined), ...(elapsed ? ['time-column'] : [])];
  if (given.length === 0) return undefined;
  if (elapsed) {
    if (v.start === undefined) {
      throw new UsageError(`--time-column ${elapsed}: a headerless table timed by its first number needs --start <time> (the time of ${elapsed} 0); got ${given.map((g) => `--${g}`).join(', ')}`);
    }
    if (v.period !== undefined) throw new UsageError(`--period: not with --time-column ${elapsed} (each line's first number gives its time)`);
  } else if (v.start === undefined || v.period === undefined) {
    throw new UsageError(`--${given[0]}: a headerless table needs --start <time> and --period <duration>; got ${given.map((g) => `--${g}`).join(', ')}`);
  }
  if (v.encoding !== undefined) throw new UsageError('--encoding: not with --start/--period (a headerless table holds numbers only, the same in every encoding but UTF-16)');
  for (const other of ['wide', 'long', 'time-column', 'epoch', 'date-order', 'strict-time']) {
    if (other === 'time-column' && elapsed) continue;
    if (v[other] !== undefined) throw new UsageError(`--${other}: not with --start/--period (a headerless table has no time column)`);
  }
  const start = parseTime(v.start as string, { zone: zoneArg(v.tz as string | undefined) });
  if (typeof start === 'string') throw new UsageError(`--start: expected ${start}; got "${v.start as string}"`);
  return {
    start,
    periodMs: elapsed ? undefined : durationArg('period', v.period as string),
    elapsed,
    names: namesArg(v.names as string | undefined, v['names-file'] as string | undefined),
    eachLine: v['each-line'] === undefined ? undefined : oneOf<EachLine>('each-line', v['each-line'] as string, ['sample', 'tag'], 'sample'),
  };
}

function rangeArg(raw: string | undefined): ImportOptions['range'] {
  if (raw === undefined) return undefined;
  if (raw.trim().toLowerCase() === 'data') return 'data';
  const m = /^(-?\d+(?:\.\d+)?):(-?\d+(?:\.\d+)?)$/.exec(raw.trim());
  if (!m || Number(m[1]) >= Number(m[2])) throw new UsageError(`--range: expected <low>:<high> with low < high (e.g. 0:100), or data; got "${raw}"`);
  return { low: Number(m[1]), high: Number(m[2]) };
}

function zoneArg(raw: string | undefined): ImportOptions['zone'] {
  if (raw === undefined) return undefined;
  const zone = parseZone(raw);
  if (!zone) throw new UsageError(`--tz: expected a UTC offset (+02:00, -0530, Z) or an IANA time zone name (Europe/Berlin); got "${raw}"`);
  return zone;
}

function encodingArg(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return encodingOf(raw);
  } catch (e) {
    throw new UsageError(`--encoding: ${(e as Error).message}`);
  }
}

function delimiterArg(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const d = DELIMITER_ARGS[raw.toLowerCase()];
  if (d === undefined) throw new UsageError(`--delimiter: expected comma, semicolon, tab or pipe (or , ; | \\t); got "${raw}"`);
  return d;
}

function tagPrefixArg(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const p = raw.trim().replace(/\.$/, '');
  if (p === '') throw new UsageError('--tag-prefix: expected a non-empty prefix such as TK1');
  return p;
}

function printReport(r: ImportReport, where?: string): void {
  for (const line of formatDigest(digestRejections(r.rejections))) process.stderr.write(`${line}\n`);
  if (r.fileError) process.stderr.write(`${r.fileError}\n`);
  const cut = noLineEndWarning(r);
  if (cut) process.stderr.write(`${cut}\n`);
  const written = stillWrittenNote(r);
  if (written) process.stderr.write(`${written}\n`);
  process.stderr.write(`${formatSummary(r)}\n`);
  if (r.interruptedAfter !== undefined) {
    const what = r.interruptedAfter ? ': the lines up to it are archived, the rest of the file is not' : ': nothing of it is archived';
    process.stderr.write(`${r.file}: ${interruptedAt(r)}${r.interruptedNote ? ` ${r.interruptedNote}` : what}\n`);
  }
  const lines = r.rejections.lines;
  const created = r.createdTags.length ? `, ${counted(r.createdTags.length, 'tag')} created` : '';
  const replaced = r.replaced ? ` of which ${r.replaced} replaced ${r.replaced === 1 ? 'an archived value' : 'archived values'}` : '';
  const unchanged = r.unchanged ? `, ${r.unchanged} already archived as given` : '';
  process.stdout.write(`${r.file}: ${counted(r.imported, 'sample')} accepted (${r.appended} appended, ${r.inserted} late${replaced}${unchanged})` +
    `${created}, ${counted(lines, 'line')} rejected${r.fileError ? ', file rejected' : ''}${r.interruptedAfter !== undefined ? `, ${interruptedAt(r)}` : ''}` +
    `${where ? ` -> ${where}` : ''}\n`);
}

/** A table converted: the CSV the import reads, the note saying how the table was read, its separator, what a line of it is. */
interface TableCsv { csv: string; note: string; delimiter: string; eachLine: EachLine; samples: number }

/**
 * A headerless table as a wide CSV in a folder of its own under the system's temporary folder, with
 * the note saying how it was read; or why it is refused (naming file, line and field), or where a
 * signal stopped it (nothing of it archived: the table is read whole before the import). A tag the
 * archive holds as discrete or text is refused here, before any of the file is archived: the import
 * would reject its numbers naming lines of the converted file, not of the table.
 */
async function tableAsCsv(file: string, table: Omit<HeaderlessOptions, 'delimiter'>, opts: ImportOptions, kindOf: (name: string) => TagKind | undefined,
  signal: AbortSignal): Promise<TableCsv | string | TableInterrupted> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-table-'));
  const csv = join(dir, 'table.csv');
  try {
    const c = await convertTable(file, csv, { ...table, delimiter: opts.delimiter }, { signal, work: dir });
    rmSync(join(dir, 'source.dat'), { force: true }); // a pipe's copy, read
    const named = c.names.map((n) => (opts.tagPrefix ? `${opts.tagPrefix}.${n}` : n));
    const other = named.find((n) => { const k = kindOf(n); return k !== undefined && k !== 'analog'; });
    if (other !== undefined) throw new TableError(`${file}: tag "${other}" is ${kindOf(other)} in the archive; expected analog (the table holds numbers): give other names`);
    return { csv, note: c.note, delimiter: c.delimiter, eachLine: c.eachLine, samples: c.samples };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    if (e instanceof TableError) return e.message;
    if (e instanceof TableInterrupted) return e;
    throw e;
  }
}

/**
 * Where a signal stopped the import of a table, in the table's terms: the CSV it became has a header
 * line before the table's first, and with a tag a line its rows are samples, not the table's lines.
 */
export function tableInterrupted(report: ImportReport, eachLine: EachLine, samples: number): void {
  if (report.interruptedAfter === undefined || report.interruptedNote !== undefined) return;
  const rows = Math.max(0, report.interruptedAfter - 1);
  if (eachLine === 'sample') report.interruptedAfter = rows;
  else {
    report.interruptedAfter = 0;
    report.interruptedNote = rows > 0
      ? `after sample ${rows} of ${samples}: the samples up to it are archived, of every tag, the rest are not`
      : 'before its first sample: nothing of it is archived';
  }
}

/**
 * A file of an import replaced values an earlier file of the same import gave (two NAB files, each a
 * `timestamp,value`: both feed the tag "value"): said, with what to do, never only counted.
 */
export function replacedInRun(file: string, replaced: number, tags: readonly string[]): string {
  return `${file}: warning: ${replaced} ${replaced === 1 ? 'value' : 'values'} replaced archived ones, of ${tags.length === 1 ? 'a tag' : 'tags'} ` +
    `an earlier file of this import fed too (${someNames(tags)}): a wide file's column names are its tags; ` +
    'to keep each file\'s values, import each file on its own with its own --tag-prefix';
}

/** Values the archive holds and the records it added (Cyclic), over all tags, as its writer counts them (stats.ts). */
function archivedNow(h: Historian): { values: number; records: number } {
  const n = { values: 0, records: 0 };
  for (const t of h.tagStats()) {
    n.values += t.samplesArchived;
    n.records += t.recordsAdded;
  }
  return n;
}

/**
 * Of what the files gave, what the archive holds more now. The archive counts points flagged Cyclic
 * apart (records): those the files gave (`cyclicGiven`, Vigil's export read back) are archived
 * samples; those beyond are the compressor's (deadband hold records), not the files'. A value
 * that replaced an archived record moves one from records to values: nothing was added.
 */
export function archivedByImport(before: { values: number; records: number }, after: { values: number; records: number }, cyclicGiven: number): number {
  const records = after.records - before.records;
  return after.values - before.values + records - Math.max(0, records - cyclicGiven);
}

/**
 * What the archive kept of the samples the files gave it, from the archive's own counts once it
 * is closed (compressors and sorting buffers have let go of what they held): discrete and text
 * tags keep only changes, compressed tags what their compression keeps. A late row at the time
 * of an archived value replaces it: the archive holds no more values for it, so it is said apart.
 */
export function formatArchived(label: string, accepted: number, archived: number, replaced: number): string {
  const dropped = accepted - replaced - archived;
  const parts: string[] = [];
  if (replaced > 0) parts.push(`${replaced} replacing values archived at their times`);
  if (dropped > 0) parts.push(`${dropped} unchanged discrete/text values or compressed away`);
  const added = replaced > 0 ? ` added` : ' archived';
  return `${label}: ${counted(accepted, 'sample')} accepted, ${Math.max(archived, 0)}${added}${parts.length ? ` (${parts.join('; ')})` : ''}`;
}

/** A file the import cannot open (missing, a folder): said before any archive is opened, so a typo creates none. */
function unreadable(file: string): string | undefined {
  try {
    const st = statSync(file);
    return st.isDirectory() ? `${file}: is a folder; expected a CSV file` : undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot be read: ${(e as Error).message}`;
  }
}

/** --compression configures the tags an import creates: one the archive knew keeps its own (said, never silently). */
export function compressionKept(file: string, known: readonly string[]): string {
  return `${file}: --compression applies to the tags an import creates; ${counted(known.length, 'tag')} already in the archive ` +
    `(${someNames(known)}) ${known.length === 1 ? 'keeps its' : 'keep their'} own compression`;
}

/**
 * A new archive the import put nothing into (every file refused): removed, so a second try with
 * the right options does not find an empty archive of a failed run (or a typo's folder) left behind.
 */
function dropEmptyArchive(dir: string, made: ArchiveMade): string {
  if (made === 'folder') rmSync(dir, { recursive: true, force: true });
  else {
    // A folder that was there (made beforehand, or holding other files): only the archive's own files go.
    for (const f of ['catalog.sqlite', 'catalog.sqlite-wal', 'catalog.sqlite-shm', 'writer.lock']) rmSync(join(dir, f), { force: true });
    if (made === 'archive') rmSync(join(dir, 'volumes'), { recursive: true, force: true });
  }
  return `${dir}: nothing archived: the new archive made for this import is not kept`;
}

/** What of --data this run makes: the folder and all, the archive in a folder that was there, or its catalog only (a folder of its own was there already: `volumes` is not touched). */
type ArchiveMade = 'folder' | 'archive' | 'catalog';

function archiveMade(dir: string | undefined): ArchiveMade | undefined {
  if (dir === undefined) return undefined;
  if (!existsSync(dir)) return 'folder';
  if (existsSync(join(dir, 'catalog.sqlite'))) return undefined;
  return existsSync(join(dir, 'volumes')) ? 'catalog' : 'archive';
}

/**
 * The archive failed to write (a full disk, a file size limit, an I/O error) while importing: the
 * samples counted "accepted" above are not all archived. Said with what is kept and what to do;
 * each write is a transaction, so what the archive held stays whole, and a second import writes
 * only what is missing.
 */
function archiveFailed(what: string, e: unknown): Error {
  return new Error(`${what}: the archive could not be written (${(e as Error).message}): the import stopped; what the archive held before ` +
    'is kept, and so are the rows archived before the failure, the others are not: import again once the cause is fixed ' +
    '(space freed): rows archived already are not written twice');
}

/** Exit code of an import stopped by a signal: 128 + its number, as a shell reports it. */
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export const importCommand: Command = {
  summary: 'import CSV files (long or wide format) into the archive',
  usage: `usage: npm run historian -- import <file.csv>... --data <dir> [--wide|--long]
         [--compression none|deadband:<dev>[%]|swinging-door:<dev>[%]] [--range <low>:<high>|data] [--new-tags auto|analog|discrete|text]
         [--delimiter comma|semicolon|tab|pipe] [--encoding windows-1251|gb18030|...] [--tz +02:00|<IANA zone>] [--strict-time]
         [--epoch auto|s|ms|excel] [--date-order dmy|mdy] [--tag-prefix <prefix>] [--time-column <name>|<n>]
       npm run historian -- import <table.dat>... --data <dir> --start <time> --period <duration>|--time-column elapsed-s
         [--names a,b,c|--names-file <file>] [--each-line sample|tag] [--tag-prefix <prefix>] [--delimiter ...] [--compression ...]

Good lines are imported even when others are rejected; rejected lines are
reported on stderr as file:line: field "...": expected ...; got "..." (or: duplicate of line N),
the first 100 of each problem, then one line counting the rest with their first and last line.
Dates nn/nn/YYYY refused for want of --date-order are looked at for the order they show.
A last line without a line end is imported with a warning there: it may be cut short.
Exit code 1 when any line or file was rejected. Ctrl-C (SIGINT) or SIGTERM stops reading:
what was read is archived, the archive closed, "interrupted at line N" said; exit code 130 or 143.
An archive that cannot be written (a full disk) stops the import naming the file: what the archive
held is kept; import again once space is freed (rows archived already are not written twice).

${CSV_HELP}
${TABLE_HELP}`,
  options: { ...csvOptions, ...tableOptions },
  async run(v, files) {
    if (files.length === 0) throw new UsageError('expected at least one CSV file');
    const table = tableArgs(v);
    if (table && files.length > 1) {
      // The same names (or X1, X2, ...) at the same times: each table would overwrite the one before it.
      throw new UsageError(`--start/--period: ${files.length} tables given (${someNames(files)}): they would give the same tags the same times, ` +
        'each overwriting the one before; import one table per run, each with its own --tag-prefix');
    }
    const opts = importOptions(v);
    let failed = false;
    const readable = files.filter((file) => {
      const why = unreadable(file);
      if (why) process.stderr.write(`${why}\n`);
      failed ||= why !== undefined;
      return why === undefined;
    });
    if (readable.length === 0) return 1; // no archive opened, none created
    // A signal stops reading; what was read is archived and the archive closed (watch does the same).
    const stop = new AbortController();
    let signal: NodeJS.Signals | undefined;
    const onSignal = (s: NodeJS.Signals) => {
      signal ??= s;
      stop.abort();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const data = v.data as string | undefined;
    const madeHere = archiveMade(data); // an archive this run makes: not kept if nothing goes into it
    try {
      const run = { files: 0, accepted: 0, replaced: 0, archived: 0, created: 0, cyclic: 0 };
      await withArchive(v.data as string | undefined, true, async (h) => {
        const before = archivedNow(h);
        const target = historianTarget(h);
        const givenInRun = new Set<string>(); // tags the files before fed: a later file at their times replaces their values
        for (const [index, file] of readable.entries()) {
          if (stop.signal.aborted) {
            process.stderr.write(`${file}: interrupted before it was read: nothing of it archived\n`);
            continue;
          }
          let read = file;
          let fileOpts = opts;
          let tableDelimiter = ' ';
          let tableShape: { eachLine: EachLine; samples: number } | undefined;
          if (table) {
            const converted = await tableAsCsv(file, table, opts, target.kindOf.bind(target), stop.signal);
            if (typeof converted === 'string') {
              process.stderr.write(`${converted}\n`);
              failed = true;
              continue;
            }
            if (converted instanceof TableInterrupted) {
              const where = converted.pass === 'check' ? 'while the table was checked' : 'while the checked table was prepared for the archive';
              process.stderr.write(`${file}: interrupted at line ${converted.line} ${where}: nothing of it is archived (a table is read whole before any of it is)\n`);
              continue;
            }
            tableShape = converted;
            process.stderr.write(`${converted.note}\n`);
            read = converted.csv;
            tableDelimiter = converted.delimiter;
            fileOpts = { ...opts, format: 'wide', delimiter: ',', epoch: 'ms', timeColumn: '1', zone: undefined };
          }
          const report = await importCsvFile(target, read, { ...fileOpts, displayName: file, flushAtEnd: index < readable.length - 1, signal: stop.signal })
            // Flushed after each file but the last (withArchive's close flushes that): a later file's rows at the
            // times of an earlier one's then meet them archived, and are counted as replacing them.
            .catch((e: unknown) => { throw archiveFailed(file, e); })
            .finally(() => { if (read !== file) rmSync(dirname(read), { recursive: true, force: true }); });
          if (table && report.summary) { // the table's own: no time column, its separator (the CSV it became is the import's business)
            const timeField = table.elapsed ? `(field 1: --time-column ${table.elapsed})` : '(none: --start, --period)';
            report.summary = { ...report.summary, timeField, timeFormat: 'given', delimiter: tableDelimiter };
          }
          if (tableShape) tableInterrupted(report, tableShape.eachLine, tableShape.samples);
          printReport(report);
          if (!table && report.fileError !== undefined && NUMBERS_FOR_HEADER.test(report.fileError)) {
            process.stderr.write(`${file}: a table of numbers without a header or times is imported with --start <time> --period <duration> (see import --help)\n`);
          }
          const again = report.replaced > 0 ? (report.knownTags ?? []).filter((t) => givenInRun.has(t)) : [];
          if (again.length > 0) process.stderr.write(`${replacedInRun(file, report.replaced, again)}\n`);
          for (const t of [...report.createdTags, ...(report.knownTags ?? [])]) givenInRun.add(t);
          if (v.compression !== undefined && report.knownTags?.length) process.stderr.write(`${compressionKept(file, report.knownTags)}\n`);
          failed ||= report.fileError !== undefined || report.rejections.count > 0;
          run.files++;
          run.accepted += report.imported;
          run.replaced += report.replaced;
          run.cyclic += report.cyclic ?? 0;
          run.created += report.createdTags.length;
        }
        // archives what compressors and sorting buffers hold (withArchive's close is then a no-op)
        await h.close().catch((e: unknown) => { throw archiveFailed(run.files === 1 ? readable[0]! : `${run.files} files`, e); });
        run.archived = archivedByImport(before, archivedNow(h), run.cyclic);
      });
      const empty = madeHere !== undefined && run.created === 0 && run.archived === 0;
      const dropped = empty ? `; ${dropEmptyArchive(data!, madeHere)}` : '';
      if (run.files > 0) {
        const label = run.files === 1 ? readable[0]! : `${run.files} files`;
        process.stdout.write(`${formatArchived(label, run.accepted, run.archived, run.replaced)}${dropped}\n`);
      }
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
    if (signal === undefined) return failed ? 1 : 0;
    const code = SIGNAL_EXIT[signal] ?? 1;
    // The archive is closed; a read still waiting on a pipe must not keep the process alive.
    setTimeout(() => process.exit(code), 200).unref();
    return code;
  },
};

export const watchCommand: Command = {
  summary: 'import CSV files dropped into <data>/inbox (done/ or rejected/ + report)',
  usage: `usage: npm run historian -- watch --data <dir> [--once] [--stable 2s] [--poll 1s] [import options]

Files dropped into <dir>/inbox are imported once unchanged for --stable, then moved
to inbox/done/, or to inbox/rejected/ with <name>.report.txt naming the rejected
lines (100 of each problem, the rest counted) when any line was rejected or the file could not be read (good lines are still
imported). A file that changed while it was read stays and is imported again once
stable; one written on after it was moved (its writer kept it open) is followed for
10 minutes and imported again (rows archived already are not written twice). Writers
should write to name.csv.tmp (or .part, a dot name) and rename it when complete.
--once imports the files present now (no stability wait) and exits.
Import options: --wide, --long, --compression, --range, --new-tags, --delimiter, --tz, --strict-time,
--epoch, --date-order, --tag-prefix, --time-column (see import --help).
`,
  options: { ...csvOptions, once: { type: 'boolean' }, stable: { type: 'string' }, poll: { type: 'string' } },
  async run(v) {
    const opts = importOptions(v);
    const stableMs = v.once ? 0 : durationArg('stable', (v.stable as string | undefined) ?? '2s');
    const pollMs = durationArg('poll', (v.poll as string | undefined) ?? '1s');
    return withArchive(v.data as string | undefined, true, async (h) => {
      const inbox = new Inbox(historianTarget(h), h.dir, {
        ...opts, stableMs, pollMs,
        onFile: (report, movedTo) => printReport(report, movedTo),
        onError: (e) => process.stderr.write(`watch: ${e.message}\n`),
      });
      if (v.once) {
        const reports = await inbox.poll();
        return reports.some((r) => r.fileError !== undefined || r.rejections.count > 0) ? 1 : 0;
      }
      process.stderr.write(`watching ${inbox.inbox} (Ctrl-C to stop)\n`);
      inbox.start();
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await inbox.stop();
      return 0;
    });
  },
};
