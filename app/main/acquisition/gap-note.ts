/**
 * The gap notes the station writes by catalog key and parameters (app/shared/gap-note.ts), not as
 * English the console matches back word for word. Ledgers written before hold English texts; the
 * console still reads those (app/renderer/lib/station-causes.ts). Other notes (a library's error
 * text) stay as they came.
 */
import { storedNote } from '../../shared/gap-note.js';
import { backfillRetry } from './backfill-retry.js';

/** The archive did not take a gap's values: retried while connected, at most backfillRetry.maxMs apart. */
export const notArchivedNote = (): string => storedNote('gaps.note.notArchivedRetried', { intervalMs: backfillRetry.maxMs });

/** The server did not answer the gap's history read (or some tags' part of it) for now: retried as above. */
export const historyNotAnsweredNote = (): string => storedNote('gaps.note.historyNotAnswered', { intervalMs: backfillRetry.maxMs });

/** The archive's thread ended: nothing can store the values until the station starts again, so no retry before. */
export const ARCHIVE_STOPPED_NOTE = storedNote('gaps.note.archiveStopped');

/** A gap not filled because the server's clock was seen off: stored as English text by ledgers of every age (station-causes.ts NOTES words it). */
export const CLOCK_OFF_NOTE = 'not filled: the server clock is off, its history would be dated wrong';

/** A gap filled while the server gave no time to check its clock by and its values came late (README "A server clock behind"). */
export const CLOCK_UNCHECKED_NOTE = storedNote('gaps.note.clockUnchecked');

/** Tags named in a note at most: a gateway's device may carry hundreds (the count says the rest; the log names all). */
export const NOTE_TAGS_MAX = 5;

/**
 * Tags whose field device stamped values ahead while the server's clock was right (subscription.ts
 * deviceAhead): their history of the gap is stamped after it, so the read over the gap found none of it.
 */
export const deviceAheadNote = (tags: readonly string[]): string =>
  storedNote('gaps.note.deviceAhead', { tags: [...tags].sort().slice(0, NOTE_TAGS_MAX), count: tags.length });
