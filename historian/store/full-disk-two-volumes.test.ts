/**
 * A flush that writes two volumes and fails after the first committed: the second volume full
 * (SQLITE_FULL from PRAGMA max_page_count on the writer's own connection, as in
 * full-disk.test.ts), or the catalog refusing its commit after both volumes' (its write lock held
 * elsewhere). What a volume committed is written there once, not again by the next flush, and the
 * catalog records it. Two ways a flush writes two volumes: a day boundary (daily volumes: the
 * block before midnight sealed in yesterday's, the points after it in today's), and a backfill
 * into yesterday's volume while live points go to today's. After the space comes back the archive
 * keeps writing; every sample is stored once (N lossless: sample for sample; S swinging door:
 * within its deviation), the change feed sends each of N's samples once (also to a reader that
 * was up to date before), the catalog's counters are what the volumes hold, after a close and
 * reopen and after a crash (reopened without close) alike; and a crash while the catalog refuses
 * its commits recovers the counters of every flush that wrote the volumes.
 * Before the fix: the day boundary stored yesterday's last block twice (its segments, deleted by
 * the first commit, read back as nothing and the tail put again at its own start); with the
 * catalog refusing, a change-feed reader lost yesterday's rows (the retry did not write that
 * volume, so its max_seq stayed behind); the crash recovered only the last flush's counters.
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { ArchiveReader, type ChangeCursor } from '../index.js';
import { Good } from '../status.js';
import { DAY, T0, catalogQuery, crash, openWriter, tagConfig, tempDir } from './testing.js';
import type { Writer } from './writer.js';
import { lineAt } from '../testing/archived-line.js';

const DEVIATION = 1;
const range = { low: 0, high: 100 };
const TAGS = [
  tagConfig('N', { range }),
  tagConfig('S', { range, compression: { kind: 'swinging-door', deviation: DEVIATION } }),
];
/** Midnight between the two daily volumes; sample i is at START + i s. */
const MIDNIGHT = T0 + DAY;
const START = MIDNIGHT - 1_200_000;
const tOf = (i: number) => START + 1000 * i;

/** A value at step i, to 2 decimals (deterministic): a swing with noise and a spike every 7th. */
function valueAt(i: number): number {
  const noise = ((Math.imul(i + 1, 0x9e3779b1) >>> 0) / 2 ** 32 - 0.5) * 0.4;
  const spike = i % 7 === 3 ? 3 * DEVIATION : 0;
  return Math.round((50 + 20 * Math.sin(i / 40) + noise + spike) * 100) / 100;
}
const samples = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => ({ t: tOf(from + k), value: valueAt(from + k), status: Good }));

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0).reverse()) c(); });

const open = (dir: string) => openWriter(dir, { now: () => MIDNIGHT + DAY });

/** N's sample times the change feed sends after `cursor`, to its end, and the cursor there. */
function feedN(reader: ArchiveReader, cursor: ChangeCursor | null): { times: number[]; cursor: ChangeCursor | null } {
  const times: number[] = [];
  for (let more = true; more;) {
    const page = reader.readChangeColumns(cursor, 100_000);
    const ni = page.tags.indexOf('N');
    for (let i = 0; i < page.length; i++) if (page.tag[i] === ni) times.push(page.t[i]!);
    cursor = page.cursor;
    more = page.more;
  }
  return { times: times.sort((a, b) => a - b), cursor };
}

/**
 * Every sample of 0..n-1 stored once: N exactly, S within DEVIATION; the counters agree, and the
 * change feed sends each of N's samples once, also to a reader that had read it up to `before`
 * (which had sent N's samples `sentBefore`).
 */
