/** A pen's reading at the cursor as the pen panel writes it, in the console's language. */
import type { TagInfo } from '../../../shared/api.js';
import { formatNumber, formatValue, type Lang } from '../value-view.js';
import { BadDataUnavailable } from '../../../../historian/status.js';
import type { Reading } from './readout.js';

export function readingValueText(r: Reading, info: TagInfo, lang: Lang): string {
  // As the overview writes the tag's values: no small value as 0, no digits rounded away.
  const n = (v: number) => formatNumber(info, v, lang);
  if (r.kind === 'value') return info.kind === 'discrete' ? formatValue(info, r.value !== 0, lang) : n(r.value);
  if (r.kind === 'range') return r.min === r.max ? n(r.min) : lang.t('trends.readout.range', { min: n(r.min), max: n(r.max) });
  if (r.noData) return lang.t('trends.readout.noData');
  // Held by an archive file that cannot be read: the value is not known, and not because none was archived.
  return (r.status & 0xffff0000) >>> 0 === BadDataUnavailable ? lang.t('trends.readout.unavailable') : lang.t('trends.readout.noValue');
}
