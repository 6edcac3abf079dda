/**
 * A pen's reading's quality as the pen panel states it: the status word and the line under the
 * value, in the console's language. A live value whose frozen-value alarm is active is marked
 * FROZEN there as everywhere else its quality is shown: whether it is frozen is value-view's
 * decision (viewOf with frozenBy), not made again here.
 */
import { statusNameOf } from '../../../../historian/status.js';
import type { Lang, ValueView } from '../value-view.js';
import type { PenReading } from './readout.js';

export type ShownQuality = 'good' | 'uncertain' | 'bad';

const qualityOfStatus = (status: number): ShownQuality => {
  const s = status >>> 30;
  return s === 0 ? 'good' : s === 1 ? 'uncertain' : 'bad';
};

/** A live value while the link is down is not current, whatever its status said: shown as bad. */
export const shownQuality = (r: PenReading): ShownQuality => (r.notCurrent || r.kind === 'gap' ? 'bad' : qualityOfStatus(r.status));

/**
 * Since when the pen's reading stands frozen (the source time of its last change), or null. Only
 * the pen's value now is: the latest reading of a live window (`readsLive`: no cursor, no view of
 * the past), a value, current, whose live view (viewOf with the tag's frozenBy) is frozen. A cursor
 * or a past view reads the archive at its own time, which the alarm active now says nothing about.
 */
export function frozenSince(r: PenReading, live: ValueView | null, readsLive: boolean): number | null {
  if (!readsLive || r.kind !== 'value' || r.notCurrent || !live?.frozen) return null;
  return live.heldSince;
}

/** The status as an operator reads it: quality, and the code's name when it says more; FROZEN on a frozen value. */
export function readingStatusText(r: PenReading, lang: Lang, frozen: number | null = null): string {
  if (r.notCurrent) return lang.t('trends.quality.notCurrent');
  if (r.kind === 'gap' && r.noData) return lang.t('trends.quality.noData');
  if ((r.status & 0xffff0000) >>> 0 === 0x40a40000 && r.kind === 'range') return lang.t('trends.quality.mixed');
  const q = qualityOfStatus(r.status);
  const word = lang.t(`trends.quality.${q}`);
  const name = statusNameOf(r.status);
  // An unreadable archive file: the value's line says so in the console's words.
  const told = r.kind === 'gap' && name === 'BadDataUnavailable';
  const text = q === 'good' || !name || name === 'Bad' || name === 'Uncertain' || told ? word : lang.t('common.labelled', { name: word, value: name });
  if (frozen === null) return text;
  // Frozen is not good: the mark replaces "Good"; an uncertain value keeps its word before it.
  const mark = lang.t('badge.FROZEN');
  return q === 'good' ? mark : `${text} ${mark}`;
}

/** The line under the value: its sample time, held, interpolated; since when a gap runs; a frozen value's last change and age. */
export function readingDetailText(r: PenReading, lang: Lang, frozen: number | null = null, now: number = Date.now()): string {
  if (r.notCurrent) return lang.t('trends.readout.notCurrent', { time: lang.fmt.dateTime(r.kind === 'value' ? r.sampleT : r.t) });
  if (r.kind === 'range') return lang.t('trends.readout.over', { duration: lang.fmt.duration(r.t2 - r.t) });
  // Inside a gap the time is its start, not the time read: said as such (a bare time read as the reading's).
  if (r.kind === 'gap') return r.since ? lang.t(r.noData ? 'trends.readout.noDataSince' : 'trends.readout.noValueSince', { time: lang.fmt.dateTime(r.t) }) : lang.fmt.dateTime(r.t);
  if (frozen !== null) return lang.t('value.detail.frozen', { time: lang.fmt.dateTime(frozen), age: lang.fmt.duration(Math.max(0, now - frozen)) });
  if (r.interpolated) return lang.t('trends.readout.interpolated');
  if (r.held) return lang.t('trends.readout.held', { time: lang.fmt.dateTime(r.sampleT) });
  return lang.t('trends.readout.sample', { time: lang.fmt.dateTime(r.sampleT) });
}
