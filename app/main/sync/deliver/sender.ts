/**
 * Sends one batch to one upstream until every line is settled: acknowledged
 * (2xx) or quarantined. Requests go in order, one at a time; before each, the
 * batch's progress is written, so that after a kill -9 the batch resumes
 * where it was and the lines of the request that was in flight are counted
 * as possibly sent twice.
 *
 *   network error, 408, 429, 5xx            same request again after backoff (full jitter, Retry-After)
 *   2xx with a body (not 204)               the same: a proxy or portal answered, not the upstream
 *   timeout after the request went          halved after backoff (down to TIMEOUT_FLOOR_LINES): a slow link
 *                                           takes smaller requests; they grow back after successes
 *   413                                     see TooLarge (too-large.ts): transient, halve, or one line too large
 *   400, 422                                bisect; a single refused line goes to the quarantine; REFUSAL_LIMIT
 *                                           in a row, none accepted, pause instead, and the run's lines go again
 *   400 beyond retention (InfluxDB)         quarantined without bisecting when every line was dropped;
 *                                           never counted toward the refusal pause (old data, not a misconfiguration)
 *   401, 403, 404, other                    pause the upstream until resumed; nothing dropped
 */
import type { Logger } from '../../log.js';
import type { SyncStore } from '../store/sync-store.js';
import { type Batch, body, parts } from './batch.js';
import { backoffDelay, type BackoffOptions, type Verdict } from './outcome.js';
import { SentIndex } from './sent-index.js';
import { applyRuns, runsEnd, runsOf } from './uncertain.js';
import { TooLarge } from './too-large.js';
import { english, text, type SyncText } from '../../../shared/sync-text.js';

export interface Link {
  readonly upstream: string;
  readonly store: SyncStore;
  readonly log: Logger;
  readonly gzipLevel: number;
  readonly backoff: BackoffOptions;
  /** A 400 may come after the good lines were stored. */
  readonly partialWrites: boolean;
  /** Current request limits (a 413 lowers them; successes grow them back to the configured size). */
  limits: { lines: number; bytes: number };
  now(): number;
  /**
   * unknownFate: the upstream may have taken the request (a reset or timeout after it went, a 5xx);
   * timedOut: no answer within the timeout after the request went (a link too slow for its size).
   */
  post(body: Buffer, lines: number): Promise<Verdict & { unknownFate?: boolean; timedOut?: boolean }>;
  /** Waits; false when the sync stops meanwhile. */
  sleep(ms: number): Promise<boolean>;
  /** Holds the upstream until resumed; false when the sync stops meanwhile. */
  pause(reason: string): Promise<boolean>;
  stopping(): boolean;
  /** After every request: what it did, for the status. */
  report(v: Verdict, lines: number): void;
  /**
   * Sample times taken lately, where the upstream keeps a second value at a time it holds
   * (VictoriaMetrics); null where a line sent again overwrites the point (InfluxDB).
   */
  readonly seen?: SentIndex | null;
  /**
   * Where the upstream drops lines silently, answering 204 (VictoriaMetrics: older than its
   * -retentionPeriod, more than 2 days ahead, both by its own clock): the line times it keeps now;
   * null while not known (or where the upstream says so itself: InfluxDB's 400).
   */
  keeps?(): Kept | null;
  /**
   * Says to the engineer what the upstream would not take of a range they asked to send again (the
   * status's last error, in the console's language): nothing quarantined stands for it.
   */
  told?(said: SyncText): void;
}

/** Line times an upstream keeps (-Infinity, Infinity: no limit that side), and why it drops one outside (the quarantine's reason). */
export interface Kept {
  oldest: number;
  newest: number;
  /** What a line older than `oldest` is older than ("VictoriaMetrics' retention (...)"). */
  older: string;
  /** What a line newer than `newest` is ("more than 2 days ahead of VictoriaMetrics' clock"). */
  newer: string;
  /** Why a line at `t` outside is quarantined, as a catalog message (absent: said from `older` and `newer` in English only). */
  said?(t: number): SyncText;
}

/** Single-line refusals in a row, with nothing accepted between, after which the upstream is paused instead. */
export const REFUSAL_LIMIT = 20;

