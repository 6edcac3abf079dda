/**
 * Which alarm rows a list shows and in what order: the banner and the
 * summary's current list show B–E, the most important first (priority 1
 * before 2, newest annunciation first within a priority); shelved,
 * suppressed and out-of-service rows have lists of their own.
 */
import type { AlarmRow, AlarmState } from '../../../shared/api/alarms.js';
import { compareAlarms } from '../../../shared/alarm-order.js';

const CURRENT: ReadonlySet<AlarmState> = new Set(['B', 'C', 'D', 'E']);

export function isCurrent(row: AlarmRow): boolean {
  return CURRENT.has(row.state);
}

/** Priority first, then newest annunciation, then id: the station's own order (shared/alarm-order.ts). */
export const byImportance = compareAlarms;

export function currentRows(rows: Iterable<AlarmRow>): AlarmRow[] {
  return [...rows].filter(isCurrent).sort(byImportance);
}

/**
 * The banner's `shown` rows of the current ones (sorted most important first), in that order. The
 * alarms active and unacknowledged (state B: flashing, sounding the horn unless silenced) are all
 * among them when they fit, in place of the least important rows that call for nothing now:
 * acknowledged (C), returned unacknowledged (D, no horn) or latched (E); at 1280x720 three P1 rows
 * in D or E hid a new P3 alarm that sounded the horn, reachable by neither ↑ ↓ nor F10. When more are
 * in B than there are rows, the banner stays the most important ones (the spec's order; the rest are
 * behind "+N more") with at least the first of them, sounding before silenced, then by importance
 * (the horn's tone), in its last row if none is shown. A row acknowledged may give its place to one waiting.
 */
export function bannerRows(current: readonly AlarmRow[], shown: number): AlarmRow[] {
  const waiting = current.filter((r) => r.state === 'B').sort((a, b) => Number(b.audible) - Number(a.audible) || byImportance(a, b));
  const top = current.slice(0, shown);
  if (waiting.length > shown) return top.includes(waiting[0]!) ? top : [...top.slice(0, shown - 1), waiting[0]!];
  const kept = new Set(waiting);
  for (const r of current) {
    if (kept.size >= shown) break;
    kept.add(r);
  }
  return current.filter((r) => kept.has(r));
}

export const stateFilters = ['all', 'unacked', 'active', 'rtn', 'latched', 'suspect'] as const;
export type StateFilter = (typeof stateFilters)[number];

export interface SummaryFilter {
  /** Area id; null: every area. */
  area: string | null;
  /** Priorities shown; empty: all. */
  priorities: readonly number[];
  state: StateFilter;
}

export const NO_FILTER: SummaryFilter = { area: null, priorities: [], state: 'all' };

function stateMatches(row: AlarmRow, f: StateFilter): boolean {
  switch (f) {
    case 'all':
      return true;
    case 'unacked':
      return !row.flags.acked;
    case 'active':
      return row.flags.active;
    case 'rtn':
      return row.state === 'D';
    case 'latched':
      return row.state === 'E';
    case 'suspect':
      return row.suspect;
  }
}

export function matchesFilter(row: AlarmRow, f: SummaryFilter): boolean {
  return (f.area === null || row.area === f.area) && (f.priorities.length === 0 || f.priorities.includes(row.priority)) && stateMatches(row, f.state);
}

/** The rows of one of the summary's other lists, longest-waiting decisions first. */
export function listRows(rows: Iterable<AlarmRow>, state: 'F' | 'G' | 'H'): AlarmRow[] {
  const list = [...rows].filter((r) => r.state === state);
  if (state === 'F') {
    // Soonest expiry first; one-shot shelves (no expiry) after the timed ones.
    return list.sort((a, b) => (a.shelve?.until ?? Infinity) - (b.shelve?.until ?? Infinity) || byImportance(a, b));
  }
  return list.sort(byImportance);
}

/** The row after (+1) or before (-1) the selected one; the first row when nothing is selected. */
export function moveSelection(ids: readonly string[], selected: string | null, step: 1 | -1): string | null {
  if (ids.length === 0) return null;
  const at = selected === null ? -1 : ids.indexOf(selected);
  if (at < 0) return step === 1 ? ids[0] : ids[ids.length - 1];
  return ids[Math.min(ids.length - 1, Math.max(0, at + step))];
}

/** Out of the current lists but said beside the value: shelved or out of service (not suppressed by design). */
const SET_ASIDE: ReadonlySet<AlarmState> = new Set(['F', 'H']);

/**
 * Per tag, the alarm row a display shows beside the tag's value (the overview's tiles and cards):
 * its most important unacknowledged current alarm, the one that needs the operator (an
 * acknowledged P1 must not hide, steady, a new P2 that flashes in the banner); else its most
 * important current one (B–E, in the banner's order); else one shelved or out of service, so a
 * value in alarm never looks normal and a value whose alarm was set aside says so.
 */
export function alarmsByTag(rows: Iterable<AlarmRow>): Map<string, AlarmRow> {
  const unacked = new Map<string, AlarmRow>();
  const acked = new Map<string, AlarmRow>();
  const aside = new Map<string, AlarmRow>();
  for (const r of [...rows].sort(byImportance)) {
    if (r.tag === null) continue;
    const into = isCurrent(r) ? (r.flags.acked ? acked : unacked) : SET_ASIDE.has(r.state) ? aside : null;
    if (into && !into.has(r.tag)) into.set(r.tag, r);
  }
  const byTag = new Map(unacked);
  for (const m of [acked, aside]) for (const [tag, r] of m) if (!byTag.has(tag)) byTag.set(tag, r);
  return byTag;
}
