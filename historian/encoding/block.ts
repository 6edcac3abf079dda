/**
 * A per-tag block of archived analog samples:
 *   byte 0   format version: 8; 1 to 7 are still read
 *   byte 1   value encoding: 0 decimal (scaled integers, frame of reference per 64), 1 xor (IEEE
 *            754 bits), 2 decimal coded (deltas through the entropy stage, huffman.ts; v3 on),
 *            3 held (runs of equal values: their deltas and lengths coded, coded.ts; v4 on),
 *            4 distinct (a table of the few values a block takes and each sample's rank in it,
 *            distinct.ts; v5 on), 5 smoothed (residuals against a smoothed level through the
 *            entropy stage, smoothed.ts; v6 only)
 *   byte 2   decimal scale d (0..9; 0 for xor), plus 0x80 (v5) when the values are float32s: each
 *            decodes as Math.fround of its decimal (an OPC UA Float, a PLC's REAL; decimal.ts),
 *            or plus 0x40 (v5) when some are a few units in the last place off their decimal:
 *            their distances follow the values (near.ts); plus 0x20 (v8) when values no decimal
 *            encoding carries (NaN, ±Infinity, -0) are coded apart after them (exceptions.ts)
 *   then a bit stream: count, timestamps, values, status runs, zero padding to the byte;
 *   last 4 bytes: CRC-32 of everything before (big-endian).
 * v8 is v7 plus the exceptions, v7 v6 plus sparse jitter, v6 is v5 plus encoding 5, v5 is v4 plus encoding 4 and the scale flags, v4 is v3 plus encoding 3. v3 timestamps start with one bit: 0 the v2 section (frame of reference or delta-of-delta
 * buckets per 64), 1 delta-of-deltas through the entropy stage (coded.ts); in v5 a 1 is followed
 * by a second bit: 0 delta-of-deltas, 1 intervals against a base interval (jitter.ts). The encoder writes
 * each section both ways it can and keeps the shorter: a block never costs more than its
 * cheapest encoding, whatever the data (regular or thinned by compression, smooth or noisy).
 * Decoding checks the CRC, then every length and range it reads, and rejects trailing bytes:
 * corrupt or truncated input fails with an Error that says what is wrong, never with values
 * read out of bounds or silently changed.
 */
import type { ArchivedSample, SampleColumns } from '../types.js';
import { BitReader, BitWriter } from './bits.js';
import { crc32 } from './crc32.js';
import { EXCEPTIONS, F32, MAX_SCALE, NEAR, SCALE_DIGITS, readDecimalValues, valueScale, writeDecimalValues } from './decimal.js';
import { exceptionCount, exceptionsSection, fillExceptions, readExceptions } from './exceptions.js';
import { nearCorrections, readNearCorrections } from './near.js';
import { readRuns, readRunsV3, writeRuns, writeRunsV3 } from './runs.js';
import { TS_MINI_BLOCK, quantum, readTimestamps, readTimestampsV1, writeTimestamps, writeTimestampsV1 } from './timestamps.js';
import { readXorValues, writeXorValues } from './xor.js';
import { codedTimestamps, codedValues, heldValues, readCodedTimestamps, readCodedValues, readHeldValues, writeTablesOf, type Section } from './coded.js';
import { readTablesOf } from './huffman.js';
import { distinctValues, readDistinctValues } from './distinct.js';
import { jitterTimestamps, readJitterTimestamps } from './jitter.js';
import { readSmoothedValues, smoothedValues } from './smoothed.js';

export const BLOCK_VERSION = 8;
/** Versions decodeBlock reads: v1 and v2 differ in their timestamp sections and have no coded values; v3 has no held values, v4 no distinct values, v5 no smoothed values, v6 no sparse jitter, v7 no exceptions. */
const READABLE = [1, 2, 3, 4, 5, 6, 7, 8];
export const ValueEncoding = { Decimal: 0, Xor: 1, Coded: 2, Held: 3, Distinct: 4, Smoothed: 5 } as const;
/** Largest block accepted (the store cuts blocks of about 4096 points). */
export const MAX_BLOCK_POINTS = 1 << 20;
/** Timestamps within ±2^47 ms (about ±4400 years around 1970) keep delta-of-delta exact. */
const T_LIMIT = 2 ** 47;

