/**
 * Lines read from one stream between two cursors: the ones to send, and the
 * ones refused before sending (kept for the quarantine with their reason).
 *
 * The lines are kept as the bytes they are sent as, each ending in '\n', one
 * buffer for the batch: a request body is a slice of it, a line's size is two
 * offsets apart, and a sample's line is written from cached byte pieces with
 * no string per line (a steady 10k samples/s builds and drops no strings).
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

const NEWLINE = 10;

/** The decimal digits of a safe integer at b[o..]; returns the offset after them (String() costs 3x as much). */
function writeInteger(b: Buffer, o: number, x: number): number {
  if (x < 0) {
    b[o++] = 45; // '-'
    x = -x;
  }
  let digits = 1;
  for (let p = 10; p <= x; p *= 10) digits++;
  const end = o + digits;
  for (let k = end - 1; k >= o; k--) {
    const q = Math.floor(x / 10);
    b[k] = 48 + (x - q * 10);
    x = q;
  }
  return end;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/**
 * The fewest decimals k (0-9) such that value = m / 10^k for a safe integer m,
 * exactly as doubles compute it (so "m with k decimals" parses back to value);
 * -1 when there is none. -0 has none (its text keeps no sign in digits).
 */
export function decimalsOf(value: number): number {
  if (Object.is(value, -0)) return -1;
  for (let k = 0; k < POW10.length; k++) {
    const m = value * POW10[k]!;
    if (Number.isInteger(m)) return Number.isSafeInteger(m) && m / POW10[k]! === value ? k : -1;
  }
  return -1;
}

/** m / 10^k in decimal digits ("-0.05" for -5, 2) at b[o..]; returns the offset after them. */
function writeDecimal(b: Buffer, o: number, m: number, k: number): number {
  if (m < 0) {
    b[o++] = 45; // '-'
    m = -m;
  }
  if (k === 0) return writeInteger(b, o, m);
  let digits = 1;
  for (let p = 10; p <= m; p *= 10) digits++;
  if (digits <= k) {
    b[o++] = 48; // "0." and the zeros after the point
    b[o++] = 46;
    for (let z = digits; z < k; z++) b[o++] = 48;
    return writeInteger(b, o, m);
  }
  const end = o + digits + 1, point = end - 1 - k;
  for (let p = end - 1; p >= o; p--) {
    if (p === point) {
      b[p] = 46; // '.'
      continue;
    }
    const q = Math.floor(m / 10);
    b[p] = 48 + (m - q * 10);
    m = q;
  }
  return end;
}

export class Lines {
  readonly times: number[] = [];
  readonly keys: string[] = [];
  readonly refused: RefusedLine[] = [];
  private buf = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  /** ends[i]: the offset just after line i's newline. */
  private ends = new Uint32Array(256);
  private n = 0;

  /** Appends a line (without its newline). */
  push(line: string, t: number, key: string): void {
    this.room(line.length * 3 + 1);
    this.used += this.buf.write(line, this.used, 'utf8');
    this.end(t, key);
  }

  /**
   * Appends `head` + `value` + `middle` + `time` as one line: head and middle
   * are cached bytes, value ASCII (a number's text), time a safe integer.
   */
  pushParts(head: Buffer, value: string, middle: Buffer, time: number, key: string): void {
    if (!Number.isSafeInteger(time)) throw new Error(`line time ${time} is not an integer`);
    this.room(head.length + value.length + middle.length + 18);
    const b = this.buf;
    let o = this.used;
    b.set(head, o);
    o += head.length;
    for (let k = 0; k < value.length; k++) b[o++] = value.charCodeAt(k);
    b.set(middle, o);
    this.used = writeInteger(b, o + middle.length, time);
    this.end(time, key);
  }

  /**
   * Appends `head` + the text of a finite number + `middle` + `time` as one
   * line. A value with up to 9 decimals (what instruments and scaled PLC
   * counts give) is written as its digits; others as String() writes them.
   */
  pushNumber(head: Buffer, value: number, middle: Buffer, time: number, key: string): void {
    const k = decimalsOf(value);
    if (k < 0) {
      this.pushParts(head, String(value), middle, time, key);
      return;
    }
    if (!Number.isSafeInteger(time)) throw new Error(`line time ${time} is not an integer`);
    this.room(head.length + middle.length + 18 + 19);
    const b = this.buf;
    let o = this.used;
    b.set(head, o);
    o = writeDecimal(b, o + head.length, value * POW10[k]!, k);
    b.set(middle, o);
    this.used = writeInteger(b, o + middle.length, time);
    this.end(time, key);
  }

  get count(): number {
    return this.n;
  }

  /** Line i as text (without its newline). */
  line(i: number): string {
    return this.buf.toString('utf8', this.start(i), this.ends[i]! - 1);
  }

  /** Every line as text (tests, tools). */
  get text(): string[] {
    return Array.from({ length: this.n }, (_, i) => this.line(i));
  }

  /** Bytes of line i with its newline. */
  size(i: number): number {
    return this.ends[i]! - this.start(i);
  }

  /** Lines [a, b) as one newline-terminated body (a view: valid while the lines live). */
  bytes(a: number, b: number): Buffer {
    return b > a ? this.buf.subarray(this.start(a), this.ends[b - 1]!) : Buffer.alloc(0);
  }

  private start(i: number): number {
    return i === 0 ? 0 : this.ends[i - 1]!;
  }

  private end(t: number, key: string): void {
    this.buf[this.used++] = NEWLINE;
    if (this.n === this.ends.length) {
      const e = new Uint32Array(this.n * 2);
      e.set(this.ends);
      this.ends = e;
    }
    this.ends[this.n++] = this.used;
    this.times.push(t);
    this.keys.push(key);
  }

  private room(bytes: number): void {
    if (this.buf.length - this.used >= bytes) return;
    // x4: a 5,000-line batch (~550 KB) grows twice from 64 KB, copying 320 KB, not ~1 MB.
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 4, this.used + bytes));
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }

  refuse(r: RefusedLine): void {
    this.refused.push(r);
  }
}
