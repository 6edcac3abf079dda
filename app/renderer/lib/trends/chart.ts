/**
 * The trend chart: uPlot with one axis per unit, every pen drawn from its own
 * trace (paths.ts), gap bands and marks (overlays.ts), and the gestures an
 * operator uses: drag to zoom, wheel to zoom about the pointer, Shift+drag
 * (or middle button) to pan, hover for the readout.
 */
import uPlot from 'uplot';
import type { Formats } from '../../../shared/i18n/format.js';
import { drawBands, drawMarks, type DrawnGapLabel, type DrawnLimits, type GapLabel, type GapZone, type Limit, type LimitLabel, type MoreLimits, type OverlayPen } from './overlays.js';
import { tracePaths } from './paths.js';
import { stateRange, stateSplits, valueRange } from './scales.js';
import { axisSize, valueTickLabels } from './axis-labels.js';
import type { Trace } from './trace.js';
import type { LaneWord } from './frozen-span.js';
import { axisTitle, pensWithoutAxis, scaleKeyOf, scaleKeys, shownAxisCount, STATE_SCALE, type AxislessPen } from './axis-groups.js';

export interface ChartPen {
  tag: string;
  /** The tag as its lane and limit labels name it (gaps.ts shortNames). */
  short: string;
  unit: string;
  /** A discrete tag: drawn on the 0/1 state axis. */
  discrete: boolean;
  color: string;
  dash?: number[];
  trace: Trace | null;
  liveUntil: number;
  /** A live window's frozen pen: since when its value stands frozen (frozen-span.ts chartFrozenSince); else null. */
  frozenSince: number | null;
  limits: Limit[];
  euRange: [number, number] | null;
}

export interface ChartEvents {
  /** A span was dragged out: zoom to it. */
  select(start: number, end: number): void;
  /** Wheel: zoom by factor about time `at`. */
  wheel(factor: number, at: number): void;
  /** Pan by dragging: the view moved by `ms` so far; done at the release. */
  pan(ms: number, done: boolean): void;
  /** The time under the pointer, null when it left. */
  cursor(t: number | null): void;
  /** After every draw. */
  drawn(): void;
}

export interface ChartOptions {
  showLimits: boolean;
  euScale: boolean;
  fmt: Formats;
  limitLabel: LimitLabel;
  /** The label of limit lines left without one for room: "+3 limits". */
  moreLimits: MoreLimits;
  /** A gap lane's label: "<pen>: bad quality", "<pen>: frozen". */
  gapLabel: GapLabel;
  /** A lane span's word alone ("frozen"): a narrow frozen span's label where "<pen>: frozen" does not fit (frozen-span.ts laneTexts). */
  laneWord?: (word: LaneWord) => string;
  /** The label of the state axis of discrete tags. */
  stateLabel: string;
}

/** One value axis per unit, one per pen without a unit; discrete tags share the state axis (0 / 1): axis-groups.ts. */
const STATE = STATE_SCALE;
const scaleOf = scaleKeyOf;

export class TrendChart {
  readonly u: uPlot;
  private pens: ChartPen[];
  private readonly scaleKeys: string[];
  private readonly off: (() => void)[] = [];
  /** The time a keyboard-placed cursor stays on while the view scrolls (live) or zooms; null once the pointer moves. */
  private pinnedT: number | null = null;
  /** Where the gap lanes end (device px), drawn before the limit labels that stay below them. */
  private lanesBottom = 0;
  /** The gap labels the last draw put in the lanes (CSS px within the canvas). */
  gapLabels: DrawnGapLabel[] = [];
  /** The lanes' gaps: a pointer over one is told its whole label (a label cut short or left out for room). */
  private gapZones: GapZone[] = [];
  /** The limit labels the last draw put on the plot, and those it had no room for. */
  limits: DrawnLimits = { labels: [], more: null, unlabelled: [] };
  /** How many value axes show (axis-groups.ts shownAxisCount at the width the chart was built at). */
  private readonly axesShown: number;