function expectStoredOnce(dir: string, n: number, before: { cursor: ChangeCursor | null; sent: number[] }, where: string): void {
  const offered = samples(0, n).map(({ t, value }) => ({ t, value }));
  const reader = new ArchiveReader(dir);
  try {
    const rows = new Map<string, { t: number; value: number }[]>();
    for (const { name } of TAGS) {
      const read = reader.readRaw({ tags: name, start: T0, end: MIDNIGHT + DAY, pageSize: 100_000 }).rows;
      rows.set(name, read.map((r) => ({ t: r.t, value: r.value as number })));
      const times = read.map((r) => r.t);
      expect(times.filter((t, i) => i > 0 && t <= times[i - 1]!), `${name}: times out of order or twice ${where}`).toEqual([]);
    }
    expect(rows.get('N'), `N: every sample once ${where}`).toEqual(offered);
    const s = rows.get('S')!;
    const off = offered.filter((o) => { const v = lineAt(s, o.t); return v === null || Math.abs(v - o.value) > DEVIATION + 1e-9; });
    expect(off, `S: samples off its archived line ${where}`).toEqual([]);

    // The change feed: each of N's samples once (the catalog lists the volumes each write touched).
    expect(feedN(reader, null).times, `N: change feed from the start ${where}`).toEqual(offered.map((o) => o.t));
    const rest = offered.map((o) => o.t).filter((t) => !before.sent.includes(t));
    expect(feedN(reader, before.cursor).times, `N: change feed after the cursor read before the disk filled ${where}`).toEqual(rest);
  } finally {
    reader.close();
  }
  // Counters: what the volumes hold (no sample counted twice).
  const counters = new Map(catalogQuery<{ name: string; archived: number; added: number }>(dir, 'SELECT name, archived, added FROM tag').map((r) => [r.name, r]));
  expect(counters.get('N'), `N: counters ${where}`).toEqual({ name: 'N', archived: n, added: 0 });
  const c = counters.get('S')!;
  expect(c.archived + c.added, `S: counters ${where}`).toBe(rowsOf(dir, 'S'));
}

function rowsOf(dir: string, tag: string): number {
  const reader = new ArchiveReader(dir);
  try { return reader.readRaw({ tags: tag, start: T0, end: MIDNIGHT + DAY, pageSize: 100_000 }).rows.length; } finally { reader.close(); }
}

/** Today's volume may not grow: a write that needs a page fails with SQLITE_FULL. Returns what lifts it. */
function fillToday(w: Writer): () => void {
  const db = w.volumes.store(w.volumes.locate(MIDNIGHT)).db;
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  return () => void db.pragma('max_page_count = 1073741823');
}

/**
 * The catalog refuses its commit after the volumes' (its write lock held elsewhere, refused at
 * once, as in full-disk.test.ts: a full disk can refuse its WAL a frame the same way).
 */
function lockCatalog(w: Writer): () => void {
  w.catalog.db.pragma('busy_timeout = 0');
  const other = new Database(w.catalog.db.name);
  other.exec('BEGIN IMMEDIATE');
  return () => {
    other.close();
    if (w.catalog.db.open) w.catalog.db.pragma('busy_timeout = 5000'); // not after a crash
  };
}

const cases = (['today', 'catalog'] as const).flatMap((full) => (['day boundary', 'backfill'] as const).flatMap((how) =>
  (['close', 'crash'] as const).map((end) => ({ full, how, end }))));

