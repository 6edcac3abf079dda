/**
 * A sync.sqlite written before the quarantine kept one row per line (before quarantine_point,
 * commit 4482cf1) holds a row per re-send of the same refused line. Opened by this station, each
 * line is left once: its first row (id, origin, record), with the newest refusal's reason and time,
 * and a retry pending on any copy. The file is built by SQL in the old shape, not by the store.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/harness.js';
import { SyncStore } from './sync-store.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** The tables of sync.sqlite as 4482cf1^ made them (git show 4482cf1^:app/main/sync/store/schema.ts): no quarantine_point, no version. */
const OLD_DDL = `
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE watermark(upstream TEXT NOT NULL, stream TEXT NOT NULL, cursor TEXT, split TEXT, live TEXT,
  updated_at INTEGER NOT NULL, PRIMARY KEY(upstream, stream)) WITHOUT ROWID;
CREATE TABLE inflight(upstream TEXT PRIMARY KEY, lane TEXT NOT NULL, stream TEXT NOT NULL,
  from_cursor TEXT, to_cursor TEXT, settled INTEGER NOT NULL, sending INTEGER NOT NULL,
  started_at INTEGER NOT NULL, max_lines INTEGER, digest TEXT) WITHOUT ROWID;
CREATE TABLE acked(id INTEGER PRIMARY KEY, upstream TEXT NOT NULL, stream TEXT NOT NULL,
  from_cursor TEXT, to_cursor TEXT NOT NULL, lines INTEGER NOT NULL, acked_at INTEGER NOT NULL);
CREATE INDEX acked_at ON acked(upstream, acked_at);
CREATE TABLE acked_line(id INTEGER PRIMARY KEY, upstream TEXT NOT NULL, stream TEXT NOT NULL, line TEXT NOT NULL,
  key TEXT NOT NULL, t INTEGER NOT NULL, record TEXT, acked_at INTEGER NOT NULL);
CREATE INDEX acked_line_at ON acked_line(upstream, acked_at);
CREATE TABLE quarantine(id INTEGER PRIMARY KEY, upstream TEXT NOT NULL, stream TEXT NOT NULL, origin TEXT NOT NULL,
  line TEXT NOT NULL, reason TEXT NOT NULL, key TEXT NOT NULL, t INTEGER NOT NULL, record TEXT,
  at INTEGER NOT NULL, retry INTEGER NOT NULL DEFAULT 0);
CREATE INDEX quarantine_upstream ON quarantine(upstream, id);
CREATE TABLE replay(id INTEGER PRIMARY KEY, upstream TEXT NOT NULL, stream TEXT NOT NULL, kind TEXT NOT NULL,
  from_pos TEXT, to_pos TEXT NOT NULL, position TEXT, reason TEXT NOT NULL,
  requested_at INTEGER NOT NULL, lines_sent INTEGER NOT NULL DEFAULT 0);
CREATE TABLE upstream_state(upstream TEXT PRIMARY KEY, paused TEXT, start_time INTEGER, start_seen_at INTEGER,
  sent_lines INTEGER NOT NULL DEFAULT 0, resent_lines INTEGER NOT NULL DEFAULT 0,
  status TEXT, status_at INTEGER) WITHOUT ROWID;
CREATE TABLE checkpoint(id INTEGER PRIMARY KEY, upstream TEXT NOT NULL, at INTEGER NOT NULL, cursors TEXT NOT NULL, witness TEXT NOT NULL);
CREATE INDEX checkpoint_at ON checkpoint(upstream, at);
CREATE TABLE request(id INTEGER PRIMARY KEY, upstream TEXT NOT NULL, action TEXT NOT NULL, at INTEGER NOT NULL);
CREATE TABLE loss(id INTEGER PRIMARY KEY, stream TEXT NOT NULL, detail TEXT NOT NULL, at INTEGER NOT NULL);
CREATE TABLE loss_hole(id INTEGER PRIMARY KEY, upstream TEXT NOT NULL, stream TEXT NOT NULL, first INTEGER, last INTEGER, name TEXT);
CREATE INDEX loss_hole_of ON loss_hole(upstream, stream, first);
INSERT INTO meta(key, value) VALUES ('format', 'vigil-sync/1');
`;

