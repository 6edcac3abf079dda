/**
 * Flushes that fail as on a full disk keep what they held: the next flush that succeeds writes
 * it. Three 500 ms tags (no compression, deadband, swinging door) flushed as the station paces
 * them, a commit per second; several flushes fail, then they succeed again. Every sample is in
 * the archive exactly once, at its time, with its value (lossless) or within the deviation
 * (compressed). Both ways of writing an open block: its own segment each flush, and tags taking
 * turns through the volume's journal. (Reported: "during a disk-full episode, every other
 * notification of a 500 ms tag went missing": not reproduced here.) With tags taking turns,
 * a turn whose flush failed is taken again: counted, it let the journal rows of its tags be
 * deleted while their points were only in memory, and a crash then lost them.
 *
 * Two failures: the volume full (PRAGMA max_page_count on the writer's own connection: the file
 * may not grow, and SQLite itself fails the write with SQLITE_FULL, "database or disk is full", in
 * the middle of the transaction, as when the file system refuses a page; a tmpfs filled with
 * fallocate gives the same error but needs root), and the catalog's commit refused after the
 * volume's succeeded (its write lock held by another connection: the catalog rewrites its pages
 * in place and never grows, but on a full disk its WAL can be refused a frame all the same).
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { ArchiveReader } from '../index.js';
import { Good } from '../status.js';
import { DAY, T0, crash, openWriter, tagConfig, tempDir } from './testing.js';
import type { Writer } from './writer.js';
import { lineAt, spikyValue } from '../testing/archived-line.js';

const DEVIATION = 1;
const valueAt = (i: number): number => spikyValue(i, DEVIATION);
const STEP_MS = 500;
const range = { low: 0, high: 100 };
const TAGS = [
  tagConfig('N', { range, cycleMs: STEP_MS }),
  tagConfig('D', { range, cycleMs: STEP_MS, compression: { kind: 'deadband', deviation: DEVIATION } }),
  tagConfig('S', { range, cycleMs: STEP_MS, compression: { kind: 'swinging-door', deviation: DEVIATION } }),
];

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0).reverse()) c(); });

/** The status without InfoType and historian bits (OPC UA Part 4: the low 16 bits). */
const codeOf = (status: number) => (status & 0xffff0000) >>> 0;

/**
 * Every row Good, at a time of its own, in order; N's rows are the samples offered, a compressed
 * tag's line within DEVIATION of each (`upToLast`: of those up to its last point, which must lie
 * past `mustCover`).
 */
function expectArchived(dir: string, offered: readonly { t: number; value: number }[], cover: 'all' | 'upToLast', mustCover: number, where: string): void {
  const reader = new ArchiveReader(dir);
  try {
    for (const { name } of TAGS) {
      const rows = reader.readRaw({ tags: name, start: T0, end: T0 + DAY, pageSize: 10_000 }).rows;
      expect(rows.filter((r) => codeOf(r.status) !== Good), `${name}: rows not Good ${where}`).toEqual([]);
      const times = rows.map((r) => r.t);
      expect(times.every((t, i) => i === 0 || t > times[i - 1]!), `${name}: each time once, in order ${where}`).toBe(true);
      const line = rows.map((r) => ({ t: r.t, value: r.value as number }));
      if (name === 'N') {
        expect(line, `N: every sample, once ${where}`).toEqual(offered);
        continue;
      }
      const last = line.at(-1)?.t ?? -Infinity;
      const covered = cover === 'all' ? offered : offered.filter((s) => s.t <= last);
      expect(covered.length, `${name}: samples up to its last point ${where}`).toBeGreaterThan(mustCover);
      const off = covered
        .map((s) => ({ t: s.t, value: s.value, line: lineAt(line, s.t) }))
        .filter((s) => s.line === null || Math.abs(s.line - s.value) > DEVIATION + 1e-9);
      expect(off, `${name}: samples off the archived line ${where}`).toEqual([]);
    }
  } finally {
    reader.close();
  }
}

const cases = [
  { full: 'volume', segmentsPerFlush: undefined },
  { full: 'catalog', segmentsPerFlush: undefined },
  { full: 'volume', segmentsPerFlush: 1 }, // three live tags take turns: their points go through the journal
  { full: 'catalog', segmentsPerFlush: 1 },
] as const;

