import { describe, expect, it } from 'vitest';
import type { ArchivedSample, SampleColumns } from '../types.js';
import { BitWriter } from './bits.js';
import { ColumnBuffer, MAX_BLOCK_POINTS, decodeBlock, decodeBlockInto, encodeBlock, encodeBlockColumns } from './block.js';
import { crc32 } from './crc32.js';

/** A block's body with its checksum recomputed (so a decoder gets past the CRC to the field under test). */
function withCrc(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  new DataView(out.buffer).setUint32(body.length, crc32(body), false);
  return out;
}

/** The block with its body changed by `edit` and the checksum fixed. */
function edited(block: Uint8Array, edit: (body: Uint8Array) => Uint8Array | void): Uint8Array {
  const body = block.slice(0, block.length - 4);
  return withCrc(edit(body) ?? body);
}

/** A body: the 3 header bytes, then bits. */
function body(header: [number, number, number], bits: (w: BitWriter) => void): Uint8Array {
  const w = new BitWriter();
  for (const b of header) w.byte(b);
  bits(w);
  return w.finish();
}

const points = (t: number[], value: (i: number) => number): ArchivedSample[] =>
  t.map((ti, i) => ({ t: ti, value: value(i), status: 0, flags: 0 }));

const regular = (n: number, step = 1000) => Array.from({ length: n }, (_, i) => i * step);

/** A sawtooth in hundredths: five steps of -1, then one of +5 (every value differs from the one before). */
function noise(n: number): number[] {
  let v = 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    v += i % 6 === 5 ? 5 : -1;
    out.push(v / 100);
  }
  return out;
}

function expectRoundTrip(block: Uint8Array, p: ArchivedSample[]): void {
  const c = decodeBlock(block);
  expect(c.length).toBe(p.length);
  expect(Array.from(c.t.subarray(0, p.length))).toEqual(p.map((x) => x.t));
  expect(Array.from(c.value.subarray(0, p.length))).toEqual(p.map((x) => x.value));
}

/** The flag bit in front of the timestamps: after 3 header bytes and writeUint(n) (6 + bitLength(n) bits). */
function timestampFlag(block: Uint8Array, n: number): number {
  const bit = 24 + 6 + (32 - Math.clz32(n));
  return (block[bit >> 3]! >> (7 - (bit & 7))) & 1;
}

describe('block encoding choice', () => {
  const flat = points(regular(1000), () => 2.5);
  const noisy = noise(2000);
  const noisyPoints = points(regular(2000), (i) => noisy[i]!);
  // Deltas of 1000 ms with a 5000 ms gap every 64th: plain costs at least a bit per sample (or 3 in a
  // frame of min 1 quantum, max 5), coded a run of zeros and two delta-of-deltas per 64 samples.
  let at = 0;
  const alternating = Array.from({ length: 2000 }, (_, i) => (at += i === 0 ? 0 : i % 64 === 0 ? 5000 : 1000));
  const altPoints = points(alternating, (i) => noisy[i]!);

  // Guards the held choice (v4 only): 1000 equal values cost 35 bits held, 40 decimal, 40 coded.
  it('stores a flat block as held values in v4, not in v3', () => {
    const v4 = encodeBlock(flat);
    expect(v4[1]).toBe(3);
    expectRoundTrip(v4, flat);
    expect(encodeBlock(flat, 3)[1]).not.toBe(3);
  });

  // Guards the coded choice in v3 and v4: deltas -1 (5 in 6) and +5 cost 3 bits each decimal (width of 6),
  // coded about 1 bit per -1 and 1 + 3 raw per +5 (9 bits per 6 samples); no runs, so no held values.
  it('stores noisy values coded in v3 and v4, and as decimal without the entropy stage', () => {
    const v4 = encodeBlock(noisyPoints);
    expect(v4[1]).toBe(2);
    expectRoundTrip(v4, noisyPoints);
    const v3 = encodeBlock(noisyPoints, 3);
    expect(v3[0]).toBe(3);
    expect(v3[1]).toBe(2);
    expectRoundTrip(v3, noisyPoints);
    const plain = encodeBlock(noisyPoints, 4, false);
    expect(plain[1]).toBe(0);
    expectRoundTrip(plain, noisyPoints);
  });

  // Guards encodeBlockColumns' default (entropy on), its timestamp checks and the loop over every point.
  it('encodes columns with the entropy stage by default', () => {
    const c: SampleColumns = {
      t: Float64Array.from(regular(2000)), value: Float64Array.from(noisy),
      status: new Uint32Array(2000), flags: new Uint8Array(2000), length: 2000,
    };
    const block = encodeBlockColumns(c);
    expect(block[1]).toBe(2);
    expectRoundTrip(block, noisyPoints);
  });

  // Guards the coded timestamps choice: alternating deltas go coded (flag 1), or plain without the entropy stage (flag 0).
  it('codes irregular timestamps through the entropy stage only when asked', () => {
    const coded = encodeBlock(altPoints);
    expect(timestampFlag(coded, 2000)).toBe(1);
    expectRoundTrip(coded, altPoints);
    const plain = encodeBlock(altPoints, 4, false);
    expect(timestampFlag(plain, 2000)).toBe(0);
    expectRoundTrip(plain, altPoints);
    expectRoundTrip(encodeBlock(altPoints, 3), altPoints);
    expectRoundTrip(encodeBlock(altPoints, 2), altPoints);
  });

  // Guards bitsSince (a section's bits from the mark's bytes and pending bits): values 0, 1, 2 cost 21 bits decimal
  // (6 + 1 + (6+2) + 6, width 0) and 28 coded (6 + table 18 + 2 x (1 code + 1 raw)): decimal it is, and no larger than plain.
  it('keeps the shorter decimal values whatever bits are pending at the mark', () => {
    const p = points([0, 4000, 8000], (i) => i);
    const block = encodeBlock(p);
    expect(block[1]).toBe(0);
    expect(block.length).toBeLessThanOrEqual(encodeBlock(p, 4, false).length);
    expectRoundTrip(block, p);
  });

  // Guards the smallest block's layout: 3 header bytes, 21 bits (count 7, flag 1, t 6, value 6, runs 1) in 3 bytes, CRC 4.
  it('writes a one-point block in exactly 10 bytes', () => {
    const block = encodeBlock(points([0], () => 0));
    expect(block.length).toBe(10);
    expect(Array.from(block.subarray(0, 3))).toEqual([8, 0, 0]);
    expectRoundTrip(block, points([0], () => 0));
  });
});

