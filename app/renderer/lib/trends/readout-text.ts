/** A pen's reading at the cursor, and its gaps in view, as the pen panel writes them in the console's language. */
import type { TagInfo } from '../../../shared/api.js';
import { formatNumber, formatValue, type Lang } from '../value-view.js';
import { BadDataUnavailable } from '../../../../historian/status.js';
import type { Reading } from './readout.js';
import { mostDecimals } from './data-decimals.js';
import type { Gap, GapSummary } from './gaps.js';

/** Integer types write whole numbers whatever the data (value-view.ts formatNumber). */
const INTEGER_TYPES = new Set(['SByte', 'Byte', 'Int16', 'UInt16', 'Int32', 'UInt32', 'Int64', 'UInt64']);
/** Outside [1e-4, 1e10) formatNumber writes engineering notation, digits by the value. */
const FIXED_FROM = 1e-4, FIXED_BELOW = 1e10;

/**
 * A number of the pen. A tag with decimals, an EU range or an integer type reads as the overview
 * writes its values (no small value as 0, no digits rounded away). One with none of them (an
 * imported tag) reads with the decimals its archived values carry (`decimals`, data-decimals.ts),
 * so 3692.6 is not written 3,692.60, nor an interpolation between samples with more digits than
 * they have; never more than 7 significant digits.
 */
function numberText(info: TagInfo, v: number, lang: Lang, decimals: number | null | undefined): string {
  const size = Math.abs(v);
  const bySelf = info.decimals != null || info.range != null || (info.dataType != null && INTEGER_TYPES.has(info.dataType));
  if (bySelf || decimals == null || !Number.isFinite(v) || (size !== 0 && (size < FIXED_FROM || size >= FIXED_BELOW))) return formatNumber(info, v, lang);
  // Zero is exactly zero: no column of zeros (formatNumber).
  return lang.fmt.number(v, size === 0 ? Math.min(decimals, 3) : Math.min(decimals, mostDecimals(v)));
}

export function readingValueText(r: Reading & { decimals?: number | null }, info: TagInfo, lang: Lang): string {
  const n = (v: number) => numberText(info, v, lang, r.decimals);
  // A discrete value as the overview writes it: an enumeration's other states keep their number (RUNNING (2)).
  if (r.kind === 'value') return info.kind === 'discrete' ? formatValue(info, r.value, lang) : n(r.value);
  if (r.kind === 'range') return r.min === r.max ? n(r.min) : lang.t('trends.readout.range', { min: n(r.min), max: n(r.max) });
  if (r.noData) return lang.t('trends.readout.noData');
  // Held by an archive file that cannot be read: the value is not known, and not because none was archived.
  return (r.status & 0xffff0000) >>> 0 === BadDataUnavailable ? lang.t('trends.readout.unavailable') : lang.t('trends.readout.noValue');
}

/** "17:10:05" when the end falls on the start's date, else the whole date and time. */
function spanEnds(g: Gap, lang: Lang): { start: string; end: string } {
  const sameDay = lang.fmt.date(g.t0) === lang.fmt.date(g.t1);
  return { start: lang.fmt.dateTime(g.t0), end: sameDay ? lang.fmt.time(g.t1) : lang.fmt.dateTime(g.t1) };
}

/** A pen's gap as its entry in the pen panel writes it: "bad quality 2026-12-04 17:10:05 – 17:30:05", and how many more. */
export function gapText(g: GapSummary, lang: Lang): string {
  const text = lang.t('trends.gap.span', { what: lang.t(`trends.gap.${g.word}`), ...spanEnds(g, lang) });
  return g.more > 0 ? `${text} ${lang.t('trends.gap.more', { count: g.more })}` : text;
}

/** The same gap named by its tag, for a screen reader and the tooltip: "Area1.TK101.Level: bad quality from … to …". */
export function gapLabel(tag: string, g: GapSummary, lang: Lang): string {
  const text = lang.t('trends.gap.spanLabel', { tag, what: lang.t(`trends.gap.${g.word}`), ...spanEnds(g, lang) });
  return g.more > 0 ? `${text} ${lang.t('trends.gap.more', { count: g.more })}` : text;
}
