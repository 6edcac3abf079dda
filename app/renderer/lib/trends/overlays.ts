/**
 * What the chart draws besides the lines: a band over every gap (hatched
 * magenta where the data was bad or stale or its archive file unreadable, grey where there is none), a teal
 * strip under uncertain data, and a tag's alarm limits as dashed lines.
 * Magenta and teal are the console's quality colours, used for nothing else.
 */
import type uPlot from 'uplot';
import { isGap, Kind, type Trace } from './trace.js';
import { pixelMap, visible, type PenDrawState } from './paths.js';

export const BAND_BAD = '#b000b0';
export const BAND_NODATA = '#6e6e6e';
export const UNCERTAIN = '#00717d';

export interface Limit {
  /** HH, H, L, LL, ... */
  name: string;
  value: number;
}

export interface OverlayPen extends PenDrawState {
  scale: string;
  color: string;
  limits: Limit[];
}

const patterns = new WeakMap<CanvasRenderingContext2D, Map<string, CanvasPattern>>();

/** Diagonal hatching in a colour, cached per canvas. */
function hatch(ctx: CanvasRenderingContext2D, color: string, ratio: number): CanvasPattern | string {
  let byColor = patterns.get(ctx);
  if (!byColor) patterns.set(ctx, (byColor = new Map()));
  const key = `${color}/${ratio}`;
  let p = byColor.get(key);
  if (!p) {
    const size = Math.round(8 * ratio);
    const tile = document.createElement('canvas');
    tile.width = tile.height = size;
    const c = tile.getContext('2d');
    if (!c) return color;
    c.fillStyle = `${color}22`;
    c.fillRect(0, 0, size, size);
    c.strokeStyle = `${color}99`;
    c.lineWidth = Math.max(1, ratio);
    c.beginPath();
    c.moveTo(0, size);
    c.lineTo(size, 0);
    c.moveTo(-size / 2, size / 2);
    c.lineTo(size / 2, -size / 2);
    c.moveTo(size / 2, size * 1.5);
    c.lineTo(size * 1.5, size / 2);
    c.stroke();
    p = ctx.createPattern(tile, 'repeat') ?? undefined;
    if (!p) return color;
    byColor.set(key, p);
  }
  return p;
}

/** Gap spans of a trace within the view, as [t0, t1, kind]. */
export function gapSpans(tr: Trace, x0: number, x1: number, liveUntil: number, now: number): [number, number, Kind][] {
  const out: [number, number, Kind][] = [];
  if (tr.n === 0) return out;
  const [i0, i1] = visible(tr, x0, x1);
  for (let i = i0; i <= i1; i++) {
    const k = tr.k[i]! as Kind;
    if (!isGap(k)) continue;
    const end = i + 1 < tr.n ? tr.t[i + 1]! : tr.open ? now : tr.t[i]!;
    out.push([tr.t[i]!, end, k]);
  }
  // An open trace whose last value is good but not live any more: nothing is known after it.
  const last = tr.n - 1;
  if (tr.open && !isGap(tr.k[last]!)) {
    const from = Math.max(tr.t[last]!, liveUntil);
    if (now > from) out.push([from, now, Kind.NoData]);
  }
  return out;
}

/**
 * Where every pen has no data: nothing is known there at all (the station was
 * off, the tags did not exist yet). Spans of each pen, in time order, intersected.
 */
export function commonSpans(perPen: readonly [number, number][][]): [number, number][] {
  if (perPen.length === 0) return [];
  let acc = perPen[0]!;
  for (const next of perPen.slice(1)) {
    const out: [number, number][] = [];
    let i = 0, j = 0;
    while (i < acc.length && j < next.length) {
      const a = Math.max(acc[i]![0], next[j]![0]), b = Math.min(acc[i]![1], next[j]![1]);
      if (b > a) out.push([a, b]);
      if (acc[i]![1] < next[j]![1]) i++;
      else j++;
    }
    acc = out;
  }
  return acc;
}

const LANE = 3;

/**
 * Bands under the lines (uPlot's drawClear hook: after clearing, before grid
 * and series). A pen's bad or stale span is hatched magenta across the plot;
 * no data is hatched grey across the plot only where no pen has data, since a
 * pen that merely began later must not cover the others. Every gap of every
 * pen also shows in its own lane along the top edge, in the pen's order, so
 * the band can be told apart.
 */
