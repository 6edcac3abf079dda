/** The audit trail: append-only, every entry chained to the one before, tampering found and named. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AuditTrail } from './trail.js';
import { tempDir, TestClock } from '../testing/fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let trail: AuditTrail;
let clock: TestClock;

beforeEach(() => {
  tmp = tempDir('vigil-audit-');
  clock = new TestClock();
  trail = AuditTrail.open(tmp.dir, clock);
  const actions = ['session.signIn', 'alarms.acknowledge', 'alarms.shelve', 'session.signOut', 'accounts.create', 'tags.configure'];
  actions.forEach((action, i) => {
    clock.advance(1000);
    trail.record({ user: 'ivanova', role: 'operator', action, target: `T${i + 1}`, result: i === 2 ? 'refused' : 'ok', source: 'ws:127.0.0.1', oldValue: i === 5 ? { hi: 80, lo: 10 } : undefined, newValue: i === 5 ? { lo: 10, hi: 85 } : undefined });
  });
});
afterEach(() => {
  trail.close();
  tmp.remove();
});

/** A second connection as a tamperer would open the file: triggers dropped. */
function tamper(sql: (db: Database.Database) => void): void {
  const db = new Database(join(tmp.dir, 'audit.sqlite'));
  db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
  sql(db);
  db.close();
}

