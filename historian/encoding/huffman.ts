/**
 * The entropy stage: a sequence of integers (residuals of a prediction: value deltas,
 * timestamp delta-of-deltas) as canonical Huffman codes of their magnitude class plus raw
 * low bits, JPEG-style, with runs of zeros as symbols of their own:
 *   symbol 0            residual 0
 *   symbol b (1..53)    zigzag(residual) in [2^(b-1), 2^b): then b - 1 raw bits below the leading 1
 *   symbol 54 + b       a run of L >= 2 zeros, L in [2^(b-1), 2^b): then b - 1 raw bits
 * The code (lengths of at most MAX_LEN bits) is built per block from the block's own counts and
 * stored in front of the codes: noise costs about its entropy (the low bits of a noisy value are
 * incompressible anyway; the class carries the shape of the distribution), held and flat signals
 * cost a fraction of a bit per sample through the runs. Decoding reads MAX_LEN bits at a time
 * through one lookup table.
 */
import { BitReader, BitWriter, bitLength, unzigzag, zigzag } from './bits.js';

const RUN_BASE = 54;
const SYMBOLS = RUN_BASE + 54;
export const MAX_LEN = 12;

/**
 * The symbols of a residual sequence (and their counts), ready to cost and write. fill() replaces
 * what it held, so one instance serves block after block (coded.ts keeps one per kind of section).
 */
export class Symbols {
  /** Per symbol occurrence: symbol, raw bit count, raw bits value (as a double: up to 53 bits). */
  sym = new Uint8Array(0);
  rawLen = new Uint8Array(0);
  raw = new Float64Array(0);
  readonly counts = new Uint32Array(SYMBOLS);
  length = 0;
  rawBits = 0;

  /** The symbols of residuals[from, to) (its columns grown to fit, never shrunk). */
  fill(residuals: ArrayLike<number>, from: number, to: number): this {
    const cap = Math.max(0, to - from);
    if (this.sym.length < cap) {
      this.sym = new Uint8Array(cap);
      this.rawLen = new Uint8Array(cap);
      this.raw = new Float64Array(cap);
    }
    this.counts.fill(0);
    this.length = 0;
    this.rawBits = 0;
    for (let i = from; i < to; ) {
      const r = residuals[i]!;
      if (r === 0) {
        let j = i + 1;
        while (j < to && residuals[j] === 0) j++;
        const run = j - i;
        if (run >= 2) {
          const b = bitLength(run);
          this.add(RUN_BASE + b, b - 1, run - POW2[b - 1]!);
        } else this.add(0, 0, 0);
        i = j;
        continue;
      }
      const z = zigzag(r);
      const b = bitLength(z);
      this.add(b, b - 1, z - POW2[b - 1]!);
      i++;
    }
    return this;
  }

  private add(symbol: number, rawLen: number, raw: number): void {
    const n = this.length++;
    this.sym[n] = symbol;
    this.rawLen[n] = rawLen;
    this.raw[n] = raw;
    this.counts[symbol]!++;
    this.rawBits += rawLen;
  }
}

/**
 * Code lengths (0 = unused) for the counts, none longer than MAX_LEN: Huffman's merging of the
 * two lightest nodes, where a tie goes to the newest merged node, then to the lowest symbol (the
 * order a stable sort of [merged, ...rest] gives, which the format's earlier encoder used: the
 * same counts give the same code). Too long a code flattens the rarest counts and tries again.
 * Typed scratch and a linear scan per merge: at most SYMBOLS leaves, usually a few dozen.
 */
export function codeLengths(counts: Uint32Array): Uint8Array {
  const lengths = new Uint8Array(counts.length);
  let c = counts;
  for (;;) {
    let used = 0, only = -1;
    for (let s = 0; s < c.length; s++) if (c[s]! > 0) { used++; only = s; }
    if (used === 0) return lengths;
    if (used === 1) {
      lengths[only] = 1;
      return lengths;
    }
    if (huffmanDepths(c, lengths) <= MAX_LEN) return lengths;
    lengths.fill(0);
    const flat = new Uint32Array(c.length);
    for (let s = 0; s < c.length; s++) flat[s] = c[s] === 0 ? 0 : Math.max(1, c[s]! >> 1);
    c = flat;
  }
}

