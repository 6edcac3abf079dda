import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadSensorFailure, Good, UncertainLastUsableValue } from '../status.js';
import { Flag, type ArchivedSample, type SampleColumns } from '../types.js';
import { BLOCK_VERSION, ColumnBuffer, decodeBlock, decodeBlockInto, encodeBlock } from './block.js';
import { crc32 } from './crc32.js';
import { propertyRuns } from '../testing/property-runs.js';

const T0 = Date.UTC(2026, 0, 1);

function columnsToPoints(c: SampleColumns): ArchivedSample[] {
  const out: ArchivedSample[] = [];
  for (let i = 0; i < c.length; i++) out.push({ t: c.t[i], value: c.value[i], status: c.status[i], flags: c.flags[i] });
  return out;
}

/** Bit-exact comparison: Object.is tells -0 from 0 and NaN equals NaN. */
function expectSame(decoded: SampleColumns, points: ArchivedSample[]): void {
  expect(decoded.length).toBe(points.length);
  const got = columnsToPoints(decoded);
  for (let i = 0; i < points.length; i++) {
    const [a, b] = [got[i], points[i]];
    if (!(a.t === b.t && Object.is(a.value, b.value) && a.status === b.status && a.flags === b.flags)) {
      expect.fail(`point ${i}: got ${JSON.stringify([a.t, String(a.value), a.status, a.flags])}, expected ${JSON.stringify([b.t, String(b.value), b.status, b.flags])}`);
    }
  }
}

const roundTrip = (points: ArchivedSample[]) => expectSame(decodeBlock(encodeBlock(points)), points);

/** Timestamps from non-negative deltas: regular, jittered, equal and huge gaps. */
const timestamps = (n: number) => fc.array(fc.oneof(
  fc.constant(1000),
  fc.integer({ min: 990, max: 1010 }),
  fc.constant(0),
  fc.integer({ min: 0, max: 3_600_000 }),
  fc.integer({ min: 0, max: 2 ** 40 }),
), { minLength: n, maxLength: n }).map((deltas) => {
  let t = T0;
  return deltas.map((d) => (t += d));
});

const anyDouble = fc.oneof(
  fc.double(),
  fc.constantFrom(-0, 0, NaN, Infinity, -Infinity, 1e300, -1e300, 5e-324, -5e-324, Number.MAX_VALUE, 2 ** 53, 0.1 + 0.2),
);
const decimal = fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 9 })).map(([k, d]) => Math.round(k) / 10 ** d);
const statusArb = fc.oneof({ weight: 8, arbitrary: fc.constant(Good) }, { weight: 1, arbitrary: fc.constantFrom(UncertainLastUsableValue, BadSensorFailure, 0xffffffff, 0x40000400) });
const flagsArb = fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) });

const block = (values: fc.Arbitrary<number>) => fc.integer({ min: 1, max: 300 }).chain((n) =>
  fc.tuple(timestamps(n), fc.array(values, { minLength: n, maxLength: n }), fc.array(statusArb, { minLength: n, maxLength: n }), fc.array(flagsArb, { minLength: n, maxLength: n }))
    .map(([t, v, s, f]) => t.map((ti, i) => ({ t: ti, value: v[i], status: s[i], flags: f[i] }))));

describe('encodeBlock / decodeBlock round trip (fast-check)', () => {
  it('is bit-exact for any doubles incl. -0, NaN, ±Infinity, 1e300, 5e-324', () => {
    fc.assert(fc.property(block(anyDouble), roundTrip), { numRuns: propertyRuns(500) });
  });

  it('still decodes format v1 blocks (timestamps as delta-of-delta buckets)', () => {
    fc.assert(fc.property(block(fc.oneof(decimal, anyDouble)), (points) => {
      const v1 = encodeBlock(points, 1);
      expect(v1[0]).toBe(1);
      expectSame(decodeBlock(v1), points);
    }), { numRuns: propertyRuns(300) });
  });

  it('still decodes format v2 blocks (no coded sections)', () => {
    fc.assert(fc.property(block(fc.oneof(decimal, anyDouble)), (points) => {
      const v2 = encodeBlock(points, 2);
      expect(v2[0]).toBe(2);
      expectSame(decodeBlock(v2), points);
    }), { numRuns: propertyRuns(300) });
  });

  it('is bit-exact for decimal-sourced values (scaled-integer encoding)', () => {
    fc.assert(fc.property(block(decimal), roundTrip), { numRuns: propertyRuns(500) });
  });

  it('is bit-exact for random walks at 0.01 resolution', () => {
    fc.assert(fc.property(block(fc.integer({ min: -50, max: 50 })), (points) => {
      let level = 1234.56;
      const walk = points.map((p) => ({ ...p, value: (level = Math.round((level + p.value / 100) * 100) / 100) }));
      roundTrip(walk);
    }), { numRuns: propertyRuns(300) });
  });
});

