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
