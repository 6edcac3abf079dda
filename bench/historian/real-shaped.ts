/**
 * Datasets shaped like the real process data of issue 12 (a pump test bench at 1 s, a chemical
 * process at 3 min; short ~1,000-sample tags and long ~20,000-sample series), generated and
 * seeded: values with 5-7 significant digits (a transmitter's or a float's printed precision,
 * so the number of decimals follows the magnitude), measurement noise that is partly coloured,
 * slow process drift, set-point steps, analyzers that hold a value for several samples,
 * controller outputs, vibration RMS, flat signals that flicker in the last digit, and (as two of
 * the eight columns of SKAB's pump bench, waico/SKAB) transmitters read through a coarse
 * converter, whose values sit on a few steps (a pressure on steps of 0.327927: 0.054711,
 * 0.382638, -0.273216). The pump bench's clock skips a second now and then, as SKAB's does.
 */
import type { Sample } from '../../historian/types.js';
import { rng } from './dataset.js';

export type RealKind = 'measurement' | 'vibration' | 'controller' | 'analyzer' | 'flat' | 'quantized';

export interface RealTag {
  name: string;
  kind: RealKind;
  digits: number;
  samples: Sample[];
  /** What drew the samples (real-entropy.ts bounds their information from it). */
  model: SignalModel;
}

/** A signal's own parameters: its magnitude, relative noise, the noise's AR(1) colour, an analyzer's hold, the printed step. */
export interface SignalModel {
  magnitude: number;
  noise: number;
  phi: number;
  hold: number;
  /** The printed resolution: 10^-decimals. */
  resolution: number;
  /** Share of sampling intervals one period longer. */
  skips: number;
}

export interface RealSet {
  name: string;
  description: string;
  periodMs: number;
  tags: RealTag[];
  samples: number;
}

interface SetSpec {
  name: string;
  description: string;
  periodMs: number;
  tags: number;
  samplesPerTag: number;
  /** Significant digits: each tag draws one of these. */
  digits: number[];
  /** Share of each kind of signal. */
  mix: [RealKind, number][];
  /** Share of the sampling intervals that are one period longer (a logger's clock skipping). */
  skips: number;
}

const DAY = 86_400_000;

/**
 * The process under every signal: a drift, AR(1) with `keep`, whose innovations are `sd` of the
 * magnitude, moves the level by `gain` of itself per sample.
 */
export const DRIFT = { keep: 0.98, sd: 4e-4, gain: 0.05 };
/** A flat signal's share of samples off by one in the last printed digit. */
export const FLICKER = 0.03;
/** A coarse converter's noise, in its steps. */
export const CONVERTER_NOISE = 0.8;

/** The three shapes of the table; `scale` shrinks the tag counts for --quick. */
export function realSets(seed: number, t0: number, scale = 1): RealSet[] {
  const specs: SetSpec[] = [
    {
      name: 'pump-1s', description: 'pump test bench, 1 s, short tags', periodMs: 1000, tags: Math.max(8, Math.round(280 * scale)),
      samplesPerTag: 1100, digits: [6, 6, 6, 7],
      mix: [['measurement', 0.3], ['vibration', 0.25], ['controller', 0.1], ['flat', 0.1], ['quantized', 0.25]], skips: 0.08,
    },
    {
      name: 'process-3min', description: 'chemical process, 3 min, short tags', periodMs: 180_000, tags: Math.max(10, Math.round(1144 * scale)),
      samplesPerTag: 960, digits: [5, 5, 5, 6],
      mix: [['measurement', 0.42], ['analyzer', 0.37], ['controller', 0.21]], skips: 0,
    },
    {
      name: 'process-3min-long', description: 'chemical process, 3 min, 44 days end to end', periodMs: 180_000, tags: Math.max(4, Math.round(52 * scale)),
      samplesPerTag: Math.round(44 * DAY / 180_000), digits: [5, 5, 5, 6],
      mix: [['measurement', 0.42], ['analyzer', 0.37], ['controller', 0.21]], skips: 0,
    },
  ];
  return specs.map((spec, k) => makeSet(spec, seed * 31 + k, t0));
}

