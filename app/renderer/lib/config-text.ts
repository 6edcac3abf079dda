/**
 * A tag's configuration as the Tags page shows it, in the console's language: its compression
 * ("swinging door 1 % of span", "зона нечувствительности 0,5 мбар") and its EU range.
 */
import type { CompressionInfo } from '../../shared/api.js';
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
  const dev = c.deviation ?? 0;
  const deviation = c.percentOfSpan ? lang.t('tags.compression.percentOfSpan', { value: written(dev, lang) })
    : unit ? lang.fmt.quantity(dev, writtenDecimals(dev), unit) : written(dev, lang);
  const parts = [lang.t(c.kind === 'deadband' ? 'tags.compression.deadband' : 'tags.compression.swingingDoor', { deviation })];
  if (c.maxIntervalMs) parts.push(lang.t('tags.compression.maxInterval', { interval: lang.fmt.duration(c.maxIntervalMs) }));
  return parts.join('; ');
}

export function rangeText(range: [number, number] | null, lang: Lang): string | null {
  return range ? `${written(range[0], lang)} … ${written(range[1], lang)}` : null;
}
