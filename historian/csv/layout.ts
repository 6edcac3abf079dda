/**
 * The header row: which format (long or wide), which column(s) hold the time,
 * and which tag each wide column feeds. Problems here refuse the whole file.
 */
import { pairQualityColumns } from './quality.js';
import { parseTime } from './time.js';
import { flagColumns, type FlagColumn } from './quality-flags.js';

export type CsvFormat = 'auto' | 'long' | 'wide';

export interface Layout {
  format: 'long' | 'wide';
  width: number;
  /** Header names as written (trimmed, unquoted). */
  names: string[];
  /** Column of the time, or of the date when `timeOfDay` >= 0 (then the two are joined). */
  time: number;
  timeOfDay: number;
  /** The name reported for the time field (e.g. "Date+Time"). */
  timeField: string;
  tag: number;
  value: number;
  /**
   * Long: columns each row's value is taken from, the first not empty (the row's cell is put in `value`'s place):
   * Ignition's tag history, whose rows hold a Float tag's value in floatvalue, an Integer's or Boolean's in
   * intvalue, a String's in stringvalue. Empty for a file with one value column.
   */
  valueFrom: number[];
  status: number; // -1 when absent
  /**
   * Long: what the status column holds: OPC UA statuses (status-text.ts), OPC DA quality bytes (quality.ts), or,
   * in a column named Quality, words (quality-words.ts: its first data row must show one, records.ts; a number
   * there refuses the file with qualityColumnRefusal), or Ignition's quality integers (ignition-quality.ts: its tag
   * history's dataintegrity column, or a Quality column beside Ignition's t_stamp time column).
   */
  statusCode: 'ua' | 'da' | 'words' | 'ignition';
  /** Long: the column of each row's tag kind (analog, discrete, text; an export writes it), -1 when absent. */
  kind: number;
  /** Long: the column of each row's unit (an export writes it), -1 when absent: the unit of a tag the import creates. */
  unit: number;
  /** Long: an export's flags column (Bounding, NoData, ...), -1 when absent. */
  flags: number;
  /** Long: a vendor's flag columns saying each row's quality (PI's IsGood, Questionable, Substituted; WinCC's Validity). */
  qualityFlags: FlagColumn[];
  /** Wide: the tag each column feeds ('' for the time, quality and ignored columns). */
  tags: string[];
  /** Wide: for each tag column, the column of its values' quality ("LI101 Quality", quality.ts), -1 none. */
  qualityOf: number[];
  /** Wide: columns without a name before the first or after the last named one (a pandas index, trailing delimiters), as "column N". */
  ignored: string[];
}

/**
 * Header names (lower case, without spaces, _ - / . and a trailing "(UTC)" or "[s]") that name a time column, best first:
 * English, then German, Russian and Chinese as control rooms there export them.
 */
const TIME_NAMES = ['time', 'timestamp', 'datetime', 'ts', 't', 'date', 'utc', 'timeutc', 'utctime', 'localtime',
  'timestring', 'tstamp', // WinCC data logs' TimeString, Ignition's t_stamp (epoch ms)
  'zeitstempel', 'datumzeit', 'datumuhrzeit', 'zeit',
  'меткавремени', 'датаивремя', 'датавремя', 'время',
  '时间戳', '时间'];

export const TIME_NAMES_TEXT = 'time, timestamp, datetime, date_time, Time Stamp, Date/Time, ts, date (+ time)';

/** Names of a date column and of a time-of-day column beside it (normalized): the two are joined. */
const DATE_NAMES = ['date', 'datum', 'fecha', 'дата', '日期'];
const CLOCK_NAMES = ['time', 'timeofday', 'uhrzeit', 'zeit', 'heure', 'hora', 'время', '时间'];

/** A date without a time of day: YYYY-MM-DD, YYYY/MM/DD, DD.MM.YYYY, nn/nn/YYYY. */
const DATE_ONLY = /^(?:\d{4}([-/])\d{1,2}\1\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}\/\d{1,2}\/\d{4})$/;
/** A time of day without a date: hh:mm[:ss[.fff]]. */
const CLOCK_ONLY = /^\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?$/;
export const isDateOnly = (cell: string | undefined): boolean => cell !== undefined && DATE_ONLY.test(cell.trim());
export const isClockOnly = (cell: string | undefined): boolean => cell !== undefined && CLOCK_ONLY.test(cell.trim());

