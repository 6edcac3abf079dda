/**
 * Timestamps: the first as an integer, the time quantum q (the GCD of all deltas: 1000 for
 * compressed archives of 1 s data, 1 for jittered raw data), the first delta in quanta, then the
 * delta-of-delta in quanta with variable-length prefixes (Gorilla / Prometheus xor.go):
 *   '0'                      dod = 0            (regular data: 1 bit per sample)
 *   '10'   + 7 bits zigzag   |dod| < 64 ms      (jitter)
 *   '110'  + 12 bits zigzag  |dod| < 2 s
 *   '1110' + 20 bits zigzag  |dod| < 8.7 min
 *   '1111' + uint            anything else
 */
import { BitReader, BitWriter, unzigzag, zigzag } from './bits.js';

export function writeTimestamps(w: BitWriter, t: ArrayLike<number>, n: number): void {
  w.writeUint(zigzag(t[0]));
  if (n < 2) return;
  let q = 0;
  for (let i = 1; i < n && q !== 1; i++) q = gcd(q, t[i] - t[i - 1]);
  if (q === 0) q = 1;
  w.writeUint(q);
  let delta = (t[1] - t[0]) / q;
  w.writeUint(delta);
  for (let i = 2; i < n; i++) {
    const d = (t[i] - t[i - 1]) / q;
    const dod = d - delta;
    delta = d;
    if (dod === 0) {
      w.write(0, 1);
      continue;
    }
    const z = zigzag(dod);
    if (z < 1 << 7) w.write((0b10 << 7) | z, 9);
    else if (z < 1 << 12) w.write((0b110 << 12) | z, 15);
    else if (z < 1 << 20) w.write((0b1110 << 20) | z, 24);
    else {
      w.write(0b1111, 4);
      w.writeUint(z);
    }
  }
}

export function readTimestamps(r: BitReader, out: Float64Array, n: number): void {
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
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
