/**
 * When the station's archive commits. A commit holds the station's thread for tens of ms at
 * 10,000 tags, and OPC UA publishes arrive at the publishing interval: a free-running timer
 * drifts onto an arrival sooner or later and makes those values wait behind the commit. So the
 * commit is made right after a batch of samples was handled, once `periodMs` (less a tenth) has
 * passed since the last one: it is then done before the next publish comes. Data that no later
 * batch follows (the plant went quiet, a backfill) is committed by a timer at most
 * `periodMs` plus a tenth after the last commit.
 */
export class FlushPacer {
  private last: number;
  private pending = false;
  private queued = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly slack: number;

  constructor(
    private readonly flush: () => void,
    private readonly periodMs: number,
    private readonly onError: (err: Error) => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.last = now();
    this.slack = periodMs / 10;
  }

  /** A batch was handled (or data was stored some other way): commit after it when due. */
  noteData(): void {
    if (this.stopped) return;
    this.pending = true;
    if (this.now() - this.last >= this.periodMs - this.slack) {
      if (!this.queued) {
        this.queued = true;
        // After the batch's other sinks and this turn's I/O callbacks, before the next arrival.
        setImmediate(() => this.run());
      }
    } else this.arm();
  }

  /** Commits now what is pending (the timer's and the queued commit's path). */
  private run(): void {
    this.queued = false;
    if (this.stopped || !this.pending) return;
    this.pending = false;
    this.last = this.now();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    try {
      this.flush();
    } catch (err) {
      this.onError(err as Error);
    }
  }

  /** The fallback: pending data waits at most periodMs plus a tenth after the last commit. */
  private arm(): void {
    if (this.timer !== null) return;
    const wait = Math.max(0, this.last + this.periodMs + this.slack - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run();
    }, wait);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
