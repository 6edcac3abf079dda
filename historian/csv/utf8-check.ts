/**
 * Encoding guard in front of the CSV parser. A compressed file or a workbook (gzip, zip,
 * xlsx, xls... by their magic numbers) and UTF-16 files (byte-order mark, or NUL bytes in
 * the first line) are refused whole; a UTF-8 file with invalid
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
const CR = 0x0d;
/** Bytes looked at before the first is passed on: enough for a file's magic number and a zip's first names. */
const HEAD_BYTES = 4096;

export class Utf8Check extends Transform {
  /** `readAs`: the encoding the bytes came in (transcode.ts), what a rejection names; UTF-8 by default. */
  constructor(readonly readAs: () => string = () => 'utf-8') {
    super();
  }

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
  /** The first bytes, held until HEAD_BYTES came (or the end): what kind of file it is. */
  private head: Buffer[] | null = [];
  private headLength = 0;
  /** The last byte seen was a CR: an LF right after it ends no second line. */
  private afterCR = false;
  private readonly decoder = new StringDecoder('utf8');

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let buf: Buffer | null = chunk;
    if (this.head !== null) {
      this.head.push(chunk);
      this.headLength += chunk.length;
      if (this.headLength < HEAD_BYTES) return done();
      buf = this.start();
      if (buf === null) return done(new EncodingError(this.refusal));
    }
    done(null, this.pass(buf));
  }

  override _flush(done: TransformCallback): void {
    if (this.head !== null) {
      const buf = this.start();
      if (buf === null) return done(new EncodingError(this.refusal));
      const text = this.pass(buf);
      if (text) this.push(text);
    }
    if (this.need > 0) this.mark(this.leadAt, this.lead);
    done(null, this.decoder.end());
  }

  private refusal = '';

  /** The held first bytes, checked: null when the file is refused (this.refusal says why). */
  private start(): Buffer | null {
    let buf = Buffer.concat(this.head!);
    this.head = null;
    const refusal = notText(buf) ?? refuseUtf16(buf);
    if (refusal) {
      this.refusal = refusal;
      return null;
    }
    if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
      buf = buf.subarray(3); // UTF-8 byte-order mark: allowed, dropped
      this.offset = 3;
      this.lineStart = 3;
    }
    return buf;
  }

  private pass(buf: Buffer): string {
    if (this.need === 0 && isUtf8(buf)) this.countLines(buf);
    else this.scan(buf);
    this.offset += buf.length;
    return this.decoder.write(buf);
  }

  /** Line ends as the tokenizer sees them: LF, CRLF (one), or a lone CR. */
  private countLines(buf: Buffer): void {
    let lf = buf.indexOf(LF);
    let cr = buf.indexOf(CR);
    if (cr === -1) {
      if (lf === 0 && this.afterCR) lf = buf.indexOf(LF, 1); // the LF of a CRLF split between chunks
      for (; lf !== -1; lf = buf.indexOf(LF, lf + 1)) {
        this.line++;
        this.lineStart = this.offset + lf + 1;
      }
      if (buf.length) this.afterCR = false;
      return;
    }
    let pos = 0;
    while (lf !== -1 || cr !== -1) {
      const at = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      const afterCR = at === 0 ? this.afterCR : buf[at - 1] === CR;
      if (buf[at] === CR || !afterCR) this.line++;
      this.lineStart = this.offset + at + 1;
      pos = at + 1;
      if (at === lf) lf = buf.indexOf(LF, pos);
      else cr = buf.indexOf(CR, pos);
    }
    if (buf.length) this.afterCR = buf[buf.length - 1] === CR;
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
        if (b === LF || b === CR) {
          if (b === CR || !this.afterCR) this.line++;
          this.lineStart = this.offset + i + 1;
        }
        this.afterCR = b === CR;
        continue;
      }
      this.afterCR = false;
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

/** Magic numbers of files people take for CSV: a compressed export, an Excel workbook. */
function notText(buf: Buffer): string | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => buf[i] === b);
  let kind: string | undefined;
  let advice = 'decompress it first';
  if (starts(0x1f, 0x8b)) kind = 'a gzip file';
  else if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) {
    // An xlsx is a zip whose entries are [Content_Types].xml, xl/workbook.xml, ...
    if (buf.includes('xl/') || buf.includes('[Content_Types].xml')) {
      kind = 'an xlsx file (Excel workbook)';
      advice = 'save the sheet as CSV UTF-8 (File > Save As) and import that';
    } else {
      kind = 'a zip file';
      advice = 'extract the CSV file from it first';
    }
  } else if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) {
    kind = 'an xls file (Excel 97-2003 workbook)';
    advice = 'save the sheet as CSV UTF-8 (File > Save As) and import that';
  } else if (starts(0x42, 0x5a, 0x68) && buf[3] >= 0x31 && buf[3] <= 0x39 && buf.subarray(4, 10).equals(Buffer.from([0x31, 0x41, 0x59, 0x26, 0x53, 0x59]))) kind = 'a bzip2 file';
  else if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) kind = 'an xz file';
  else if (starts(0x28, 0xb5, 0x2f, 0xfd)) kind = 'a zstd file';
  else if (starts(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)) {
    kind = 'a 7z file';
    advice = 'extract the CSV file from it first';
  }
  return kind && `file is ${kind}, not CSV text; expected UTF-8 CSV text: ${advice}`;
}

function refuseUtf16(buf: Buffer): string | undefined {
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    return `file is UTF-16 (byte-order mark ${buf[0] === 0xff ? 'FF FE' : 'FE FF'}) read as UTF-8; expected UTF-8, or its encoding named utf-16le or utf-16be`;
  }
  const end = buf.indexOf(LF);
  const firstLine = buf.subarray(0, end === -1 ? Math.min(buf.length, 4096) : end);
  if (firstLine.includes(0)) return 'file has NUL bytes in its first line (UTF-16 without byte-order mark?); expected UTF-8, or its encoding named (utf-16le, utf-16be)';
  return undefined;
}

/** What a line with bad bytes is rejected for; `encoding` the one the file was read in (transcode.ts readAs). */
export function describeBadBytes(bad: BadBytes, encoding = 'utf-8'): string {
  // Transcoded, the byte is the decoder's mark in its UTF-8 output: its place says nothing of the file's bytes.
  if (encoding !== 'utf-8') return `${encoding} text (the line has bytes that are not ${encoding}: another encoding?)`;
  const byte = `0x${bad.byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return `UTF-8 text (byte ${byte} at byte ${bad.column} of the line is not UTF-8: mixed encodings, or a file in another encoding such as windows-1251 or gb18030, to be named as the import's encoding?)`;
}