describe('encodeBlock: one reused writer and scratch column', () => {
  it('each block gets bytes of its own, the same whatever was encoded before (a block past the kept sizes too)', () => {
    const walk = (n: number, from: number): ArchivedSample[] =>
      Array.from({ length: n }, (_, i) => ({ t: T0 + i * 1000, value: Math.round((from + Math.sin(i / 7) * 50) * 100) / 100, status: Good, flags: 0 }));
    const small = walk(60, 10);
    const first = encodeBlock(small);
    const kept = first.slice();
    const large = encodeBlock(walk(200_000, -3), BLOCK_VERSION, false); // grows both past what is kept
    expectSame(decodeBlock(large), walk(200_000, -3));
    expect(first).toEqual(kept); // not overwritten by the next encodings
    expect(encodeBlock(small)).toEqual(kept);
    expect(encodeBlock(small, BLOCK_VERSION, false)).not.toBe(encodeBlock(small, BLOCK_VERSION, false));
    expect(crc32(first, 0, first.length - 4)).toBe(new DataView(first.buffer, first.byteOffset).getUint32(first.length - 4));
  });
});

describe('decodeBlockInto: one reused buffer', () => {
  it('decodes a sequence of blocks of any sizes exactly as decodeBlock, from Buffers too', () => {
    fc.assert(fc.property(fc.array(block(fc.oneof(decimal, anyDouble)), { minLength: 1, maxLength: 6 }), (blocks) => {
      const out = new ColumnBuffer();
      for (const points of blocks) {
        const bytes = encodeBlock(points);
        expect(decodeBlockInto(Buffer.from(bytes), out)).toBe(points.length);
        expectSame(out, points);
      }
    }), { numRuns: propertyRuns(200) });
  });

  it('leaves length at 0 when a block is corrupt', () => {
    const out = new ColumnBuffer();
    decodeBlockInto(encodeBlock([{ t: T0, value: 1, status: Good, flags: 0 }]), out);
    const bad = encodeBlock([{ t: T0, value: 2, status: Good, flags: 0 }, { t: T0 + 1, value: 3, status: Good, flags: 0 }]);
    bad[4]! ^= 0x10;
    expect(() => decodeBlockInto(bad, out)).toThrow(/corrupt block/);
    expect(out.length).toBe(0);
  });
});

