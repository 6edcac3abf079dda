/**
 * The historian's change feed as the samples stream: every archived sample
 * (live, late, imported, back-filled), in the feed's order, encoded straight
 * from its columns (no object per sample).
 *
 * Reads bounded by `until` start their pass at the bound: a feed cursor
 * without a pass under way, (a, g), becomes a pass over (a, b] from the first
 * position, b being until's own pass end (a batch read again after a crash or
 * a re-send: the same pages as the first time) or until's sequence number (the
 * backlog lane stopping at the split point). Written with the historian's own
 * cursor functions.
 *
 * The backlog is the historian's count after a cursor (changeBacklog), made
 * honest with what this stream saw itself: in a pass under way the samples it
 * already read of the pass are not counted again (the historian counts a pass
 * whole), and after a read that found nothing more written, what waits was
 * written after that read began (the change log's write times are per minute).
 * Both are remembered for the last few cursors handed out, in memory; the
 * second also in sync.sqlite (keepIn): without it, a backlog's age after a
 * station restart was read from its change-log minute's start (up to a minute
 * too old: the backlog alarm rose before its time). What was written after the
 * last read before a stop is taken as written at that read (never younger than
 * it is). After a restart a pass under way counts whole again until it ends.
 */
import type { ChangeColumns, Historian, TagVersion } from '../../../../historian/index.js';
import { compareChangeCursors } from '../../../../historian/index.js';
import { formatCursor, parseCursor } from '../../../../historian/read/change-cursor.js';
import type { Lines } from '../line-protocol/batch.js';
import type { SampleEncoder, SampleValue, SeriesInfo } from '../line-protocol/samples.js';
import type { Backlog, Cursor, Hole, OutboxStream, StreamMemory, StreamRead } from './stream.js';
import { archiveLossText, inVolumeText } from './archive-loss.js';
import type { SyncText } from '../../../shared/sync-text.js';

/** What the samples stream needs of the historian. */
export type ChangeFeed = Pick<Historian, 'readChangeColumns' | 'changeHead' | 'changeBacklog' | 'versions' | 'readRawColumns'>;

/** Cursors remembered for the backlog: the watermark is at most a batch or two behind the reads. */
const REMEMBERED = 64;

