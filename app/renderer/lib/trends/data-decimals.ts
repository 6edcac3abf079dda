/**
 * The decimals a pen's archived values carry: what its readout writes when the tag says nothing
 * of its own (no configured decimals, no EU range to take them from). A PI export of a flow at
 * 3692.6 carries one; written with the two a tag without a range used to get, 3,692.60 showed a
 * digit that is in no data.
 */
import { isGap, type Trace } from './trace.js';

/** Digits a value shows at most: a Float's precision (value-view.ts SIGNIFICANT). */
const SIGNIFICANT = 7;

/** The decimals that 7 significant digits of `v` leave: 3692.6 -> 3, 2.15045 -> 6, 0.000123 -> 10. */
export function mostDecimals(v: number): number {
  if (!Number.isFinite(v) || v === 0) return 0;
  return Math.max(0, SIGNIFICANT - 1 - Math.floor(Math.log10(Math.abs(Number(v.toPrecision(SIGNIFICANT))))));
}

/** The decimals of the value's own digits, up to 7 significant ones (a Float's 2.1504502296 -> 5). */
export function valueDecimals(v: number): number {
  if (!Number.isFinite(v) || v === 0) return 0;
  const rounded = Number(v.toPrecision(SIGNIFICANT));
  const most = mostDecimals(v);
  for (let d = 0; d < most; d++) if (Number(rounded.toFixed(d)) === rounded) return d;
  return most;
}

/** Whether `d` decimals write v's 7 significant digits whole. */
function fitsIn(v: number, d: number): boolean {
  if (!Number.isFinite(v)) return true;
  const rounded = Number(v.toPrecision(SIGNIFICANT));
  return Number(rounded.toFixed(Math.min(d, 100))) === rounded;
}

/** What was found of a trace so far: live samples append, and only the new ones are read. */
const seen = new WeakMap<Trace, { upTo: number; decimals: number | null }>();

/** The most decimals a value of the trace carries (gaps have none); null: no value to say. */
export function traceDecimals(tr: Trace): number | null {
  const known = seen.get(tr);
  // A trace is only appended to; fewer points than read means another history in the same object.
  let upTo = known && known.upTo <= tr.n ? known.upTo : 0;
  let decimals = known && known.upTo <= tr.n ? known.decimals : null;
  for (; upTo < tr.n; upTo++) {
    if (isGap(tr.k[upTo]!)) continue;
    const v = tr.v[upTo]!;
    // Most values carry no more than those before them: one rounding tells.
    if (decimals !== null && fitsIn(v, decimals)) continue;
    const d = valueDecimals(v);
    if (decimals === null || d > decimals) decimals = d;
  }
  seen.set(tr, { upTo, decimals });
  return decimals;
}
