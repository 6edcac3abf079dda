/**
 * Records to samples: the header decides the layout (layout.ts), then each record
 * becomes samples grouped per tag, or rejections naming line, field and what was
 * expected. The sink of the tokenizer; readCsv (read.ts) drives it.
 */
import type { ArchivedSample, Sample, TagKind } from '../types.js';
import { archivedStatusOf, isBad } from '../status.js';
import { dateOrderShown, describeTimeFormat, finerThanMs, formatTime, parseTime, EPOCH_SECONDS_BELOW, NO_OFFSET_EXPECTED, type TimeParseOptions } from './time.js';
import { FinerLines } from './finer-lines.js';
import { DecimalMark } from './decimal-mark.js';
import { parseStatus, statusExpected, STATUS_EXPECTED } from './status-text.js';
import { isDecimal, wordsColumnExpected } from './quality-words.js';
import { parseQuality, QUALITY_EXPECTED } from './quality.js';
import { NO_DATA, piStatusNumber, piSystemState } from './pi-states.js';
import { FLAG_EXPECTED, flagCell, PI_FLAGS_EXPECTED, piFlagsStatus, withFlag, worseStatus } from './quality-flags.js';
import { headerZone } from './header-zone.js';
import { describeBadBytes, type BadBytes, type Utf8Check } from './utf8-check.js';
import { DELIMITERS, delimiterName, type RecordSink } from './tokenize.js';
import { headerWithoutDelimiter, mixedDelimiters } from './mixed-delimiters.js';
import { dateAndClock, HeaderError, isClockOnly, isDateOnly, qualityColumnRefusal, readHeader, timeText, TIME_NAMES_TEXT, valueSource, type Layout } from './layout.js';
import { expectedOf, inferKind, isMissing, isNoValue, isTagName, KIND_EXPECTED, kindCell, looksNumeric, numberCell, numberExpected, parseValue, TAG_NAME_EXPECTED } from './value.js';
import type { CsvReadOptions } from './read.js';
import { unitsRow } from './units-row.js';
import { IGNITION_EXPECTED, ignitionQualityNumber } from './ignition-quality.js';
import { describeUnits, unitAt, withUnit, type UnitSpan } from './unit-history.js';
import { archivedFlagsOf } from './archived-flags.js';
import { isHashLine, noteBlockRecord, TREND_EXPORT_MARK, unguard, type TrendExportBlock } from './trend-export.js';
import { SeriesOrder, type Fits, type Slot } from './repeated-hour.js';
import { RepeatedHourWatch, type RepeatedHour } from './local-time-hint.js';

export interface Rejection {
  file: string;
  line: number;
  field: string;
  expected: string;
  got: string;
  /** Said instead of "expected ...; got ..." when the row itself is fine but cannot be kept (a duplicate of an earlier line). */
  message?: string;
}

/** How far past the start of an import a row's time may be (CsvReadOptions.notAfter): a source's clock a little ahead, not a date in the future. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** Longest text of a rejected line or cell echoed in a message: a 1 MB line must not fill a terminal. */
export const ECHO_LIMIT = 200;

export function formatRejection(r: Rejection): string {
  if (r.message !== undefined) return `${r.file}:${r.line}: field "${r.field}": ${r.message}`;
  return `${r.file}:${r.line}: field "${r.field}": expected ${r.expected}; got ${echo(r.got)}`;
}

/** Text as JSON, cut to ECHO_LIMIT characters with how long it was. */
/** A number as data files write it (1, -0.5, 2.5038000e-01): a cell of such in the header makes it a data row. */
const PLAIN_NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

