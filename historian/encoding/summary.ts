/**
 * Block summary for reads that need not decode samples. A span [t_i, t_i+1) is good when point i
 * is good and finite: its status holds until the next point (status changes are always
 * archived at both ends). Over a good span the reconstruction is linear to a good finite
 * point i+1, and otherwise (stepped tag, or the next point not good) held at v_i, because a
 * reconstruction never bridges good to bad.
 */
import type { BlockSummary, SampleColumns } from '../types.js';

export function summarize(cols: SampleColumns, stepped: boolean): BlockSummary {
  const n = cols.length;
  if (n === 0) throw new Error('summarize: empty block');
  const { t, value, status } = cols;
  let min = Infinity;
  let max = -Infinity;
  let first = -1;
  let last = -1;
  let integral = 0;
  let goodMs = 0;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const sev = status[i] >>> 30;
    if (sev > worst) worst = sev;
    const v = value[i];
    if (sev !== 0 || !Number.isFinite(v)) continue;
    if (first < 0) first = i;
    last = i;
    if (v < min) min = v;
    if (v > max) max = v;
    if (i === n - 1) break;
    const dt = t[i + 1] - t[i];
    goodMs += dt;
    const next = value[i + 1];
    if (stepped || status[i + 1] >>> 30 !== 0 || !Number.isFinite(next)) integral += v * dt;
    else integral += (v + next) * 0.5 * dt;
  }
  return {
    count: n,
    tStart: t[0],
    tEnd: t[n - 1],
    min: first < 0 ? null : min,
    max: first < 0 ? null : max,
    first: first < 0 ? null : { t: t[first], value: value[first] },
    last: last < 0 ? null : { t: t[last], value: value[last] },
    integral,
    goodMs,
    worstSeverity: worst === 0 ? 0 : worst === 1 ? 1 : 2,
  };
}
