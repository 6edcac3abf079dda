/**
 * Distinct values (v5, value encoding 4): a signal that takes only a few values, such as a
 * pressure transmitter read through a coarse converter (SKAB's pump bench: 0.054711, 0.382638,
 * -0.273216, steps of 0.327927) or a flow meter that counts pulses (32.0, 32.9962, 32.004).
 * Their deltas are as wide as the steps, so coded deltas pay the steps' raw bits on every
 * change (SKAB's two: 1.71 and 1.37 bytes a sample with their timestamps, 2.8x and 2.2x the
 * zlib baseline); as a table of the values and each sample's rank in it, 0.42 and 0.71. Written as: the number of values m, the values most
 * frequent first (the first, then the differences, as integers), then each sample's rank
 * through the entropy stage (rank r as the residual whose zigzag is r, so rank 0, the most
 * frequent value, is a zero and its repeats are runs).
 */
import { BitReader, BitWriter, bitLength, uintBits, unzigzag, zigzag } from './bits.js';
import { codedSection, scratchColumn, type Section } from './coded.js';
import { readCodedResiduals } from './huffman.js';

/**
 * The encoder tries a table of at most this many values, and of at most an eighth of the
 * samples (each value in the table costs 7 bits or more: past that, coded deltas win).
 */
export const MOST_DISTINCT = 256;

/**
 * The distinct values and their counts, an open-addressing table of typed arrays: a Map would
 * box every scaled value past 2^31, and every block the encoder or the size floor weighs passes
 * through here (a noisy one stops at the first value past what the encoder tries).
 */
const SLOTS = 1024; // a power of two, at least 2 x MOST_DISTINCT: probes stay short
const keys = new Float64Array(SLOTS);
const counts = new Uint32Array(SLOTS); // 0: an empty slot
const ranks = new Uint16Array(SLOTS);
const used = new Uint16Array(MOST_DISTINCT); // the slots in use, in the order first seen

/** The slot of scaled value k: its own, or the empty one where it goes. */
function slotOf(k: number): number {
  const lo = k % 4294967296 | 0, hi = (k / 4294967296) | 0;
  let s = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> 22; // the top 10 bits
  while (counts[s] !== 0 && keys[s] !== k) s = (s + 1) & (SLOTS - 1);
  return s;
}


/**
 * The number of distinct scaled values of the block, or -1 past what the encoder tries
 * (MOST_DISTINCT, or an eighth of the samples): a noisy block stops after that many values. Leaves
 * each value's count in the table.
 */
export function distinctCount(values: ArrayLike<number>, n: number, d: number): number {
  const most = Math.min(MOST_DISTINCT, n >> 3);
  const p = 10 ** d;
  counts.fill(0);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const k = Math.round(values[i]! * p);
    const s = slotOf(k);
    if (counts[s] !== 0) counts[s]!++;
    else if (m === most) return -1;
    else {
      keys[s] = k;
      counts[s] = 1;
      used[m++] = s;
    }
  }
  return m;
}

/** The table's slots, most frequent first, ties by value (the same values give the same bytes). */
function rankOrder(m: number): number[] {
  return Array.from(used.subarray(0, m)).sort((a, b) => counts[b]! - counts[a]! || keys[a]! - keys[b]!);
}

/** The table's entries: the first value, then the differences, zigzagged. */
const entriesOf = (order: number[]): number[] => order.map((s, j) => zigzag(j === 0 ? keys[s]! : keys[s]! - keys[order[j - 1]!]!));

/**
 * At most the section's bits, from the counts alone: the count and the table exactly, and each
 * sample of rank r > 0 at least bitLength(r) (a symbol of its own: a code bit and r's raw bits).
 */
function bitsAtLeast(m: number, order: number[], entries: number[]): number {
  let bits = uintBits(m);
  for (const e of entries) bits += uintBits(e);
  for (let j = 1; j < m; j++) bits += counts[order[j]!]! * bitLength(j);
  return bits;
}

/** A floor under distinctValues(values, n, d).bits without coding the ranks; -1 when it would be null. */
export function distinctBitsAtLeast(values: ArrayLike<number>, n: number, d: number): number {
  const m = distinctCount(values, n, d);
  if (m < 0) return -1;
  const order = rankOrder(m);
  return bitsAtLeast(m, order, entriesOf(order));
}

/**
 * The values as a table and ranks; null when they take too many values to try, or when the
 * section cannot come under `under` bits (the shortest encoding so far: the ranks are not coded).
 */
export function distinctValues(values: ArrayLike<number>, n: number, d: number, under = Infinity): Section | null {
  const m = distinctCount(values, n, d);
  if (m < 0) return null;
  const order = rankOrder(m);
  const entries = entriesOf(order);
  let bits = bitsAtLeast(m, order, entries);
  if (bits >= under) return null;
  for (let j = 0; j < m; j++) ranks[order[j]!] = j;
  const p = 10 ** d;
  const residuals = scratchColumn(0, n);
  for (let i = 0; i < n; i++) residuals[i] = unzigzag(ranks[slotOf(Math.round(values[i]! * p))]!);
  const codes = codedSection(residuals, 0, n, 'ranks');
  bits = uintBits(m) + codes.bits;
  for (const e of entries) bits += uintBits(e);
  return {
    bits,
    write: (w: BitWriter) => {
      w.writeUint(m);
      for (const e of entries) w.writeUint(e);
      codes.write(w);
    },
  };
}

/** Scratch for a table (decoding is synchronous: one serves every block). */
let table = new Float64Array(0);

export function readDistinctValues(r: BitReader, out: Float64Array, n: number, d: number): void {
  r.what = 'values (distinct)';
  const m = r.readUint();
  if (m === 0 || m > n) throw new Error(`corrupt block: values (distinct): ${m} values for ${n} samples`);
  if (table.length < m) table = new Float64Array(Math.max(m, 2 * table.length));
  const p = 10 ** d;
  let k = 0;
  for (let j = 0; j < m; j++) {
    k = j === 0 ? unzigzag(r.readUint()) : k + unzigzag(r.readUint());
    if (!(Math.abs(k) < 2 ** 53)) throw new Error('corrupt block: values (distinct): integer out of range');
    table[j] = k / p;
  }
  r.what = 'values (distinct ranks)';
  readCodedResiduals(r, out, 0, n);
  for (let i = 0; i < n; i++) {
    const rank = zigzag(out[i]!);
    if (rank >= m) throw new Error(`corrupt block: values (distinct): rank ${rank} at sample ${i}, only ${m} values`);
    out[i] = table[rank]!;
  }
}
