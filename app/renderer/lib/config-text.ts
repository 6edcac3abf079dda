/**
 * A tag's configuration as the Tags page shows it, in the console's language: its compression
 * ("swinging door 1 % of span", "зона нечувствительности 0,5 мбар"), with its intervals and exception
 * deviation where set, and its EU range.
 */
import type { CompressionInfo } from '../../shared/api.js';
import { joined } from './joined.js';
import type { Lang } from './value-view.js';

/** Decimals that show a configured number as written (0.005 keeps three; no float noise beyond 10). */
export function writtenDecimals(v: number): number {
  if (!Number.isFinite(v) || Number.isInteger(v)) return 0;
  for (let d = 1; d < 10; d++) if (Math.abs(Number(v.toFixed(d)) - v) <= Math.abs(v) * 1e-12) return d;
  return 10;
}

const written = (v: number, lang: Lang): string => lang.fmt.number(v, writtenDecimals(v));

export function compressionText(c: CompressionInfo, unit: string, lang: Lang): string {
  if (c.kind === 'none') return lang.t('tags.compression.none');
  // A deviation in % of span, or in the tag's unit (the exception deviation too).
  const amount = (v: number) => (c.percentOfSpan ? lang.t('tags.compression.percentOfSpan', { value: written(v, lang) })
    : unit ? lang.fmt.quantity(v, writtenDecimals(v), unit) : written(v, lang));
  const parts = [lang.t(c.kind === 'deadband' ? 'tags.compression.deadband' : 'tags.compression.swingingDoor', { deviation: amount(c.deviation ?? 0) })];
  if (c.minIntervalMs) parts.push(lang.t('tags.compression.minInterval', { interval: intervalText(c.minIntervalMs, lang) }));
  if (c.maxIntervalMs) parts.push(lang.t('tags.compression.maxInterval', { interval: intervalText(c.maxIntervalMs, lang) }));
  if (c.exceptionDeviation !== undefined) parts.push(lang.t('tags.compression.exceptionDeviation', { deviation: amount(c.exceptionDeviation) }));
  return joined(lang.t, 'common.clauses', parts);
}

/** A configured interval: under a minute to its written decimals (1.5 s, not a rounded 2 s), else as durations are written. */
function intervalText(ms: number, lang: Lang): string {
  if (ms >= 60_000 || ms % 1000 === 0) return lang.fmt.duration(ms);
  // The seconds unit as the locale writes durations ("0 s" without its 0).
  return `${written(ms / 1000, lang)}${lang.fmt.duration(0).slice(1)}`;
}

export function rangeText(range: [number, number] | null, lang: Lang): string | null {
  return range ? `${written(range[0], lang)} … ${written(range[1], lang)}` : null;
}
