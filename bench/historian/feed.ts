/** The dataset as the stores receive it: acquisition windows of all tags, and the long single-tag series. */
import type { Sample } from '../../historian/types.js';
import { makeTags, TagSignal, yearSignal, type BenchTag } from './dataset.js';

/**
 * One acquisition window of all tags, as columns: tag i's samples are [start[i], start[i + 1]).
 * Typed arrays hold nothing the garbage collector traces: the plant as 10 M sample objects was
 * ~1 GB of live heap, and its major collections (up to a second each) fell inside whichever
 * ingest was being timed. The stores get each window as sample objects (samplesOf), built
 * outside the timed part, as acquisition hands them over.
 */
export interface Window {
  start: Int32Array;
  t: Float64Array;
  /** Discrete tags' booleans as 0 and 1. */
  value: Float64Array;
  status: Uint32Array;
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
    const win = toColumns(signals.map((s) => s.next(t0 + w * 1000 - 1)));
    samples += win.t.length;
    windows.push(win);
  }
  return { tags, t0, t1: t0 + seconds * 1000, windows, samples };
}

function toColumns(perTag: Sample[][]): Window {
  const start = new Int32Array(perTag.length + 1);
  for (let i = 0; i < perTag.length; i++) start[i + 1] = start[i]! + perTag[i]!.length;
  const n = start[perTag.length]!;
  const w: Window = { start, t: new Float64Array(n), value: new Float64Array(n), status: new Uint32Array(n) };
  let k = 0;
  for (const samples of perTag) {
    for (const s of samples) {
      w.t[k] = s.t;
      w.value[k] = typeof s.value === 'boolean' ? Number(s.value) : (s.value as number);
      w.status[k++] = s.status;
    }
  }
  return w;
}

/** Tag i's samples of the window as objects (discrete tags' values as booleans). */
export function tagSamples(data: PlantData, w: Window, i: number): Sample[] {
  const discrete = data.tags[i]!.kind === 'discrete';
  const out: Sample[] = [];
  for (let k = w.start[i]!; k < w.start[i + 1]!; k++) out.push({ t: w.t[k]!, value: discrete ? w.value[k] === 1 : w.value[k]!, status: w.status[k]! });
  return out;
}

/** Every tag's samples of the window as objects, in the order of data.tags. */
export const samplesOf = (data: PlantData, w: Window): Sample[][] => data.tags.map((_, i) => tagSamples(data, w, i));

/** How many samples tag i has in the window. */
export const countOf = (w: Window, i: number): number => w.start[i + 1]! - w.start[i]!;

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
