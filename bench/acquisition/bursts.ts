/**
 * The slowest bursts to reach the console, and what held the station's thread meanwhile. Every
 * tag changes at the simulator's tick, so a source second is one burst; the p99 of a 60 s run is
 * set by its worst one or two bursts, so these say what to look at.
 */
import type { Stall } from './station-child.js';

export interface SlowBurst {
  /** The burst's source time, ms since epoch. */
  t: number;
  /** Its last value's source -> console latency. */
  maxMs: number;
  /** Stalls of the station that overlapped the wait from the source time to the last value's arrival (afterMs: when each began, after the source time). */
  during: { what: string; ms: number; afterMs: number }[];
}

/** Per source second, the highest latency seen. */
export class BurstLatency {
  private readonly bySecond = new Map<number, number>();

  add(t: number, ms: number): void {
    const s = Math.floor(t / 1000);
    if ((this.bySecond.get(s) ?? -1) < ms) this.bySecond.set(s, ms);
  }

  slowest(stalls: readonly Stall[], n: number): SlowBurst[] {
    return [...this.bySecond].sort((a, b) => b[1] - a[1]).slice(0, n).map(([s, maxMs]) => {
      const t = s * 1000;
      const during = stalls.filter((x) => x.at + x.ms >= t && x.at <= t + maxMs)
        .map((x) => ({ what: x.what, ms: Math.round(x.ms), afterMs: Math.round(x.at - t) }));
      return { t, maxMs, during };
    });
  }
}
