/**
 * Which batch an upstream sends next, and what it changes once settled.
 *
 * Per stream the watermark says what the upstream acknowledged: everything up
 * to `cursor`. When an outage leaves a backlog, the stream splits at its head:
 * new data goes on the live lane from there (acknowledged range (split, live]),
 * while the backlog lane drains (cursor, split] at the drain rate; when it
 * reaches split, the watermark becomes `live` and the lanes are one again.
 * So the region sees the present at once, and the past fills in behind it.
 *
 * Priority: the batch left in flight by a previous run, quarantined lines an
 * engineer retries, live data (at most once per flush interval unless a
 * full batch waits), re-sends (after an upstream restart, or asked for),
 * then the backlog.
 */
import type { Logger } from '../../log.js';
import { Lines } from '../line-protocol/batch.js';
import type { SyncStore } from '../store/sync-store.js';
import type { Cursor, OutboxStream, StreamRead } from '../streams/stream.js';
import type { Batch } from './batch.js';
import { type OnLoss, reportLost } from './losses.js';
import type { RateLimiter } from './rate.js';
import { replayBatch } from './replays.js';

export interface LaneOptions {
  upstream: string;
  batchLines: number;
  flushIntervalMs: number;
  /** A backlog whose oldest record is older than this splits off the live lane. */
  splitAfterMs: number;
  /** Wall clock: times stored (watermarks) and compared with stored write times. */
  now: () => number;
  /** Monotonic clock (ms): flush intervals and the drain rate, which a step of the wall clock must not stretch. */
  mono: () => number;
  /** Steady clock (store/steady-clock.ts): when a range was acknowledged, for the re-send window. */
  steady: () => number;
  log: Logger;
  /** Records that aged out of a source before they were sent. */
  onLoss: OnLoss;
}

export interface LaneBatch extends Batch {
  more: boolean;
  /** The most lines it was read with: a restart reads it again with as many. */
  maxLines: number;
  /** When the oldest record of the batch was written (ms), if known. */
  oldestWrittenAt: number | null;
}

export class Lanes {
  /** When each stream's live lane was last read (monotonic ms). */
  private readonly lastLiveAt = new Map<string, number>();
  /** When each stream's main or live lane last read up to its head (monotonic ms). */
  private readonly atHeadAt = new Map<string, number>();
  private ahead: LaneBatch | null = null;

  constructor(private readonly store: SyncStore, private readonly streams: readonly OutboxStream[], private readonly o: LaneOptions) {}

  /**
   * The batch a previous run left unfinished, read again from its positions with as many lines
   * as the first time. Its first `settled` lines are skipped only when it reads back the same
   * lines (their digest): anything that changed the source meanwhile (retention dropped a volume,
   * the archive's close rewrote an open block, a gap row closed, a quarantined line was refused
   * again) shifts the lines, and skipping by count would skip lines never sent. Then the whole
   * batch goes again, every line counted as a re-send (the upstream may hold some).
   */
  resume(): LaneBatch | null {
    const f = this.store.inflight(this.o.upstream);
    if (!f) return null;
    const max = f.maxLines ?? this.o.batchLines;
    let b: LaneBatch | null;
    if (f.lane === 'quarantine') b = this.quarantineBatch(max);
    else if (f.lane.startsWith('replay:')) b = replayBatch(this.store, this.streams, this.o.upstream, Number(f.lane.slice(7)), max, this.o.onLoss);
    else {
      const s = this.streams.find((x) => x.name === f.stream);
      if (!s) {
        this.o.log.warn({ upstream: this.o.upstream, stream: f.stream }, 'batch in flight belongs to a stream no longer sent; dropped from the in-flight record');
        this.store.endBatch(this.o.upstream);
        return null;
      }
      b = this.read(s, f.lane as 'main' | 'live' | 'backlog', f.from, f.to, max);
    }
    if (!b) return null;
    if (f.settled === 0 && f.sending === 0) return b;
    if (f.digest !== null && f.digest === b.lines.digest()) {
      b.settled = Math.min(f.settled, b.lines.count);
      b.unconfirmed = f.sending;
      if (f.uncertain) b.uncertain = f.uncertain;
      if (f.sending > 0) this.o.log.warn({ upstream: this.o.upstream, stream: f.stream, lines: f.sending }, 'station stopped during a request: re-sending lines the upstream may already hold (counted as re-sent)');
      return b;
    }
    b.unconfirmed = b.lines.count;
    this.o.log.warn({ upstream: this.o.upstream, stream: f.stream, lane: f.lane, settled: f.settled, lines: b.lines.count },
      'the batch left in flight reads back other lines than were sent (its source changed meanwhile): all of them go again (counted as re-sent)');
    return b;
  }