describe('block input checks', () => {
  // Guards the uint32 status range: 2^32 is out.
  it('rejects a status past uint32', () => {
    expect(() => encodeBlock([{ t: 0, value: 1, status: 2 ** 32, flags: 0 }])).toThrow('status must be a uint32, got 4294967296');
  });

  // Guards the flags checks: negative and fractional flags are out.
  it('rejects negative and fractional flags', () => {
    expect(() => encodeBlock([{ t: 0, value: 1, status: 0, flags: -1 }])).toThrow('flags must be 0..255, got -1');
    expect(() => encodeBlock([{ t: 0, value: 1, status: 0, flags: 1.5 }])).toThrow('flags must be 0..255, got 1.5');
  });

  // Guards the version check on encode.
  it('rejects an unknown format version on encode', () => {
    expect(() => encodeBlock(points([0], () => 0), 9)).toThrow('encodeBlock: format version 9: expected one of 1, 2, 3, 4, 5, 6, 7, 8');
  });

  // Guards encodeBlockColumns' checks: the count cap and timestamps going back.
  it('checks columns: the count cap and the order of timestamps', () => {
    const huge = { t: new Float64Array(0), value: new Float64Array(0), status: new Uint32Array(0), flags: new Uint8Array(0), length: MAX_BLOCK_POINTS + 1 };
    expect(() => encodeBlockColumns(huge)).toThrow(`encodeBlock: ${MAX_BLOCK_POINTS + 1} points, at most 1048576 per block`);
    const back = { t: Float64Array.from([5, 10, 7]), value: new Float64Array(3), status: new Uint32Array(3), flags: new Uint8Array(3), length: 3 };
    expect(() => encodeBlockColumns(back)).toThrow('encodeBlock: point 2: t=7 is before the previous point\'s t=10 (negative delta)');
  });

  // Guards the count cap (n > MAX, not >=) on encode and decode: a block of exactly 2^20 flat points.
  it('encodes and decodes a block of exactly MAX_BLOCK_POINTS points', () => {
    const n = MAX_BLOCK_POINTS;
    const c: SampleColumns = {
      t: Float64Array.from({ length: n }, (_, i) => i * 1000), value: new Float64Array(n),
      status: new Uint32Array(n), flags: new Uint8Array(n), length: n,
    };
    const out = decodeBlock(encodeBlockColumns(c));
    expect(out.length).toBe(n);
    expect(out.t[n - 1]).toBe((n - 1) * 1000);
    expect(out.value[n - 1]).toBe(0);
  });
});

