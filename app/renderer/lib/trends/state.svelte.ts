/**
 * The operator's trend: pens, the view and its back/forward history, display
 * options. Kept while they visit other pages; a link (#/trends?...) or a
 * saved group replaces it.
 */
import type { TagInfo, TrendRange } from '../../../shared/api.js';
import { MAX_PENS } from '../trend-pens.js';
import { quick, ViewHistory, type View } from './view.js';

const DEFAULT_VIEW: View = { mode: 'live', windowMs: 600_000 };

class TrendState {
  pens = $state<string[]>([]);
  view = $state<View>(DEFAULT_VIEW);
  canBack = $state(false);
  canForward = $state(false);
  showLimits = $state(true);
  euScale = $state(false);
  /** The quick range last chosen (highlighted while the view is that range). */
  quick = $state<string | null>(null);
  private history = new ViewHistory(DEFAULT_VIEW);
  private seeded = false;

  /** First visit without a link: the level of each tank (up to 4), the values an operator watches first. */
  seed(tags: readonly TagInfo[]): void {
    if (this.seeded || tags.length === 0) return;
    this.seeded = true;
    if (this.pens.length === 0) this.pens = tags.filter((t) => t.role === 'level').slice(0, 4).map((t) => t.name);
  }

  setPens(names: readonly string[]): void {
    this.seeded = true;
    this.pens = [...new Set(names)].slice(0, MAX_PENS);
  }

  toggle(name: string): void {
    this.seeded = true;
    if (this.pens.includes(name)) this.pens = this.pens.filter((n) => n !== name);
    else if (this.pens.length < MAX_PENS) this.pens = [...this.pens, name];
  }

  go(v: View, quickName: string | null = null): void {
    this.view = this.history.go(v);
    this.quick = quickName;
    this.sync();
  }

  back(): void {
    this.view = this.history.back();
    this.quick = null;
    this.sync();
  }

  forward(): void {
    this.view = this.history.forward();
    this.quick = null;
    this.sync();
  }

  /** A saved range as a view now. */
  open(range: TrendRange, now = Date.now()): void {
    if (range.mode === 'live') this.go({ mode: 'live', windowMs: range.windowMs });
    else if (range.mode === 'last') this.go(quick(range.range, now), range.range);
    else this.go({ mode: 'history', start: range.start, end: range.end });
  }

  /** The view as a range to save: a quick range stays "the last 8 h", a zoom is saved as its times. */
  toRange(): TrendRange {
    const v = this.view;
    if (v.mode === 'live') return { mode: 'live', windowMs: v.windowMs };
    if (this.quick) return { mode: 'last', range: this.quick as Extract<TrendRange, { mode: 'last' }>['range'] };
    return { mode: 'fixed', start: v.start, end: v.end };
  }

  private sync(): void {
    this.canBack = this.history.canBack;
    this.canForward = this.history.canForward;
  }
}

export const trendState = new TrendState();
