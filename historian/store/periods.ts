/**
 * Volume periods: the archive is cut at UTC day, ISO week (Monday) or month
 * boundaries. A period is identified by its start (ms) and named by its date.
 */
export type VolumePeriod = 'day' | 'week' | 'month';

const DAY = 86_400_000;

/** Start (inclusive) and end (exclusive) of the period that contains t. */
export function periodOf(kind: VolumePeriod, t: number): { start: number; end: number } {
  const dayStart = Math.floor(t / DAY) * DAY;
  if (kind === 'day') return { start: dayStart, end: dayStart + DAY };
  if (kind === 'week') {
    const weekday = (new Date(dayStart).getUTCDay() + 6) % 7; // Monday = 0
    const start = dayStart - weekday * DAY;
    return { start, end: start + 7 * DAY };
  }
  const d = new Date(dayStart);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return { start, end };
}

/** File name of a volume: the period's kind and first day, e.g. `day-2024-03-01.sqlite`. */
export function volumeFileName(kind: VolumePeriod, start: number): string {
  return `${kind}-${new Date(start).toISOString().slice(0, 10)}.sqlite`;
}