/**
 * Fewest lines a request is halved to after timeouts. A link too slow for a request in the timeout
 * (the default 30 s and 1 MiB: below ~35 KB/s uncompressed) had the same request time out forever,
 * VictoriaMetrics storing each attempt; halving finds a size it carries. 50 samples are ~5 KB, ~1 KB
 * gzip'd: smaller requests would not help a link that cannot carry that in the timeout.
 */
export const TIMEOUT_FLOOR_LINES = 50;

/** held: the upstream took this very line (not sent); rewrite: another line at its time; doubted: taken, but possibly lost since (a restart check). */
interface SeenMarks { index: SentIndex; version: number; held: Uint8Array; rewrite: Uint8Array; doubted: Uint8Array; digest: Float64Array }

/** `expired`: lines acknowledged before that the upstream now drops as past its retention (Batch.acknowledged). */
export type SendResult = { done: true; sent: number; resent: number; refused: number; expired: number; lastAcked: number } | { done: false };

export class BatchSender {
  /**
   * The lines quarantined in the current run of refusals (its length the streak): they go again if
   * the run pauses the upstream. Kept in sync.sqlite too, so a station restart in the middle of a run
   * neither starts the count again nor leaves the lines before it quarantined.
   */
  private streakLines: { key: string; t: number; line: string }[];
  private get refusalStreak(): number { return this.streakLines.length; }
  /** Request bodies started ahead of time (key "a:b"). */
  private readonly ahead = new WeakMap<Batch, Map<string, Promise<Buffer>>>();
  private readonly marks = new WeakMap<Batch, SeenMarks>();
  private readonly tooLarge: TooLarge;

  constructor(private readonly link: Link) {
    this.tooLarge = new TooLarge(link.limits.lines);
    this.streakLines = link.store.refusalRun(link.upstream);
  }

  /** Starts compressing the batch's first request while another is in flight. */
  prepare(batch: Batch): void {
    const first = parts(batch.lines, batch.settled, this.link.limits.lines, this.link.limits.bytes)[0];
    if (first) this.bodyOf(batch, first[0], first[1]);
  }

