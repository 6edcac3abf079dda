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
 *
 * v7 adds one bit before the deviations: '0' each deviation as above (dense), '1' only those that
 * are not 0 (sparse): a clock that keeps its period but for a skipped sample now and then. Dense,
 * its few deviations are paid as a run of zeros, then the deviation, each with its code, and the
 * code table spans both kinds of symbol: a skip in 12 samples cost 0.94 bits a sample, 2.3x the
 * entropy of where the skips fall (0.40). Sparse: the number m of deviations, then the m gaps
 * (zero deviations before each) through the entropy stage (gap g as the residual whose zigzag
 * is g), then the m deviations (d > 0 as d - 1, so a clock that only skips whole periods codes
 * them as one run of zeros): 0.47 bits a sample there. Weighed when at most a quarter of the
 * intervals deviate.
 */
import { type BitReader, uintBits, unzigzag, zigzag } from './bits.js';
import { codedSection, headed, scratchColumn, type Section } from './coded.js';
import { readCodedResiduals, readCodedSums } from './huffman.js';

/** The median of the first three intervals (in quanta; of those there are, for short blocks). */
function baseInterval(t: ArrayLike<number>, n: number, q: number): number {
  const a = (t[1]! - t[0]!) / q;
  if (n < 4) return a;
  const b = (t[2]! - t[1]!) / q, c = (t[3]! - t[2]!) / q;
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/** Timestamps as intervals against a base interval (n >= 2); `sparse` from v7: the form bit, and the sparse form weighed. */
export function jitterTimestamps(t: ArrayLike<number>, n: number, q: number, sparse = false): Section {
  const first = zigzag(t[0]!);
  const base = baseInterval(t, n, q);
  const deviations = scratchColumn(0, n);
  let m = 0;
  for (let i = 1; i < n; i++) if ((deviations[i] = (t[i]! - t[i - 1]!) / q - base) !== 0) m++;
  if (!sparse) return headed([first, q, base], codedSection(deviations, 1, n, 'jitter'));
  // The sparse form reads the deviations into its own columns before the dense one refills the shared symbols.
  const few = m <= (n - 1) >> 2 ? sparseDeviations(deviations, n, m) : null;
  const dense = codedSection(deviations, 1, n, 'jitter');
  const form = few !== null && few.bits < dense.bits ? few : dense;
  return headed([first, q, base], {
    bits: 1 + form.bits,
    write: (w) => {
      w.write(form === few ? 1 : 0, 1);
      form.write(w);
    },
  });
}

/** The m non-zero deviations of deviations[1..n) as their count, gaps and values. */
function sparseDeviations(deviations: Float64Array, n: number, m: number): Section {
  if (m === 0) return { bits: uintBits(0), write: (w) => w.writeUint(0) };
  const gaps = scratchColumn(1, m), values = scratchColumn(2, m);
  for (let i = 1, j = 0, last = 0; i < n; i++) {
    const d = deviations[i]!;
    if (d === 0) continue;
    gaps[j] = unzigzag(i - 1 - last);
    values[j++] = d > 0 ? d - 1 : d;
    last = i;
  }
  const g = codedSection(gaps, 0, m, 'jitterGaps');
  const v = codedSection(values, 0, m, 'jitterValues');
  return {
    bits: uintBits(m) + g.bits + v.bits,
    write: (w) => {
      w.writeUint(m);
      g.write(w);
      v.write(w);
    },
  };
}

/** Scratch for the sparse form's gaps and deviations (decoding is synchronous: one pair serves every block). */
let gaps = new Float64Array(0);
let values = new Float64Array(0);

export function readJitterTimestamps(r: BitReader, out: Float64Array, n: number, v7 = false): void {
  r.what = 'timestamps (jitter)';
  const t0 = unzigzag(r.readUint());
  out[0] = t0;
  const q = r.readUint();
  if (q === 0) throw new Error('corrupt block: timestamps: time quantum 0');
  const base = r.readUint();
  if (v7 && r.bit() === 1) return readSparse(r, out, n, t0, q, base);
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

function readSparse(r: BitReader, out: Float64Array, n: number, t0: number, q: number, base: number): void {
  r.what = 'timestamps (sparse jitter)';
  const m = r.readUint();
  if (m > n - 1) throw new Error(`corrupt block: timestamps: ${m} deviations for ${n - 1} intervals`);
  if (gaps.length < m) {
    gaps = new Float64Array(m);
    values = new Float64Array(m);
  }
  if (m > 0) {
    readCodedResiduals(r, gaps, 0, m);
    readCodedResiduals(r, values, 0, m);
  }
  const step = base * q;
  let t = t0, i = 1;
  for (let j = 0; j < m; j++) {
    const gap = zigzag(gaps[j]!);
    if (i + gap >= n) throw new Error(`corrupt block: timestamps: deviation ${j} after a gap of ${gap} falls past sample ${n - 1}`);
    for (const stop = i + gap; i < stop; i++) out[i] = t += step;
    const v = values[j]!;
    const interval = base + (v >= 0 ? v + 1 : v);
    if (interval < 0) throw new Error(`corrupt block: timestamps: negative delta at sample ${i}`);
    out[i++] = t += interval * q;
  }
  for (; i < n; i++) out[i] = t += step;
  if (!Number.isSafeInteger(t)) throw new Error('corrupt block: timestamps: outside the integer range');
}