describe('encodeBlock / decodeBlock edge cases', () => {
  const p = (t: number, value: number, status = Good, flags = 0): ArchivedSample => ({ t, value, status, flags });

  it('one point', () => roundTrip([p(T0, 3.25)]));
  it('two points', () => roundTrip([p(T0, 3.25), p(T0 + 5, -7)]));
  it('equal timestamps', () => roundTrip([p(T0, 1), p(T0, 2), p(T0, 3), p(T0 + 1, 4)]));
  it('huge gaps and negative timestamps', () => roundTrip([p(-(2 ** 46), 1), p(0, 2), p(2 ** 46, 3), p(2 ** 47, 4)]));
  it('timestamps on a common quantum (compressed archives of 1 s data)', () => {
    let t = T0;
    const pts = [0, 3000, 1000, 27_000, 0, 1000, 600_000].map((d, i) => p((t += d), i / 4));
    roundTrip(pts);
    let u = T0;
    const regular = Array.from({ length: 1000 }, (_, i) => p((u += 7000 * (1 + (i % 5))), 1));
    expect(encodeBlock(regular).length).toBeLessThan(1000 * 12 / 8);
    roundTrip(regular);
  });
  it('all dod buckets', () => {
    const deltas = [1000, 1000, 1063, 937, 3000, 600_000, 5_000_000_000, 1000, 0, 0];
    let t = T0;
    roundTrip(deltas.map((d, i) => p((t += d), i)));
  });
  it('values at the edges of the decimal range fall back to xor losslessly', () => {
    roundTrip([p(T0, 2 ** 51), p(T0 + 1, -(2 ** 51)), p(T0 + 2, 0.123456789), p(T0 + 3, 0.1234567891)]);
    roundTrip([p(T0, 1e15), p(T0 + 1, -1e15), p(T0 + 2, 0)]);
  });
  it('a long block with changing status and cyclic flags', () => {
    const pts = Array.from({ length: 4096 }, (_, i) => p(T0 + i * 1000, Math.round(Math.sin(i / 100) * 1000) / 100,
      i % 700 < 10 ? BadSensorFailure : Good, i % 97 === 0 ? Flag.Cyclic : 0));
    roundTrip(pts);
  });

  it('costs next to nothing for regular timestamps and constant values (v1: 1 bit per sample)', () => {
    const pts = Array.from({ length: 4096 }, (_, i) => p(T0 + i * 1000, 37.5));
    expect(encodeBlock(pts).length).toBeLessThan(64);
    expect(encodeBlock(pts, 1).length).toBeLessThan(4096 / 8 + 64);
  });

  /** Timestamp bits per sample: constant values cost (almost) nothing, so the block is its timestamps. */
  const timestampBits = (deltas: (i: number) => number, version?: number) => {
    let t = T0;
    const pts = Array.from({ length: 256 }, (_, i) => p((t += deltas(i)), 37.5));
    return ((encodeBlock(pts, version).length - 16) * 8) / 256;
  };
  let s = 11;
  const rand = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);

  it('codes ms jitter around a cycle in a few bits (frame of reference per 64 deltas)', () => {
    expect(timestampBits(() => 1000 + Math.floor(rand() * 7) - 3)).toBeLessThan(3.5);
    expect(timestampBits(() => 1000 + Math.floor(rand() * 7) - 3, 1)).toBeGreaterThan(8);
  });

  it('codes irregular 1..10 s intervals in about 14 bits where dod buckets need about 20', () => {
    expect(timestampBits(() => 1000 + Math.floor(rand() * 9000))).toBeLessThan(15);
    expect(timestampBits(() => 1000 + Math.floor(rand() * 9000), 1)).toBeGreaterThan(18);
  });

  it('keeps delta-of-delta where it wins: a ramp of intervals, and one huge gap', () => {
    expect(timestampBits((i) => 1000 + i * 7)).toBeLessThanOrEqual(timestampBits((i) => 1000 + i * 7, 1) + 0.1);
    expect(timestampBits((i) => (i === 100 ? 3_600_000 : 1000))).toBeLessThan(1.2);
  });

  it('costs at most 1.5 bytes per sample on a 1 s level at 0.01 resolution with noise', () => {
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    let level = 4.2;
    const pts = Array.from({ length: 4096 }, (_, i) => {
      level += (random() - 0.5) * 0.004;
      return p(T0 + i * 1000, Math.round((level + (random() - 0.5) * 0.03) * 100) / 100);
    });
    expect(encodeBlock(pts).length / pts.length).toBeLessThan(1.5);
  });

  it('rejects bad input with a clear error', () => {
    expect(() => encodeBlock([])).toThrow(/at least one point/);
    expect(() => encodeBlock([p(T0, 1), p(T0 - 1, 2)])).toThrow(/point 1: t=.* is before the previous point's t=.*negative delta/);
    expect(() => encodeBlock([p(T0 + 0.5, 1)])).toThrow(/point 0: t must be an integer ms timestamp/);
    expect(() => encodeBlock([p(2 ** 48, 1)])).toThrow(/within ±2\^47/);
    expect(() => encodeBlock([{ t: T0, value: 'x', status: Good, flags: 0 }])).toThrow(/point 0 \(t=\d+\): value must be a number, got string/);
    expect(() => encodeBlock([p(T0, 1, -1)])).toThrow(/status must be a uint32/);
    expect(() => encodeBlock([p(T0, 1, Good, 256)])).toThrow(/flags must be 0..255/);
  });
});

