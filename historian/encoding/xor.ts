/**
 * Lossless float fallback: Gorilla XOR encoding of the IEEE 754 bits, for blocks whose values
 * are not decimal (or hold NaN, ±Infinity, -0). Each value is XORed with the previous one:
 *   '0'                         same bits
 *   '10' + meaningful bits      inside the previous leading/trailing-zero window
 *   '11' + 5 bits leading zeros + 6 bits (length - 1) + meaningful bits
 * 64-bit words are handled as hi/lo 32-bit halves.
 */
import { BitReader, BitWriter } from './bits.js';

const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE ? 1 : 0;
const LO = LITTLE ? 0 : 1;

/** Writes the low m bits (1..64) of the 64-bit word hi:lo. */
function write64(w: BitWriter, hi: number, lo: number, m: number): void {
  if (m > 32) {
    w.write(hi, m - 32);
    w.write(lo, 32);
  } else {
    w.write(lo, m);
  }
}

export function writeXorValues(w: BitWriter, values: Float64Array, n: number): void {
  // Read the IEEE 754 words in place (also keeps NaN payloads).
  const u32 = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  let prevHi = u32[HI];
  let prevLo = u32[LO];
  w.write(prevHi, 32);
  w.write(prevLo, 32);
  let lead = -1; // window of the previous meaningful bits; -1: none yet
  let trail = 0;
  for (let i = 1; i < n; i++) {
    const hi = u32[2 * i + HI];
    const lo = u32[2 * i + LO];
    const xh = (hi ^ prevHi) >>> 0;
    const xl = (lo ^ prevLo) >>> 0;
    prevHi = hi;
    prevLo = lo;
    if (xh === 0 && xl === 0) {
      w.write(0, 1);
      continue;
    }
    const lz = Math.min(31, xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl));
    const tz = xl !== 0 ? ctz32(xl) : 32 + ctz32(xh);
    if (lead >= 0 && lz >= lead && tz >= trail) {
      w.write(0b10, 2);
      writeShifted(w, xh, xl, trail, 64 - lead - trail);
    } else {
      lead = lz;
      trail = tz;
      const m = 64 - lz - tz;
      w.write(0b11, 2);
      w.write(lz, 5);
      w.write(m - 1, 6);
      writeShifted(w, xh, xl, tz, m);
    }
  }
}

/** Writes m bits of (hi:lo >>> shift). */
function writeShifted(w: BitWriter, hi: number, lo: number, shift: number, m: number): void {
  if (shift >= 32) write64(w, 0, hi >>> (shift - 32), m);
  else if (shift > 0) write64(w, hi >>> shift, ((lo >>> shift) | (hi << (32 - shift))) >>> 0, m);
  else write64(w, hi, lo, m);
}

export function readXorValues(r: BitReader, out: Float64Array, n: number): void {
  r.what = 'values (xor)';
  const u32 = new Uint32Array(out.buffer, out.byteOffset, n * 2);
  let hi = r.read(32);
  let lo = r.read(32);
  u32[HI] = hi;
  u32[LO] = lo;
  let lead = -1;
  let trail = 0;
  for (let i = 1; i < n; i++) {
    if (r.bit() !== 0) {
      if (r.bit() !== 0) {
        lead = r.read(5);
        const m = r.read(6) + 1;
        trail = 64 - lead - m;
        if (trail < 0) throw new Error(`corrupt block: values (xor): window of ${m} bits after ${lead} leading zeros at sample ${i}`);
      } else if (lead < 0) {
        throw new Error(`corrupt block: values (xor): window reused before one was set at sample ${i}`);
      }
      const m = 64 - lead - trail;
      let xh: number;
      let xl: number;
      if (m > 32) {
        xh = r.read(m - 32);
        xl = r.read(32);
      } else {
        xh = 0;
        xl = r.read(m);
      }
      // shift left by trail
      if (trail >= 32) {
        xh = trail === 64 ? 0 : (xl << (trail - 32)) >>> 0;
        xl = 0;
      } else if (trail > 0) {
        xh = ((xh << trail) | (xl >>> (32 - trail))) >>> 0;
        xl = (xl << trail) >>> 0;
      }
      hi = (hi ^ xh) >>> 0;
      lo = (lo ^ xl) >>> 0;
    }
    u32[2 * i + HI] = hi;
    u32[2 * i + LO] = lo;
  }
}

function ctz32(v: number): number {
  return 31 - Math.clz32(v & -v);
}
