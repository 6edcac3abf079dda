/** How an alarm's values and times read, in the console's language. */
import type { AlarmRow } from '../../../shared/api/alarms.js';
import type { TagInfo } from '../../../shared/api.js';
import { i18n, t } from '../i18n.svelte.js';
import { NO_RULES, quantityText } from '../value-view.js';

/**
 * The value with its unit, its number read as the tag's values read everywhere else (its decimals,
 * up to 7 significant digits, engineering notation for tiny or huge ones); discrete values as the
 * station's words; "—" when there is none.
 */
export function valueText(value: AlarmRow['value'], unit: string, tag: TagInfo | undefined): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return t(value ? 'alarmsUi.value.on' : 'alarmsUi.value.off');
  if (typeof value === 'string') return value;
  return quantityText(tag ?? NO_RULES, value, unit, i18n.lang);
}

/** Time of day for today's events, date and time for older ones. */
export function whenText(ms: number | null, now: number): string {
  if (ms === null) return '—';
  return now - ms < 20 * 3600_000 ? i18n.fmt.time(ms) : i18n.fmt.dateTime(ms);
}

/** Time left of a shelve (a one-shot one: until its time limit), on the station's clock; null when it has none. */
export function timeLeft(row: AlarmRow, stationNow: number): number | null {
  const until = row.shelve?.until;
  return until === undefined || until === null ? null : Math.max(0, until - stationNow);
}

/** A whole number of minutes as people say it: "15 min", "2 h", "1 h 30 min". */
export function minutesText(minutes: number): string {
  const h = Math.floor(minutes / 60), m = Math.round(minutes % 60);
  if (h === 0) return t('alarmsUi.duration.min', { m });
  return m === 0 ? t('alarmsUi.duration.h', { h }) : t('alarmsUi.duration.hmin', { h, m });
}
