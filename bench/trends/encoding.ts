/**
 * Why history columns travel as they do (app/shared/history/columns.ts):
 * size and encode/decode time of four encodings of the same plot and raw
 * answers, each through JSON as the WebSocket carries it.
 */
import { decodeFloats, decodeRuns, decodeTimes, encodeFloats, encodeRuns, encodeTimes } from '../../app/shared/history/columns.js';

type Cols = Record<string, Float64Array | Uint32Array>;
interface Codec {
  name: string;
  encode(c: Cols): unknown;
  decode(o: unknown): Cols;
}

const isTime = (k: string) => k === 't' || k.endsWith('T');
const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const unb64 = (s: string) => {
  const b = Buffer.from(s, 'base64');
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

const codecs: Codec[] = [
  {
    name: 'JSON number arrays',
    encode: (c) => Object.fromEntries(Object.entries(c).map(([k, a]) => [k, Array.from(a, (x) => (x === x ? x : null))])),
    decode: (o) => Object.fromEntries(Object.entries(o as Record<string, (number | null)[]>).map(([k, a]) => [k, Float64Array.from(a, (x) => x ?? NaN)])),
  },
  {
    name: 'JSON, times delta-encoded',
    encode: (c) =>
      Object.fromEntries(
        Object.entries(c).map(([k, a]) => {
          if (!isTime(k)) return [k, Array.from(a, (x) => (x === x ? x : null))];
          let p = 0;
          return [k, Array.from(a, (x) => (x === x ? x - p + 0 * (p = x) : null))];
        }),
      ),
    decode: (o) =>
      Object.fromEntries(
        Object.entries(o as Record<string, (number | null)[]>).map(([k, a]) => {
          if (!isTime(k)) return [k, Float64Array.from(a, (x) => x ?? NaN)];
          let p = 0;
          return [k, Float64Array.from(a, (x) => (x === null ? NaN : (p += x)))];
        }),
      ),
  },
  {
    name: 'base64 Float64 columns',
    encode: (c) => Object.fromEntries(Object.entries(c).map(([k, a]) => [k, b64(a instanceof Float64Array ? a : Float64Array.from(a))])),
    decode: (o) => Object.fromEntries(Object.entries(o as Record<string, string>).map(([k, s]) => [k, unb64(s)])),
  },
  {
    name: 'chosen: Int32 time deltas, Float64, status runs',
    encode: (c) => ({
      n: c.status!.length,
      ...Object.fromEntries(Object.entries(c).map(([k, a]) => [k, isTime(k) ? encodeTimes(a) : k === 'status' ? encodeRuns(a) : encodeFloats(a)])),
    }),
    decode: (o) => {
      const { n, ...cols } = o as Record<string, never> & { n: number };
      return Object.fromEntries(
        Object.entries(cols).map(([k, v]) => [k, isTime(k) ? decodeTimes(v, n) : k === 'status' ? decodeRuns(v, n) : decodeFloats(v, n)]),
      );
    },
  },
];

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 8 pens × 1500 plot buckets over a year, values at a sensor's 0.01 resolution. */
function plotAnswer(r: () => number): Cols[] {
  return Array.from({ length: 8 }, () => {
    const n = 1500, start = 1.7e12, w = 31_536_000_000 / n;
    const c = { t: new Float64Array(n), min: new Float64Array(n), max: new Float64Array(n), first: new Float64Array(n), last: new Float64Array(n), firstT: new Float64Array(n), lastT: new Float64Array(n), count: new Float64Array(n), status: new Uint32Array(n) };
    let v = 50;
    for (let i = 0; i < n; i++) {
      const b = start + i * w;
      v += (r() - 0.5) * 2;
      const lo = Math.round((v - r() * 3) * 100) / 100, hi = Math.round((v + r() * 3) * 100) / 100;
      c.t[i] = b;
      c.min[i] = lo;
      c.max[i] = hi;
      c.first[i] = Math.round((lo + r() * (hi - lo)) * 100) / 100;
      c.last[i] = Math.round((lo + r() * (hi - lo)) * 100) / 100;
      c.firstT[i] = Math.floor(b + r() * 1000);
      c.lastT[i] = Math.floor(b + w - 1 - r() * 1000);
      c.count[i] = Math.floor(w / 1000);
    }
    return c;
  });
}

/** One pen, 100 k raw samples at about 1 s with jitter, a bad span every 5000. */
function rawAnswer(r: () => number): Cols[] {
  const n = 100_000;
  const c = { t: new Float64Array(n), value: new Float64Array(n), status: new Uint32Array(n) };
  let v = 10;
  for (let i = 0; i < n; i++) {
    c.t[i] = 1.7e12 + i * 1000 + (r() < 0.1 ? Math.floor(r() * 50) : 0);
    v += (r() - 0.5) * 0.1;
    c.value[i] = Math.round(v * 1000) / 1000;
    c.status[i] = i % 5000 < 100 ? 0x808c0000 : 0;
  }
  return [c];
}

function time(fn: () => void, reps: number): number {
  fn();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t0) / reps;
}

export interface EncodingFigure {
  answer: string;
  encoding: string;
  kib: number;
  encodeMs: number;
  decodeMs: number;
}

export function measureEncodings(quick: boolean): EncodingFigure[] {
  const reps = quick ? 3 : 15;
  const out: EncodingFigure[] = [];
  for (const [answer, data] of [['plot 8 pens x 1500 buckets', plotAnswer(rng(1))], ['raw 1 pen x 100 k samples', rawAnswer(rng(2))]] as const) {
    for (const c of codecs) {
      let text = '';
      const encodeMs = time(() => (text = JSON.stringify(data.map((d) => c.encode(d)))), reps);
      const decodeMs = time(() => (JSON.parse(text) as unknown[]).map((o) => c.decode(o)), reps);
      // The decoded columns are the encoded ones (NaN included).
      const back = (JSON.parse(text) as unknown[]).map((o) => c.decode(o));
      for (let i = 0; i < data.length; i++) {
        for (const [k, a] of Object.entries(data[i]!)) {
          const b = back[i]![k]!;
          for (let j = 0; j < a.length; j++) if (!Object.is(a[j], b[j])) throw new Error(`${c.name}: ${answer} ${k}[${j}] came back ${b[j]}, sent ${a[j]}`);
        }
      }
      out.push({ answer, encoding: c.name, kib: text.length / 1024, encodeMs, decodeMs });
    }
  }
  return out;
}
