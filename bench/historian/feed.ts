/** The dataset as the stores receive it: acquisition windows of all tags, and the long single-tag series. */
import type { Sample } from '../../historian/types.js';
import { makeTags, TagSignal, yearSignal, type BenchTag } from './dataset.js';

export interface Window {
  /** Per tag (same order as tags), the samples of this window. */
  samples: Sample[][];
}

export interface PlantData {
  tags: BenchTag[];
  t0: number;
  t1: number;
  windows: Window[];
  samples: number;
}

/** tags x seconds of 1 s (or irregular) data, cut into windows of windowSec, all in memory. */
export function plantData(tagCount: number, seconds: number, windowSec: number, t0: number, seed: number): PlantData {
  const tags = makeTags(tagCount, seed);
  const signals = tags.map((t) => new TagSignal(t, t0, 1000, seed));
  const windows: Window[] = [];
  let samples = 0;
  for (let w = windowSec; w <= seconds; w += windowSec) {
    const win = { samples: signals.map((s) => s.next(t0 + w * 1000 - 1)) };
    for (const s of win.samples) samples += s.length;
    windows.push(win);
  }
  return { tags, t0, t1: t0 + seconds * 1000, windows, samples };
}

export interface Series {
  name: string;
  t0: number;
  periodMs: number;
  count: number;
  seed: number;
}

export const seriesEnd = (s: Series): number => s.t0 + s.count * s.periodMs;

/** The series in chunks (generated on the fly: a year of 1 s data does not sit in memory). */
export const seriesChunks = (s: Series, chunk = 86_400): Generator<Sample[]> => yearSignal(s.t0, s.periodMs, s.count, chunk, s.seed);
