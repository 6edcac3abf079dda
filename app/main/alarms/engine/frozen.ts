/**
 * Frozen-value detection (a stuck transmitter): how long a tag's Good value has stayed exactly the
 * same, counted only over live data. OPC UA sends nothing while a value holds, so the count runs on
 * the station's monotonic clock from the last change, not from sample times; a lost server, a bad or
 * uncertain value pauses it (that time says nothing of the transmitter); a change starts it again.
 */

export class FrozenWatch {
  /** The last Good value (NaN: none yet). */
  ref = NaN;
  /** Quiet time (ms) counted before the running stretch. */
  private before = 0;
  /** Monotonic start of the running stretch of live, unchanged data; NaN: paused. */
  private from = NaN;

  /** A Good value at `mono`: true when it changed (the count starts again from it). */
  good(value: number, mono: number): boolean {
    if (value !== this.ref) {
      this.ref = value;
      this.before = 0;
      this.from = mono;
      return true;
    }
    if (Number.isNaN(this.from)) this.from = mono;
    return false;
  }

  /** No live Good data from `mono` on (lost, bad, uncertain): the count stops where it is. */
  pause(mono: number): void {
    if (Number.isNaN(this.from)) return;
    this.before += Math.max(0, mono - this.from);
    this.from = NaN;
  }

  /**
   * After a restart with the alarm kept active: the value it froze at counts as frozen already, so
   * the same value keeps it active and the first change returns it (not a new window from zero).
   */
  seed(value: number, afterMs: number): void {
    this.ref = value;
    this.before = afterMs;
    this.from = NaN;
  }

  get counting(): boolean {
    return !Number.isNaN(this.from);
  }

  /** Live, unchanged time (ms) up to `mono`. */
  quiet(mono: number): number {
    return this.before + (this.counting ? Math.max(0, mono - this.from) : 0);
  }
}
