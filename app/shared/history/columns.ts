/**
 * Columns of numbers in a form that survives both transports of the console
 * API: JSON over WebSocket and structured clone over Electron IPC (typed
 * arrays survive neither in a way both sides can count on).
 *
 *   times   → Int32 deltas from the previous time (the first from a base; NaN kept as a sentinel), base64;
 *             Float64 base64 when a delta is not an integer that fits
 *   values  → Float64 base64: exact bits, NaN and -0 included
 *   status  → run lengths [code, count, code, count, ...]: statuses change rarely
 *
 * Why: measured on 8 pens × 1500 plot buckets and 100 k raw samples
 * (bench/trends/encoding.ts), this is 5-10x quicker to encode and decode than
 * plain JSON number arrays (V8 parses 13-digit timestamps slowly) at about
 * the size of delta-encoded JSON, and half the size of all-Float64 base64.
 * Byte order: little-endian, as on every platform Vigil runs on (checked below).
 */
import { z } from 'zod';

const NAN_DELTA = -0x80000000;

/** i32d: deltas from `base` (the first time), then from each previous time. */
export const timeColumn = z.union([z.object({ base: z.number(), i32d: z.string() }).strict(), z.object({ f64: z.string() }).strict()]);
export const floatColumn = z.object({ f64: z.string() }).strict();
/** [value, count, value, count, ...] */
export const runColumn = z.array(z.number());

export type TimeColumn = z.output<typeof timeColumn>;
export type FloatColumn = z.output<typeof floatColumn>;
export type RunColumn = number[];

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('history columns: a little-endian platform is required');

export function encodeTimes(t: ArrayLike<number>): TimeColumn {
  const n = t.length;
  const d = new Int32Array(n);
  let base = 0;
  for (let i = 0; i < n; i++) if (t[i] === t[i]) { base = t[i]!; break; }
  let prev = base;
  for (let i = 0; i < n; i++) {
    const x = t[i]!;
    if (x !== x) {
      d[i] = NAN_DELTA;
      continue;
    }
    const delta = x - prev;
    // -0 is an integer to isInteger but comes back as +0 from a sum (and JSON): bit-exact needs the floats.
    if (!Number.isInteger(delta) || delta <= NAN_DELTA || delta > 0x7fffffff || Object.is(x, -0)) return encodeFloats(t);
    d[i] = delta;
    prev = x;
  }
  return { base, i32d: toBase64(new Uint8Array(d.buffer)) };
}

export function decodeTimes(c: TimeColumn, n: number): Float64Array {
  if ('f64' in c) return decodeFloats(c, n);
  const d = new Int32Array(fromBase64(c.i32d, n * 4).buffer);
  const t = new Float64Array(n);
  let prev = c.base;
  for (let i = 0; i < n; i++) {
    const x = d[i]!;
    if (x === NAN_DELTA) t[i] = NaN;
    else t[i] = prev += x;
  }
  return t;
}

export function encodeFloats(v: ArrayLike<number>): FloatColumn {
  const a = v instanceof Float64Array ? v : Float64Array.from(v);
  return { f64: toBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)) };
}

export function decodeFloats(c: FloatColumn, n: number): Float64Array {
  return new Float64Array(fromBase64(c.f64, n * 8).buffer);
}

export function encodeRuns(v: ArrayLike<number>): RunColumn {
  const out: number[] = [];
  const n = v.length;
  for (let i = 0; i < n; ) {
    const x = v[i]!;
    let j = i + 1;
    while (j < n && v[j] === x) j++;
    out.push(x, j - i);
    i = j;
  }
  return out;
}

export function decodeRuns(r: RunColumn, n: number): Uint32Array {
  const out = new Uint32Array(n);
  let k = 0;
  for (let i = 0; i + 1 < r.length; i += 2) {
    const count = r[i + 1]!;
    if (!Number.isInteger(count) || count < 0 || k + count > n) throw new Error(`history columns: run ${i / 2} overflows ${n} values`);
    out.fill(r[i]!, k, k + count);
    k += count;
  }
  if (k !== n) throw new Error(`history columns: runs hold ${k} values, expected ${n}`);
  return out;
}

// --- base64 on both sides: Buffer in Node, the native codec (or atob) in the console ---

interface NodeBufferClass {
  from(data: ArrayBufferLike, offset: number, length: number): { toString(encoding: 'base64'): string };
  from(data: string, encoding: 'base64'): Uint8Array;
}
/** Node's Buffer where there is one (looked up per call: cheap, and tests can take it away). */
const nodeBuffer = () => (globalThis as { Buffer?: NodeBufferClass }).Buffer;
type NativeFromBase64 = { fromBase64?: (s: string) => Uint8Array };
type NativeToBase64 = { toBase64?: () => string };

export function toBase64(bytes: Uint8Array): string {
  const NodeBuf = nodeBuffer();
  if (NodeBuf) return NodeBuf.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const native = (bytes as NativeToBase64).toBase64;
  if (native) return native.call(bytes);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Decodes into a fresh, aligned buffer of exactly `bytes` bytes (a length mismatch is an error). */
export function fromBase64(s: string, bytes: number): Uint8Array {
  let src: Uint8Array;
  const NodeBuf = nodeBuffer();
  const native = (Uint8Array as NativeFromBase64).fromBase64;
  if (NodeBuf) src = NodeBuf.from(s, 'base64');
  else if (native) src = native(s);
  else {
    const bin = atob(s);
    src = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) src[i] = bin.charCodeAt(i);
  }
  if (src.length !== bytes) throw new Error(`history columns: expected ${bytes} bytes, got ${src.length}`);
  // A copy into its own buffer: Node's pooled Buffers are not 8-byte aligned.
  const out = new Uint8Array(bytes);
  out.set(src);
  return out;
}
