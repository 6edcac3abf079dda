/**
 * Time fields at the CSV edge: ISO 8601 (with an offset, or without one and
 * then read as UTC) or integer epoch milliseconds. Inside, ms since epoch UTC.
 */

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:\s*(Z|[+-]\d{2}(?::?\d{2})?))?$/i;
const EPOCH_MS = /^-?\d+$/;
/** Epoch ms with fewer digits than this are before 1973: almost surely seconds. */
const MIN_EPOCH_MS_DIGITS = 11;

export interface TimeParseOptions {
  /** Accept ISO times without an offset and read them as UTC (the default). */
  assumeUtc?: boolean;
}

/**
 * Parses a time field. Returns ms since epoch, or a string saying what was
 * expected (so a caller can report many bad lines without throwing).
 * Fractions below 1 ms are truncated, as the archive keeps ms.
 */
export function parseTime(raw: string, opts: TimeParseOptions = {}): number | string {
  const text = raw.trim();
  if (EPOCH_MS.test(text)) {
    const digits = text.replace('-', '').length;
    if (digits < MIN_EPOCH_MS_DIGITS) return 'epoch milliseconds (13 digits; this looks like seconds)';
    const t = Number(text);
    return Number.isSafeInteger(t) ? t : 'epoch milliseconds within the safe integer range';
  }
  const m = ISO.exec(text);
  if (!m) return 'ISO 8601 time (e.g. 2024-05-01T12:00:00.000Z) or epoch milliseconds';
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  if (zone === undefined && opts.assumeUtc === false) return 'ISO 8601 time with an offset (Z or +hh:mm)';
  const year = Number(y), month = Number(mo), day = Number(d);
  const hour = Number(h), minute = Number(mi), second = Number(s);
  const ms = frac === '' ? 0 : Number(frac.padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return 'a valid calendar date';
  if (hour > 23 || minute > 59 || second > 59) return 'a valid time of day (00:00:00 to 23:59:59)';
  let t = utc(year, month - 1, day) + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2)), om = Number(digits.slice(2) || '0');
    if (oh > 23 || om > 59) return 'a valid UTC offset (±hh:mm)';
    t -= sign * (oh * 60 + om) * 60_000;
  }
  return t;
}

/** Midnight UTC of a date; setUTCFullYear, unlike Date.UTC, keeps years 0-99 as given. */
function utc(year: number, monthIndex: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  return d.getTime();
}

function daysInMonth(year: number, month: number): number {
  return new Date(utc(year, month, 0)).getUTCDate();
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