  /** Records b as the batch in flight: what resume() reads again after a restart. */
  begin(b: LaneBatch): void {
    const u = this.o.upstream;
    this.store.beginBatch(u, { lane: b.lane, stream: b.stream, from: b.from, to: b.to, startedAt: this.o.now(), maxLines: b.maxLines, digest: b.lines.digest() });
    if (b.settled > 0 || b.unconfirmed > 0) this.store.progress(u, b.settled, b.unconfirmed, b.uncertain ?? null);
  }

  /** The next batch by priority, or null when nothing is due (backlog lanes wait for the rate limiter). */
  next(rate: RateLimiter): LaneBatch | null {
    const now = this.o.now();
    const mono = this.o.mono();
    const q = this.quarantineBatch(this.o.batchLines);
    if (q) return q;
    for (const s of this.streams) {
      const wm = this.store.watermark(this.o.upstream, s.name);
      const lane = wm.split === null ? 'main' : 'live';
      const last = this.lastLiveAt.get(s.name) ?? -Infinity;
      if (mono - last < this.o.flushIntervalMs) continue;
      const b = this.take(s, lane, lane === 'main' ? wm.cursor : wm.live, null);
      if (!b || !b.more) this.atHeadAt.set(s.name, mono);
      if (!b) { this.lastLiveAt.set(s.name, mono); continue; }
      if (!b.more || b.lines.count + b.lines.refused.length < this.o.batchLines) this.lastLiveAt.set(s.name, mono);
      if (lane === 'main' && b.more && b.oldestWrittenAt !== null && b.oldestWrittenAt < now - this.o.splitAfterMs && this.behindFor(s.name, mono)) {
        const head = s.head();
        this.store.setWatermark(this.o.upstream, s.name, { cursor: wm.cursor, split: head, live: head }, now);
        this.o.log.info({ upstream: this.o.upstream, stream: s.name, oldest: new Date(b.oldestWrittenAt).toISOString() }, 'backlog: live data goes first, the backlog drains behind it');
        return this.asLane(b, 'backlog');
      }
      return b;
    }
    for (const r of this.store.replays(this.o.upstream)) {
      const b = replayBatch(this.store, this.streams, this.o.upstream, r.id, this.o.batchLines, this.o.onLoss);
      if (b) return b;
    }
    if (rate.waitMs(mono) > 0) return null;
    for (const s of this.streams) {
      const wm = this.store.watermark(this.o.upstream, s.name);
      if (wm.split === null) continue;
      const b = this.take(s, 'backlog', wm.cursor, wm.split);
      if (b) { rate.take(b.lines.count, mono); return b; }
    }
    return null;
  }

  /**
   * The stream has not been read up to its head for the split threshold: its old write times are
   * a backlog, not a wall clock stepped forward (which made what was written a moment ago look old).
   */
  private behindFor(stream: string, mono: number): boolean {
    return mono - (this.atHeadAt.get(stream) ?? -Infinity) >= this.o.splitAfterMs;
  }

  /** Reads the batch after `b` on the same lane while b is in flight (drains overlap reading with sending). */
  prefetch(b: LaneBatch): void {
    if (!b.more || (b.lane !== 'main' && b.lane !== 'backlog')) return;
    const s = this.streams.find((x) => x.name === b.stream)!;
    const until = b.lane === 'backlog' ? this.store.watermark(this.o.upstream, s.name).split : null;
    this.ahead = this.read(s, b.lane, b.to, until, this.o.batchLines);
  }

  get prefetched(): LaneBatch | null {
    return this.ahead;
  }

  dropPrefetch(): void {
    this.ahead = null;
  }

