/**
 * Numbers, dates and durations the way the control room's language writes
 * them. Times always carry their UTC offset where they are read alone, so a
 * reading is never ambiguous across a daylight-saving change.
 */
import { intlTag, type Locale } from './locales.js';

export class Formats {
  private readonly numbers = new Map<number, Intl.NumberFormat>();
  private readonly engineeringFmts = new Map<number, Intl.NumberFormat>();
  private readonly tag: string;
  private readonly dateTimeFmt: Intl.DateTimeFormat;
  private readonly timeFmt: Intl.DateTimeFormat;
  private readonly dateFmt: Intl.DateTimeFormat;
  private readonly clockFmt: Intl.DateTimeFormat;
  private readonly listFmt: Intl.ListFormat;
  private readonly offsetFmt: Intl.DateTimeFormat;
  private readonly yearFirst: boolean;

  constructor(readonly locale: Locale, readonly timeZone?: string) {
    this.tag = intlTag[locale];
    const base = { timeZone, hourCycle: 'h23' } as const;
    this.dateTimeFmt = new Intl.DateTimeFormat(this.tag, { ...base, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    this.timeFmt = new Intl.DateTimeFormat(this.tag, { ...base, hour: '2-digit', minute: '2-digit', second: '2-digit' });
    this.dateFmt = new Intl.DateTimeFormat(this.tag, { ...base, year: 'numeric', month: '2-digit', day: '2-digit' });
    this.yearFirst = YEAR_FIRST.has(locale);
    this.clockFmt = new Intl.DateTimeFormat(this.tag, { ...base, hour: '2-digit', minute: '2-digit' });
    this.listFmt = new Intl.ListFormat(this.tag, { type: 'conjunction' });
    // Made once: a formatter costs far more to build than to use, and every value's title carries an offset.
    this.offsetFmt = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  }

  /** Items joined as the language joins a list ("A and B"; "А, Б и В"; "甲、乙和丙"). */
  list(items: readonly string[]): string {
    return this.listFmt.format(items);
  }

  /** A size of data: kilobytes, megabytes from 1 MB on, in the language's units ("2,5 МБ"). */
  bytes(n: number): string {
    const units = sizeUnits[this.locale];
    return n >= 1e6 ? `${this.number(n / 1e6, 1)}\u00a0${units.MB}` : `${this.number(n / 1e3, 0)}\u00a0${units.kB}`;
  }

  /** A value with a fixed number of decimals, grouped the locale's way ("1 234,5" in Russian). */
  number(value: number, decimals: number): string {
    if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '∞' : '−∞';
    let f = this.numbers.get(decimals);
    if (!f) this.numbers.set(decimals, (f = new Intl.NumberFormat(this.tag, { minimumFractionDigits: decimals, maximumFractionDigits: decimals })));
    return f.format(value);
  }

  /**
   * A value in engineering notation (exponent a multiple of 3) with at most `significant`
   * digits, the mantissa the locale's way ("1,234567E-9" in Russian): magnitudes whose grouped
   * digits would run too wide, or be all zeros at any usual number of decimals.
   */
  engineering(value: number, significant: number): string {
    if (!Number.isFinite(value)) return this.number(value, 0);
    let f = this.engineeringFmts.get(significant);
    if (!f) this.engineeringFmts.set(significant, (f = new Intl.NumberFormat(this.tag, { notation: 'engineering', maximumSignificantDigits: significant })));
    return f.format(value);
  }

  /**
   * A value written against a power of ten shared by a set of values, with fixed decimals:
   * "1.5E-9", "2.0E-9" (axis ticks read against one exponent line up and compare at a glance).
   */
  scaled(value: number, exponent: number, decimals: number): string {
    if (value === 0) return this.number(0, 0);
    return `${this.number(value / 10 ** exponent, decimals)}E${exponent}`;
  }

  /** An integer count ("12 345"). */
  count(value: number): string {
    return this.number(value, 0);
  }

  /** A value with its engineering unit; "%" sticks to the number as the locale writes it. */
  quantity(value: number, decimals: number, unit: string): string {
    const n = this.number(value, decimals);
    return unit ? `${n}\u202f${unit}` : n;
  }

  /** "2026-12-04 13:05:09" in English, "04.12.2026, 13:05:09" in Russian, "2026/12/04 13:05:09" in Chinese. */
  dateTime(ms: number): string {
    return this.yearFirst ? `${this.date(ms)} ${this.time(ms)}` : this.dateTimeFmt.format(ms);
  }

  time(ms: number): string {
    return this.timeFmt.format(ms);
  }

  /** "2026-12-04" in English (see YEAR_FIRST), "04.12.2026" in Russian, "2026/12/04" in Chinese. */
  date(ms: number): string {
    if (!this.yearFirst) return this.dateFmt.format(ms);
    const parts = this.dateFmt.formatToParts(ms);
    const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
    return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
  }

  /** A moment something began ("lost since …"): its time when that is today, else with its date (a loss from yesterday does not read as today's). */
  since(ms: number, now: number = Date.now()): string {
    return this.date(ms) === this.date(now) ? this.time(ms) : this.dateTime(ms);
  }

  /** Hours and minutes only ("14:05"): time axes of long spans. */
  clock(ms: number): string {
    return this.clockFmt.format(ms);
  }

  /** "+02:00" for the zone's offset at that instant. */
  offset(ms: number): string {
    const parts = this.offsetFmt.formatToParts(ms);
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    return name === 'GMT' ? '+00:00' : name.replace('GMT', '');
  }

  /** "1 h 05 min", "3 min 20 s", "45 s": how long, read at a glance. */
  duration(ms: number): string {
    const units = durationUnits[this.locale];
    const s = Math.max(0, Math.round(ms / 1000));
    const d = Math.floor(s / 86_400), h = Math.floor((s % 86_400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    const two = (n: number) => String(n).padStart(2, '0');
    const of = (n: number | string, unit: string) => durationPart(this.locale, n, unit);
    const both = (a: string, b: string) => durationJoin(this.locale, [a, b]);
    if (d > 0) return both(of(d, units.d), of(h, units.h));
    if (h > 0) return both(of(h, units.h), of(two(m), units.m));
    if (m > 0) return both(of(m, units.m), of(two(sec), units.s));
    return of(sec, units.s);
  }

  /**
   * "45 s", "3 min", "5 h", "2 d": the age of a held value beside it, in its largest whole unit
   * (the focus line gives the exact time). Short enough to stand in a half-width cell.
   */
  age(ms: number): string {
    const units = durationUnits[this.locale];
    const s = Math.max(0, Math.floor(ms / 1000));
    const of = (n: number, unit: string) => durationPart(this.locale, n, unit);
    if (s < 60) return of(s, units.s);
    if (s < 3600) return of(Math.floor(s / 60), units.minutes);
    if (s < 86_400) return of(Math.floor(s / 3600), units.h);
    return of(Math.floor(s / 86_400), units.d);
  }
}

/**
 * Languages whose dates are written year first, ISO 8601 (2026-12-04): English's own orders
 * disagree (04/12/2026 is 4 December in Britain and April 12 in America), and a multinational
 * control room reads English. The same form as the date fields take (date-time-text.ts), the
 * CSV and the logs. Russian (04.12.2026) and Chinese (2026/12/04) are unambiguous as they are.
 */
const YEAR_FIRST: ReadonlySet<Locale> = new Set<Locale>(['en']);

const sizeUnits: Record<Locale, { kB: string; MB: string }> = {
  en: { kB: 'kB', MB: 'MB' },
  ru: { kB: 'кБ', MB: 'МБ' },
  zh: { kB: 'KB', MB: 'MB' },
};

/**
 * `minutes`: after a count of minutes standing alone (an age). Chinese follows CLDR's units
 * (Intl.DurationFormat('zh', { style: 'narrow' }) writes "1小时20分钟", "3分钟5秒"): 分钟 for a span
 * of minutes (分 alone reads as a clock's minute), and no space between a number and its unit or
 * between the units.
 */
export const durationUnits: Record<Locale, { d: string; h: string; m: string; s: string; minutes: string }> = {
  en: { d: 'd', h: 'h', m: 'min', s: 's', minutes: 'min' },
  ru: { d: 'д', h: 'ч', m: 'мин', s: 'с', minutes: 'мин' },
  zh: { d: '天', h: '小时', m: '分钟', s: '秒', minutes: '分钟' },
};

/** Chinese writes a count and its unit, and the units of a span, without spaces (CLDR zh: "{0}小时", unit list "{0}{1}"). */
const UNSPACED: ReadonlySet<Locale> = new Set<Locale>(['zh']);

/** A count with its duration unit: "5\u00a0min", "5\u00a0мин", "5分钟". */
export function durationPart(locale: Locale, n: number | string, unit: string): string {
  return `${n}${UNSPACED.has(locale) ? '' : '\u00a0'}${unit}`;
}

/** The parts of one span joined: "1\u00a0h 05\u00a0min", "1小时05分钟". */
export function durationJoin(locale: Locale, parts: readonly string[]): string {
  return parts.join(UNSPACED.has(locale) ? '' : ' ');
}
