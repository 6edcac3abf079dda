/**
 * uPlot path builder over a pen's own trace (not uPlot's aligned data): each
 * pen keeps its own times, so live samples append without rebuilding a shared
 * x column. The line goes from point to point (stepped: holds, then steps);
 * before a gap it holds the last value up to where the gap starts and lifts;
 * an open trace holds its last value up to the live edge. Nothing is drawn
 * across a gap. A frozen pen's line stops being drawn solid where it froze:
 * overlays.ts draws the rest dotted (frozen-span.ts).
 */
import type uPlot from 'uplot';
import { isGap, type Trace } from './trace.js';

export interface PenDrawState {
  trace: Trace | null;
  /** The open end of the trace holds its last value up to here (ms); -Infinity: not live. */
  liveUntil: number;
  /** The pen's value is frozen since here (ms, frozen-span.ts): its line from here on is not drawn solid. */
  frozenSince?: number | null;
}

/** Maps times and values of a scale to canvas pixels of the plot area. */
export interface PixelMap {
  px(t: number): number;
  py(v: number): number;
  x0: number;
  x1: number;
}

export function pixelMap(u: uPlot, scale: string): PixelMap | null {
  const xs = u.scales.x!, ys = u.scales[scale];
  if (!ys || xs.min == null || xs.max == null || ys.min == null || ys.max == null || !(xs.max > xs.min) || !(ys.max > ys.min)) return null;
  const { left, top, width, height } = u.bbox;
  const x0 = xs.min, kx = width / (xs.max - xs.min);
  const y0 = ys.min, ky = height / (ys.max - ys.min);
  return { px: (t) => left + (t - x0) * kx, py: (v) => top + height - (v - y0) * ky, x0: xs.min, x1: xs.max };
}

/** The index range of points that draw anything in [x0, x1]: one outside on each side. */
export function visible(tr: Trace, x0: number, x1: number): [number, number] {
  return [Math.max(0, tr.indexAfter(x0) - 1), Math.min(tr.n - 1, tr.indexAfter(x1))];
}

export function tracePaths(state: (seriesIdx: number) => PenDrawState | null): uPlot.Series.PathBuilder {
  return (u, seriesIdx) => {
    const s = state(seriesIdx);
    const tr = s?.trace;
    const map = tr && tr.n > 0 ? pixelMap(u, u.series[seriesIdx]!.scale!) : null;
    if (!s || !tr || !map) return { stroke: new Path2D(), fill: null, clip: null, flags: 0 };
    // uPlot strokes the line inside `clip`: up to where it froze (overlays.ts drawMarks strokes the rest dotted).
    const frozenAt = s.frozenSince ?? null;
    let clip: Path2D | null = null;
    if (frozenAt !== null) {
      clip = new Path2D();
      clip.rect(0, 0, Math.max(0, map.px(frozenAt)), u.ctx.canvas.height);
    }
    return { stroke: traceStroke(tr, map, s.liveUntil), fill: null, clip, flags: 0 };
  };
}

/** The pen's line over the view, as one path (canvas px). */
export function traceStroke(tr: Trace, map: PixelMap, liveUntil: number): Path2D {
  const stroke = new Path2D();
  const { px, py } = map;
  const [i0, i1] = visible(tr, map.x0, map.x1);
  const { t, v, k } = tr;
  let down = false;
  let lastY = 0;
  for (let i = i0; i <= i1; i++) {
    if (isGap(k[i]!)) {
      down = false;
      continue;
    }
    const x = px(t[i]!), y = py(v[i]!);
    if (!down) stroke.moveTo(x, y);
    else {
      if (tr.stepped) stroke.lineTo(x, lastY);
      stroke.lineTo(x, y);
    }
    down = true;
    lastY = y;
    // The value holds until the gap after it starts (no slope into a value that is not there).
    if (i + 1 < tr.n && isGap(k[i + 1]!)) stroke.lineTo(px(t[i + 1]!), y);
  }
  if (down && i1 === tr.n - 1 && tr.open && liveUntil > t[i1]!) stroke.lineTo(px(Math.min(liveUntil, map.x1 + (map.x1 - map.x0))), lastY);
  return stroke;
}