  /** Sends until every line is settled; whileInFlight runs once, when the first request is on its way. */
  async send(batch: Batch, whileInFlight?: () => void): Promise<SendResult> {
    const { link } = this;
    const { store, upstream } = link;
    const n = batch.lines.count;
    // How many copies the upstream may already hold of this line (a 2xx then counts them as sent
    // again): each attempt whose fate was unknown (a reset after the body went, a timeout) may have
    // stored one, and one that keeps duplicates (VictoriaMetrics) keeps each.
    // Kept with the batch in flight (uncertain.ts), so a restart counts as many as were tried.
    const maybe = new Uint8Array(n);
    if (batch.resend) maybe.fill(1);
    else if (!batch.uncertain) maybe.fill(1, batch.settled, Math.min(n, batch.settled + batch.unconfirmed));
    if (batch.uncertain) applyRuns(maybe, batch.uncertain);
    const seen = this.seenOf(batch, true);
    const held = seen?.held ?? null;
    if (seen) {
      // A sample at a time the upstream took already, another line: the archive rewrote it, and it keeps both values.
      // One the upstream took but may have lost since (a restart check found a loss): sent, perhaps a second copy.
      let rewrites = 0, copies = 0, doubted = 0;
      for (let i = batch.settled; i < n; i++) {
        if (seen.rewrite[i] && !maybe[i]) { maybe[i] = 1; rewrites++; }
        if (seen.doubted[i] && !maybe[i]) { maybe[i] = 1; doubted++; }
        copies += seen.held[i]!;
      }
      if (rewrites > 0) link.log.info({ upstream, lines: rewrites }, 'samples rewritten after they were sent: the upstream keeps both values (counted as sent again)');
      if (doubted > 0) link.log.info({ upstream, lines: doubted }, 'samples written again by the archive that the upstream may have lost (its restart check found a loss): sent again (counted as sent again)');
      if (copies > 0) link.log.info({ upstream, lines: copies }, 'samples written again by the archive as they were sent (a block settled as its samples): not sent twice');
    }
    // Ranges to send, and (old: true) runs of lines the upstream would drop silently (past its retention, too far ahead).
    const queue: [number, number, old?: boolean][] = parts(batch.lines, batch.settled, link.limits.lines, link.limits.bytes);
    const times = batch.lines.times;
    let sent = 0, resent = 0, refused = 0, expired = 0, attempt = 0, lastAcked = -1;
    /** Lines [a, b) it took before and now drops as past its retention: settled, counted, logged, not quarantined. */
    const expire = (a: number, b: number, why: string, said?: SyncText) => {
      expired += b - a;
      // The re-send's count is settled with its lines: a restart after them neither loses nor doubles it.
      const total = store.transaction(() => {
        store.progress(upstream, b, 0, runsOf(maybe, b));
        return batch.asked?.pastRetention(b - a) ?? 0;
      });
      if (batch.asked) this.tellAsked(batch, b - a, total, said ?? why);
      else link.log.warn({ upstream, stream: batch.stream, lines: b - a, reason: why }, 'lines sent again that the upstream had taken are past its retention now (expired there by its own policy): not quarantined');
    };
    // Sent again on purpose (a restart's re-send, an engineer's range): a line past the upstream's retention is refused there for good.
    const settlesOld = batch.acknowledged === true || batch.asked !== undefined;
    let settled = batch.settled;
    while (queue.length > 0) {
      const [a, b, aged] = queue[0]!;
      // Checked at each request: a line may age past the retention while an outage holds the batch.
      const kept = link.keeps?.() ?? null;
      if (!aged && kept !== null && hasOutside(times, a, b, kept)) {
        queue.splice(0, queue.length, ...byAge(batch, a, kept, link.limits));
        continue;
      }
      if (aged && settlesOld && kept !== null && allOlder(times, a, b, kept)) {
        expire(a, b, `older than ${kept.older}`, kept.said?.(times[a]!));
        settled = b;
        queue.shift();
        continue;
      }
      if (aged) {
        // VictoriaMetrics would answer 204 and drop them (vm_rows_ignored_total{reason="small_timestamp"},
        // "big_timestamp"): quarantined with that reason instead of counted as sent, like InfluxDB's
        // beyond-retention lines, never toward the refusal pause; newer data flows on.
        refused += b - a;
        const why = (t: number) => (kept !== null && t > kept.newest ? `is ${kept.newer}` : `is older than ${kept?.older ?? 'the upstream\'s retention'}`);
        store.transaction(() => {
          for (let i = a; i < b; i++) {
            const said = kept?.said?.(times[i]!);
            batch.refuse(i, said ? english(said) : `line time ${new Date(times[i]!).toISOString()} ${why(times[i]!)}: it would be dropped silently (answered 204)`, link.now(), said);
          }
          store.progress(upstream, b, 0, runsOf(maybe, b));
        });
        link.log.warn({ upstream, stream: batch.stream, lines: b - a, reason: why(times[a]!) }, 'lines the upstream would drop silently (past its retention, or too far ahead of its clock); quarantined');
        settled = b;
        queue.shift();
        continue;
      }
      const going = held ? b - a - count(held, a, b) : b - a;
      if (going === 0) {
        // Every line of the range is a sample the upstream took as it is: settled without a request.
        store.transaction(() => store.progress(upstream, b, 0, runsOf(maybe, b)));
        settled = b;
        queue.shift();
        continue;
      }
      store.progress(upstream, settled, b - a, runsOf(maybe, settled, [a, b], held));
      const payload = this.bodyOf(batch, a, b);
      this.ahead.get(batch)?.delete(`${a}:${b}`);
      const next = queue[1];
      if (next) this.bodyOf(batch, next[0], next[1]);
      const posting = link.post(await payload, going);
      if (whileInFlight) {
        // After this turn's I/O: the request is written to the socket first.
        setImmediate(whileInFlight);
        whileInFlight = undefined;
      }
      const v = await posting;
      link.report(v, going);
      if (link.stopping()) return { done: false };
      if (v.kind === 'ok') {
        for (let i = a; i < b; i++) if (held?.[i]) continue; else if (maybe[i]) resent += maybe[i]!; else sent++;
        if (seen) for (let i = a; i < b; i++) if (!seen.held[i]) seen.index.add(batch.lines.keys[i]!, batch.lines.times[i]!, seen.digest[i]!);
        settled = b;
        lastAcked = b - 1;
        queue.shift();
        attempt = 0;
        if (this.streakLines.length > 0) {
          this.streakLines = [];
          store.endRefusalRun(upstream);
        }
        const grown = this.tooLarge.accepted(this.bytesOf(batch, a, b), link.limits.lines);
        if (grown !== null) {
          link.limits = { lines: grown, bytes: link.limits.bytes };
          queue.splice(0, queue.length, ...parts(batch.lines, b, grown, link.limits.bytes));
          link.log.info({ upstream, lines: grown }, 'the upstream takes requests again: growing them back');
        }
        continue;
      }
      if (v.kind === 'retry' && v.unknownFate) for (let i = a; i < b; i++) if (!held?.[i]) maybe[i] = Math.min(255, maybe[i]! + 1);
      if (link.partialWrites && v.kind === 'bisect') maybe.fill(1, a, b);
      // What the request left: its try kept only if its fate is unknown (the record before it counted it).
      store.progress(upstream, settled, b - a, runsOf(maybe, settled));
      if (v.kind === 'retry') {
        const delay = backoffDelay(attempt++, v.retryAfterMs, link.backoff);
        const floor = Math.min(TIMEOUT_FLOOR_LINES, this.tooLarge.configuredLines);
        if (v.timedOut && b - a > floor) {
          // Too slow for its size: halved, as for a 413; successes grow the requests back (TooLarge.accepted).
          link.limits = { lines: Math.max(floor, Math.ceil((b - a) / 2)), bytes: link.limits.bytes };
          queue.splice(0, queue.length, ...parts(batch.lines, a, link.limits.lines, link.limits.bytes));
          link.log.warn({ upstream, error: v.error, lines: link.limits.lines, delayMs: delay }, 'upstream write timed out; halving the request');
        } else {
          link.log.warn({ upstream, error: v.error, attempt, delayMs: delay, lines: b - a }, 'upstream write failed; retrying');
        }
        if (!(await link.sleep(delay))) return { done: false };
        continue;
      }
      if (v.kind === 'pause') {
        link.log.error({ upstream, error: v.error }, 'upstream refused the write; paused until resumed (nothing dropped)');
        if (!(await link.pause(v.error))) return { done: false };
        attempt = 0;
        continue;
      }
      if (v.kind === 'bisect' && v.beyondRetention !== undefined && settlesOld && (v.beyondRetention === b - a || b - a === 1)) {
        expire(a, b, v.error, v.said);
        settled = b;
        queue.shift();
        continue;
      }
      if (v.kind === 'bisect' && v.beyondRetention === b - a) {
        // InfluxDB dropped every line as older than its retention policy (and stored none): each goes
        // to the quarantine with that reason, at once; old data is not a misconfiguration, so the
        // refusal streak that pauses the upstream does not count them and live data flows on.
        refused += b - a;
        store.transaction(() => {
          for (let i = a; i < b; i++) batch.refuse(i, v.error, link.now(), v.said);
          store.progress(upstream, b, 0, runsOf(maybe, b));
        });
        link.log.warn({ upstream, stream: batch.stream, lines: b - a, reason: v.error }, 'upstream dropped lines beyond its retention policy; quarantined');
        settled = b;
        queue.shift();
        continue;
      }
      const size = v.kind === 'halve' ? this.bytesOf(batch, a, b) : 0;
      const judged = v.kind === 'halve' ? this.tooLarge.refused(size, b - a) : 'split';
      if (judged === 'transient') {
        // Not stored (a 413 is answered before the body is taken): nothing becomes uncertain.
        const delay = backoffDelay(attempt++, null, link.backoff);
        // Waiting to send it again, as after a 5xx: the status says 'retrying', not 'idle'.
        link.report({ kind: 'retry', error: v.error, ...(v.said && { said: v.said }), retryAfterMs: null }, b - a);
        link.log.warn({ upstream, error: v.error, lines: b - a, bytes: size, delayMs: delay }, 'upstream says too large to a request no larger than it took before: taken as transient, the same request again');
        if (!(await link.sleep(delay))) return { done: false };
        continue;
      }
      if (judged === 'pause') {
        const reason = `the upstream refuses one line of ${size} bytes as too large, though it took requests of up to ${this.tooLarge.largestTaken} bytes: ${v.error}`;
        link.log.error({ upstream }, reason);
        if (!(await link.pause(reason))) return { done: false };
        attempt = 0;
        continue;
      }
      if (b - a > 1) {
        const m = a + Math.ceil((b - a) / 2);
        queue.splice(0, 1, [a, m], [m, b]);
        if (v.kind === 'halve') {
          link.limits = { lines: Math.max(1, m - a), bytes: link.limits.bytes };
          link.log.warn({ upstream, error: v.error, lines: link.limits.lines }, 'upstream says the request is too large; halving it');
        }
        continue;
      }
      // One line the upstream will not take (beyond retention: old data, never a reason to pause).
      const old = v.kind === 'bisect' && v.beyondRetention !== undefined;
      if (!old && this.refusalStreak + 1 >= REFUSAL_LIMIT) {
        const reason = `the upstream refused ${REFUSAL_LIMIT} lines in a row and accepted none: ${v.error}`;
        link.log.error({ upstream }, reason);
        this.unquarantineRun(text('sync.cause.refused.runPaused', { count: REFUSAL_LIMIT, error: v.said ?? v.error }));
        if (!(await link.pause(reason))) return { done: false };
        continue;
      }
      const inRun = old ? null : { key: batch.lines.keys[a]!, t: times[a]!, line: batch.lines.line(a) };
      if (inRun) this.streakLines.push(inRun);
      refused++;
      const said = v.kind === 'halve' ? text('sync.cause.refused.tooLarge', { error: v.said ?? v.error }) : v.said;
      // The English reason keeps the upstream's own answer (its body); the console's words are `said`.
      const reason = v.kind === 'halve' ? english(text('sync.cause.refused.tooLarge', { error: v.error })) : v.error;
      store.transaction(() => {
        batch.refuse(a, reason, link.now(), said);
        if (inRun) store.addRefusal(upstream, inRun);
        store.progress(upstream, b, 0, runsOf(maybe, b));
      });
      link.log.warn({ upstream, stream: batch.stream, line: batch.lines.line(a).slice(0, 200), reason }, 'upstream refused a line; quarantined');
      settled = b;
      queue.shift();
    }
    store.transaction(() => {
      batch.complete(link.now());
      store.endBatch(upstream);
      store.countLines(upstream, sent, resent);
    });
    return { done: true, sent, resent, refused, expired, lastAcked };
  }

