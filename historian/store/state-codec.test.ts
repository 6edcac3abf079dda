/**
 * The writer state's bytes (state-codec.ts): the layout its doc comment gives, written out here by
 * hand with Buffer's own writers; any state back as it was (fast-check); the JSON of catalogs from
 * before; and bytes cut short or damaged refused with the field and byte named.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StatePoint } from '../compression/types.js';
import { decodeStateBytes, encodeStateBytes } from './state-codec.js';
import { type PersistedState, decodeState } from './tag-state.js';

const T = 1_700_000_000_000;

/** Little-endian fields, appended. */
class Bytes {
  parts: Buffer[] = [];
  u8(x: number): this { const b = Buffer.alloc(1); b.writeUInt8(x); this.parts.push(b); return this; }
  u32(x: number): this { const b = Buffer.alloc(4); b.writeUInt32LE(x); this.parts.push(b); return this; }
  f64(x: number): this { const b = Buffer.alloc(8); b.writeDoubleLE(x); this.parts.push(b); return this; }
  get(): Buffer { return Buffer.concat(this.parts); }
}

describe('writer state bytes', () => {
  it('a swinging door holding a point: the documented layout, byte for byte', () => {
    const last: StatePoint = { t: T, value: 42.5, status: 0, flags: 0 };
    const held: StatePoint = { t: T + 1000, value: 43, status: 0x00a80000, flags: 1 };
    const state: PersistedState = {
      compressor: { version: 1, family: 'analog', last, held, latest: held, suppressed: 0, doorMin: -0.25, doorMax: 0.5, excLast: null, excHeld: null },
      lastPushedT: T + 1000, lastArchivedT: T,
    };
    // format 1; fields: compressor 1, pushed 4, archived 8, doorMin 32, doorMax 64; points last 1, held 2, latest 4
    const expected = new Bytes().u8(1).u8(1 | 4 | 8 | 32 | 64).u8(1 | 2 | 4).u8(1).f64(0).f64(-0.25).f64(0.5)
      .f64(T).u8(0).f64(42.5).u32(0).u8(0)
      .f64(T + 1000).u8(0).f64(43).u32(0x00a80000).u8(1)
      .f64(T + 1000).u8(0).f64(43).u32(0x00a80000).u8(1)
      .f64(T + 1000).f64(T).get();
    const bytes = encodeStateBytes(state);
    expect(bytes).toEqual(expected);
    expect(bytes.length).toBe(110); // the same state as JSON: 374 bytes
    expect(Buffer.byteLength(JSON.stringify(state))).toBe(374);
    expect(decodeState(bytes)).toEqual(state);
  });

  it('a discrete tag with a sorting buffer: booleans, a text and a number as kinds 2, 3 and 0', () => {
    const state: PersistedState = { lastPushedT: null, lastArchivedT: null, sortBuffer: [[T, true, 0], [T + 1, 'лёд 冰', 0x80000000], [T + 2, 7, 0]] };
    const text = Buffer.from('лёд 冰');
    const expected = Buffer.concat([
      new Bytes().u8(1).u8(16).u32(3).f64(T).u8(2).u32(0).f64(T + 1).u8(3).u32(text.length).get(), text,
      new Bytes().u32(0x80000000).f64(T + 2).u8(0).f64(7).u32(0).get(),
    ]);
    expect(encodeStateBytes(state)).toEqual(expected);
    expect(decodeState(expected)).toEqual(state);
  });

  it('any state comes back as it was (NaN, -0 and the JSON-safe strings of analog values included)', () => {
    const value = fc.oneof(fc.double(), fc.boolean(), fc.string(), fc.constantFrom('NaN', 'Infinity', '-Infinity', '-0'));
    const point = fc.option(fc.record({
      t: fc.integer({ min: 0, max: 2 ** 50 }), value, status: fc.integer({ min: 0, max: 0xffffffff }), flags: fc.integer({ min: 0, max: 255 }),
    }), { nil: null });
    const compressor = fc.record({
      version: fc.constant(1 as const), family: fc.constantFrom('analog' as const, 'discrete' as const),
      last: point, held: point, latest: point, suppressed: fc.nat(), doorMin: fc.option(fc.double(), { nil: null }),
      doorMax: fc.option(fc.double(), { nil: null }), excLast: point, excHeld: point,
    });
    const time = fc.option(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), { nil: null });
    const state = fc.record({
      compressor, lastPushedT: time, lastArchivedT: time,
      sortBuffer: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 50 }), fc.oneof(fc.double(), fc.boolean(), fc.string()), fc.integer({ min: 0, max: 0xffffffff }))),
    }, { requiredKeys: ['lastPushedT', 'lastArchivedT'] });
    fc.assert(fc.property(state, (s) => {
      const plain = structuredClone(s) as PersistedState; // fast-check's records have no prototype; -0 and NaN stay
      expect(decodeStateBytes(encodeStateBytes(plain))).toStrictEqual(plain);
    }), { numRuns: 500 });
  });

  it('a state stored as JSON by an earlier writer is read as JSON', () => {
    const json = '{"compressor":{"version":1,"family":"analog","last":{"t":5,"value":"NaN","status":2147483648,"flags":0},"held":null,' +
      '"latest":null,"suppressed":0,"doorMin":null,"doorMax":null,"excLast":null,"excHeld":null},"lastPushedT":5,"lastArchivedT":5}';
    expect(decodeState(Buffer.from(json))).toEqual({
      compressor: { version: 1, family: 'analog', last: { t: 5, value: 'NaN', status: 2147483648, flags: 0 }, held: null, latest: null,
        suppressed: 0, doorMin: null, doorMax: null, excLast: null, excHeld: null },
      lastPushedT: 5, lastArchivedT: 5,
    });
  });

  it('bytes cut anywhere are refused naming the field being read, in the documented order', () => {
    const held: StatePoint = { t: T + 1000, value: 43, status: 0, flags: 1 };
    const door: PersistedState = {
      compressor: { version: 1, family: 'analog', last: held, held: null, latest: null, suppressed: 2, doorMin: -0.25, doorMax: 0.5, excLast: null, excHeld: null },
      lastPushedT: T + 1000, lastArchivedT: T,
    };
    const discrete: PersistedState = { lastPushedT: null, lastArchivedT: null, sortBuffer: [[T, 'ab', 0]] };
    // Each field's name and bytes, from the layout in state-codec.ts's doc comment.
    const fields = (list: [string, number][]) => list.flatMap(([name, size]) => Array.from({ length: size }, () => name));
    const cases: [PersistedState, string[]][] = [
      [door, fields([['format', 1], ['fields', 1], ['compressor points', 1], ['compressor version', 1], ['suppressed', 8], ['doorMin', 8],
        ['doorMax', 8], ['last.t', 8], ['last.value', 9], ['last.status', 4], ['last.flags', 1], ['lastPushedT', 8], ['lastArchivedT', 8]])],
      [discrete, fields([['format', 1], ['fields', 1], ['sortBuffer length', 4], ['sortBuffer[0].t', 8], ['sortBuffer[0].value', 1],
        ['sortBuffer[0].value length', 4], ['sortBuffer[0].value', 2], ['sortBuffer[0].status', 4]])],
    ];
    for (const [state, names] of cases) {
      const bytes = encodeStateBytes(state);
      expect(bytes.length).toBe(names.length);
      names.forEach((name, cut) => expect(() => decodeStateBytes(bytes.subarray(0, cut)), `cut at ${cut}`).toThrow(`writer state: ${name}: ${cut} bytes end at byte`));
      expect(decodeStateBytes(bytes)).toEqual(state);
    }
  });

  it('a state larger than the first buffer (a long sorting buffer, a long text) is written whole', () => {
    const text = 'Ж'.repeat(3000); // 6,000 bytes of UTF-8
    const state: PersistedState = {
      lastPushedT: null, lastArchivedT: null,
      sortBuffer: Array.from({ length: 400 }, (_, i): [number, string | number, number] => [T + i, i % 2 ? text : i, 0]),
    };
    const bytes = encodeStateBytes(state);
    // 2 + 4 + 400 x (8 + 4) + 200 numbers x 9 + 200 texts x (1 + 4 + 6,000)
    expect(bytes.length).toBe(2 + 4 + 400 * 12 + 200 * 9 + 200 * 6005);
    expect(decodeStateBytes(bytes)).toEqual(state);
    // and a small one after it is as before
    expect(encodeStateBytes({ lastPushedT: 5, lastArchivedT: null })).toEqual(new Bytes().u8(1).u8(4).f64(5).get());
  });

  it('bytes cut short, of another format, with an unknown value kind or left over are refused, naming the field and byte', () => {
    const good = encodeStateBytes({ lastPushedT: T, lastArchivedT: null, sortBuffer: [[T, 1.5, 0]] });
    expect(() => decodeStateBytes(good.subarray(0, good.length - 2))).toThrow('writer state: sortBuffer[0].status: 33 bytes end at byte 31, 4 more expected');
    expect(() => decodeStateBytes(Buffer.from([2, 0]))).toThrow('writer state: format 2, expected 1 (or JSON)');
    const kind = Buffer.from(good);
    kind[22] = 9; // the sorting buffer entry's value kind
    expect(() => decodeStateBytes(kind)).toThrow('writer state: sortBuffer[0].value: value kind 9 at byte 22, expected 0 to 3');
    expect(() => decodeStateBytes(Buffer.concat([good, Buffer.from([0])]))).toThrow('writer state: 1 bytes after the state\'s end (byte 35)');
    expect(() => encodeStateBytes({ lastPushedT: null, lastArchivedT: null, sortBuffer: [[T, 1, -1]] })).toThrow('writer state: sortBuffer[0].status: expected a uint32, got -1');
    const point = { t: T, value: 1, status: 0, flags: 256 };
    const compressor = { version: 1 as const, family: 'analog' as const, last: point, held: null, latest: null, suppressed: 0, doorMin: null, doorMax: null, excLast: null, excHeld: null };
    expect(() => encodeStateBytes({ compressor, lastPushedT: null, lastArchivedT: null })).toThrow('writer state: last.flags: expected a byte, got 256');
    expect(() => encodeStateBytes({ compressor: { ...compressor, last: { ...point, flags: 1.5 } }, lastPushedT: null, lastArchivedT: null }))
      .toThrow('writer state: last.flags: expected a byte, got 1.5');
    expect(() => encodeStateBytes({ compressor: { ...compressor, last: { ...point, flags: 0, status: -1 } }, lastPushedT: null, lastArchivedT: null }))
      .toThrow('writer state: last.status: expected a uint32, got -1');
  });
});
