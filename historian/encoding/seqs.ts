/**
 * Write sequence numbers of a block's samples (the change feed: which flush wrote each
 * sample). Stored only when they differ within a block; as runs of equal numbers:
 *   uint runs, uint first number, then per mini-block of 64 runs a frame of reference for
 *   the run lengths and one for the zigzag deltas between runs: '0' for the previous
 *   mini-block's frame, or '1' + uint min + 6 bits width; then each value in width bits.
 * A live tag gets one sample per flush: lengths 1 and deltas 1, so 0 bits per run; a merged
 * block (late samples among older ones) costs a few bits per run.
 */
import { BitReader, BitWriter, bitLength, unzigzag, zigzag } from './bits.js';

const MINI = 64;

/** The runs' bytes, or null when every sample has the same number (then seq_min says it). */
export function encodeSeqs(seqs: ArrayLike<number>, n: number): Uint8Array | null {
  if (n === 0) throw new Error('encodeSeqs: no samples');
  let same = true;
  for (let i = 1; i < n && same; i++) same = seqs[i] === seqs[0];
  if (same) return null;
  const lengths: number[] = [];
  const values: number[] = [];
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && seqs[i] === seqs[start]) continue;
    const s = seqs[start]!;
    if (!Number.isSafeInteger(s) || s < 0 || s >= 2 ** 52) throw new Error(`encodeSeqs: sample ${start}: sequence number ${s} is not an integer >= 0 and < 2^52 (a delta's zigzag must fit 53 bits)`);
    lengths.push(i - start);
    values.push(s);
    start = i;
  }
  const w = new BitWriter(16 + lengths.length);
  w.writeUint(lengths.length);
  w.writeUint(values[0]!);
  // The first run has no delta: it repeats the second's, so a steady stream keeps one frame.
  const delta = (k: number): number => (k === 0 ? (values.length > 1 ? delta(1) : 0) : zigzag(values[k]! - values[k - 1]!));
  const frames = [{ min: -1, width: -1 }, { min: -1, width: -1 }];
  for (let r = 0; r < lengths.length; r += MINI) {
    const end = Math.min(lengths.length, r + MINI);
    writeFrame(w, frames[0]!, r, end, (k) => lengths[k]!);
    writeFrame(w, frames[1]!, r, end, delta);
  }
  return w.finish();
}

function writeFrame(w: BitWriter, prev: { min: number; width: number }, from: number, to: number, at: (k: number) => number): void {
  let min = Infinity, max = 0;
  for (let k = from; k < to; k++) {
    const v = at(k);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const width = bitLength(max - min);
  if (min === prev.min && width === prev.width) w.write(0, 1);
  else {
    w.write(1, 1);
    w.writeUint(min);
    w.write(width, 6);
    prev.min = min;
    prev.width = width;
  }
  if (width > 0) for (let k = from; k < to; k++) w.writeBig(at(k) - min, width);
}

const reader = new BitReader(new Uint8Array(0), 0);

/** Fills out[0..n) with each sample's number: from the runs, or `uniform` when bytes is null. */
export function decodeSeqs(bytes: Uint8Array | null, uniform: number, out: Float64Array, n: number): void {
  if (bytes === null) {
    out.fill(uniform, 0, n);
    return;
  }
  const buf = bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  const r = reader;
  r.reset(buf, 0);
  r.what = 'sequence numbers';
  const runs = r.readUint();
  if (runs === 0 || runs > n) throw new Error(`corrupt block: sequence numbers: ${runs} runs for ${n} samples`);
  let seq = r.readUint();
  let at = 0;
  const lengths = new Float64Array(MINI);
  const deltas = new Float64Array(MINI);
  const frames = [{ min: -1, width: -1 }, { min: -1, width: -1 }];
  for (let k = 0; k < runs; k += MINI) {
    const m = Math.min(runs, k + MINI) - k;
    readFrame(r, frames[0]!, lengths, m);
    readFrame(r, frames[1]!, deltas, m);
    for (let j = 0; j < m; j++) {
      if (k + j > 0) seq += unzigzag(deltas[j]!);
      const len = lengths[j]!;
      if (len === 0 || at + len > n) throw new Error(`corrupt block: sequence numbers: run of ${len} overflows ${n} samples`);
      out.fill(seq, at, at + len);
      at += len;
    }
  }
  if (at !== n) throw new Error(`corrupt block: sequence numbers cover ${at} of ${n} samples`);
}

function readFrame(r: BitReader, frame: { min: number; width: number }, out: Float64Array, m: number): void {
  if (r.bit() !== 0) {
    frame.min = r.readUint();
    frame.width = r.read(6);
    if (frame.width > 53) throw new Error(`corrupt block: sequence numbers: width ${frame.width}`);
  } else if (frame.width < 0) throw new Error('corrupt block: sequence numbers: a mini-block repeats a missing frame');
  const { min, width } = frame;
  for (let j = 0; j < m; j++) out[j] = min + (width > 0 ? r.readBig(width) : 0);
}
