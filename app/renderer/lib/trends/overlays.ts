/**
 * What the chart draws besides the lines: each pen's gaps in a lane of its own
 * (hatched magenta where the data was bad or stale or its archive file
 * unreadable, grey where there is none; see gaps.ts), a frozen pen's span in
 * its lane cross-hatched magenta and its line there dotted (frozen-span.ts),
 * a band across the plot where every pen has that gap, a teal strip under uncertain data, and each
 * tag's alarm limits as dashed lines with labels that never cover each other.
 * Magenta and teal are the console's quality colours, used for nothing else.
 */
import type uPlot from 'uplot';
import { isGap, Kind, type Trace } from './trace.js';
import { pixelMap, traceStroke, visible, type PenDrawState } from './paths.js';
import { laneLabels, laneLayout, penGaps, type Gap } from './gaps.js';
import { laneSpans, laneTexts, type LaneSpan, type LaneWord } from './frozen-span.js';
import { alikeLabels, limitRank, planLimitLabels } from './limits.js';
import { BadNoData } from '../../../../historian/status.js';

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
  dash?: number[];
  /** The pen's short name (gaps.ts shortNames), for its lane and its limit labels. */
  name: string;
  /** The pen's tag: its limit labels give the tag's unit. */
  tag: string;
  limits: Limit[];
}

/** What a lane's label says: "<pen>: <gap word>" ("<pen>: frozen") in the console's language. */
export type GapLabel = (pen: string, word: LaneWord) => string;