describe('block decoding of corrupt input', () => {
  const good = encodeBlock(points([0, 1000, 2000], (i) => i * 1.5));

  it('rejects input that is not a Uint8Array', () => {
    // Guards the type check: a string is not a block.
    expect(() => decodeBlock('block' as unknown as Uint8Array)).toThrow('decodeBlock: expected a Uint8Array');
  });

  // Guards the length check (< 8): 7 bytes are too short, 8 get as far as the count.
  it('rejects 7 bytes as too short and reads the count of 8', () => {
    expect(() => decodeBlock(new Uint8Array(7))).toThrow('corrupt block: 7 bytes, shorter than header and checksum');
    expect(() => decodeBlock(withCrc(Uint8Array.from([4, 0, 0, 0])))).toThrow('corrupt block: count 0 does not fit the 4 bytes');
  });

  // Guards the version message.
  it('names the versions it reads', () => {
    expect(() => decodeBlock(withCrc(Uint8Array.from([9, 0, 0, 0])))).toThrow('corrupt block: format version 9, expected 1 or 2 or 3 or 4 or 5 or 6 or 7 or 8');
  });

  // Guards the checksum message: both checksums in 8 hex digits.
  it('reports a checksum mismatch with both checksums', () => {
    const bad = good.slice();
    bad.set([0, 0, 0, 1], bad.length - 4);
    const computed = crc32(good.subarray(0, good.length - 4)).toString(16).padStart(8, '0');
    expect(() => decodeBlock(bad)).toThrow(`corrupt block: checksum mismatch (stored 0x00000001, computed 0x${computed}): truncated or damaged`);
  });

  // Guards the encoding/version pairs: coded values need v3, held values v4.
  it('rejects a value encoding the version does not have', () => {
    for (const v of [1, 2]) {
      const b = encodeBlock(points([0, 1000], () => 1), v);
      expect(() => decodeBlock(edited(b, (x) => { x[1] = 2; }))).toThrow('corrupt block: unknown value encoding 2');
    }
    const v3 = encodeBlock(points([0, 1000], () => 1), 3);
    expect(() => decodeBlock(edited(v3, (x) => { x[1] = 3; }))).toThrow('corrupt block: unknown value encoding 3');
  });

  // Guards the xor scale check: an xor block has scale 0.
  it('rejects an xor block with a decimal scale', () => {
    const xor = encodeBlock(points([0, 1000], () => Math.PI));
    expect(xor[1]).toBe(1);
    expect(() => decodeBlock(edited(xor, (x) => { x[2] = 1; }))).toThrow('corrupt block: decimal scale 1');
  });

  // Guards the count's section name: a 63-bit count is named as the count.
  it('names the count when it is corrupt', () => {
    expect(() => decodeBlock(withCrc(Uint8Array.from([4, 0, 0, 0xfc])))).toThrow('corrupt block: count: integer of 63 bits (at most 53)');
  });

  // Guards the v2 count bound (one bit per 64 samples at least): count 1000 in 2 bytes is corrupt.
  it('rejects a v2 count the bytes cannot hold', () => {
    const b = withCrc(body([2, 0, 0], (w) => w.writeUint(1000)));
    expect(() => decodeBlock(b)).toThrow('corrupt block: count 1000 does not fit the 5 bytes');
  });

  // Guards the trailing-bytes check (>= 8 bits) and its count in bytes.
  it('rejects trailing bytes after the data', () => {
    expect(() => decodeBlock(edited(good, (x) => Uint8Array.from([...x, 0])))).toThrow('corrupt block: 1 trailing bytes after the data');
    expect(() => decodeBlock(edited(good, (x) => Uint8Array.from([...x, 0, 0])))).toThrow('corrupt block: 2 trailing bytes after the data');
  });

  // Guards the trailing check at exactly 8 bits: one point of value 2 takes 24 bits (count 7, flag 1, t 6, value 6+3, runs 1), no padding.
  it('rejects one trailing zero byte after a block with no padding', () => {
    const aligned = encodeBlock(points([0], () => 2));
    expect(aligned.length).toBe(10);
    expect(() => decodeBlock(edited(aligned, (x) => Uint8Array.from([...x, 0])))).toThrow('corrupt block: 1 trailing bytes after the data');
  });

  // Guards the count cap on decode for v2, whose own bound (64 samples a bit) would allow 2^20 + 1 in 2 KB.
  it('rejects a v2 count past MAX_BLOCK_POINTS', () => {
    const b = withCrc(body([2, 0, 0], (w) => { w.writeUint(MAX_BLOCK_POINTS + 1); for (let i = 0; i < 2048; i++) w.write(0, 8); }));
    expect(() => decodeBlock(b)).toThrow(`corrupt block: count ${MAX_BLOCK_POINTS + 1} does not fit the ${b.length - 4} bytes`);
  });

  // Guards the padding check: the one-point block ends in 3 padding bits; setting the last one is corrupt.
  it('rejects non-zero padding bits', () => {
    const one = encodeBlock(points([0], () => 0));
    expect(() => decodeBlock(edited(one, (x) => { x[x.length - 1] |= 1; }))).toThrow('corrupt block: non-zero padding bits');
  });
});

describe('ColumnBuffer', () => {
  // Guards ensure(): a buffer grows to the block, and keeps its arrays for a block of the same size.
  it('grows to fit and reuses its arrays for a block of the same size', () => {
    const p = points([0, 1000, 2000], (i) => i);
    const buf = new ColumnBuffer();
    expect(decodeBlockInto(encodeBlock(p), buf)).toBe(3);
    expect(Array.from(buf.value)).toEqual([0, 1, 2]);
    const t = buf.t;
    decodeBlockInto(encodeBlock(points([5, 6, 7], () => 9)), buf);
    expect(buf.t).toBe(t);
    expect(Array.from(buf.t)).toEqual([5, 6, 7]);
  });
});
