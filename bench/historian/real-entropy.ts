/**
 * `npx tsx bench/historian/real-entropy.ts [scale]`: how close the block codec's coded deltas are
 * to the floor on issue 12's real-shaped sets, per kind of signal, against the zlib baseline:
 * the entropy stage on the deltas (what encoding/coded.ts writes, table included), and the
 * Gaussian entropy of the residuals of a least-squares AR(3) fit per block (an ideal coder with
 * an ideal linear predictor; the histogram's entropy where the residuals are small). The floor
 * speaks for noisy signals only: held (analyzer), smooth (controller) or flat ones are not Gaussian.
 * Then the lower bound of the information in the samples themselves (entropy-bound.ts), per kind
 * and per set: what no lossless coder can go below, so what the whole data directory must leave
 * room under a target for (tag names, catalog, index, summaries, pages, headers).
 */
import { decimalScale } from '../../historian/encoding/decimal.js';
import { Symbols, codeLengths, codedBits } from '../../historian/encoding/huffman.js';
import { boundBits } from './entropy-bound.js';
import { realSets } from './real-shaped.js';
import { baselineBytes } from './zlib-baseline.js';

const BLOCK = 2048;
const scale = Number(process.argv[2] ?? 0.1);
const coded = (res: Float64Array): number => { const s = new Symbols().fill(res, 0, res.length); return codedBits(s, codeLengths(s.counts)); };

/** Least squares by the normal equations (p is 4: tiny). */
function lstsq(X: number[][], y: number[]): number[] {
  const p = X[0]!.length;
  const A = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  for (let i = 0; i < y.length; i++) for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) A[a]![b]! += X[i]![a]! * X[i]![b]!;
    A[a]![p]! += X[i]![a]! * y[i]!;
  }
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[piv]![c]!)) piv = r;
    [A[c], A[piv]] = [A[piv]!, A[c]!];
    if (Math.abs(A[c]![c]!) < 1e-12) continue;
    for (let r = 0; r < p; r++) if (r !== c) { const f = A[r]![c]! / A[c]![c]!; for (let k = c; k <= p; k++) A[r]![k]! -= f * A[c]![k]!; }
  }
  return A.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[p]! / row[i]!));
}

/** Bits per sample of integer residuals: Gaussian entropy for wide ones, the histogram's for narrow ones. */
function entropy(res: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  let s2 = 0;
  for (let i = 0; i < res.length; i++) { counts.set(res[i]!, (counts.get(res[i]!) ?? 0) + 1); s2 += res[i]! * res[i]!; }
  const sd = Math.sqrt(s2 / res.length);
  if (sd > 8) return Math.log2(sd * Math.sqrt(2 * Math.PI * Math.E));
  let h = 0;
  for (const c of counts.values()) h -= (c / res.length) * Math.log2(c / res.length);
  return h;
}

for (const set of realSets(20240501, Date.UTC(2024, 0, 1), scale)) {
  const byKind = new Map<string, { coded: number; floor: number; baseline: number; bound: number }>();
  let bound = 0, baseline = 0;
  for (const tag of set.tags) {
    const acc = byKind.get(tag.kind) ?? { coded: 0, floor: 0, baseline: 0, bound: 0 };
    byKind.set(tag.kind, acc);
    const base = baselineBytes(tag.samples).bytes;
    acc.baseline += base;
    baseline += base;
    acc.bound += (boundBits(tag) * tag.samples.length) / 8;
    bound += (boundBits(tag) * tag.samples.length) / 8;
    for (let s = 0; s < tag.samples.length; s += BLOCK) {
      const v = tag.samples.slice(s, s + BLOCK).map((x) => x.value as number);
      const p = 10 ** decimalScale(v, v.length);
      const k = v.map((x) => Math.round(x * p));
      const deltas = Float64Array.from(k.slice(1), (x, i) => x - k[i]!);
      acc.coded += coded(deltas) / 8;
      const X: number[][] = [], y: number[] = [];
      for (let i = 3; i < k.length; i++) { X.push([1, k[i - 1]! - k[0]!, k[i - 2]! - k[0]!, k[i - 3]! - k[0]!]); y.push(k[i]! - k[0]!); }
      if (y.length < 8) { acc.floor += coded(deltas) / 8; continue; }
      const b = lstsq(X, y);
      const ar = y.map((yy, i) => Math.round(yy - X[i]!.reduce((a, x, j) => a + x * b[j]!, 0)));
      acc.floor += (Math.min(entropy(deltas), entropy(ar)) * k.length) / 8;
    }
  }
  for (const [kind, a] of byKind) {
    process.stdout.write(`${set.name} ${kind}: coded deltas ${(a.coded / a.baseline).toFixed(3)} x baseline, AR(3) Gaussian floor ${(a.floor / a.baseline).toFixed(3)} x, information at least ${(a.bound / a.baseline).toFixed(3)} x\n`);
  }
  process.stdout.write(`${set.name}: information at least ${(bound / set.samples).toFixed(3)} B/sample, ${(bound / baseline).toFixed(3)} x the baseline's ${(baseline / set.samples).toFixed(3)}\n`);
}
