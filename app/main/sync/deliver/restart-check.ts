/**
 * What an upstream still holds after a restart. About once a minute, after a
 * batch it acknowledged, the worker keeps a checkpoint: each stream's
 * watermark cursor and one line acknowledged then (a witness). When a probe
 * sees a new process, the checkpoints taken before the last probe of the old
 * one are looked up newest first, then by halves (a few queries): the newest
 * whose witness the upstream holds says it holds what it acknowledged up to
 * then, and everything acknowledged after it goes again (cursor replays from
 * its cursors to the watermark), or the re-send window's ranges where they
 * reach further back: an upstream restored from an older copy, or one that
 * lost what it held in memory, gets back what it lost (with resendWindowSec 0
 * and the newest checkpoint held, nothing goes again). When it holds no
 * checkpoint's witness, everything since the oldest goes again and the loss
 * of what came before is reported (recorded, logged, sync-lost alarm): the
 * station cannot tell what it was.
 */
import type { UpstreamConfig } from '../../../shared/config/sync.js';
import type { Logger } from '../../log.js';
import type { Checkpoint, PendingCheck, SyncStore } from '../store/sync-store.js';
import { reasonColumn } from '../store/replay-reason.js';
import type { OutboxStream } from '../streams/stream.js';
import { traits } from '../upstream/flavour.js';
import { holdingsChecked, holdsAnswer, holdsUrl, policiesUrl, policyDuration, witnessOf } from '../upstream/holdings.js';
import type { HttpClient } from '../upstream/http.js';
import { english, type SyncText, text } from '../../../shared/sync-text.js';
import type { Batch } from './batch.js';
import type { OnLoss } from './losses.js';

export interface RestartCheckOptions {
  config: UpstreamConfig;
  store: SyncStore;
  streams: readonly OutboxStream[];
  http: HttpClient;
  /** The Authorization header, if any. */
  auth: Record<string, string>;
  log: Logger;
  /** Wall clock: checkpoint times as shown, and the upstream's retention (sample times are wall times). */
  now: () => number;
  /**
   * Steady clock (store/steady-clock.ts): checkpoint and acknowledgement times as compared and
   * aged (the re-send window, the checks between restarts), which a step of the wall clock must not move.
   */
  steady: () => number;
  /** Monotonic clock: the interval between checkpoints, which a step of the wall clock must not stretch. */
  mono: () => number;
  /** Least time between two checkpoints (ms). */
  intervalMs: number;
  /** Longest wait for one lookup (ms). */
  timeoutMs: number;
  onLoss: OnLoss;
  /** Whether what the upstream holds can be checked changed (no line acknowledged lately can be looked up there, or one can again): for the status. */
  onCheckability?: (said: SyncText) => void;
  /** The upstream's own retention as it says (VictoriaMetrics' -retentionPeriod; ms), null when not known. */
  retentionMs?: () => number | null;
  /**
   * The upstream's clock (its answers' Date header, carried on by the monotonic clock): its
   * retention deletes by it. Default: the wall clock.
   */
  upstreamNow?: () => number;
  /**
   * A check found the upstream may no longer hold what it acknowledged at or after `since` (steady ms;
   * -Infinity: anything): the memory of lines it took (sent-index.ts) must not skip those as sent.
   */
  distrust?: (since: number) => void;
}

type Found =
  | { kind: 'held'; cp: Checkpoint; newest: boolean }
  | { kind: 'lost'; oldest: Checkpoint }
  | { kind: 'none' }
  | { kind: 'unknown'; error: string | SyncText };

/** A lookup whose answer could not be read: its words from the catalog (the Sync page says them in its language). */
class LookupUnread extends Error {
  constructor(readonly said: SyncText) {
    super(english(said));
  }
}

/** Why a lookup failed, as a catalog message where the check made it, else the error's text. */
const failure = (err: unknown): string | SyncText => (err instanceof LookupUnread ? err.said : (err as Error).message);

/** Lines looked at, from the last one acknowledged back, for one that can be a witness. */
const WITNESS_SEARCH = 50;
/** Probes at which a check that could not be made (the upstream not answering queries yet) is tried. */
const CHECK_TRIES = 5;