function makeSet(spec: SetSpec, seed: number, t0: number): RealSet {
  const random = rng(seed);
  const tags: RealTag[] = [];
  let n = 0;
  for (let i = 0; i < spec.tags; i++) {
    const kind = pick(spec.mix, random());
    const digits = spec.digits[Math.floor(random() * spec.digits.length)]!;
    const { samples, model } = signal(kind, digits, spec.samplesPerTag, spec.periodMs, spec.skips, t0, rng(seed * 7919 + i));
    tags.push({ name: `${spec.name}.${kind.toUpperCase()}_${String(i).padStart(4, '0')}`, kind, digits, samples, model });
    n += samples.length;
  }
  return { name: spec.name, description: spec.description, periodMs: spec.periodMs, tags, samples: n };
}

function pick(mix: [RealKind, number][], r: number): RealKind {
  let acc = 0;
  for (const [kind, share] of mix) if (r < (acc += share)) return kind;
  return mix[mix.length - 1]![0];
}

/** A standard normal draw (Box-Muller). */
function gauss(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Decimals printed with `digits` significant digits for a tag of magnitude m: fixed, as a float's %g near m. */
const decimalsOf = (m: number, digits: number): number => Math.max(0, digits - 1 - Math.floor(Math.log10(m)));

/** The value printed with `digits` significant digits for a tag of magnitude m. */
function rounder(m: number, digits: number): (v: number) => number {
  const p = 10 ** decimalsOf(m, digits);
  return (v) => Math.round(v * p) / p;
}

function signal(
  kind: RealKind, digits: number, n: number, periodMs: number, skips: number, t0: number, random: () => number,
): { samples: Sample[]; model: SignalModel } {
  const magnitude = 10 ** (-1.7 + random() * 5.2); // 0.02 .. 3000, log-uniform
  const round = rounder(magnitude, digits);
  // relative noise, drift and colour of the noise by kind of signal
  const noise = kind === 'vibration' ? 0.03 + random() * 0.07 : kind === 'measurement' ? 10 ** (-3.1 + random() * 1.8)
    : kind === 'analyzer' ? 10 ** (-2.5 + random() * 1) : kind === 'controller' ? 10 ** (-4 + random() * 1) : 0;
  const phi = random() * 0.8; // AR(1) colour of the noise
  const hold = kind === 'analyzer' ? (random() < 0.5 ? 2 : 5) : 1;
  // A coarse converter: steps of 2-20 % of the magnitude, as printed (not a round number).
  const step = round(magnitude * (0.02 + random() * 0.18));
  const out: Sample[] = new Array(n);
  let level = magnitude, drift = 0, e = 0, held = magnitude, t = t0;
  for (let i = 0; i < n; i++) {
    drift = DRIFT.keep * drift + gauss(random) * magnitude * DRIFT.sd;
    level += drift * DRIFT.gain;
    if (random() < 0.002) level += gauss(random) * magnitude * 0.05; // a set-point step or a fault
    e = phi * e + Math.sqrt(1 - phi * phi) * gauss(random);
    let v: number;
    if (kind === 'flat') v = magnitude + (random() < FLICKER ? (random() < 0.5 ? -1 : 1) * magnitude * 10 ** -(digits - 1) : 0);
    else if (kind === 'controller') v = level + magnitude * noise * e;
    else v = level + magnitude * noise * e;
    if (kind === 'analyzer') {
      if (i % hold === 0) held = v;
      v = held;
    }
    if (kind === 'vibration') v = Math.abs(v);
    if (kind === 'quantized') v = magnitude + step * Math.round((level - magnitude) / step + gauss(random) * CONVERTER_NOISE);
    out[i] = { t, value: round(v), status: 0 };
    t += random() < skips ? 2 * periodMs : periodMs;
  }
  return { samples: out, model: { magnitude, noise, phi, hold, resolution: 10 ** -decimalsOf(magnitude, digits), skips } };
}