/**
 * `version` 1 only for tests that check old blocks still decode. `entropy` false skips the
 * entropy-coded sections (and the trial of both ways): for the few points a flush appends to an
 * open block, which are written again as a whole block later, building code tables costs more
 * than they save.
 */
export function encodeBlock(points: ArchivedSample[], version = BLOCK_VERSION, entropy = true): Uint8Array {
  checkVersion(version);
  return encodeColumns(blockColumns(points), version, entropy);
}

/** The points as checked columns, for encodeBlockColumns (the store summarizes the same columns). */
export function blockColumns(points: readonly ArchivedSample[]): SampleColumns {
  const n = points.length;
  checkCount(n);
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  const status = new Uint32Array(n);
  const flags = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = points[i];
    checkTime(i, p.t, i > 0 ? points[i - 1].t : -Infinity);
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
  return { t, value: v, status, flags, length: n };
}

/**
 * Encodes columns (blockColumns' or decoded ones): typed arrays hold only numbers, statuses and
 * flags in range, so only the timestamps are checked, as encodeBlock checks them.
 */
export function encodeBlockColumns(c: SampleColumns, version = BLOCK_VERSION, entropy = true): Uint8Array {
  checkVersion(version);
  const n = c.length;
  checkCount(n);
  const t = c.t;
  for (let i = 0; i < n; i++) checkTime(i, t[i]!, i > 0 ? t[i - 1]! : -Infinity);
  return encodeColumns(c, version, entropy);
}

function checkCount(n: number): void {
  if (n === 0) throw new Error('encodeBlock: a block needs at least one point');
  if (n > MAX_BLOCK_POINTS) throw new Error(`encodeBlock: ${n} points, at most ${MAX_BLOCK_POINTS} per block`);
}

/** Point i's time: an integer ms within ±2^47, not before the one before it (`prev`). */
function checkTime(i: number, t: number, prev: number): void {
  if (!Number.isSafeInteger(t) || Math.abs(t) > T_LIMIT) throw new Error(`encodeBlock: point ${i}: t must be an integer ms timestamp within ±2^47, got ${t}`);
  if (t < prev) throw new Error(`encodeBlock: point ${i}: t=${t} is before the previous point's t=${prev} (negative delta)`);
}

function checkVersion(version: number): void {
  if (!READABLE.includes(version)) throw new Error(`encodeBlock: format version ${version}: expected one of ${READABLE.join(', ')}`);
}

/**
 * The writer and the decimal values' scratch column every encoding reuses (encoding is
 * synchronous and not re-entrant): a flush encodes thousands of small segments, and their own
 * buffers were a good part of what the collector had to sweep. Kept up to a 4096-point block's
 * size; a larger one's are let go after it.
 */
const KEPT_WRITER_BYTES = 64 * 1024;
const KEPT_SCRATCH_POINTS = 4096;
const writer = new BitWriter(KEPT_WRITER_BYTES);
const scratch = new Float64Array(KEPT_SCRATCH_POINTS);
const filledScratch = new Float64Array(KEPT_SCRATCH_POINTS);

/** The scratch column for n values (a fresh one past the kept size). */
function scratchFor(n: number): Float64Array {
  return n <= scratch.length ? scratch : new Float64Array(n);
}

/** Encodes columns already checked (encodeBlock checks points and builds them). */
function encodeColumns(c: SampleColumns, version: number, entropy: boolean): Uint8Array {
  const n = c.length;
  const scaled = valueScale(c.value, n);
  // v8: values no decimal encoding carries (a Bad sample's NaN, a -0) coded apart, when that is
  // the shorter; before, one of them put the whole block in XOR.
  if (scaled < 0 && version >= 8 && exceptionCount(c.value, n) > 0) {
    const filled = fillExceptions(c.value, n, n <= filledScratch.length ? filledScratch : new Float64Array(n));
    const filledScale = valueScale(filled, n);
    if (filledScale >= 0) {
      const apart = encodeValues(c, filled, filledScale, version, entropy, exceptionsSection(c.value, n));
      const plain = encodeValues(c, c.value, scaled, version, entropy, null)!;
      return apart !== null && apart.length < plain.length ? apart : plain;
    }
  }
  return encodeValues(c, c.value, scaled, version, entropy, null)!;
}