/**
 * Checkpoints a check between restarts looks up at most, a query each: at one checkpoint a minute
 * and a check every 5 minutes it looks up ~5; after a long pause or outage, this many spread over
 * the time since the last check (its oldest and newest among them), so a check stays a few seconds.
 */
const VERIFY_MAX = 20;

/** At most n of the items, spread evenly, the first and the last among them. */
function spread<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  return Array.from({ length: n }, (_, i) => items[Math.round((i * (items.length - 1)) / (n - 1))]!);
}

export class RestartCheck {
  /** When the last checkpoint was taken (monotonic ms). */
  private lastAt = -Infinity;
  /** A check that could not be made yet (kept in sync.sqlite: a station restart goes on with it). */
  private pending: PendingCheck | null;
  /** A re-send asked for by a check is running or just ended: the next check waits (verify). */
  private resending = false;
  /** Why no checkpoint could be kept at the last try (null: one was): said once, not at every batch. */
  private unwitnessed: SyncText | null = null;
  /** What kind of failure the last check between restarts met ("HTTP 403"; null: it was made): said once, not at every check. */
  private unverifiable: string | null = null;
  /**
   * InfluxDB 1.x: the duration of the retention policy written to (ms; Infinity: kept for ever), as
   * last read before a check; null while not known (a write-only account may not read it).
   */
  private policyMs: number | null = null;
  /** The upstream answered that the database was not found (a 404 that paused it), not checked since: its answer. */
  private notFound: string | null = null;

  constructor(private readonly o: RestartCheckOptions) {
    this.pending = o.store.pendingCheck(o.config.id);
  }

  private setPending(p: PendingCheck | null): void {
    this.pending = p;
    this.o.store.setPendingCheck(this.o.config.id, p);
  }

  /** After a stream batch was settled, lines up to `lastAcked` acknowledged: a checkpoint, at most one an interval. */
  note(b: Batch, lastAcked: number): void {
    const { o } = this;
    if (lastAcked < 0 || (b.lane !== 'main' && b.lane !== 'live' && b.lane !== 'backlog') || !holdingsChecked(o.config)) return;
    const mono = o.mono();
    if (mono - this.lastAt < o.intervalMs) return;
    const now = o.now();
    const steady = o.steady();
    for (let i = lastAcked; i >= Math.max(0, lastAcked - WITNESS_SEARCH); i--) {
      const line = b.lines.line(i);
      const w = this.witness(line);
      if (!w || !holdsUrl(o.config, w)) continue;
      const cursors = Object.fromEntries(o.streams.map((s) => [s.name, o.store.watermark(o.config.id, s.name).cursor]));
      o.store.addCheckpoint(o.config.id, now, steady, cursors, line);
      this.lastAt = mono;
      if (this.unwitnessed !== null) this.witnessedAgain();
      return;
    }
    this.noWitness(b.lines.line(lastAcked), Math.min(lastAcked + 1, WITNESS_SEARCH + 1));
  }

  /**
   * No line of the batch can be looked up upstream: no checkpoint, so a loss there could not be
   * told. Never silent (found by an exploratory run: no line could be a witness, and a wiped
   * upstream got back only the re-send window, nothing reported): said in the log and the status.
   */
  private noWitness(line: string, looked: number): void {
    if (this.unwitnessed !== null) return;
    const { o } = this;
    this.unwitnessed = text('sync.check.unwitnessed', { upstream: o.config.id, count: looked, line: line.slice(0, 200), windowSec: o.config.resendWindowSec });
    o.log.warn({ upstream: o.config.id }, english(this.unwitnessed));
    o.onCheckability?.(this.unwitnessed);
  }

  /** A checkpoint kept again after none could be: said, so the status no longer says it cannot be checked. */
  private witnessedAgain(): void {
    const { o } = this;
    this.unwitnessed = null;
    const said = text('sync.check.witnessedAgain', { upstream: o.config.id });
    o.log.info({ upstream: o.config.id }, english(said));
    o.onCheckability?.(said);
  }