describe('a flush writing two volumes, the second full', () => {
  it.each(cases)('$how, $full full, then $end: the first volume\'s points stored once, the archive writes on', ({ full, how, end }) => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    let w = open(tmp.dir);
    let closed = false;
    cleanups.push(() => { if (!closed) w.close(); });
    for (const tag of TAGS) w.defineTag(tag, T0);
    const append = (from: number, to: number) => { for (const { name } of TAGS) w.append(name, samples(from, to)); };

    // Before: yesterday's samples up to 600 (backfill: none yet, live from midnight, sample 1200).
    let next: number;
    if (how === 'day boundary') {
      for (let i = 0; i < 600; i += 60) { append(i, i + 60); w.flush(false); }
      next = 600;
    } else {
      for (let i = 1200; i < 1500; i += 60) { append(i, i + 60); w.flush(false); }
      next = 1500;
    }
    // A change-feed reader up to date before the disk fills.
    const reader = new ArchiveReader(tmp.dir);
    const fed = feedN(reader, null);
    reader.close();
    const before = { cursor: fed.cursor, sent: fed.times };
    // Both volumes made now: making one takes a catalog row.
    w.volumes.locate(START);
    w.volumes.locate(MIDNIGHT);
    const lift = full === 'today' ? fillToday(w) : lockCatalog(w);
    let lifted = false;
    cleanups.push(() => { if (!lifted) lift(); });
    // The flush that writes both: the day boundary crossed (600..1799), or samples 0..1199 back-filled
    // into yesterday's volume while 1500..1799 go live to today's.
    if (how === 'backfill') for (const { name } of TAGS) w.insert(name, samples(0, 1200));
    append(next, 1800);
    next = 1800;
    const failures: string[] = [];
    const flush = () => { try { w.flush(false); } catch (err) { failures.push((err as Error).message); } };
    flush();
    // More flushes while full, live points still coming to today's.
    for (; next < 1900; next += 20) { append(next, next + 20); flush(); }
    lift();
    lifted = true;
    expect(failures.length, 'flushes refused while full').toBeGreaterThanOrEqual(1);
    const why = full === 'today' ? /database or disk is full/ : /database is locked/;
    expect(failures.filter((m) => !why.test(m)), 'refused for another reason').toEqual([]);
    const failed = failures.length;
    // Space back: the archive keeps writing.
    for (; next < 2000; next += 20) { append(next, next + 20); flush(); }
    expect(failures.slice(failed), 'flushes after the space came back').toEqual([]);
    w.flush();

    if (end === 'crash') {
      crash(w);
      w = open(tmp.dir);
    }
    w.close();
    closed = true;
    expectStoredOnce(tmp.dir, next, before, `(${how}, ${failed} flushes refused, after ${end})`);
    w = open(tmp.dir);
    closed = false;
    w.close();
    closed = true;
    expectStoredOnce(tmp.dir, next, before, `(${how}, reopened after ${end})`);
  });
});

describe('a crash while the catalog refuses its commits', () => {
  it('flushes that wrote the volumes but not the catalog (one sequence number, reused): recovered with every sample counted once', () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const w = open(tmp.dir);
    for (const tag of TAGS) w.defineTag(tag, T0);
    const append = (from: number, to: number) => { for (const { name } of TAGS) w.append(name, samples(from, to)); };
    for (let i = 0; i < 600; i += 60) { append(i, i + 60); w.flush(false); }
    w.volumes.locate(MIDNIGHT);
    const lift = lockCatalog(w);
    const failures: string[] = [];
    try {
      // Across midnight, then in today's volume: each flush commits its volumes, the catalog refuses.
      for (let i = 600; i < 1800; i += 100) {
        append(i, i + 100);
        try { w.flush(false); } catch (err) { failures.push((err as Error).message); }
      }
      crash(w);
    } finally {
      lift();
    }
    expect(failures.length).toBe(12);
    expect(failures.filter((m) => !/database is locked/.test(m))).toEqual([]);

    const again = open(tmp.dir);
    again.close();
    // Every sample of N was committed to a volume (each flush wrote all it had): all there once, and counted once.
    const reader = new ArchiveReader(tmp.dir);
    let n: number[];
    try {
      n = reader.readRaw({ tags: 'N', start: T0, end: MIDNIGHT + DAY, pageSize: 100_000 }).rows.map((r) => r.t);
    } finally {
      reader.close();
    }
    expect(n).toEqual(samples(0, 1800).map((s) => s.t));
    const counters = new Map(catalogQuery<{ name: string; received: number; archived: number; added: number }>(tmp.dir, 'SELECT name, received, archived, added FROM tag').map((r) => [r.name, r]));
    expect(counters.get('N')).toEqual({ name: 'N', received: 1800, archived: 1800, added: 0 });
    const s = counters.get('S')!;
    expect(s.archived + s.added, 'S: counted as stored').toBe(rowsOf(tmp.dir, 'S'));
    expect(s.received, 'S: received').toBe(1800);
  });
});