  /**
   * Lines of a range an engineer asked to send again that the upstream refuses as past its retention:
   * it cannot store them, so a quarantine (and its alarm, advising a retry) would only be refused
   * again. Said to them instead, with the range, how many so far and the upstream's reason, in the
   * status's last error (their language) and the log. `total`: the re-send's lines so refused so
   * far, kept with it in sync.sqlite (in memory, a station restart in the middle began it again).
   */
  private tellAsked(batch: Batch, lines: number, total: number, reason: string | SyncText): void {
    const { link } = this;
    const asked = batch.asked!;
    const said = text('sync.cause.resendPastRetention', { lines: total, fromAt: asked.from, toAt: asked.to, reason });
    link.log.warn({ upstream: link.upstream, stream: batch.stream, lines }, english(said));
    link.told?.(said);
  }

  /**
   * A run of refusals with none accepted is a misconfiguration (a proxy answering 400 to everything
   * for a moment), not bad data: the lines quarantined in it go again (marked to retry, sent first
   * once the upstream is resumed), said in their reason and the log. Found by an exploratory run:
   * 19 good lines stayed quarantined after a proxy refused everything for 10 s. Marked before the
   * pause, so a station stopped meanwhile sends them at its start.
   */
  private unquarantineRun(said: SyncText): void {
    const lines = this.streakLines;
    this.streakLines = [];
    const { link } = this;
    const n = link.store.transaction(() => {
      link.store.endRefusalRun(link.upstream);
      return link.store.retryRefused(link.upstream, lines, english(said), link.now(), said);
    });
    if (lines.length === 0) return;
    link.log.warn({ upstream: link.upstream, lines: n }, 'lines quarantined in the run of refusals that paused the upstream go again when it is resumed (a misconfiguration, not bad data)');
  }