  /**
   * The upstream paused on a 404 (InfluxDB: database not found): dropped, then made again, it holds
   * nothing of before. The check after the pause finds out; where it cannot look (an account allowed
   * to write only), the possible loss is reported instead of nothing (verify).
   */
  notFoundAnswered(error: string): void {
    this.notFound = error;
  }

  /** A line as a witness, read as this upstream's dialect reads it. */
  private witness(line: string) {
    return witnessOf(line, traits[this.o.config.flavour].dialect);
  }

  /**
   * The upstream restarted (started at `startedAt`, its clock) after the last probe of the old
   * process at `seenAt` (steady clock): re-sends what it may no longer hold. Returns what was found, for the status.
   */
  async restarted(seenAt: number, startedAt: number): Promise<SyncText> {
    const found = await this.find(seenAt);
    this.setPending(found.kind === 'unknown' ? { seenAt, startedAt, tries: 1 } : null);
    return this.act(found, seenAt, text('sync.check.restarted', { upstream: this.o.config.id, startedAt }), 'restart');
  }

  /**
   * At a later probe: a check that could not be made at the restart, tried again; null while it
   * still waits. Never made (the station may not query, its account being write-only): what it may
   * have lost cannot be told, and a possible loss is reported; it had been a line in the status only.
   */
  async retry(): Promise<SyncText | null> {
    const p = this.pending;
    if (!p) return null;
    const found = await this.find(p.seenAt);
    if (found.kind === 'unknown' && p.tries + 1 < CHECK_TRIES) {
      this.setPending({ ...p, tries: p.tries + 1 });
      return null;
    }
    this.setPending(null);
    return this.act(found, p.seenAt, text('sync.check.restarted', { upstream: this.o.config.id, startedAt: p.startedAt }), 'retry'); // the window went at the restart
  }

  /**
   * Between restarts: does the upstream still hold every checkpoint taken since the last such check
   * (`since`, the bound of the check before; null at the first: the newest one) and before `before`
   * (the last such check: what it acknowledged since may not be searchable yet; both steady), oldest to newest,
   * at most VERIFY_MAX of them? A database dropped and made again, or emptied, shows no restart, and
   * its new writes go on being acknowledged; data deleted or lost upstream between two checks left
   * the checkpoints after it held, and only the newest was looked at. For each run of checkpoints it
   * no longer holds, what it acknowledged from the held one before (further back by the lookup of a
   * restart when none in the window is) to the held one after (or to the watermark) goes again, and
   * the loss is reported. `checked` false: it could not say (tried again at the next check).
   */
  async verify(since: number | null, before: number): Promise<{ checked: boolean; message: SyncText | null }> {
    if (this.pending) return { checked: false, message: null };
    // While a re-send runs, and for one check after it (VictoriaMetrics makes rows searchable seconds
    // after it took them), what it restores may not be found yet: not taken for a new loss.
    if (this.o.store.replays(this.o.config.id).length > 0) this.resending = true;
    if (this.resending) {
      this.resending = this.o.store.replays(this.o.config.id).length > 0;
      return { checked: false, message: null };
    }
    const now = this.o.now();
    const reason = text('sync.check.notHeld', { upstream: this.o.config.id, checkedAt: now });
    await this.readPolicy();
    const cps = this.checkable(before);
    const window = since === null ? cps.slice(-1) : spread(cps.filter((cp) => cp.steadyAt >= since), VERIFY_MAX);
    const held: boolean[] = [];
    try {
      for (const cp of window) held.push(await this.holds(cp));
    } catch (err) {
      // Could not say (a lookup refused or failed): tried again at the next check.
      return { checked: false, message: this.couldNotVerify(failure(err)) };
    }
    // Only lookups made tell: with none to make (no checkpoint in the window), nothing is known yet.
    if (window.length > 0) this.notFound = null;
    const again = this.unverifiable === null || window.length === 0 ? null : text('sync.check.verifiableAgain', { upstream: this.o.config.id });
    if (again) {
      this.unverifiable = null;
      this.o.log.info({ upstream: this.o.config.id }, english(again));
    }
    const first = held.indexOf(false);
    if (first < 0) return { checked: true, message: again };
    let anchor: Checkpoint | null = first > 0 ? window[first - 1]! : null;
    if (anchor === null) {
      // Not even the window's oldest: the newest held before it, looked up as after a restart.
      const found = await this.find(window[0]!.steadyAt);
      if (found.kind === 'unknown') return { checked: false, message: null };
      if (found.kind !== 'held') return { checked: true, message: this.act({ kind: 'lost', oldest: found.kind === 'lost' ? found.oldest : window[0]! }, this.o.steady(), reason, 'verify') };
      anchor = found.cp;
    }
    return { checked: true, message: this.resendGaps(window, held, anchor, reason) };
  }