export function echo(text: string): string {
  if (text.length <= ECHO_LIMIT) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, ECHO_LIMIT))}... (${text.length} characters)`;
}

export class CsvFileError extends Error {
  /** line 0: the problem is not on one line (e.g. the file cannot be read). */
  constructor(readonly file: string, readonly line: number, message: string) {
    super(line > 0 ? `${file}:${line}: ${message}` : `${file}: ${message}`);
  }
}

/** One tag's samples of a batch, in file order, with the line of each. */
export interface TagRows {
  samples: Sample[];
  lines: number[];
}

/** What was read and how the file was understood: the import summary. */
export interface CsvSummary {
  format?: 'long' | 'wide';
  delimiter?: string;
  decimalComma: boolean;
  timeField?: string;
  timeFormat?: string;
  /** Data records read (header and empty lines not counted). */
  rows: number;
  samples: number;
  /** Wide cells with no value (empty, NaN, null, NA...). */
  missing: number;
  /** Long rows an export wrote for no value (flags NoData: a bound where the archive held none): no sample. */
  noData: number;
  /** The first date that only the other order than --date-order reads (5/13/2026 with dmy): the file's dates were read wrong. */
  dateOrderShown?: { line: number; text: string; order: 'dmy' | 'mdy' };
  first: number;
  last: number;
  /** Wide columns without a name at either end, not read (a pandas index, a trailing delimiter). */
  ignored: string[];
  /** The lines whose time has digits below the millisecond (the archive keeps ms: such rows may fall on one). */
  finerLines: FinerLines;
  /** Reading stopped early (a signal): the last line read whole. */
  interruptedAfter?: number;
  /** The UTC offset the time column's name states ("Time (UTC+01:00)"), applied to its times (header-zone.ts). */
  zoneFromHeader?: string;
  /**
   * The file's last line (its number) has no line end, so it may be cut short (a file copied while
   * still being written: "12.3" of "12.345"). It is read as it is; the import warns.
   */
  noLineEnd?: number;
  /** A row of units under a wide header (units-row.ts): its line; each tag's unit, from that row or a long file's unit column. */
  unitsLine?: number;
  units?: Map<string, string>;
  /** A long file's unit column, as its header names it: the field of a row whose unit an import cannot give its tag (import.ts). */
  unitField?: string;
  /**
   * Each tag's kind as the file said or its values did (undefined: only words so far). A new tag
   * is created with it: a discrete tag's values may all be numbers (an enumeration's 2, 3).
   */
  kinds: ReadonlyMap<string, TagKind | undefined>;
  /** Times read as UTC (no --tz) that step back into the hour before and go on, as a DST fall-back repeats it (local-time-hint.ts). */
  repeatedHour?: RepeatedHour;
}

/**
 * Words an unknown tag (kinds inferred) may hold before it is made a text tag: a machine-state
 * column ("NORMAL", "BROKEN") says so within its first rows; a numeric one shows a number long
 * before, even after a historian's "Pt Created" or an hour of "I/O Timeout" at 1 min.
 */
export const WORDS_MAKE_TEXT = 1000;

/** A new tag whose every row is Bad without a value: nothing says its kind. */
const NO_KIND_EXPECTED = (tag: string): string => `a value saying the kind of ${tag}, a tag new to the archive whose every row in the file ` +
  'is Bad without a value (such as a PI system state: Shutdown, I/O Timeout); import the file with --new-tags analog, discrete or text';

/** An unknown tag's words so far (no value has said its kind): its samples should it be text. */
interface HeldWords {
  /** Wide: the tag's column (its kind is cached per column); long: -1. */
  column: number;
  field: string;
  /** Held values that are words: an empty Bad value (a PI system state's) says nothing of the kind, and makes no text tag. */
  words: number;
  samples: Sample[];
  lines: number[];
}

export interface CsvBatch {
  tags: Map<string, TagRows>;
  rejections: Rejection[];
  /** The same object in every batch, complete in the last one. */
  summary: CsvSummary;
}

/** Turns records into samples and rejections; the tokenizer's sink. */
export class RecordReader implements RecordSink {
  layout: Layout | undefined;
  pending = 0;
  delimiterOf: () => string = () => ',';
  private header: { fields: string[]; line: number } | undefined;
  private out = new Map<string, TagRows>();
  private columns: (TagRows | undefined)[] = [];
  private rejections: Rejection[] = [];
  private readonly kinds = new Map<string, TagKind | undefined>();
  /** Where each tag's unit was first said (a long file's unit column). */
  private readonly unitLines = new Map<string, number>();
  private readonly summary: CsvSummary = {
    decimalComma: false, rows: 0, samples: 0, missing: 0, noData: 0, first: Infinity, last: -Infinity, ignored: [], finerLines: new FinerLines(), kinds: this.kinds,
  };
  private columnKinds: (TagKind | undefined)[] = [];
  private readonly words = new Map<string, HeldWords>();
  /** Tag cells as written -> the names they are archived under (tagNamed). */
  private readonly names = new Map<string, string>();
  /** Long with a kind column: each tag's kind, the archive's or as its first row said it, and where it was said. */
  private readonly said = new Map<string, { kind: TagKind; where: string }>();
  private readonly time: TimeParseOptions;
  private decimalComma = false;
  /** The first data row has been seen (a date and a time-of-day column are joined by it). */
  private sawData = false;
  /** The first record after the header has been seen (checked for a delimiter of its own: mixed-delimiters.ts). */
  private sawFirstRow = false;
  /**
   * With a zone that falls back (--tz Europe/Berlin): the order of the file's times, which alone says
   * which instant a wall time of the repeated hour is (repeated-hour.ts). A wide file's rows are one
   * series; a long file's rows are one (a file sorted by time, its tags interleaved) and each tag's
   * another (a PI-style file of blocks per tag, each block forward or newest first).
   */
  private readonly order: { file?: SeriesOrder; tags: Map<string, SeriesOrder> } | undefined;
  /** The last time parsed was a wall time of a repeated hour: its two instants (TimeParseOptions.ambiguous). */
  private twice: { first: number; second: number; local: number } | undefined;
  /** Rows with such a time, read once the whole file has said its order (settleRepeatedHour). */
  private heldRows: HeldRow[] = [];
  /** Without a zone: the last time parsed had no offset and was read as UTC (watched for a DST repeat). */
  private readUtc = false;
  private readonly repeat: RepeatedHourWatch | undefined;
  /** The file's decimal mark, and the values such as '1.234' it holds until it is known. */
  private readonly mark = new DecimalMark({
    reject: (line, field, expected, got) => this.reject(line, field, expected, got),
    keep: (tag, sample, line) => {
      const rows = this.rowsOf(tag);
      rows.samples.push(sample);
      rows.lines.push(line);
      this.pending++;
    },
  });
  /** The console's trend export (trend-export.ts): what its header block said; undefined for any other file. */
  private trend: TrendExportBlock | undefined;
  /** The kind the current record's value column says (Ignition's floatvalue: analog; layout.ts valueSource). */
  private valueKind: TagKind | undefined;
  /** The current record's fields written in quotes (tokenize.ts). */
  private quoted: readonly number[] | undefined;
  /** Wide: the columns whose units row states a unit the archive's tag had at some times only: checked at each row's time. */
  private unitColumns: ({ unit: string; spans: readonly UnitSpan[] } | undefined)[] = [];
  /** A units row seen before the layout was known (no time column by name): read once the first data row sets it. */
  private unitsAt: { fields: string[]; line: number; endLine: number } | undefined;

  constructor(private readonly opts: CsvReadOptions, private readonly check: Utf8Check) {
    const epoch = opts.epoch === undefined || opts.epoch === 'auto' ? 'guess' : opts.epoch;
    this.time = {
      assumeUtc: opts.zoneMissing !== undefined && opts.zone === undefined ? false : opts.assumeUtc, zone: opts.zone, epoch, dateOrder: opts.dateOrder,
      ambiguous: (first, second, local) => {
        this.twice = { first, second, local };
        return second;
      },
      readAsUtc: () => { this.readUtc = true; },
    };
    this.order = opts.zone?.earlier ? { tags: new Map() } : undefined;
    this.repeat = opts.zone === undefined ? new RepeatedHourWatch() : undefined;
  }

  take(): CsvBatch {
    this.summary.samples += this.pending;
    const batch = { tags: this.out, rejections: this.rejections, summary: this.summary };
    this.out = new Map();
    this.columns = [];
    this.rejections = [];
    this.pending = 0;
    return batch;
  }

  /** Rejections since the last batch. */
  get rejected(): number {
    return this.rejections.length;
  }

  /**
   * A batch of the rejections only (no samples: the batches of samples stay as they were): a file
   * whose every row is refused must not hold them all until its end.
   */
  takeRejections(): CsvBatch {
    const batch = { tags: new Map<string, TagRows>(), rejections: this.rejections, summary: this.summary };
    this.rejections = [];
    return batch;
  }

  end(): void {
    if (this.layout) {
      this.settleRepeatedHour();
      this.mark.settle(); // no decimal comma to the end: decimal points
      this.settleHeld(); // only words to the end: a text column
      return;
    }
    if (this.header) throw this.noTimeColumn(undefined);
    throw new CsvFileError(this.opts.file, 1, 'empty file: expected a header row (time,tag,value[,status] or time,<tag>,...)');
  }

  /** Reading stopped after `line`: words held so far make their text tags (what was read is archived). */
  interrupt(line: number): void {
    this.summary.interruptedAfter = line;
    if (this.layout) this.settleRepeatedHour();
    this.mark.settle();
    if (this.layout) this.settleHeld();
  }

  /**
   * A record of the console's trend export that is no row (its header block, its hash line): true.
   * Its other records lose the formula guard (every cell: only text cells carry one).
   */
  private trendExport(fields: string[], line: number): boolean {
    const first = fields[0]!.replace(/^\uFEFF/, '');
    if (this.header === undefined) {
      if (this.trend === undefined && line === 1 && first.trim() === TREND_EXPORT_MARK) {
        this.trend = { kinds: new Map() };
        return true;
      }
      if (this.trend !== undefined && first.trimStart().startsWith('#')) {
        noteBlockRecord(this.trend, fields);
        return true;
      }
    }
    if (this.trend === undefined) return false;
    if (this.header === undefined && this.trend.shape !== undefined && this.trend.shape !== 'raw') {
      // Aggregates per interval, not archived values: archived, an average had passed for a measurement.
      throw new CsvFileError(this.opts.file, line, `a trend export of shape ${JSON.stringify(this.trend.shape)}: expected one of shape raw ` +
        '(the values as archived); a resampled export holds aggregates per interval, not values to archive');
    }
    if (isHashLine(fields)) return true;
    for (let i = 0; i < fields.length; i++) fields[i] = unguard(fields[i]!);
    return false;
  }

  /**
   * The end of what is read: a tag that held words is a text tag of them; one that held only Bad
   * rows without a value (PI's "Shutdown", "I/O Timeout") has no kind any row says, so its rows are
   * rejected saying how to give one (made text, its next file's numbers had been archived as text).
   */
  private settleHeld(): void {
    for (const [tag, held] of [...this.words]) {
      if (held.words > 0) {
        this.makeText(tag);
        continue;
      }
      this.words.delete(tag);
      for (const line of held.lines) this.reject(line, held.field, NO_KIND_EXPECTED(tag), '');
    }
  }

  record(fields: string[], line: number, endLine: number, noLineEnd = false, quoted?: readonly number[]): void {
    this.quoted = quoted;
    if (this.trendExport(fields, line)) return;
    if (this.header !== undefined && !this.sawFirstRow) {
      this.sawFirstRow = true;
      // Header by commas, data by tabs (UCI's ethylene_CO.txt): refused once, not each line rejected.
      const mixed = quoted === undefined ? mixedDelimiters(this.header.fields, this.header.line, fields, line, this.delimiterOf()) : undefined;
      if (mixed !== undefined) throw new CsvFileError(this.opts.file, line, mixed);
    }
    let l = this.layout;
    if (l === undefined) {
      if (this.header === undefined) {
        this.header = { fields, line };
        const unsplit = this.opts.delimiter === undefined ? undefined : headerWithoutDelimiter(fields, line, this.delimiterOf());
        if (unsplit !== undefined) throw new CsvFileError(this.opts.file, line, unsplit);
        // without a time column by name, the first data row may show one
        this.startLayout(fields, line, this.opts.timeColumn === undefined ? undefined : this.timeColumnIndex(fields, line));
        return;
      }
      if (this.unitsAt === undefined && unitsRow(fields, 0, -1, fields.map((_, i) => i > 0))) {
        this.unitsAt = { fields, line, endLine };
        return;
      }
      const halves = isClockOnly(fields[0]) && isDateOnly(fields[1]) ? dateAndClock(fields, 0) : undefined;
      if (halves === undefined && !looksLikeTime(fields[0] ?? '', this.time)) throw this.noTimeColumn(fields[0]);
      l = this.startLayout(this.header.fields, this.header.line, halves?.[0] ?? 0, halves?.[1]) as Layout;
      const units = this.unitsAt;
      if (units) { // read now as the layout says: units, or a row like any other
        this.unitsAt = undefined;
        this.record(units.fields, units.line, units.endLine);
        this.quoted = quoted;
      }
    }
    if (fields[0].trim() === '' && fields.every((f) => f.trim() === '')) return; // only delimiters: an empty line
    if (fields.length === l.width + 1 && fields[l.width].trim() === '') fields.length = l.width; // a trailing delimiter the header lacks
    // A file copied while still being written ends in a line cut short ("12.3" of "12.345"): said, with its number.
    if (noLineEnd) this.summary.noLineEnd = endLine;
    if (!this.sawData && l.format === 'wide' && this.summary.unitsLine === undefined && fields.length === l.width) {
      const units = unitsRow(fields, l.time, l.timeOfDay, l.tags.map((tag) => tag !== ''));
      if (units) {
        this.summary.unitsLine = line;
        this.summary.units = new Map(l.tags.flatMap((tag, i) => (tag !== '' && units[i] !== '' ? [[tag, units[i]!] as const] : [])));
        this.unitColumns = this.checkUnitsRow(l, units, line);
        return;
      }
    }
    if (!this.sawData && fields.length === l.width) {
      this.sawData = true;
      // A column named Quality is read as words (Good, Questionable); a number or nothing on its first row refuses the file as ambiguous.
      if (l.format === 'long' && l.statusCode === 'words' && (fields[l.status]!.trim() === '' || isDecimal(fields[l.status]!))) {
        throw new CsvFileError(this.opts.file, this.header!.line, qualityColumnRefusal(l.names, l.status));
      }
      // A column of dates beside one of times of day, whatever their names: one time per row.
      const halves = l.timeOfDay < 0 ? dateAndClock(fields, l.time, l.format === 'long' ? [l.tag, l.value, l.status, l.kind] : []) : undefined;
      if (halves) l = this.startLayout(this.header!.fields, this.header!.line, halves[0], halves[1]) as Layout;
    }
    this.summary.rows++;
    if (this.summary.timeFormat === undefined) this.describeFirstRow(fields, l);
    const bad = this.check.badLines.size > 0 ? firstBadLine(this.check.badLines, line, endLine) : undefined;
    const badCells = bad ? valueCellsOnly(fields, l) : undefined;
    if (bad && badCells === undefined) {
      // A long row is one sample: named by its bad field. In a wide file, bytes not UTF-8 outside the
      // value cells (time, quality, an ignored column): nothing of the record is read safely, said so.
      const fieldIndex = fields.findIndex((f) => f.includes('\uFFFD'));
      const column = fieldIndex >= 0 ? l.names[fieldIndex] || `column ${fieldIndex + 1}` : undefined;
      const [field, where] = l.format === 'long' ? [column ?? 'record', ''] : ['record', column ? ` in ${JSON.stringify(column)}: the whole record is rejected` : ''];
      this.reject(bad.line, field, `${describeBadBytes(bad.bytes, this.check.readAs())}${where}`, fields.join(this.delimiterOf()), true);
    } else if (fields.length !== l.width) {
      const d = this.delimiterOf();
      this.reject(line, 'record', `${l.width} fields (${l.names.join(d)})`, `${fields.length} fields: ${fields.join(d)}`, true);
    } else {
      if (l.valueFrom.length > 1) {
        const source = valueSource(fields, l);
        fields[l.value] = fields[source.column]!;
        this.valueKind = source.kind;
      }
      if (this.decimalComma && this.mark.decided !== ',') this.seeMarks(fields, line, l);
      if (l.format === 'long') this.long(fields, line, l);
      else this.wide(fields, line, l, bad && badCells ? { cells: badCells, line: bad.line, bytes: bad.bytes } : undefined);
    }
  }

  /**
   * A wide file's units row against the archive: a column of a known tag is in one unit, the archive's
   * tag may have been in several (a unit change). A unit the tag never had refuses the file (its every
   * value would be misread); one it had at some times only is checked at each row's time (wide): the
   * archive's newest unit alone had refused rows of the old unit's time and taken new-unit values
   * into the old unit's time (170 kPa archived as 170 bar). Returns the columns to check by row.
   */
  private checkUnitsRow(l: Layout, units: readonly string[], line: number): ({ unit: string; spans: readonly UnitSpan[] } | undefined)[] {
    const byColumn: ({ unit: string; spans: readonly UnitSpan[] } | undefined)[] = [];
    l.tags.forEach((tag, i) => {
      const unit = units[i] ?? '';
      if (tag === '' || unit === '') return;
      const spans = this.opts.unitHistory?.(tag) ?? (this.opts.unitOf?.(tag) === undefined ? undefined : [{ validFrom: 0, unit: this.opts.unitOf(tag)! }]);
      if (spans === undefined || spans.every((s) => s.unit === '' || s.unit === unit)) return; // new, unitless, or always in this unit
      if (!spans.some((s) => s.unit === unit)) {
        const which = spans.length === 1 ? `${echoUnit(spans[0]!.unit)} (the unit of ${tag} in the archive)`
          : `one of the units of ${tag} in the archive (${describeUnits(spans)})`;
        throw new CsvFileError(this.opts.file, line, `units row, column "${tag}": expected ${which}; got ${echoUnit(unit)}`);
      }
      byColumn[i] = { unit, spans };
    });
    return byColumn;
  }

  /** The value cells of every row, before any time filter: the decimal mark is decided alike in every pass. */
  private seeMarks(fields: string[], line: number, l: Layout): void {
    let decided = false;
    if (l.format === 'long') {
      const tag = this.tagNamed(fields[l.tag]!);
      const kind = this.kinds.get(tag) ?? this.opts.kindOf(tag) ?? (l.kind >= 0 ? kindCell(fields[l.kind]) : undefined);
      decided = kind !== 'text' && this.mark.see(fields[l.value], line);
    } else {
      for (let i = 0; i < fields.length; i++) if (l.tags[i] !== '' && this.columnKinds[i] !== 'text' && this.mark.see(fields[i], line)) decided = true;
    }
    if (decided) this.mark.settle();
  }

  badRecord(line: number, _endLine: number, field: number, message: string, got: string): void {
    if (this.layout === undefined && this.header === undefined) throw new CsvFileError(this.opts.file, line, `header: expected ${message}`);
    this.summary.rows++;
    const name = this.layout?.names[field];
    this.reject(line, message.startsWith('a closing quote') || !name ? 'record' : name, message, got, true);
  }

  /** The column named by --time-column: a header name (any case) or a 1-based number. */
  private timeColumnIndex(header: string[], line: number): number {
    const want = (this.opts.timeColumn ?? '').trim();
    const byName = header.findIndex((n, i) => (i === 0 ? n.replace(/^\uFEFF/, '') : n).trim().toLowerCase() === want.toLowerCase());
    if (byName >= 0) return byName;
    const n = Number(want);
    if (Number.isInteger(n) && n >= 1 && n <= header.length) return n - 1;
    throw new CsvFileError(this.opts.file, line,
      `time column "${want}": expected a header name or a column number from 1 to ${header.length}; got header ${echo(header.join(this.delimiterOf()))}`);
  }

  private startLayout(header: string[], line: number, timeIndex: number | undefined, timeOfDay?: number): Layout | undefined {
    try {
      this.layout = readHeader(header, this.opts.format ?? 'auto', this.opts.tagPrefix, timeIndex, timeOfDay, this.delimiterOf());
    } catch (e) {
      if (e instanceof HeaderError) throw new CsvFileError(this.opts.file, line, e.message);
      throw e;
    }
    if (this.layout) {
      this.layout.tags = this.layout.tags.map((tag) => (tag === '' ? tag : this.tagNamed(tag)));
      const bad = this.layout.tags.findIndex((tag) => tag !== '' && !isTagName(tag));
      if (bad >= 0) throw new CsvFileError(this.opts.file, line, `header, column ${bad + 1}: expected ${TAG_NAME_EXPECTED}; got ${echo(this.layout.tags[bad]!)}`);
      this.columnKinds = this.layout.tags.map((tag) => (tag === '' ? undefined : this.opts.kindOf(tag)));
      this.zoneFromHeader(this.layout, line);
      this.decimalComma = this.delimiterOf() !== ',';
      Object.assign(this.summary, { format: this.layout.format, delimiter: this.delimiterOf(), decimalComma: this.decimalComma, timeField: this.layout.timeField, ignored: this.layout.ignored });
    }
    return this.layout;
  }

  /**
   * The zone the time column's name states (header-zone.ts), unless --tz gives one: an offset is
   * applied; a zone named otherwise (Local Time, MEZ) refuses the file asking for --tz. Read as
   * UTC, such times were archived an hour or more off.
   */
  private zoneFromHeader(l: Layout, line: number): void {
    if (this.opts.zone !== undefined) return;
    for (const i of [l.time, l.timeOfDay]) {
      const said = i < 0 ? undefined : headerZone(l.names[i]!);
      if (said === undefined) continue;
      if ('local' in said) {
        throw new CsvFileError(this.opts.file, line, `time column ${echo(l.names[i]!)}: its name says the times are local (${said.local}), ` +
          'not UTC; expected --tz giving their zone (an offset such as +01:00, or an IANA name such as Europe/Berlin for its DST changes), or --tz UTC');
      }
      const offsetMs = said.offsetMinutes * 60_000;
      this.time.zone = (local) => local - offsetMs;
      this.summary.zoneFromHeader = said.text;
    }
  }

  /**
   * A tag cell as the archive names it: trimmed, and in Unicode's composed form (NFC) unless the
   * archive knows the name as written. A decomposed "Température" or "Уровень й" (as macOS tools
   * write them) had made a second tag that looks the same as the first, and --tag found only one.
   */
  private tagNamed(cell: string): string {
    const raw = cell.trim();
    let name = this.names.get(raw);
    if (name === undefined) {
      const nfc = raw.normalize('NFC');
      name = nfc === raw || this.opts.kindOf(raw) !== undefined ? raw : nfc;
      if (this.names.size < 100_000) this.names.set(raw, name);
    }
    return name;
  }

  private noTimeColumn(firstCell: string | undefined): CsvFileError {
    const h = this.header ?? { fields: [], line: 1 };
    if (h.fields.length === 1 && /^\s*(#|\/\/)/.test(h.fields[0]!)) {
      return new CsvFileError(this.opts.file, h.line, `the first line is a comment, not a header; expected the header row first ` +
        `(time,tag,value[,status] or time,<tag>,...): remove the lines before it; got ${echo(h.fields[0]!)}`);
    }
    const spaced = h.fields.length === 1 && /\S\s+\S/.test(h.fields[0]!.trim()) && this.opts.delimiter === undefined;
    const cells = spaced ? h.fields[0]!.trim().split(/\s+/) : [];
    if (cells.every((c) => PLAIN_NUMBER.test(c)) && cells.length > 1) {
      // Numbers where the header should be: a simulation's or a MATLAB export's data (the Tennessee Eastman .dat files).
      return new CsvFileError(this.opts.file, h.line, `no header: line ${h.line} holds ${cells.length} numbers separated by spaces, a data row; ` +
        'expected a CSV file: a header row naming the columns, a time column among them (time,<tag1>,<tag2>,... or time,tag,value), ' +
        `a time on every row and the columns separated by a comma, semicolon, tab or pipe; got ${echo(h.fields[0]!)}`);
    }
    if (spaced) {
      return new CsvFileError(this.opts.file, h.line, `no delimiter: the header line holds no comma, semicolon, tab or pipe, only spaces between its names; ` +
        `expected a CSV file (columns separated by one of those, e.g. time,tag,value); got header ${echo(h.fields[0]!)}`);
    }
    const seen = firstCell === undefined ? 'and no data row' : `and line ${h.line + 1} starts with ${echo(firstCell)}`;
    const d = this.delimiterOf();
    const header = h.fields.join(d);
    // Names that hold another candidate ("Druck, bar" in a semicolon file) may have misled the detection: say which was used.
    const other = this.opts.delimiter === undefined ? DELIMITERS.find((c) => c !== d && header.includes(c)) : undefined;
    const hint = other === undefined ? '' : `; the lines were split at each ${delimiterName(d)} (the delimiter detected): ` +
      `if the file's delimiter is the ${delimiterName(other)}, import it again with --delimiter ${delimiterName(other)}`;
    return new CsvFileError(this.opts.file, h.line,
      `no time column: expected a column named ${TIME_NAMES_TEXT}, or times in the first column (or --time-column <name>); got header ${echo(header)} ${seen}${hint}`);
  }

  private describeFirstRow(fields: string[], l: Layout): void {
    if (fields.length !== l.width) return;
    const text = timeText(fields, l);
    const n = Number(text.trim());
    const unit = this.time.epoch === 'guess' ? (Math.abs(n) < EPOCH_SECONDS_BELOW ? 's' : 'ms') : this.time.epoch;
    this.summary.timeFormat = describeTimeFormat(text, unit);
  }

  /** `beforeFilter`: a rejection of the record as a whole or of its time (a window pass leaves those to the pass that reports them). */
  private reject(line: number, field: string, expected: string, got: string, beforeFilter = false): void {
    if (beforeFilter && this.opts.windowPass) return;
    this.rejections.push({ file: this.opts.file, line, field, expected, got });
  }

  /**
   * `filter` false: the caller applies opts.timeFilter itself (after checks every pass must make alike).
   * `resolved`: a held row's time, as the file's order said it (settleRepeatedHour); `bad`: a wide row's cells not UTF-8, kept with it.
   */
  private parseTimeOf(fields: string[], line: number, l: Layout, filter = true, resolved?: number, bad?: BadCells): number | undefined {
    const text = timeText(fields, l);
    let t: number;
    if (resolved !== undefined) t = resolved;
    else {
      this.twice = undefined;
      this.readUtc = false;
      const parsed = parseTime(text, this.time);
      if (typeof parsed === 'string') {
        if (parsed === NO_OFFSET_EXPECTED && this.opts.zoneMissing !== undefined) {
          throw new CsvFileError(this.opts.file, line, `${l.timeField} ${echo(text.trim())}: a time without an offset (Z or +hh:mm): ${this.opts.zoneMissing}`);
        }
        this.reject(line, l.timeField, parsed, text, true);
        // A date only the other order reads: every date of the file read so is suspect (import.ts refuses a file it holds whole).
        const shown = this.time.dateOrder === undefined ? undefined : dateOrderShown(text);
        if (shown !== undefined && shown !== this.time.dateOrder) this.summary.dateOrderShown ??= { line, text: text.trim(), order: shown };
        return undefined;
      }
      t = parsed;
    }
    const twice = resolved === undefined ? this.twice : undefined;
    if (this.opts.notAfter !== undefined && (twice?.first ?? t) > this.opts.notAfter) {
      this.reject(line, l.timeField, futureExpected(this.opts.notAfter), text, true);
      return undefined;
    }
    if (resolved === undefined) {
      this.summary.finerLines.note(line, finerThanMs(text, this.time));
      if (this.order) {
        const file = (this.order.file ??= new SeriesOrder(l.format === 'wide'));
        const tag = l.format === 'long' ? this.tagOrder(this.tagNamed(fields[l.tag]!)) : undefined;
        if (twice) { // the repeated hour: read once the whole file has said its order
          const mask = { fits: 3 as Fits };
          this.heldRows.push({
            fields, line, layout: l, quoted: this.quoted, bad, text, ...twice, mask,
            file: file.held(twice.first, twice.second, mask), tag: tag && { order: tag, slot: tag.held(twice.first, twice.second, mask) },
          });
          return undefined;
        }
        file.fixed(t);
        tag?.fixed(t);
      } else if (this.readUtc && this.repeat) {
        const tag = l.format === 'long' ? this.tagNamed(fields[l.tag]!) : undefined;
        this.repeat.see(tag ?? '', tag, t, line);
        this.summary.repeatedHour ??= this.repeat.found;
      }
    }
    if (t < this.summary.first) this.summary.first = t;
    if (t > this.summary.last) this.summary.last = t;
    if (filter && this.opts.timeFilter && !this.opts.timeFilter(t)) return undefined;
    return t;
  }

  /** A long file's tag's times so far (repeated-hour.ts). */
  private tagOrder(tag: string): SeriesOrder {
    const tags = this.order!.tags;
    let o = tags.get(tag);
    if (o === undefined) tags.set(tag, (o = new SeriesOrder(true)));
    return o;
  }

  /**
   * The end of the file (or of what was read): each held row of a repeated hour is read at the
   * instant the file's order says, or rejected where it says none (rows out of order, or not
   * enough of them around it): never a guess, an hour off. A long file says it by all its rows
   * when they are in time order (with each tag's, which are then in order too), else by each tag's
   * when every tag's are (blocks per tag, each forward or newest first).
   */
  private settleRepeatedHour(): void {
    const order = this.order;
    const rows = this.heldRows;
    if (order === undefined || rows.length === 0) return;
    this.heldRows = [];
    const tags = [...order.tags.values()];
    order.file?.settle();
    for (const o of tags) o.settle();
    const byFile = order.file?.ordered ?? false;
    const byTags = !byFile && rows[0]!.layout.format === 'long' && tags.every((o) => o.ordered);
    // The series that speak; what one says of a row narrows what the others can (a tag's second 01:00 pins the rows beside it).
    const speak = new Set(byFile ? [order.file!, ...tags.filter((o) => o.ordered)] : byTags ? tags : []);
    let agree = speak.size > 0;
    for (let changed = agree; changed && agree;) {
      changed = false;
      for (const row of rows) {
        const fits = (row.mask.fits & (byFile ? row.file.fits : 3) & (row.tag && speak.has(row.tag.order) ? row.tag.slot.fits : 3)) as Fits;
        if (fits !== row.mask.fits) [row.mask.fits, changed] = [fits, true];
      }
      if (!changed) break;
      for (const o of speak) {
        o.settle();
        agree &&= o.ordered; // the series contradict each other: the file's order is not what it seemed
      }
    }
    for (const row of rows) {
      const fits = agree ? row.mask.fits : 0;
      if (fits === 1 || fits === 2) {
        const t = fits === 1 ? row.first : row.second;
        this.quoted = row.quoted;
        if (row.layout.format === 'long') this.long(row.fields, row.line, row.layout, t);
        else this.wide(row.fields, row.line, row.layout, row.bad, t);
        continue;
      }
      this.reject(row.line, row.layout.timeField, repeatedHourExpected(row, this.opts.zone?.zoneName ?? 'the zone given', agree), row.text, true);
    }
  }

  private rowsOf(tag: string): TagRows {
    let rows = this.out.get(tag);
    if (rows === undefined) this.out.set(tag, (rows = { samples: [], lines: [] }));
    return rows;
  }

  /** `given`: the row's kind cell (checked by givenKind): a new tag's kind, as --new-tags forces one, ahead of it. */
  private kindOf(tag: string, text: string, given?: TagKind): TagKind | undefined {
    let kind = this.kinds.get(tag) ?? this.opts.kindOf(tag);
    if (kind === undefined) {
      // The kind cell, else the trend export's pen (its raw rows have no kind column), else --new-tags.
      const wanted = given ?? this.trend?.kinds.get(tag) ?? this.opts.newTagKind ?? 'auto';
      if (wanted === 'auto') {
        const inferred = inferKind(text.trim(), this.decimalComma);
        if (inferred === undefined) return undefined; // a word: held until a value says the kind (hold)
        this.rejectWords(tag, inferred);
        kind = inferred;
      } else kind = wanted;
    }
    this.kinds.set(tag, kind);
    return kind;
  }

  /** `resolved`: the time of a row held for the repeated hour, as the file's order says it. */
  private long(fields: string[], line: number, l: Layout, resolved?: number): void {
    const t = this.parseTimeOf(fields, line, l, false, resolved);
    if (t === undefined) return;
    const tag = this.tagNamed(fields[l.tag]!);
    if (tag !== '' && !isTagName(tag)) return this.reject(line, l.names[l.tag], TAG_NAME_EXPECTED, fields[l.tag], true);
    // The kind cell is checked before the time filter: every pass over the file (windows of time) sees the same first row per tag.
    const given = l.kind >= 0 && tag !== '' ? this.givenKind(tag, fields[l.kind], line, l) : this.valueKind;
    if (given === null) return;
    if (this.opts.timeFilter && !this.opts.timeFilter(t)) return;
    if (tag === '') return this.reject(line, l.names[l.tag], 'a tag name', fields[l.tag]);
    // An export's NoData row (its --bounds where nothing was archived) is no value: archived, it stood Bad over the real one.
    if (l.flags >= 0 && /(^|\|)\s*NoData\s*($|\|)/.test(fields[l.flags]!)) {
      this.summary.noData++;
      return;
    }
    // A PI system state instead of a value (pi-states.ts): a Bad sample without one, or none. Not in a file with a
    // kind column (Vigil's export): a text tag's "Shutdown" there is what the tag said.
    // So is a PI API istat of the SYSTEM set in a status column of OPC UA codes, which are never negative (-254 Shutdown).
    const istat = l.status >= 0 && l.statusCode === 'ua' ? piStatusNumber(fields[l.status]!) : undefined;
    const state = (l.kind < 0 ? piSystemState(fields[l.value]!) : undefined) ?? istat;
    if (state === NO_DATA) {
      this.summary.noData++;
      return;
    }
    let status = 0;
    if (l.status >= 0 && istat === undefined) {
      const cell = fields[l.status]!;
      const s = l.statusCode === 'da' ? parseQuality(cell) : l.statusCode === 'words' && isDecimal(cell) ? undefined
        : l.statusCode === 'ignition' ? ignitionQualityNumber(cell) ?? parseStatus(cell) : parseStatus(cell);
      if (s === undefined) {
        const expected = l.statusCode === 'da' ? QUALITY_EXPECTED : l.statusCode === 'words' ? wordsColumnExpected(cell, STATUS_EXPECTED)
          : l.statusCode === 'ignition' ? IGNITION_EXPECTED : statusExpected(cell);
        return this.reject(line, l.names[l.status], expected, cell);
      }
      status = archivedStatusOf(s); // an export's 0x00000400 is the archived Good: a read added the InfoType
    }
    for (const { column, flag } of l.qualityFlags) {
      const on = flagCell(fields[column]!);
      if (on === undefined) return this.reject(line, l.names[column], FLAG_EXPECTED, fields[column]!);
      status = withFlag(status, flag, on);
    }
    // A flags column: Vigil's export's (the flags the archive keeps with a point: Cyclic, Backfilled), or PI's value
    // flags (Questionable, Substituted: quality-flags.ts), which make the status worse. Ignored, a PI export's
    // questionable values were archived Good; a flag no one defines is a rejected line, not a Good value.
    const flags = l.flags >= 0 ? archivedFlagsOf(fields[l.flags]!) : undefined;
    if (l.flags >= 0 && flags === undefined) {
      const said = piFlagsStatus(fields[l.flags]!);
      if (said === undefined) return this.reject(line, l.names[l.flags], PI_FLAGS_EXPECTED, fields[l.flags]!);
      status = worseStatus(status, said);
    }
    if (state !== undefined) status = state;
    const valueCell = state === undefined ? fields[l.value] : '';
    const kind = this.kindOf(tag, valueCell, given);
    // A text tag's quoted "" is the empty text, as an export writes a Good one; an unquoted empty cell stays no value.
    const emptyText = kind === 'text' && state === undefined && valueCell === '' && this.quoted !== undefined && this.quoted.includes(l.value);
    // #N/A, NaN, null...: the empty value they stand for (a Bad one is held, or archived, as an empty Bad value is).
    const empty = !emptyText && isNoValue(valueCell.trim(), kind);
    const raw = empty ? '' : valueCell;
    const text = empty || state !== undefined ? '' : this.textCell(fields, l.value);
    // A word, or an empty Bad value, before any value says the tag's kind: held until one does (hold).
    // The row's unit: checked against the archive's tag here; a tag new to it takes each row's (unit-history.ts).
    const unit = l.unit >= 0 ? this.unitOf(tag, t, fields[l.unit]!, line, l.names[l.unit]!) : undefined;
    if (unit === null) return;
    if (kind === undefined && (!empty || isBad(status))) return this.hold(tag, -1, l.names[l.value], t, raw, text, status, line, flags, unit);
    const value = emptyText ? '' : parseValue(kind === 'text' ? text : raw, kind, status, this.decimalComma);
    if (typeof value === 'object') return this.reject(line, l.names[l.value], value.expected, valueCell);
    if (typeof value === 'number' && this.decimalComma && this.mark.waits(raw.trim())) {
      return this.mark.hold(tag, l.names[l.value], raw, withUnit(withFlags({ t, value, status }, flags), unit), line);
    }
    const rows = this.rowsOf(tag);
    rows.samples.push(withUnit(withFlags({ t, value, status }, flags), unit));
    rows.lines.push(line);
    this.pending++;
  }

  /**
   * A long file's unit cell. For a tag the archive knows, it must be the archive's unit in force at the
   * row's time `t` (an export across a unit change reads back; 150 kPa is not 150 bar): else the line is
   * rejected, null. For a tag new to the archive (or created by this import: import.ts asks the archive
   * nothing of it) the row's unit is returned, to go with its sample: the import gives the tag the units
   * its rows state, over time (unit-history.ts). An empty cell says nothing (undefined). The first unit
   * of each tag is noted in the summary.
   */
  private unitOf(tag: string, t: number, cell: string, line: number, field: string): string | null | undefined {
    const units = (this.summary.units ??= new Map());
    this.summary.unitField = field;
    const unit = cell.trim();
    if (unit === '') return undefined;
    // Read without an archive (no unitOf): the file's first unit of each tag is expected of its other rows.
    const archived = this.opts.unitOf === undefined ? '' : this.opts.unitOf(tag, t);
    if (archived === undefined || archived === '') {
      // New to the archive: each row's unit goes with it. Known without a unit: the file's first unit is the one expected.
      const first = archived === '' ? units.get(tag) : undefined;
      if (first !== undefined && first !== unit) {
        this.reject(line, field, `${echoUnit(first)} (the unit of ${tag} on line ${this.unitLines.get(tag) ?? '?'})`, cell);
        return null;
      }
    } else if (unit !== archived) {
      // Not the tag's unit today: say at which time it was the unit.
      const where = archived === this.opts.unitOf?.(tag) ? 'in the archive' : `at ${formatTime(t)} in the archive`;
      this.reject(line, field, `${echoUnit(archived)} (the unit of ${tag} ${where})`, cell);
      return null;
    }
    if (!units.has(tag)) {
      units.set(tag, unit);
      this.unitLines.set(tag, line);
    }
    return archived === undefined ? unit : undefined;
  }

  /**
   * The row's kind cell: the kind, or null when rejected (no kind, or another than the tag's
   * earlier rows in the file said, or than the archive's). A rejection of the record as a whole:
   * reported by the first pass over the file, not again by the passes over its windows of time.
   */
  private givenKind(tag: string, cell: string, line: number, l: Layout): TagKind | null {
    const field = l.names[l.kind];
    const kind = kindCell(cell);
    if (kind === undefined) return this.reject(line, field, KIND_EXPECTED, cell, true), null;
    let first = this.said.get(tag);
    if (first === undefined) {
      const archived = this.opts.kindOf(tag);
      first = archived !== undefined ? { kind: archived, where: 'in the archive' } : { kind, where: `on line ${line}` };
      this.said.set(tag, first);
    }
    if (first.kind === kind) return kind;
    return this.reject(line, field, `${first.kind} (the kind of ${tag} ${first.where})`, cell, true), null;
  }

  /**
   * A word (not a number, not true/false) of a tag unknown to the archive, kinds inferred: held
   * until the tag's values say its kind. A number or true/false makes the tag analog or discrete
   * and its words are rejected (a "Pt Created" or "I/O Timeout" in a numeric column must not make
   * it text); WORDS_MAKE_TEXT words, or the end of the file, make it a text tag of those words.
   */
  private hold(tag: string, column: number, field: string, t: number, raw: string, text: string, status: number, line: number, flags?: number, unit?: string): void {
    if (looksNumeric(raw.trim())) return this.reject(line, field, numberExpected(this.decimalComma), raw);
    let held = this.words.get(tag);
    if (held === undefined) this.words.set(tag, (held = { column, field, words: 0, samples: [], lines: [] }));
    held.samples.push(withUnit(withFlags({ t, value: text, status }, flags), unit));
    held.lines.push(line);
    if (text !== '' || !isBad(status)) held.words++;
    if (held.words >= WORDS_MAKE_TEXT) this.makeText(tag);
  }

  /** A text value: unquoted, without the spaces around it (" RUNNING " must match a state alarm's RUNNING); quoted, exact. */
  private textCell(fields: string[], i: number): string {
    return this.quoted !== undefined && this.quoted.includes(i) ? fields[i] : fields[i].trim();
  }

  private makeText(tag: string): void {
    const held = this.words.get(tag)!;
    this.words.delete(tag);
    this.kinds.set(tag, 'text');
    if (held.column >= 0) this.columnKinds[held.column] = 'text';
    const rows = this.rowsOf(tag);
    for (let k = 0; k < held.samples.length; k++) {
      rows.samples.push(held.samples[k]);
      rows.lines.push(held.lines[k]);
    }
    this.pending += held.samples.length;
  }

  /** A value said the tag is analog or discrete: the words it held are rejected, as any word of its kind would be. */
  private rejectWords(tag: string, kind: 'analog' | 'discrete'): void {
    const held = this.words.get(tag);
    if (held === undefined) return;
    this.words.delete(tag);
    const expected = expectedOf(kind, this.decimalComma);
    for (let k = 0; k < held.samples.length; k++) {
      const { value, status } = held.samples[k]!;
      if (value === '' && isBad(status)) { // an empty Bad value: a Bad sample of the kind now known, as parseValue makes it
        const rows = this.rowsOf(tag);
        rows.samples.push({ ...held.samples[k]!, value: parseValue('', kind, status, this.decimalComma) as number | boolean });
        rows.lines.push(held.lines[k]!);
        this.pending++;
      } else this.reject(held.lines[k]!, held.field, expected, value as string);
    }
  }

  /** The hot loop of big files: one Sample per cell, no other allocation. */
  /** `bad`: value cells with bytes not UTF-8 (a Windows-1252 "läuft"): each rejected alone, the row's other cells read. */
  private wide(fields: string[], line: number, l: Layout, bad?: BadCells, resolved?: number): void {
    const t = this.parseTimeOf(fields, line, l, true, resolved, bad);
    if (t === undefined) return;
    for (let i = 0; i < fields.length; i++) {
      const tag = l.tags[i];
      if (tag === '') continue;
      if (bad?.cells.has(i)) {
        this.reject(bad.line, l.names[i]!, describeBadBytes(bad.bytes, this.check.readAs()), fields[i]!);
        continue;
      }
      let raw = fields[i];
      let kind = this.columnKinds[i];
      let text = raw.trim();
      let status = 0;
      const q = l.qualityOf[i]!;
      if (q >= 0) {
        const s = parseQuality(fields[q]!);
        if (s === undefined) {
          this.reject(line, l.names[q]!, QUALITY_EXPECTED, fields[q]!);
          continue;
        }
        status = archivedStatusOf(s);
      }
      const state = piSystemState(text); // a PI system state instead of a value (pi-states.ts)
      if (state === NO_DATA) {
        this.summary.noData++;
        continue;
      }
      if (state !== undefined) [status, raw, text] = [state, '', ''];
      let noValue = state !== undefined;
      // A text tag keeps "NA" as written; an empty cell is no sample, unless its quality is Bad (a Bad sample, as in a long file).
      if (isNoValue(text, kind)) {
        if (!isBad(status)) {
          this.summary.missing++;
          continue;
        }
        [raw, text, noValue] = ['', '', true]; // #N/A, NaN...: an empty Bad value, never the word
      }
      // A value in the column's unit (its units row) at a time the archive's tag was in another: rejected, not misread.
      const stated = this.unitColumns[i];
      if (stated !== undefined && !noValue) {
        const then = unitAt(stated.spans, t);
        if (then !== '' && then !== stated.unit) {
          this.reject(line, l.names[i]!, `a value in ${echoUnit(then)} (the unit of ${tag} at ${formatTime(t)} in the archive); ` +
            `this column is in ${echoUnit(stated.unit)}, as its units row on line ${this.summary.unitsLine} says`, fields[i]!);
          continue;
        }
      }
      if (kind === undefined) {
        kind = this.columnKinds[i] = this.kindOf(tag, text);
        if (kind === undefined) {
          // A PI state's cell holds no value: held empty and Bad, it says nothing of the kind (never a text tag of "Shutdown").
          this.hold(tag, i, l.names[i], t, raw, noValue ? '' : this.textCell(fields, i), status, line);
          continue;
        }
      }
      let value;
      if (kind === 'analog' && !isMissing(text)) {
        const n = numberCell(text, this.decimalComma);
        if (typeof n === 'object') {
          this.reject(line, l.names[i], n.expected, raw);
          continue;
        }
        if (this.decimalComma && this.mark.waits(text)) {
          this.mark.hold(tag, l.names[i], raw, { t, value: n, status }, line);
          continue;
        }
        value = n;
      } else {
        const v = parseValue(kind === 'text' && !noValue ? this.textCell(fields, i) : raw, kind, status, this.decimalComma);
        if (typeof v === 'object') {
          this.reject(line, l.names[i], v.expected, raw);
          continue;
        }
        value = v;
      }
      let rows = this.columns[i];
      if (rows === undefined) rows = this.columns[i] = this.rowsOf(tag);
      rows.samples.push({ t, value, status });
      rows.lines.push(line);
      this.pending++;
    }
  }
}

