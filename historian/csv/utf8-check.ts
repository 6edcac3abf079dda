/**
 * Encoding guard in front of the CSV parser. UTF-16 files (byte-order mark, or
 * NUL bytes in the first line) are refused whole; a UTF-8 file with invalid
 * bytes (mixed encodings, e.g. a Latin-1 "°C" pasted in) passes on, decoded
 * with U+FFFD, and the lines holding invalid bytes are recorded so the parser
 * rejects exactly those records.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { isUtf8 } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';

export class EncodingError extends Error {}

export interface BadBytes {
  /** First invalid byte of the line. */
  byte: number;
  /** 1-based byte column within the line. */
  column: number;
}

const LF = 0x0a;

export class Utf8Check extends Transform {
  /** 1-based line number -> first invalid byte on it. */
  readonly badLines = new Map<number, BadBytes>();
  private line = 1;
  private lineStart = 0; // absolute byte offset of the current line
  private offset = 0; // absolute byte offset of the next chunk
  private need = 0; // continuation bytes still expected
  private lo = 0x80; // allowed range for the next continuation byte
  private hi = 0xbf;
  private lead = 0; // first byte of the sequence in progress, and where it was
  private leadAt = 0;
  private first = true;
  private readonly decoder = new StringDecoder('utf8');

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let buf = chunk;
    if (this.first) {
      this.first = false;
      const refusal = refuseUtf16(buf);
      if (refusal) return done(new EncodingError(refusal));
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        buf = buf.subarray(3); // UTF-8 byte-order mark: allowed, dropped
        this.offset = 3;
        this.lineStart = 3;
      }
    }
    if (this.need === 0 && isUtf8(buf)) this.countLines(buf);
    else this.scan(buf);
    this.offset += buf.length;
    done(null, this.decoder.write(buf));
  }

  override _flush(done: TransformCallback): void {
    if (this.need > 0) this.mark(this.leadAt, this.lead);
    done(null, this.decoder.end());
  }

  private countLines(buf: Buffer): void {
    for (let i = buf.indexOf(LF); i !== -1; i = buf.indexOf(LF, i + 1)) {
      this.line++;
      this.lineStart = this.offset + i + 1;
    }
  }

  /** Byte-wise validation (Unicode table 3-7: no overlongs, surrogates or > U+10FFFF). */
  private scan(buf: Buffer): void {
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (this.need > 0) {
        if (b >= this.lo && b <= this.hi) {
          this.need--;
          this.lo = 0x80;
          this.hi = 0xbf;
          continue;
        }
        this.mark(this.leadAt, this.lead);
        this.need = 0;
        this.lo = 0x80;
        this.hi = 0xbf;
        // fall through: b starts anew
      }
      if (b < 0x80) {
        if (b === LF) {
          this.line++;
          this.lineStart = this.offset + i + 1;
        }
        continue;
      }
      this.lead = b;
      this.leadAt = this.offset + i;
      if (b >= 0xc2 && b <= 0xdf) this.need = 1;
      else if (b >= 0xe0 && b <= 0xef) {
        this.need = 2;
        if (b === 0xe0) this.lo = 0xa0;
        else if (b === 0xed) this.hi = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        this.need = 3;
        if (b === 0xf0) this.lo = 0x90;
        else if (b === 0xf4) this.hi = 0x8f;
      } else this.mark(this.offset + i, b);
    }
  }

  private mark(at: number, byte: number): void {
    if (this.badLines.has(this.line)) return;
    this.badLines.set(this.line, { byte, column: at - this.lineStart + 1 });
  }
}

function refuseUtf16(buf: Buffer): string | undefined {
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    return `file is UTF-16 (byte-order mark ${buf[0] === 0xff ? 'FF FE' : 'FE FF'}); expected UTF-8: re-save it as UTF-8 CSV`;
  }
  const end = buf.indexOf(LF);
  const firstLine = buf.subarray(0, end === -1 ? Math.min(buf.length, 4096) : end);
  if (firstLine.includes(0)) return 'file has NUL bytes in its first line (UTF-16 without byte-order mark?); expected UTF-8';
  return undefined;
}

export function describeBadBytes(bad: BadBytes): string {
  const byte = `0x${bad.byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return `UTF-8 text (byte ${byte} at byte ${bad.column} of the line is not UTF-8: mixed encodings?)`;
}