  /**
   * A check between restarts that could not be made. Found by an exploratory run against InfluxDB
   * with auth, the station's account allowed to write only: its database dropped and made again
   * between two writes, the checks' lookups answered 403, and that was a log line every 5 minutes:
   * the status green, 900 acknowledged points gone there, nothing reported. Said in the status (once,
   * not at every check: until a check can be made again); after a 404 that paused it (database not
   * found), the possible loss is reported.
   */
  private couldNotVerify(error: string | SyncText): SyncText | null {
    const { o } = this;
    const id = o.config.id;
    if (this.notFound !== null) {
      const reason = text('sync.check.notFound', { upstream: id, error: this.notFound });
      this.notFound = null;
      const loss = text('sync.loss.notFoundUnchecked', { reason, error });
      o.log.error({ upstream: id }, english(loss));
      o.onLoss(o.streams.map((s) => s.name).join(', '), english(loss), loss);
    }
    // Said again only when the failure changes kind (its lookups' answers name the line looked up).
    const kind = typeof error === 'string' ? error.split(':')[0]! : error.key;
    if (this.unverifiable === kind) {
      o.log.debug({ upstream: id, err: typeof error === 'string' ? error : english(error) }, 'holdings check could not be made; tried again at the next check');
      return null;
    }
    this.unverifiable = kind;
    const said = text('sync.check.unverifiable', { upstream: id, error });
    o.log.warn({ upstream: id }, english(said));
    return said;
  }

  /**
   * Sends again, for each run of checkpoints of `window` not held, what was acknowledged from the
   * held checkpoint before it (`anchor` for the first run) to the held one after it (the watermark
   * after the last), and reports the loss.
   */
  private resendGaps(window: Checkpoint[], held: boolean[], anchor: Checkpoint, reason: SyncText): SyncText {
    const { o } = this;
    const id = o.config.id;
    const now = o.now();
    const missing = window.filter((_, i) => !held[i]);
    const said = text('sync.check.gaps', { count: missing.length, missingAts: missing.map((cp) => cp.at), around: held.some(Boolean) ? 'checks' : 'one', anchorAt: anchor.at });
    const why = reasonColumn(text('sync.loss.checkFound', { reason, found: said }));
    let ranges = 0, quarantined = 0;
    o.store.transaction(() => {
      let from = anchor;
      for (let i = 0; i < window.length; i++) {
        if (held[i]) { from = window[i]!; continue; }
        if (i + 1 < window.length && !held[i + 1]) continue; // the run goes on
        const until = i + 1 < window.length ? window[i + 1]! : null;
        for (const s of o.streams) {
          const wm = o.store.watermark(id, s.name);
          const to = until ? until.cursors[s.name] ?? null : wm.live ?? wm.cursor;
          if (to === null || !(s.name in from.cursors)) continue; // a stream not sent then
          const after = from.cursors[s.name] ?? null;
          if (s.compare(after, to) >= 0) continue;
          o.store.addReplay({ upstream: id, stream: s.name, kind: 'cursor', from: after, to, reason: why, requestedAt: now });
          ranges++;
        }
      }
      quarantined = o.store.requeueAckedLines(id, anchor.steadyAt, `${english(reason)}: sent again`, now, text('sync.cause.refused.sentAgain', { reason }));
    });
    o.distrust?.(anchor.steadyAt);
    this.resending = true;
    const message = text('sync.check.result', { reason, found: said, ranges, lines: quarantined });
    o.log.warn({ upstream: id, found: 'gaps', ranges, quarantineLines: quarantined }, english(message));
    const loss = text('sync.loss.gaps', { reason, found: said, ranges });
    o.onLoss(o.streams.map((s) => s.name).join(', '), english(loss), loss);
    return message;
  }

