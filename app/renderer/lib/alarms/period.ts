/**
 * Periods for the journal and the KPI page: <input type="datetime-local">
 * values (the console's local time, no zone) to ms UTC and back, and the
 * usual report periods ending now.
 */
const pad = (n: number) => String(n).padStart(2, '0');

/** "2025-11-21T06:01:02" in the console's local time. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** ms UTC of a datetime-local value; null when empty or not a date. */
export function fromLocalInput(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const ms = new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0)).getTime();
  return Number.isNaN(ms) ? null : ms;
}

export const PERIODS = { shift: 8 * 3600_000, day: 24 * 3600_000, week: 7 * 24 * 3600_000, month: 30 * 24 * 3600_000 } as const;
export type PeriodName = keyof typeof PERIODS;