/**
 * The block of c's timestamps, statuses and flags with `values` for its values (c.value, or its
 * exceptions filled in, `exceptions` then coding them apart); null when those values took XOR
 * after all (the exceptions would be pointless beside it).
 */
function encodeValues(c: SampleColumns, values: Float64Array, scaled: number, version: number, entropy: boolean, exceptions: Section | null): Uint8Array | null {
  const n = c.length;
  const w = writer;
  w.reset(KEPT_WRITER_BYTES);
  writeTablesOf(version);
  // Float32s and near-decimals take the decimal encodings from v5 on; before, XOR.
  let scale = version < 5 && scaled > SCALE_DIGITS ? -1 : scaled;
  const d = scale < 0 ? -1 : scale & SCALE_DIGITS;
  const near = (scale & NEAR) !== 0;
  w.byte(version);
  w.byte(0); // value encoding: set below, once chosen
  w.byte(0); // the scale: set below, once the encoding is chosen
  w.writeUint(n);
  if (version === 1) writeTimestampsV1(w, c.t, n);
  else if (version === 2) writeTimestamps(w, c.t, n);
  else if (!entropy) {
    w.write(0, 1);
    writeTimestamps(w, c.t, n);
  } else {
    // Plain or coded, whichever is shorter (a tie keeps plain): one flag bit, then the section;
    // v5: coded as delta-of-deltas or (a second bit) as intervals against a base, weighed when
    // the intervals vary (a regular clock's delta-of-deltas are one run of zeros).
    const start = w.mark();
    w.write(0, 1);
    writeTimestamps(w, c.t, n);
    const q = quantum(c.t, n);
    const coded = codedTimestamps(c.t, n, q);
    const v5 = version >= 5 ? 1 : 0;
    const jitter = v5 && coded.bits > 128 + (n >> 2) ? jitterTimestamps(c.t, n, q, version >= 7) : null;
    const best = jitter !== null && jitter.bits < coded.bits ? jitter : coded;
    if (1 + v5 + best.bits < bitsSince(w, start)) {
      w.rewind(start);
      w.write(1, 1);
      if (v5) w.write(best === jitter ? 1 : 0, 1);
      writeSection(w, best);
    }
  }
  let encoding: number = ValueEncoding.Xor;
  if (d < 0) writeXorValues(w, values, n);
  else if (version < 3 || !entropy) {
    writeDecimalValues(w, values, n, d, scratchFor(n));
    if (near) writeSection(w, nearCorrections(values, n, d));
    encoding = ValueEncoding.Decimal;
  } else {
    // The shortest of decimal, coded, (v4) held, (v5) distinct and (v6) smoothed values; a tie keeps the earlier of them.
    const start = w.mark();
    writeDecimalValues(w, values, n, d, scratchFor(n));
    encoding = ValueEncoding.Decimal;
    let best: Section | null = null;
    let bits = bitsSince(w, start);
    const coded = codedValues(values, n, d);
    if (coded.bits < bits) {
      encoding = ValueEncoding.Coded;
      best = coded;
      bits = coded.bits;
    }
    const held = version >= 4 ? heldValues(values, n, d) : null;
    if (held !== null && held.bits < bits) {
      encoding = ValueEncoding.Held;
      best = held;
      bits = held.bits;
    }
    const distinct = version >= 5 ? distinctValues(values, n, d, bits) : null;
    if (distinct !== null && distinct.bits < bits) {
      encoding = ValueEncoding.Distinct;
      best = distinct;
      bits = distinct.bits;
    }
    // Weighed only where coded deltas won (noise): held, distinct or smooth values gain nothing.
    const smoothed = version >= 6 && encoding === ValueEncoding.Coded ? smoothedValues(values, n, d, bits) : null;
    if (smoothed !== null) {
      encoding = ValueEncoding.Smoothed;
      best = smoothed;
      bits = smoothed.bits;
    }
    if (best !== null) {
      w.rewind(start);
      writeSection(w, best);
    }
    const corrections = near ? nearCorrections(values, n, d) : null;
    if (corrections !== null) writeSection(w, corrections);
    // Float32s or near-decimals of many decimals can take more than their XOR: then XOR, as before v5.
    if (scale > SCALE_DIGITS) {
      const chosen = bitsSince(w, start);
      w.rewind(start);
      writeXorValues(w, values, n);
      if (bitsSince(w, start) < chosen) {
        encoding = ValueEncoding.Xor;
        scale = 0;
      } else {
        w.rewind(start);
        if (best === null) writeDecimalValues(w, values, n, d, scratchFor(n));
        else writeSection(w, best);
        if (corrections !== null) writeSection(w, corrections);
      }
    }
  }
  if (exceptions !== null) {
    if (encoding === ValueEncoding.Xor) return null;
    writeSection(w, exceptions);
  }
  if (version >= 3) writeRunsV3(w, c.status, c.flags, n);
  else writeRuns(w, c.status, c.flags, n);
  const out = w.finish(4); // the CRC-32 after the body
  out[1] = encoding;
  out[2] = Math.max(scale, 0) | (exceptions !== null ? EXCEPTIONS : 0);
  const end = out.length - 4;
  new DataView(out.buffer).setUint32(end, crc32(out, 0, end), false);
  return out;
}

