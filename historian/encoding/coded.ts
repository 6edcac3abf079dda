/**
 * Sections coded through the entropy stage (huffman.ts): decimal values as the deltas of their
 * scaled integers, timestamps as the delta-of-deltas of their quanta.
 */
import { BitReader, BitWriter, unzigzag, zigzag } from './bits.js';
import { Symbols, codeLengths, readCodedSums, writeCoded } from './huffman.js';

/** Values ×10^d as integers: the first, then the deltas coded. */
export function writeCodedValues(w: BitWriter, values: ArrayLike<number>, n: number, d: number): void {
  const p = 10 ** d;
  const deltas = new Float64Array(n);
  let prev = Math.round(values[0]! * p);
  w.writeUint(zigzag(prev));
  for (let i = 1; i < n; i++) {
    const k = Math.round(values[i]! * p);
    deltas[i] = k - prev;
    prev = k;
  }
  const s = new Symbols(deltas, 1, n);
  writeCoded(w, s, codeLengths(s.counts));
}

export function readCodedValues(r: BitReader, out: Float64Array, n: number, d: number): void {
  r.what = 'values (coded)';
  const p = 10 ** d;
  const k0 = unzigzag(r.readUint());
  out[0] = k0 / p;
  if (n > 1) readCodedSums(r, out, 1, n, k0, p);
}

/** Timestamps: the first, the quantum, the first delta in quanta, then the delta-of-deltas coded. */
export function writeCodedTimestamps(w: BitWriter, t: ArrayLike<number>, n: number, q: number): void {
  w.writeUint(zigzag(t[0]!));
  if (n < 2) return;
  w.writeUint(q);
  let delta = (t[1]! - t[0]!) / q;
  w.writeUint(delta);
  const dods = new Float64Array(n);
  for (let i = 2; i < n; i++) {
    const next = (t[i]! - t[i - 1]!) / q;
    dods[i] = next - delta;
    delta = next;
  }
  const s = new Symbols(dods, 2, n);
  writeCoded(w, s, codeLengths(s.counts));
}

export function readCodedTimestamps(r: BitReader, out: Float64Array, n: number): void {
  r.what = 'timestamps (coded)';
  let t = unzigzag(r.readUint());
  out[0] = t;
  if (n < 2) return;
  const q = r.readUint();
  if (q === 0) throw new Error('corrupt block: timestamps: time quantum 0');
  const d1 = r.readUint();
  out[1] = t += d1 * q;
  if (n < 3) return;
  readCodedSums(r, out, 2, n, d1, 1); // out[i] = delta i (quanta)
  for (let i = 2; i < n; i++) {
    const delta = out[i]!;
    if (delta < 0) throw new Error(`corrupt block: timestamps: negative delta at sample ${i}`);
    out[i] = t += delta * q;
  }
  if (!Number.isSafeInteger(t)) throw new Error('corrupt block: timestamps: outside the integer range');
}