/**
 * What a row dated after the import's limit should have been. A row in the future became its tag's
 * newest archived point: every live sample after it took the late path and its compression stopped
 * (the station refuses device stamps ahead of arrival alike); whole hours ahead is local time read as UTC.
 */
function futureExpected(notAfter: number): string {
  return `a time no later than ${formatTime(notAfter)} (when the import started, plus ${FUTURE_TOLERANCE_MS / 60_000} min for clocks a little ahead): ` +
    'the archive takes no values from the future; a time whole hours ahead is likely local time read as UTC (--tz gives the zone)';
}

/** A sample with the archived flags its row gave (a file without Vigil's flags column gives none: it says nothing of them). */
function withFlags(sample: Sample, flags: number | undefined): Sample {
  if (flags !== undefined) (sample as ArchivedSample).flags = flags;
  return sample;
}

/** A wide row's value cells with bytes not UTF-8 (each rejected alone). */
type BadCells = { cells: ReadonlySet<number>; line: number; bytes: BadBytes };

/** A row whose time is a wall time of a repeated hour, held until the file has said its order. */
interface HeldRow {
  fields: string[];
  line: number;
  layout: Layout;
  quoted: readonly number[] | undefined;
  bad: BadCells | undefined;
  text: string;
  first: number;
  second: number;
  local: number;
  /** The candidates every series that speaks leaves (repeated-hour.ts). */
  mask: { fits: Fits };
  file: Slot;
  tag: { order: SeriesOrder; slot: Slot } | undefined;
}