/**
 * A date column and a time-of-day column beside it, by the first data row: [date, time of day]
 * columns to join, or undefined. `at` is the time column found (by name or position); its
 * neighbour after it, then before it, is the other half. `taken` columns (long format: tag,
 * value, status) are never a half.
 */
export function dateAndClock(fields: string[], at: number, taken: number[] = []): [number, number] | undefined {
  const free = (j: number) => j >= 0 && j < fields.length && !taken.includes(j);
  for (const j of [at + 1, at - 1]) {
    if (!free(j)) continue;
    if (isDateOnly(fields[at]) && isClockOnly(fields[j])) return [at, j];
    if (isClockOnly(fields[at]) && isDateOnly(fields[j])) return [j, at];
  }
  return undefined;
}

export class HeaderError extends Error {}

/** Names of a long file's unit column, normalized (an export writes "unit"). */
const UNIT_NAMES = ['unit', 'units', 'eu', 'uom', 'einheit', 'unité', 'unidad', 'единица', 'единицы', 'единицаизмерения', '单位'];

const normalize = (name: string): string => name.toLowerCase().replace(/\s*[([].*[)\]]\s*$/, '').replace(/[\s_\-/.]+/g, '');

/**
 * A column without a name: empty, or as pandas names one when it reads such a file and writes it
 * again ("Unnamed: 0", its index): at either end it is left out, not made a tag.
 */
const unnamed = (name: string): boolean => name === '' || /^Unnamed: \d+$/.test(name);

/**
 * Names (normalized) of the tag column in a long file: Vigil's own, the TagName historian exports write, WinCC data logs'
 * VarName, Ignition's tagpath; then German (Tag, Tagname, Messstelle), Russian (Тег, Имя тега, Параметр) and Chinese
 * (标签, 位号, 点名) exports'. German "Tag" is also the day: see `dayBesideClock`.
 */
const TAG_COLUMN_NAMES = ['tag', 'tagname', 'varname', 'tagpath', 'messstelle', 'тег', 'имятега', 'параметр', '标签', '位号', '点名'];
/** Names (normalized) of the value column in a long file: Vigil's own, WinCC data logs' VarValue; German, Russian, Chinese. */
const VALUE_COLUMN_NAMES = ['value', 'varvalue', 'wert', 'значение', '值', '数值'];
/** How a refusal names the value column it expected. */
const VALUE_NAMES_TEXT = 'value, Wert, Значение or 值';
/**
 * Ignition's tag history tables (sqlt_data_*: tagid, intvalue, floatvalue, stringvalue, datevalue, dataintegrity,
 * t_stamp, Ignition Database Table Reference), exported with the tag's path joined from sqlth_te: a row's value is
 * in the column of its tag's type, the others empty.
 */
const IGNITION_VALUE_NAMES = ['floatvalue', 'intvalue', 'stringvalue', 'datevalue'];
/** The kind of a new tag whose value an Ignition column holds (an integer or boolean one's is inferred from its values). */
const IGNITION_VALUE_KINDS: Record<string, 'analog' | 'text' | undefined> = { floatvalue: 'analog', intvalue: undefined, stringvalue: 'text', datevalue: 'text' };

/**
 * The column a long row's value is in: `value`'s, or the first of `valueFrom` that is not empty, with the
 * kind that column says (Ignition's floatvalue: analog).
 */
export function valueSource(fields: readonly string[], l: Layout): { column: number; kind: 'analog' | 'text' | undefined } {
  if (l.valueFrom.length < 2) return { column: l.value, kind: undefined };
  const column = l.valueFrom.find((i) => fields[i]!.trim() !== '') ?? l.value;
  return { column, kind: IGNITION_VALUE_KINDS[normalize(l.names[column]!)] };
}
/**
 * Names (normalized) of a column of OPC UA statuses, best first: Vigil's export writes status_code (hex) beside status (name);
 * Russian and Chinese "status". (Their words for quality, Qualität, Качество, 质量, are read as Quality is: QUALITY_OF_WORDS.)
 */
