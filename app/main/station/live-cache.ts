/**
 * The latest value of every tag, and the batches of changes pushed to
 * consoles at display rate (not per sample: a 10 000-tag plant changes
 * thousands of values a second, a screen needs a few frames).
 */
import type { LiveValue } from '../../shared/api.js';
import type { AcquiredSample } from '../acquisition/sample.js';

import { BadWaitingForInitialData, isBad } from '../../../historian/status.js';

export { BadWaitingForInitialData };

export class LiveCache {
  private readonly latest = new Map<string, LiveValue>();
  private dirty = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private clock: () => number = () => performance.now();
  private publisher: { periodMs: number; publish: (batch: LiveValue[]) => void; last: number } | null = null;

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
      this.latest.set(tag, { tag, t: now, value: null, status: BadWaitingForInitialData, lastGood: null });
      this.dirty.add(tag);
    }
    this.schedule();
  }

  /**
   * Last received wins: after a reconnect a value's source time may be older than the loss marker.
   * A value that is not bad becomes the last good one; a bad one keeps the last good value and its
   * time beside it, so the screen shows where the level was, and since when, marked as not live.
   */
  update(samples: readonly AcquiredSample[]): void {
    for (const s of samples) {
      const v = this.latest.get(s.tag);
      if (!v) continue;
      // In place: a tag's value object lives as long as the tag. A new pair of objects per
      // sample would each live about a second, long enough to be promoted to V8's old generation
      // (10,000 tags at 1 Hz: 20,000 objects a second of old-generation garbage). Readers send
      // what they get at once (JSON, IPC), so a value never changes under them.
      if (!isBad(s.status) && s.value !== null) {
        if (v.lastGood) {
          v.lastGood.t = s.t;
          v.lastGood.value = s.value;
        } else v.lastGood = { t: s.t, value: s.value };
      }
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
   * Calls publish with the changed values, at most once per periodMs: the first change after a
   * quiet period goes out at once (on the next turn of the event loop, so the samples of one
   * notification go as one batch), later ones when the period since the last batch is over. A
   * free-running timer made every value wait up to a whole period: with OPC UA publishing every
   * 100 ms that was half the source-to-screen time.
   */
  startPublishing(periodMs: number, publish: (batch: LiveValue[]) => void, now: () => number = () => performance.now()): void {
    this.stop();
    this.publisher = { periodMs, publish, last: -Infinity };
    this.clock = now;
    this.schedule();
  }

  private schedule(): void {
    const p = this.publisher;
    if (p === null || this.timer !== null || this.dirty.size === 0) return;
    const wait = Math.max(0, p.last + p.periodMs - this.clock());
    this.timer = setTimeout(() => this.publishNow(), wait);
  }

  /**
   * Sends the changes now if the period since the last batch is over; otherwise they wait for the
   * timer. The station calls it once a notification's samples are all in the cache and before the
   * archive and the alarm engine take them: a screen then does not wait for their work (tens of
   * ms for a 10,000-value burst).
   */
  publishDue(): void {
    const p = this.publisher;
    if (p === null || this.dirty.size === 0 || this.clock() < p.last + p.periodMs) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.publishNow();
  }

  private publishNow(): void {
    this.timer = null;
    const p = this.publisher;
    if (p === null || this.dirty.size === 0) return;
    p.last = this.clock();
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