/** A gap label as drawn: its pen's tag, what its gap is, its text and its box (CSS px within the canvas). */
export interface DrawnGapLabel {
  pen: string;
  word: LaneWord;
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** A gap in its lane, with its whole label ("Area1.TK101.Level: stale: no communication"): the tooltip over it (CSS px within the canvas). */
export interface GapZone {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface DrawnLanes {
  /** The lanes' bottom edge (device px). */
  bottom: number;
  labels: DrawnGapLabel[];
  zones: GapZone[];
}

const patterns = new WeakMap<CanvasRenderingContext2D, Map<string, CanvasPattern>>();

/** A repeating tile of `size` device px drawn once per canvas and key. */
function cachedPattern(ctx: CanvasRenderingContext2D, key: string, size: number, draw: (c: CanvasRenderingContext2D) => void): CanvasPattern | null {
  let byKey = patterns.get(ctx);
  if (!byKey) patterns.set(ctx, (byKey = new Map()));
  let p = byKey.get(key);
  if (!p) {
    const tile = document.createElement('canvas');
    tile.width = tile.height = size;
    const c = tile.getContext('2d');
    if (!c) return null;
    draw(c);
    p = ctx.createPattern(tile, 'repeat') ?? undefined;
    if (!p) return null;
    byKey.set(key, p);
  }
  return p;
}

/**
 * Diagonal hatching in a colour; crossed for a frozen span, so it is told from a bad span by its
 * pattern (and its label), not by a colour.
 */
function hatch(ctx: CanvasRenderingContext2D, color: string, ratio: number, crossed = false): CanvasPattern | string {
  const size = Math.round(8 * ratio);
  return cachedPattern(ctx, `${crossed ? 'cross:' : ''}${color}/${ratio}`, size, (c) => {
    c.fillStyle = `${color}22`;
    c.fillRect(0, 0, size, size);
    c.strokeStyle = `${color}99`;
    c.lineWidth = Math.max(1, ratio);
    c.beginPath();
    c.moveTo(0, size);
    c.lineTo(size, 0);
    if (crossed) {
      c.moveTo(0, 0);
      c.lineTo(size, size);
    } else {
      // The neighbours' lines through the corners: a seamless tiling.
      c.moveTo(-size / 2, size / 2);
      c.lineTo(size / 2, -size / 2);
      c.moveTo(size / 2, size * 1.5);
      c.lineTo(size * 1.5, size / 2);
    }
    c.stroke();
  }) ?? color;
}

/** A frozen line's dots (CSS px, times the pixel ratio): short dashes, unlike a dashed pen's long ones (8, 4). */
export const FROZEN_DASH = [2, 3];

/**
 * A gap lane's mark of its pen: stripes in the pen's colour, slanted as the hatching and halfway
 * between its strokes (broken for a dashed pen, as its line is), so the lane reads as hatched, not
 * as a line at some value.
 */
function penStripes(ctx: CanvasRenderingContext2D, color: string, dashed: boolean, ratio: number): CanvasPattern | string {
  const size = Math.round(8 * ratio);
  return cachedPattern(ctx, `pen:${color}/${dashed}/${ratio}`, size, (c) => {
    c.strokeStyle = color;
    c.lineWidth = Math.max(1.5, 1.5 * ratio);
    if (dashed) c.setLineDash([2 * ratio, 1.5 * ratio]);
    c.beginPath();
    // The hatching's strokes run through the tile's corners; these run halfway between them.
    c.moveTo(0, size / 2);
    c.lineTo(size / 2, 0);
    c.moveTo(size / 2, size);
    c.lineTo(size, size / 2);
    c.stroke();
  }) ?? color;
}

/** Gap spans of a trace within the view, as [t0, t1, kind, status]. */
export function gapSpans(tr: Trace, x0: number, x1: number, liveUntil: number, now: number): [number, number, Kind, number][] {
  const out: [number, number, Kind, number][] = [];
  if (tr.n === 0) return out;
  const [i0, i1] = visible(tr, x0, x1);
  for (let i = i0; i <= i1; i++) {
    const k = tr.k[i]! as Kind;
    if (!isGap(k)) continue;
    const end = i + 1 < tr.n ? tr.t[i + 1]! : tr.open ? now : tr.t[i]!;
    out.push([tr.t[i]!, end, k, tr.status[i]!]);
  }
  // An open trace whose last value is good but not live any more: nothing is known after it.
  const last = tr.n - 1;
  if (tr.open && !isGap(tr.k[last]!)) {
    const from = Math.max(tr.t[last]!, liveUntil);
    if (now > from) out.push([from, now, Kind.NoData, BadNoData]);
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

/**
 * Bands under the lines (uPlot's drawClear hook: after clearing, before grid and series). Each
 * pen with a gap in view has a lane along the plot's top (gaps.ts): its gaps hatched there,
 * magenta where bad, stale or unreadable and grey where there is no data, striped in the pen's
 * colour and dash, with the pen's name and the gap's word where it fits (a frozen span keeps its word:
 * frozen-span.ts laneTexts, `word` giving it alone). Across the plot's height
 * only where every pen has that gap. Returns the lanes' bottom edge (limit labels stay below it) and
 * the labels drawn in them.
 */
export function drawBands(u: uPlot, pens: readonly (OverlayPen | null)[], now: number, say: GapLabel, word?: (word: LaneWord) => string): DrawnLanes {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const ratio = devicePixelRatio || 1;
  const clampX = (x: number) => Math.min(left + width, Math.max(left, x));
  const xs = u.scales.x!;
  const labels: DrawnGapLabel[] = [], zones: GapZone[] = [];
  if (xs.min == null || xs.max == null || !(xs.max > xs.min)) return { bottom: top, labels, zones };
  const x0 = xs.min, x1 = xs.max;
  const px = (t: number) => clampX(left + ((t - x0) / (x1 - x0)) * width);
  const gaps: (Gap[] | null)[] = pens.map((pen) => (pen?.trace ? penGaps(pen.trace, x0, x1, pen.liveUntil, now) : null));
  // A lane's spans: the gaps, and a frozen pen's span to now (not across the plot: its line is drawn, dotted).
  const spansOf: (LaneSpan[] | null)[] = pens.map((pen, i) => (pen && gaps[i] ? laneSpans(gaps[i]!, pen.frozenSince ?? null, x0, x1, now) : null));
  ctx.save();
  // Where every pen has the same kind of gap: across the plot.
  const drawn = gaps.filter((g): g is Gap[] => g !== null);
  for (const [noData, color] of [[false, BAND_BAD], [true, BAND_NODATA]] as const) {
    ctx.fillStyle = hatch(ctx, color, ratio);
    const spans = drawn.map((g) => g.filter((x) => (x.word === 'noData') === noData).map((x): [number, number] => [x.t0, x.t1]));
    for (const [t0, t1] of commonSpans(spans)) {
      const a = px(t0), b = px(t1);
      if (b > a) ctx.fillRect(a, top, b - a, height);
    }
  }
  // A lane for each pen with a gap or a frozen span.
  const lanes = laneLayout(spansOf.map((g) => !!g?.length), height, ratio);
  const halo = haloColor(u);
  ctx.font = `${11 * ratio}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  pens.forEach((pen, i) => {
    const lane = lanes.lane[i];
    if (!pen || lane == null) return;
    const y = top + lane * lanes.height;
    const spans = spansOf[i]!.map((g) => ({ g, a: px(g.t0), b: Math.max(px(g.t1), px(g.t0) + ratio) }));
    spans.forEach(({ g, a, b }) => {
      zones.push({ text: say(pen.tag, g.word), left: a / ratio, right: b / ratio, top: y / ratio, bottom: (y + lanes.height) / ratio });
      ctx.clearRect(a, y, b - a, lanes.height);
      ctx.fillStyle = g.word === 'frozen' ? hatch(ctx, BAND_BAD, ratio, true) : hatch(ctx, g.word === 'noData' ? BAND_NODATA : BAND_BAD, ratio);
      ctx.fillRect(a, y, b - a, lanes.height);
      // The pen's colour as slanted stripes between the hatching's, never as a level line: a flat bar in
      // the pen's colour across the gap read as the pen's value held there (18 m, above its HIGH HIGH).
      ctx.fillStyle = penStripes(ctx, pen.color, !!pen.dash?.length, ratio);
      ctx.fillRect(a, y, b - a, lanes.height);
    });
    if (!lanes.text) return;
    const ty = y + lanes.height / 2 + ratio / 2;
    // The labels of the lane, none over another (gaps.ts laneLabels); each kept inside its lane, so none reaches the next lane's either.
    const placed = laneLabels(spans, spans.map(({ g }) => laneTexts(g.word, pen.name, say, word)), (s) => ctx.measureText(s).width, {
      left,
      right: left + width,
      pad: 3 * ratio,
      space: 8 * ratio,
    });
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, y, width, lanes.height);
    ctx.clip();
    for (const l of placed) {
      ctx.textAlign = 'left';
      ctx.lineWidth = 3 * ratio;
      ctx.lineJoin = 'round';
      ctx.strokeStyle = halo;
      ctx.strokeText(l.text, l.x0, ty);
      ctx.fillStyle = pen.color;
      ctx.fillText(l.text, l.x0, ty);
      const g = spans[l.gap]!.g;
      labels.push({ pen: pen.tag, word: g.word, text: l.text, left: l.x0 / ratio, right: l.x1 / ratio, top: y / ratio, bottom: (y + lanes.height) / ratio });
    }
    ctx.restore();
  });
  ctx.restore();
  return { bottom: top + lanes.height * lanes.lane.filter((l) => l !== null).length, labels, zones };
}

function haloColor(u: uPlot): string {
  return getComputedStyle(u.root).getPropertyValue('--panel').trim() || '#e2e2e2';
}

/** Uncertain strips and limit lines, over the lines (uPlot's draw hook). */
export function drawMarks(u: uPlot, pens: readonly (OverlayPen | null)[], showLimits: boolean, label: LimitLabel, lanesBottom: number, more: MoreLimits): DrawnLimits {
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
  // A frozen pen's line from where it froze: dotted in its colour (uPlot drew it solid only up to there, paths.ts).
  ctx.lineWidth = 2 * ratio;
  ctx.setLineDash(FROZEN_DASH.map((d) => d * ratio));
  for (const pen of pens) {
    const tr = pen?.trace, from = pen?.frozenSince ?? null;
    if (!pen || !tr || tr.n === 0 || from === null) continue;
    const map = pixelMap(u, pen.scale);
    if (!map) continue;
    const a = Math.max(left, map.px(from));
    ctx.save();
    ctx.beginPath();
    ctx.rect(a, top - ratio, left + width - a, height + 2 * ratio);
    ctx.clip();
    ctx.strokeStyle = pen.color;
    ctx.stroke(traceStroke(tr, map, pen.liveUntil));
    ctx.restore();
  }
  ctx.setLineDash([]);
  const limits = showLimits ? drawLimits(u, pens, label, lanesBottom, more) : NO_LIMITS;
  ctx.restore();
  return limits;
}

/** A limit line's label, of the limit of `tag`; `pen` is the pen's short name when more than one pen draws limits, else null. */
export type LimitLabel = (l: Limit, tag: string, pen: string | null) => string;

/** The label standing for `count` limit lines left without one: "+3 limits". */
export type MoreLimits = (count: number) => string;

/** A label's box, CSS px within the canvas. */
export interface LabelBox {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** What drawLimits labelled, and what it had no room to. */
export interface DrawnLimits {
  labels: LabelBox[];
  /** The "+N limits" label and the labels it stands for, each as it would read (with its pens); null when every line has its label. */
  more: (LabelBox & { hidden: string[] }) | null;
  /** The limits left without a label, each pen's (by tag) as its label reads without the pen (condition, value and unit). */
  unlabelled: { tag: string; limit: string }[];
}

const NO_LIMITS: DrawnLimits = { labels: [], more: null, unlabelled: [] };

/**
 * Each limit a dashed line in its pen's colour across the plot, its label at the left end just
 * above it (at the right end the labels covered the newest values, those an operator watches);
 * labels that would cover one another are moved apart (limits.ts spreadLabels), below the gap
 * lanes, and a moved label is joined to its line by a short leader. Alike lines share one label.
 * Labels that do not all fit the plot give the last row to a "+N limits" label
 * (limits.ts planLimitLabels): none is drawn past the plot's edge, none left out unsaid.
 */
function drawLimits(u: uPlot, pens: readonly (OverlayPen | null)[], label: LimitLabel, lanesBottom: number, more: MoreLimits): DrawnLimits {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const ratio = devicePixelRatio || 1;
  const named = pens.filter((p) => p && p.limits.length > 0).length > 1;
  const drawn: { y: number; color: string; plain: string; pen: string; limit: Limit; tag: string }[] = [];
  for (const pen of pens) {
    if (!pen || pen.limits.length === 0) continue;
    const map = pixelMap(u, pen.scale);
    if (!map) continue;
    for (const l of pen.limits) {
      const y = Math.round(map.py(l.value)) + 0.5;
      if (y >= top && y <= top + height) drawn.push({ y, color: pen.color, plain: label(l, pen.tag, null), pen: pen.name, limit: l, tag: pen.tag });
    }
  }
  const lineHeight = 13 * ratio, lift = 2 * ratio, start = left + 4 * ratio;
  // Alike lines (like tanks: one pixel row, one condition and value) always share one label (limits.ts alikeLabels): their
  // labels want the same row, so apart they were a stack of near-copies pushed off their line. Sharing only when not all
  // fitted made the chart depend on the plot's height, which the language's text wrapping sets: 8 labels in English, 16 in ru/zh.
  const groups = alikeLabels(drawn);
  const lines = groups.map(({ line, pens: names }) => ({ y: line.y, color: line.color, rank: limitRank(line.limit.name), text: named ? label(line.limit, line.tag, names.join(', ')) : line.plain }));
  ctx.lineWidth = ratio;
  ctx.setLineDash([6 * ratio, 4 * ratio]);
  for (const l of drawn) {
    ctx.strokeStyle = l.color;
    ctx.beginPath();
    ctx.moveTo(left, l.y);
    ctx.lineTo(left + width, l.y);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.font = `${11 * ratio}px system-ui, sans-serif`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'bottom';
  const plan = planLimitLabels(lines.map((l) => l.y - lift - lineHeight), lines.map((l) => l.rank), lineHeight, lanesBottom, top + height);
  const halo = haloColor(u);
  const labels: LabelBox[] = [];
  const write = (text: string, x: number, base: number, color: string, bold = false) => {
    ctx.font = `${bold ? 'bold ' : ''}${11 * ratio}px system-ui, sans-serif`;
    // A halo of the plot's background first: the label stays readable where other lines cross it, and hides no more of them than its letters.
    ctx.lineWidth = 3 * ratio;
    ctx.lineJoin = 'round';
    ctx.strokeStyle = halo;
    ctx.strokeText(text, x, base);
    ctx.lineWidth = ratio;
    ctx.fillStyle = color;
    ctx.fillText(text, x, base);
    return { text, left: x / ratio, right: (x + ctx.measureText(text).width) / ratio, top: (base - lineHeight) / ratio, bottom: base / ratio };
  };
  lines.forEach((l, i) => {
    const labelTop = plan.top[i];
    if (labelTop == null) return;
    const base = labelTop + lineHeight;
    const moved = Math.abs(base - (l.y - lift)) > ratio;
    // A moved label stands back from the edge, a leader from its line's end to it.
    const x = moved ? start + 10 * ratio : start;
    if (moved) {
      ctx.strokeStyle = l.color;
      ctx.lineWidth = ratio;
      ctx.beginPath();
      ctx.moveTo(left, l.y);
      ctx.lineTo(x - 2 * ratio, base - lineHeight / 2);
      ctx.stroke();
    }
    labels.push(write(l.text, x, base, l.color));
  });
  const leftOut = plan.hidden.flatMap((i) => groups[i]!.members);
  const unlabelled = leftOut.map((m) => ({ tag: m.tag, limit: m.plain }));
  if (plan.more === null) return { labels, more: null, unlabelled };
  // Bold and dark, unlike any line's label: it stands for lines, it is none of them.
  const box = write(more(leftOut.length), start, plan.more + lineHeight, '#222', true);
  return { labels, more: { ...box, hidden: plan.hidden.map((i) => lines[i]!.text) }, unlabelled };
}
