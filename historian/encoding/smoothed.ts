/**
 * Smoothed values (v6, value encoding 5): a process measurement is a slowly moving level plus
 * noise close to white. Its deltas carry that noise twice (variance 2σ²); its residuals against
 * an exponentially smoothed level carry it about once: up to half a bit a sample less, 5-10 %
 * of a noisy block (white noise of 3 to 300 units around a level: coded deltas 0.97 / 0.87 /
 * 0.81 of the zlib baseline, smoothed 0.87 / 0.82 / 0.78). Written as: the first value, the
 * shift (the level moves by 2^-shift of each residual), then the residuals through the entropy
 * stage. The level is kept in fixed point, FRACTION bits below the unit, in integer arithmetic
 * on doubles, exact while |value| < 2^LIMIT_BITS units (larger values are left to the deltas).
 */
import { BitReader, bitLength, uintBits, unzigzag, zigzag } from './bits.js';
import { codedSection, headed, scratchColumn, type Section } from './coded.js';
import { readCodedSums } from './huffman.js';

export const MAX_SHIFT = 6;
const FRACTION = 256; // 2^8
const HALF = FRACTION / 2;
const UNIT = 1 / FRACTION; // products by powers of two are exact: no division in the loops
const LIMIT_BITS = 44; // |k| * FRACTION stays below 2^52
const LIMIT = 2 ** LIMIT_BITS;
const STEP = [1, 1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 32, 1 / 64]; // 2^-shift
/**
 * Kept only when 2 % shorter than the best encoding so far: a smoothed block decodes about a
 * third slower than coded deltas, not worth a few bytes (a year of a smooth 1 s signal rounded
 * to 0.01: 4 % of its blocks were smoothed for 70 bytes in 242 KB).
 */
const MIN_GAIN = 0.98;
/** The decoder reads the residuals as running sums (huffman.ts): the encoder keeps them exact. */
const SUM_LIMIT = 2 ** 52;

/** The level's prediction of the next value (round half up of the fixed-point level). */
const predict = (level: number): number => Math.floor((level + HALF) * UNIT);

/**
 * The smoothed section of values ×10^d, or null when their deltas look as good (bestShift) or
 * the section is not 2 % shorter than `bits`, the best encoding's so far.
 */
export function smoothedValues(values: ArrayLike<number>, n: number, d: number, bits: number): Section | null {
  const k = scaled(values, n, d);
  if (k === null) return null;
  const shift = bestShift(k, n);
  if (shift === 0) return null;
  const residuals = scratchColumn(0, n);
  let level = k[0]! * FRACTION, sum = 0;
  const step = STEP[shift]!;
  for (let i = 1; i < n; i++) {
    const r = k[i]! - predict(level);
    residuals[i] = r;
    sum += r;
    if (!(Math.abs(sum) < SUM_LIMIT)) return null;
    level += Math.floor((k[i]! * FRACTION - level) * step);
  }
  const section = headed([zigzag(k[0]!), shift], codedSection(residuals, 1, n, 'smoothed'));
  return section.bits < bits * MIN_GAIN ? section : null;
}

/**
 * A floor under the bits of the smoothed section at the shift the encoder picks (bound.ts), or
 * -1 where the encoder does not try it: each residual that is not 0 takes at least
 * bitLength(zigzag(residual)) bits (a code bit and its class's raw bits).
 */
export function smoothedBitsAtLeast(values: ArrayLike<number>, n: number, d: number): number {
  const k = scaled(values, n, d);
  if (k === null) return -1;
  const shift = bestShift(k, n);
  if (shift === 0) return -1;
  const step = STEP[shift]!;
  let level = k[0]! * FRACTION, bits = uintBits(zigzag(k[0]!)) + uintBits(shift);
  for (let i = 1; i < n; i++) {
    const r = k[i]! - predict(level);
    if (r !== 0) bits += bitLength(zigzag(r));
    level += Math.floor((k[i]! * FRACTION - level) * step);
  }
  return bits;
}

/** The values ×10^d as integers (scratch column 1), or null where the encoder does not try smoothing: short blocks, values past the fixed point's range. */
function scaled(values: ArrayLike<number>, n: number, d: number): Float64Array | null {
  if (n < 16) return null;
  const p = 10 ** d;
  const k = scratchColumn(1, n);
  for (let i = 0; i < n; i++) {
    const v = Math.round(values[i]! * p);
    if (!(Math.abs(v) < LIMIT)) return null;
    k[i] = v;
  }
  return k;
}

/**
 * The shift for these values, or 0 to leave them to the deltas, from one pass: the lag-1
 * autocorrelation ρ of the deltas. A level that walks plus white noise has deltas of an MA(1)
 * process, ρ = -θ / (1 + θ²), and the best exponential smoothing of it moves by α = 1 - θ
 * (Box & Jenkins); the shift is α's nearest power of two. A pure walk (ρ near 0) keeps the deltas.
 */
function bestShift(k: Float64Array, n: number): number {
  let prev = k[1]! - k[0]!, sq = prev * prev, lag = 0;
  for (let i = 2; i < n; i++) {
    const delta = k[i]! - k[i - 1]!;
    sq += delta * delta;
    lag += delta * prev;
    prev = delta;
  }
  const rho = sq > 0 ? lag / sq : 0;
  if (!(rho < -0.05)) return 0;
  const r = Math.max(rho, -0.5);
  const theta = (1 - Math.sqrt(1 - 4 * r * r)) / (2 * -r);
  const shift = Math.round(-Math.log2(Math.max(1 - theta, 2 ** -MAX_SHIFT)));
  return shift >= 1 ? Math.min(shift, MAX_SHIFT) : 0;
}

export function readSmoothedValues(r: BitReader, out: Float64Array, n: number, d: number): void {
  r.what = 'values (smoothed)';
  const p = 10 ** d;
  const k0 = unzigzag(r.readUint());
  const shift = r.readUint();
  if (shift < 1 || shift > MAX_SHIFT) throw new Error(`corrupt block: values (smoothed): shift ${shift}, expected 1 to ${MAX_SHIFT}`);
  if (!(Math.abs(k0) < LIMIT)) throw new Error('corrupt block: values (smoothed): first value out of range');
  out[0] = k0 / p;
  if (n < 2) return;
  readCodedSums(r, out, 1, n, 0, 1); // out[i]: the residuals' running sum
  const step = STEP[shift]!;
  let level = k0 * FRACTION, prev = 0;
  for (let i = 1; i < n; i++) {
    const sum = out[i]!;
    const k = Math.floor((level + HALF) * UNIT) + sum - prev;
    prev = sum;
    if (k >= LIMIT || k <= -LIMIT) throw new Error(`corrupt block: values (smoothed): value out of range at sample ${i}`);
    out[i] = k / p;
    level += Math.floor((k * FRACTION - level) * step);
  }
}

