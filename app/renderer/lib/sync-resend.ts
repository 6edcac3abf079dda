/**
 * The Sync page's "Send again" range, checked before it is sent: From after To is said on the page
 * in the console's words (sync.error.badRange, the station's own refusal of it too), never sent for
 * the station to refuse.
 */
import { fromLocalInput } from './alarms/period.js';

export type ResendRange = { from: number; to: number } | { problem: 'sync.error.badRange' };

/** The range of the two fields (local date-time text); null while one is not a date (the field itself says why). */
export function resendRange(from: string, to: string): ResendRange | null {
  const f = fromLocalInput(from), t = fromLocalInput(to);
  if (f === null || t === null) return null;
  return f <= t ? { from: f, to: t } : { problem: 'sync.error.badRange' };
}