  /**
   * For an upstream that keeps every copy (link.seen): each unsettled line's digest, and whether the
   * upstream took this very line already (held: not sent again) or another at its time (rewrite).
   * Worked out once per batch, again when it starts (`starting`) if the index took lines since
   * (a batch prepared while the one before was in flight): its bodies leave the held lines out.
   * A line sent again on purpose (a re-send, or one that may be upstream already) is never held, nor
   * one the upstream took before a restart check found it lost what it acknowledged then (doubted).
   * Identical lines within the batch (the backlog of an outage holds both a block's archived points
   * and the block settled as its samples) go once.
   */
  private seenOf(batch: Batch, starting = false): SeenMarks | null {
    const index = batch.stream === 'samples' ? this.link.seen ?? null : null;
    if (!index) return null;
    let m = this.marks.get(batch);
    if (m && !(starting && m.version !== index.version)) return m;
    if (m) this.ahead.delete(batch);
    const { lines } = batch, n = lines.count;
    m = { index, version: index.version, held: new Uint8Array(n), rewrite: new Uint8Array(n), doubted: new Uint8Array(n), digest: new Float64Array(n) };
    const mine = new SentIndex();
    const sure = batch.resend ? n : Math.max(batch.settled + batch.unconfirmed, runsEnd(batch.uncertain ?? []));
    for (let i = batch.settled; i < n; i++) {
      const key = lines.keys[i]!, t = lines.times[i]!, d = (m.digest[i] = lines.lineDigest(i));
      const before = index.taken(key, t, d);
      if (i >= sure && (before === 'same' || mine.taken(key, t, d) === 'same')) m.held[i] = 1;
      else {
        if (before === 'other') m.rewrite[i] = 1;
        else if (before === 'doubt') m.doubted[i] = 1;
        mine.add(key, t, d);
      }
    }
    this.marks.set(batch, m);
    return m;
  }