  constructor(
    el: HTMLElement,
    pens: ChartPen[],
    range: { start: number; end: number },
    private opts: ChartOptions,
    private readonly on: ChartEvents,
  ) {
    this.pens = pens;
    this.scaleKeys = scaleKeys(pens);
    const { width, height } = sizeOf(el);
    this.axesShown = shownAxisCount(width);
    this.u = new uPlot(this.options(width, height, range), this.data(range), el);
    this.gestures();
  }

  /** New traces or live state for the same pens (same tags, units and order). */
  update(pens: ChartPen[]): void {
    this.pens = pens;
  }

  setOptions(opts: ChartOptions): void {
    this.opts = opts;
    // uPlot reads an axis's label at each draw, but only from its own axis objects: a new language must reach them.
    for (const axis of this.u.axes) if (axis.scale === STATE) axis.label = opts.stateLabel;
    this.redraw();
  }

  setRange(start: number, end: number): void {
    this.u.setData(this.data({ start, end }), false);
    this.u.setScale('x', { min: start, max: end });
  }

  /** Redraw with the traces as they are now (live samples appended, history arrived). */
  redraw(): void {
    this.u.redraw(true, true);
  }

  resize(el: HTMLElement): void {
    this.u.setSize(sizeOf(el));
  }

  /** Puts the readout cursor at time t (keyboard); it stays on t as the view moves, until the pointer takes it. */
  cursorAt(t: number): void {
    this.pinnedT = t;
    this.u.setCursor({ left: this.u.valToPos(t, 'x'), top: this.u.bbox.height / (devicePixelRatio || 1) / 2 });
  }

  /** The pens drawn without an axis, with their scale's ends as last drawn (plot bottom, top). */
  withoutAxis(): AxislessPen<ChartPen>[] {
    return pensWithoutAxis(this.pens, this.axesShown, (key) => {
      const s = this.u.scales[key];
      return s && s.min != null && s.max != null ? [s.min, s.max] : null;
    });
  }

  destroy(): void {
    for (const f of this.off) f();
    this.u.destroy();
  }

  private data(range: { start: number; end: number }): uPlot.AlignedData {
    return [[range.start, range.end], ...this.pens.map(() => [null, null])] as uPlot.AlignedData;
  }

  private overlayPens(): OverlayPen[] {
    return this.pens.map((p) => ({ trace: p.trace, liveUntil: p.liveUntil, frozenSince: p.frozenSince, scale: scaleOf(p), color: p.color, dash: p.dash, name: p.short, tag: p.tag, limits: p.limits }));
  }