describe('decodeBlock on corrupt input', () => {
  const points: ArchivedSample[] = Array.from({ length: 200 }, (_, i) => ({ t: T0 + i * 1000 + (i % 3), value: i % 50 / 10, status: i < 150 ? Good : BadSensorFailure, flags: 0 }));
  const good = encodeBlock(points);

  it('rejects every truncation', () => {
    for (let len = 0; len < good.length; len++) expect(() => decodeBlock(good.subarray(0, len))).toThrow(/corrupt block/);
  });

  it('rejects every single bit flip', () => {
    for (let i = 0; i < good.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const bad = good.slice();
        bad[i] ^= 1 << bit;
        expect(() => decodeBlock(bad)).toThrow(/corrupt block/);
      }
    }
  });

  it('rejects trailing bytes', () => {
    const bad = new Uint8Array(good.length + 1);
    bad.set(good);
    expect(() => decodeBlock(bad)).toThrow(/corrupt block/);
  });

  /** Re-seals a damaged body with a valid CRC, to reach the structural checks behind it. */
  const seal = (body: Uint8Array) => {
    const out = new Uint8Array(body.length + 4);
    out.set(body);
    new DataView(out.buffer).setUint32(body.length, crc32(body), false);
    return out;
  };
  const body = good.subarray(0, good.length - 4);

  it('names what is wrong behind a valid checksum', () => {
    expect(() => decodeBlock(seal(Uint8Array.of(9, ...body.subarray(1))))).toThrow(/format version 9/);
    expect(() => decodeBlock(seal(Uint8Array.of(BLOCK_VERSION, 7, ...body.subarray(2))))).toThrow(/unknown value encoding 7/);
    expect(() => decodeBlock(seal(Uint8Array.of(BLOCK_VERSION, 0, 12, ...body.subarray(3))))).toThrow(/decimal scale 12/);
    expect(() => decodeBlock(seal(body.subarray(0, body.length - 3)))).toThrow(/truncated while reading status runs/);
    expect(() => decodeBlock(seal(body.subarray(0, 12)))).toThrow(/truncated while reading|count/);
    expect(() => decodeBlock(seal(Uint8Array.of(...body, 0, 0)))).toThrow(/2 trailing bytes/);
    // a count of 2^20 in a few bytes
    expect(() => decodeBlock(seal(Uint8Array.of(1, 0, 0, 0b01010110, 0, 0, 0, 0)))).toThrow(/count \d+ does not fit/);
  });

  it('fuzz: random bytes behind a valid checksum either decode or throw a corrupt-block error', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 3, maxLength: 200 }), fc.constantFrom(0, 1), (rest, enc) => {
      const bytes = seal(Uint8Array.of(1, enc, 0, ...rest));
      try {
        const c = decodeBlock(bytes);
        expect(c.length).toBeGreaterThan(0);
      } catch (e) {
        expect((e as Error).message).toMatch(/^corrupt block: /);
      }
    }), { numRuns: propertyRuns(2000) });
  });
});

describe('format v3: the entropy stage', () => {
  /** Seeded noise: the generator of bench/historian/dataset.ts. */
  const noise = (seed: number) => {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
    };
  };

  it('codes noisy 6-digit values smaller than the frame of reference does, and flat or held values in a fraction of a bit', () => {
    const r = noise(1);
    let level = 238.852;
    const noisy = Array.from({ length: 2000 }, (_, i) => ({ t: T0 + i * 1000, value: Math.round((level += r() * 0.01) * 1000 + (r() + r() + r()) * 300) / 1000, status: Good, flags: 0 }));
    const v2 = encodeBlock(noisy, 2), v3 = encodeBlock(noisy, 3);
    expect(v3[1]).toBe(2); // coded values
    expect(v3.length).toBeLessThan(v2.length * 0.95);
    expectSame(decodeBlock(v3), noisy);
    const held = Array.from({ length: 2000 }, (_, i) => ({ t: T0 + i * 180_000, value: Math.round(1000 * (9.4 + 0.1 * Math.sin(Math.floor(i / 5)))) / 1000, status: Good, flags: 0 }));
    const heldBytes = encodeBlock(held);
    expect(heldBytes.length * 8 / held.length).toBeLessThan(3);
    expectSame(decodeBlock(heldBytes), held);
    const flat = Array.from({ length: 5000 }, (_, i) => ({ t: T0 + i * 1000, value: 32, status: Good, flags: 0 }));
    expect(encodeBlock(flat).length).toBeLessThan(40);
    expectSame(decodeBlock(encodeBlock(flat)), flat);
  });

  it('codes the timestamps of a thinned series (compression) smaller than the frame of reference does', () => {
    const r = noise(2);
    let t = T0;
    const thinned = Array.from({ length: 1500 }, (_, i) => ({ t: (t += 1000 * (1 + Math.floor((r() + 0.5) ** 3 * 20))), value: i, status: Good, flags: 0 }));
    const v2 = encodeBlock(thinned, 2), v3 = encodeBlock(thinned);
    expect(v3.length).toBeLessThan(v2.length);
    expectSame(decodeBlock(v3), thinned);
  });

  it('rejects a damaged code table or code stream (with a valid checksum) as corrupt', () => {
    const r = noise(3);
    const pts = Array.from({ length: 300 }, (_, i) => ({ t: T0 + i * 1000, value: Math.round(r() * 1e5) / 100, status: Good, flags: 0 }));
    const good = encodeBlock(pts);
    for (let k = 0; k < 200; k++) {
      const bad = good.slice();
      const at = 8 + ((k * 7919) % (bad.length - 12));
      bad[at]! ^= 1 << (k % 8);
      const end = bad.length - 4;
      new DataView(bad.buffer).setUint32(end, crc32(bad, 0, end), false); // a checksum that matches: only the decoder's checks stand
      try {
        const c = decodeBlock(bad);
        expect(c.length).toBe(300); // a flip may still decode (a raw bit): then it is a block of the same shape
      } catch (e) {
        expect((e as Error).message).toMatch(/^corrupt block/);
      }
    }
  });
});
