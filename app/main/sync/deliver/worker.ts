/**
 * One upstream: a loop that takes the next batch from its lanes and sends it,
 * one request in flight, reading the following batch while the current one
 * is in flight. Pauses on refusals that sending again cannot fix, and
 * watches the upstream's start time (VictoriaMetrics, InfluxDB 1.x) so that a
 * restart, which may have lost what it had just acknowledged or come back
 * from an older copy, re-sends what it no longer holds (restart-check.ts).
 */
import type { UpstreamConfig } from '../../../shared/config/sync.js';
import type { Logger } from '../../log.js';
import { steadyClock } from '../store/steady-clock.js';
import type { SyncStore } from '../store/sync-store.js';
import type { OutboxStream } from '../streams/stream.js';
import { authorization, parseProcessIdentity, parseRetention, restartProbeUrl, traits, writeUrl } from '../upstream/flavour.js';
import { probeUnreadableFault, storedNothing } from '../upstream/faults.js';
import { HttpClient, type HttpOutcome } from '../upstream/http.js';
import { english, parseText, text, type SyncText } from '../../../shared/sync-text.js';
import { Lanes, type LaneBatch } from './lanes.js';
import { defaultBackoff, type BackoffOptions, type Verdict, verdict } from './outcome.js';
import { RateLimiter } from './rate.js';
import type { OnLoss } from './losses.js';
import { RestartCheck } from './restart-check.js';
import { BatchSender, type Kept, type Link } from './sender.js';
import { SentIndex } from './sent-index.js';
import { Waiter } from './waiter.js';

export type UpstreamState = 'starting' | 'sending' | 'idle' | 'retrying' | 'paused' | 'stopped';

export interface WorkerStatus {
  state: UpstreamState;
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  /** `said`: the error as a catalog message where it has one (an upstream's error: upstream/faults.ts). */
  lastError: { at: number; message: string; said?: SyncText } | null;
  paused: { reason: string; since: number } | null;
  /** Lines the upstream may have received twice (re-sends after failures, restarts, replays). */
  resentLines: number;
  sentLines: number;
  restarts: number;
  /** What the last upstream restart check found and re-sent: in English (the log, the CLI) and as a catalog message (the Sync page). */
  restartCheck: { at: number; message: string; text?: SyncText } | null;
}

export interface WorkerOptions {
  config: UpstreamConfig;
  store: SyncStore;
  streams: OutboxStream[];
  log: Logger;
  secret: string | null;
  /** Wall clock (ms since epoch): the times stored and shown. Default Date.now. */
  now?: () => number;
  /**
   * Monotonic clock (ms): every interval, wait and rate (flushes, probes, checks, checkpoints, the
   * drain rate), so that a step of the wall clock (NTP, an operator setting it) neither suspends
   * them for as long as the step back nor fires them all at a step forward. Default performance.now.
   */
  monoNow?: () => number;
  backoff?: BackoffOptions;
  /** How often the upstream's start time is read (ms). */
  probeIntervalMs?: number;
  /** Least time between two checkpoints of what the upstream acknowledged (ms; restart-check.ts). */
  checkpointIntervalMs?: number;
  /** How often a paused upstream is tried again on its own (ms). */
  pauseRetryMs?: number;
  /** How often, between restarts, the upstream is asked whether it still holds its newest checkpoint (ms; restart-check.ts verify). */
  verifyIntervalMs?: number;
  onLoss: OnLoss;
  onChange?: () => void;
}

/** Longest wait for a restart probe's answer (ms). */
const PROBE_TIMEOUT_MS = 5000;
/** Lines within this of VictoriaMetrics' retention limit (or its limit ahead) are quarantined too (ms): they would reach it older. */
const RETENTION_MARGIN_MS = 60_000;
/** A difference between the upstream's clock and the station's said in the quarantine's reason and the log from this (ms). */
const CLOCK_SAID_MS = 60_000;