// Nodes: leaves 0..SYMBOLS-1 by symbol, merged nodes after them (in the order made).
const nodeWeight = new Float64Array(2 * SYMBOLS);
const nodeParent = new Int32Array(2 * SYMBOLS);
const live = new Int32Array(2 * SYMBOLS);

/** Sets lengths[s] to the depth of each used symbol's leaf; returns the deepest. */
function huffmanDepths(c: Uint32Array, lengths: Uint8Array): number {
  let n = 0;
  for (let s = 0; s < c.length; s++) {
    if (c[s]! === 0) continue;
    nodeWeight[s] = c[s]!;
    nodeParent[s] = -1;
    live[n++] = s;
  }
  let next = SYMBOLS;
  // Before: lighter, or as light and newer merged, or as light and a lower symbol (merged first).
  const before = (x: number, y: number): boolean => {
    const wx = nodeWeight[x]!, wy = nodeWeight[y]!;
    if (wx !== wy) return wx < wy;
    if (x >= SYMBOLS || y >= SYMBOLS) return x > y;
    return x < y;
  };
  while (n > 1) {
    let a = 0, b = 1;
    if (before(live[b]!, live[a]!)) { a = 1; b = 0; }
    for (let i = 2; i < n; i++) {
      const x = live[i]!;
      if (before(x, live[a]!)) { b = a; a = i; } else if (before(x, live[b]!)) b = i;
    }
    const m = next++;
    nodeWeight[m] = nodeWeight[live[a]!]! + nodeWeight[live[b]!]!;
    nodeParent[m] = -1;
    nodeParent[live[a]!] = m;
    nodeParent[live[b]!] = m;
    // Remove a and b, add m (the order of the live list does not matter: the scan picks by key).
    const hi = Math.max(a, b), lo = Math.min(a, b);
    live[hi] = live[--n]!;
    live[lo] = live[--n]!;
    live[n++] = m;
  }
  let deepest = 0;
  for (let s = 0; s < c.length; s++) {
    if (c[s]! === 0) continue;
    let d = 0;
    for (let x = s; nodeParent[x]! >= 0; x = nodeParent[x]!) d++;
    lengths[s] = d;
    if (d > deepest) deepest = d;
  }
  return deepest;
}

/** Bits the symbols take with these lengths, table included (`gaps`: v7's table). */
export function codedBits(s: Symbols, lengths: Uint8Array, gaps = false): number {
  let bits = s.rawBits + tableBits(lengths, gaps);
  for (let k = 0; k < SYMBOLS; k++) bits += s.counts[k]! * lengths[k]!;
  return bits;
}

/** Canonical codes (MSB first) for the lengths. */
function canonical(lengths: Uint8Array): Uint32Array {
  return canonicalInto(lengths, new Uint32Array(lengths.length));
}

function canonicalInto(lengths: Uint8Array, codes: Uint32Array): Uint32Array {
  // Count per length, first code per length, then each symbol in order: one pass each.
  const count = new Uint16Array(MAX_LEN + 1);
  for (let s = 0; s < lengths.length; s++) count[lengths[s]!]!++;
  count[0] = 0;
  const next = new Uint32Array(MAX_LEN + 2);
  firstCodes(count, MAX_LEN, next);
  for (let s = 0; s < lengths.length; s++) {
    const len = lengths[s]!;
    if (len) codes[s] = next[len]!++;
  }
  return codes;
}

/** The first canonical code of each length 1..maxLen into next, from how many codes each length has (count[0] must be 0). */
function firstCodes(count: Uint16Array, maxLen: number, next: Uint32Array): void {
  let code = 0;
  for (let len = 1; len <= maxLen; len++) {
    code = (code + count[len - 1]!) << 1;
    next[len] = code;
  }
}

/**
 * The table: first and last used symbol (7 bits each), then 4 bits of length per symbol between.
 * v7 (`gaps`): the length 15, which no code has, stands for a run of 3 to 66 unused symbols, 6
 * bits of count after it. A section with both residuals and runs of zeros uses symbols on
 * either side of RUN_BASE (54): its table paid 4 bits for each of the ~50 unused ones between,
 * 200 bits, more than the codes of a sparse section (a clock's few skips, a flat signal's few
 * changes). Only runs of 3 or more take the escape, so no table is longer than v6's.
 */