const STATUS_NAMES = ['statuscode', 'status', 'opcstatus', 'opcuastatus', 'статус', '状态'];
/** Names (normalized) of a column of OPC DA quality bytes (quality.ts): AVEVA (Wonderware) Historian's OPCQuality, Kepware's and Excel add-ins'. */
const DA_QUALITY_NAMES = ['opcquality', 'qualitycode', 'daquality'];
/**
 * AVEVA Historian's QualityDetail: its own code of its QualityMap table ("an internal representation
 * of data quality", AVEVA Historian docs), not the OPC DA byte its OPCQuality column holds (OPCQualityMap):
 * read as one, 44 (a good value) was Bad and 202 Good with a LIMIT HI mark. Beside OPCQuality it is left
 * unread; alone it refuses the file.
 */
const AVEVA_QUALITY_DETAIL = 'qualitydetail';
/**
 * Ignition's tag history column of quality integers (sqlt_data tables: "dataintegrity: Quality of the Tag for this
 * timestamp. 192 is Good Quality, anything else is bad", Ignition Database Table Reference), and its time column
 * (t_stamp, epoch ms): a Quality column beside it is Ignition's, its integers Ignition's codes (ignition-quality.ts).
 */
const IGNITION_QUALITY = 'dataintegrity';
const IGNITION_TIME = 'tstamp';
/**
 * Names of a quality column whose code is not known from its name: Wonderware's Quality holds 0
 * for Good, an OPC DA quality 0 for Bad. Read either way it could archive Bad values as Good.
 */
const QUALITY_WORDS = /^q$|quality|qualit|status|integrity|valid|questionable|substitut|isgood|isbad|reliab|confidence|качество|состояние|достоверн|质量|状态/;
/**
 * Of those, a column named Quality is read when it holds words (Good, Questionable: a PI export's quality), never numbers;
 * so is one named so in German, Russian or Chinese (a localized export's header: Qualität, Качество, 质量). The header's
 * language changes nothing of what its cells mean: the words read are the same, and a number refuses the file alike.
 */
const QUALITY_OF_WORDS = ['quality', 'qualität', 'qualitaet', 'качество', '质量'];

/**
 * The layout from the header (split at `delimiter`: its refusals join the names with it again, as written). Undefined:
 * no column has a time name, or a German "Tag" beside "Zeit" may be the day or the tag; the caller retries with
 * `timeIndex` (and `timeOfDayIndex`) once the first data row shows which columns hold times.
 */
