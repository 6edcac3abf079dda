/** A acquisition.sqlite (gap ledger) that is not a readable database stops the station with its path and what to do, and is left as it was. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GapLedger } from './gap-ledger.js';

describe('gap ledger file', () => {
  let dir: string;
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'vigil-ledger-db-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a damaged file names itself and what to do, and is not changed', () => {
    const file = join(dir, 'acquisition.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1)');
    db.close();
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 100, 4096); // the schema page's b-tree, past the file header
    writeFileSync(file, bytes);
    expect(() => new GapLedger(file)).toThrow(`${file}: database disk image is malformed`);
    expect(() => new GapLedger(file)).toThrow(/restore it from a backup, or move it .*aside/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('a file that is not a database at all says so the same way', () => {
    const file = join(dir, 'acquisition.sqlite');
    writeFileSync(file, 'not a database\n'.repeat(500));
    expect(() => new GapLedger(file)).toThrow(`${file}: file is not a database`);
    expect(() => new GapLedger(file)).toThrow(/restore it from a backup, or move it .*aside/);
    expect(readFileSync(file, 'utf8')).toBe('not a database\n'.repeat(500));
  });
});