const GAP = 15, GAP_MIN = 3, GAP_MAX = GAP_MIN + 63;

/** Unused symbols from k on (k itself included), up to GAP_MAX. */
function unusedRun(lengths: Uint8Array, k: number): number {
  let run = 0;
  while (run < GAP_MAX && lengths[k + run] === 0) run++;
  return run;
}

function tableBits(lengths: Uint8Array, gaps: boolean): number {
  let lo = -1, hi = -1;
  for (let s = 0; s < lengths.length; s++) if (lengths[s]) { if (lo < 0) lo = s; hi = s; }
  if (lo < 0) return 14;
  let bits = 14;
  for (let k = lo; k <= hi; k++) {
    bits += 4;
    if (!gaps || lengths[k] !== 0) continue;
    const run = unusedRun(lengths, k);
    if (run < GAP_MIN) continue;
    bits += 6;
    k += run - 1;
  }
  return bits;
}

export function writeCoded(w: BitWriter, s: Symbols, lengths: Uint8Array, gaps = false): void {
  let lo = -1, hi = -1;
  for (let k = 0; k < lengths.length; k++) if (lengths[k]) { if (lo < 0) lo = k; hi = k; }
  w.write(Math.max(lo, 0), 7);
  w.write(Math.max(hi, 0), 7);
  if (lo >= 0) {
    for (let k = lo; k <= hi; k++) {
      const run = gaps && lengths[k] === 0 ? unusedRun(lengths, k) : 0;
      if (run < GAP_MIN) {
        w.write(lengths[k]!, 4);
        continue;
      }
      w.write(GAP, 4);
      w.write(run - GAP_MIN, 6);
      k += run - 1;
    }
  }
  const codes = canonical(lengths);
  for (let i = 0; i < s.length; i++) {
    const sym = s.sym[i]!;
    w.write(codes[sym]!, lengths[sym]!);
    const rl = s.rawLen[i]!;
    if (rl > 0) w.writeBig(s.raw[i]!, rl);
  }
}

/**
 * Decode table: for every window of `bits` bits (the longest code), (symbol << 4) | code length;
 * 0 where no code starts (an incomplete code: corrupt).
 */
const decodeLengths = new Uint8Array(SYMBOLS);
const decodeCount = new Uint16Array(MAX_LEN + 1);
const decodeNext = new Uint32Array(MAX_LEN + 1);
const decodeTable = new Uint16Array(1 << MAX_LEN);

/** Whether the tables read have v7's runs of unused symbols: set by decodeBlockInto per block (decoding is synchronous). */
let readGaps = true;
export function readTablesOf(version: number): void {
  readGaps = version >= 7;
}

/** Reads a block's code into the module's decode table (decoding is synchronous: one table serves every block). */
function readTable(r: BitReader): number {
  const lo = r.read(7), hi = r.read(7);
  if (hi < lo || hi >= SYMBOLS) throw new Error(`corrupt block: ${r.what}: code table for symbols ${lo}..${hi}`);
  // A plot decodes a block per bucket edge, so the table is read thousands of times per query:
  // only the symbols lo..hi are touched, and no scratch is allocated.
  const lengths = decodeLengths, count = decodeCount, next = decodeNext;
  count.fill(0);
  let bits = 1;
  for (let k = lo; k <= hi; k++) {
    const len = r.read(4);
    if (len === GAP && readGaps) {
      const run = GAP_MIN + r.read(6);
      if (k + run > hi) throw new Error(`corrupt block: ${r.what}: code table's unused symbols ${k}..${k + run - 1} run past its last used one, ${hi}`);
      lengths.fill(0, k, k + run);
      k += run - 1;
      continue;
    }
    if (len > MAX_LEN) throw new Error(`corrupt block: ${r.what}: code longer than ${MAX_LEN} bits`);
    lengths[k] = len;
    count[len]!++;
    if (len > bits) bits = len;
  }
  // Symbol RUN_BASE (a run of bit length 0) is no residual's: its -1 raw bits would stall the decoder.
  if (lo <= RUN_BASE && RUN_BASE <= hi && lengths[RUN_BASE]) throw new Error(`corrupt block: ${r.what}: code for symbol ${RUN_BASE}, which no residual has`);
  count[0] = 0;
  firstCodes(count, bits, next);
  const table = decodeTable;
  let kraft = 0;
  for (let k = lo; k <= hi; k++) {
    const len = lengths[k]!;
    if (len === 0) continue;
    const span = 1 << (bits - len);
    kraft += span;
    if (kraft > 1 << bits) throw new Error(`corrupt block: ${r.what}: code lengths overfull`);
    const first = next[len]!++ << (bits - len), entry = (k << 4) | len;
    for (let i = first; i < first + span; i++) table[i] = entry;
  }
  // Canonical codes fill the table from 0 up, in order: an incomplete code leaves [kraft, 2^bits) without one.
  table.fill(0, kraft, 1 << bits);
  return bits;
}

