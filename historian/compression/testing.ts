/** Helpers shared by the compression tests: tag configs, running a stream, reconstruction. */
import { isGood } from '../status.js';
import type { ArchivedSample, Compression, Sample, TagConfig } from '../types.js';
import { createCompressor } from './compressor.js';
import type { Compressor } from './types.js';

export function analogTag(compression: Compression, extra: Partial<TagConfig> = {}): TagConfig {
  return { name: 'T1', kind: 'analog', description: '', unit: 'm', compression, stepped: false, cycleMs: 0, ...extra };
}

export interface Run {
  archived: ArchivedSample[];
  /** The pending point after the last push (before flush). */
  pending: ArchivedSample | null;
  flushed: ArchivedSample[];
}

export function run(config: TagConfig, samples: Sample[], c: Compressor = createCompressor(config)): Run {
  const archived: ArchivedSample[] = [];
  for (const s of samples) archived.push(...c.push(s));
  const pending = c.pending();
  return { archived, pending, flushed: c.flush() };
}

/**
 * Value of the reconstruction at t (t within the points' span): linear between neighbours, or
 * the left neighbour's value for stepped tags; at an archived time, the last point there.
 */
export function reconstruct(points: ArchivedSample[], t: number, stepped: boolean): number {
  let lo = 0;
  let hi = points.length - 1;
  if (t < points[0].t || t > points[hi].t) throw new Error(`t=${t} outside the reconstruction`);
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid].t <= t) lo = mid; else hi = mid;
  }
  const a = points[lo];
  const b = points[hi];
  if (b.t === t) return b.value as number;
  if (a.t === t || stepped) return a.value as number;
  return (a.value as number) + ((b.value as number) - (a.value as number)) * (t - a.t) / (b.t - a.t);
}

/** Largest |reconstruction - raw| over good finite raw samples, relative to the allowed bound. */
export function worstExcess(points: ArchivedSample[], raw: Sample[], stepped: boolean, bound: number): number {
  let worst = -Infinity;
  for (const s of raw) {
    const v = s.value as number;
    if (!isGood(s.status) || !Number.isFinite(v)) continue;
    const r = reconstruct(points, s.t, stepped);
    // The slope tests run in doubles: allow a few ulps of the magnitudes involved.
    const eps = 1e-9 * (Math.abs(v) + Math.abs(r) + bound);
    worst = Math.max(worst, Math.abs(r - v) - bound - eps);
  }
  return worst;
}
