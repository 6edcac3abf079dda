/**
 * A trend's range in words: each end with the UTC offset in force at that instant. Across a
 * daylight-saving change the two differ (New York 00:00Z -05:00, 12:00Z -04:00), and one offset
 * for both would put one end an hour off.
 */
import type { MessageParams } from '../../../shared/i18n/index.js';
import type { Lang } from '../value-view.js';

function ends(lang: Lang, start: number, end: number): { same: boolean; params: MessageParams } {
  const startOffset = lang.fmt.offset(start), endOffset = lang.fmt.offset(end);
  const times = { start: lang.fmt.dateTime(start), end: lang.fmt.dateTime(end) };
  return startOffset === endOffset
    ? { same: true, params: { ...times, offset: endOffset } }
    : { same: false, params: { ...times, startOffset, endOffset } };
}

/** "08.03.2026, 03:00:00 – 08.03.2026, 15:00:00 (UTC+03:00)"; an offset per end when they differ. */
export function rangeText(lang: Lang, start: number, end: number): string {
  const { same, params } = ends(lang, start, end);
  return lang.t(same ? 'trends.range' : 'trends.range.offsets', params);
}

/** The PNG snapshot's title line, with the range as rangeText writes it. */
export function snapshotTitle(lang: Lang, station: string, mode: 'live' | 'history', start: number, end: number): string {
  const { same, params } = ends(lang, start, end);
  const words = { ...params, station, mode: lang.t(mode === 'live' ? 'trends.snapshot.live' : 'trends.snapshot.history') };
  return lang.t(same ? 'trends.snapshot.title' : 'trends.snapshot.title.offsets', words);
}
