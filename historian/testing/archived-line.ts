/**
 * For tests of compressed archives: what a tag's archived points say at a time (straight between
 * them, as a compressor's deviation bound is stated), and a plant value that a compressor must see
 * to stay within it.
 */

/** The archived line at t: the point there, else straight between the points either side (null outside them). */
export function lineAt(rows: readonly { t: number; value: number }[], t: number): number | null {
  let lo = 0, hi = rows.length - 1;
  if (hi < 0 || t < rows[0]!.t || t > rows[hi]!.t) return null;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.t <= t) lo = mid;
    else hi = mid;
  }
  const a = rows[lo]!, b = rows[hi]!;
  if (a.t === t) return a.value;
  if (b.t === t) return b.value;
  return a.value + ((b.value - a.value) * (t - a.t)) / (b.t - a.t);
}

/**
 * A plant value at step i, to 2 decimals as an instrument reports it (deterministic): a swing with
 * noise, and every 5th sample a spike of 3 deviations that only that sample shows (a compressor
 * that never saw it is off by more than its deviation there).
 */
export function spikyValue(i: number, deviation: number): number {
  const noise = ((Math.imul(i + 1, 0x9e3779b1) >>> 0) / 2 ** 32 - 0.5) * 0.2;
  const spike = i % 5 === 2 ? 3 * deviation : 0;
  return Math.round((50 + 10 * Math.sin(i / 12) + noise + spike) * 100) / 100;
}