const LINE_A = 'tf,area=A,site=North,tag=TI-101 value=1 1796000000000';
const LINE_B = 'tf,area=A,site=North,tag=TI-102 value=2 1796000001000';
const LINE_C = 'tf,area=A,site=North,tag=TI-103 value=3 1796000002000';

type Row = [id: number, upstream: string, stream: string, origin: string, line: string, reason: string, key: string, t: number, record: string | null, at: number, retry: number];

/** What an old station wrote: line A refused three times by region (a retry marked on the second copy), twice by backup, B once, C twice. */
const OLD_ROWS: Row[] = [
  [1, 'region', 'samples', 'upstream', LINE_A, 'HTTP 400: field type conflict', 'TI-101', 1_796_000_000_000, '{"n":1}', 1_796_100_000_000, 0],
  [2, 'region', 'samples', 'upstream', LINE_B, 'HTTP 400: bad timestamp', 'TI-102', 1_796_000_001_000, '{"n":2}', 1_796_100_000_500, 0],
  [3, 'backup', 'samples', 'upstream', LINE_A, 'HTTP 400: first answer', 'TI-101', 1_796_000_000_000, '{"n":1}', 1_796_100_000_600, 0],
  [4, 'region', 'samples', 'upstream', LINE_A, 'HTTP 400: second answer', 'TI-101', 1_796_000_000_000, '{"n":1}', 1_796_100_060_000, 1],
  [5, 'region', 'samples', 'station', LINE_C, 'NaN with a usable status', 'TI-103', 1_796_000_002_000, '{"n":3}', 1_796_100_060_500, 0],
  [6, 'region', 'samples', 'upstream', LINE_A, 'HTTP 400: newest answer', 'TI-101', 1_796_000_000_000, '{"n":1}', 1_796_100_120_000, 0],
  [7, 'backup', 'samples', 'upstream', LINE_A, 'HTTP 400: second answer there', 'TI-101', 1_796_000_000_000, '{"n":1}', 1_796_100_120_500, 0],
  [8, 'region', 'samples', 'station', LINE_C, 'NaN with a usable status (again)', 'TI-103', 1_796_000_002_000, '{"n":3}', 1_796_100_121_000, 0],
  // The same point with another line (a rewritten sample): a different line, kept apart.
  [9, 'region', 'samples', 'upstream', LINE_A.replace('value=1', 'value=9'), 'HTTP 400: field type conflict', 'TI-101', 1_796_000_000_000, '{"n":9}', 1_796_100_121_500, 0],
];

function oldFile(): string {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const file = join(tmp.dir, 'sync.sqlite');
  const db = new Database(file);
  db.exec(OLD_DDL);
  const insert = db.prepare('INSERT INTO quarantine(id, upstream, stream, origin, line, reason, key, t, record, at, retry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const r of OLD_ROWS) insert.run(...r);
  db.prepare('INSERT INTO loss(stream, detail, at) VALUES (?, ?, ?)').run('alarms', '6 records (alarms 5–10) deleted at the station before they were sent', 1_796_100_000_000);
  db.close();
  return file;
}

function rows(file: string): Row[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT id, upstream, stream, origin, line, reason, key, t, record, at, retry FROM quarantine ORDER BY id').raw().all() as Row[];
  } finally {
    db.close();
  }
}

