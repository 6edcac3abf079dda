/**
 * The gap ledger as the sync's sequenced source: `SyncModule` takes
 * `gaps?: SequencedSource<GapRecord>` (app/main/sync/streams/ on main).
 * Wiring: `gaps: gapLedgerSource(station.acquisition.ledger)`.
 *
 * Only gaps travel (failovers stay in the ledger and the journal). A gap is
 * sent when it opens (end null) and again when it closes or its backfill
 * changes: every change takes the next durable seq, so a reader that keeps
 * its last seq never misses one. Failover rows between gaps are skipped by
 * the query itself, so a page never comes back empty while gaps wait.
 *
 * The types below repeat main's shapes structurally (this branch does not
 * carry the sync code); after the merge they can be imported from
 * sync/streams/{sequenced,gaps,stream}.ts instead.
 */
import type { GapLedger } from './gap-ledger.js';

export interface GapRecord {
  server: string;
  start: number;
  end: number | null;
  reason: string;
}

export interface SequencedGapRecord {
  seq: number;
  writtenAt: number;
  record: GapRecord;
}

export interface GapSource {
  read(after: number, max: number, until: number | null): SequencedGapRecord[];
  head(): number | null;
  backlog(after: number): { records: number; oldestWrittenAt: number | null };
}

export function gapLedgerSource(ledger: GapLedger): GapSource {
  return {
    read: (after, max, until) =>
      ledger.readGaps(after, max, until).map((g) => ({ seq: g.seq, writtenAt: g.writtenAt, record: { server: g.server, start: g.start, end: g.end, reason: g.reason } })),
    head: () => ledger.gapHead(),
    backlog: (after) => ledger.gapBacklog(after),
  };
}