export function readHeader(record: string[], format: CsvFormat, tagPrefix = '', timeIndex?: number, timeOfDayIndex = -1, delimiter = ','): Layout | undefined {
  const names = record.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f).trim());
  if (names.some((n) => n.includes('\uFFFD'))) throw new HeaderError('header has bytes that are not text in the file\'s encoding; expected a UTF-8 file, or its encoding named (windows-1251, koi8-r, gb18030, gbk, big5, shift_jis, utf-16le, ...)');
  // A first cell that is a time, or a plain number (an elapsed time, a counter): the file has no header.
  if ((typeof parseTime(names[0], { epoch: 'guess' }) === 'number' || /^-?\d+([.,]\d+)?$/.test(names[0])) && names.length > 1) {
    throw new HeaderError(`expected a header row (time,tag,value[,status] or time,<tag>,...); got data: ${record.join(delimiter)}`);
  }
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    const first = seen.get(n);
    if (n !== '' && first !== undefined) throw new HeaderError(`column ${i + 1}: name "${n}" appears twice in header (also column ${first + 1}); expected unique column names`);
    seen.set(n, i);
  });
  const norm = names.map(normalize);
  const lower = names.map((n) => n.toLowerCase());
  let time = timeIndex ?? -1;
  let timeOfDay = timeIndex === undefined ? -1 : timeOfDayIndex;
  if (timeIndex === undefined) {
    const date = norm.findIndex((n) => DATE_NAMES.includes(n));
    const clock = norm.findIndex((n) => CLOCK_NAMES.includes(n));
    if (date >= 0 && clock >= 0) [time, timeOfDay] = [date, clock];
    else for (const n of TIME_NAMES) if ((time = norm.indexOf(n)) >= 0) break;
  }
  // A tag column means long format even when another column is misspelled (time,tag,valeu): read as wide, its
  // columns would become junk tags. So do near misses of both tag and value (tiem,tagg,valu).
  const named = norm.findIndex((n) => TAG_COLUMN_NAMES.includes(n));
  const valueNamed = norm.findIndex((n) => VALUE_COLUMN_NAMES.includes(n));
  const valueFrom = valueNamed < 0 ? IGNITION_VALUE_NAMES.map((n) => norm.indexOf(n)).filter((i) => i >= 0) : [];
  const valueAt = valueNamed >= 0 ? valueNamed : valueFrom[0] ?? -1;
  if (named < 0 && valueFrom.length > 0 && norm.includes('tagid')) {
    const at = norm.indexOf('tagid');
    throw new HeaderError(`column ${at + 1} "${names[at]}": Ignition's tag ids name no tag; expected a tagpath column: export the ` +
      'tag history with sqlth_te\'s tagpath joined on tagid (SELECT te.tagpath, d.* FROM <sqlt_data table> d JOIN sqlth_te te ON te.id = d.tagid)');
  }
  // German "Tag" is also the day: beside "Zeit" and without a value column it may be a wide file's date half. The
  // header cannot tell: the first data row does (records.ts retries then with the columns its cells show as times).
  const day = format === 'auto' && valueAt < 0 ? dayBesideClock(norm, named) : undefined;
  if (day && timeIndex === undefined) {
    if (Math.max(day.day, day.clock) === 1) return undefined; // the retry reads columns 0 and 1
    throw new HeaderError(`column ${day.day + 1} "${names[day.day]}" beside "${names[day.clock]}": expected a value column (${VALUE_NAMES_TEXT}) ` +
      `for a long file (time, tag, value), or "${names[day.day]}" and "${names[day.clock]}" as the first two columns for a wide file's ` +
      `date and time of day (or --wide); got ${names.join(delimiter)}`);
  }
  // A column the data shows holding times (a German day) is no tag column.
  const tagAt = named >= 0 && timeIndex !== undefined && (named === time || named === timeOfDay) ? -1 : named;
  const longHeader = tagAt >= 0 || (lower.some((n) => nearly(n, 'tag')) && lower.some((n) => nearly(n, 'value')));
  const isLong = format === 'long' || (format === 'auto' && longHeader);
  if (isLong) {
    const tag = tagAt;
    const value = valueAt;
    const qualityFlags = flagColumns(norm).filter((f) => ![tagAt, value, ...valueFrom, time, timeOfDay].includes(f.column));
    const statusAt = statusColumn(names, norm, [tagAt, value, ...valueFrom, time, timeOfDay, ...qualityFlags.map((f) => f.column)], norm[time] === IGNITION_TIME);
    const status = statusAt?.column ?? -1;
    const kind = lower.indexOf('kind');
    const unit = norm.findIndex((n) => UNIT_NAMES.includes(n));
    if (time < 0 || tag < 0 || value < 0 || (timeOfDay >= 0 && [tag, value, status, kind].includes(timeOfDay))) {
      const why = value < 0 && tag >= 0 ? `: no value column (expected one named ${VALUE_NAMES_TEXT})` +
        (day ? `; column ${day.day + 1} "${names[day.day]}" is read as the tag column (it is read as the date of "${names[day.clock]}" where ` +
          `the first data row holds a date in it and a time of day in "${names[day.clock]}", or with --wide)` : '') : '';
      throw new HeaderError(`long format needs columns time, tag, value[, status]; got ${names.join(delimiter)}${why}`);
    }
    return { format: 'long', width: names.length, names, time, timeOfDay, timeField: timeField(names, time, timeOfDay), tag, value, valueFrom, status, statusCode: statusAt?.code ?? 'ua', kind, unit, flags: lower.indexOf('flags'), qualityFlags, tags: [], qualityOf: [], ignored: [] };
  }
  if (time < 0) return undefined;
  if (names.length < 2 + (timeOfDay >= 0 ? 1 : 0)) throw new HeaderError('wide format needs at least one tag column beside the time');
  const ignored: string[] = [];
  const firstNamed = names.findIndex((n) => !unnamed(n));
  const lastNamed = names.findLastIndex((n) => !unnamed(n));
  const tags = names.map((n, i) => {
    if (i === time || i === timeOfDay) return '';
    if (n === '' || (unnamed(n) && (i < firstNamed || i > lastNamed))) {
      if (i > firstNamed && i < lastNamed) throw new HeaderError(`column ${i + 1}: empty tag name in header`);
      ignored.push(`column ${i + 1}`);
      return '';
    }
    return tagPrefix ? `${tagPrefix}.${n}` : n;
  });
  if (ignored.length === names.length - (timeOfDay >= 0 ? 2 : 1)) throw new HeaderError('wide format needs at least one named tag column beside the time');
  const { qualityOf, isQuality } = pairQualityColumns(names, (i) => tags[i] !== '');
  const feeds = tags.map((tag, i) => (isQuality[i] ? '' : tag));
  return { format: 'wide', width: names.length, names, time, timeOfDay, timeField: timeField(names, time, timeOfDay), tag: -1, value: -1, valueFrom: [], status: -1, statusCode: 'ua', kind: -1, unit: -1, flags: -1, qualityFlags: [], tags: feeds, qualityOf, ignored };
}

