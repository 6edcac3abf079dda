import Database from 'better-sqlite3';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { decodeJournal, encodeJournal } from './journal.js';
import { T0, catalogMeta, crash, openWriter, tagConfig, tempDir, volumeQuery, ingestAndKill as ingestAndKillChild } from './testing.js';
import { MAX_TURNS, turnsFor } from './writer.js';

const volumeFiles = (dir: string) => readdirSync(join(dir, 'volumes')).filter((f) => f.endsWith('.sqlite')).map((f) => join(dir, 'volumes', f));

function journalRows(dir: string): number {
  let n = 0;
  for (const file of volumeFiles(dir)) {
    const db = new Database(file, { readonly: true });
    try { n += db.prepare('SELECT count(*) FROM journal').pluck().get() as number; } finally { db.close(); }
  }
  return n;
}

const ingestAndKill = (dir: string, flushes: number) => ingestAndKillChild(fileURLToPath(new URL('./journal-child.ts', import.meta.url)), dir, flushes);

const dirs: { remove: () => void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
function archive() {
  const tmp = tempDir();
  dirs.push(tmp);
  return tmp.dir;
}

describe('flush journal', () => {
  it('round-trips points exactly, and refuses a damaged row naming it', () => {
    const points = [
      { t: T0, value: -0.5, status: 0, flags: 0 },
      { t: T0 + 1, value: 1e300, status: 0x80310000, flags: 3 },
      { t: T0 + 86_400_000, value: 42, status: 0x40000000, flags: 255 },
    ];
    const cols = (ps: typeof points) => ({ t: Float64Array.from(ps, (p) => p.t), value: Float64Array.from(ps, (p) => p.value),
      status: Uint32Array.from(ps, (p) => p.status), flags: Uint8Array.from(ps, (p) => p.flags), length: ps.length });
    const bytes = encodeJournal([{ tagId: 7, cols: cols(points) }, { tagId: 300_000, cols: cols(points.slice(1)) }]);
    expect(decodeJournal(bytes, 'row')).toEqual([{ tagId: 7, points }, { tagId: 300_000, points: points.slice(1) }]);
    const bad = bytes.slice();
    bad[5] = (bad[5]! + 1) % 256;
    expect(() => decodeJournal(bad, 'vol.sqlite: journal row 3')).toThrow(/vol\.sqlite: journal row 3: journal row checksum mismatch/);
  });

  it('turns: the least power of two that keeps a flush to its segment rows, at most 16', () => {
    expect([0, 1, 1000, 1001, 2000, 2001, 4001, 10_000, 16_000, 16_001, 1e6].map((n) => turnsFor(n, 1000))).toEqual([1, 1, 1, 2, 2, 4, 8, 16, 16, 16, 16]);
    expect(MAX_TURNS).toBe(16);
  });

  it('background flushes write each tag\'s segment on its turn; readers see every point within its turns; close empties the journal', async () => {
    const dir = archive();
    const TURNS = 8;
    const h = Historian.open(dir, { flushIntervalMs: 0, segmentsPerFlush: 2 }); // 16 tags: 8 turns
    const names = Array.from({ length: 2 * TURNS }, (_, k) => `T${k}`);
    for (const n of names) h.defineTag(tagConfig(n), T0);
    for (const n of names) h.append(n, [{ t: T0, value: 1, status: Good }]);
    h.flush(false);
    const visible = () => names.filter((n) => h.readRaw({ tags: n, start: T0, end: T0 + 1000 }).rows.length === 1).length;
    // One flush: about one tag in TURNS has had its turn; the rest are durable in the journal only.
    expect(visible()).toBeLessThan(names.length);
    expect(journalRows(dir)).toBe(1);
    const waiting = names.find((n) => h.readRaw({ tags: n, start: T0, end: T0 + 1000 }).rows.length === 0)!;
    h.publish([waiting]); // what a history request does before it reads
    expect(h.readRaw({ tags: waiting, start: T0, end: T0 + 1000 }).rows.map((r) => r.value)).toEqual([1]);
    for (let k = 1; k < TURNS; k++) h.flush(false);
    expect(visible()).toBe(names.length);
    await h.close();
    expect(journalRows(dir)).toBe(0);
  });

  it('a journal row is deleted 16 flushes after it was written: a steady stream keeps 16 rows, a flush of every tag none', async () => {
    const dir = archive();
    const h = Historian.open(dir, { flushIntervalMs: 0, segmentsPerFlush: 2 }); // 16 live tags: 8 turns, a journal row per flush
    const names = Array.from({ length: 16 }, (_, k) => `T${k}`);
    for (const n of names) h.defineTag(tagConfig(n), T0);
    const rows: number[] = [];
    for (let f = 0; f < 40; f++) {
      for (const n of names) h.append(n, [{ t: T0 + f * 1000, value: f, status: Good }]);
      h.flush(false);
      rows.push(journalRows(dir));
    }
    // The store README: rows are deleted 16 flushes later, when every tag has had its turn.
    expect(rows.slice(0, 16)).toEqual(Array.from({ length: 16 }, (_, k) => k + 1));
    expect(new Set(rows.slice(16))).toEqual(new Set([16]));
    h.flush(); // every tag written: no journal row is needed any more
    expect(journalRows(dir)).toBe(0);
    for (const n of names) expect(h.readRaw({ tags: n, start: T0, end: T0 + 60_000 }).rows).toHaveLength(40);
    await h.close();
  });

  it('a block grown over hundreds of background flushes is read back whole when sealed, a late point into its written part merged', async () => {
    const dir = archive();
    const h = Historian.open(dir, { flushIntervalMs: 0, blockSize: 300, segmentsPerFlush: 1 / 8 }); // one tag: 8 turns
    h.defineTag(tagConfig('B'), T0);
    const value = (i: number) => (i === 100 ? -1 : i + 0.5);
    for (let i = 0; i < 350; i++) {
      h.append('B', [{ t: T0 + i * 1000, value: i + 0.5, status: Good }]);
      h.flush(false);
      if (i === 200) h.insert('B', [{ t: T0 + 100 * 1000, value: -1, status: Good }]); // long in a segment by now
    }
    h.flush();
    const rows = h.readRaw({ tags: 'B', start: T0, end: T0 + 1e9 }).rows;
    expect(rows.map((r) => [r.t, r.value])).toEqual(Array.from({ length: 350 }, (_, i) => [T0 + i * 1000, value(i)]));
    expect(h.tagStats()[0]).toMatchObject({ samplesReceived: 351, samplesArchived: 350, recordsAdded: 0 });
    await h.close();
  });

  it('after kill -9 every point a background flush made durable is there, counted once', async () => {
    const dir = archive();
    const reported = await ingestAndKill(dir, 5);
    expect(reported).toBeGreaterThanOrEqual(4);
    expect(journalRows(dir)).toBeGreaterThan(0); // the kill came with points in the journal only
    const h = Historian.open(dir, { flushIntervalMs: 0 });
    try {
      const stats = new Map(h.tagStats().map((s) => [s.name, s]));
      for (let k = 0; k < 12; k++) {
        const rows = h.readRaw({ tags: `J${k}`, start: T0, end: T0 + 1e9 }).rows;
        expect(rows.slice(0, reported + 1).map((r) => r.value)).toEqual(Array.from({ length: reported + 1 }, (_, i) => k * 1000 + i + 0.25));
        expect(stats.get(`J${k}`)!.samplesArchived).toBe(rows.length);
      }
      expect(journalRows(dir)).toBe(0); // replayed into segments by the open
    } finally {
      await h.close();
    }
  });

  it('a damaged journal row stops the open with the file and row named, and changes nothing', async () => {
    const dir = archive();
    await ingestAndKill(dir, 3);
    const [file] = volumeFiles(dir);
    const db = new Database(file!);
    const id = db.prepare('SELECT max(id) FROM journal').pluck().get() as number;
    db.prepare("UPDATE journal SET data = x'00010203040506' WHERE id = ?").run(id);
    db.close();
    const named = `${file}: journal row ${id}: journal row checksum mismatch`;
    expect(() => Historian.open(dir, { flushIntervalMs: 0 })).toThrow(named);
    expect(journalRows(dir)).toBeGreaterThan(0);
    expect(() => Historian.open(dir, { flushIntervalMs: 0 })).toThrow(named); // the same error, not a lock left behind
  });

  it('a journal row holds the points no row holds yet; a flush with none new writes no row', async () => {
    // Guards: the open block's journaled points written again in each row, or an empty row for a flush with nothing new.
    const dir = archive();
    const h = Historian.open(dir, { flushIntervalMs: 0, segmentsPerFlush: 1 / 8 }); // one live tag: 8 turns, tag 1's is flush 7
    h.defineTag(tagConfig('A'), T0);
    const journal = () => volumeQuery<{ id: number; data: Buffer }>(dir, 'SELECT id, data FROM journal ORDER BY id')
      .map((r) => decodeJournal(r.data, `row ${r.id}`).map((e) => e.points.map((p) => p.value)));
    h.append('A', [{ t: T0, value: 0.5, status: Good }]);
    h.flush(false);
    h.append('A', [{ t: T0 + 1000, value: 1.5, status: Good }, { t: T0 + 2000, value: 2.5, status: Good }]);
    h.flush(false);
    h.flush(false);
    expect(journal()).toEqual([[[0.5]], [[1.5, 2.5]]]);
    await h.close();
  });

  it('a background flush counts only tags with new points for its turns', async () => {
    // Guards: idle tags (an open block, nothing new) counted as live, so a lone live tag waits for a turn it need not.
    const dir = archive();
    const h = Historian.open(dir, { flushIntervalMs: 0, segmentsPerFlush: 1 }); // one live tag: 1 turn
    const idle = ['I1', 'I2', 'I3'];
    for (const n of [...idle, 'L']) h.defineTag(tagConfig(n), T0);
    for (const n of idle) h.append(n, [{ t: T0, value: 1, status: Good }]);
    h.flush();
    h.append('L', [{ t: T0, value: 2, status: Good }]);
    h.flush(false);
    expect(h.readRaw({ tags: 'L', start: T0, end: T0 + 1000 }).rows.map((r) => r.value)).toEqual([2]);
    expect(journalRows(dir)).toBe(0);
    await h.close();
  });

  it('publish flushes only when a named tag has points waiting, and writes only those tags', async () => {
    // Guards: a publish of up-to-date tags flushing anyway; a publish writing every tag, not only the named ones.
    const dir = archive();
    const h = Historian.open(dir, { flushIntervalMs: 0, segmentsPerFlush: 1 / 8 }); // 2 live tags: 16 turns
    for (const n of ['A', 'B', 'C']) h.defineTag(tagConfig(n), T0);
    for (const n of ['A', 'B', 'C']) h.append(n, [{ t: T0, value: 1, status: Good }]);
    h.flush();
    const seen = (n: string) => h.readRaw({ tags: n, start: T0, end: T0 + 10_000 }).rows.length;
    h.append('B', [{ t: T0 + 1000, value: 2, status: Good }]);
    h.append('C', [{ t: T0 + 1000, value: 2, status: Good }]);
    h.publish(['A', 'nowhere']); // A has nothing waiting: no flush (B and C would go to the journal)
    expect(journalRows(dir)).toBe(0);
    expect(catalogMeta(dir, 'change_head')).toBe('1');
    h.publish(['B']);
    expect([seen('A'), seen('B'), seen('C')]).toEqual([1, 2, 1]); // C's point in the journal, not its segments
    expect(journalRows(dir)).toBe(1);
    await h.close();
  });

  it('after a crash, journaled points the segments already hold are not written again', async () => {
    // Guards: the replay archiving every journaled point (those at or before the tag's last archived time become late rewrites).
    const dir = archive();
    const w = openWriter(dir, { segmentsPerFlush: 1 / 8 }); // one live tag: 8 turns, tag 1's is flush 7
    w.defineTag(tagConfig('A'), T0);
    for (let f = 1; f <= 6; f++) {
      w.append('A', [{ t: T0 + f * 1000, value: f, status: Good }]);
      w.flush(false); // the journal gets the point
    }
    w.flush(false); // its turn: the six points to a segment, the journal rows kept (16 flushes)
    expect(journalRows(dir)).toBe(6);
    expect(catalogMeta(dir, 'change_head')).toBe('1');
    crash(w);
    const h = Historian.open(dir, { flushIntervalMs: 0 });
    expect(h.readRaw({ tags: 'A', start: T0, end: T0 + 10_000 }).rows.map((r) => r.value)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(catalogMeta(dir, 'change_head')).toBe('1'); // nothing rewritten
    expect(h.readChanges(null, 100).items.flatMap((i) => i.t.map((t) => (t - T0) / 1000))).toEqual([1, 2, 3, 4, 5, 6]);
    await h.close();
  });

  it('after a flush of every tag the journal starts afresh: its new rows live their 16 flushes, no fewer', async () => {
    // Guards: rows a flush deleted still remembered (SQLite reuses their ids for new rows, which would go early).
    const dir = archive();
    const h = Historian.open(dir, { flushIntervalMs: 0, segmentsPerFlush: 2 }); // 16 live tags: 8 turns, a journal row per flush
    const names = Array.from({ length: 16 }, (_, k) => `T${k}`);
    for (const n of names) h.defineTag(tagConfig(n), T0);
    let f = 0;
    const background = () => {
      for (const n of names) h.append(n, [{ t: T0 + f * 1000, value: f, status: Good }]);
      f++;
      h.flush(false);
      return journalRows(dir);
    };
    expect([background(), background()]).toEqual([1, 2]);
    h.flush();
    expect(journalRows(dir)).toBe(0);
    const rows = Array.from({ length: 20 }, background);
    expect(rows).toEqual([...Array.from({ length: 16 }, (_, k) => k + 1), 16, 16, 16, 16]);
    await h.close();
  });

  it('the open after a crash replays only attached volumes: a detached volume\'s file may have been taken away', async () => {
    // Guards: the replay opening every volume's journal, a detached one's too (its file is not needed any more).
    const dir = archive();
    const w = openWriter(dir, { now: () => T0 + 3 * 86_400_000 });
    w.defineTag(tagConfig('A'), T0);
    w.append('A', [{ t: T0, value: 1, status: Good }, { t: T0 + 86_400_000, value: 2, status: Good }]);
    w.flush();
    const [day0] = w.volumes.all();
    crash(w);
    const admin = Historian.open(dir, { flushIntervalMs: 0, now: () => T0 + 3 * 86_400_000 });
    admin.detachVolume(day0!.id);
    await admin.close();
    // Opened and left without a close (kill -9), then the detached file taken offline.
    crash(openWriter(dir, { now: () => T0 + 3 * 86_400_000 }));
    rmSync(join(dir, 'volumes', day0!.file));
    const h = Historian.open(dir, { flushIntervalMs: 0, now: () => T0 + 3 * 86_400_000 });
    expect(h.readRaw({ tags: 'A', start: T0, end: T0 + 2 * 86_400_000 }).rows.map((r) => r.value)).toEqual([2]);
    await h.close();
  });
});

/** CRC-32 (IEEE, reflected, poly 0xEDB88320) written out bit by bit: the check value of "123456789" is 0xCBF43926. */
function crc32Ref(bytes: readonly number[]): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
/** A journal row: the body, then its CRC-32 big-endian. */
function row(body: readonly number[]): Uint8Array {
  const c = crc32Ref(body);
  return Uint8Array.from([...body, c >>> 24, (c >>> 16) & 255, (c >>> 8) & 255, c & 255]);
}

describe('journal row bytes, worked out by hand', () => {
  it('the reference CRC-32 is the standard one', () => {
    expect(crc32Ref([...'123456789'].map((ch) => ch.charCodeAt(0)))).toBe(0xcbf43926);
    expect(crc32Ref([])).toBe(0);
  });

  // Tag 128 (a two-byte varint), three points: t 5, then back to 3 (delta -2), then 3 again (delta 0).
  const points = [
    { t: 5, value: 1, status: 128, flags: 2 },
    { t: 3, value: -2, status: 0, flags: 0 },
    { t: 3, value: 0.5, status: 1, flags: 255 },
  ];
  const body = [
    0x80, 0x01, // tag id 128
    3, // count
    10, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x80, 0x01, 2, // zigzag(5) = 10, 1.0 LE, status 128, flags 2
    3, 0, 0, 0, 0, 0, 0, 0, 0xc0, 0, 0, // zigzag(-2) = 3, -2.0 LE, status 0, flags 0
    0, 0, 0, 0, 0, 0, 0, 0xe0, 0x3f, 1, 255, // zigzag(0) = 0, 0.5 LE, status 1, flags 255
  ];
  const cols = {
    t: Float64Array.from(points, (p) => p.t), value: Float64Array.from(points, (p) => p.value),
    status: Uint32Array.from(points, (p) => p.status), flags: Uint8Array.from(points, (p) => p.flags), length: points.length,
  };

  it('encodes a two-byte tag id, a time going back and a repeated time as the format says', () => {
    expect([...encodeJournal([{ tagId: 128, cols }])]).toEqual([...row(body)]);
  });

  it('decodes those bytes back to the points, the time going back included', () => {
    expect(decodeJournal(row(body), 'r')).toEqual([{ tagId: 128, points }]);
  });

  it('an empty flush is the 4-byte row of the empty CRC, and decodes to no entries', () => {
    expect([...encodeJournal([])]).toEqual([0, 0, 0, 0]);
    expect(decodeJournal(Uint8Array.from([0, 0, 0, 0]), 'r')).toEqual([]);
  });

  it('refuses a row shorter than its checksum, naming it', () => {
    expect(() => decodeJournal(Uint8Array.from([1, 2, 3]), 'v.sqlite: journal row 9')).toThrow(/^v\.sqlite: journal row 9: journal row of 3 bytes, shorter than its checksum$/);
    expect(() => decodeJournal(new Uint8Array(0), 'v.sqlite: journal row 9')).toThrow(/^v\.sqlite: journal row 9: journal row of 0 bytes, shorter than its checksum$/);
  });

  it('refuses a row with a good checksum that ends inside a point, naming it and the byte', () => {
    // tag 1, count 1, then nothing: the point's time would be the checksum's first byte.
    expect(() => decodeJournal(row([1, 1]), 'v.sqlite: journal row 4')).toThrow(/^v\.sqlite: journal row 4: journal row truncated at byte 2$/);
    // tag 1, count 1, t 0, then 3 of the value's 8 bytes.
    expect(() => decodeJournal(row([1, 1, 0, 0, 0, 0]), 'v.sqlite: journal row 4')).toThrow(/^v\.sqlite: journal row 4: journal row truncated at byte 3$/);
    // a whole point but for its flags byte.
    expect(() => decodeJournal(row([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 'v.sqlite: journal row 4')).toThrow(/^v\.sqlite: journal row 4: journal row truncated at byte 12$/);
  });

  it('refuses a varint of more than 9 bytes (a 10th would take the scale past 2^56), naming the byte', () => {
    expect(() => decodeJournal(row([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0, 0]), 'v.sqlite: journal row 2'))
      .toThrow(/^v\.sqlite: journal row 2: journal row: varint too long at byte 9$/);
  });
});
