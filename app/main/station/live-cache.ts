/**
 * The latest value of every tag, and the batches of changes pushed to
 * consoles at display rate (not per sample: a 10 000-tag plant changes
 * thousands of values a second, a screen needs a few frames).
 */
import type { LiveValue } from '../../shared/api.js';
import type { AcquiredSample } from '../acquisition/sample.js';

import { BadWaitingForInitialData, isGood } from '../../../historian/status.js';

export { BadWaitingForInitialData };

/** Batches a console may get back to back before the period paces them (live-cache startPublishing). */
export const PUBLISH_BURST = 4;

interface Publisher {
  periodMs: number;
  publish: (batch: LiveValue[]) => void;
  /** Batches that may go now (fractional: earned over time). */
  tokens: number;
  /** Clock reading when tokens was last brought up to date. */
  at: number;
}

export class LiveCache {
  private readonly latest = new Map<string, LiveValue>();
  private dirty = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private clock: () => number = () => performance.now();
  private publisher: Publisher | null = null;

  constructor(tagNames: string[], now = Date.now()) {
    this.setTags(tagNames, now);
    // Consoles load the first picture from snapshot(); only later changes are pushed.
    this.dirty.clear();
  }

  /** Follows the config: new tags start waiting, removed ones are forgotten. */
  setTags(tagNames: readonly string[], now = Date.now()): void {
    const keep = new Set(tagNames);
    for (const tag of this.latest.keys()) if (!keep.has(tag)) this.latest.delete(tag);
    // Until a server answers, every tag is explicitly "waiting", never blank or zero.
    for (const tag of tagNames) {
      if (this.latest.has(tag)) continue;
      this.latest.set(tag, { tag, t: now, value: null, status: BadWaitingForInitialData, lastGood: null, goodAtLoss: undefined });
      this.dirty.add(tag);
    }
    this.schedule();
  }

  /**
   * Last received wins: after a reconnect a value's source time may be older than the loss marker.
   * A Good value (not null) is its own last good one: `lastGood` is left out (JSON drops an
   * undefined field), which takes ~40 % off every batch of live values (10,000 tags: ~1 MB a
   * second to serialize, send and parse). Any other (bad, or uncertain: not vouched for) keeps
   * the last Good value and its time beside it, so the screen shows where the level was, and
   * since when, marked as not live.
   */
  update(samples: readonly AcquiredSample[]): void {
    for (const s of samples) {
      const v = this.latest.get(s.tag);
      if (!v) continue;
      // In place: a tag's value object lives as long as the tag. A new object per sample would
      // live about a second, long enough to be promoted to V8's old generation (10,000 tags at
      // 1 Hz: 10,000 objects a second of old-generation garbage). Readers send what they get at
      // once (JSON, IPC), so a value never changes under them.
      const wasGood = isGood(v.status) && v.value !== null;
      // A loss marker after a Good value: the value went bad with its server (a second marker keeps what the first found).
      v.goodAtLoss = s.marker === true && (wasGood || v.goodAtLoss === true) ? true : undefined;
      if (isGood(s.status) && s.value !== null) v.lastGood = undefined;
      // Good until now; else the one before stays (an uncertain value is not vouched for: never the last good one).
      else if (wasGood) v.lastGood = { t: v.t, value: v.value };
      v.t = s.t;
      v.value = s.value;
      v.status = s.status;
      this.dirty.add(s.tag);
    }
    this.schedule();
  }

  /** The values as they are now: objects the cache updates in place, to send at once, not to keep. */
  snapshot(): LiveValue[] {
    return [...this.latest.values()];
  }

  get(tag: string): LiveValue | undefined {
    return this.latest.get(tag);
  }

  /**
   * Calls publish with the changed values, on average at most once per periodMs (a token
   * bucket): the first change after a quiet period goes out at once (on the next turn of the
   * event loop, so the samples of one notification go as one batch), and so do up to
   * PUBLISH_BURST batches back to back; later ones wait for the next token. A server's burst comes
   * as several publish responses a few ms apart (10,000 values: 3-4): with one batch per period
   * the later ones waited up to a whole period (a median 28 ms from station to console at 10,000
   * tags, 4 ms without). A free-running timer made every value wait up to a whole period.
   */
  startPublishing(periodMs: number, publish: (batch: LiveValue[]) => void, now: () => number = () => performance.now()): void {
    this.stop();
    this.clock = now;
    this.publisher = { periodMs, publish, tokens: PUBLISH_BURST, at: now() };
    this.schedule();
  }

  /** Tokens earned since the last look, one per period, at most PUBLISH_BURST (a period of 0: no pacing). */
  private refill(p: Publisher): void {
    const now = this.clock();
    p.tokens = p.periodMs > 0 ? Math.min(PUBLISH_BURST, p.tokens + (now - p.at) / p.periodMs) : PUBLISH_BURST;
    p.at = now;
  }

  private schedule(): void {
    const p = this.publisher;
    if (p === null || this.timer !== null || this.dirty.size === 0) return;
    this.refill(p);
    const wait = p.tokens >= 1 ? 0 : Math.ceil((1 - p.tokens) * p.periodMs - 1e-6); // 96.00000000000001 is 96
    this.timer = setTimeout(() => this.publishNow(), wait);
  }

  /**
   * Sends the changes now if a token is there; otherwise they wait for the timer. The station
   * calls it once a notification's samples are all in the cache and before the archive and the
   * alarm engine take them: a screen then does not wait for their work (tens of ms for a
   * 10,000-value burst).
   */
  publishDue(): void {
    const p = this.publisher;
    if (p === null || this.dirty.size === 0) return;
    this.refill(p);
    if (p.tokens < 1) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.publishNow();
  }

  private publishNow(): void {
    this.timer = null;
    const p = this.publisher;
    if (p === null || this.dirty.size === 0) return;
    this.refill(p);
    p.tokens = Math.max(0, p.tokens - 1); // the timer waited for a whole token (ms rounded up)
    const batch: LiveValue[] = [];
    for (const tag of this.dirty) {
      const v = this.latest.get(tag);
      if (v) batch.push(v);
    }
    this.dirty = new Set();
    if (batch.length) p.publish(batch);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.publisher = null;
  }
}