export class SamplesStream implements OutboxStream {
  readonly name = 'samples' as const;
  private readonly series = new Map<string, { versions: TagVersion[]; infos: SeriesInfo[] }>();
  /** Cursors in a pass under way: samples of that pass read up to them. */
  private readonly passRead = new Map<Cursor, number>();
  /** Cursors a read found at the head: when that read began. */
  private readonly caughtUp = new Map<Cursor, number>();
  /** The same kept across a station restart (null: in memory only). */
  private memory: StreamMemory | null = null;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly encoder: SampleEncoder,
    /** The tag's area from the station config; null for tags the config no longer has. */
    private readonly areaOf: (tag: string) => string | null,
    /** The clock the archive stamps its writes with. */
    private readonly now: () => number = Date.now,
  ) {}

  keepIn(memory: StreamMemory): void {
    this.memory = memory;
  }

  read(after: Cursor | null, max: number, until: Cursor | null, out: Lines): StreamRead {
    this.series.clear();
    const startedAt = this.now();
    let from = after;
    if (until !== null) {
      if (this.compare(after, until) >= 0) return { cursor: after, more: false, oldestWrittenAt: null };
      const c = parseCursor(after);
      // A pass already under way was bounded when it began.
      if (c.pass === null) {
        const u = parseCursor(until);
        from = formatCursor({ ...c, pass: { b: u.pass ? u.pass.b : u.a, vol: Number.MIN_SAFE_INTEGER, tag: -1, t: Number.MIN_SAFE_INTEGER } });
      }
    }
    const page = this.feed.readChangeColumns(from, max);
    this.remember(from, from !== after, page, startedAt);
    const oldest = this.encode(page, out);
    const reachedUntil = until !== null && this.compare(page.cursor, until) >= 0;
    return {
      cursor: page.cursor,
      more: page.more && !reachedUntil,
      oldestWrittenAt: oldest,
      ...(page.lost ? lostOf(page.lost) : {}),
      ...(page.lost?.restarted ? { restarted: true as const } : {}),
    };
  }

  head(): Cursor | null {
    return this.feed.changeHead();
  }

  compare(a: Cursor | null, b: Cursor | null): number {
    return compareChangeCursors(a, b);
  }

  backlog(after: Cursor | null): Backlog {
    const b = this.feed.changeBacklog(after);
    const read = after === null ? undefined : this.passRead.get(after);
    const records = Math.max(0, b.samples - (read ?? 0));
    let oldest = records > 0 ? b.oldestWrittenAt : null;
    const caughtUpAt = after === null ? undefined : this.caughtUp.get(after) ?? this.memory?.caughtUpAt(after);
    if (oldest !== null && caughtUpAt !== undefined && caughtUpAt > oldest) oldest = caughtUpAt;
    return { records, oldestWrittenAt: oldest };
  }

  /**
   * What the backlog needs of a page read from `from`: in a pass under way, how much of it has
   * been read up to the page's cursor (a pass started here counts from 0; one continued counts
   * on from its cursor's figure, if known); at the head (the pass ended and nothing more was
   * written when the page was read), when the read began: anything later was written after.
   */
  private remember(from: Cursor | null, passStart: boolean, page: ChangeColumns, startedAt: number): void {
    const c = parseCursor(page.cursor);
    if (c.pass === null) {
      if (!page.more) {
        keep(this.caughtUp, page.cursor, startedAt);
        this.memory?.setCaughtUpAt(page.cursor, startedAt);
      }
      return;
    }
    const f = parseCursor(from);
    const continued = !passStart && f.pass !== null && f.a === c.a && f.pass.b === c.pass.b;
    const before = continued ? this.passRead.get(from!) : 0;
    if (before !== undefined) keep(this.passRead, page.cursor, before + page.length);
  }

  /** Archived samples of every tag with times in [from, to], by tag: an engineer's re-send (read as columns, encoded from them). */
  readTimeRange(from: number, to: number, position: string | null, max: number, out: Lines): { position: string; done: boolean } {
    this.series.clear();
    // Statuses as stored: a re-sent line repeats the live one (InfluxDB overwrites the point's fields with it).
    const page = this.feed.readRawColumns({ tags: '*', start: from, end: to, pageSize: max, continuation: position || null, statuses: 'stored' });
    for (const s of page.series) {
      // Discrete values come as numbers (booleans as 0/1): the encoder writes both as the integer state.
      const values: ArrayLike<SampleValue> = s.kind === 'text' ? s.text! : s.value;
      this.encoder.encode({ tag: s.tag, kind: s.kind, t: s.t, values, status: s.status }, this.seriesAt, out);
    }
    return { position: page.continuation ?? '', done: page.continuation === null };
  }

  /** Encodes a page tag run by tag run; returns when its oldest sample was written (null: empty page). */
  private encode(c: ChangeColumns, out: Lines): number | null {
    let oldest = Infinity;
    for (let i = 0; i < c.length;) {
      const tagIndex = c.tag[i]!;
      let j = i + 1;
      while (j < c.length && c.tag[j] === tagIndex) j++;
      const tag = c.tags[tagIndex]!, kind = c.kinds[tagIndex]!;
      // Discrete values come as numbers (booleans as 0/1): the encoder writes both as the integer state.
      const values: ArrayLike<SampleValue> = kind === 'text' ? c.text!.slice(i, j) as string[] : c.value.subarray(i, j);
      this.encoder.encode({ tag, kind, t: c.t.subarray(i, j), values, status: c.status.subarray(i, j) }, this.seriesAt, out);
      for (let k = i; k < j; k++) if (c.writtenAt[k]! < oldest) oldest = c.writtenAt[k]!;
      i = j;
    }
    return oldest === Infinity ? null : oldest;
  }

  /**
   * Area and unit of a tag at a time: the unit of the configuration version valid then. Versions
   * are looked up once per tag per read (the cache is cleared at each read): an engineer's unit
   * change makes a new version while the sync runs, and its samples must not go out under the old unit.
   */
  private readonly seriesAt = (tag: string, t: number): SeriesInfo => {
    let s = this.series.get(tag);
    if (!s) {
      const versions = this.feed.versions(tag);
      const area = this.areaOf(tag);
      s = { versions, infos: versions.map((v) => ({ area, unit: v.config.unit })) };
      this.series.set(tag, s);
    }
    const { versions, infos } = s;
    for (let i = versions.length - 1; i > 0; i--) if (t >= versions[i]!.validFrom) return infos[i]!;
    return infos[0]!;
  };
}

/** What a page says is lost, in English and as catalog messages (archive-loss.ts). */
function lostOf(lost: NonNullable<ChangeColumns['lost']>): Pick<StreamRead, 'lost' | 'lostText' | 'holes'> {
  const said = archiveLossText(lost);
  const files = lost.volumes.join(', ');
  return { lost: `${lost.reason} [${files}]`, ...(said ? { lostText: inVolumeText(said, files) } : {}), holes: holesOf(lost, said) };
}

/** A volume's changes gone before they were sent are one hole, whichever read finds it; a restore (no volume) is its own. */
function holesOf(lost: NonNullable<ChangeColumns['lost']>, said: SyncText | null): Hole[] {
  if (lost.volumes.length === 0) return [{ name: lost.reason, detail: lost.reason, ...(said ? { text: said } : {}) }];
  return lost.volumes.map((v) => ({ name: `volume ${v}`, detail: `${lost.reason} [${v}]`, ...(said ? { text: inVolumeText(said, v) } : {}) }));
}

function keep<V>(m: Map<Cursor, V>, key: Cursor, value: V): void {
  m.delete(key);
  m.set(key, value);
  if (m.size > REMEMBERED) m.delete(m.keys().next().value!);
}