const bitsSince = (w: BitWriter, m: { len: number; nacc: number }): number => w.bits - m.len * 8 - m.nacc;

/** Writes a prepared section, checking it took the bits it said (the choice relied on them). */
function writeSection(w: BitWriter, s: Section): void {
  const before = w.bits;
  s.write(w);
  if (w.bits - before !== s.bits) throw new Error(`encodeBlock: a section took ${w.bits - before} bits, expected ${s.bits}`);
}

// Zero-length: nothing can be written into them.
const EMPTY_F64 = new Float64Array(0);
const EMPTY_U32 = new Uint32Array(0);
const EMPTY_U8 = new Uint8Array(0);

/**
 * Reusable decode target: columns grown to the largest block seen, never shrunk, so a scan over
 * many blocks allocates nothing per block. `length` is the count of the last decoded block; the
 * arrays may be longer.
 */
export class ColumnBuffer implements SampleColumns {
  // Empty until ensure(): a ColumnBuffer per decoded block (decodeBlock) made eight arrays, not four.
  t = EMPTY_F64;
  value = EMPTY_F64;
  status = EMPTY_U32;
  flags = EMPTY_U8;
  length = 0;

  /** Makes room for n samples (exactly n when it has to grow, so decodeBlock's arrays fit). */
  ensure(n: number): void {
    if (this.t.length >= n) return;
    this.t = new Float64Array(n);
    this.value = new Float64Array(n);
    this.status = new Uint32Array(n);
    this.flags = new Uint8Array(n);
  }
}

/** Decodes into fresh arrays of exactly the block's length. */
export function decodeBlock(bytes: Uint8Array): SampleColumns {
  const out = new ColumnBuffer();
  decodeBlockInto(bytes, out);
  return out;
}

/** One reader reused across blocks (decoding is synchronous and not re-entrant). */
const reader = new BitReader(new Uint8Array(0), 0);

/**
 * Decodes a block into `out` (grown if needed) and returns its sample count, also set as
 * `out.length`. The samples are out.t[0..n) etc.; anything after n is left as it was.
 */