export class UpstreamWorker {
  readonly id: string;
  private readonly http: HttpClient;
  private readonly lanes: Lanes;
  private readonly sender: BatchSender;
  private readonly rate: RateLimiter;
  private readonly check: RestartCheck;
  /** What the upstream took lately, where it keeps every copy (VictoriaMetrics); null where a line sent again overwrites. */
  private readonly seen: SentIndex | null;
  private readonly wake = new Waiter(true);
  private readonly resumed = new Waiter(false);
  private readonly url: URL;
  private readonly headers: Record<string, string>;
  private readonly now: () => number;
  private readonly mono: () => number;
  /** When what sync.sqlite keeps was recorded (store/steady-clock.ts): a step of the wall clock moves none of it. */
  private readonly steady: () => number;
  private stopped = false;
  private loop: Promise<void> | null = null;
  /** Monotonic ms of the last restart probe. */
  private lastProbeAt = -Infinity;
  /** The last check between restarts: monotonic ms (its interval) and steady ms (the checkpoints it covered); null before the first. */
  private lastVerify: { mono: number; steady: number } | null = null;
  private verifyDue = false;
  /** The checkpoints taken before this (steady) were looked up by a check between restarts (null: none made yet). */
  private verifiedUpTo: number | null = null;
  /** VictoriaMetrics' -retentionPeriod as its last probe answer said (null: not known). */
  private retention: { ms: number; text: string } | null = null;
  /**
   * The upstream's clock as the Date header of its last answer said, and when that came (monotonic ms;
   * null: none had one): VictoriaMetrics drops rows past its retention or more than 2 days ahead by its
   * own clock. Carried on by the monotonic clock, so a step of the station's clock does not move it.
   */
  private upstreamClock: { date: number; mono: number } | null = null;
  /** The upstream's request counter at the last probe (in memory: across a station restart the start time alone tells). */
  private lastRequests: number | null = null;
  private readonly s: WorkerStatus = {
    state: 'starting', lastSuccessAt: null, lastAttemptAt: null, lastError: null, paused: null, resentLines: 0, sentLines: 0, restarts: 0, restartCheck: null,
  };

  constructor(private readonly o: WorkerOptions) {
    const c = o.config;
    this.id = c.id;
    this.now = o.now ?? Date.now;
    this.mono = o.monoNow ?? (() => performance.now());
    this.steady = steadyClock(o.store, c.id, this.now, this.mono);
    this.url = writeUrl(c);
    this.http = new HttpClient({ timeoutMs: c.timeoutMs, caFile: c.tls?.caFile }, this.url);
    const auth = authorization(c, o.secret);
    this.headers = { 'Content-Type': 'text/plain; charset=utf-8', ...(c.gzipLevel > 0 ? { 'Content-Encoding': 'gzip' } : {}), ...(auth ? { Authorization: auth } : {}) };
    this.rate = new RateLimiter(c.drainRateLimit, c.batch.lines, this.mono());
    this.lanes = new Lanes(o.store, o.streams, {
      upstream: c.id, batchLines: c.batch.lines, flushIntervalMs: c.flushIntervalMs, splitAfterMs: Math.max(30_000, 10 * c.flushIntervalMs),
      now: this.now, mono: this.mono, steady: this.steady, log: o.log, onLoss: o.onLoss,
    });
    this.seen = traits[c.flavour].overwritesDuplicates ? null : new SentIndex(this.steady);
    this.sender = new BatchSender(this.link());
    this.check = new RestartCheck({
      config: c, store: o.store, streams: o.streams, http: this.http, auth: auth ? { Authorization: auth } : {}, log: o.log, now: this.now, mono: this.mono, steady: this.steady,
      intervalMs: o.checkpointIntervalMs ?? 60_000, timeoutMs: Math.min(PROBE_TIMEOUT_MS, c.timeoutMs), onLoss: o.onLoss,
      retentionMs: () => this.retention?.ms ?? null,
      upstreamNow: () => this.upstreamNow() ?? this.now(),
      // What it lost must not be skipped as already sent (a block the archive settles as its samples comes back as lines it took).
      distrust: (since) => {
        const n = this.seen?.doubt(since) ?? 0;
        if (n > 0) o.log.info({ upstream: c.id, samples: n }, 'samples the upstream took before its restart check found a loss are no longer taken as held there: written again by the archive, they go again (counted as sent again)');
      },
      onCheckability: (said) => { this.checked(said); this.o.onChange?.(); },
    });
    const counters = o.store.counters(c.id);
    this.s.sentLines = counters.sent;
    this.s.resentLines = counters.resent;
    this.restoreStatus();
    // A pause does not outlive the station: fixed credentials or a created database are picked up at start.
    o.store.setPaused(c.id, null);
  }

