/**
 * Sections coded through the entropy stage (huffman.ts): decimal values as the deltas of their
 * scaled integers, timestamps as the delta-of-deltas of their quanta.
 */
import { BitReader, BitWriter, uintBits, unzigzag, zigzag } from './bits.js';
import { Symbols, codeLengths, codedBits, readCodedSums, writeCoded } from './huffman.js';

/**
 * A section ready to write, with its exact size: the block encoder compares the sizes of its
 * candidate encodings before writing one (the code is built once per candidate, not once to
 * measure and again to write).
 */
export interface Section {
  bits: number;
  write(w: BitWriter): void;
}

/** Unsigned integers (a section's header: first value, quantum, ...) then a coded section. */
export function headed(header: readonly number[], codes: Section): Section {
  let bits = codes.bits;
  for (const v of header) bits += uintBits(v);
  return {
    bits,
    write: (w) => {
      for (const v of header) w.writeUint(v);
      codes.write(w);
    },
  };
}


/**
 * Scratch reused from block to block, up to KEPT_POINTS points: a block's residual columns and
 * symbols were most of what the raw window's weighing (store/raw-window.ts) and a flush's encodes
 * allocated. The columns are read into symbols before a section function returns; the symbols
 * stay with the section, one set per kind, so a section holds until the next one of its kind is
 * computed (the block encoder writes or drops it before: encoding is synchronous).
 */
const KEPT_POINTS = 8192;
const columns: Float64Array[] = [];

/** Scratch column i, room for n values (what it held before is left in it). */
export function scratchColumn(i: number, n: number): Float64Array {
  if (n > KEPT_POINTS) return new Float64Array(n);
  const c = columns[i];
  if (c !== undefined && c.length >= n) return c;
  return (columns[i] = new Float64Array(Math.min(KEPT_POINTS, Math.max(n, 2 * (c?.length ?? 0)))));
}

const SYMBOLS = { values: new Symbols(), times: new Symbols(), runValues: new Symbols(), runLengths: new Symbols(), ranks: new Symbols(), corrections: new Symbols(), jitter: new Symbols(), jitterGaps: new Symbols(), jitterValues: new Symbols(), smoothed: new Symbols() };
type SectionKind = keyof typeof SYMBOLS;

/** The kind's symbols for a sequence of n (fresh past the kept size). */
const symbolsFor = (kind: SectionKind, n: number): Symbols => (n > KEPT_POINTS ? new Symbols() : SYMBOLS[kind]);

/** Whether sections write v7's code tables (huffman.ts tableBits): set by the block encoder per block (encoding is synchronous). */
let tableGaps = true;
export function writeTablesOf(version: number): void {
  tableGaps = version >= 7;
}

/** A coded residual sequence: the table and the codes (writeCoded), in the kind's symbols. */
export function codedSection(residuals: Float64Array, from: number, to: number, kind: SectionKind): Section {
  const s = symbolsFor(kind, to - from).fill(residuals, from, to);
  const lengths = codeLengths(s.counts);
  const gaps = tableGaps;
  return { bits: codedBits(s, lengths, gaps), write: (w) => writeCoded(w, s, lengths, gaps) };
}

/** Values ×10^d as integers: the first, then the deltas coded. */
export function codedValues(values: ArrayLike<number>, n: number, d: number): Section {
  const p = 10 ** d;
  const deltas = scratchColumn(0, n);
  let prev = Math.round(values[0]! * p);
  const first = zigzag(prev);
  for (let i = 1; i < n; i++) {
    const k = Math.round(values[i]! * p);
    deltas[i] = k - prev;
    prev = k;
  }
  return headed([first], codedSection(deltas, 1, n, 'values'));
}

export function readCodedValues(r: BitReader, out: Float64Array, n: number, d: number): void {
  r.what = 'values (coded)';
  const p = 10 ** d;
  const k0 = unzigzag(r.readUint());
  out[0] = k0 / p;
  if (n > 1) readCodedSums(r, out, 1, n, k0, p);
}

