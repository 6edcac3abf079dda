/**
 * An accounts or audit file truncated to 0 bytes is refused with its path and what to do: SQLite
 * would take it as a new database, and the station would start with no trail or no accounts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditTrail } from './audit/trail.js';
import { AccountStore } from './store.js';
import { TestClock } from './testing/fixtures.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
const dir = () => { const d = mkdtempSync(join(tmpdir(), 'vigil-emptied-')); dirs.push(d); return d; };

describe('an emptied accounts or audit file', () => {
  it('the audit trail: refused, naming the file, and left at 0 bytes', () => {
    const d = dir();
    const file = join(d, 'audit.sqlite');
    writeFileSync(file, '');
    expect(() => AuditTrail.open(d, new TestClock())).toThrow(`${file}: the file is empty (0 bytes); it held the audit trail. Restore it from a backup`);
    expect(readFileSync(file).length).toBe(0);
  });

  it('the accounts: refused the same way; a missing file is still a new store', () => {
    const d = dir();
    const file = join(d, 'accounts.sqlite');
    writeFileSync(file, '');
    expect(() => AccountStore.open(d)).toThrow(`${file}: the file is empty (0 bytes); it held the accounts.`);
    expect(readFileSync(file).length).toBe(0);
    const fresh = dir();
    const store = AccountStore.open(fresh);
    expect(store.count()).toBe(0);
    store.close();
  });
});
