/**
 * The readers fetch a tag's block summaries and block bytes as one blob per query (concatBlobs):
 * the bytes must come back exactly as stored, whatever they are (NUL, bytes that are not UTF-8),
 * in a UTF-8 volume (a cast) and in a UTF-16 one (hex and unhex).
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { concatBlobs } from './volume-reader.js';

/** Blobs that are no valid text: every byte value, lone continuation bytes, overlong and truncated sequences, NULs. */
const blobs = [
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from([0x80, 0xbf, 0xc0, 0xaf, 0xe0, 0x80, 0xf8, 0xff, 0xfe]),
  Buffer.from([0x00, 0x00, 0x41, 0x00]),
  Buffer.from([0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80, 0xc3]),
  Buffer.from([0x7f]),
];

describe('concatBlobs', () => {
  for (const encoding of ['UTF-8', 'UTF-16le']) {
    it(`returns the blobs end to end, byte for byte, in a ${encoding} database`, () => {
      const db = new Database(':memory:');
      db.pragma(`encoding = '${encoding}'`);
      db.exec('CREATE TABLE b (k INTEGER PRIMARY KEY, data BLOB)');
      const put = db.prepare('INSERT INTO b (k, data) VALUES (?, ?)');
      blobs.forEach((b, i) => put.run(i, b));
      expect(db.pragma('encoding', { simple: true })).toBe(encoding);
      const sql = `SELECT ${concatBlobs(db, 'data', ' ORDER BY k')} FROM b`;
      const got = db.prepare(sql).pluck().get() as Buffer;
      expect(Buffer.isBuffer(got)).toBe(true);
      expect([...got]).toEqual([...Buffer.concat(blobs)]);
      db.close();
    });
  }
});
