/**
 * Figures of the trend's own drawing, for the benchmark (bench/trends) and
 * anyone profiling: how long from a view change to the finished draw of its
 * data, and what each live frame costs. Kept in memory only, on
 * window.__vigilTrends.
 */
export interface TrendStats {
  /**
   * The last range change: ms from the change to the draw of its data, which load it was, and
   * where the time went: the station's answer (request to reply, transfer included) and the
   * traces built from it; the rest is waiting and drawing.
   */
  range: { ms: number; generation: number; at: number; answerMs: number; buildMs: number } | null;
  /** The last live frames: ms each (append + draw), newest last. */
  frames: number[];
  samples: number;
  /** Where the last draw put the plot area (CSS px within the chart's canvas) and which times it spans. */
  plot: { left: number; top: number; width: number; height: number; start: number; end: number } | null;
  /** Draws so far. */
  draws: number;
  /** The gap labels of the last draw, each with its box (CSS px within the chart's canvas). */
  gapLabels: { pen: string; word: string; text: string; left: number; right: number; top: number; bottom: number }[];
  /** The limit labels of the last draw with their boxes, the "+N limits" label (null: none) and the limits it stands for. */
  limitLabels: LabelBox[];
  moreLimits: (LabelBox & { hidden: string[] }) | null;
}

interface LabelBox {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const stats: TrendStats = { range: null, frames: [], samples: 0, plot: null, draws: 0, gapLabels: [], limitLabels: [], moreLimits: null };
(globalThis as { __vigilTrends?: TrendStats }).__vigilTrends = stats;

export const trendStats = {
  rangeDrawn(ms: number, generation: number, phases: { answerMs: number; buildMs: number }): void {
    stats.range = { ms, generation, at: Date.now(), ...phases };
  },
  drawn(plot: NonNullable<TrendStats['plot']>, gapLabels: TrendStats['gapLabels'] = [], limits: { labels: LabelBox[]; more: TrendStats['moreLimits'] } = { labels: [], more: null }): void {
    stats.plot = plot;
    stats.gapLabels = gapLabels;
    stats.limitLabels = limits.labels;
    stats.moreLimits = limits.more;
    stats.draws++;
  },
  liveFrame(ms: number, samples: number): void {
    stats.frames.push(ms);
    if (stats.frames.length > 600) stats.frames.splice(0, stats.frames.length - 600);
    stats.samples += samples;
  },
};