  /**
   * What the last run's status said (its last success and error, its restart checks): a station
   * restarted during an outage showed "last success –" though the upstream took data a minute before.
   */
  private restoreStatus(): void {
    const before = this.o.store.statuses().find((x) => x.upstream === this.id)?.status as Partial<Record<keyof WorkerStatus, unknown>> | null | undefined;
    if (!before) return;
    const at = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    const said = (v: unknown) => {
      const x = v as { at?: unknown; message?: unknown } | null;
      return x && at(x.at) !== null && typeof x.message === 'string' ? { at: at(x.at)!, message: x.message } : null;
    };
    this.s.lastSuccessAt = at(before.lastSuccessAt);
    this.s.lastAttemptAt = at(before.lastAttemptAt);
    this.s.lastError = said(before.lastError);
    const errorText = parseText((before.lastError as { said?: unknown } | null | undefined)?.said);
    if (this.s.lastError && errorText) this.s.lastError.said = errorText;
    const check = said(before.restartCheck);
    const text = parseText((before.restartCheck as { text?: unknown } | null | undefined)?.text);
    this.s.restartCheck = check && (text ? { ...check, text } : check);
    this.s.restarts = Number.isSafeInteger(before.restarts) && (before.restarts as number) >= 0 ? (before.restarts as number) : 0;
  }

