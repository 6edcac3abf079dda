/**
 * Timestamps, format v2 (writeTimestamps / readTimestamps): the first as an integer, the time
 * quantum q (GCD of the deltas), then the deltas in quanta per mini-block of 64, each mini-block
 * in the cheaper of two forms (the encoder counts the bits of both):
 *   '0'                               frame of reference as the previous FOR mini-block
 *   '10' + uint min + 6 bits width    frame of reference: each delta as (delta - min) in width bits
 *   '11'                              delta-of-delta buckets as in v1 below
 * Regular data costs 0 bits per sample (width 0); ms jitter on a 1 s cycle 3-4 bits; irregular
 * 1..10 s intervals 14 bits (v1's buckets: about 20), and a ramp of deltas keeps v1's cost.
 *
 * Format v1 (readTimestampsV1, still read): the first as an integer, the time quantum q (the GCD of all deltas: 1000 for
 * compressed archives of 1 s data, 1 for jittered raw data), the first delta in quanta, then the
 * delta-of-delta in quanta with variable-length prefixes (Gorilla / Prometheus xor.go):
 *   '0'                      dod = 0            (regular data: 1 bit per sample)
 *   '10'   + 7 bits zigzag   |dod| < 64 ms      (jitter)
 *   '110'  + 12 bits zigzag  |dod| < 2 s
 *   '1110' + 20 bits zigzag  |dod| < 8.7 min
 *   '1111' + uint            anything else
 */
import { BitReader, BitWriter, bitLength, unzigzag, zigzag } from './bits.js';

export const TS_MINI_BLOCK = 64;

/** Bits of a delta-of-delta in v1's buckets. */
function dodBits(dod: number): number {
  if (dod === 0) return 1;
  const z = zigzag(dod);
  return z < 1 << 7 ? 9 : z < 1 << 12 ? 15 : z < 1 << 20 ? 24 : 10 + bitLength(z);
}

function writeDod(w: BitWriter, dod: number): void {
  if (dod === 0) return w.write(0, 1);
  const z = zigzag(dod);
  if (z < 1 << 7) w.write((0b10 << 7) | z, 9);
  else if (z < 1 << 12) w.write((0b110 << 12) | z, 15);
  else if (z < 1 << 20) w.write((0b1110 << 20) | z, 24);
  else {
    w.write(0b1111, 4);
    w.writeUint(z);
  }
}

export function writeTimestamps(w: BitWriter, t: ArrayLike<number>, n: number): void {
  w.writeUint(zigzag(t[0]));
  if (n < 2) return;
  const q = quantum(t, n);
  w.writeUint(q);
  let prevMin = -1;
  let prevWidth = -1;
  let delta = 0; // the previous delta, which dod mini-blocks continue from
  for (let start = 1; start < n; start += TS_MINI_BLOCK) {
    const end = Math.min(n, start + TS_MINI_BLOCK);
    let min = Infinity;
    let max = 0;
    let dodCost = 2;
    let prev = delta;
    for (let i = start; i < end; i++) {
      const d = (t[i] - t[i - 1]) / q;
      if (d < min) min = d;
      if (d > max) max = d;
      dodCost += dodBits(d - prev);
      prev = d;
    }
    const width = bitLength(max - min);
    const same = min === prevMin && width === prevWidth;
    const forCost = (same ? 1 : 2 + 6 + bitLength(min) + 6) + width * (end - start);
    if (dodCost < forCost) {
      w.write(0b11, 2);
      for (let i = start; i < end; i++) {
        const d = (t[i] - t[i - 1]) / q;
        writeDod(w, d - delta);
        delta = d;
      }
      continue;
    }
    if (same) w.write(0, 1);
    else {
      w.write(0b10, 2);
      w.writeUint(min);
      w.write(width, 6);
      prevMin = min;
      prevWidth = width;
    }
    if (width > 0) for (let i = start; i < end; i++) w.writeBig((t[i] - t[i - 1]) / q - min, width);
    delta = (t[end - 1] - t[end - 2]) / q;
  }
}

