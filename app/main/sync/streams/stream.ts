/**
 * An outbox stream: something durable with an ordered change position that
 * the sync reads "after watermark W" (the historian's change feed, the alarm
 * journal, the audit trail, the gap ledger). Adding a stream is one adapter
 * implementing this; the delivery knows nothing else about it.
 *
 * A stream instance belongs to one upstream: it encodes for that upstream's
 * flavour (escaping dialect, string fields).
 */
import type { SyncStreamName } from '../../../shared/config/sync.js';
import type { Lines } from '../line-protocol/batch.js';
import type { Cursor } from '../store/sync-store.js';
import type { SyncText } from '../../../shared/sync-text.js';

export type { Cursor };

export interface StreamRead {
  /** Position after what was read (unchanged when nothing was). */
  cursor: Cursor | null;
  /** More is waiting right after cursor (the read stopped at max or until). */
  more: boolean;
  /** When the oldest record read was written (ms); null when nothing was read. */
  oldestWrittenAt: number | null;
  /** Records that aged out of the source before they were read: reported, never silent. */
  lost?: string;
  /** `lost` as a catalog message, when the source can say it so (else it is said as it is). */
  lostText?: SyncText;
  /**
   * What `lost` is about, the same for every read that finds it again (a re-read after a station
   * restart, a replay after an upstream restart): each hole is reported once (deliver/losses.ts).
   */
  holes?: Hole[];
  /**
   * The source started again from its beginning (the position was past its head: an archive
   * restored from an older copy): `cursor` comes before `after`, and the stream's watermark
   * starts over from these lines.
   */
  restarted?: true;
}

/** A part missing at the station before it could be sent (or sent again); `text`: its detail as a catalog message (else the detail as it is). */
export type Hole =
  /** Records first..last of a source that numbers its records without gaps. */
  | { first: number; last: number }
  /** Something named: a volume file gone from the archive, a source restored from an older copy. */
  | { name: string; detail: string; text?: SyncText };

export interface Backlog {
  records: number;
  /** When the oldest unsent record was written (ms); null when none waits. */
  oldestWrittenAt: number | null;
}

export interface OutboxStream {
  readonly name: SyncStreamName;
  /**
   * Appends the lines of the records after `after` (null: from the start) to
   * out: about `max` records (a source may round to its own units), none past `until`.
   */
  read(after: Cursor | null, max: number, until: Cursor | null, out: Lines): StreamRead;
  /** The position of the newest record (null: the stream is empty). */
  head(): Cursor | null;
  /** Orders two positions (null is before everything). */
  compare(a: Cursor | null, b: Cursor | null): number;
  backlog(after: Cursor | null): Backlog;
  /**
   * Where a stream keeps across a station restart what its backlog needs beyond its source (the
   * service gives each stream its upstream's part of sync.sqlite before the first read).
   */
  keepIn?(memory: StreamMemory): void;
  /** Records in [from, to] (ms), paged by an opaque position: for an engineer's re-send. */
  readTimeRange?(from: number, to: number, position: string | null, max: number, out: Lines): { position: string; done: boolean };
}

/** When a read that found nothing after a cursor began (the sync store, for one upstream and stream). */
export interface StreamMemory {
  caughtUpAt(cursor: Cursor): number | undefined;
  setCaughtUpAt(cursor: Cursor, at: number): void;
}

/** compare() for streams whose positions are decimal sequence numbers. */
export function compareSeq(a: Cursor | null, b: Cursor | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return Number(a) - Number(b);
}