  private options(width: number, height: number, range: { start: number; end: number }): uPlot.Options {
    const fmt = () => this.opts.fmt;
    const scales: uPlot.Scales = { x: { time: true, auto: false, min: range.start, max: range.end } };
    for (const key of this.scaleKeys) {
      scales[key] =
        key === STATE
          ? { auto: false, range: (u) => stateRange(this.pens.filter((p) => p.discrete), u.scales.x!.min ?? range.start, u.scales.x!.max ?? range.end) }
          : {
              auto: true,
              range: (u) => {
                const mine = this.pens.filter((p) => scaleOf(p) === key);
                return valueRange(mine, u.scales.x!.min ?? range.start, u.scales.x!.max ?? range.end, { limits: this.opts.showLimits, eu: this.opts.euScale });
              },
            };
    }
    const axes: uPlot.Axis[] = [
      {
        stroke: '#333',
        grid: { stroke: '#c4c4c4', width: 1 },
        ticks: { stroke: '#999' },
        space: 80,
        size: 46,
        values: (_u, splits, _ai, _space, incr) => timeLabels(fmt(), splits, incr),
      },
      ...this.scaleKeys.map((key, i): uPlot.Axis => {
        const first = this.pens.find((p) => scaleOf(p) === key)!;
        const axis: uPlot.Axis = {
          scale: key,
          // Past the axes that fit, a scale draws without one (its pens read in the readout).
          show: i < this.axesShown,
          label: axisTitle(first, this.opts.stateLabel),
          labelSize: 18,
          side: i % 2 === 0 ? 3 : 1,
          stroke: first.color,
          grid: { show: i === 0, stroke: '#c4c4c4', width: 1 },
          ticks: { stroke: '#999' },
          // As wide as its labels (1.2345675E12, -1 234 567), so none loses its leading digits.
          size: (u, values, ai, cycle) => measuredSize(u, values, ai, cycle, 56),
          values: (_u, splits, _ai, _space, incr) => valueTickLabels(fmt(), splits, incr),
        };
        if (key === STATE) {
          axis.splits = (_u, _ai, min, max) => stateSplits(min, max);
          axis.values = (_u, splits) => splits.map((v) => fmt().number(v, 0));
          axis.size = (u, values, ai, cycle) => measuredSize(u, values, ai, cycle, 40);
        }
        return axis;
      }),
    ];
    const state = (si: number) => this.pens[si - 1] ?? null;
    return {
      width,
      height,
      ms: 1,
      legend: { show: false },
      // Without an axis on the right, room for half a date label: the last tick's date sat cut at the edge.
      padding: [null, (u, _side, sides) => (sides[1] ? 0 : datePadding(u, fmt().date(u.scales.x!.max ?? range.end))), null, null],
      cursor: {
        drag: { x: true, y: false, setScale: false },
        points: { show: false },
        y: false,
        // uPlot keeps the cursor's pixel when the scale moves: a live view would slide the readout's time forward.
        move: (u, left, top) => (this.pinnedT === null ? [left, top] : [pinnedLeft(u, this.pinnedT), top]),
      },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      scales,
      axes,
      series: [
        {},
        ...this.pens.map((p): uPlot.Series => ({
          label: p.tag,
          scale: scaleOf(p),
          stroke: p.color,
          dash: p.dash,
          width: 2,
          points: { show: false },
          paths: tracePaths(state),
        })),
      ],
      hooks: {
        drawClear: [
          (u) => {
            const lanes = drawBands(u, this.overlayPens(), Date.now(), this.opts.gapLabel, this.opts.laneWord);
            this.lanesBottom = lanes.bottom;
            this.gapLabels = lanes.labels;
            this.gapZones = lanes.zones;
          },
        ],
        draw: [
          (u) => {
            this.limits = drawMarks(u, this.overlayPens(), this.opts.showLimits, this.opts.limitLabel, this.lanesBottom, this.opts.moreLimits);
            this.on.drawn();
          },
        ],
        setSelect: [
          (u) => {
            const { left, width } = u.select;
            if (width >= 4) this.on.select(u.posToVal(left, 'x'), u.posToVal(left + width, 'x'));
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
        setCursor: [
          (u) => {
            const left = u.cursor.left ?? -1;
            this.on.cursor(left < 0 ? null : u.posToVal(left, 'x'));
            this.gapTitle(left, u.cursor.top ?? -1);
          },
        ],
      },
    };
  }

  /** Over a gap in its lane, the plot's tooltip is the gap's whole label; over "+N limits", the labels it stands for; elsewhere none. */
  private gapTitle(left: number, top: number): void {
    const r = devicePixelRatio || 1, x = left + this.u.bbox.left / r, y = top + this.u.bbox.top / r;
    const over = (z: { left: number; right: number; top: number; bottom: number }) => x >= z.left && x <= z.right && y >= z.top && y < z.bottom;
    const zone = left < 0 ? undefined : this.gapZones.find(over);
    const more = left >= 0 && this.limits.more && over(this.limits.more) ? this.limits.more.hidden.join('\n') : undefined;
    const title = zone?.text ?? more ?? '';
    if (this.u.over.title !== title) this.u.over.title = title;
  }

  private gestures(): void {
    const over = this.u.over;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const at = this.u.posToVal(e.offsetX, 'x');
      this.on.wheel(e.deltaY > 0 ? 1.25 : 0.8, at);
    };
    // Pan: Shift+drag or the middle button. Caught before uPlot sees the press (it would start a zoom).
    const onDown = (e: MouseEvent) => {
      if (!(e.shiftKey && e.button === 0) && e.button !== 1) return;
      e.preventDefault();
      e.stopPropagation();
      const x0 = e.clientX;
      const msPerPx = () => ((this.u.scales.x!.max ?? 0) - (this.u.scales.x!.min ?? 0)) / Math.max(1, over.clientWidth);
      const perPx = msPerPx();
      const move = (m: MouseEvent) => this.on.pan(-(m.clientX - x0) * perPx, false);
      const up = (m: MouseEvent) => {
        removeEventListener('mousemove', move);
        removeEventListener('mouseup', up);
        this.on.pan(-(m.clientX - x0) * perPx, true);
      };
      addEventListener('mousemove', move);
      addEventListener('mouseup', up);
    };
    // Captured on the root so the pin is gone before uPlot's own handler on `over` places the cursor.
    const onPointer = () => (this.pinnedT = null);
    over.addEventListener('wheel', onWheel, { passive: false });
    this.u.root.addEventListener('mousedown', onDown, { capture: true });
    this.u.root.addEventListener('mousemove', onPointer, { capture: true });
    this.off.push(
      () => over.removeEventListener('wheel', onWheel),
      () => this.u.root.removeEventListener('mousedown', onDown, { capture: true }),
      () => this.u.root.removeEventListener('mousemove', onPointer, { capture: true }),
    );
  }
}

/** The pixel of a pinned time; off the plot (hidden) once the view has left it. */
function pinnedLeft(u: uPlot, t: number): number {
  const min = u.scales.x!.min ?? 0;
  const max = u.scales.x!.max ?? 0;
  return t < min || t > max ? -10 : u.valToPos(t, 'x');
}

/** uPlot's axis after init: its font as [css font, device px, css px], its last size. */
interface SizedAxis {
  font?: [string, number, number];
  ticks?: { size?: number };
  gap?: number;
  _size?: number;
}

/** The width the axis's tick labels need, measured in its own font. */
function measuredSize(u: uPlot, values: string[] | null, ai: number, cycle: number, least: number): number {
  const axis = u.axes[ai] as unknown as SizedAxis;
  // uPlot sizes the axes again until they settle; the labels may change with the size, so stop after two rounds.
  if (cycle > 1 && axis._size !== undefined) return axis._size;
  if (!values || !axis.font) return least;
  u.ctx.font = axis.font[0];
  const widths = values.map((v) => u.ctx.measureText(v).width / uPlot.pxRatio);
  return axisSize(widths, axis.ticks?.size ?? 10, axis.gap ?? 5, least);
}

/** Half a date label's width (uPlot centres tick labels on the tick), and a few px; uPlot's own 25 at least. */
function datePadding(u: uPlot, label: string): number {
  const axis = u.axes[0] as unknown as SizedAxis;
  if (!axis.font) return 25;
  u.ctx.font = axis.font[0];
  return Math.max(25, Math.ceil(u.ctx.measureText(label).width / uPlot.pxRatio / 2) + 4);
}

function sizeOf(el: HTMLElement): { width: number; height: number } {
  return { width: Math.max(200, el.clientWidth), height: Math.max(160, el.clientHeight) };
}

/** Time axis labels: seconds when ticks are seconds apart, hours:minutes, then dates; a date where the day changes. */
function timeLabels(fmt: Formats, splits: number[], incr: number): string[] {
  let lastDay = '';
  return splits.map((t) => {
    if (incr >= 86_400_000) return fmt.date(t);
    const day = fmt.date(t);
    const time = incr < 60_000 ? fmt.time(t) : fmt.clock(t);
    const label = day !== lastDay ? `${time}\n${day}` : time;
    lastDay = day;
    return label;
  });
}