const POW2 = Float64Array.from({ length: 64 }, (_, i) => 2 ** i);

/** Reads the codes of residuals for samples from..to into out as they were written (not summed). */
export function readCodedResiduals(r: BitReader, out: Float64Array, from: number, to: number): void {
  readCodedSums(r, out, from, to, 0, 1);
  for (let i = to - 1; i > from; i--) out[i] = out[i]! - out[i - 1]!;
}

/**
 * Reads the codes of residuals for samples from..to: out[i] = (running sum of the residuals up
 * to i, from `start`) / divisor, the exact division the decimal encoding inverts. Returns the
 * last running sum. Values: the sum is the scaled integer; timestamps (divisor 1): the delta.
 * The hot loop keeps the bit position in a local and reads 32-bit windows itself: the reader's
 * buffer has at least 4 bytes after its end (the block's checksum), so a window never runs off.
 */
export function readCodedSums(r: BitReader, out: Float64Array, from: number, to: number, start: number, divisor: number): number {
  const bits = readTable(r);
  const table = decodeTable;
  const buf = r.buf, end = r.end;
  if (buf.length * 8 < end + 32) throw new Error('readCodedSums: the buffer needs 4 bytes after the end of the bits');
  const shift = 32 - bits;
  let pos = r.pos;
  let k = start;
  for (let i = from; i < to; ) {
    const j = pos >>> 3;
    // 32 bits from pos: at least 25 valid, enough for a code (<= 12) and, mostly, its raw bits.
    const w = ((buf[j]! << 24) | (buf[j + 1]! << 16) | (buf[j + 2]! << 8) | buf[j + 3]!) << (pos & 7);
    const e = table[w >>> shift]!;
    const len = e & 15;
    const sym = e >> 4;
    if (e === 0 || pos + len > end) throw new Error(`corrupt block: ${r.what}: no code at sample ${i}`);
    if (sym === 0) {
      pos += len;
      out[i++] = k / divisor;
      continue;
    }
    const n = sym < RUN_BASE ? sym - 1 : sym - RUN_BASE - 1; // raw bits after the code
    let raw = 0;
    if (pos + len + n > end) throw new Error(`corrupt block: truncated while reading ${r.what}`);
    if (n === 0) pos += len;
    else if (len + n <= 25) {
      raw = (w << len) >>> (32 - n);
      pos += len + n;
    } else {
      r.pos = pos + len;
      raw = r.readBig(n);
      pos = r.pos;
    }
    if (sym < RUN_BASE) {
      const z = POW2[n]! + raw;
      k += z < 2147483648 ? (z >>> 1) ^ -(z & 1) : unzigzag(z);
      out[i++] = k / divisor;
    } else {
      const run = POW2[n]! + raw;
      if (run < 2 || i + run > to) throw new Error(`corrupt block: ${r.what}: run of ${run} zeros at sample ${i} overflows ${to}`);
      const v = k / divisor;
      for (const stop = i + run; i < stop; i++) out[i] = v;
    }
  }
  r.pos = pos;
  if (!(Math.abs(k) < 2 ** 53)) throw new Error(`corrupt block: ${r.what}: integer out of range`);
  return k;
}