  private take(s: OutboxStream, lane: 'main' | 'live' | 'backlog', after: Cursor | null, until: Cursor | null): LaneBatch | null {
    const a = this.ahead;
    this.ahead = null;
    if (a && a.stream === s.name && a.lane === lane && a.from === after) return a;
    return this.read(s, lane, after, until, this.o.batchLines);
  }

  private read(s: OutboxStream, lane: 'main' | 'live' | 'backlog', after: Cursor | null, until: Cursor | null, max: number): LaneBatch | null {
    const lines = new Lines();
    const r: StreamRead = s.read(after, max, until, lines);
    // A source restored from an older copy numbers its records again: holes reported before are not its.
    if (r.restarted) this.store.forgetHoles(this.o.upstream, s.name);
    reportLost(this.store, this.o.upstream, s.name, r, this.o.onLoss);
    if (r.restarted && r.cursor !== null) {
      // The source went back to its beginning: so does the stream, on one lane, whatever lane read it.
      this.store.setWatermark(this.o.upstream, s.name, { cursor: null, split: null, live: null }, this.o.now());
      this.o.log.warn({ upstream: this.o.upstream, stream: s.name }, 'the source is behind what was sent (restored from an older copy): its changes are sent again from the beginning');
      return this.streamBatch(s, 'main', null, r.cursor, lines, r, max);
    }
    if (r.cursor === after || (r.cursor !== null && after !== null && s.compare(r.cursor, after) <= 0)) return null;
    return this.streamBatch(s, lane, after, r.cursor!, lines, r, max);
  }

  private streamBatch(s: OutboxStream, lane: 'main' | 'live' | 'backlog', from: Cursor | null, to: Cursor, lines: Lines, r: StreamRead, max: number): LaneBatch {
    const { store, o } = this;
    const u = o.upstream;
    const b: LaneBatch = {
      lane, stream: s.name, from, to, lines, settled: 0, unconfirmed: 0, resend: false, more: r.more, maxLines: max,
      oldestWrittenAt: r.oldestWrittenAt,
      refuse: (i, reason, now, said) => store.addQuarantine(u, s.name, [{ origin: 'upstream', line: lines.line(i), reason, ...(said && { said }), t: lines.times[i]!, key: lines.keys[i]!, record: null }], now),
      complete: (now) => {
        store.addQuarantine(u, s.name, lines.refused.map((x) => ({ ...x, origin: 'station' as const })), now);
        const wm = store.watermark(u, s.name);
        if (b.lane === 'main') store.setWatermark(u, s.name, { cursor: to, split: null, live: null }, now);
        else if (b.lane === 'live') store.setWatermark(u, s.name, { ...wm, live: to }, now);
        else if (wm.split !== null && s.compare(to, wm.split) >= 0) {
          store.setWatermark(u, s.name, { cursor: wm.live, split: null, live: null }, now);
          o.log.info({ upstream: u, stream: s.name }, 'backlog drained');
        } else store.setWatermark(u, s.name, { ...wm, cursor: to }, now);
        store.logAcked(u, s.name, from, to, lines.count, o.steady());
      },
    };
    return b;
  }

  private asLane(b: LaneBatch, lane: 'backlog'): LaneBatch {
    b.lane = lane;
    return b;
  }

  /** Quarantined lines an engineer marked for another try. */
  private quarantineBatch(max: number): LaneBatch | null {
    const rows = this.store.quarantine({ upstream: this.o.upstream, retry: true, limit: max });
    if (rows.length === 0) return null;
    const lines = new Lines();
    for (const r of rows) lines.push(r.line, r.t, r.key);
    const refused = new Set<number>();
    return {
      lane: 'quarantine', stream: 'quarantine', from: null, to: null, lines, settled: 0, unconfirmed: 0, resend: false, more: false, oldestWrittenAt: null, maxLines: max,
      refuse: (i, reason, now, said) => { refused.add(i); this.store.requarantine(rows[i]!.id, reason, now, said); },
      complete: () => this.store.settleQuarantine(this.o.upstream, rows.filter((_, i) => !refused.has(i)).map((r) => r.id), this.o.steady()),
    };
  }
}
