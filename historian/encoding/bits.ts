/**
 * Bit-level writer and reader (most significant bit first), the base of the block codec.
 * Values wider than 32 bits (up to 53, JavaScript's exact integers) go through writeBig/readBig,
 * which split them with arithmetic because JavaScript bit operators work on 32 bits.
 */

const TWO32 = 2 ** 32;

export class BitWriter {
  private buf: Uint8Array;
  private len = 0;
  /** Pending bits not yet flushed to a byte (fewer than 8 after every write). */
  private acc = 0;
  private nacc = 0;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }

  /** Appends whole bytes; only at a byte boundary (the header). */
  byte(v: number): void {
    if (this.nacc !== 0) throw new Error('BitWriter.byte: not at a byte boundary');
    this.ensure(1);
    this.buf[this.len++] = v & 0xff;
  }

  /** Appends the low n bits of v (0 <= n <= 32). */
  write(v: number, n: number): void {
    if (n > 24) {
      this.write(v >>> 16, n - 16);
      this.write(v & 0xffff, 16);
      return;
    }
    if (n === 0) return;
    this.acc = ((this.acc << n) | (v & ((1 << n) - 1))) >>> 0;
    this.nacc += n;
    if (this.nacc >= 8) {
      this.ensure(4);
      while (this.nacc >= 8) {
        this.nacc -= 8;
        this.buf[this.len++] = (this.acc >>> this.nacc) & 0xff;
      }
      this.acc &= (1 << this.nacc) - 1;
    }
  }

  /** Appends v (an integer 0 <= v < 2^53) in n bits (0 <= n <= 53). */
  writeBig(v: number, n: number): void {
    if (n <= 32) return this.write(v >>> 0, n);
    this.write(Math.floor(v / TWO32), n - 32);
    this.write(v >>> 0, 32);
  }

  /** Appends an unsigned integer < 2^53 as a 6-bit length and that many bits. */
  writeUint(v: number): void {
    const n = bitLength(v);
    this.write(n, 6);
    this.writeBig(v, n);
  }

  /** Bits written so far. */
  get bits(): number { return this.len * 8 + this.nacc; }

  /** A point to come back to (rewind): the writer's state, not a copy of its bytes. */
  mark(): { len: number; acc: number; nacc: number } {
    return { len: this.len, acc: this.acc, nacc: this.nacc };
  }

  /** Forgets everything written after the mark. */
  rewind(m: { len: number; acc: number; nacc: number }): void {
    this.len = m.len;
    this.acc = m.acc;
    this.nacc = m.nacc;
  }

  /** The bytes written, the last one padded with zero bits; `room` zero bytes after them (for a checksum). */
  finish(room = 0): Uint8Array {
    if (this.nacc > 0) {
      this.ensure(1);
      this.buf[this.len++] = (this.acc << (8 - this.nacc)) & 0xff;
      this.acc = 0;
      this.nacc = 0;
    }
    if (room === 0) return this.buf.slice(0, this.len);
    const out = new Uint8Array(this.len + room);
    out.set(this.buf.subarray(0, this.len));
    return out;
  }

  /**
   * Empties it for another stream, keeping its buffer unless it grew past `keep` bytes (a writer
   * reused for every block, so that a block's encoding allocates only its result).
   */
  reset(keep: number): void {
    this.len = 0;
    this.acc = 0;
    this.nacc = 0;
    if (this.buf.length > keep) this.buf = new Uint8Array(keep);
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}

export class BitReader {
  /** Position in bits from the start of buf. */
  pos: number;
  /** End of the readable bits (bit offset); bytes after it (e.g. a checksum) are never returned. */
  end: number;
  /** Read directly by hot loops that keep the position in a local (huffman.ts). */
  buf: Uint8Array;

  constructor(buf: Uint8Array, startByte: number, endByte = buf.length) {
    this.buf = buf;
    this.pos = startByte * 8;
    this.end = endByte * 8;
  }

