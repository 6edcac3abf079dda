/**
 * When the station's archive commits. A commit holds the station's thread for tens of ms at
 * 10,000 tags, and OPC UA publishes arrive at the publishing interval: a free-running timer
 * drifts onto an arrival sooner or later and makes those values wait behind the commit. So the
 * commit is made once `periodMs` less a tenth has passed since the last one and the batches
 * have paused for QUIET_MS: a publish comes as several responses a few ms apart (a commit
 * right after the first one made the others wait: console p99 319 ms against 244), and the
 * commit is then done before the next publish comes. A timer still
 * commits `periodMs` plus a tenth after the last commit when no batch came due: a flush also
 * releases discrete samples past their sorting window and writes the segments of tags whose turn
 * has come (historian/store/writer.ts), which a quiet plant must not hold back.
 */
/** How long the batches must pause before a due commit is made. */
export const QUIET_MS = 25;

export class FlushPacer {
  private last: number;
  private quiet: NodeJS.Timeout | null = null;
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
    this.arm();
  }

  /** A batch was handled: when a commit is due, it is made QUIET_MS after the last batch. */
  noteData(): void {
    if (this.stopped || this.now() - this.last < this.periodMs - this.slack) return;
    if (this.quiet !== null) clearTimeout(this.quiet);
    this.quiet = setTimeout(() => this.run(), QUIET_MS);
    this.quiet.unref();
  }

  private run(): void {
    if (this.quiet !== null) clearTimeout(this.quiet);
    this.quiet = null;
    if (this.stopped) return;
    this.last = this.now();
    this.arm();
    try {
      this.flush();
    } catch (err) {
      this.onError(err as Error);
    }
  }

  /** The next commit at the latest: periodMs plus a tenth after the last one. */
  private arm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run();
    }, this.periodMs + this.slack);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.quiet !== null) clearTimeout(this.quiet);
    this.timer = null;
    this.quiet = null;
  }
}