export function drawBands(u: uPlot, pens: readonly (OverlayPen | null)[], now: number): void {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const ratio = devicePixelRatio || 1;
  const clampX = (x: number) => Math.min(left + width, Math.max(left, x));
  ctx.save();
  const noData: [number, number][][] = [];
  pens.forEach((pen, index) => {
    if (!pen?.trace) return;
    const map = pixelMap(u, pen.scale);
    if (!map) return;
    const mine: [number, number][] = [];
    for (const [t0, t1, kind] of gapSpans(pen.trace, map.x0, map.x1, pen.liveUntil, now)) {
      const a = clampX(map.px(t0)), b = clampX(map.px(t1));
      if (kind === Kind.NoData) mine.push([t0, t1]);
      if (b <= a) continue;
      const w = Math.max(b - a, ratio);
      if (kind === Kind.Bad) {
        ctx.fillStyle = hatch(ctx, BAND_BAD, ratio);
        ctx.fillRect(a, top, w, height);
      }
      ctx.fillStyle = kind === Kind.Bad ? BAND_BAD : BAND_NODATA;
      ctx.fillRect(a, top + index * LANE * ratio, w, LANE * ratio);
    }
    // Before the trace's first point nothing is known either.
    if (pen.trace.n > 0 && pen.trace.t[0]! > map.x0) mine.unshift([map.x0, pen.trace.t[0]!]);
    noData.push(mine.sort((x, y) => x[0] - y[0]));
  });
  const xs = u.scales.x!;
  if (xs.min != null && xs.max != null && xs.max > xs.min) {
    const px = (t: number) => left + ((t - xs.min!) / (xs.max! - xs.min!)) * width;
    ctx.fillStyle = hatch(ctx, BAND_NODATA, ratio);
    for (const [t0, t1] of commonSpans(noData)) {
      const a = clampX(px(t0)), b = clampX(px(t1));
      if (b > a) ctx.fillRect(a, top, b - a, height);
    }
  }
  ctx.restore();
}

/** Uncertain strips and limit lines, over the lines (uPlot's draw hook). */
export function drawMarks(u: uPlot, pens: readonly (OverlayPen | null)[], showLimits: boolean, label: (l: Limit) => string): void {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const ratio = devicePixelRatio || 1;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  const strip = 4 * ratio;
  ctx.fillStyle = UNCERTAIN;
  for (const pen of pens) {
    const tr = pen?.trace;
    if (!pen || !tr || tr.n === 0) continue;
    const map = pixelMap(u, pen.scale);
    if (!map) continue;
    const [i0, i1] = visible(tr, map.x0, map.x1);
    for (let i = i0; i <= i1; i++) {
      if (tr.k[i] !== Kind.Uncertain) continue;
      let j = i;
      while (j + 1 <= i1 && tr.k[j + 1] === Kind.Uncertain) j++;
      const end = j + 1 < tr.n ? tr.t[j + 1]! : Math.min(pen.liveUntil, map.x1);
      const a = map.px(tr.t[i]!), b = Math.max(map.px(end), a + 2 * ratio);
      ctx.fillRect(a, top + height - strip, b - a, strip);
      i = j;
    }
  }
  if (showLimits) {
    ctx.setLineDash([6 * ratio, 4 * ratio]);
    ctx.lineWidth = ratio;
    ctx.font = `${11 * ratio}px system-ui, sans-serif`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    // Pens of like tanks share limits: a label that would cover another's moves left of it.
    const placed: { y: number; x0: number; x1: number }[] = [];
    const halo = getComputedStyle(u.root).getPropertyValue('--panel').trim() || '#e2e2e2';
    const lineHeight = 12 * ratio, gap = 8 * ratio;
    for (const pen of pens) {
      if (!pen || pen.limits.length === 0) continue;
      const map = pixelMap(u, pen.scale);
      if (!map) continue;
      ctx.strokeStyle = ctx.fillStyle = pen.color;
      for (const l of pen.limits) {
        const y = Math.round(map.py(l.value)) + 0.5;
        if (y < top || y > top + height) continue;
        ctx.beginPath();
        ctx.moveTo(left, y);
        ctx.lineTo(left + width, y);
        ctx.stroke();
        const text = label(l), w = ctx.measureText(text).width;
        let x1 = left + width - 4 * ratio;
        for (let moved = true; moved; ) {
          moved = false;
          for (const p of placed) {
            if (Math.abs(p.y - y) < lineHeight && x1 > p.x0 - gap && x1 - w < p.x1 + gap) {
              x1 = p.x0 - gap;
              moved = true;
            }
          }
        }
        placed.push({ y, x0: x1 - w, x1 });
        // A halo of the plot's background first: the label stays readable where other pens' lines cross it.
        ctx.save();
        ctx.setLineDash([]);
        ctx.lineWidth = 3 * ratio;
        ctx.lineJoin = 'round';
        ctx.strokeStyle = halo;
        ctx.strokeText(text, x1, y - 2 * ratio);
        ctx.restore();
        ctx.fillText(text, x1, y - 2 * ratio);
      }
    }
  }
  ctx.restore();
}
