/**
 * Long export rows (ExportLines' text, byte for byte) written straight into a byte chunk from
 * raw columns (readRawColumns): no row object and no string per row. The time up to the
 * minute, the tag, the unit and the status text are made once and copied; seconds,
 * milliseconds and the value's digits are written as bytes (number-text.ts). Text values and
 * times outside the fast path go through ExportLines' own functions.
 */
import { isBad } from '../status.js';
import type { RawSeries } from '../read/types.js';
import { RAW_BOOLEAN } from '../read/types.js';
import { writeCsvNumber } from './number-text.js';
import { CRLF, csvField, flagNames, textValueField, type TimeOffset, TimeText } from './write.js';
import { statusHex, statusName } from './status-text.js';
import { formatTime } from './time.js';

/** Room kept free at the end of a chunk for one more row without a text value. */
const SLACK = 1024;
const latin1 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const utf8 = new TextEncoder();

export class RawRowWriter {
  /** A plain Uint8Array (not a Buffer): the per-byte writes stay on one element kind. */
  private buf: Uint8Array;
  /** Bytes written into the current chunk. */
  at = 0;
  private readonly time: TimeText;
  private minute = NaN;
  private head: Uint8Array = new Uint8Array(0);
  private tail: Uint8Array = new Uint8Array(0);
  private readonly texts = new Map<string, Uint8Array>();
  private readonly statuses = new Map<number, Uint8Array>();
  private lastKey = -1;
  private lastStatus: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly offset: TimeOffset,
    private readonly guard: (text: string) => string,
    private readonly size = 1 << 18,
  ) {
    this.time = new TimeText(offset);
    this.buf = new Uint8Array(size);
  }

  /** The chunk is full enough to hand on. */
  get full(): boolean { return this.at > this.size - SLACK; }

  /** The bytes written so far (a chunk of their own); the next rows go to a new chunk. */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.at);
    this.buf = new Uint8Array(this.size);
    this.at = 0;
    return out;
  }

  /**
   * Rows i = from.. of a tag's columns until `to` or the chunk is full; returns the index of
   * the first row not written. `unit` is the tag's unit at the row's time.
   */
  rows(s: RawSeries, from: number, to: number, unit: (t: number) => string): number {
    const tag = this.field(s.tag, ',', ',');
    let unitText = '', unitBytes: Uint8Array = this.field('', ',', ',');
    let i = from;
    for (; i < to && !this.full; i++) {
      const t = s.t[i]!, st = s.status[i]!, flags = s.flags[i]!, v = s.value[i]!;
      this.writeTime(t);
      this.put(tag);
      if (isBad(st) || (v !== v && s.text === null)) { /* no usable value: an empty cell */ }
      else if (s.text !== null) this.putText(textValueField(this.guard(s.text[i]!))); // "" for an empty text
      else if (flags & RAW_BOOLEAN) this.put(v === 1 ? TRUE : FALSE);
      else this.at = writeCsvNumber(this.buf, this.at, v); // -0 as "-0", as ExportLines writes it
      const u = unit(t);
      if (u !== unitText) unitBytes = this.field((unitText = u), ',', ',');
      this.put(unitBytes);
      this.put(this.status(st, flags & 0xff));
    }
    return i;
  }

  /** Short copies by hand: Buffer#copy costs more than the few bytes it moves. */
  private put(b: Uint8Array): void {
    const out = this.buf, n = b.length;
    let at = this.at;
    for (let k = 0; k < n; k++) out[at++] = b[k]!;
    this.at = at;
  }

  /** A text value: the chunk grows for one that does not fit. */
  private putText(text: string): void {
    const n = Buffer.byteLength(text, 'utf8');
    if (this.at + n + SLACK > this.buf.length) {
      const bigger = new Uint8Array(this.at + n + 2 * SLACK);
      bigger.set(this.buf.subarray(0, this.at));
      this.buf = bigger;
    }
    this.at += utf8.encodeInto(text, this.buf.subarray(this.at)).written;
  }

  /** A tag or unit as a guarded, quoted field between its separators (made once). */
  private field(text: string, before: string, after: string): Uint8Array {
    let b = this.texts.get(text);
    if (b === undefined) {
      b = utf8.encode(`${before}${csvField(this.guard(text))}${after}`);
      if (this.texts.size > 10_000) this.texts.clear();
      this.texts.set(text, b);
    }
    return b;
  }

  private status(status: number, flags: number): Uint8Array {
    const key = status * 256 + flags;
    if (key === this.lastKey) return this.lastStatus;
    let b = this.statuses.get(key);
    if (b === undefined) {
      b = latin1(`${statusName(status)},${statusHex(status)},${flagNames(flags)}${CRLF}`);
      this.statuses.set(key, b);
    }
    this.lastKey = key;
    return (this.lastStatus = b);
  }

  /** YYYY-MM-DDThh:mm:ss.fff with its offset, as TimeText writes it. */
  private writeTime(t: number): void {
    if (!Number.isInteger(t) || t < -62_135_596_800_000 || t >= 253_402_300_740_000) {
      this.at += utf8.encodeInto(this.time.format(t), this.buf.subarray(this.at)).written; // ASCII
      return;
    }
    const minute = Math.floor(t / 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      const start = minute * 60_000;
      const text = formatTime(start, typeof this.offset === 'number' ? this.offset : this.offset(start));
      this.head = latin1(text.slice(0, 17));
      this.tail = latin1(text.slice(23));
    }
    this.put(this.head);
    const ms = t - minute * 60_000, s = (ms / 1000) | 0, f = ms - s * 1000, b = this.buf;
    let at = this.at;
    b[at++] = 48 + ((s / 10) | 0);
    b[at++] = 48 + (s % 10);
    b[at++] = 46;
    b[at++] = 48 + ((f / 100) | 0);
    b[at++] = 48 + (((f / 10) | 0) % 10);
    b[at++] = 48 + (f % 10);
    this.at = at;
    this.put(this.tail);
  }
}

const TRUE = latin1('true'), FALSE = latin1('false');
