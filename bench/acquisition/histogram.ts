/** Latencies in 1 ms buckets up to a minute (beyond: one overflow bucket): percentiles without keeping every value. */
export class Histogram {
  private readonly buckets = new Uint32Array(60_001);
  count = 0;

  add(ms: number): void {
    const i = Math.min(this.buckets.length - 1, Math.max(0, Math.round(ms)));
    this.buckets[i]!++;
    this.count++;
  }

  /** The q-quantile (0..1) in ms; null when empty. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]!;
      if (seen >= rank) return i;
    }
    return this.buckets.length - 1;
  }

  summary(): { n: number; p50: number | null; p99: number | null; max: number | null } {
    let max: number | null = null;
    for (let i = this.buckets.length - 1; i >= 0; i--) if (this.buckets[i]) { max = i; break; }
    return { n: this.count, p50: this.quantile(0.5), p99: this.quantile(0.99), max };
  }
}

/** CPU time of this process over a window, as % of one core. */
export function cpuMeter(): () => number {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const d = process.cpuUsage(cpu0);
    return ((d.user + d.system) / 1000 / (performance.now() - t0)) * 100;
  };
}
