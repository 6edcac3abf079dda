/**
 * A sync.sqlite from before the re-send kept how many of its lines the upstream refused as past its
 * retention: its replay table lacks the column. Opened by this station, a re-send in it goes on
 * counting from 0 (what was refused before is not known), and the file keeps its other rows. The
 * file is built by SQL in the old shape (the replay table as it was), not by the store.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/harness.js';
import { SyncStore } from './sync-store.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const OLD_REPLAY = `
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE replay(id INTEGER PRIMARY KEY, upstream TEXT NOT NULL, stream TEXT NOT NULL, kind TEXT NOT NULL,
  from_pos TEXT, to_pos TEXT NOT NULL, position TEXT, reason TEXT NOT NULL,
  requested_at INTEGER NOT NULL, lines_sent INTEGER NOT NULL DEFAULT 0);
INSERT INTO meta(key, value) VALUES ('format', 'vigil-sync/1');
INSERT INTO replay(id, upstream, stream, kind, from_pos, to_pos, position, reason, requested_at, lines_sent)
  VALUES (7, 'region', 'samples', 'time', '1796000000000', '1796000600000', 'p:200', 'asked by ivanova', 1796100000000, 200);
`;

describe('a sync.sqlite whose re-sends kept no count of lines refused as past the retention', () => {
  it('is given the count on open; the re-send counts on, across a reopen', () => {
    const tmp = tempDir();
    cleanups.push(() => tmp.remove());
    const file = join(tmp.dir, 'old.sync.sqlite');
    const old = new Database(file);
    old.exec(OLD_REPLAY);
    old.close();

    let store = SyncStore.open(file);
    expect(store.replays('region')).toMatchObject([{ id: 7, kind: 'time', position: 'p:200', linesSent: 200 }]);
    expect(store.countPastRetention(7, 200)).toBe(200);
    store.close();
    store = SyncStore.open(file); // a station restart
    expect(store.countPastRetention(7, 150)).toBe(350);
    expect(store.countPastRetention(8, 5)).toBe(5); // a re-send no longer kept: what was just refused
    store.close();
  });
});