  /** Checkpoints taken before `before` (steady) whose witness the upstream can still hold (not past its retention), oldest first. */
  private checkable(before: number): Checkpoint[] {
    const { o } = this;
    // Past the upstream's retention a witness is gone for that reason alone.
    const days = o.config.retentionDays === undefined ? Infinity : o.config.retentionDays * 86_400_000;
    const oldest = (o.upstreamNow ?? o.now)() - Math.min(days, o.retentionMs?.() ?? Infinity, this.policyMs ?? Infinity);
    return o.store.checkpoints(o.config.id, before).filter((cp) => (this.witness(cp.witness)?.t ?? -Infinity) >= oldest);
  }

  /**
   * Sends again what the upstream may no longer hold. `when`: at a restart (the re-send window goes
   * too, and a checkpoint inside it needs nothing more), a later try of the restart's check (the
   * window went already), or a check between restarts (no window went: from the checkpoint on).
   * `seenAt`: the last probe of the old process (steady clock).
   */
  private act(found: Found, seenAt: number, reason: SyncText, when: 'restart' | 'retry' | 'verify'): SyncText {
    const withWindow = when === 'restart';
    const { o } = this;
    const id = o.config.id;
    const window = o.config.resendWindowSec * 1000;
    let from: Checkpoint | null = null;
    let said: SyncText;
    switch (found.kind) {
      case 'held':
        // It holds what it acknowledged up to the checkpoint; after it, nothing is known (the
        // re-send window's choice when that was the newest one).
        from = found.newest && window === 0 ? null : found.cp;
        said = found.newest ? text('sync.check.holds', { upToAt: found.cp.at }) : text('sync.check.lostAfter', { afterAt: found.cp.at });
        break;
      case 'lost':
        from = found.oldest;
        said = text('sync.check.holdsNothing', { sinceAt: found.oldest.at });
        break;
      case 'none':
        said = text(this.unwitnessed === null ? 'sync.check.nothingYet' : 'sync.check.cannot');
        break;
      case 'unknown':
        said = text('sync.check.couldNot', { error: found.error });
        break;
    }
    const why = english(reason);
    const now = o.now();
    const replayWhy = reasonColumn(reason), replayFound = reasonColumn(text('sync.loss.checkFound', { reason, found: said }));
    let ranges = 0, quarantined = 0;
    o.store.transaction(() => {
      const since = from && (when === 'verify' || window === 0 || from.steadyAt < seenAt - window) ? from : null;
      if (since) {
        for (const s of o.streams) {
          const wm = o.store.watermark(id, s.name);
          const to = wm.live ?? wm.cursor;
          if (to === null || !(s.name in since.cursors)) continue; // a stream not sent then
          const after = since.cursors[s.name] ?? null;
          if (s.compare(after, to) >= 0) continue;
          o.store.addReplay({ upstream: id, stream: s.name, kind: 'cursor', from: after, to, reason: replayFound, requestedAt: now });
          ranges++;
        }
        quarantined = o.store.requeueAckedLines(id, since.steadyAt, `${why}: sent again`, now, text('sync.cause.refused.sentAgain', { reason }));
      } else if (withWindow && window > 0) {
        const acked = o.store.ackedSince(id, seenAt - window);
        for (const r of acked) o.store.addReplay({ upstream: id, stream: r.stream, kind: 'cursor', from: r.from, to: r.to, reason: replayWhy, requestedAt: now });
        ranges = acked.length;
        quarantined = o.store.requeueAckedLines(id, seenAt - window, `${why}: sent again`, now, text('sync.cause.refused.sentAgain', { reason }));
      }
      // What is sent again starts after the oldest checkpoint: its witness, and those of any before
      // it, are gone for good. Kept, the next check found them missing and reported the same loss again.
      if (found.kind === 'lost') o.store.dropCheckpointsThrough(id, found.oldest.id);
    });
    // What it acknowledged after the checkpoint it holds (and in the re-send window) may be gone; with
    // no checkpoint held, or none to tell, anything may be. A block the archive stores again as its
    // samples comes back as lines it took, at new positions the re-send of the old ones misses: sent.
    if (found.kind === 'held') o.distrust?.(Math.min(found.cp.steadyAt, withWindow && window > 0 ? seenAt - window : Infinity));
    else o.distrust?.(-Infinity);
    if (ranges > 0 || quarantined > 0) this.resending = true;
    const message = text('sync.check.result', { reason, found: said, ranges, lines: quarantined });
    o.log.warn({ upstream: id, found: found.kind, ranges, quarantineLines: quarantined }, english(message));
    const streams = o.streams.map((s) => s.name).join(', ');
    let loss: SyncText | null = null;
    if (found.kind === 'lost') {
      loss = text('sync.loss.holdsNothing', { reason, sinceAt: found.oldest.at });
    } else if (found.kind === 'none' && this.unwitnessed !== null && when === 'restart') {
      loss = text('sync.loss.cannotCheck', { reason, windowSec: o.config.resendWindowSec });
    } else if (found.kind === 'unknown' && when === 'retry') {
      // Never sent again wholesale (the checkpoints reach back days): said, for an engineer to act on.
      loss = text('sync.loss.couldNotCheck', { reason, error: found.error, windowSec: o.config.resendWindowSec });
    }
    if (loss) o.onLoss(streams, english(loss), loss);
    return message;
  }

