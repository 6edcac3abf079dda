/**
 * A per-tag block of archived analog samples:
 *   byte 0   format version (1)
 *   byte 1   value encoding: 0 decimal (scaled integers), 1 xor (IEEE 754 bits)
 *   byte 2   decimal scale d (0..9; 0 for xor)
 *   then a bit stream: count, timestamps, values, status runs, zero padding to the byte;
 *   last 4 bytes: CRC-32 of everything before (big-endian).
 * Decoding checks the CRC, then every length and range it reads, and rejects trailing bytes:
 * corrupt or truncated input fails with an Error that says what is wrong, never with values
 * read out of bounds or silently changed.
 */
import type { ArchivedSample, SampleColumns } from '../types.js';
import { BitReader, BitWriter } from './bits.js';
import { crc32 } from './crc32.js';
import { decimalScale, MAX_SCALE, readDecimalValues, writeDecimalValues } from './decimal.js';
import { readRuns, writeRuns } from './runs.js';
import { readTimestamps, writeTimestamps } from './timestamps.js';
import { readXorValues, writeXorValues } from './xor.js';

export const BLOCK_VERSION = 1;
export const ValueEncoding = { Decimal: 0, Xor: 1 } as const;
/** Largest block accepted (the store cuts blocks of about 4096 points). */
export const MAX_BLOCK_POINTS = 1 << 20;
/** Timestamps within ±2^47 ms (about ±4400 years around 1970) keep delta-of-delta exact. */
const T_LIMIT = 2 ** 47;

export function encodeBlock(points: ArchivedSample[]): Uint8Array {
  const n = points.length;
  if (n === 0) throw new Error('encodeBlock: a block needs at least one point');
  if (n > MAX_BLOCK_POINTS) throw new Error(`encodeBlock: ${n} points, at most ${MAX_BLOCK_POINTS} per block`);
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  const status = new Uint32Array(n);
  const flags = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = points[i];
    if (!Number.isSafeInteger(p.t) || Math.abs(p.t) > T_LIMIT) {
      throw new Error(`encodeBlock: point ${i}: t must be an integer ms timestamp within ±2^47, got ${p.t}`);
    }
    if (i > 0 && p.t < points[i - 1].t) {
      throw new Error(`encodeBlock: point ${i}: t=${p.t} is before the previous point's t=${points[i - 1].t} (negative delta)`);
    }
    if (typeof p.value !== 'number') throw new Error(`encodeBlock: point ${i} (t=${p.t}): value must be a number, got ${typeof p.value}`);
    if (!Number.isInteger(p.status) || p.status < 0 || p.status > 0xffffffff) {
      throw new Error(`encodeBlock: point ${i} (t=${p.t}): status must be a uint32, got ${p.status}`);
    }
    if (!Number.isInteger(p.flags) || p.flags < 0 || p.flags > 0xff) {
      throw new Error(`encodeBlock: point ${i} (t=${p.t}): flags must be 0..255, got ${p.flags}`);
    }
    t[i] = p.t;
    v[i] = p.value;
    status[i] = p.status;
    flags[i] = p.flags;
  }
  return encodeColumns({ t, value: v, status, flags, length: n });
}

/** Encodes columns already checked (encodeBlock checks points and builds them). */
function encodeColumns(c: SampleColumns): Uint8Array {
  const n = c.length;
  const w = new BitWriter(16 + n * 2);
  const d = decimalScale(c.value, n);
  w.byte(BLOCK_VERSION);
  w.byte(d >= 0 ? ValueEncoding.Decimal : ValueEncoding.Xor);
  w.byte(Math.max(d, 0));
  w.writeUint(n);
  writeTimestamps(w, c.t, n);
  if (d >= 0) writeDecimalValues(w, c.value, n, d, new Float64Array(n));
  else writeXorValues(w, c.value, n);
  writeRuns(w, c.status, c.flags, n);
  const body = w.finish();
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  new DataView(out.buffer).setUint32(body.length, crc32(body), false);
  return out;
}

export function decodeBlock(bytes: Uint8Array): SampleColumns {
  if (!(bytes instanceof Uint8Array)) throw new Error('decodeBlock: expected a Uint8Array');
  if (bytes.length < 8) throw new Error(`corrupt block: ${bytes.length} bytes, shorter than header and checksum`);
  if (bytes[0] !== BLOCK_VERSION) throw new Error(`corrupt block: format version ${bytes[0]}, expected ${BLOCK_VERSION}`);
  const end = bytes.length - 4;
  const stored = ((bytes[end] << 24) | (bytes[end + 1] << 16) | (bytes[end + 2] << 8) | bytes[end + 3]) >>> 0;
  const actual = crc32(bytes, 0, end);
  if (stored !== actual) {
    throw new Error(`corrupt block: checksum mismatch (stored ${hex(stored)}, computed ${hex(actual)}): truncated or damaged`);
  }
  const body = bytes.subarray(0, end);
  const encoding = body[1];
  const d = body[2];
  if (encoding !== ValueEncoding.Decimal && encoding !== ValueEncoding.Xor) {
    throw new Error(`corrupt block: unknown value encoding ${encoding}`);
  }
  if (d > MAX_SCALE || (encoding === ValueEncoding.Xor && d !== 0)) throw new Error(`corrupt block: decimal scale ${d}`);
  const r = new BitReader(body, 3);
  r.what = 'count';
  const n = r.readUint();
  // Every sample after the second costs at least one timestamp bit: a count larger than the
  // bits left is corrupt, and must not allocate.
  if (n === 0 || n > MAX_BLOCK_POINTS || n > r.remaining + 2) throw new Error(`corrupt block: count ${n} does not fit the ${end} bytes`);
  const cols: SampleColumns = {
    t: new Float64Array(n),
    value: new Float64Array(n),
    status: new Uint32Array(n),
    flags: new Uint8Array(n),
    length: n,
  };
  readTimestamps(r, cols.t, n);
  if (encoding === ValueEncoding.Decimal) readDecimalValues(r, cols.value, n, d);
  else readXorValues(r, cols.value, n);
  readRuns(r, cols.status, cols.flags, n);
  if (r.remaining >= 8) throw new Error(`corrupt block: ${Math.floor(r.remaining / 8)} trailing bytes after the data`);
  if (r.remaining > 0 && r.read(r.remaining) !== 0) throw new Error('corrupt block: non-zero padding bits');
  return cols;
}

const hex = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;