export function readTimestamps(r: BitReader, out: Float64Array, n: number): void {
  r.what = 'timestamps';
  let t = unzigzag(r.readUint());
  out[0] = t;
  if (n < 2) return;
  const q = r.readUint();
  if (q === 0) throw new Error('corrupt block: timestamps: time quantum 0');
  let min = 0;
  let width = -1;
  let delta = 0;
  for (let start = 1; start < n; start += TS_MINI_BLOCK) {
    const end = Math.min(n, start + TS_MINI_BLOCK);
    const mode = r.bit() === 0 ? 0 : 1 + r.bit(); // '0' same frame, '10' new frame, '11' dod
    if (mode === 0) {
      if (width < 0) throw new Error(`corrupt block: timestamps: mini-block at sample ${start} repeats a missing frame`);
    } else if (mode === 1) {
      min = r.readUint();
      width = r.read(6);
      if (width > 53) throw new Error(`corrupt block: timestamps: bit width ${width} at sample ${start}`);
    } else {
      for (let i = start; i < end; i++) {
        const ones = r.prefix4();
        if (ones !== 0) {
          delta += unzigzag(ones === 1 ? r.read(7) : ones === 2 ? r.read(12) : ones === 3 ? r.read(20) : r.readUint());
          if (delta < 0) throw new Error(`corrupt block: timestamps: negative delta at sample ${i}`);
        }
        t += delta * q;
        out[i] = t;
      }
      continue;
    }
    if (width === 0) {
      const step = min * q;
      for (let i = start; i < end; i++) out[i] = t += step;
      delta = min;
    } else if (width <= 25) {
      for (let i = start; i < end; i++) {
        delta = min + r.read(width);
        out[i] = t += delta * q;
      }
    } else {
      for (let i = start; i < end; i++) {
        delta = min + r.readBig(width);
        out[i] = t += delta * q;
      }
    }
  }
  if (!Number.isSafeInteger(t)) throw new Error('corrupt block: timestamps: outside the integer range');
}

export function quantum(t: ArrayLike<number>, n: number): number {
  let q = 0, last = -1;
  for (let i = 1; i < n && q !== 1; i++) {
    const delta = t[i] - t[i - 1];
    if (delta === last) continue; // q divides it already: regular data takes no division
    last = delta;
    q = gcd(q, delta);
  }
  return q === 0 ? 1 : q;
}

/** v1 writer, kept for the tests that check old blocks still decode. */
export function writeTimestampsV1(w: BitWriter, t: ArrayLike<number>, n: number): void {
  w.writeUint(zigzag(t[0]));
  if (n < 2) return;
  const q = quantum(t, n);
  w.writeUint(q);
  let delta = (t[1] - t[0]) / q;
  w.writeUint(delta);
  for (let i = 2; i < n; i++) {
    const d = (t[i] - t[i - 1]) / q;
    writeDod(w, d - delta);
    delta = d;
  }
}

export function readTimestampsV1(r: BitReader, out: Float64Array, n: number): void {
  r.what = 'timestamps';
  let t = unzigzag(r.readUint());
  out[0] = t;
  if (n < 2) return;
  const q = r.readUint();
  if (q === 0) throw new Error('corrupt block: timestamps: time quantum 0');
  let delta = r.readUint();
  t += delta * q;
  out[1] = t;
  for (let i = 2; i < n; i++) {
    const ones = r.prefix4();
    if (ones !== 0) {
      const z = ones === 1 ? r.read(7) : ones === 2 ? r.read(12) : ones === 3 ? r.read(20) : r.readUint();
      delta += unzigzag(z);
      if (delta < 0) throw new Error(`corrupt block: timestamps: negative delta at sample ${i}`);
    }
    t += delta * q;
    out[i] = t;
  }
  if (!Number.isSafeInteger(t)) throw new Error('corrupt block: timestamps: outside the integer range');
}

function gcd(a: number, b: number): number {
  // no [a, b] = [b, a % b]: that allocated an array per step where V8 did not optimise it away
  while (b !== 0) {
    const r = a % b;
    a = b;
    b = r;
  }
  return a;
}
