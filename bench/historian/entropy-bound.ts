/**
 * A lower bound of the information in a real-shaped tag (real-shaped.ts), from the parameters that
 * drew it: what no lossless coder can go below, however it models the signal. Each sample is
 * bounded by what is new in it given everything before, the hidden level, drift and noise state
 * included (knowing more can only lower the entropy): the drift's and the noise's innovations,
 * printed at the tag's resolution; an analyzer's held samples carry nothing; a flat signal its
 * flicker; a converter's step its noise; the pump bench's clock its skips. Set-point steps are left
 * out (they only add).
 */
import { CONVERTER_NOISE, DRIFT, FLICKER, type RealTag } from './real-shaped.js';

/** Bits a sample of the tag carries at least, on average. */
export function boundBits(tag: RealTag): number {
  const { magnitude, noise, phi, hold, resolution, skips } = tag.model;
  const time = binaryEntropy(skips);
  if (tag.kind === 'flat') return time + binaryEntropy(FLICKER) + FLICKER; // which samples, and which way
  if (tag.kind === 'quantized') return time + roundedGaussBits(CONVERTER_NOISE);
  // Over an analyzer's hold: the level's innovations add up, the noise's decorrelate as phi^hold.
  const level = DRIFT.gain * DRIFT.sd * magnitude;
  const sd = magnitude * noise;
  const innovation = Math.sqrt(hold * level * level + sd * sd * (1 - phi ** (2 * hold)));
  return time + roundedGaussBits(innovation / resolution) / hold;
}

/** Entropy (bits) of round(mu + sigma Z), sigma in printed steps, averaged over mu's offset within a step. */
export function roundedGaussBits(sigma: number): number {
  if (sigma > 4) return Math.log2(sigma * Math.sqrt(2 * Math.PI * Math.E));
  const OFFSETS = 16;
  const reach = Math.ceil(8 * sigma) + 2;
  let sum = 0;
  for (let j = 0; j < OFFSETS; j++) {
    const mu = j / OFFSETS;
    for (let k = -reach; k <= reach; k++) {
      const p = normalCdf((k + 0.5 - mu) / sigma) - normalCdf((k - 0.5 - mu) / sigma);
      if (p > 0) sum -= p * Math.log2(p);
    }
  }
  return sum / OFFSETS;
}

function binaryEntropy(p: number): number {
  return p <= 0 || p >= 1 ? 0 : -p * Math.log2(p) - (1 - p) * Math.log2(1 - p);
}

/** Φ(x) by erfc (Numerical Recipes' erfcc, relative error below 1.2e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}
