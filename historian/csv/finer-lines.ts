/**
 * The lines of a file whose time has digits below the millisecond, so a duplicate's message can
 * say the archive keeps ms only when one of its two lines has such digits. Kept as runs of lines
 * in reading order: a file of µs times is one run, not a set of a million numbers.
 */
export class FinerLines {
  /** [first, last] pairs, ascending. */
  private readonly runs: number[] = [];
  private open = false;

  /** Every row whose time was read, in line order. */
  note(line: number, finer: boolean): void {
    if (finer) {
      if (this.open) this.runs[this.runs.length - 1] = line;
      else this.runs.push(line, line);
    }
    this.open = finer;
  }

  has(line: number): boolean {
    let lo = 0, hi = this.runs.length / 2; // the first run ending at or after line
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.runs[2 * mid + 1]! < line) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.runs.length / 2 && this.runs[2 * lo]! <= line;
  }
}
