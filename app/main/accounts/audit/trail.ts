/**
 * The audit trail, <data>/audit.sqlite: append-only (triggers refuse UPDATE
 * and DELETE), one row per entry with a durable sequence number and a hash
 * chained over the previous entry (chain.ts). record() is synchronous and
 * commits before it returns (synchronous=FULL), so an action's entry is on
 * disk before its answer leaves the station. A CLI may append beside a
 * running station: each append is one IMMEDIATE transaction that reads the
 * head and writes after it.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEntry, AuditFilter } from '../../../shared/api.js';
import type { AuditRecord, AuditSink } from '../../api/audit-sink.js';
import { systemClock, type Clock } from '../clock.js';
import { closeStore, openStore, openStoreReadOnly, type Db } from '../sqlite.js';
import { unreadableFile } from '../../sqlite-file-error.js';
import { canonicalJson, chainHash, GENESIS } from './chain.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  user TEXT,
  role TEXT,
  action TEXT NOT NULL,
  target TEXT,
  old_value TEXT,
  new_value TEXT,
  comment TEXT,
  result TEXT NOT NULL,
  detail TEXT,
  source TEXT,
  prev TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS audit_at ON audit(at);
CREATE INDEX IF NOT EXISTS audit_user ON audit(user);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
`;

/** An entry as stored and forwarded: with the hash it was chained with. */
export interface ChainedEntry extends AuditEntry {
  prev: string;
  hash: string;
}

interface Row {
  seq: number;
  at: number;
  user: string | null;
  role: string | null;
  action: string;
  target: string | null;
  old_value: string | null;
  new_value: string | null;
  comment: string | null;
  result: AuditEntry['result'];
  detail: string | null;
  source: string | null;
  prev: string;
  hash: string;
}

export type VerifyReport = (
  | { ok: true; entries: number; head: { seq: number; hash: string } | null }
  | { ok: false; entries: number; broken: { seq: number; reason: string } }
) & {
  /** False when the triggers that refuse UPDATE and DELETE were dropped: someone worked on the file. */
  guarded: boolean;
};

const GUARDS = ['audit_no_update', 'audit_no_delete'];

export class AuditTrail implements AuditSink {
  private readonly append: (e: AuditRecord) => ChainedEntry;
  private readonly appendAll: (entries: readonly AuditRecord[]) => void;
  /** The file as opened: one deleted or replaced since would take entries nobody ever reads. */
  private readonly identity: { dev: number; ino: number };

  private constructor(
    private readonly db: Db,
    readonly file: string,
    private readonly clock: Clock,
    /** Opened to verify or export: the connection may be writable underneath (query_only), the trail is not. */
    private readonly readOnly = false,
  ) {
    const st = statSync(file);
    this.identity = { dev: st.dev, ino: st.ino };
    const head = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
    const insert = db.prepare(
      `INSERT INTO audit (seq, at, user, role, action, target, old_value, new_value, comment, result, detail, source, prev, hash)
       VALUES (@seq, @at, @user, @role, @action, @target, @oldValue, @newValue, @comment, @result, @detail, @source, @prev, @hash)`,
    );
    const one = (r: AuditRecord): ChainedEntry => {
      const last = head.get() as { seq: number; hash: string } | undefined;
      const entry: AuditEntry = {
        seq: (last?.seq ?? 0) + 1,
        at: Math.trunc(r.at ?? this.clock.now()),
        user: r.user ?? null,
        role: r.role ?? null,
        action: r.action,
        target: r.target ?? null,
        oldValue: canonicalJson(r.oldValue),
        newValue: canonicalJson(r.newValue),
        comment: r.comment ?? null,
        result: r.result,
        detail: r.detail ?? null,
        source: r.source ?? null,
      };
      const prev = last?.hash ?? GENESIS;
      const chained = { ...entry, prev, hash: chainHash(prev, entry) };
      insert.run(chained);
      return chained;
    };
    this.append = db.transaction(one).immediate;
    this.appendAll = db.transaction((entries: readonly AuditRecord[]) => {
      for (const e of entries) one(e);
    }).immediate;
  }

  static open(dataDir: string, clock: Clock = systemClock): AuditTrail {
    const file = join(dataDir, 'audit.sqlite');
    return new AuditTrail(openStore(file, SCHEMA, 'the audit trail'), file, clock);
  }

  /** Reads an existing trail without touching it (verify, export); record() then fails. */
  static openReadOnly(dataDir: string): AuditTrail {
    const file = join(dataDir, 'audit.sqlite');
    const db = openStoreReadOnly(file, 'the audit trail');
    try {
      return new AuditTrail(db, file, systemClock, true);
    } catch (err) {
      db.close();
      throw unreadableFile(file, 'the audit trail', err); // a damaged file, or not a trail: named
    }
  }

  /** Appends one entry, committed to disk when this returns. */
  record(entry: AuditRecord): void {
    this.assertWritable();
    this.append(entry);
  }

  /**
   * Appends a burst (a thousand shelves expiring at once) in one transaction:
   * one disk sync instead of one per entry (each is several ms); all or none.
   */
  recordAll(entries: readonly AuditRecord[]): void {
    if (entries.length === 0) return;
    this.assertWritable();
    this.appendAll(entries);
  }

  /** Appends and returns the stored entry (its seq and hash). */
  recordEntry(entry: AuditRecord): ChainedEntry {
    this.assertWritable();
    return this.append(entry);
  }