/** Each line once per upstream: worked out by hand from OLD_ROWS. */
const EXPECTED: Row[] = [
  // A on region: row 1 kept; reason and time of row 6 (the newest); the retry marked on row 4.
  [1, 'region', 'samples', 'upstream', LINE_A, 'HTTP 400: newest answer', 'TI-101', 1_796_000_000_000, '{"n":1}', 1_796_100_120_000, 1],
  [2, 'region', 'samples', 'upstream', LINE_B, 'HTTP 400: bad timestamp', 'TI-102', 1_796_000_001_000, '{"n":2}', 1_796_100_000_500, 0],
  // A on backup: row 3 kept with row 7's answer.
  [3, 'backup', 'samples', 'upstream', LINE_A, 'HTTP 400: second answer there', 'TI-101', 1_796_000_000_000, '{"n":1}', 1_796_100_120_500, 0],
  [5, 'region', 'samples', 'station', LINE_C, 'NaN with a usable status (again)', 'TI-103', 1_796_000_002_000, '{"n":3}', 1_796_100_121_000, 0],
  [9, 'region', 'samples', 'upstream', LINE_A.replace('value=1', 'value=9'), 'HTTP 400: field type conflict', 'TI-101', 1_796_000_000_000, '{"n":9}', 1_796_100_121_500, 0],
];

describe('a sync.sqlite from before one quarantine row per line', () => {
  it('is left with one row per line and upstream when opened, once', () => {
    const file = oldFile();
    expect(rows(file)).toHaveLength(OLD_ROWS.length);
    // Its losses name no upstream and have no message: the CLI (read-only, nothing migrated) shows their English.
    const oldLoss = { upstream: null, stream: 'alarms', detail: '6 records (alarms 5–10) deleted at the station before they were sent', text: null, at: 1_796_100_000_000 };
    const readOnly = SyncStore.openReadOnly(file);
    expect(readOnly.losses()).toEqual([oldLoss]);
    readOnly.close();

    const store = SyncStore.open(file);
    expect(store.losses()).toEqual([oldLoss]);
    expect(store.quarantine().map((q) => q.id)).toEqual([1, 2, 3, 5, 9]);
    expect(store.quarantineCounts()).toEqual(new Map([['region', 4], ['backup', 1]]));
    // A line refused again after the migration keeps its one row (as new writes do).
    store.addQuarantine('region', 'samples', [{ origin: 'upstream', line: LINE_B, reason: 'HTTP 400: later', key: 'TI-102', t: 1_796_000_001_000, record: '{"n":2}' }], 1_796_200_000_000);
    // What is kept across a station restart since (a check after an upstream restart not made yet,
    // a run of refusals): the old file gets their column and table.
    const pending = { seenAt: 5_000, startedAt: 1_796_000_000_000, tries: 2 };
    store.setPendingCheck('region', pending);
    store.addRefusal('region', { key: 'TI-101', t: 1_796_000_000_000, line: LINE_A });
    store.close();
    const after = rows(file);
    expect(after).toEqual(EXPECTED.map((r) => (r[0] === 2 ? [2, 'region', 'samples', 'upstream', LINE_B, 'HTTP 400: later', 'TI-102', 1_796_000_001_000, '{"n":2}', 1_796_200_000_000, 0] : r)));

    const db = new Database(file, { readonly: true });
    const version = db.pragma('user_version', { simple: true });
    db.close();
    expect(version).toBe(1);

    // Opened again: the migration does not run again (a row inserted as an old station would, kept).
    const raw = new Database(file);
    raw.prepare('INSERT INTO quarantine(upstream, stream, origin, line, reason, key, t, record, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run('region', 'samples', 'upstream', LINE_B, 'HTTP 400: by hand', 'TI-102', 1_796_000_001_000, null, 1_796_300_000_000);
    raw.close();
    const reopened = SyncStore.open(file);
    expect(reopened.pendingCheck('region')).toEqual(pending);
    expect(reopened.refusalRun('region')).toEqual([{ key: 'TI-101', t: 1_796_000_000_000, line: LINE_A }]);
    reopened.close();
    expect(rows(file)).toHaveLength(EXPECTED.length + 1);
  });

  it('a file of a newer schema is refused, naming it, and left as it is', () => {
    const file = oldFile();
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    expect(() => SyncStore.open(file)).toThrow(`${file}: schema version 99, this station knows up to 1`);
    expect(rows(file)).toHaveLength(OLD_ROWS.length);
  });
});
