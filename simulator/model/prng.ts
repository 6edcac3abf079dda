// Seeded pseudo-random numbers: mulberry32 (32-bit state, fast, good enough for
// simulated noise) plus a Box-Muller normal. Same seed => same sequence.

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Normal with mean 0 and standard deviation `sd`. */
  normal(sd?: number): number;
  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number;
}

export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  let spare: number | null = null;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (sd = 1): number => {
    if (spare !== null) {
      const z = spare;
      spare = null;
      return z * sd;
    }
    // 1 - u keeps the log argument in (0, 1].
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const a = 2 * Math.PI * next();
    spare = r * Math.sin(a);
    return r * Math.cos(a) * sd;
  };
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  return { next, normal, int };
}

/** Derives an independent stream seed from a base seed and a stream number. */
export function subSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Rounds to the instrument's resolution (e.g. 0.001 m) without float fuzz like 1.2000000000000002. */
export function quantise(value: number, resolution: number): number {
  return Number((Math.round(value / resolution) * resolution).toFixed(decimalsOf(resolution)));
}

/** Digits after the decimal point a resolution needs: 0.001 -> 3, 0.5 -> 1, 1 -> 0. */
export function decimalsOf(resolution: number): number {
  return Math.max(0, Math.ceil(-Math.log10(resolution) - 1e-9));
}