describe('audit trail chain', () => {
  it('numbers entries 1, 2, 3 … and chains each hash over the previous as documented', () => {
    const all = trail.read(0, 100);
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(all[0].prev).toBe('0'.repeat(64));
    // The documented formula, computed here from the stored fields.
    for (const e of all) {
      const canonical = JSON.stringify([e.seq, e.at, e.user, e.role, e.action, e.target, e.oldValue, e.newValue, e.comment, e.result, e.detail, e.source]);
      expect(e.hash).toBe(createHash('sha256').update(`${e.prev}\n${canonical}`).digest('hex'));
    }
    expect(all.slice(1).map((e) => e.prev)).toEqual(all.slice(0, -1).map((e) => e.hash));
    // Values are stored as JSON with keys sorted, whatever order the caller used.
    expect([all[5].oldValue, all[5].newValue]).toEqual(['{"hi":80,"lo":10}', '{"hi":85,"lo":10}']);
    expect(trail.verify()).toEqual({ ok: true, entries: 6, head: { seq: 6, hash: all[5].hash }, guarded: true });
  });

  it('refuses UPDATE and DELETE through SQLite itself', () => {
    const db = new Database(join(tmp.dir, 'audit.sqlite'));
    expect(() => db.prepare("UPDATE audit SET result = 'ok' WHERE seq = 3").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit WHERE seq = 6').run()).toThrow(/append-only/);
    db.close();
  });

  it('names an edited entry', () => {
    tamper((db) => db.prepare("UPDATE audit SET result = 'ok' WHERE seq = 3").run());
    expect(trail.verify()).toEqual({ ok: false, entries: 2, broken: { seq: 3, reason: 'its content does not match its hash: the entry was changed' }, guarded: false });
  });

  it('checks the newest entries alone (the check at start): a break among them is named, one before them is not walked', () => {
    tamper((db) => db.prepare("UPDATE audit SET result = 'ok' WHERE seq = 3").run());
    // Entries 4–6 link to entry 3's stored hash: intact as a tail of 3.
    expect(trail.verifyTail(3)).toMatchObject({ ok: true, entries: 3 });
    expect(trail.verifyTail(4)).toMatchObject({ ok: false, entries: 0, broken: { seq: 3, reason: 'its content does not match its hash: the entry was changed' } });
    // The entry the tail starts after is gone: the walk starts from the first entry and names the gap.
    tamper((db) => db.prepare('DELETE FROM audit WHERE seq = 5').run());
    expect(trail.verifyTail(1)).toMatchObject({ ok: false, broken: { seq: 3 } });
    expect(trail.verifyTail(100)).toMatchObject({ ok: false, broken: { seq: 3 } });
  });

  it('names the entry after a deleted one', () => {
    tamper((db) => db.prepare('DELETE FROM audit WHERE seq = 4').run());
    expect(trail.verify()).toMatchObject({ ok: false, broken: { seq: 5, reason: 'follows entry 3: entry 4 is missing' } });
  });

  it('finds a deletion even when the later entries were renumbered to close the gap', () => {
    tamper((db) => {
      db.prepare('DELETE FROM audit WHERE seq = 2').run();
      for (const seq of [3, 4, 5, 6]) db.prepare('UPDATE audit SET seq = ? WHERE seq = ?').run(seq - 1, seq);
    });
    expect(trail.verify()).toMatchObject({ ok: false, broken: { seq: 2 } });
  });

  it('finds an entry put in between, even one whose own hash the forger computed right', () => {
    tamper((db) => {
      for (const seq of [6, 5, 4]) db.prepare('UPDATE audit SET seq = ? WHERE seq = ?').run(seq + 1, seq);
    });
    // The forged entry 4 is chained correctly onto entry 3, by the documented formula.
    const third = trail.read(2, 1)[0];
    const forged = { seq: 4, at: third.at + 500, user: 'petrov', role: 'supervisor', action: 'alarms.outOfService', target: 'T9', oldValue: null, newValue: null, comment: null, result: 'ok' as const, detail: null, source: 'ws:127.0.0.1' };
    const hash = createHash('sha256').update(`${third.hash}\n${JSON.stringify([forged.seq, forged.at, forged.user, forged.role, forged.action, forged.target, null, null, null, 'ok', null, forged.source])}`).digest('hex');
    tamper((db) =>
      db.prepare('INSERT INTO audit (seq, at, user, role, action, target, result, source, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(4, forged.at, forged.user, forged.role, forged.action, forged.target, 'ok', forged.source, third.hash, hash),
    );
    expect(trail.verify()).toMatchObject({ ok: false, broken: { seq: 5, reason: 'its link to the previous entry does not match that entry\'s hash: an entry before it was changed or removed' } });
  });

  it('finds an appended entry with a made-up hash', () => {
    tamper((db) => db.prepare("INSERT INTO audit (seq, at, action, result, prev, hash) VALUES (7, 0, 'x', 'ok', ?, ?)").run('0'.repeat(64), 'f'.repeat(64)));
    expect(trail.verify()).toMatchObject({ ok: false, broken: { seq: 7 } });
  });

  it('appends a burst in one transaction, chained like single entries', () => {
    trail.recordAll(['a', 'b', 'c'].map((target) => ({ user: null, role: null, action: 'alarms.shelveExpired', target, result: 'ok' as const, source: 'station' })));
    expect(trail.read(6, 10).map((e) => [e.seq, e.target])).toEqual([[7, 'a'], [8, 'b'], [9, 'c']]);
    expect(trail.verify()).toMatchObject({ ok: true, entries: 9 });
  });

  it('keeps chaining across reopen and beside a second writer', () => {
    const other = AuditTrail.open(tmp.dir, clock);
    other.record({ user: null, role: null, action: 'accounts.create', result: 'ok', source: 'cli:root' });
    trail.record({ user: 'ivanova', role: 'operator', action: 'session.signOut', result: 'ok' });
    other.close();
    expect(trail.read(6, 10).map((e) => [e.seq, e.action])).toEqual([[7, 'accounts.create'], [8, 'session.signOut']]);
    expect(trail.verify()).toMatchObject({ ok: true, entries: 8 });
  });
});

describe('audit trail reads', () => {
  it('read(afterSeq, max) pages forward by sequence number', () => {
    expect(trail.read(0, 2).map((e) => e.seq)).toEqual([1, 2]);
    expect(trail.read(2, 3).map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(trail.read(6, 10)).toEqual([]);
  });

  it('query filters by time, user, action prefix and result, newest first, in pages', () => {
    const t0 = trail.read(0, 1)[0].at;
    expect(trail.query({ limit: 10, result: 'refused' }).entries.map((e) => e.seq)).toEqual([3]);
    expect(trail.query({ limit: 10, action: 'session.' }).entries.map((e) => e.action)).toEqual(['session.signOut', 'session.signIn']);
    expect(trail.query({ limit: 10, action: 'alarms_' }).total).toBe(0); // _ is a literal, not a LIKE wildcard
    expect(trail.query({ limit: 10, from: t0 + 1000, to: t0 + 3000 }).entries.map((e) => e.seq)).toEqual([3, 2]);
    expect(trail.query({ limit: 10, user: 'petrov' }).total).toBe(0);
    const first = trail.query({ limit: 4 });
    expect([first.entries.map((e) => e.seq), first.total, first.more]).toEqual([[6, 5, 4, 3], 6, true]);
    const second = trail.query({ limit: 4, beforeSeq: 3 });
    expect([second.entries.map((e) => e.seq), second.total, second.more]).toEqual([[2, 1], 6, false]);
  });

  it('opens read-only for verify and export, without writing', () => {
    const ro = AuditTrail.openReadOnly(tmp.dir);
    expect(ro.verify()).toMatchObject({ ok: true, entries: 6 });
    expect(() => ro.record({ user: null, role: null, action: 'x', result: 'ok' })).toThrow(/readonly/i);
    ro.close();
  });

  it('a read-only open of a closed trail leaves no -wal or -shm beside it, and the file as it was', () => {
    trail.close();
    const file = join(tmp.dir, 'audit.sqlite');
    const before = readFileSync(file);
    const ro = AuditTrail.openReadOnly(tmp.dir);
    expect(ro.verify()).toMatchObject({ ok: true, entries: 6 });
    ro.close();
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('audit.sqlite'))).toEqual(['audit.sqlite']);
    expect(readFileSync(file).equals(before)).toBe(true);
    trail = AuditTrail.open(tmp.dir, clock);
  });

  it('closes into one file: the WAL is folded back and removed', () => {
    trail.close();
    expect(existsSync(join(tmp.dir, 'audit.sqlite'))).toBe(true);
    expect(existsSync(join(tmp.dir, 'audit.sqlite-wal'))).toBe(false);
    trail = AuditTrail.open(tmp.dir, clock);
  });
});
