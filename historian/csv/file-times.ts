/**
 * Per tag, the times (and lines) a file archived as read has archived so far, so that a row
 * with a tag and time an earlier row of the same file had is rejected as its duplicate however
 * far back it lies: the late path must not let it replace the earlier row's value.
 *
 * Bounded memory: the rows a tag archives in time order are kept as runs of evenly spaced times
 * and lines (a file sampled at a fixed period is a handful of runs per tag, whatever its length);
 * rows the late path archived are kept one by one. Past `maxEntries` (irregular times) nothing more
 * is recorded and has() answers 'unknown' for a time it cannot rule out.
 */

interface Run {
  t0: number;
  dt: number;
  line0: number;
  dl: number;
  n: number;
}

interface TagTimes {
  /** Runs in time order, times strictly increasing across them. */
  runs: Run[];
  /** Rows archived behind the tag's newest (late path): time → line. */
  late: Map<number, number>;
}

/** Where a time was given before: its line, 'unknown' (past the bound, cannot be ruled out), or undefined (not in this file). */
export type EarlierLine = number | 'unknown' | undefined;

export class FileTimes {
  private readonly tags = new Map<string, TagTimes>();
  private entries = 0;
  private full = false;

  constructor(private readonly maxEntries: number) {}

  /** Rows appended in time order after everything recorded for the tag. */
  addInOrder(tag: string, times: readonly { t: number }[], lines: readonly number[], from = 0): void {
    const tt = this.of(tag);
    for (let i = from; i < times.length; i++) {
      const t = times[i]!.t, line = lines[i]!;
      const run = tt.runs[tt.runs.length - 1];
      if (run && run.n === 1 && t > run.t0) {
        run.dt = t - run.t0;
        run.dl = line - run.line0;
        run.n = 2;
        continue;
      }
      if (run && run.n > 1 && t === run.t0 + run.dt * run.n && line === run.line0 + run.dl * run.n) {
        run.n++;
        continue;
      }
      if (!this.room()) return;
      tt.runs.push({ t0: t, dt: 0, line0: line, dl: 0, n: 1 });
    }
  }

  /** A row archived through the late path (behind the tag's newest). */
  addLate(tag: string, t: number, line: number): void {
    if (!this.room()) return;
    this.of(tag).late.set(t, line);
  }

  has(tag: string, t: number): EarlierLine {
    const tt = this.tags.get(tag);
    const found = tt ? (tt.late.get(t) ?? inRuns(tt.runs, t)) : undefined;
    if (found !== undefined) return found;
    return this.full ? 'unknown' : undefined;
  }

  private room(): boolean {
    if (this.entries >= this.maxEntries) {
      this.full = true;
      return false;
    }
    this.entries++;
    return true;
  }

  private of(tag: string): TagTimes {
    let tt = this.tags.get(tag);
    if (tt === undefined) this.tags.set(tag, (tt = { runs: [], late: new Map() }));
    return tt;
  }
}

/** The line of the run holding t, or undefined. */
function inRuns(runs: readonly Run[], t: number): number | undefined {
  let lo = 0, hi = runs.length; // last run with t0 <= t
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (runs[mid]!.t0 <= t) lo = mid + 1;
    else hi = mid;
  }
  const run = runs[lo - 1];
  if (run === undefined) return undefined;
  if (run.n === 1) return run.t0 === t ? run.line0 : undefined;
  const k = (t - run.t0) / run.dt;
  return Number.isInteger(k) && k < run.n ? run.line0 + run.dl * k : undefined;
}
