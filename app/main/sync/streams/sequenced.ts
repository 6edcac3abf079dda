/**
 * A stream over any source with a durable sequence number (the gap ledger,
 * the alarm journal, the audit trail): positions are the sequence as decimal
 * text, so an adapter is a source plus a line encoder.
 */
import type { SyncStreamName } from '../../../shared/config/sync.js';
import type { Lines } from '../line-protocol/batch.js';
import { english, type SyncText, text } from '../../../shared/sync-text.js';
import { type Backlog, type Cursor, type OutboxStream, type StreamRead, compareSeq } from './stream.js';

/** The loss report of records a..b of a stream (numbers without gaps) deleted before they were sent (`again`: sent, and deleted before they could be sent again). */
export function deletedRecordsText(stream: string, a: number, b: number, again = false): SyncText {
  return text('sync.loss.deleted', { count: b - a + 1, stream, single: a === b ? 'yes' : 'no', first: a, last: b, again: again ? 'yes' : 'no' });
}

/** The same in English (the log). */
export function deletedRecords(stream: string, a: number, b: number): string {
  return english(deletedRecordsText(stream, a, b));
}

export interface Sequenced<R> {
  seq: number;
  /** When the record was written (ms): the backlog's age. */
  writtenAt: number;
  record: R;
}

export interface SequencedSource<R> {
  /** Records with seq > after and (until !== null) seq <= until, in seq order, at most max. */
  read(after: number, max: number, until: number | null): Sequenced<R>[];
  /** The newest seq, or null when empty. */
  head(): number | null;
  /** Records after seq and when the oldest of them was written. */
  backlog(after: number): Backlog;
  /** Records written in [from, to] (ms) with seq > after, in seq order, at most max: an engineer's re-send. */
  readWritten?(from: number, to: number, after: number, max: number): Sequenced<R>[];
}

export class SequencedStream<R> implements OutboxStream {
  /**
   * @param gapless the source numbers its records without gaps, so a number
   *   missing after the watermark was deleted before it was sent (retention):
   *   reported as lost, never silent.
   */
  constructor(
    readonly name: SyncStreamName,
    private readonly source: SequencedSource<R>,
    private readonly encode: (r: R, out: Lines) => void,
    private readonly gapless = false,
  ) {
    const readWritten = source.readWritten?.bind(source);
    if (readWritten) {
      this.readTimeRange = (from, to, position, max, out) => {
        const rows = readWritten(from, to, position === null ? 0 : Number(position), max);
        for (const r of rows) encode(r.record, out);
        return { position: rows.length > 0 ? String(rows[rows.length - 1]!.seq) : position ?? '0', done: rows.length < max };
      };
    }
  }

  read(after: Cursor | null, max: number, until: Cursor | null, out: Lines): StreamRead {
    const from = after === null ? 0 : Number(after);
    // The newest record is below what was sent: the file was restored from an older copy or cut at
    // its end, and its next records take those numbers again. Read by number past the watermark they
    // would never go: the stream starts over from the beginning (what went before is sent again,
    // the same points), and the station says what it lost.
    const head = after === null ? null : this.source.head();
    if (head !== null && head < from) {
      const again = this.read(null, max, null, out);
      const said = text('sync.loss.restored', { stream: this.name, head, from });
      const lost = english(said);
      const hole = { name: `${this.name}: restored, ${head} < ${from}`, detail: lost, text: said };
      return { ...again, restarted: true, lost: again.lost ? `${again.lost}; ${lost}` : lost, holes: [...again.holes ?? [], hole] };
    }
    const rows = this.source.read(from, max, until === null ? null : Number(until));
    if (rows.length === 0) {
      // Nothing left up to a bound (the backlog's split point): the range is done, or its lane would
      // wait forever. The bound is a number the source held: in a source without gaps, the records
      // up to it were deleted (retention) before they were sent, and that is said.
      if (until !== null && Number(until) > from) {
        const gone = this.gapless && after !== null ? this.gone([{ first: from + 1, last: Number(until) }]) : {};
        return { cursor: until, more: false, oldestWrittenAt: null, ...gone };
      }
      // Every record after the watermark deleted (retention through a long outage), the source's last
      // number beyond it: said now, not when the next record comes (on a quiet plant, never).
      if (this.gapless && head !== null && head > from) return { cursor: String(head), more: false, oldestWrittenAt: null, ...this.gone([{ first: from + 1, last: head }]) };
      return { cursor: after, more: false, oldestWrittenAt: null };
    }
    let oldest = Infinity;
    for (const r of rows) {
      this.encode(r.record, out);
      if (r.writtenAt < oldest) oldest = r.writtenAt;
    }
    const last = rows[rows.length - 1]!.seq;
    const reachedUntil = until !== null && last >= Number(until);
    const read: StreamRead = { cursor: String(last), more: rows.length >= max && !reachedUntil, oldestWrittenAt: oldest };
    if (this.gapless && after !== null) {
      // Numbers missing before the page or inside it: deleted before they were sent (retention by a
      // wall clock that stepped back can cut a hole in the middle of the numbers).
      const holes: { first: number; last: number }[] = [];
      let prev = from;
      for (const r of rows) {
        if (r.seq > prev + 1) holes.push({ first: prev + 1, last: r.seq - 1 });
        prev = r.seq;
      }
      if (holes.length > 0) Object.assign(read, this.gone(holes));
    }
    return read;
  }

  /** The loss report of records numbered in `holes` (a source without gaps), deleted before they were sent. */
  private gone(holes: { first: number; last: number }[]): Pick<StreamRead, 'lost' | 'holes'> {
    return { lost: holes.map((h) => deletedRecords(this.name, h.first, h.last)).join('; '), holes };
  }

  head(): Cursor | null {
    const h = this.source.head();
    return h === null ? null : String(h);
  }

  compare(a: Cursor | null, b: Cursor | null): number {
    return compareSeq(a, b);
  }

  backlog(after: Cursor | null): Backlog {
    return this.source.backlog(after === null ? 0 : Number(after));
  }

  /** Records written in [from, to] (ms), paged by sequence number: an engineer's re-send (where the source can say when records were written). */
  readonly readTimeRange?: OutboxStream['readTimeRange'];
}
