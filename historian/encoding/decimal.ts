/**
 * Values of decimal-sourced process data: scale every value by 10^d to an exact integer, then
 * store the first integer and the deltas, per mini-block of 64 deltas as a frame of reference
 * (the mini-block's minimum delta) plus each delta's offset from it in the fewest bits that fit;
 * a mini-block header is '0' when the frame (minimum, width) repeats, else '1' + minimum + width.
 * A level with 0.01 resolution and a little noise costs a few bits per sample; a ramp or a flat
 * line costs 0.
 */
import { BitReader, BitWriter, bitLength, unzigzag, zigzag } from './bits.js';
import { MOST_ULPS, ulpsBetween } from './near.js';

export const MINI_BLOCK = 64;
export const MAX_SCALE = 9;
/** Scaled integers stay below 2^51 so deltas and their zigzag stay exact in doubles. */
const LIMIT = 2 ** 51;

/**
 * The smallest d in 0..9 such that every value v satisfies Math.round(v * 10^d) / 10^d === v
 * (exactly what the decoder computes), or -1 if there is none, or if a value is -0 or not finite.
 */
export function decimalScale(values: ArrayLike<number>, n: number): number {
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || Object.is(v, -0) || Math.abs(v) >= LIMIT) return -1;
  }
  let d = 0;
  let p = 1;
  let i = 0;
  // Each value only moves d up, so one pass with restarts is enough.
  while (i < n) {
    const v = values[i];
    const k = Math.round(v * p);
    if (k / p === v && Math.abs(k) < LIMIT) {
      i++;
      continue;
    }
    if (++d > MAX_SCALE) return -1;
    p *= 10;
    i = 0;
  }
  return d;
}

/**
 * Scale byte flag (block v5): the values are float32s, as an OPC UA Float or a PLC's REAL arrives
 * (23.45 in a float is 23.450000762939453 as a double, exact at no d of ten or fewer decimals);
 * each is stored as the decimal of its float printed shortest, and decodes as Math.fround(k / 10^d).
 */
export const F32 = 0x80;

/**
 * Scale byte flag (block v5): the values are decimals at d but for some a few units in the last
 * place off (near.ts), whose distances follow the values.
 */
export const NEAR = 0x40;
/** Scale byte flag (block v8): exceptions follow the values (exceptions.ts). */
export const EXCEPTIONS = 0x20;
/** The scale byte's d (0..9; 0x20 is EXCEPTIONS, never set before v8). */
export const SCALE_DIGITS = 0x1f;

/**
 * The scale byte of a block's values: decimalScale's d; or F32 | d when the values are float32s
 * and d is the smallest in 0..9 with Math.fround(Math.round(v * 10^d) / 10^d) === v for each
 * (exactly what the decoder computes); or NEAR | d when d is the smallest that brings each value
 * within MOST_ULPS of its decimal; or -1 (XOR).
 */
export function valueScale(values: ArrayLike<number>, n: number): number {
  const d = decimalScale(values, n);
  if (d >= 0) return d;
  let float32 = true;
  for (let i = 0; i < n && float32; i++) {
    const v = values[i]!;
    float32 = Math.fround(v) === v && !Object.is(v, -0) && Number.isFinite(v);
  }
  const f = float32 ? smallestScale(values, n, fitsFloat32) : -1;
  if (f >= 0) return F32 | f;
  const near = smallestScale(values, n, fitsNear);
  return near >= 0 ? NEAR | near : -1;
}

/** v is the float32 of decimal k / p. */
const fitsFloat32 = (v: number, k: number, p: number): boolean => Math.fround(k / p) === v;
/** v is within MOST_ULPS of decimal k / p as decoded (+ 0: a decimal of 0 decodes as +0, so -0 and tiny negatives are far from it and XOR keeps them). */
const fitsNear = (v: number, k: number, p: number): boolean => Math.abs(ulpsBetween(v, k / p + 0)) <= MOST_ULPS;

/**
 * The smallest d in 0..9 at which every value fits its scaled integer k = Math.round(v * 10^d)
 * (and |k| < LIMIT), or -1. Each value only moves d up, so one pass with restarts is enough.
 */
function smallestScale(values: ArrayLike<number>, n: number, fits: (v: number, k: number, p: number) => boolean): number {
  let d = 0;
  let p = 1;
  for (let i = 0; i < n; ) {
    const v = values[i]!;
    const k = Math.round(v * p);
    if (Math.abs(k) < LIMIT && fits(v, k, p)) {
      i++;
      continue;
    }
    if (++d > MAX_SCALE) return -1;
    p *= 10;
    i = 0;
  }
  return d;
}

export function writeDecimalValues(w: BitWriter, values: ArrayLike<number>, n: number, d: number, scratch: Float64Array): void {
  const p = 10 ** d;
  const k = scratch;
  for (let i = 0; i < n; i++) k[i] = Math.round(values[i] * p);
  w.writeUint(zigzag(k[0]));
  let prevMin = NaN;
  let prevWidth = -1;
  for (let start = 1; start < n; start += MINI_BLOCK) {
    const end = Math.min(n, start + MINI_BLOCK);
    let min = Infinity;
    let max = -Infinity;
    for (let i = start; i < end; i++) {
      const delta = k[i] - k[i - 1];
      if (delta < min) min = delta;
      if (delta > max) max = delta;
    }
    const width = bitLength(max - min);
    if (min === prevMin && width === prevWidth) {
      w.write(0, 1);
    } else {
      w.write(1, 1);
      w.writeUint(zigzag(min));
      w.write(width, 6);
      prevMin = min;
      prevWidth = width;
    }
    if (width === 0) continue;
    if (width <= 32) {
      for (let i = start; i < end; i++) w.write(k[i] - k[i - 1] - min, width);
    } else {
      for (let i = start; i < end; i++) w.writeBig(k[i] - k[i - 1] - min, width);
    }
  }
}

export function readDecimalValues(r: BitReader, out: Float64Array, n: number, d: number): void {
  r.what = 'values (decimal)';
  const p = 10 ** d;
  let k = unzigzag(r.readUint());
  out[0] = k / p;
  let min = 0;
  let width = -1;
  for (let start = 1; start < n; start += MINI_BLOCK) {
    const end = Math.min(n, start + MINI_BLOCK);
    if (r.bit() !== 0) {
      min = unzigzag(r.readUint());
      width = r.read(6);
    } else if (width < 0) {
      throw new Error(`corrupt block: values (decimal): mini-block at sample ${start} repeats a missing frame`);
    }
    if (width > 53) throw new Error(`corrupt block: values (decimal): bit width ${width} at sample ${start}`);
    if (width === 0) {
      for (let i = start; i < end; i++) {
        k += min;
        out[i] = k / p;
      }
    } else if (width <= 32) {
      for (let i = start; i < end; i++) {
        k += min + r.read(width);
        out[i] = k / p;
      }
    } else {
      for (let i = start; i < end; i++) {
        k += min + r.readBig(width);
        out[i] = k / p;
      }
    }
    if (!(Math.abs(k) < 2 ** 53)) throw new Error(`corrupt block: values (decimal): integer out of range at sample ${end - 1}`);
  }
}