  start(): void {
    this.loop ??= this.run().catch((err: unknown) => {
      this.o.log.error({ upstream: this.id, err }, 'sync loop stopped on an error');
      this.s.state = 'stopped';
      this.s.lastError = { at: this.now(), message: `sync stopped: ${(err as Error).message}` };
      this.o.onChange?.();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake.fire();
    this.resumed.fire();
    this.http.close();
    await this.loop;
    this.s.state = 'stopped';
  }

  /** Resumes a paused upstream, or cuts a retry wait short. */
  resume(): void {
    this.resumed.fire();
    this.wake.fire();
  }

  /** Something new may be waiting (a replay, a quarantine retry): look now. */
  poke(): void {
    this.wake.fire();
  }

  status(): WorkerStatus {
    return { ...this.s, paused: this.s.paused && { ...this.s.paused }, restartCheck: this.s.restartCheck && { ...this.s.restartCheck } };
  }

  /** What a restart check found, for the status. */
  private checked(said: SyncText): void {
    this.s.restartCheck = { at: this.now(), message: english(said), text: said };
  }

  private async run(): Promise<void> {
    let batch: LaneBatch | null = null;
    let resumed = false;
    while (!this.stopped) {
      try {
        if (!resumed) {
          batch = this.lanes.resume();
          resumed = true;
        }
        await this.probeRestart();
        await this.verifyHoldings();
        batch ??= this.lanes.next(this.rate);
        if (!batch) {
          // Between a draining backlog's batches (the drain rate) the upstream is still being sent to.
          if (this.s.state === 'sending' || this.s.state === 'starting' || this.s.state === 'idle') this.setState(this.draining() ? 'sending' : 'idle');
          await this.wake.wait(Math.min(this.o.config.flushIntervalMs, Math.max(50, this.rate.waitMs(this.mono()) || Infinity)));
          continue;
        }
        this.lanes.begin(batch);
        const current = batch;
        const result = await this.sender.send(batch, () => this.prefetch(current));
        if (!result.done) break;
        this.s.sentLines += result.sent;
        this.s.resentLines += result.resent;
        this.check.note(current, result.lastAcked);
        batch = null;
      } catch (err) {
        // Reading the archive or writing sync.sqlite failed (a full disk, an I/O error): no watermark moved.
        // Start over from what sync.sqlite says, after a pause.
        this.o.log.error({ upstream: this.id, err }, 'sync step failed; trying again in 5 s (nothing is lost: the watermark did not move)');
        this.s.lastError = { at: this.now(), message: `station: ${(err as Error).message}` };
        this.setState('retrying');
        this.lanes.dropPrefetch();
        batch = null;
        resumed = false;
        await this.wake.wait(5000);
      }
    }
    this.lanes.dropPrefetch();
  }

  /** A backlog lane is draining beside the live one. */
  private draining(): boolean {
    return this.o.streams.some((st) => this.o.store.watermark(this.id, st.name).split !== null);
  }

  /** While the first request of a batch is in flight: read and compress the next one. */
  private prefetch(current: LaneBatch): void {
    try {
      this.lanes.prefetch(current);
      const next = this.lanes.prefetched;
      if (next) this.sender.prepare(next);
    } catch (err) {
      this.lanes.dropPrefetch();
      this.o.log.warn({ upstream: this.id, err }, 'reading ahead failed; the next batch is read when it is due');
    }
  }

  private link(): Link {
    const c = this.o.config;
    return {
      upstream: c.id,
      store: this.o.store,
      log: this.o.log,
      gzipLevel: c.gzipLevel,
      backoff: this.o.backoff ?? defaultBackoff,
      partialWrites: traits[c.flavour].partialWrites,
      limits: { lines: c.batch.lines, bytes: c.batch.bytes },
      now: this.now,
      post: async (body) => {
        this.s.lastAttemptAt = this.now();
        const o = await this.http.post(this.url, body, this.headers);
        const v = verdict(o, this.now());
        if (v.kind === 'ok') this.noteClock(o); // the upstream's own answer, not a proxy's error page
        // A reset, timeout or 5xx may come after the upstream stored the lines; a connection refused,
        // an unknown host or a failed TLS handshake comes before the request went (known not sent),
        // and a 2xx with a body is a proxy's or portal's answer, not the upstream's; a 5xx saying
        // it stored nothing (a read-only storage) is known not stored too.
        const wentOut = o.kind === 'network' && o.maybeReceived;
        return { ...v, unknownFate: wentOut || (o.kind === 'response' && o.status >= 500 && !storedNothing(o.status, o.body)), timedOut: wentOut && o.timedOut };
      },
      sleep: async (ms) => {
        await this.wake.wait(ms);
        return !this.stopped;
      },
      pause: (reason) => this.pause(reason),
      stopping: () => this.stopped,
      report: (v, lines) => this.report(v, lines),
      seen: this.seen,
      keeps: () => this.keeps(),
      told: (said) => { this.s.lastError = { at: this.now(), message: english(said), said }; },
    };
  }

  /**
   * The line times VictoriaMetrics keeps now, by its clock (the station's plus the offset its Date
   * header showed): found by an exploratory run, with its clock 2 h ahead a backlog past its retention
   * by its clock was answered 204 and counted as sent; with the station's 3 days ahead, every live line.
   * A minute's margin: the request's way there (and the Date header's whole seconds).
   */
  private keeps(): Kept | null {
    const r = this.retention;
    const limit = traits[this.o.config.flavour].futureLimitMs;
    const theirs = this.upstreamNow();
    const offset = theirs === null ? null : theirs - this.now();
    if (r === null && (limit === null || offset === null)) return null;
    const upstreamNow = theirs ?? this.now();
    const skewed = offset !== null && Math.abs(offset) >= CLOCK_SAID_MS;
    const skew = skewed ? `its clock is ${span(offset)} ${offset > 0 ? 'ahead of' : 'behind'} the station's` : '';
    return {
      oldest: r === null ? -Infinity : upstreamNow - r.ms + RETENTION_MARGIN_MS,
      newest: limit === null || offset === null ? Infinity : upstreamNow + limit - RETENTION_MARGIN_MS,
      older: r === null ? 'VictoriaMetrics\' retention' : `VictoriaMetrics' retention (-retentionPeriod=${r.text}, from its /metrics${skewed ? `; ${skew}` : ''})`,
      newer: `more than ${span(limit ?? 0)} ahead of VictoriaMetrics' clock${skewed ? ` (${span(offset)} ${offset > 0 ? 'ahead of' : 'behind'} the station's)` : ''}`,
      said: (t) => {
        const skewSaid = skewed ? text(offset > 0 ? 'sync.cause.skew.ahead' : 'sync.cause.skew.behind', { span: spanText(offset) }) : 'none';
        if (t > upstreamNow) return text('sync.cause.refused.vmAhead', { lineAt: t, limit: spanText(limit ?? 0), skew: skewSaid });
        return r === null ? text('sync.cause.refused.vmOlder', { lineAt: t }) : text('sync.cause.refused.vmOlderPeriod', { lineAt: t, period: r.text, skew: skewSaid });
      },
    };
  }

  /** The upstream's clock now, from its last answer's Date header on (null: not known). */
  private upstreamNow(): number | null {
    const c = this.upstreamClock;
    return c === null ? null : c.date + (this.mono() - c.mono);
  }

  /** The upstream's clock from an answer's Date header (whole seconds: taken as the middle of that second). */
  private noteClock(o: HttpOutcome): void {
    if (o.kind !== 'response' || o.date === null || o.date === undefined) return;
    const before = this.upstreamClock === null ? null : this.upstreamNow()! - this.now();
    this.upstreamClock = { date: o.date + 500, mono: this.mono() };
    const offset = o.date + 500 - this.now();
    const said = (x: number | null) => x !== null && Math.abs(x) >= CLOCK_SAID_MS;
    if (said(offset) && (!said(before) || Math.abs(offset - before!) >= CLOCK_SAID_MS)) {
      this.o.log.warn({ upstream: this.id, offsetMs: offset }, `the upstream's clock is ${span(offset)} ${offset > 0 ? 'ahead of' : 'behind'} the station's (its Date header)`);
    }
  }

  private report(v: Verdict, _lines: number): void {
    const now = this.now();
    if (v.kind === 'ok') {
      this.s.lastSuccessAt = now;
      this.setState('sending');
    } else {
      // A request cut by stop() (its sockets destroyed) is the station's doing, not the upstream's error:
      // kept, it was shown after a restart as the upstream's last error ("socket hang up").
      if (this.stopped) return;
      this.s.lastError = { at: now, message: v.error, ...(v.said && { said: v.said }) };
      if (v.kind === 'retry') this.setState('retrying');
    }
  }

  private async pause(reason: string): Promise<boolean> {
    const since = this.now();
    // InfluxDB's "database not found": made again, it holds nothing of before (the check after the pause).
    if (/^HTTP 404\b/.test(reason)) this.check.notFoundAnswered(reason);
    this.s.paused = { reason, since };
    this.o.store.setPaused(this.id, this.s.paused);
    this.setState('paused');
    // Resumed by hand, or tried again on its own every few minutes (credentials or a database fixed upstream).
    await this.resumed.wait(this.o.pauseRetryMs ?? 300_000);
    this.verifyDue = true; // checked at the next turn
    this.s.paused = null;
    if (!this.stopped) this.o.store.setPaused(this.id, null);
    this.setState(this.stopped ? 'stopped' : 'sending');
    return !this.stopped;
  }

  private setState(state: UpstreamState): void {
    if (this.s.state === state) return;
    this.s.state = state;
    this.o.onChange?.();
  }

  /**
   * Every few minutes, and after a pause (a database not found, then made again, holds nothing of
   * before): does the upstream still hold what it acknowledged? Else it is sent again and a loss
   * reported (restart-check.ts verify). Found by an exploratory run: a database dropped and made
   * again lost everything acknowledged before, the status green.
   */
  private async verifyHoldings(): Promise<void> {
    const now = { mono: this.mono(), steady: this.steady() };
    if (this.lastVerify === null) {
      this.lastVerify = now; // the first after one interval: what was acknowledged before the start
      return;
    }
    if (!this.verifyDue && now.mono - this.lastVerify.mono < (this.o.verifyIntervalMs ?? 300_000)) return;
    const before = this.lastVerify.steady;
    this.lastVerify = now;
    this.verifyDue = false;
    // Every checkpoint taken since the last check made is looked up, not only the newest.
    const { checked, message } = await this.check.verify(this.verifiedUpTo, before);
    if (checked) this.verifiedUpTo = before;
    if (message === null) return;
    this.checked(message);
    this.o.onChange?.();
  }

  /** A changed start time (or a request counter that went back) means the upstream restarted: what does it still hold? */
  private async probeRestart(): Promise<void> {
    const url = restartProbeUrl(this.o.config);
    const interval = this.o.probeIntervalMs ?? 5000;
    const window = this.o.config.resendWindowSec * 1000;
    if (this.mono() - this.lastProbeAt < interval) return;
    this.lastProbeAt = this.mono();
    // Without a probe the log of acknowledged ranges serves nothing: kept, it grew by a row a
    // batch, ~86,000 a day, for good.
    if (!url) {
      this.o.store.pruneAcked(this.id, this.steady() - window);
      return;
    }
    // A probe that hangs (an upstream killed mid-answer) must not hold the batches behind it for a write's timeout.
    const o = await this.http.get(url, this.headers.Authorization ? { Authorization: this.headers.Authorization } : {},
      Math.min(PROBE_TIMEOUT_MS, this.o.config.timeoutMs));
    if (o.kind !== 'response' || o.status !== 200) return;
    const identity = parseProcessIdentity(o.body, this.o.config.flavour);
    if (identity === null) {
      // A portal or proxy answering for the upstream (200 text/html): no restart could be seen; said, not ignored.
      const message = `restart probe ${url.pathname}: unreadable answer (HTTP 200, ${o.contentType ?? 'no content type'}): not the upstream's; a proxy or portal in the way? ${o.body.replace(/\s+/g, ' ').trim().slice(0, 200)}`.trim();
      if (this.s.lastError?.message !== message) this.o.log.warn({ upstream: this.id, url: url.toString() }, message);
      this.s.lastError = { at: this.now(), message, said: probeUnreadableFault(url.pathname, o.contentType, o.body.replace(/\s+/g, ' ').trim().slice(0, 200)) };
      this.o.onChange?.();
      return;
    }
    this.noteClock(o);
    if (this.o.config.flavour === 'victoriametrics') this.retention = parseRetention(o.body);
    const started = identity.startTime;
    const { store } = this.o;
    const known = store.startTime(this.id);
    const counterReset = this.lastRequests !== null && identity.requests !== null && identity.requests < this.lastRequests;
    this.lastRequests = identity.requests;
    if (known !== null && (known.startTime !== started || counterReset)) {
      const message = await this.check.restarted(known.seenAt, started);
      this.s.restarts++; // with what was found: a status never shows the restart without its check
      this.checked(message);
      this.o.onChange?.();
    } else {
      const message = await this.check.retry();
      if (message !== null) {
        this.checked(message);
        this.o.onChange?.();
      }
    }
    const seenAt = this.steady();
    store.setStartTime(this.id, started, seenAt);
    store.pruneAcked(this.id, seenAt - window);
  }
}

/** The same as a catalog message, for the quarantine's reason in the console's language. */
function spanText(ms: number): SyncText {
  const a = Math.abs(ms);
  if (a >= 2 * 86_400_000) return text('sync.cause.span.days', { n: Math.round(a / 86_400_000) });
  if (a >= 3_600_000) return text('sync.cause.span.hours', { n: Math.round(a / 3_600_000) });
  return text('sync.cause.span.minutes', { n: Math.round(a / 60_000) });
}

/** A clock difference in words for the log and the quarantine's reason: "3 days", "2 h", "5 min". */
function span(ms: number): string {
  const a = Math.abs(ms);
  if (a >= 2 * 86_400_000) return `${Math.round(a / 86_400_000)} days`;
  if (a >= 3_600_000) return `${Math.round(a / 3_600_000)} h`;
  return `${Math.round(a / 60_000)} min`;
}
