import { expect } from 'vitest';
import type { ArchivedSample } from '../types.js';
import { BitReader, BitWriter } from './bits.js';
import { decodeBlock } from './block.js';
import { crc32 } from './crc32.js';
import { writeRunsV3 } from './runs.js';
import { writeTimestamps } from './timestamps.js';

/** Test helpers: bit strings ('0'/'1', most significant bit first) to bytes and back, independent of bits.ts. */
export function fromBits(s: string): Uint8Array {
  const clean = s.replace(/[\s|]/g, '');
  const out = new Uint8Array(Math.ceil(clean.length / 8));
  for (let i = 0; i < clean.length; i++) if (clean[i] === '1') out[i >> 3]! |= 0x80 >> (i & 7);
  return out;
}

export function toBits(bytes: Uint8Array, nbits = bytes.length * 8): string {
  let s = '';
  for (let i = 0; i < nbits; i++) s += (bytes[i >> 3]! >> (7 - (i & 7))) & 1 ? '1' : '0';
  return s;
}

/** v in exactly n bits (n may exceed 32: arithmetic, not bit operators). */
export function bin(v: number, n: number): string {
  if (n === 0) return '';
  let s = '';
  for (let i = 0; i < n; i++) { s = (v % 2 === 1 ? '1' : '0') + s; v = Math.floor(v / 2); }
  if (v !== 0) throw new Error(`bin: value does not fit in ${n} bits`);
  return s;
}

/** The format's uint: a 6-bit length, then the value in that many bits. */
export function uint(v: number): string {
  let n = 0;
  for (let x = v; x > 0; x = Math.floor(x / 2)) n++;
  return bin(n, 6) + bin(v, n);
}

export const zz = (v: number): number => (v >= 0 ? 2 * v : -2 * v - 1);

/** A reader over what `build` writes: hand-built sections, corrupt ones included. */
export function reader(build: (w: BitWriter) => void): BitReader {
  const w = new BitWriter();
  build(w);
  return new BitReader(w.finish(), 0);
}

/** Expects the block to decode to exactly the points: times, values (Object.is: -0 and NaN too), statuses and flags. */
export function expectDecodesTo(points: readonly ArchivedSample[], bytes: Uint8Array): void {
  const c = decodeBlock(bytes);
  expect(c.length).toBe(points.length);
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (!(c.t[i] === p.t && Object.is(c.value[i], p.value) && c.status[i] === p.status && c.flags[i] === p.flags)) {
      expect.fail(`point ${i}: got ${c.t[i]} ${c.value[i]}, expected ${p.t} ${p.value}`);
    }
  }
}

/** A block written by hand, ended as the format ends one: its CRC-32 (big-endian) after the body. */
export function sealed(w: BitWriter): Uint8Array {
  return crcRewritten(w.finish(4));
}

/** The block with its last 4 bytes set to the CRC-32 of the rest (a damaged block then fails on its sections' own checks). */
export function crcRewritten(block: Uint8Array): Uint8Array {
  new DataView(block.buffer, block.byteOffset).setUint32(block.length - 4, crc32(block, 0, block.length - 4), false);
  return block;
}

/**
 * A block written by hand from the format: the header (version, value encoding, scale byte), the
 * count, plain timestamps one second apart, the values as `values` writes them, every status
 * Good, the checksum.
 */
export function handWrittenBlock(version: number, encoding: number, scale: number, n: number, values: (w: BitWriter) => void): Uint8Array {
  const w = new BitWriter(1024);
  w.byte(version);
  w.byte(encoding);
  w.byte(scale);
  w.writeUint(n);
  w.write(0, 1);
  writeTimestamps(w, Array.from({ length: n }, (_, i) => i * 1000), n);
  values(w);
  writeRunsV3(w, new Array<number>(n).fill(0), new Array<number>(n).fill(0), n);
  return sealed(w);
}

/**
 * The start of a hand-written block with timestamps against a base interval (v5's jitter form):
 * header (decimal values, scale 0), the count, '1' coded, '1' against a base, the first time,
 * the quantum and the base. The deviations follow, then sealedWithZeroValues.
 */
export function jitterBlockHead(version: number, n: number, first: number, q: number, base: number): BitWriter {
  const w = new BitWriter(256);
  w.byte(version);
  w.byte(0); // decimal values
  w.byte(0);
  w.writeUint(n);
  w.write(1, 1); // coded timestamps
  w.write(1, 1); // as intervals against a base
  w.writeUint(zz(first));
  w.writeUint(q);
  w.writeUint(base);
  return w;
}

/** The rest of a hand-written block after its timestamps: decimal values all 0 (the first, then per 64 deltas a frame '1' + min 0 + width 0), every status Good, the checksum. */
export function sealedWithZeroValues(w: BitWriter, n: number): Uint8Array {
  w.writeUint(0);
  for (let i = 1; i < n; i += 64) {
    w.write(1, 1);
    w.writeUint(0);
    w.write(0, 6);
  }
  writeRunsV3(w, new Array<number>(n).fill(0), new Array<number>(n).fill(0), n);
  return sealed(w);
}

/**
 * The errors of a block cut short at every length from `from` bytes on (its checksum rewritten
 * each time, so the sections' own checks are what fail): where a section names itself.
 */
export function cutShortErrors(block: Uint8Array, from = 4): string[] {
  const errors: string[] = [];
  for (let len = from; len < block.length - 4; len++) {
    const cut = new Uint8Array(len + 4);
    cut.set(block.subarray(0, len));
    try {
      decodeBlock(crcRewritten(cut));
    } catch (err) {
      errors.push(String(err));
    }
  }
  return errors;
}

/**
 * Flips bits (0x01, 0x10, 0x80) of every byte after the header, the checksum rewritten each
 * time: decoding either throws a corrupt-block error or returns a block within the count cap,
 * never another error.
 */
export function expectDamageFailsAsCorrupt(block: Uint8Array): void {
  for (let at = 3; at < block.length - 4; at++) {
    for (const mask of [0x01, 0x10, 0x80]) {
      const bad = block.slice();
      bad[at]! ^= mask;
      let decoded: ReturnType<typeof decodeBlock> | null = null;
      try {
        decoded = decodeBlock(crcRewritten(bad));
      } catch (err) {
        expect(String(err)).toMatch(/corrupt block/);
      }
      if (decoded) expect(decoded.length).toBeLessThanOrEqual(2 ** 20);
    }
  }
}
