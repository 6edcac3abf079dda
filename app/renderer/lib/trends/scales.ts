/**
 * The value range of one unit's axis: what the pens of that unit show in the
 * view (and their limits, when shown), padded; or the tags' EU range.
 */
import { isGap } from './trace.js';
import { visible, type PenDrawState } from './paths.js';
import type { Limit } from './overlays.js';

export interface ScalePen extends PenDrawState {
  limits: Limit[];
  euRange: [number, number] | null;
}

export function valueRange(pens: readonly ScalePen[], x0: number, x1: number, opts: { limits: boolean; eu: boolean }): [number, number] {
  let lo = Infinity, hi = -Infinity;
  if (opts.eu) {
    for (const p of pens) {
      if (!p.euRange) continue;
      lo = Math.min(lo, p.euRange[0]);
      hi = Math.max(hi, p.euRange[1]);
    }
  }
  if (!(hi > lo)) {
    [lo, hi] = shownExtent(pens, x0, x1, lo, hi);
    if (opts.limits) {
      for (const p of pens) {
        for (const l of p.limits) {
          lo = Math.min(lo, l.value);
          hi = Math.max(hi, l.value);
        }
      }
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
    const span = hi - lo;
    const pad = span > 0 ? span * 0.06 : Math.max(Math.abs(lo) * 0.05, 0.5);
    lo -= pad;
    hi += pad;
  }
  return [lo, hi];
}

/**
 * The state axis of discrete pens: 0 and 1 always, and whatever other states an enumeration or an
 * integer tag shows in view (2 open, 3 closing), each a quarter step clear of the plot's edges.
 */
export function stateRange(pens: readonly PenDrawState[], x0: number, x1: number): [number, number] {
  const [lo, hi] = shownExtent(pens, x0, x1, 0, 1);
  return [lo - 0.25, hi + 0.25];
}

/** [lo, hi] widened to the values the pens draw between x0 and x1 (gaps are no values). */
function shownExtent(pens: readonly PenDrawState[], x0: number, x1: number, lo: number, hi: number): [number, number] {
  for (const p of pens) {
    const tr = p.trace;
    if (!tr || tr.n === 0) continue;
    const [i0, i1] = visible(tr, x0, x1);
    for (let i = i0; i <= i1; i++) {
      if (isGap(tr.k[i]!)) continue;
      const v = tr.v[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return [lo, hi];
}

/** The state axis' ticks: each state when they are few (0 1 2 3), else whole steps of 2, 5, 10 ... (at most 9 ticks). */
export function stateSplits(lo: number, hi: number): number[] {
  const first = Math.ceil(lo), last = Math.floor(hi);
  let step = 1;
  for (let k = 0; (last - first) / step > 8; k++) step = [2, 5, 10][k % 3]! * 10 ** Math.floor(k / 3);
  const out: number[] = [];
  for (let v = Math.ceil(first / step) * step; v <= last; v += step) out.push(v + 0); // + 0: no -0 tick
  return out;
}

/** The most decimals a value axis prints (steps finer than 1e-10 are not a plant's). */
const MAX_TICK_DECIMALS = 10;

/**
 * The decimals a value axis prints for ticks `incr` apart: as many as the step's significant
 * digits need (2.5 -> 1, 0.25 -> 2, 0.05 -> 2, 1e-4 -> 4, 20 -> 0), so 17.5 is not printed "18".
 * Floating-point noise in the step (0.30000000000000004) does not count as a digit.
 */
export function tickDecimals(incr: number): number {
  if (!(incr > 0) || !Number.isFinite(incr)) return 0;
  for (let d = 0; d < MAX_TICK_DECIMALS; d++) {
    const scaled = incr * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-9 * Math.max(1, scaled)) return d;
  }
  return MAX_TICK_DECIMALS;
}