  /** The size of the request for lines [a, b) (held lines left out), before gzip. */
  private bytesOf(batch: Batch, a: number, b: number): number {
    const held = this.seenOf(batch)?.held;
    let size = batch.lines.bytes(a, b).length;
    if (held) for (let i = a; i < b; i++) if (held[i]) size -= batch.lines.size(i);
    return size;
  }

  private bodyOf(batch: Batch, a: number, b: number): Promise<Buffer> {
    let m = this.ahead.get(batch);
    if (!m) this.ahead.set(batch, (m = new Map()));
    const key = `${a}:${b}`;
    let p = m.get(key);
    if (!p) {
      const held = this.seenOf(batch)?.held ?? null;
      p = body(batch.lines, a, b, this.link.gzipLevel, held && count(held, a, b) > 0 ? held : null);
      p.catch(() => undefined); // awaited where it is used; never left unhandled when dropped
      m.set(key, p);
    }
    return p;
  }
}

/** How many of marks[a, b) are set. */
function count(marks: Uint8Array, a: number, b: number): number {
  let c = 0;
  for (let i = a; i < b; i++) c += marks[i]!;
  return c;
}

/** A line of [a, b) the upstream would drop (outside what it keeps). */
function hasOutside(times: readonly number[], a: number, b: number, kept: Kept): boolean {
  for (let i = a; i < b; i++) if (outside(times[i]!, kept)) return true;
  return false;
}

/** Every line of [a, b) is older than what the upstream keeps (not ahead of its clock). */
function allOlder(times: readonly number[], a: number, b: number, kept: Kept): boolean {
  for (let i = a; i < b; i++) if (!(times[i]! < kept.oldest)) return false;
  return true;
}

function outside(t: number, kept: Kept): boolean {
  return t < kept.oldest || t > kept.newest;
}

/** Lines [from, end) as requests within the limits, runs of lines the upstream would drop apart (old: true). */
function byAge(batch: Batch, from: number, kept: Kept, limits: { lines: number; bytes: number }): [number, number, old?: boolean][] {
  const out: [number, number, old?: boolean][] = [];
  const times = batch.lines.times, n = batch.lines.count;
  for (let i = from; i < n;) {
    const isOld = outside(times[i]!, kept);
    let j = i + 1;
    while (j < n && outside(times[j]!, kept) === isOld) j++;
    if (isOld) out.push([i, j, true]);
    else out.push(...parts(batch.lines, i, limits.lines, limits.bytes, j));
    i = j;
  }
  return out;
}
