/**
 * A CSV file in another encoding than UTF-8, turned into UTF-8 before the encoding guard
 * (utf8-check.ts) and the parser: what Russian and Chinese Windows write when a sheet is saved as
 * "CSV" (windows-1251, GBK/GB18030) and what Excel's "Unicode Text" writes (UTF-16 with a
 * byte-order mark). The encoding is named (`--encoding`, a WHATWG label as TextDecoder takes it);
 * a UTF-16 byte-order mark names it by itself. A byte sequence the encoding does not map is
 * passed on as a byte that is not UTF-8 (0xFF), so the guard rejects exactly the line holding it.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { EncodingError } from './utf8-check.js';

/** Never valid in UTF-8: what the guard rejects a line for. */
const NOT_UTF8 = Buffer.from([0xff]);

/** The decoder's name of a label, or throws naming what is expected. */
export function encodingOf(label: string): string {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    throw new EncodingError(`expected an encoding name such as utf-8, windows-1251, koi8-r, gb18030, gbk, big5, shift_jis or utf-16le; got "${label}"`);
  }
}

export class Transcode extends Transform {
  private decoder: TextDecoder | null;
  /** The first bytes, held until the byte-order mark can be told (auto). */
  private head: Buffer | null;

  /** `encoding` a decoder's name (encodingOf); undefined: UTF-8 unless a UTF-16 byte-order mark says otherwise. */
  constructor(readonly encoding?: string) {
    super();
    this.decoder = encoding && encoding !== 'utf-8' ? new TextDecoder(encoding) : null;
    this.head = encoding === undefined ? Buffer.alloc(0) : null;
  }

  /** The encoding the file was read in: named, or found by its byte-order mark. */
  get readAs(): string {
    return this.decoder?.encoding ?? 'utf-8';
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.head !== null) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < 2) return done();
      chunk = this.startAuto();
    }
    done(null, this.decode(chunk, true));
  }

  override _flush(done: TransformCallback): void {
    const rest = this.head !== null ? this.startAuto() : Buffer.alloc(0);
    const out = this.decode(rest, false);
    done(null, out.length > 0 ? out : undefined);
  }

  /** A UTF-16 byte-order mark names the encoding (the decoder drops the mark); anything else is passed as it is. */
  private startAuto(): Buffer {
    const head = this.head!;
    this.head = null;
    if (head[0] === 0xff && head[1] === 0xfe) this.decoder = new TextDecoder('utf-16le');
    else if (head[0] === 0xfe && head[1] === 0xff) this.decoder = new TextDecoder('utf-16be');
    return head;
  }

  private decode(bytes: Buffer, stream: boolean): Buffer {
    if (this.decoder === null) return bytes;
    const text = this.decoder.decode(bytes, { stream });
    if (!text.includes('\uFFFD')) return Buffer.from(text, 'utf8');
    const parts: Buffer[] = [];
    text.split('\uFFFD').forEach((part, i) => {
      if (i > 0) parts.push(NOT_UTF8);
      parts.push(Buffer.from(part, 'utf8'));
    });
    return Buffer.concat(parts);
  }
}
