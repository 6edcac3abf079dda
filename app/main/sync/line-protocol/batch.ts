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
  /** UTF-8 bytes of text, each with its newline. */
  bytes = 0;

  push(line: string, t: number, key: string): void {
    this.text.push(line);
    this.times.push(t);
    this.keys.push(key);
    this.bytes += utf8Length(line) + 1;
  }

  refuse(r: RefusedLine): void {
    this.refused.push(r);
  }

  get count(): number {
    return this.text.length;
  }
}

/** UTF-8 length without allocating (ASCII fast path). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 2; i++; } // surrogate pair: 4 bytes for 2 code units
    else n += 2;
  }
  return n;
}
