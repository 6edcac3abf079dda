/**
 * The trend's data: history for the view, loaded once per view through the
 * plot read (raw samples where few are archived), and live samples appended
 * to it as they arrive, never refetching what is already drawn. An answer
 * overtaken by a newer view is dropped; live samples that arrive while
 * history loads are kept and appended after it.
 */
import type { LiveValue, TagVersionInfo } from '../../../shared/api.js';
import { MAX_PLOT_BUCKETS } from '../../../shared/api/history.js';
import { decodeSeries, type PlotData } from '../../../shared/history/decode.js';
import type { ApiClient } from '../api-client.js';
import { clearUnavailable, exactGapStarts, markUnavailable, traceFromPlot, traceFromRaw, type GapEdge } from './build.js';
import type { HeldRule } from './held.js';
import { LiveFold } from './live.js';
import { Trace } from './trace.js';

export interface PenData {
  tag: string;
  kind: 'analog' | 'discrete' | 'text';
  trace: Trace;
  /** The plot buckets the trace came from (readout of long ranges); null when raw. */
  plot: { data: PlotData; start: number } | null;
  versions: TagVersionInfo[];
  fold: LiveFold;
}

/**
 * Gap starts per pen read exactly on each load (a raw read each); later ones keep their bucket's
 * time, within a pixel column. The first bad sample is the first value after the last good one,
 * so a few values read find it.
 */
const MAX_EDGE_READS = 32, EDGE_READ_LIMIT = 16;

/** Samples per pixel column below which a tag is drawn from its raw samples. */
export const RAW_PER_COLUMN = 2;

/** What the console knows of each tag's live values, for the live samples appended (all optional). */
export interface LiveContext {
  /**
   * The tag's hold rule (held.ts heldRule of what its server granted and `archiveCycleMs`, the
   * archive's cyclic-record cycle of its current version), null when not known.
   */
  held?: (tag: string, archiveCycleMs: number) => HeldRule | null;
  /**
   * The tag's newest value the console holds (its live value), if any: where the archive does not
   * show it yet (its compressor holds it within the deviation) it is the history's last point, so a
   * value that held from it draws flat as the live samples after it do.
   */
  latest?: (tag: string) => LiveValue | undefined;
}

export class TrendData {
  readonly pens = new Map<string, PenData>();
  private generation = 0;
  private pending: LiveValue[] | null = null;
  /** ms per pixel column of the loaded view: the live samples' folding width. */
  private column = 0;
  /** The newest load's station answer (ms from request to reply) and trace building (ms). */
  timings = { answerMs: 0, buildMs: 0 };
  /** The load whose data is in place: `current` once it finished, an earlier one while it is under way. */
  loaded = 0;

  constructor(
    private readonly api: Pick<ApiClient, 'call'>,
    private readonly live: LiveContext = {},
  ) {}

  /**
   * Loads [start, end) for the tags at one bucket per pixel column. Resolves
   * true when this load is the newest (its data is in place), false when a
   * newer one overtook it.
   */
  async load(tags: readonly string[], start: number, end: number, columns: number): Promise<boolean> {
    const generation = ++this.generation;
    if (tags.length === 0) {
      this.pens.clear();
      this.loaded = generation;
      return true;
    }
    this.pending = [];
    const buckets = Math.max(1, Math.min(MAX_PLOT_BUCKETS, Math.round(columns)));
    const s = Math.floor(start), e = Math.ceil(end);
    const asked = performance.now();
    const result = await this.api.call('history.plot', { tags: [...tags], start: s, end: e, buckets, rawBelow: buckets * RAW_PER_COLUMN });
    if (generation !== this.generation) return false;
    const answered = performance.now();
    const built = result.series.map((series) => {
      const d = decodeSeries(series);
      const latest = d.versions[d.versions.length - 1]!;
      const stepped = d.kind !== 'analog' || latest.stepped;
      if (d.plot) clearUnavailable(d.plot, s, d.unavailable);
      const edges: GapEdge[] = [];
      const read = d.raw ? traceFromRaw(d.raw, s, d.before, d.after, stepped) : traceFromPlot(d.plot!, s, d.before, d.after, stepped, edges);
      return { d, read, edges };
    });
    // A gap's start is the archive's first bad sample whatever the zoom, not a bucket's guess.
    for (const b of built) await this.exactEdges(b.d.tag, b.read, b.edges);
    if (generation !== this.generation) return false;
    this.pens.clear();
    this.column = (e - s) / buckets;
    for (const { d, read } of built) {
      const trace = markUnavailable(read, d.unavailable);
      const tag = d.tag, held = this.live.held, cycleMs = d.versions.at(-1)!.cycleMs;
      const fold = new LiveFold(trace, s, this.column, held ? () => held(tag, cycleMs) : undefined, this.live.latest?.(tag)?.t);
      this.pens.set(d.tag, { tag: d.tag, kind: d.kind, trace, plot: d.plot ? { data: d.plot, start: s } : null, versions: d.versions, fold });
    }
    const waiting = this.pending;
    this.pending = null;
    if (waiting.length) this.append(waiting);
    // The seam of history and live: each tag's newest value after the archive's last point (it came
    // before this load, so no live batch brings it again) joins them; the next sample holds from it.
    const newest = [...this.pens.keys()].map((tag) => this.live.latest?.(tag)).filter((v): v is LiveValue => v !== undefined);
    if (newest.length) this.append(newest);
    this.loaded = generation;
    this.timings = { answerMs: answered - asked, buildMs: performance.now() - answered };
    return true;
  }

  /** Reads the first bad sample of each guessed gap start (the first MAX_EDGE_READS of a pen) and moves the gap there. */
  private async exactEdges(tag: string, tr: Trace, edges: readonly GapEdge[]): Promise<void> {
    const asked = edges.slice(0, MAX_EDGE_READS);
    const found = await Promise.all(asked.map(async (edge) => {
      const res = await this.api.call('history.raw', { tags: [tag], start: Math.floor(edge.after) + 1, end: Math.ceil(edge.to), limit: EDGE_READ_LIMIT });
      const raw = res.series[0] ? decodeSeries(res.series[0]).raw : undefined;
      if (!raw) return null;
      for (let i = 0; i < raw.n; i++) if (raw.status[i]! >>> 30 >= 2 && raw.t[i]! > edge.after) return { t: raw.t[i]!, status: raw.status[i]! };
      return null;
    }));
    exactGapStarts(tr, asked, (edge) => found[asked.indexOf(edge)] ?? null);
  }

  /** Live values onto the traces (kept for later while history loads); true when a trace changed. */
  append(batch: readonly LiveValue[]): boolean {
    if (this.pending) {
      for (const v of batch) if (this.pens.has(v.tag) || this.pending.length < 100_000) this.pending.push(v);
      return false;
    }
    let changed = false;
    for (const v of batch) {
      const pen = this.pens.get(v.tag);
      if (!pen || !pen.trace.open) continue;
      const n = typeof v.value === 'number' ? v.value : typeof v.value === 'boolean' ? +v.value : NaN;
      changed = pen.fold.append(v.t, n, v.status) || changed;
    }
    return changed;
  }

  /** Drops points scrolled out of a live window (keeping one before it). */
  trim(before: number): void {
    for (const pen of this.pens.values()) if (pen.trace.n > 4096) pen.fold.shifted(pen.trace.trimBefore(before));
  }

  /** The newest load, to tell a finished draw from an earlier one. */
  get current(): number {
    return this.generation;
  }
}