  /** Points the reader at another buffer (one reader serves many blocks without allocating). */
  reset(buf: Uint8Array, startByte: number, endByte = buf.length): void {
    this.buf = buf;
    this.pos = startByte * 8;
    this.end = endByte * 8;
    this.what = 'header';
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  bit(): number {
    const p = this.pos;
    if (p >= this.end) throw truncated(this.what);
    this.pos = p + 1;
    return (this.buf[p >>> 3] >>> (7 - (p & 7))) & 1;
  }

  /**
   * Reads a unary prefix of up to four 1 bits: '0' -> 0, '10' -> 1, '110' -> 2, '1110' -> 3,
   * '1111' -> 4 (the prefixes of the timestamp buckets), in one window read.
   */
  prefix4(): number {
    const p = this.pos;
    const i = p >>> 3;
    const b = this.buf;
    const w = i + 1 < b.length ? ((b[i] << 8) | b[i + 1]) << 16 : this.tailWindow(i);
    const ones = Math.min(4, Math.clz32(~(w << (p & 7))));
    const used = ones === 4 ? 4 : ones + 1;
    if (p + used > this.end) throw truncated(this.what);
    this.pos = p + used;
    return ones;
  }

  /** Reads n bits (0 <= n <= 32) as an unsigned integer. */
  read(n: number): number {
    if (n > 25) return this.readWide(n);
    if (n === 0) return 0;
    const p = this.pos;
    if (p + n > this.end) throw truncated(this.what);
    this.pos = p + n;
    const i = p >>> 3;
    const b = this.buf;
    // A 32-bit window always covers the n <= 25 bits; bytes past the buffer read as 0.
    const w = i + 3 < b.length
      ? ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0
      : this.tailWindow(i);
    return ((w << (p & 7)) >>> 0) >>> (32 - n);
  }

  /** The next n bits (1 <= n <= 25) without moving; bits past the end read as 0. */
  peek(n: number): number {
    const p = this.pos;
    const i = p >>> 3;
    const b = this.buf;
    const w = i + 3 < b.length
      ? ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0
      : this.tailWindow(i);
    return ((w << (p & 7)) >>> 0) >>> (32 - n);
  }

  /** Moves past n bits (after a peek). */
  skip(n: number): void {
    if (this.pos + n > this.end) throw truncated(this.what);
    this.pos += n;
  }

  /** 26..32 bits: two reads (kept out of read() so that one stays small enough to inline). */
  private readWide(n: number): number {
    const hi = this.read(n - 16);
    return hi * 65536 + this.read(16);
  }

  /** Reads an n-bit (0 <= n <= 53) unsigned integer. */
  readBig(n: number): number {
    if (n <= 32) return this.read(n);
    const hi = this.read(n - 32);
    return hi * TWO32 + this.read(32);
  }

  readUint(): number {
    const n = this.read(6);
    if (n > 53) throw new Error(`corrupt block: ${this.what}: integer of ${n} bits (at most 53)`);
    return this.readBig(n);
  }

  /** What is being read, for error messages. */
  what = 'header';

  private tailWindow(i: number): number {
    const b = this.buf;
    let w = 0;
    for (let k = 0; k < 4; k++) w = (w << 8) | (i + k < b.length ? b[i + k] : 0);
    return w >>> 0;
  }
}

function truncated(what: string): Error {
  return new Error(`corrupt block: truncated while reading ${what}`);
}

/** Number of bits needed for an unsigned integer < 2^53. */
export function bitLength(v: number): number {
  return v < TWO32 ? 32 - Math.clz32(v) : 64 - Math.clz32(Math.floor(v / TWO32));
}

/** Bits BitWriter.writeUint(v) takes: a 6-bit length, then the value. */
export const uintBits = (v: number): number => 6 + bitLength(v);

/** Zigzag for integers with |v| < 2^52: 0, -1, 1, -2 ... -> 0, 1, 2, 3 ... (arithmetic, not 32-bit ops). */
export function zigzag(v: number): number {
  return v >= 0 ? v * 2 : -v * 2 - 1;
}

export function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}
