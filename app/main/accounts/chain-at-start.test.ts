/**
 * The station checks the audit chain at start (README, "The audit trail"): an entry changed in the
 * file (its guards dropped and put back, as someone with the file could) is found, said in the log
 * and in the trail itself, in the console's languages, never chained onto without a word.
 *
 * Real parts: the accounts module on a temp data directory, audit.sqlite changed with SQLite directly.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createLogger, silentLogger, type Logger } from '../log.js';
import { AccountsModule } from './module.js';
import { tempDir, TestClock, testConfig } from './testing/fixtures.js';
import { auditDetail } from '../../renderer/lib/audit-detail.js';
import { Translator } from '../../shared/i18n/index.js';

const cfg = testConfig();
let tmp: ReturnType<typeof tempDir>;

const openAccounts = (logger: Logger = silentLogger()) => AccountsModule.open({ dataDir: tmp.dir, config: () => cfg, logger, clock: new TestClock() });

/** Changes entry `seq`'s detail in the file, as an editor of the file could (the triggers dropped and put back). */
function tamper(seq: number, detail: string): void {
  const db = new Database(join(tmp.dir, 'audit.sqlite'));
  try {
    const triggers = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger'`).all() as { sql: string }[];
    db.exec('DROP TRIGGER audit_no_update');
    db.prepare('UPDATE audit SET detail = ? WHERE seq = ?').run(detail, seq);
    db.exec('DROP TRIGGER audit_no_delete');
    for (const t of triggers) db.exec(t.sql);
  } finally {
    db.close();
  }
}

beforeEach(() => {
  tmp = tempDir();
  const first = openAccounts();
  first.start();
  first.audit.record({ user: 'ivanova', role: 'operator', action: 'alarms.silence', result: 'ok', source: 'ipc:window' });
  first.stop();
});
afterEach(() => tmp.remove());

describe('the audit chain at start', () => {
  it('an intact chain adds nothing', () => {
    const m = openAccounts();
    m.start();
    expect(m.audit.read(0, 100).map((e) => e.action)).toEqual(['station.started', 'alarms.silence', 'station.stopped', 'station.started']);
    m.stop();
  });

  it('a changed entry is said in the log and in the trail, before anything chains onto it', () => {
    // Entries: 1 station.started, 2 alarms.silence, 3 station.stopped. Entry 2 changed by hand.
    tamper(2, 'nothing happened here');
    const lines: string[] = [];
    const m = openAccounts(createLogger({ level: 'info', destination: new Writable({ write(c, _e, done) { lines.push(String(c)); done(); } }) }));
    m.start();
    const entries = m.audit.read(0, 100);
    expect(entries.slice(3).map((e) => [e.action, e.result, e.detail])).toEqual([
      ['audit.chainBroken', 'failed', 'the audit chain is broken at entry 2: its content does not match its hash: the entry was changed'],
      ['station.started', 'ok', '0 accounts'],
    ]);
    expect(lines.some((l) => l.includes('"level":50') && l.includes('broken at entry 2'))).toBe(true);
    // The Audit page shows it in the console's language.
    for (const lang of ['ru', 'zh'] as const) {
      const tr = new Translator(lang);
      const said = auditDetail(entries[3]!.detail!, tr.t.bind(tr), lang);
      expect(said).not.toBe(entries[3]!.detail);
      expect(said).toContain('2');
    }
    m.stop();
  });
});