  /**
   * Throws, saying why, when an entry cannot be written where the trail is read: closed,
   * read-only, or the file deleted or replaced since it was opened (SQLite would go on
   * writing to the old one, and the entries would be lost without an error).
   */
  assertWritable(): void {
    if (!this.db.open) throw new Error(`${this.file}: the audit trail is closed`);
    if (this.readOnly || this.db.readonly) throw new Error(`${this.file}: the audit trail is opened readonly (to verify or export)`);
    let st;
    try {
      st = statSync(this.file);
    } catch (err) {
      throw new Error(`${this.file}: the audit trail file is gone (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
    }
    if (st.dev !== this.identity.dev || st.ino !== this.identity.ino) throw new Error(`${this.file}: the audit trail file was replaced since the station opened it`);
  }

  /**
   * For the store-and-forward sync: up to `max` entries after sequence number
   * `afterSeq`, oldest first, with their chain hashes. Keep the last seq sent
   * as the watermark; sequence numbers are never reused and never change.
   */
  read(afterSeq: number, max: number): ChainedEntry[] {
    const rows = this.db.prepare('SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, max) as Row[];
    return rows.map(chained);
  }

  /** The newest entries first, matching the filter, `limit` at a time; pass the last seq seen as beforeSeq for the next page. */
  query(filter: AuditFilter & { beforeSeq?: number; limit: number }): { entries: AuditEntry[]; total: number; more: boolean } {
    const { where, args } = whereOf(filter);
    const total = (this.db.prepare(`SELECT count(*) AS n FROM audit ${where}`).get(...args) as { n: number }).n;
    const page = whereOf(filter, filter.beforeSeq);
    const rows = this.db.prepare(`SELECT * FROM audit ${page.where} ORDER BY seq DESC LIMIT ?`).all(...page.args, filter.limit + 1) as Row[];
    const more = rows.length > filter.limit;
    return { entries: rows.slice(0, filter.limit).map(plain), total, more };
  }

  /** Every entry matching the filter, oldest first. */
  *entries(filter: AuditFilter = {}): Generator<ChainedEntry> {
    const { where, args } = whereOf(filter);
    for (const row of this.db.prepare(`SELECT * FROM audit ${where} ORDER BY seq`).iterate(...args) as Iterable<Row>) yield chained(row);
  }

  /** Walks the whole chain; names the first entry whose hash, link or number is not what the entries before it make it. */
  verify(): VerifyReport {
    return this.verifyFrom(0);
  }

  /**
   * Walks the newest `count` entries (and the link to the one before them): what the station checks
   * at each start, in bounded time however long the trail (`npm run audit -- verify` walks it all).
   */
  verifyTail(count: number): VerifyReport {
    const head = this.db.prepare('SELECT max(seq) AS seq FROM audit').get() as { seq: number | null };
    return this.verifyFrom(Math.max(0, (head.seq ?? 0) - count));
  }

  /** Walks the entries after `afterSeq`, taking that entry's stored hash as the start of the chain. */
  private verifyFrom(afterSeq: number): VerifyReport {
    const triggers = this.db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name IN (${GUARDS.map(() => '?').join(', ')})`).get(...GUARDS) as { n: number };
    const guarded = triggers.n === GUARDS.length;
    const before = afterSeq > 0 ? (this.db.prepare('SELECT hash FROM audit WHERE seq = ?').get(afterSeq) as { hash: string } | undefined) : undefined;
    let prev = before?.hash ?? GENESIS;
    // An entry missing where the walk starts is found by the numbering: it then starts from the genesis.
    let expected = before ? afterSeq + 1 : 1;
    let count = 0;
    const from = before ? afterSeq : Number.MIN_SAFE_INTEGER; // the whole walk sees a number below 1 too
    for (const row of this.db.prepare('SELECT * FROM audit WHERE seq > ? ORDER BY seq').iterate(from) as Iterable<Row>) {
      const e = chained(row);
      const broken = (reason: string): VerifyReport => ({ ok: false, entries: count, broken: { seq: e.seq, reason }, guarded });
      if (e.seq !== expected) {
        return broken(e.seq > expected ? `follows entry ${expected - 1}: entr${e.seq - expected > 1 ? `ies ${expected}–${e.seq - 1} are` : `y ${expected} is`} missing` : `sequence number ${e.seq} out of order (expected ${expected})`);
      }
      if (e.prev !== prev) return broken('its link to the previous entry does not match that entry\'s hash: an entry before it was changed or removed');
      if (chainHash(prev, e) !== e.hash) return broken('its content does not match its hash: the entry was changed');
      prev = e.hash;
      expected++;
      count++;
    }
    return { ok: true, entries: count, head: count > 0 ? { seq: expected - 1, hash: prev } : null, guarded };
  }

  close(): void {
    closeStore(this.db);
  }
}

function whereOf(f: AuditFilter, beforeSeq?: number): { where: string; args: (string | number)[] } {
  const clauses: string[] = [];
  const args: (string | number)[] = [];
  const add = (clause: string, arg: string | number) => {
    clauses.push(clause);
    args.push(arg);
  };
  if (f.from !== undefined) add('at >= ?', f.from);
  if (f.to !== undefined) add('at < ?', f.to);
  if (f.user) add('user = ?', f.user);
  if (f.action) add("action LIKE ? ESCAPE '\\'", `${f.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.result) add('result = ?', f.result);
  if (beforeSeq !== undefined) add('seq < ?', beforeSeq);
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', args };
}

function plain(r: Row): AuditEntry {
  return {
    seq: r.seq,
    at: r.at,
    user: r.user,
    role: r.role,
    action: r.action,
    target: r.target,
    oldValue: r.old_value,
    newValue: r.new_value,
    comment: r.comment,
    result: r.result,
    detail: r.detail,
    source: r.source,
  };
}

function chained(r: Row): ChainedEntry {
  return { ...plain(r), prev: r.prev, hash: r.hash };
}
