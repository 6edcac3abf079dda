/**
 * Lines read from one stream between two cursors: the ones to send, and the
 * ones refused before sending (kept for the quarantine with their reason).
 *
 * The lines are kept as the bytes they are sent as, each ending in '\n', one
 * buffer for the batch: a request body is a slice of it, a line's size is two
 * offsets apart, and a sample's line is written from cached byte pieces with
 * no string per line (only a value of more than 9 decimals goes through String()).
 */
import { createHash } from 'node:crypto';
import { writeNumber } from '../../../../historian/csv/number-text.js';
import type { SyncText } from '../../../shared/sync-text.js';

export interface RefusedLine {
  /** The line as it would have been written (or the closest text to it). */
  line: string;
  /** Why, in English (the log, the CLI, the export). */
  reason: string;
  /** The same as a catalog message, where the station words it (absent: another party's own words, kept as they are). */
  said?: SyncText;
  /** Sample or record time (ms). */
  t: number;
  /** What the line is about: a tag name, an alarm id, ... */
  key: string;
  /** The record itself as JSON (tag, t, value, status), for export; null when only the line is known. */
  record: string | null;
}

const NEWLINE = 10;

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
   * Appends `head` + a finite number's text + `middle` + `time` as one line: head and
   * middle are cached bytes; the number and the time are written as String() writes them
   * (historian/csv/number-text.ts), straight into the buffer.
   */
  pushNumber(head: Buffer, value: number, middle: Buffer, time: number, key: string): void {
    if (!Number.isSafeInteger(time)) throw new Error(`line time ${time} is not an integer`);
    this.room(head.length + middle.length + 64);
    const b = this.buf;
    b.set(head, this.used);
    const o = writeNumber(b, this.used + head.length, value);
    b.set(middle, o);
    this.used = writeNumber(b, o + middle.length, time);
    this.end(time, key);
  }

  get count(): number {
    return this.n;
  }

  /** Line i as text (without its newline). */
  line(i: number): string {
    return this.buf.toString('utf8', this.start(i), this.ends[i]! - 1);
  }

  /**
   * What the lines are, in a few bytes (SHA-1 of their bytes and of the refused ones' lines):
   * a batch read again after a restart is the same batch only if this is the same.
   */
  digest(): string {
    const h = createHash('sha1').update(this.buf.subarray(0, this.used));
    for (const r of this.refused) h.update(`\0${r.line}`);
    return h.digest('base64');
  }

  /**
   * What line i is, as a 53-bit number (cyrb53 of its bytes): two lines of the same series and
   * time with the same digest are the same line, but for a chance of 2^-53.
   */
  lineDigest(i: number): number {
    const b = this.buf, end = this.ends[i]! - 1;
    let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
    for (let k = this.start(i); k < end; k++) {
      const c = b[k]!;
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return 4294967296 * (2097151 & h2) + (h1 >>> 0);
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
