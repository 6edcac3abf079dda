/**
 * Date and time as operators type them, the same in every language of the
 * console: year first ("2026-12-03 14:05:00", or 2026/12/03), or day first
 * with dots as Russian writes it ("03.12.2026 14:05"). Never the browser's
 * own date picker, whose order follows the browser's language, not the
 * console's (month first in an American browser). Values are the console's
 * local time, in the form <input type="datetime-local"> used:
 * "2026-12-03T14:05:00" (see alarms/period.ts).
 */
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Year, month (1-12), day, hour, minute, second. */
type Parts = [number, number, number, number, number, number];

const YEAR_FIRST = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const DAY_FIRST = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ ,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

function partsOf(text: string): Parts | null {
  const s = text.trim();
  let m = YEAR_FIRST.exec(s);
  if (m) return [+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
  m = DAY_FIRST.exec(s);
  if (m) return [+m[3]!, +m[2]!, +m[1]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
  return null;
}

/** What is wrong with typed text, precisely enough to say so (date-time-problem.ts words it). */
export type DateTimeProblem =
  | { kind: 'form' }
  /** 03/12/2026: 3 December to some readers, March 12 to others. */
  | { kind: 'ambiguous' }
  | { kind: 'month'; month: number }
  /** A day the month does not have (31.02.2026, or day 0): `days` is how many it has. */
  | { kind: 'day'; year: number; month: number; day: number; days: number }
  | { kind: 'hour'; hour: number }
  | { kind: 'minute'; minute: number }
  | { kind: 'second'; second: number };

const SLASHED = /^\d{1,2}\/\d{1,2}\/\d{4}(?:[ ,T]|$)/;

/** The value ("YYYY-MM-DDTHH:MM:SS") of typed text ('' when empty), or what is wrong with it. */
export function readDateTimeText(text: string): { value: string } | { problem: DateTimeProblem } {
  if (text.trim() === '') return { value: '' };
  const p = partsOf(text);
  if (!p) return { problem: SLASHED.test(text.trim()) ? { kind: 'ambiguous' } : { kind: 'form' } };
  const [y, mo, d, h, mi, s] = p;
  // A day the month does not have (31.02) or an hour past 23 is a typing error, not a roll into the next month.
  if (mo < 1 || mo > 12) return { problem: { kind: 'month', month: mo } };
  const days = new Date(y, mo, 0).getDate();
  if (d < 1 || d > days) return { problem: { kind: 'day', year: y, month: mo, day: d, days } };
  if (h > 23) return { problem: { kind: 'hour', hour: h } };
  if (mi > 59) return { problem: { kind: 'minute', minute: mi } };
  if (s > 59) return { problem: { kind: 'second', second: s } };
  return { value: `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}` };
}

/** The value ("YYYY-MM-DDTHH:MM:SS") of typed text; '' when empty, null when it is not a real date and time. */
export function parseDateTimeText(text: string): string | null {
  const read = readDateTimeText(text);
  return 'value' in read ? read.value : null;
}

/** How a value is shown for typing: "2026-12-03 14:05:00" (seconds always, so every field has one width). */
export function formatDateTimeText(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?/.exec(value);
  return m ? `${m[1]} ${m[2]}:${m[3] ?? '00'}` : '';
}

/** The field of "YYYY-MM-DD hh:mm:ss" at a caret position: 0 year … 5 second. */
export function fieldAt(caret: number): number {
  const ends = [4, 7, 10, 13, 16, 19];
  const i = ends.findIndex((e) => caret <= e);
  return i < 0 ? 5 : i;
}

/** The value with one field stepped by delta (ArrowUp / ArrowDown), carried as a calendar does. */
export function stepDateTime(value: string, field: number, delta: number): string {
  const p = partsOf(formatDateTimeText(value));
  if (!p) return value;
  p[field]! += delta;
  const d = new Date(p[0], p[1] - 1, p[2], p[3], p[4], p[5]);
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
