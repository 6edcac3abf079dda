/**
 * A gap's backfill over several runs, when the server puts off some tags' history read for now (a
 * status that passes on their own HistoryReadResult, backfill.ts `putOff`): the other tags'
 * values are archived at once, the gap stays pending, and only the tags put off are read again
 * (server-link.ts keeps them as the gap's tags; scheduleBackfillRetry runs it again). Before, such
 * a gap ended partial or unsupported and its history was never read again, though the server had it.
 *
 * What each run found is kept with the gap in the ledger (GapLedger.putOff, with the tags left to
 * read, in one transaction) until the gap ends, so its final state, count and note speak for all its
 * runs, also across a restart. Before, it was kept in memory: a gap one of whose tags the server
 * refused for good and another it put off, read again after a restart, ended `done` with no note,
 * its count only the last run's.
 */
import type { LedgerEntry } from '../../shared/api/acquisition.js';
import { historyFromNote } from './archive-start.js';
import type { BackfillResult } from './backfill.js';
import type { GapLedger, GapRunsSoFar, GapScope } from './gap-ledger.js';
import { deviceAheadNote, historyNotAnsweredNote } from './gap-note.js';

export class GapRuns {
  constructor(private readonly ledger: GapLedger) {}

  /**
   * A run of the gap ended with its values archived (`archived` of them): the ledger says how far
   * the gap got. Returns the tags to read again on a later run (those put off), or null when the
   * gap is finished. `scope`: the gap's scope with those tags alone, kept with it.
   */
  ended(
    gapId: number, r: BackfillResult, archived: number, historyFrom: number | null, devicesAhead: readonly string[], scope: (again: Set<string>) => GapScope,
  ): { entry: LedgerEntry; again: Set<string> | null } {
    const before = this.ledger.runsSoFar(gapId) ?? { samples: 0, read: 0, refused: [], historyFrom: null, devicesAhead: [] };
    const now: GapRunsSoFar = {
      samples: before.samples + archived,
      read: before.read + r.read,
      refused: [...before.refused, ...r.refused],
      historyFrom: historyFrom === null ? before.historyFrom : Math.max(historyFrom, before.historyFrom ?? historyFrom),
      devicesAhead: [...new Set([...before.devicesAhead, ...devicesAhead])],
    };
    if (r.putOff.length > 0) {
      const again = new Set(r.putOff.map((p) => p.tag));
      return { entry: this.ledger.putOff(gapId, now, historyNotAnsweredNote(), scope(again)), again };
    }
    // The loss markers stay: over what the history does not reach, the archive keeps the gap bad. A
    // device ahead's tags were read (GoodNoData): its history lies after the gap, so partial, as a refused tag's.
    const state = now.refused.length === 0 && now.historyFrom === null && now.devicesAhead.length === 0 ? 'done' : now.read > 0 ? 'partial' : 'unsupported';
    // One note a gap: the server's own word first (a refusal, its history's start); the log names the rest.
    const note = now.refused.length ? `no history for ${now.refused.length} tag(s), e.g. ${now.refused[0]!.tag}: ${now.refused[0]!.status}`
      : now.historyFrom !== null ? historyFromNote(now.historyFrom)
        : now.devicesAhead.length ? deviceAheadNote(now.devicesAhead) : null;
    return { entry: this.ledger.setBackfill(gapId, state, now.samples, note), again: null };
  }

  /** The server did not answer the gap's history read at all, for now: pending, with what earlier runs archived. */
  notAnswered(gapId: number): LedgerEntry {
    return this.ledger.setBackfill(gapId, 'pending', this.ledger.runsSoFar(gapId)?.samples ?? 0, historyNotAnsweredNote());
  }
}
