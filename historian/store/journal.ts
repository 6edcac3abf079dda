/**
 * The flush journal: what makes a flush durable without writing a row per tag. Each flush writes
 * the open blocks' new points of the tags it does not write as segments this time as one row per
 * volume (writer.ts turns: a tag's segment is written every few flushes). Rows are replayed when
 * the archive opens after a crash and deleted once every tag in them has had its segment written.
 * Readers and the change feed never see the journal: its points reach them as segments, with the
 * write sequence number of the flush that wrote the segment.
 *
 * Row bytes: per tag, varint tag id, varint count, then per point zigzag varint t (the first
 * absolute, the others from the previous), float64 LE value, varint status, one byte of flags;
 * the last 4 bytes a CRC-32 (big-endian) of everything before.
 */
import { crc32 } from '../encoding/crc32.js';
import type { SampleColumns } from '../types.js';
import type { StoredPoint } from './volume.js';

/** A tag's points as a flush journals them (the open block's tail: tag-writer.ts). */
export interface JournalWrite { tagId: number; cols: SampleColumns }
/** A tag's points as a journal row gives them back. */
export interface JournalEntry { tagId: number; points: StoredPoint[] }

export function encodeJournal(entries: readonly JournalWrite[]): Uint8Array {
  let size = 4;
  for (const e of entries) size += 20 + e.cols.length * 28;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  const uint = (v: number) => {
    while (v >= 128) {
      out[at++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    out[at++] = v;
  };
  for (const e of entries) {
    const { t, value, status, flags, length } = e.cols;
    uint(e.tagId);
    uint(length);
    let prev = 0;
    for (let i = 0; i < length; i++) {
      const d = t[i]! - prev;
      uint(d < 0 ? -2 * d - 1 : 2 * d);
      prev = t[i]!;
      view.setFloat64(at, value[i]!, true);
      at += 8;
      uint(status[i]!);
      out[at++] = flags[i]!;
    }
  }
  view.setUint32(at, crc32(out.subarray(0, at)), false);
  return out.slice(0, at + 4);
}

/** The entries of a journal row; `where` names the row in errors (corrupt bytes never replay). */
export function decodeJournal(bytes: Uint8Array, where: string): JournalEntry[] {
  if (bytes.length < 4) throw new Error(`${where}: journal row of ${bytes.length} bytes, shorter than its checksum`);
  const end = bytes.length - 4;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(end, false) !== crc32(bytes.subarray(0, end))) throw new Error(`${where}: journal row checksum mismatch`);
  let at = 0;
  const need = (n: number) => {
    if (at + n > end) throw new Error(`${where}: journal row truncated at byte ${at}`);
  };
  const uint = () => {
    let v = 0, scale = 1;
    for (;;) {
      need(1);
      const b = bytes[at++]!;
      v += (b & 127) * scale;
      if (b < 128) return v;
      scale *= 128;
      if (scale > 2 ** 56) throw new Error(`${where}: journal row: varint too long at byte ${at}`);
    }
  };
  const out: JournalEntry[] = [];
  while (at < end) {
    const tagId = uint(), n = uint();
    const points: StoredPoint[] = [];
    let t = 0;
    for (let i = 0; i < n; i++) {
      const z = uint();
      t += z % 2 ? -(z + 1) / 2 : z / 2;
      need(8);
      const value = view.getFloat64(at, true);
      at += 8;
      const status = uint();
      need(1);
      points.push({ t, value, status, flags: bytes[at++]! });
    }
    out.push({ tagId, points });
  }
  return out;
}