describe('writer through a full disk', () => {
  it.each(cases)('the $full refusing several flushes (segmentsPerFlush $segmentsPerFlush): every sample archived once', ({ full, segmentsPerFlush }) => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const w: Writer = openWriter(tmp.dir, { staggerBlocks: true, segmentsPerFlush });
    let closed = false;
    cleanups.push(() => { if (!closed) w.close(); });
    for (const tag of TAGS) w.defineTag(tag, T0);

    // A publish a second of 500 ms items, then the paced flush (flush(false), as the station's pacer).
    let next = 0;
    const failures: string[] = [];
    const second = () => {
      for (const { name } of TAGS) w.append(name, [next, next + 1].map((i) => ({ t: T0 + STEP_MS * i, value: valueAt(i), status: Good })));
      next += 2;
      try {
        w.flush(false);
      } catch (err) {
        failures.push((err as Error).message);
      }
    };
    while (next < 20) second();
    expect(failures).toEqual([]);

    // The volume: no page more for its file, writes that need one fail with SQLITE_FULL. The
    // catalog (its pages are rewritten in place, it does not grow): its write lock held elsewhere,
    // so the catalog's commit fails after the volume's succeeded (a full disk can do the same: its
    // WAL refused a frame).
    let lift: () => void;
    if (full === 'volume') {
      const db = w.volumes.store(w.volumes.locate(T0)).db;
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
      lift = () => void db.pragma('max_page_count = 1073741823');
    } else {
      w.catalog.db.pragma('busy_timeout = 0'); // refused at once, not after the 5 s wait
      const other = new Database(w.catalog.db.name);
      other.exec('BEGIN IMMEDIATE');
      lift = () => {
        other.close();
        w.catalog.db.pragma('busy_timeout = 5000');
      };
    }
    const from = next;
    // Until several flushes failed, and at least 20 s of samples went by (bounded: a file that never fills fails here).
    try {
      while ((failures.length < 3 || next < from + 40) && next < from + 2000) second();
    } finally {
      lift();
    }
    expect(failures.length).toBeGreaterThanOrEqual(3);
    expect(failures.every((m) => (full === 'volume' ? /database or disk is full/ : /database is locked/).test(m)), failures[0]).toBe(true);
    const to = next;
    const failed = failures.length;
    while (next < to + 20) second();
    expect(failures.length).toBe(failed);
    const offered = Array.from({ length: next }, (_, i) => ({ t: T0 + STEP_MS * i, value: valueAt(i) }));
    const where = `(full: samples ${from}..${to - 1}, ${failed} flushes failed)`;

    // All written, the compressors still running: their points so far.
    w.flush();
    expectArchived(tmp.dir, offered, 'upToLast', to, where);
    // Closed: what the compressors held is written too.
    w.close();
    closed = true;
    expectArchived(tmp.dir, offered, 'all', to, where);
  });
});

describe('writer through a full disk, tags taking turns', () => {
  it('a turn whose flush failed is taken again: journal rows are not dropped before every tag had a flush that wrote its points, a crash then loses none', () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    // Ten live tags at one segment row a flush: 16 turns, each tag's open block written one flush in 16, journaled in the others.
    const w = openWriter(tmp.dir, { segmentsPerFlush: 1 });
    const names = Array.from({ length: 10 }, (_, i) => `T${i}`);
    for (const n of names) w.defineTag(tagConfig(n), T0);
    let s = 0;
    const second = () => {
      for (const n of names) w.append(n, [{ t: T0 + 1000 * s, value: s, status: Good }]);
      s++;
      w.flush(false);
    };
    for (let k = 0; k < 5; k++) second();

    // Sixteen flushes in a row refused (the volume's write lock held elsewhere, refused at once): every tag's turn among them.
    const vol = w.volumes.store(w.volumes.locate(T0)).db;
    vol.pragma('busy_timeout = 0');
    const other = new Database(vol.name);
    other.exec('BEGIN IMMEDIATE');
    let refused = 0;
    try {
      for (let k = 0; k < 16; k++) {
        try {
          second();
        } catch {
          refused++;
        }
      }
    } finally {
      other.close();
    }
    expect(refused).toBe(16);
    second(); // writes again
    crash(w);

    // What the flushes that succeeded made durable: every sample (the replayed journal and the segments).
    const again = openWriter(tmp.dir, { segmentsPerFlush: 1 });
    again.close();
    const reader = new ArchiveReader(tmp.dir);
    try {
      const want = Array.from({ length: s }, (_, k) => k);
      for (const n of names) expect(reader.readRaw({ tags: n, start: T0, end: T0 + DAY }).rows.map((r) => r.value), n).toEqual(want);
    } finally {
      reader.close();
    }
  });
});
