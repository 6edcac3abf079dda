/**
 * Lines read from one stream between two cursors: the ones to send, and the
 * ones refused before sending (kept for the quarantine with their reason).
 * Parallel arrays, not objects: a drain builds millions of lines.
 */

export interface RefusedLine {
  /** The line as it would have been written (or the closest text to it). */
  line: string;
  reason: string;
  /** Sample or record time (ms). */
  t: number;
  /** What the line is about: a tag name, an alarm id, ... */
  key: string;
  /** The record itself as JSON (tag, t, value, status), for export; null when only the line is known. */
  record: string | null;
}

export class Lines {
  readonly text: string[] = [];
  readonly times: number[] = [];
  readonly keys: string[] = [];
  readonly refused: RefusedLine[] = [];

  push(line: string, t: number, key: string): void {
    this.text.push(line);
    this.times.push(t);
    this.keys.push(key);
  }

  refuse(r: RefusedLine): void {
    this.refused.push(r);
  }

  get count(): number {
    return this.text.length;
  }
}
