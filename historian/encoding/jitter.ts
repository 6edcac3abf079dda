/**
 * Timestamps of a clock that jitters around its period (v5): each interval against a base
 * interval, through the entropy stage, instead of each interval against the one before. A
 * server's source timestamps a second apart give or take a few ms, or a logger that skips a
 * second now and then (SKAB's pump bench), make delta-of-deltas pay every deviation twice, once
 * going off and once coming back: intervals of 1000, 1003, 998 have delta-of-deltas 3, -5 and
 * deviations 3, -2. Measured: SKAB's clocks 0.66-0.99 -> 0.54-0.84 bits a sample; a 1 s clock
 * on its grid with ±3 ms, 4.6 -> 3.9 bits a sample against coded delta-of-deltas (a 1,000-sample
 * block 540 -> 516 bytes against v4's shorter form). Written as: the first time, the quantum, the base interval in
 * quanta (the median of the first three), then each interval's deviation from it.
 */
import { type BitReader, unzigzag, zigzag } from './bits.js';
import { codedSection, headed, scratchColumn, type Section } from './coded.js';
import { readCodedSums } from './huffman.js';


/** The median of the first three intervals (in quanta; of those there are, for short blocks). */
function baseInterval(t: ArrayLike<number>, n: number, q: number): number {
  const a = (t[1]! - t[0]!) / q;
  if (n < 4) return a;
  const b = (t[2]! - t[1]!) / q, c = (t[3]! - t[2]!) / q;
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/** Timestamps as intervals against a base interval (n >= 2). */
export function jitterTimestamps(t: ArrayLike<number>, n: number, q: number): Section {
  const first = zigzag(t[0]!);
  const base = baseInterval(t, n, q);
  const deviations = scratchColumn(0, n);
  for (let i = 1; i < n; i++) deviations[i] = (t[i]! - t[i - 1]!) / q - base;
  return headed([first, q, base], codedSection(deviations, 1, n, 'jitter'));
}

export function readJitterTimestamps(r: BitReader, out: Float64Array, n: number): void {
  r.what = 'timestamps (jitter)';
  const t0 = unzigzag(r.readUint());
  out[0] = t0;
  const q = r.readUint();
  if (q === 0) throw new Error('corrupt block: timestamps: time quantum 0');
  const base = r.readUint();
  // The deviations come back summed: S_i = (t_i - t_0) / q - i * base.
  readCodedSums(r, out, 1, n, 0, 1);
  let prev = t0;
  for (let i = 1; i < n; i++) {
    const t = t0 + (out[i]! + i * base) * q;
    if (t < prev) throw new Error(`corrupt block: timestamps: negative delta at sample ${i}`);
    out[i] = prev = t;
  }
  if (!Number.isSafeInteger(prev)) throw new Error('corrupt block: timestamps: outside the integer range');
}
