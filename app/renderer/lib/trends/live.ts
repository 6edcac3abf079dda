/**
 * Live samples onto a trace, at the trace's resolution: samples that fall in
 * the same pixel column as the last ones are folded into it (first, min, max,
 * last), so a 24-hour window keeps about four points per column however fast
 * values arrive. A sample not newer than the trace's last point is already
 * there (history covers it) and is skipped. A value that held (no sample for longer than the tag's
 * update interval allows) stands again just before the next sample, as the archive keeps it
 * (held.ts): flat, then the move, not one slope across the silence.
 */
import { pushSample } from './build.js';
import { HELD_AFTER_MIN_MS, type HeldRule } from './held.js';
import { isGap, Kind, kindOf, type Trace } from './trace.js';

export class LiveFold {
  private bucket = NaN;
  private from = 0;
  private kind: Kind = Kind.Good;
  private status = 0;
  private t0 = 0;
  private first = 0;
  private min = 0;
  private max = 0;
  private t1 = 0;
  private last = 0;
  /**
   * Time of the tag's newest sample received, when the trace's last point is it (-Infinity: not
   * known; a history point may be an older archived one, the samples after it not archived or
   * not yet committed: no hold is drawn from it).
   */
  private newest = -Infinity;

  constructor(
    readonly trace: Trace,
    /** Time of a column boundary (ms) and a column's width (ms): the view's resolution. */
    private readonly origin: number,
    private readonly width: number,
    /** The tag's hold rule now (held.ts; it may become known later), null: none. */
    private readonly held: () => HeldRule | null = () => null,
    /** The tag's newest sample's time when the history was loaded: the trace's last point if they match. */
    latest = -Infinity,
  ) {
    if (trace.n > 0 && latest === trace.lastT) this.newest = latest;
  }

  /** True when the trace changed. */
  append(t: number, value: number, status: number): boolean {
    const tr = this.trace;
    if (!(t > tr.lastT)) return false;
    // The archive's cyclic record: the previous value one cycle before the new sample (not after a bad one: a gap holds anyway).
    // The rule is looked up only after a silence that could be one (afterMs is at least HELD_AFTER_MIN_MS).
    const gap = t - tr.lastT;
    const rule = !tr.stepped && this.newest === tr.lastT && gap > HELD_AFTER_MIN_MS && !isGap(tr.lastKind) ? this.held() : null;
    if (rule && gap > rule.afterMs) {
      const i = tr.n - 1;
      this.fold(t - rule.cycleMs, tr.v[i]!, tr.status[i]!);
    }
    const changed = this.fold(t, value, status);
    this.newest = tr.lastT === t ? t : -Infinity;
    return changed;
  }

  private fold(t: number, value: number, status: number): boolean {
    const tr = this.trace;
    const k = kindOf(status, value);
    if (isGap(k)) {
      this.bucket = NaN;
      const n = tr.n;
      pushSample(tr, t, value, status);
      return tr.n !== n;
    }
    const b = this.width > 0 ? Math.floor((t - this.origin) / this.width) : t;
    if (b === this.bucket && k === this.kind && status === this.status && tr.n > this.from) {
      if (value < this.min) this.min = value;
      if (value > this.max) this.max = value;
      this.t1 = t;
      this.last = value;
      this.rewrite();
      return true;
    }
    this.bucket = b;
    this.kind = k;
    this.status = status;
    this.from = tr.n;
    this.t0 = this.t1 = t;
    this.first = this.min = this.max = this.last = value;
    tr.push(t, value, k, status);
    return true;
  }

  /** The trace lost `count` points at its start (trimmed): the open column moved with them. */
  shifted(count: number): void {
    this.from -= count;
    if (this.from < 0) this.bucket = NaN; // the column itself was trimmed: start a fresh one
  }

  /** The open column's points again: first, the extremes between, last. */
  private rewrite(): void {
    const tr = this.trace;
    tr.truncate(this.from);
    tr.push(this.t0, this.first, this.kind, this.status);
    const lo = Math.min(this.first, this.last), hi = Math.max(this.first, this.last);
    const third = (this.t1 - this.t0) / 3;
    const extremes = this.first <= this.last ? [this.min, this.max] : [this.max, this.min];
    let at = this.t0;
    for (const x of extremes) {
      at += third;
      if (x < lo || x > hi) tr.push(at, x, this.kind, this.status);
    }
    if (this.t1 > this.t0) tr.push(this.t1, this.last, this.kind, this.status);
  }
}
