/**
 * A floor under a block's encoded size, from one pass over its values: what the store's raw
 * window (store/raw-window.ts) weighs a compressed block's points against before it pays for
 * encoding every raw sample of the span. Where the points take no more than the floor, the
 * samples cannot be the smaller and the full encode is not needed: on a noisy signal the floor
 * is ~80 % of the real size (the raw bits of the deltas are most of it), on a flat one a few
 * bytes (the points then decide by the full encode, as before).
 *
 * Strict by the format (block.ts), whatever the data:
 *   header 3 bytes, the count (writeUint), the CRC 4 bytes; timestamps and status runs ≥ 0 bits;
 *   values: the cheapest of decimal (costed exactly, as writeDecimalValues writes it), coded and
 *   held (each delta that is not 0 is one symbol of at least 1 code bit plus its class's raw
 *   bits: bitLength(zigzag(delta)) in all; held values code the same deltas, between runs),
 *   and distinct values when the encoder tries them (a few values: their count and table exactly,
 *   and each sample of rank r > 0 at least bitLength(r), a code bit and r's raw bits), smoothed
 *   values likewise (each residual not 0 at least bitLength(zigzag(residual)), the least over
 *   the shifts: smoothed.ts); a
 *   block whose values are not decimal (nor float32s of a decimal or near a decimal, which may
 *   be either) is XOR-coded: 64 bits, then at least 1 per value, unless (v8) it is decimal but
 *   for values coded apart (NaN, ±Infinity, -0: exceptions.ts), whose section is costed exactly,
 *   beside the floor of the decimal values they stand in.
 * bound.test.ts checks it against encodeBlockColumns on many shapes of data.
 */
import type { SampleColumns } from '../types.js';
import { bitLength, uintBits, zigzag } from './bits.js';
import { MINI_BLOCK, SCALE_DIGITS, valueScale } from './decimal.js';
import { exceptionCount, exceptionsSection, fillExceptions } from './exceptions.js';
import { distinctBitsAtLeast } from './distinct.js';
import { smoothedBitsAtLeast } from './smoothed.js';


/** At most encodeBlockColumns(c).length (current format, entropy stage on). */
export function blockBytesAtLeast(c: SampleColumns): number {
  const n = c.length;
  const fixed = 24 + uintBits(n); // version, encoding, scale; the count
  return Math.ceil((fixed + valueBitsAtLeast(c.value, n)) / 8) + 4;
}

function valueBitsAtLeast(values: Float64Array, n: number): number {
  const scale = valueScale(values, n);
  if (scale < 0) return Math.min(64 + (n - 1), apartBitsAtLeast(values, n));
  const d = scale & SCALE_DIGITS;
  const p = 10 ** d;
  let prev = Math.round(values[0]! * p);
  const first = uintBits(zigzag(prev));
  let coded = 0; // coded or held values: the deltas that are not 0
  let decimal = 0; // decimal values: exactly as written
  let prevMin = NaN, prevWidth = -1;
  for (let start = 1; start < n; start += MINI_BLOCK) {
    const end = Math.min(n, start + MINI_BLOCK);
    let min = Infinity, max = -Infinity;
    for (let i = start; i < end; i++) {
      const k = Math.round(values[i]! * p);
      const delta = k - prev;
      prev = k;
      if (delta !== 0) coded += bitLength(zigzag(delta));
      if (delta < min) min = delta;
      if (delta > max) max = delta;
    }
    const width = bitLength(max - min);
    if (min === prevMin && width === prevWidth) decimal += 1;
    else {
      decimal += 1 + uintBits(zigzag(min)) + 6;
      prevMin = min;
      prevWidth = width;
    }
    decimal += (end - start) * width;
  }
  // Float32s and near-decimals may be XOR-coded when that is the shorter (near-decimals' corrections: >= 0 bits).
  let least = Math.min(first + Math.min(coded, decimal), scale > SCALE_DIGITS ? 64 + (n - 1) : Infinity);
  const distinct = distinctBitsAtLeast(values, n, d);
  if (distinct >= 0) least = Math.min(least, distinct);
  // Smoothed values (v6) are tried where coded deltas win: only then can they be the least.
  if (first + coded <= least) {
    const smoothed = smoothedBitsAtLeast(values, n, d);
    if (smoothed >= 0) least = Math.min(least, smoothed);
  }
  return least;
}

/** Values that are decimal but for exceptions: the floor of the filled-in values plus the exceptions' exact section; Infinity otherwise. */
function apartBitsAtLeast(values: Float64Array, n: number): number {
  if (exceptionCount(values, n) === 0) return Infinity;
  const filled = fillExceptions(values, n, new Float64Array(n));
  if (valueScale(filled, n) < 0) return Infinity;
  return valueBitsAtLeast(filled, n) + exceptionsSection(values, n).bits;
}
