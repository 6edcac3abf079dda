/**
 * Values no decimal encoding can carry, coded apart (block v8): NaN (what the archive keeps as a
 * Bad sample's value), ±Infinity, -0 and magnitudes of 2^51 or more. Before, one of them put the
 * whole block in XOR: 512 decimal level readings with one lost-communication marker took 3.9 KB
 * instead of 0.5, and a flow that printed -0.00 near zero several times its size.
 *
 * The values section codes the block with each exception replaced by the value before it (the
 * first ordinary one for a leading run; 0 when there is none): a delta of 0 in every decimal
 * encoding. This section, after the values (and their near-decimal corrections), puts them back:
 *   count (writeUint, >= 1), then per exception the gap to it (writeUint: its index for the
 *   first, index - previous - 1 after) and its kind in 2 bits: 0 NaN (the canonical quiet NaN),
 *   1 -0, 2 ±Infinity (+1 bit, the sign), 3 any other (its 64 IEEE 754 bits, hi then lo).
 */
import type { BitReader, BitWriter } from './bits.js';
import { uintBits } from './bits.js';
import type { Section } from './coded.js';

/** Scaled integers stay below 2^51 (decimal.ts): larger magnitudes are exceptions. */
const LIMIT = 2 ** 51;

const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE ? 1 : 0;
const LO = LITTLE ? 0 : 1;
/** The canonical quiet NaN's high word (its low word is 0): what JavaScript's NaN is. */
const QUIET_NAN_HI = 0x7ff80000;

const Kind = { NaN: 0, NegativeZero: 1, Infinity: 2, Raw: 3 } as const;

/** A value a decimal encoding cannot carry. */
export function isException(v: number): boolean {
  return !(Math.abs(v) < LIMIT) || Object.is(v, -0);
}

export function exceptionCount(values: ArrayLike<number>, n: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) if (isException(values[i]!)) count++;
  return count;
}

/** `values` with each exception replaced by the ordinary value before it (the first one for a leading run, 0 with none), into `out`. */
export function fillExceptions(values: ArrayLike<number>, n: number, out: Float64Array): Float64Array {
  let prev = 0;
  for (let i = 0; i < n; i++) {
    if (!isException(values[i]!)) {
      prev = values[i]!;
      break;
    }
  }
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (isException(v)) out[i] = prev;
    else out[i] = prev = v;
  }
  return out;
}

/** The kind of exception values[i] is, read from its bits in place (a NaN's payload is kept, never made canonical). */
function kindAt(values: Float64Array, words: Uint32Array, i: number): number {
  const v = values[i]!;
  if (Object.is(v, -0)) return Kind.NegativeZero;
  if (v === Infinity || v === -Infinity) return Kind.Infinity;
  if (words[2 * i + HI] === QUIET_NAN_HI && words[2 * i + LO] === 0) return Kind.NaN;
  return Kind.Raw;
}

/** The section for the exceptions of values[0..n) (at least one). */
export function exceptionsSection(values: Float64Array, n: number): Section {
  // Read in place (the block's own column; encoding is synchronous).
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  const at: number[] = [];
  let bits = 0;
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!isException(v)) continue;
    const kind = kindAt(values, words, i);
    at.push(i);
    bits += uintBits(i - prev - 1) + 2 + (kind === Kind.Infinity ? 1 : kind === Kind.Raw ? 64 : 0);
    prev = i;
  }
  bits += uintBits(at.length);
  return {
    bits,
    write(w: BitWriter): void {
      w.writeUint(at.length);
      let last = -1;
      for (const i of at) {
        const kind = kindAt(values, words, i);
        w.writeUint(i - last - 1);
        w.write(kind, 2);
        if (kind === Kind.Infinity) w.write(values[i]! < 0 ? 1 : 0, 1);
        else if (kind === Kind.Raw) {
          w.write(words[2 * i + HI]!, 32);
          w.write(words[2 * i + LO]!, 32);
        }
        last = i;
      }
    },
  };
}

/** Puts the exceptions back into out[0..n) (decoded with their stand-ins). */
export function readExceptions(r: BitReader, out: Float64Array, n: number): void {
  r.what = 'exceptions';
  const count = r.readUint();
  if (count === 0 || count > n) throw new Error(`corrupt block: exceptions: count ${count} for ${n} values`);
  // Raw bits are written in place: a NaN's payload is not made canonical through a number.
  const words = new Uint32Array(out.buffer, out.byteOffset, n * 2);
  let i = -1;
  for (let e = 0; e < count; e++) {
    i += r.readUint() + 1;
    if (i >= n) throw new Error(`corrupt block: exceptions: index ${i} past the block's ${n} values`);
    const kind = r.read(2);
    if (kind === Kind.NaN) out[i] = NaN;
    else if (kind === Kind.NegativeZero) out[i] = -0;
    else if (kind === Kind.Infinity) out[i] = r.bit() === 1 ? -Infinity : Infinity;
    else {
      words[2 * i + HI] = r.read(32);
      words[2 * i + LO] = r.read(32);
      if (!isException(out[i]!) || kindAt(out, words, i) !== Kind.Raw) throw new Error(`corrupt block: exceptions: raw value ${out[i]} at ${i} needs no raw bits`);
    }
  }
}