/** Timestamps: the first, the quantum, the first delta in quanta, then the delta-of-deltas coded. */
export function codedTimestamps(t: ArrayLike<number>, n: number, q: number): Section {
  const first = zigzag(t[0]!);
  if (n < 2) return { bits: uintBits(first), write: (w) => w.writeUint(first) };
  const delta1 = (t[1]! - t[0]!) / q;
  let delta = delta1;
  const dods = scratchColumn(0, n);
  for (let i = 2; i < n; i++) {
    const next = (t[i]! - t[i - 1]!) / q;
    dods[i] = next - delta;
    delta = next;
  }
  return headed([first, q, delta1], codedSection(dods, 2, n, 'times'));
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

/**
 * Held values (v4, value encoding 3): an analyzer repeats its value for a few samples, so the
 * values are runs of equal scaled integers. Written as: the number of runs m, the first value,
 * the m - 1 deltas between runs (never 0) through the entropy stage, the first run's length,
 * then the m - 1 differences between consecutive run lengths through the entropy stage (an
 * analyzer's runs are equal: runs of zeros, next to nothing). Null when the values hold no
 * runs worth it.
 */
export function heldValues(values: ArrayLike<number>, n: number, d: number): Section | null {
  const p = 10 ** d;
  // The runs are counted first: most blocks (noise) hold too many, and need no columns.
  const most = n * 0.8;
  let m = 1;
  for (let i = 1, prev = Math.round(values[0]! * p); i < n; i++) {
    const k = Math.round(values[i]! * p);
    if (k !== prev && ++m > most) return null;
    prev = k;
  }
  const k = scratchColumn(0, n);
  for (let i = 0; i < n; i++) k[i] = Math.round(values[i]! * p);
  const deltas = scratchColumn(1, m);
  const lengths = scratchColumn(2, m);
  let r = 0, start = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && k[i] === k[i - 1]) continue;
    lengths[r] = i - start;
    if (r > 0) deltas[r] = k[start]! - k[start - 1]!;
    r++;
    start = i;
  }
  const first = zigzag(k[0]!);
  const firstLength = lengths[0]!;
  for (let j = m - 1; j > 0; j--) lengths[j] = lengths[j]! - lengths[j - 1]!;
  const runValues = m > 1 ? codedSection(deltas, 1, m, 'runValues') : null;
  const runLengths = m > 1 ? codedSection(lengths, 1, m, 'runLengths') : null;
  return {
    bits: uintBits(m) + uintBits(first) + (runValues?.bits ?? 0) + uintBits(firstLength) + (runLengths?.bits ?? 0),
    write: (w) => {
      w.writeUint(m);
      w.writeUint(first);
      runValues?.write(w);
      w.writeUint(firstLength);
      runLengths?.write(w);
    },
  };
}

/** Scratch for held values' runs (decoding is synchronous: one pair serves every block). */
let runValues = new Float64Array(0);
let runLengths = new Float64Array(0);

export function readHeldValues(r: BitReader, out: Float64Array, n: number, d: number): void {
  r.what = 'values (held)';
  const m = r.readUint();
  if (m === 0 || m > n) throw new Error(`corrupt block: values (held): ${m} runs for ${n} samples`);
  if (runValues.length < m) {
    runValues = new Float64Array(m);
    runLengths = new Float64Array(m);
  }
  const k0 = unzigzag(r.readUint());
  runValues[0] = k0;
  if (m > 1) readCodedSums(r, runValues, 1, m, k0, 1);
  r.what = 'values (held run lengths)';
  const l0 = r.readUint();
  runLengths[0] = l0;
  if (m > 1) readCodedSums(r, runLengths, 1, m, l0, 1);
  const p = 10 ** d;
  let at = 0;
  for (let j = 0; j < m; j++) {
    const len = runLengths[j]!;
    if (!(len >= 1) || at + len > n) throw new Error(`corrupt block: values (held): run ${j} of ${len} samples overflows ${n}`);
    out.fill(runValues[j]! / p, at, at + len);
    at += len;
  }
  if (at !== n) throw new Error(`corrupt block: values (held): runs cover ${at} of ${n} samples`);
}
