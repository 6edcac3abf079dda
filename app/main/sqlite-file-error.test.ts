/**
 * A station database that is not readable (damaged, or not a database at all) stops the station
 * with its path and what to do, and is left as it was: each store that opens one through
 * unreadableFile, the same checks.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GapLedger } from './acquisition/gap-ledger.js';
import { openSyncDb } from './sync/store/schema.js';
import { TrendGroupStore } from './trends/groups.js';

const stores: [name: string, file: string, open: (file: string) => unknown][] = [
  ['sync store', 'sync.sqlite', (f) => openSyncDb(f)],
  ['gap ledger', 'acquisition.sqlite', (f) => new GapLedger(f)],
  ['trend groups', 'trends.sqlite', (f) => new TrendGroupStore(f)],
];

describe.each(stores)('%s file', (_name, base, open) => {
  let dir: string;
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'vigil-damaged-db-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a damaged file names itself and what to do, and is not changed', () => {
    const file = join(dir, base);
    const db = new Database(file);
    db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1)');
    db.close();
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 100, 4096); // the schema page's b-tree, past the file header
    writeFileSync(file, bytes);
    expect(() => open(file)).toThrow(`${file}: database disk image is malformed`);
    expect(() => open(file)).toThrow(/restore it from a backup, or move it .*aside/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('a file that is not a database at all says so the same way', () => {
    const file = join(dir, base);
    writeFileSync(file, 'not a database\n'.repeat(500));
    expect(() => open(file)).toThrow(`${file}: file is not a database`);
    expect(() => open(file)).toThrow(/restore it from a backup, or move it .*aside/);
    expect(readFileSync(file, 'utf8')).toBe('not a database\n'.repeat(500));
  });
});
