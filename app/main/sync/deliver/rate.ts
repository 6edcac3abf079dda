/**
 * Token bucket for backlog drains: lines per second, bursts up to one batch.
 * A batch may overdraw it; the next one then waits until it is paid back.
 * Times are on the monotonic clock (performance.now()): a step of the wall
 * clock must neither take an hour of tokens away nor hand them out.
 */
export class RateLimiter {
  private tokens: number;
  private at: number;

  constructor(private readonly perSecond: number, private readonly burst: number, now: number) {
    this.tokens = burst;
    this.at = now;
  }

  /** ms until a batch may go (0: now). Unlimited when perSecond is 0. */
  waitMs(now: number): number {
    if (this.perSecond === 0) return 0;
    this.refill(now);
    return this.tokens > 0 ? 0 : Math.ceil((-this.tokens + 1) * 1000 / this.perSecond);
  }

  take(lines: number, now: number): void {
    if (this.perSecond === 0) return;
    this.refill(now);
    this.tokens -= lines;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + Math.max(0, now - this.at) * this.perSecond / 1000);
    this.at = now;
  }
}
