/**
 * Ages as the sync CLI prints them: the console's own durations (Formats.duration, English),
 * so that the terminal and the sync page read alike: "30 s", "45 min 10 s", "2 h 05 min",
 * "3 d 4 h". Plain spaces where the console keeps a unit on its number's line (a terminal
 * wraps nothing, and a plain space is what grep and a pasted line expect).
 */
import { Formats } from '../../../shared/i18n/format.js';

const en = new Formats('en', 'UTC');

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`a duration must be a finite number of ms, got ${ms}`);
  // A time ahead of this clock (another machine's, set ahead) is said so, not shown as no age at all.
  if (ms < 0) return `${formatDuration(-ms)} ahead`;
  return en.duration(ms).replace(/\u00a0/g, ' ');
}

/** How long ago t was (a status's time, a backlog's oldest record): "-" for none. */
export function ageOf(t: number | null | undefined, now: number): string {
  if (t == null) return '-';
  if (t === 0) return 'written before the change feed existed';
  return formatDuration(now - t);
}
