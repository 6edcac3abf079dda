/**
 * The zlib baseline of issue 12, computed on the same samples: per tag, each block of 1,024
 * samples as timestamps in ms (delta-of-delta) then values as decimal-scaled integers (the
 * decimals the block needs), all zigzag varints, compressed with zlib level 9, plus 8 bytes of
 * header per block. The words leave open whether values are stored as they are or as
 * deltas: both are computed and the smaller counts (the stricter baseline).
 */
import { deflateSync } from 'node:zlib';
import type { Sample } from '../../historian/types.js';

export const BASELINE_BLOCK = 1024;
const HEADER = 8;

export interface BaselineFigures {
  bytes: number;
  /** The two readings of the words. */
  valuesAsIs: number;
  valuesAsDeltas: number;
}

/** Baseline bytes of one tag's samples (numbers; a non-decimal value counts as 8 raw bytes). */
export function baselineBytes(samples: readonly Sample[]): BaselineFigures {
  let asIs = 0, asDeltas = 0;
  for (let i = 0; i < samples.length; i += BASELINE_BLOCK) {
    const block = samples.slice(i, i + BASELINE_BLOCK);
    asIs += blockBytes(block, false);
    asDeltas += blockBytes(block, true);
  }
  return { bytes: Math.min(asIs, asDeltas), valuesAsIs: asIs, valuesAsDeltas: asDeltas };
}

function blockBytes(block: readonly Sample[], deltas: boolean): number {
  const out = new Varints(block.length * 12);
  let prevT = 0, prevDelta = 0;
  for (let i = 0; i < block.length; i++) {
    const t = block[i]!.t;
    const delta = i === 0 ? t : t - prevT;
    out.push(i <= 1 ? delta : delta - prevDelta);
    prevDelta = delta;
    prevT = t;
  }
  const values = block.map((s) => Number(s.value));
  const d = decimals(values);
  const p = 10 ** d;
  let prev = 0;
  let raw = 0;
  for (const v of values) {
    if (d < 0) { raw += 8; continue; }
    const k = Math.round(v * p);
    out.push(deltas ? k - prev : k);
    prev = k;
  }
  return HEADER + deflateSync(out.bytes(), { level: 9 }).length + raw;
}

/** The fewest decimals (0..9) that keep every value exact; -1 when none do. */
export function decimals(values: readonly number[]): number {
  for (let d = 0; d <= 9; d++) {
    const p = 10 ** d;
    if (values.every((v) => Number.isFinite(v) && Math.round(v * p) / p === v)) return d;
  }
  return -1;
}

class Varints {
  private buf: Uint8Array;
  private n = 0;
  constructor(capacity: number) { this.buf = new Uint8Array(capacity); }

  /** A signed integer as zigzag LEB128 (arithmetic: values beyond 32 bits stay exact). */
  push(v: number): void {
    let z = v >= 0 ? v * 2 : -v * 2 - 1;
    if (this.n + 10 > this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2 + 16);
      next.set(this.buf);
      this.buf = next;
    }
    while (z >= 128) {
      this.buf[this.n++] = (z % 128) | 128;
      z = Math.floor(z / 128);
    }
    this.buf[this.n++] = z;
  }

  bytes(): Uint8Array { return this.buf.subarray(0, this.n); }
}
