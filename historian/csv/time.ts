/**
 * Time fields at the CSV edge; inside, ms since epoch UTC.
 *
 * Accepted: ISO 8601 with T or a space (2024-05-01T12:00:00.123+02:00), the
 * same with slashes (2024/05/01 12:00:00), European dates (01.05.2024 12:00:00), dates
 * nn/nn/YYYY when told which is the day (--date-order),
 * epoch seconds or milliseconds (integer or fractional). A time without an offset
 * is local to `zone` when one is given, else UTC (or refused: assumeUtc false).
 * Fractions below 1 ms are truncated, as the archive keeps ms.
 */
import type { LocalToUtc } from './zone.js';

const YMD =
  /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?$/i;
/**
 * Time of day after a day-first or month-first date: hh:mm[:ss[.fff]], or hh.mm.ss as some European exports
 * write it, with AM/PM as US spreadsheets and HMI exports write it (3/9/2020 1:14:33 PM).
 */
const CLOCK = String.raw`(?:\s+(\d{1,2})([:.])(\d{2})(?:\5(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*([AP])\.?M\.?)?)?$`;
const DMY = new RegExp(String.raw`^(\d{1,2})\.(\d{1,2})\.(\d{4})` + CLOCK, 'i');
/** PI's own time format (PI SMT, piconfig, PI DataLink by default): 05-Dec-26 17:45:17.123, English month names. */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_MON_YEAR = new RegExp(String.raw`^(\d{1,2})-(${MONTHS.join('|')})-(\d{2}|\d{4})` + CLOCK, 'i');
/** A two-digit year as POSIX strptime's %y reads it: 69..99 the 1900s, 00..68 the 2000s. */
const fullYear = (y: string): number => (y.length === 4 ? +y : +y >= 69 ? 1900 + +y : 2000 + +y);
const SLASHED = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})` + CLOCK, 'i');
const EPOCH = /^-?\d+(?:\.\d+)?$/;
/** Epoch values below this are seconds when the unit is guessed (1e11 s is year 5138, 1e11 ms is 1973). */
export const EPOCH_SECONDS_BELOW = 1e11;

/** Seconds or ms since 1970, or 'excel': an Excel serial date (days since 1899-12-30, a local wall time). */
export type EpochUnit = 's' | 'ms' | 'excel';

/** The archive keeps times within ±2^47 ms of 1970 (encoding/block.ts: delta-of-delta stays exact). */
export const TIME_LIMIT = 2 ** 47;
const RANGE_EXPECTED = "a time from -2490-03-17T21:14:04.672Z to 6429-10-17T02:45:55.328Z (the archive's range: ±2^47 ms around 1970)";

export interface TimeParseOptions {
  /** Accept times without an offset and read them as UTC (the default) when no zone is given. */
  assumeUtc?: boolean;
  /** Zone of times without an offset (from --tz). */
  zone?: LocalToUtc;
  /**
   * Unit of plain numbers. 's' or 'ms': as told. 'guess': by magnitude (< 1e11: seconds).
   * Undefined (the default, for command-line arguments): integer ms of 11+ digits only.
   */
  epoch?: EpochUnit | 'guess';
  /** Reads nn/nn/YYYY dates day first or month first; undefined refuses them (never guessed). */
  dateOrder?: 'dmy' | 'mdy';
  /**
   * Times beyond ±2^47 ms (TIME_LIMIT) are refused: the archive cannot hold them. True: any
   * time (the bounds of a query, where 9999-12-31 means "no end").
   */
  anyRange?: boolean;
  /**
   * A wall time in a repeated hour (the fall-back of daylight saving time, `zone.earlier`): which
   * of its two instants, `first` (earlier) or `second`; `local` is the wall time (ms as if UTC).
   * Default: the second.
   */
  ambiguous?: (first: number, second: number, local: number) => number;
  /** Called when a time without an offset is read as UTC (no zone): local times may hide there (records.ts). */
  readAsUtc?: () => void;
}

/** What a time without an offset is refused with when no zone is given and UTC is not assumed (--strict-time). */
export const NO_OFFSET_EXPECTED = 'a time with an offset (Z or +hh:mm), or --tz';

export const TIME_EXPECTED = 'ISO 8601 time (e.g. 2024-05-01T12:00:00.000Z), YYYY/MM/DD hh:mm:ss, DD.MM.YYYY hh:mm:ss or epoch seconds/milliseconds';

/** How a refusal of nn/nn/YYYY without --date-order ends. */
export const DATE_ORDER_EXPECTED = 'only with a date order (--date-order dmy|mdy)';

/**
 * The order an nn/nn/YYYY date can only be read in: day first when its first part is above 12
 * (13/01/2018), month first when its second is; undefined when both parts could be either.
 */
export function dateOrderShown(raw: string): 'dmy' | 'mdy' | undefined {
  const m = SLASHED.exec(raw.trim());
  if (!m) return undefined;
  const a = +m[1]!, b = +m[2]!;
  return a > 12 && b <= 12 ? 'dmy' : b > 12 && a <= 12 ? 'mdy' : undefined;
}

/** Parses a time field: ms since epoch, or a string saying what was expected. */
export function parseTime(raw: string, opts: TimeParseOptions = {}): number | string {
  const text = raw.trim();
  const c = text.charCodeAt(text.length > 4 ? 4 : 0);
  if (c === 45 || c === 47) { // '-' or '/' after four digits: YYYY-MM-DD or YYYY/MM/DD
    const m = YMD.exec(text);
    if (m) return inRange(civil(+m[1], +m[3], +m[4], m[5], m[6], m[7], m[8], m[9], opts), opts);
  }
  if (EPOCH.test(text)) return epoch(text, opts);
  const e = DMY.exec(text);
  if (e) return inRange(civil(+e[3], +e[2], +e[1], hour24(e[4], e[9]), e[6], e[7], e[8], undefined, opts), opts);
  const p = DAY_MON_YEAR.exec(text);
  if (p) return inRange(civil(fullYear(p[3]!), MONTHS.indexOf(p[2]!.toLowerCase()) + 1, +p[1]!, hour24(p[4], p[9]), p[6], p[7], p[8], undefined, opts), opts);
  if (opts.epoch === undefined) return 'ISO 8601 time (e.g. 2024-05-01T12:00:00.000Z) or epoch milliseconds';
  const f = SLASHED.exec(text);
  if (f === null) return TIME_EXPECTED;
  if (opts.dateOrder === undefined) return `${TIME_EXPECTED}; DD/MM/YYYY or MM/DD/YYYY ${DATE_ORDER_EXPECTED}`;
  const [day, month] = opts.dateOrder === 'dmy' ? [+f[1], +f[2]] : [+f[2], +f[1]];
  const t = inRange(civil(+f[3], month, day, hour24(f[4], f[9]), f[6], f[7], f[8], undefined, opts), opts);
  if (t !== 'a valid calendar date' || month <= 12) return t;
  // 5/13/2026 read day first: the date says it is written the other way round.
  const shown = dateOrderShown(text);
  if (shown === undefined || shown === opts.dateOrder) return t;
  const first = shown === 'mdy' ? 'month-first' : 'day-first';
  return `${t}, read ${opts.dateOrder === 'dmy' ? 'day' : 'month'} first as --date-order ${opts.dateOrder} says; ` +
    `this date reads as ${first} (${month} cannot be a month): use --date-order ${shown}`;
}

/**
 * Whether a time has digits below the millisecond (dropped: the archive keeps ms), in its
 * fraction of a second or an epoch's fraction only: the ".2026" of 01.03.2026 is no fraction.
 */
export function finerThanMs(raw: string, opts: TimeParseOptions): boolean {
  const text = raw.trim();
  if (!SUB_MS_HINT.test(text)) return false; // the usual row: no fraction of 4 digits, no fractional epoch
  if (EPOCH.test(text)) {
    if (opts.epoch === 'excel') return false; // a serial day's fraction: rounded to the ms, no digits of a second's fraction
    const seconds = opts.epoch === 's' || (opts.epoch !== 'ms' && Math.abs(Number(text)) < EPOCH_SECONDS_BELOW);
    return /[1-9]/.test(text.slice(text.indexOf('.') + 1 + (seconds ? 3 : 0)));
  }
  const frac = YMD.exec(text)?.[8] ?? DMY.exec(text)?.[8] ?? SLASHED.exec(text)?.[8] ?? DAY_MON_YEAR.exec(text)?.[8];
  return frac !== undefined && /[1-9]/.test(frac.slice(3));
}
/** Necessary for finerThanMs: a separator and four digits, or an epoch with a fraction. */
const SUB_MS_HINT = /[.,]\d{4}|^-?\d+\.\d/;

/** The hour on a 24-hour clock: 12 AM is 0, 1 PM is 13; an hour beyond 1..12 with AM/PM gives one civil() refuses. */
function hour24(h: string | undefined, half: string | undefined): string | undefined {
  if (h === undefined || half === undefined) return h;
  const n = +h;
  if (n < 1 || n > 12) return '99';
  return String((n % 12) + (half.toUpperCase() === 'P' ? 12 : 0));
}

/** t, or what was expected when the archive cannot hold it (a placeholder year 9999, an epoch in µs or ns read as ms). */
function inRange(t: number | string, opts: TimeParseOptions, epochText?: string, unsafe = RANGE_EXPECTED): number | string {
  if (typeof t === 'string') return t;
  if (opts.anyRange || Math.abs(t) <= TIME_LIMIT) return Number.isSafeInteger(t) ? t : unsafe;
  if (epochText !== undefined) {
    const digits = epochText.replace(/^-/, '').replace(/\..*$/, '').length;
    const unit = digits >= 18 ? 'nanoseconds' : digits >= 15 ? 'microseconds' : undefined;
    if (unit) {
      return `${RANGE_EXPECTED}; ${digits} digits: this looks like epoch ${unit}, and epoch times are read as seconds or milliseconds ` +
        `(--epoch s or ms; by default by magnitude): divide them by ${unit === 'microseconds' ? '1000' : '1000000'} first`;
    }
    return RANGE_EXPECTED;
  }
  return new Date(t).getUTCFullYear() === 9999 ? `${RANGE_EXPECTED}; 9999-12-31 is a placeholder for "no end", not a time` : RANGE_EXPECTED;
}

/** Guessed epoch seconds below this (1973-03-03) are taken for elapsed time: no plant archive starts in 1970. */
const ELAPSED_BELOW_S = 1e8;

function epoch(text: string, opts: TimeParseOptions): number | string {
  const unit = opts.epoch;
  const n = Number(text);
  if (unit === undefined) {
    if (text.includes('.') || text.replace('-', '').length < 11) return 'epoch milliseconds (13 digits; this looks like seconds)';
    return inRange(Number.isSafeInteger(n) || !Number.isFinite(n) ? n : Infinity, opts, text, 'epoch milliseconds within the safe integer range');
  }
  if (unit === 'excel') return excelSerial(n, opts);
  const seconds = unit === 's' || (unit === 'guess' && Math.abs(n) < EPOCH_SECONDS_BELOW);
  // Guessed, a small number is elapsed time (hours or seconds from a run's start), not a date in 1970.
  if (unit === 'guess' && seconds && n < ELAPSED_BELOW_S) {
    if (looksExcelSerial(text)) {
      return `an epoch time after 1973 (${text} looks like an Excel serial date, days since 1899-12-30: ` +
        `${formatTime(Math.round((n - EXCEL_DAY_1970) * 86_400_000)).slice(0, 19)}; --epoch excel reads it so, local to --tz or UTC)`;
    }
    return `an epoch time after 1973 (${text} s after 1970 looks like elapsed time, not a date; --epoch s reads it as seconds since 1970)`;
  }
  const t = Math.floor(seconds ? n * 1000 : n);
  // n * 1000 may land just below the intended ms (1.001 * 1000 = 1000.9999...): round when within float noise
  const ms = seconds && Math.abs(n * 1000 - Math.round(n * 1000)) < 1e-6 ? Math.round(n * 1000) : t;
  return inRange(ms, opts, text, 'epoch time within the safe integer range');
}

/** The Excel serial day of 1970-01-01 (days since 1899-12-30, Excel's 1900 date system as it counts from March 1900). */
const EXCEL_DAY_1970 = 25569;

/** A number with a fraction among the serial days of 1970..2064: an Excel date written as its number (a cell formatted General). */
const looksExcelSerial = (text: string): boolean => /^\d{5}\.\d+$/.test(text) && Number(text) >= EXCEL_DAY_1970 && Number(text) <= 60000;

/** An Excel serial date: a wall time (Excel keeps no zone), local to --tz as a written date is, rounded to the ms. */
function excelSerial(days: number, opts: TimeParseOptions): number | string {
  if (!(days >= 61)) return 'an Excel serial date after 1900-03-01 (days since 1899-12-30, e.g. 46361.7397)';
  return inRange(wallTime(Math.round((days - EXCEL_DAY_1970) * 86_400_000), opts), opts);
}

/** A local wall time (ms as if UTC) -> ms since 1970 UTC: through --tz when given, else UTC (or refused: --strict-time). */
function wallTime(local: number, opts: TimeParseOptions): number | string {
  if (opts.zone) {
    const gap = opts.zone.gap?.(local); // a wall time the clocks skipped: moving it would reorder the rows
    if (gap !== undefined) return gap;
    const second = opts.zone(local);
    const first = opts.ambiguous && opts.zone.earlier?.(local);
    return first === undefined || first === second ? second : opts.ambiguous!(first, second, local);
  }
  if (opts.assumeUtc === false) return NO_OFFSET_EXPECTED;
  opts.readAsUtc?.();
  return local;
}

function civil(year: number, month: number, day: number, h = '0', mi = '0', s = '0', frac = '', zone: string | undefined, opts: TimeParseOptions): number | string {
  const hour = +h, minute = +mi, second = +s;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return 'a valid calendar date';
  if (hour > 23 || minute > 59 || second > 59) return 'a valid time of day (00:00:00 to 23:59:59)';
  const ms = frac === '' ? 0 : frac.length >= 3 ? +frac.slice(0, 3) : +frac.padEnd(3, '0');
  const local = daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
  if (zone === undefined) return wallTime(local, opts);
  const z = zone.toUpperCase();
  if (z === 'Z' || z === 'UTC' || z === 'GMT') return local;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const oh = +digits.slice(0, 2), om = +(digits.slice(2) || '0');
  if (oh > 23 || om > 59) return 'a valid UTC offset (±hh:mm)';
  return local - sign * (oh * 60 + om) * 60_000;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS[month - 1];
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/** Which of the accepted forms a time field has: named in the import summary. */
export function describeTimeFormat(raw: string, unit: EpochUnit | undefined): string {
  const text = raw.trim();
  if (EPOCH.test(text)) return unit === 'excel' ? 'Excel serial days' : unit === 's' ? 'epoch seconds' : 'epoch milliseconds';
  const m = YMD.exec(text);
  if (m) return `${m[2] === '/' ? 'YYYY/MM/DD' : 'ISO 8601'}${m[9] === undefined ? ' without offset' : ' with offset'}`;
  if (DMY.test(text)) return 'DD.MM.YYYY (without offset)';
  if (DAY_MON_YEAR.test(text)) return 'DD-Mon-YY (without offset)';
  if (SLASHED.test(text)) return 'DD/MM/YYYY or MM/DD/YYYY (without offset)';
  return 'unknown';
}

/** ISO 8601 with milliseconds and an explicit offset (minutes east of UTC; 0 gives Z). */
export function formatTime(t: number, offsetMinutes = 0): string {
  if (offsetMinutes === 0) return new Date(t).toISOString();
  const local = new Date(t + offsetMinutes * 60_000).toISOString().slice(0, -1);
  const abs = Math.abs(offsetMinutes);
  const sign = offsetMinutes < 0 ? '-' : '+';
  return `${local}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** Parses a UTC offset such as Z, +02:00, -0530; returns minutes east of UTC or undefined. */
export function parseOffset(text: string): number | undefined {
  if (/^z$/i.test(text)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return minutes > 23 * 60 + 59 ? undefined : (m[1] === '-' ? -minutes : minutes);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
