/**
 * Alarm flood (EEMUA 191): more than `startAbove` annunciations in the window
 * starts a flood; it ends when fewer than `endBelow` remain in the window.
 */
export interface FloodSettings {
  windowMs: number;
  startAbove: number;
  endBelow: number;
}

export class FloodWindow {
  private times: number[] = [];
  private head = 0;
  active = false;
  since: number | null = null;

  constructor(public settings: FloodSettings) {}

  /** Times are on a clock that never steps (the engine's monotonic one); `since` says the wall clock's. */
  add(t: number, wall = t): void {
    this.times.push(t);
    this.update(t, wall);
  }

  count(now: number): number {
    const from = now - this.settings.windowMs;
    while (this.head < this.times.length && this.times[this.head]! <= from) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  /** Re-reads the window at `now`; true when the flood state changed. */
  update(now: number, wall = now): boolean {
    const n = this.count(now);
    if (!this.active && n > this.settings.startAbove) {
      this.active = true;
      this.since = wall;
      return true;
    }
    if (this.active && n < this.settings.endBelow) {
      this.active = false;
      this.since = null;
      return true;
    }
    return false;
  }
}