  /** The newest checkpoint taken before `before` (steady) whose witness the upstream holds: newest first, then by halves. */
  private async find(before: number): Promise<Found> {
    await this.readPolicy();
    const cps = this.checkable(before);
    if (cps.length === 0) return { kind: 'none' };
    try {
      let i = cps.length - 1, missing = cps.length, step = 1;
      while (!(await this.holds(cps[i]!))) {
        missing = i;
        if (i === 0) return { kind: 'lost', oldest: cps[0]! };
        i = Math.max(0, i - step);
        step *= 2;
      }
      let held = i;
      while (missing - held > 1) {
        const mid = (held + missing) >> 1;
        if (await this.holds(cps[mid]!)) held = mid; else missing = mid;
      }
      return { kind: 'held', cp: cps[held]!, newest: held === cps.length - 1 };
    } catch (err) {
      return { kind: 'unknown', error: failure(err) };
    }
  }

  /**
   * InfluxDB 1.x's retention policy, read before each check. Found by an exploratory run: the policy
   * shortened under a draining backlog, the shard groups acknowledged were deleted by it, and the
   * check at the next restart reported everything since the oldest checkpoint as missing (sync-lost)
   * and sent it all again, to be refused as beyond the policy and quarantined. Lines past it are gone
   * for that reason alone, as past VictoriaMetrics' -retentionPeriod. Not read: the last known stands.
   */
  private async readPolicy(): Promise<void> {
    const url = policiesUrl(this.o.config);
    if (!url) return;
    const a = await this.o.http.get(url, this.o.auth, this.o.timeoutMs);
    if (a.kind !== 'response' || a.status !== 200) return;
    const ms = policyDuration(a.body, this.o.config.retentionPolicy);
    if (ms !== null && ms !== this.policyMs) {
      if (this.policyMs !== null || ms !== Infinity) this.o.log.info({ upstream: this.o.config.id, policyMs: ms }, 'retention policy of the database written to read: lines older than it are not looked up (deleted there by the policy)');
      this.policyMs = ms;
    }
  }

  private async holds(cp: Checkpoint): Promise<boolean> {
    const { o } = this;
    const w = this.witness(cp.witness)!;
    let a = await o.http.get(holdsUrl(o.config, w)!, o.auth, o.timeoutMs);
    // A connection kept from before the restart, or one the new process drops while it starts: once more.
    for (let i = 0; i < 2 && a.kind === 'network'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      a = await o.http.get(holdsUrl(o.config, w)!, o.auth, o.timeoutMs);
    }
    if (a.kind !== 'response') throw new Error(a.error);
    if (a.status !== 200) throw new Error(`HTTP ${a.status}: ${a.body.slice(0, 200)}`);
    const held = holdsAnswer(o.config, a.body, w);
    if (held === null) throw new LookupUnread(text('sync.fault.unreadableAnswer', { body: a.body.slice(0, 200) }));
    return held;
  }
}
