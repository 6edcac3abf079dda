/**
 * The resampled export's intervals and how its list names them: each a whole unit, named as a span
 * ("1 min", "1分钟", "1 ч"), not as a running time: Formats.duration wrote "1 min 00 s" and
 * "1分00秒" (分 alone reads as a clock's minute).
 */
import type { Formats } from '../../../shared/i18n/format.js';

export const EXPORT_INTERVALS = [1000, 10_000, 60_000, 300_000, 900_000, 3_600_000, 86_400_000] as const;

/** An interval of the list in its largest whole unit (Formats.age: the unit a lone count of it takes). */
export function intervalText(ms: number, fmt: Pick<Formats, 'age'>): string {
  return fmt.age(ms);
}
