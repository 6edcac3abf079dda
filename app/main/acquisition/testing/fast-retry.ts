/**
 * Backfill retries within a second or two, not the half minute to ten minutes of a station
 * (backfill-retry.ts backfillRetry): for tests that watch a gap retried. Returns the undo.
 */
import { backfillRetry } from '../backfill-retry.js';

export function fastBackfillRetry(): () => void {
  const defaults = { ...backfillRetry };
  backfillRetry.firstMs = 300;
  backfillRetry.maxMs = 1500;
  return () => void Object.assign(backfillRetry, defaults);
}
