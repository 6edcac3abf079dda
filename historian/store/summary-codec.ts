/**
 * A block's summary as stored beside it (block.summary): about 25 bytes instead of ten doubles.
 *   u8 bits: 1 some good value, 2|4 worst severity (0-3), 8 values are decimal (then u8 scale), 16 has cyclic,
 *   32 the decimal values are float32s (an OPC UA Float: each decodes as Math.fround of its decimal)
 *   varint t_end - t_start, varint count, [varint cyclic records]
 *   when some value is good: varint first_t - t_start, varint t_end - last_t, then min, max,
 *   first, last: decimal as zigzag varints of the scaled integers (first whole, the others as
 *   differences from it), else four float64.
 * t_start is the row's key. Decoded into the plot's packed layout (SUMMARY_FIELDS doubles).
 */
import { F32, NEAR, SCALE_DIGITS, valueScale } from '../encoding/decimal.js';
import type { BlockSummary } from '../types.js';

const GOOD = 1, DECIMAL = 8, CYCLIC = 16, FLOAT32 = 32; // bits 2 and 4 hold the worst severity (0-3)

export interface StoredSummary extends Pick<BlockSummary, 'tStart' | 'tEnd' | 'count' | 'min' | 'max' | 'first' | 'last' | 'worstSeverity'> {
  /** Cyclic and hold records among the samples (records the historian added). */
  added: number;
}

export function encodeSummary(s: StoredSummary): Uint8Array {
  const out: number[] = [0];
  const good = s.first !== null && s.last !== null && s.min !== null && s.max !== null;
  let bits = (good ? GOOD : 0) | (s.worstSeverity << 1) | (s.added > 0 ? CYCLIC : 0);
  varint(out, s.tEnd - s.tStart);
  varint(out, s.count);
  if (s.added > 0) varint(out, s.added);
  if (good) {
    varint(out, s.first!.t - s.tStart);
    varint(out, s.tEnd - s.last!.t);
    const values = [s.first!.value, s.min!, s.max!, s.last!.value];
    // Decimal, or float32s of a decimal (not near-decimals: four doubles hold those exactly).
    const scale = valueScale(values, 4);
    if (scale >= 0 && (scale & NEAR) === 0) {
      const d = scale & SCALE_DIGITS;
      bits |= DECIMAL | (scale & F32 ? FLOAT32 : 0);
      out.push(d);
      const p = 10 ** d;
      const k = values.map((v) => Math.round(v * p));
      varint(out, zigzag(k[0]!));
      for (let i = 1; i < 4; i++) varint(out, zigzag(k[i]! - k[0]!));
    } else {
      const raw = new Uint8Array(32);
      const view = new DataView(raw.buffer);
      values.forEach((v, i) => view.setFloat64(i * 8, v, true));
      out.push(...raw);
    }
  }
  out[0] = bits;
  return Uint8Array.from(out);
}

/**
 * Decodes a stored summary into out[at .. at + SUMMARY_FIELDS): t_start, t_end, count, min, max,
 * first_t, first_v, last_t, last_v, worst (NaN where no value is good). Returns the cyclic count.
 */
export function decodeSummaryInto(bytes: Uint8Array, tStart: number, out: Float64Array, at: number, from = 0, to = bytes.length): number {
  // No closure, array or view per call: a cold plot over a year decodes ~60 000 of these from one blob.
  pos = from + 1;
  end = to;
  const bits = bytes[from]!;
  const tEnd = tStart + next(bytes);
  out[at] = tStart;
  out[at + 1] = tEnd;
  out[at + 2] = next(bytes);
  const added = bits & CYCLIC ? next(bytes) : 0;
  out[at + 9] = (bits >> 1) & 3;
  if (!(bits & GOOD)) {
    out.fill(NaN, at + 3, at + 9);
    return added;
  }
  out[at + 5] = tStart + next(bytes);
  out[at + 7] = tEnd - next(bytes);
  let first: number, min: number, max: number, last: number;
  if (bits & DECIMAL) {
    const p = 10 ** bytes[pos++]!;
    const k0 = unzigzag(next(bytes));
    first = k0 / p;
    min = (k0 + unzigzag(next(bytes))) / p;
    max = (k0 + unzigzag(next(bytes))) / p;
    last = (k0 + unzigzag(next(bytes))) / p;
    if (bits & FLOAT32) {
      first = Math.fround(first);
      min = Math.fround(min);
      max = Math.fround(max);
      last = Math.fround(last);
    }
  } else {
    if (pos + 32 > end) throw new Error('corrupt summary: truncated');
    // A Buffer from SQLite may be a view into a shared pool: read through its own offset.
    const view = new DataView(bytes.buffer, bytes.byteOffset + pos, 32);
    first = view.getFloat64(0, true);
    min = view.getFloat64(8, true);
    max = view.getFloat64(16, true);
    last = view.getFloat64(24, true);
    pos += 32;
  }
  out[at + 3] = min;
  out[at + 4] = max;
  out[at + 6] = first;
  out[at + 8] = last;
  return added;
}

/** Where decodeSummaryInto reads, and where its summary ends (decoding is synchronous, not re-entrant). */
let pos = 0, end = 0;

/** Just past the summary decodeSummaryInto read last: where the next one starts in summaries laid end to end. */
export const summaryEnd = (): number => pos;

function next(bytes: Uint8Array): number {
  let v = 0, mul = 1, b: number;
  do {
    if (pos >= end) throw new Error('corrupt summary: truncated');
    b = bytes[pos++]!;
    v += (b & 127) * mul;
    mul *= 128;
  } while (b & 128);
  return v;
}

function varint(out: number[], v: number): void {
  if (!(v >= 0 && Number.isSafeInteger(v))) throw new Error(`summary: ${v} is not an integer >= 0`);
  while (v >= 128) {
    out.push((v % 128) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

const zigzag = (v: number): number => (v >= 0 ? v * 2 : -v * 2 - 1);
const unzigzag = (z: number): number => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);
