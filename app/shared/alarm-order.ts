/**
 * The order of alarms on the banner and the alarm summary (spec): priority
 * first, newest annunciation first within a priority. Shared so the station's
 * tests and every console sort the same way.
 */
import type { AlarmRow } from './api/alarms.js';

type Sortable = Pick<AlarmRow, 'id' | 'priority' | 'annunciatedAt'>;

export function compareAlarms(a: Sortable, b: Sortable): number {
  return a.priority - b.priority || (b.annunciatedAt ?? 0) - (a.annunciatedAt ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function bannerOrder<T extends Sortable>(rows: readonly T[]): T[] {
  return [...rows].sort(compareAlarms);
}
