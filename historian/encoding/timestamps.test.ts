import { describe, expect, it } from 'vitest';
import { BitReader, BitWriter } from './bits.js';
import { readTimestamps, readTimestampsV1, writeTimestamps, writeTimestampsV1 } from './timestamps.js';
import { bin, fromBits, uint, zz } from './testing.js';

// Reference encoders written from the format in timestamps.ts's header, as bit strings.
const blen = (v: number): number => { let n = 0; for (; v > 0; v = Math.floor(v / 2)) n++; return n; };
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const refQ = (t: number[]) => { let q = 0; for (let i = 1; i < t.length; i++) q = gcd(q, t[i]! - t[i - 1]!); return q === 0 ? 1 : q; };
const refDod = (dod: number): string => {
  if (dod === 0) return '0';
  const z = zz(dod);
  if (z < 2 ** 7) return '10' + bin(z, 7);
  if (z < 2 ** 12) return '110' + bin(z, 12);
  if (z < 2 ** 20) return '1110' + bin(z, 20);
  return '1111' + uint(z);
};
function refV2(t: number[]): string {
  let s = uint(zz(t[0]!));
  if (t.length < 2) return s;
  const q = refQ(t);
  s += uint(q);
  let frame: { min: number; width: number } | null = null;
  let delta = 0;
  for (let start = 1; start < t.length; start += 64) {
    const ds: number[] = [];
    for (let i = start; i < Math.min(t.length, start + 64); i++) ds.push((t[i]! - t[i - 1]!) / q);
    const dodForm = '11' + ds.map((d, k) => refDod(d - (k === 0 ? delta : ds[k - 1]!))).join('');
    const min = Math.min(...ds), width = blen(Math.max(...ds) - min);
    const same = frame !== null && frame.min === min && frame.width === width;
    const forForm = (same ? '0' : '10' + uint(min) + bin(width, 6)) + ds.map((d) => bin(d - min, width)).join('');
    if (dodForm.length < forForm.length) s += dodForm; // ties go to the frame of reference
    else { s += forForm; frame = { min, width }; }
    delta = ds[ds.length - 1]!;
  }
  return s;
}
function refV1(t: number[]): string {
  let s = uint(zz(t[0]!));
  if (t.length < 2) return s;
  const q = refQ(t);
  s += uint(q) + uint((t[1]! - t[0]!) / q);
  for (let i = 2; i < t.length; i++) s += refDod((t[i]! - t[i - 1]!) / q - (t[i - 1]! - t[i - 2]!) / q);
  return s;
}

const written = (t: number[], v1 = false): string => {
  const w = new BitWriter();
  (v1 ? writeTimestampsV1 : writeTimestamps)(w, t, t.length);
  const n = w.bits;
  const bytes = w.finish();
  let s = '';
  for (let i = 0; i < n; i++) s += (bytes[i >> 3]! >> (7 - (i & 7))) & 1 ? '1' : '0';
  return s;
};
/** Decodes exactly bits.length bits (the reader's end is set there) and checks all were used. */
const read = (bits: string, n: number, v1 = false): number[] => {
  const r = new BitReader(fromBits(bits), 0);
  r.end = bits.length;
  const out = new Float64Array(n);
  (v1 ? readTimestampsV1 : readTimestamps)(r, out, n);
  expect(r.pos).toBe(bits.length);
  return Array.from(out);
};

const fromDeltas = (t0: number, ds: number[]) => { const t = [t0]; for (const d of ds) t.push(t[t.length - 1]! + d); return t; };
const rep = (v: number, k: number) => Array<number>(k).fill(v);
const ramp = (b: number, s: number, k = 64) => Array.from({ length: k }, (_, i) => b + i * s);

const cases: Record<string, number[]> = {
  'one sample': [1234],
  'one negative sample': [-5],
  'equal timestamps (quantum 1, not 0)': [5, 5, 5],
  'two samples': [1000, 3000],
  'regular 1 s, 129 samples (two full mini-blocks, then nothing)': fromDeltas(0, rep(1000, 128)),
  'regular, 130 samples (a repeated frame, then a short mini-block)': fromDeltas(1_700_000_000_000, rep(1000, 129)),
  'tie between the forms (82 bits each): frame of reference': fromDeltas(0, [...rep(10, 63), 9]),
  'delta-of-delta cheaper (zeros at one bit)': fromDeltas(0, [...rep(10, 63), 8]),
  'short last mini-block where dod wins by 9 bits': fromDeltas(0, [...rep(10, 64), 10, 10, 8]),
  'ramp +64 (zigzag 128: 15 bits, frame wins)': fromDeltas(0, ramp(4097, 64)),
  'ramp -64 (zigzag 127: 9 bits, dod wins)': fromDeltas(0, ramp(4097 + 63 * 64, -64)),
  'ramp +2048 (zigzag 4096)': fromDeltas(0, ramp(2 ** 17 + 1, 2048)),
  'ramp -2048 (zigzag 4095)': fromDeltas(0, ramp(2 ** 17 + 1 + 63 * 2048, -2048)),
  'ramp +2^19 (zigzag 2^20)': fromDeltas(0, ramp(2 ** 26 + 1, 2 ** 19)),
  'ramp -2^19 (zigzag 2^20 - 1)': fromDeltas(0, ramp(2 ** 26 + 1 + 63 * 2 ** 19, -(2 ** 19))),
  'ramp +2^20 (uint bucket)': fromDeltas(0, ramp(2 ** 27 + 1, 2 ** 20)),
  'quantum 1000 with one 2 s gap': fromDeltas(0, [...rep(1000, 30), 2000, ...rep(1000, 33)]),
  'the next mini-block\'s first delta stays out of this one': fromDeltas(0, [...rep(1000, 64), 5000, ...rep(1000, 63)]),
  'new frame by min only, then by width only': fromDeltas(0, [...rep(1000, 64), ...rep(2000, 64), ...Array.from({ length: 64 }, (_, i) => 2000 + (i % 2) * 1000)]),
  'frame of reference then dod: dod continues from the last delta': fromDeltas(0, [...rep(5000, 64), ...ramp(5000 - 64, -64)]),
  'dod then frame then dod': fromDeltas(7, [...ramp(5000, -64), ...rep(3, 64), ...ramp(5000, -64)]),
  'a new frame costs its min\'s bits: dod wins by 23 bits in a short mini-block': fromDeltas(0, [...rep(1000, 64), 1000, 1000, 998]),
  'width 41 deltas in quanta of 2 (alternating: the frame wins)': fromDeltas(0, [2, 2 ** 41, 2, 2 ** 41 - 6, 10, 2 ** 41, 2, 2 ** 41 - 2]),
  'width 40 deltas (wider than 25 bits)': fromDeltas(0, [1, 2 ** 40, 1, 2 ** 40 - 3, 5, 2 ** 40, 1, 2]),
};

