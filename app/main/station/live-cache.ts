/**
 * The latest value of every tag, and the batches of changes pushed to
 * consoles at display rate (not per sample: a 10 000-tag plant changes
 * thousands of values a second, a screen needs a few frames).
 */
import type { LiveValue } from '../../shared/api.js';
import type { AcquiredSample } from '../acquisition/sample.js';

import { BadWaitingForInitialData } from '../../../historian/status.js';

export { BadWaitingForInitialData };

export class LiveCache {
  private readonly latest = new Map<string, LiveValue>();
  private dirty = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(tagNames: string[], now = Date.now()) {
    // Until a server answers, every tag is explicitly "waiting", never blank or zero.
    for (const tag of tagNames) this.latest.set(tag, { tag, t: now, value: null, status: BadWaitingForInitialData });
  }

  /**
   * Last received wins: after a reconnect a value's source time may be older than the loss marker.
   * A bad sample without a value (lost server) keeps the last known value beside its bad status,
   * as OPC UA servers do: the operator sees where the level was, marked as not live.
   */
  update(samples: readonly AcquiredSample[]): void {
    for (const s of samples) {
      const prev = this.latest.get(s.tag);
      if (!prev) continue;
      this.latest.set(s.tag, { tag: s.tag, t: s.t, value: s.value ?? prev.value, status: s.status });
      this.dirty.add(s.tag);
    }
  }

  snapshot(): LiveValue[] {
    return [...this.latest.values()];
  }

  get(tag: string): LiveValue | undefined {
    return this.latest.get(tag);
  }

  /** Calls publish with the changed values every periodMs, only when something changed. */
  startPublishing(periodMs: number, publish: (batch: LiveValue[]) => void): void {
    this.timer = setInterval(() => {
      if (this.dirty.size === 0) return;
      const batch: LiveValue[] = [];
      for (const tag of this.dirty) batch.push(this.latest.get(tag) as LiveValue);
      this.dirty = new Set();
      publish(batch);
    }, periodMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