/**
 * A German "Tag" (day) beside "Zeit" or "Uhrzeit": a wide file's date half or a long file's tag column, as
 * its cells say. Undefined when the tag column is none such.
 */
function dayBesideClock(norm: string[], tag: number): { day: number; clock: number } | undefined {
  if (tag < 0 || norm[tag] !== 'tag') return undefined;
  const clock = [tag - 1, tag + 1].find((j) => norm[j] === 'zeit' || norm[j] === 'uhrzeit');
  return clock === undefined ? undefined : { day: tag, clock };
}

/**
 * A long file's status column: by name, OPC UA statuses first (status_code, status), then OPC DA
 * qualities (QualityDetail, OPCQuality). A column of another name that speaks of quality or status
 * refuses the file, naming the names it reads: ignored, its Bad values would be archived Good.
 */
function statusColumn(names: string[], norm: string[], taken: number[], ignition: boolean): { column: number; code: Layout['statusCode'] } | undefined {
  for (const n of STATUS_NAMES) if (norm.includes(n)) return { column: norm.indexOf(n), code: 'ua' };
  for (const n of DA_QUALITY_NAMES) if (norm.includes(n)) return { column: norm.indexOf(n), code: 'da' };
  if (norm.includes(IGNITION_QUALITY)) return { column: norm.indexOf(IGNITION_QUALITY), code: 'ignition' };
  const detail = norm.indexOf(AVEVA_QUALITY_DETAIL);
  if (detail >= 0) {
    throw new HeaderError(`column ${detail + 1} "${names[detail]}": AVEVA Historian's QualityDetail is its own code (its QualityMap table), ` +
      'not an OPC DA quality byte (44 is a good value there, 202 no limit mark); expected its OPCQuality column beside it (the OPC DA ' +
      'quality: export it too), or a status column named status or OPCQuality; remove QualityDetail to archive every value as Good');
  }
  const words = norm.findIndex((n, i) => !taken.includes(i) && QUALITY_OF_WORDS.includes(n));
  if (words >= 0) return { column: words, code: ignition ? 'ignition' : 'words' };
  const other = norm.findIndex((n, i) => !taken.includes(i) && QUALITY_WORDS.test(n));
  if (other >= 0) throw new HeaderError(qualityColumnRefusal(names, other));
  return undefined;
}

/** The refusal of a quality column of another name, or of a Quality column of numbers (its first data row says: records.ts). */
export function qualityColumnRefusal(names: readonly string[], column: number): string {
  return `column ${column + 1} "${names[column]}": expected a status column named status (OPC UA names such as Good, ` +
    'BadSensorFailure, or codes such as 0x808C0000), OPCQuality (OPC DA quality bytes: 192 Good, 0 Bad), IsGood, Questionable, ' +
    'Substituted (PI: True/False) or Validity (WinCC: 1 valid, 0 invalid); rename it so, or remove it to archive every value as Good';
}

/** a is b with one letter added, dropped or changed, or two neighbours swapped. */
function nearly(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (a[i] === b[i]) i++;
  if (a.length > b.length) return a.slice(i + 1) === b.slice(i);
  if (a.length < b.length) return a.slice(i) === b.slice(i + 1);
  return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
}

function timeField(names: string[], time: number, timeOfDay: number): string {
  const name = names[time] || `column ${time + 1}`;
  return timeOfDay >= 0 ? `${name}+${names[timeOfDay]}` : name;
}

/** The time text of a record: the time cell, or date and time of day joined. */
export function timeText(record: string[], l: Layout): string {
  return l.timeOfDay >= 0 ? `${record[l.time].trim()} ${record[l.timeOfDay].trim()}` : record[l.time];
}
