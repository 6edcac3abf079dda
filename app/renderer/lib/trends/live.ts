/**
 * Live samples onto a trace, at the trace's resolution: samples that fall in
 * the same pixel column as the last ones are folded into it (first, min, max,
 * last), so a 24-hour window keeps about four points per column however fast
 * values arrive. A sample not newer than the trace's last point is already
 * there (history covers it) and is skipped.
 */
import { pushSample } from './build.js';
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

  constructor(
    readonly trace: Trace,
    /** Time of a column boundary (ms) and a column's width (ms): the view's resolution. */
    private readonly origin: number,
    private readonly width: number,
  ) {}

  /** True when the trace changed. */
  append(t: number, value: number, status: number): boolean {
    const tr = this.trace;
    if (!(t > tr.lastT)) return false;
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