/** Why a wall time of the repeated hour is refused: its two instants, and what would say which. */
function repeatedHourExpected(row: HeldRow, zone: string, inOrder: boolean): string {
  const iso = new Date(row.local).toISOString();
  const wall = `${iso.slice(0, 10)} ${iso.slice(11, row.local % 1000 === 0 ? 19 : 23)}`;
  const at = (t: number) => `${formatTime(t, (row.local - t) / 60_000)} (${formatTime(t)})`;
  const why = inOrder ? 'the rows around it do not say which (both fit the order of the file)' : 'the file\'s rows are not in time order (or give this time more than twice), so their order cannot say which';
  return `a time that says which of its two instants it is: ${wall} came twice in ${zone}, as the clocks went back, ` +
    `first at ${at(row.first)}, then at ${at(row.second)}; ${why}; give the times with their UTC offset (or in UTC), ` +
    'or sort the file by time as the rows were taken (both passes of the hour in order)';
}

/** A unit as a message quotes it. */
const echoUnit = (unit: string): string => JSON.stringify(unit);

/** A time cell in a column without a time name: ISO-like text, or an epoch after 1973 (not a counter or a reading). */
function looksLikeTime(cell: string, opts: TimeParseOptions): boolean {
  const t = parseTime(cell, { ...opts, epoch: 'guess', assumeUtc: true });
  if (typeof t !== 'number') return false;
  const text = cell.trim();
  return !/^-?\d+(\.\d+)?$/.test(text) || Math.abs(Number(text)) >= 1e8;
}

/**
 * In a wide file, the value cells holding U+FFFD (bytes not UTF-8) when only value cells do: each is
 * one tag's sample, rejected alone. Undefined when the time, a quality or an ignored column holds one,
 * when none is found (the record is rejected whole) and in a long file (its row is one sample).
 */
function valueCellsOnly(fields: readonly string[], l: Layout): Set<number> | undefined {
  if (l.format !== 'wide') return undefined;
  const cells = new Set<number>();
  for (let i = 0; i < fields.length; i++) {
    if (!fields[i]!.includes('\uFFFD')) continue;
    if (l.tags[i] === '' || i === l.time || i === l.timeOfDay) return undefined;
    cells.add(i);
  }
  return cells.size ? cells : undefined;
}

function firstBadLine(bad: Map<number, { byte: number; column: number }>, from: number, to: number) {
  for (let line = from; line <= to; line++) {
    const bytes = bad.get(line);
    if (bytes) return { line, bytes };
  }
  return undefined;
}
