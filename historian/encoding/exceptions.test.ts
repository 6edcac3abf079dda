/**
 * Values no decimal encoding carries, coded apart (block v8, exceptions.ts): a Bad sample's NaN,
 * ±Infinity, -0, magnitudes past 2^51. Bit-exact round trips; the block costs about what its
 * decimal values cost plus a few bits per exception, where v7 put the whole block in XOR; never
 * more than v7; damaged sections fail as corrupt.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bad, Good } from '../status.js';
import type { ArchivedSample, SampleColumns } from '../types.js';
import { ValueEncoding, decodeBlock, encodeBlock, encodeBlockColumns } from './block.js';
import { readExceptions } from './exceptions.js';
import { expectDecodesTo, reader } from './testing.js';
import { propertyRuns } from '../testing/property-runs.js';

const T0 = 1_700_000_000_000;
const EXCEPTIONS = 0x20;

/** 512 level readings of five decimals, a second apart (a noisy level, as real transmitters give). */
function level(n = 512): ArchivedSample[] {
  let x = 7;
  const random = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, (_, i) => ({
    t: T0 + i * 1000, value: Math.round((2.15 + Math.sin(i / 50) * 0.3 + (random() - 0.5) * 0.002) * 1e5) / 1e5, status: Good, flags: 0,
  }));
}

const replaced = (points: ArchivedSample[], at: Record<number, number>, status = Good): ArchivedSample[] =>
  points.map((p, i) => (i in at ? { ...p, value: at[i]!, status } : p));

describe('values coded apart (block v8)', () => {
  it('one Bad sample\'s NaN in 512 decimal readings costs a few bytes, not the block: v7 took XOR', () => {
    const clean = encodeBlock(level());
    const lost = replaced(level(), { 100: NaN }, Bad);
    const v8 = encodeBlock(lost);
    const v7 = encodeBlock(lost, 7);
    expectDecodesTo(lost, v8);
    expect(v8[1]).not.toBe(ValueEncoding.Xor);
    expect(v8[2] & EXCEPTIONS).toBe(EXCEPTIONS);
    expect(v7[1]).toBe(ValueEncoding.Xor);
    // Its index (6 + 7 bits), its kind (2), the count (7), a status run each side and a delta of 0 where the value jumped.
    expect(v8.length).toBeLessThanOrEqual(clean.length + 24);
    expect(v7.length).toBeGreaterThan(4 * clean.length);
  });

  it('a flow that reads -0 near zero now and then stays decimal', () => {
    const flow = level().map((p, i) => ({ ...p, value: i % 40 === 3 ? -0 : Math.round(Math.sin(i / 20) * 300) / 100 }));
    const b = encodeBlock(flow);
    expectDecodesTo(flow, b);
    expect(b[2] & EXCEPTIONS).toBe(EXCEPTIONS);
    expect(b.length * 3).toBeLessThan(encodeBlock(flow, 7).length);
  });

  it('round-trips every kind bit for bit: NaN, -0, ±Infinity, past 2^51, leading and trailing, a run of them', () => {
    const cases: Record<number, number>[] = [
      { 0: NaN, 1: NaN, 2: -0 }, // leading: their stand-in is the first ordinary value
      { 511: Infinity }, { 7: -Infinity, 8: 2 ** 52, 9: -1e300, 10: -0, 11: NaN },
      Object.fromEntries(Array.from({ length: 200 }, (_, i) => [100 + i, NaN])),
    ];
    for (const at of cases) {
      const p = replaced(level(), at);
      expectDecodesTo(p, encodeBlock(p));
    }
  });

  it('keeps a NaN\'s payload and sign (its bits in place, never made canonical)', () => {
    const n = 64;
    const c: SampleColumns = { t: Float64Array.from({ length: n }, (_, i) => T0 + i * 1000), value: Float64Array.from({ length: n }, (_, i) => i / 100), status: new Uint32Array(n), flags: new Uint8Array(n), length: n };
    const words = new Uint32Array(c.value.buffer);
    const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    const hi = little ? 1 : 0, lo = little ? 0 : 1;
    words[2 * 5 + hi] = 0x7ff00000; words[2 * 5 + lo] = 5; // a signalling NaN, payload 5
    words[2 * 9 + hi] = 0xfff80000; words[2 * 9 + lo] = 0; // a negative quiet NaN
    const b = encodeBlockColumns(c);
    expect(b[2] & EXCEPTIONS).toBe(EXCEPTIONS);
    const out = new Uint32Array(decodeBlock(b).value.buffer);
    expect([out[2 * 5 + hi], out[2 * 5 + lo], out[2 * 9 + hi], out[2 * 9 + lo]]).toEqual([0x7ff00000, 5, 0xfff80000, 0]);
  });

  it('all exceptions, or values that are not decimal beside them: XOR where it is the shorter', () => {
    const allBad = level(64).map((p) => ({ ...p, value: NaN, status: Bad }));
    const b = encodeBlock(allBad);
    expectDecodesTo(allBad, b);
    expect(b.length).toBeLessThanOrEqual(encodeBlock(allBad, 7).length);
    const third = replaced(level(64), { 3: 1 / 3, 9: NaN });
    const x = encodeBlock(third);
    expect(x[1]).toBe(ValueEncoding.Xor);
    expectDecodesTo(third, x);
  });

  it('never costs more than v7 and always round-trips, whatever the decimals and the exceptions', () => {
    const kinds = [NaN, -0, Infinity, -Infinity, 2 ** 53];
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 700 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 2 ** 30 }),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: kinds.length - 1 })), { maxLength: 30 }),
      (n, decimals, seed, exceptions) => {
        let x = seed;
        const random = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
        let k = Math.round((random() - 0.5) * 1e6);
        const points: ArchivedSample[] = Array.from({ length: n }, (_, i) => {
          k += Math.round((random() - 0.5) * 200);
          return { t: T0 + i * 1000, value: k / 10 ** decimals, status: Good, flags: 0 };
        });
        for (const [at, kind] of exceptions) points[at % n]!.value = kinds[kind]!;
        const v8 = encodeBlock(points);
        expectDecodesTo(points, v8);
        expect(v8.length).toBeLessThanOrEqual(encodeBlock(points, 7).length);
      }), { numRuns: propertyRuns(300) });
  });

  it('a damaged section fails as corrupt, naming it: no count, an index past the block, raw bits of an ordinary value', () => {
    const out = new Float64Array(4);
    expect(() => readExceptions(reader((w) => w.writeUint(0)), out, 4)).toThrow('corrupt block: exceptions: count 0 for 4 values');
    expect(() => readExceptions(reader((w) => w.writeUint(5)), out, 4)).toThrow('corrupt block: exceptions: count 5 for 4 values');
    expect(() => readExceptions(reader((w) => { w.writeUint(1); w.writeUint(4); w.write(0, 2); }), out, 4))
      .toThrow('corrupt block: exceptions: index 4 past the block\'s 4 values');
    // Kind 3 (raw) with the bits of 1.5: an ordinary value needs none.
    expect(() => readExceptions(reader((w) => { w.writeUint(1); w.writeUint(0); w.write(3, 2); w.write(0x3ff80000, 32); w.write(0, 32); }), out, 4))
      .toThrow('corrupt block: exceptions: raw value 1.5 at 0 needs no raw bits');
    // The flag on a v7 block is corrupt: v7 has no exceptions section.
    const v8 = encodeBlock(replaced(level(16), { 3: NaN }));
    const v7 = v8.slice();
    v7[0] = 7;
    expect(() => decodeBlock(v7)).toThrow(/corrupt block/);
  });
});
