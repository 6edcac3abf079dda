/**
 * A re-send's reason as kept in sync.sqlite (replay.reason): a catalog message (app/shared/sync-text.ts)
 * as JSON, so that a loss found while sending again says why in the console's language too. Rows
 * written before that hold English text: read back as it is.
 */
import { parseText, type SyncText } from '../../../shared/sync-text.js';

export const reasonColumn = (reason: SyncText): string => JSON.stringify(reason);

/** The reason of a replay row: the message it keeps, or its English text from an earlier version. */
export const reasonOfColumn = (column: string): SyncText | string => parseText(column) ?? column;
