/**
 * A file's SQLite error carries the file's name (SQLite's own "attempt to write a readonly
 * database" names none) and, when it cannot be written, what to do. The error is a real one:
 * a write through a read-only connection (file modes do not stop root, a read-only open does).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { inFile, openWritable } from './connections.js';

describe('errors of a volume file', () => {
  it('names the file it cannot write, keeps SQLite\'s code, and says what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-infile-'));
    try {
      const file = join(dir, 'month-2024-05-01.sqlite');
      openWritable(file).exec('CREATE TABLE t(x); INSERT INTO t VALUES (1)');
      const ro = new Database(file, { readonly: true });
      let caught: unknown;
      try {
        ro.exec('INSERT INTO t VALUES (2)');
      } catch (err) {
        caught = err;
      } finally {
        ro.close();
      }
      expect((caught as { code?: string }).code).toMatch(/^SQLITE_READONLY/);
      const named = inFile(file, caught) as Error & { code?: string };
      expect(named.message).toBe(`${file}: attempt to write a readonly database (the file cannot be written: give the user that runs the historian write permission on it and its folder)`);
      expect(named.code).toBe((caught as { code?: string }).code);
      // Named once, however many layers pass it on.
      expect(inFile(file, named)).toBe(named);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