describe('timestamps v2: exact bits against a reference encoder', () => {
  for (const [name, t] of Object.entries(cases)) {
    // any change to the choice of form, its cost, the frame repeat, or the delta carried between mini-blocks changes these bits
    it(name, () => {
      const bits = refV2(t);
      expect(written(t)).toBe(bits);
      expect(read(bits, t.length)).toEqual(t);
    });
  }

  // hand-checked anchors for the reference: 3 samples 1000 ms apart; the tie case takes 82 bits in its mini-block
  it('matches hand-computed bits', () => {
    // zigzag(0) uint '000000'; q 1000 uint '001010'+'1111101000'; dod form '11'+'10'+0000010+'0' (9+1+2=12)
    // vs frame '10'+uint(1)='0000011'+'000000' (15): dod
    expect(written([0, 1000, 2000])).toBe('000000' + '001010' + '1111101000' + '11' + '10' + '0000010' + '0');
    expect(written(cases['tie between the forms (82 bits each): frame of reference']!).length).toBe(6 + 7 + 82);
  });
});

describe('timestamps v1: exact bits against a reference encoder', () => {
  for (const t of [[42], [1000, 3000], [0, 1000, 2003, 2999, 9000, 9000 + 2 ** 21], [-7000, -5000, -1000, 5000], fromDeltas(0, [1001, 1065, 3113, 3113 + 2 ** 19, 3113])]) {
    // v1 still has to be read: n = 2 reads q and the first delta; dods in every bucket and at each bucket's first zigzag (128, 4096, 2^20)
    it(`[${t.join(', ')}]`, () => {
      const bits = refV1(t);
      expect(written(t, true)).toBe(bits);
      expect(read(bits, t.length, true)).toEqual(t);
    });
  }
});

describe('timestamps: corrupt input', () => {
  const bad = (bits: string, n: number, v1 = false) => () => read(bits, n, v1);

  // each check has its own message; a later check (or none) would catch some under another name or not at all
  it('v2 names each fault', () => {
    const r = new BitReader(new Uint8Array(0), 0);
    r.what = 'values';
    expect(() => readTimestamps(r, new Float64Array(1), 1)).toThrow('corrupt block: truncated while reading timestamps');
    expect(bad(uint(0) + uint(0), 2)).toThrow('corrupt block: timestamps: time quantum 0');
    expect(bad(uint(0) + uint(1) + '0', 2)).toThrow('corrupt block: timestamps: mini-block at sample 1 repeats a missing frame');
    expect(bad(uint(0) + uint(1) + '10' + uint(0) + bin(54, 6) + '0'.repeat(54), 2)).toThrow('corrupt block: timestamps: bit width 54 at sample 1');
    expect(bad(uint(0) + uint(1) + '11' + '10' + bin(1, 7), 2)).toThrow('corrupt block: timestamps: negative delta at sample 1');
    expect(bad(uint(0) + uint(1) + '10' + uint(2 ** 52) + bin(0, 6), 3)).toThrow('corrupt block: timestamps: outside the integer range');
  });

  // the 2-quanta case above must take the frame form (the >25-bit read path), or it tests nothing there
  it('takes the frame form for alternating wide deltas', () => {
    const bits = refV2(cases['width 41 deltas in quanta of 2 (alternating: the frame wins)']!);
    expect(bits.slice(6 + 8, 6 + 8 + 2)).toBe('10'); // uint(0) 6 bits, uint(2) 8 bits, then '10'
  });

  // width 53 is the widest valid frame
  it('v2 reads a 53-bit frame width', () => {
    expect(read(uint(0) + uint(1) + '10' + uint(0) + bin(53, 6) + bin(2 ** 52, 53), 2)).toEqual([0, 2 ** 52]);
  });

  it('v1 names each fault', () => {
    const r = new BitReader(new Uint8Array(0), 0);
    r.what = 'values';
    expect(() => readTimestampsV1(r, new Float64Array(1), 1)).toThrow('corrupt block: truncated while reading timestamps');
    expect(bad(uint(0) + uint(0), 2, true)).toThrow('corrupt block: timestamps: time quantum 0');
    expect(bad(uint(0) + uint(1) + uint(0) + '10' + bin(1, 7), 3, true)).toThrow('corrupt block: timestamps: negative delta at sample 2');
    expect(bad(uint(0) + uint(1) + uint(2 ** 52) + '0', 3, true)).toThrow('corrupt block: timestamps: outside the integer range');
  });
});