export function decodeBlockInto(bytes: Uint8Array, out: ColumnBuffer): number {
  out.length = 0; // until the block is decoded whole
  if (!(bytes instanceof Uint8Array)) throw new Error('decodeBlock: expected a Uint8Array');
  // A Buffer (what SQLite returns) is viewed as a plain Uint8Array: the bit reader's loads then
  // see one element kind and stay monomorphic.
  const buf = bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  if (buf.length < 8) throw new Error(`corrupt block: ${buf.length} bytes, shorter than header and checksum`);
  const version = buf[0];
  if (version !== 8 && version !== 7 && version !== 6 && version !== 5 && version !== 4 && version !== 3 && version !== 2 && version !== 1) throw new Error(`corrupt block: format version ${version}, expected ${READABLE.join(' or ')}`);
  const end = buf.length - 4;
  const stored = ((buf[end] << 24) | (buf[end + 1] << 16) | (buf[end + 2] << 8) | buf[end + 3]) >>> 0;
  const actual = crc32(buf, 0, end);
  if (stored !== actual) {
    throw new Error(`corrupt block: checksum mismatch (stored ${hex(stored)}, computed ${hex(actual)}): truncated or damaged`);
  }
  const encoding = buf[1];
  const scale = buf[2];
  const f32 = (scale & F32) !== 0, near = (scale & NEAR) !== 0, exceptions = (scale & EXCEPTIONS) !== 0;
  const d = scale & SCALE_DIGITS;
  if (encoding !== ValueEncoding.Decimal && encoding !== ValueEncoding.Xor && !(encoding === ValueEncoding.Coded && version >= 3) &&
    !(encoding === ValueEncoding.Held && version >= 4) && !(encoding === ValueEncoding.Distinct && version >= 5) &&
    !(encoding === ValueEncoding.Smoothed && version >= 6)) {
    throw new Error(`corrupt block: unknown value encoding ${encoding}`);
  }
  if (d > MAX_SCALE || (encoding === ValueEncoding.Xor && scale !== 0) || (scale > SCALE_DIGITS && version < 5) || (f32 && near) || (exceptions && version < 8)) {
    throw new Error(`corrupt block: decimal scale ${scale}`);
  }
  const r = reader;
  r.reset(buf, 3, end);
  readTablesOf(version);
  r.what = 'count';
  const n = r.readUint();
  // Every sample after the second costs at least one timestamp bit in v1, every mini-block of
  // 64 at least one in v2: a count larger than the bits left allow is corrupt, and must not allocate.
  // v3 runs of zeros code any number of regular, flat samples in a few bits: only the cap applies there.
  const most = version === 1 ? r.remaining + 2 : version === 2 ? r.remaining * TS_MINI_BLOCK + 1 : MAX_BLOCK_POINTS;
  if (n === 0 || n > MAX_BLOCK_POINTS || n > most) throw new Error(`corrupt block: count ${n} does not fit the ${end} bytes`);
  out.ensure(n);
  if (version >= 3) {
    if (r.bit() === 0) readTimestamps(r, out.t, n);
    else if (version >= 5 && r.bit() === 1) readJitterTimestamps(r, out.t, n, version >= 7);
    else readCodedTimestamps(r, out.t, n);
  } else if (version === 2) readTimestamps(r, out.t, n);
  else readTimestampsV1(r, out.t, n);
  if (encoding === ValueEncoding.Decimal) readDecimalValues(r, out.value, n, d);
  else if (encoding === ValueEncoding.Coded) readCodedValues(r, out.value, n, d);
  else if (encoding === ValueEncoding.Held) readHeldValues(r, out.value, n, d);
  else if (encoding === ValueEncoding.Distinct) readDistinctValues(r, out.value, n, d);
  else if (encoding === ValueEncoding.Smoothed) readSmoothedValues(r, out.value, n, d);
  else readXorValues(r, out.value, n);
  if (f32) for (let i = 0; i < n; i++) out.value[i] = Math.fround(out.value[i]!);
  if (near) readNearCorrections(r, out.value, n, sumsFor(n));
  if (exceptions) readExceptions(r, out.value, n);
  if (version >= 3) readRunsV3(r, out.status, out.flags, n);
  else readRuns(r, out.status, out.flags, n);
  if (r.remaining >= 8) throw new Error(`corrupt block: ${Math.floor(r.remaining / 8)} trailing bytes after the data`);
  if (r.remaining > 0 && r.read(r.remaining) !== 0) throw new Error('corrupt block: non-zero padding bits');
  out.length = n;
  return n;
}

/** Scratch for the corrections' running sums (decoding is synchronous: one serves every block). */
let sums = new Float64Array(0);
const sumsFor = (n: number): Float64Array => (sums.length >= n ? sums : (sums = new Float64Array(n)));

const hex = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;
