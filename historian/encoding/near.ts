/**
 * Near-decimal values (v5, scale byte flag 0x40): a CSV written by a program that printed its
 * doubles in full carries values a few units in the last place off their decimal, such as
 * 0.12984500000000002 and 1.9811299999999998 beside 0.054711 in a copy of SKAB's pump bench (a
 * quarter of its cells). No d of ten or fewer decimals makes such a block exact, so v4 XOR-coded
 * all of it (4.7 bytes a sample instead of 1.7). The values are stored as decimals at the d the
 * block needs but for them, and after them each value's distance from its decimal in units in
 * the last place (0 for most, ±1 or ±2 for the others) through the entropy stage.
 */
import type { BitReader } from './bits.js';
import { codedSection, scratchColumn, type Section } from './coded.js';
import { readCodedResiduals } from './huffman.js';

/** A value further than this from its decimal makes the block XOR. */
export const MOST_ULPS = 1023;

const f64 = new Float64Array(1);
const i32 = new Int32Array(f64.buffer); // [low, high] words (little-endian, as every platform Node runs on)

/** bits(a) - bits(b) as integers (exact while the high words differ by little: same sign, near). */
export function ulpsBetween(a: number, b: number): number {
  f64[0] = a;
  const lo = i32[0]! >>> 0, hi = i32[1]!;
  f64[0] = b;
  return (hi - i32[1]!) * 4294967296 + (lo - (i32[0]! >>> 0));
}

/** The double `ulps` units in the last place from v (bits(v) + ulps, carried between the words). */
export function addUlps(v: number, ulps: number): number {
  f64[0] = v;
  const lo = (i32[0]! >>> 0) + ulps;
  const carry = Math.floor(lo / 4294967296);
  i32[0] = lo - carry * 4294967296;
  i32[1] = i32[1]! + carry;
  return f64[0];
}

/** Each value's distance from its decimal at scale d, coded; the block's values all within MOST_ULPS. */
export function nearCorrections(values: ArrayLike<number>, n: number, d: number): Section {
  const p = 10 ** d;
  const c = scratchColumn(0, n);
  for (let i = 0; i < n; i++) c[i] = ulpsBetween(values[i]!, Math.round(values[i]! * p) / p + 0); // as decoded: +0 for 0
  return codedSection(c, 0, n, 'corrections');
}

/** Applies the corrections to the decoded decimals out[0..n). */
export function readNearCorrections(r: BitReader, out: Float64Array, n: number, scratch: Float64Array): void {
  r.what = 'values (corrections)';
  readCodedResiduals(r, scratch, 0, n);
  for (let i = 0; i < n; i++) {
    const ulps = scratch[i]!;
    if (ulps === 0) continue;
    if (!(Math.abs(ulps) <= MOST_ULPS)) throw new Error(`corrupt block: values (corrections): ${ulps} units in the last place at sample ${i}`);
    out[i] = addUlps(out[i]!, ulps);
  }
}
