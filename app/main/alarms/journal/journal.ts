/**
 * The alarm journal: every transition and action in <data>/alarms.sqlite,
 * beside the archive, and the alarm states kept across a restart (one
 * transaction writes both, so the journal never says what the kept state
 * does not). Each line has a durable sequence number (AUTOINCREMENT: never
 * reused, even after retention deletes old lines) for the sync's cursor:
 * read(afterSeq, max).
 *
 * WAL with synchronous=FULL: a committed line survives a power cut. On close
 * the WAL is checkpointed back into the file and removed.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { unreadableFile } from '../../sqlite-file-error.js';
import type { JournalEntry, JournalQuery } from '../../../shared/api.js';
import type { ActiveAtStart, KpiLine } from '../kpi.js';
import type { JournalDraft, PersistedAlarm } from '../engine/types.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS journal (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  t INTEGER NOT NULL,
  alarm_id TEXT NOT NULL,
  tag TEXT,
  area TEXT,
  condition TEXT NOT NULL,
  event TEXT NOT NULL,
  state TEXT NOT NULL,
  value TEXT NOT NULL,
  value_suspect INTEGER NOT NULL DEFAULT 0,
  priority INTEGER NOT NULL,
  user TEXT,
  comment TEXT,
  message TEXT NOT NULL,
  text TEXT
);
CREATE INDEX IF NOT EXISTS journal_t ON journal (t);
CREATE INDEX IF NOT EXISTS journal_tag ON journal (tag, t);
CREATE INDEX IF NOT EXISTS journal_alarm ON journal (alarm_id, seq);
CREATE TABLE IF NOT EXISTS alarm_state (id TEXT PRIMARY KEY, state TEXT NOT NULL);
`;

/** Whether the journal table has a column (journals from before value_suspect or text do not). */
export function hasColumn(db: Database.Database, name: 'value_suspect' | 'text'): boolean {
  return (db.prepare("SELECT count(*) FROM pragma_table_info('journal') WHERE name = ?").pluck().get(name) as number) > 0;
}

/** A stored message key ({key, params} as JSON), or null (an engineer's text, or a line from before keys were kept). */
export function storedText(json: unknown): JournalEntry['text'] {
  return typeof json === 'string' ? (JSON.parse(json) as JournalEntry['text']) : null;
}

/** What the file holds, for the message that names a damaged one. */
const HOLDS = 'the alarm journal and the alarm states kept across a restart';

/** A damaged file, or not a database (as unreadableFile names it, or SQLite's own error). */
export function isDamaged(err: unknown): boolean {
  const codeOf = (e: unknown) => (e as { code?: unknown } | null)?.code;
  const code = codeOf(err) ?? codeOf((err as { cause?: unknown } | null)?.cause);
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'));
}

/** How long a write waits for another connection's lock (ms) once the journal is open. */
export const WRITE_WAIT_MS = 100;

type Row = {
  seq: number; t: number; alarm_id: string; tag: string | null; area: string | null; condition: string; event: string; state: string;
  value: string; value_suspect: number; priority: number; user: string | null; comment: string | null; message: string; text: string | null;
};

function entryOf(r: Row): JournalEntry {
  return {
    seq: r.seq, t: r.t, alarmId: r.alarm_id, tag: r.tag, area: r.area, condition: r.condition as JournalEntry['condition'],
    event: r.event as JournalEntry['event'], state: r.state as JournalEntry['state'], value: JSON.parse(r.value) as JournalEntry['value'],
    valueSuspect: r.value_suspect === 1, priority: r.priority, user: r.user, comment: r.comment, message: r.message, text: storedText(r.text),
  };
}

export type JournalFilter = Omit<JournalQuery, 'beforeSeq' | 'limit'>;

/** Sequence bounds besides the filter: a page before (query) or after (export) a line, up to a snapshot's last line. */
type SeqBounds = { beforeSeq?: number | undefined; afterSeq?: number; atMostSeq?: number };

function where(q: JournalFilter & SeqBounds): { sql: string; args: unknown[] } {
  const parts: string[] = [];
  const args: unknown[] = [];
  const list = (column: string, values: readonly unknown[] | undefined) => {
    if (!values || values.length === 0) return;
    parts.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    args.push(...values);
  };
  const bound = (sql: string, value: number | undefined) => {
    if (value === undefined) return;
    parts.push(sql);
    args.push(value);
  };
  bound('t >= ?', q.from);
  bound('t < ?', q.to);
  bound('seq < ?', q.beforeSeq);
  bound('seq > ?', q.afterSeq);
  bound('seq <= ?', q.atMostSeq);
  list('tag', q.tags);
  list('area', q.areas);
  list('priority', q.priorities);
  list('event', q.events);
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args };
}

export class AlarmJournal {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly putState: Database.Statement;
  private readonly dropState: Database.Statement;

  private constructor(file: string) {
    this.file = file;
    this.db = new Database(file);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(SCHEMA);
      // Journals from before the mark: their lines say nothing of it (0); from before keys: their lines have none (NULL).
      if (!hasColumn(this.db, 'value_suspect')) this.db.exec('ALTER TABLE journal ADD COLUMN value_suspect INTEGER NOT NULL DEFAULT 0');
      if (!hasColumn(this.db, 'text')) this.db.exec('ALTER TABLE journal ADD COLUMN text TEXT');
      // Opened and migrated with a long wait; from now on a write waits briefly for another program's lock and
      // fails, to be held and retried (writer.ts), rather than stall the main thread (the alarm timer) for seconds.
      this.db.pragma(`busy_timeout = ${WRITE_WAIT_MS}`);
    } catch (err) {
      this.db.close();
      throw unreadableFile(file, HOLDS, err);
    }
    this.insert = this.db.prepare(
      'INSERT INTO journal (t, alarm_id, tag, area, condition, event, state, value, value_suspect, priority, user, comment, message, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.putState = this.db.prepare('INSERT INTO alarm_state (id, state) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state');
    this.dropState = this.db.prepare('DELETE FROM alarm_state WHERE id = ?');
  }

  static open(dataDir: string): AlarmJournal {
    mkdirSync(dataDir, { recursive: true });
    return new AlarmJournal(join(dataDir, 'alarms.sqlite'));
  }

  /** Journal lines and kept states in one transaction; returns the last sequence number written (0: none). */
  write(lines: readonly JournalDraft[], persist: readonly PersistedAlarm[] = [], removed: readonly string[] = []): number {
    let last = 0;
    this.db.transaction(() => {
      for (const l of lines) {
        const value = JSON.stringify(l.value ?? null) ?? 'null';
        const text = l.text ? JSON.stringify(l.text) : null;
        last = Number(this.insert.run(l.t, l.alarmId, l.tag, l.area, l.condition, l.event, l.state, value, l.valueSuspect ? 1 : 0, l.priority, l.user, l.comment, l.message, text).lastInsertRowid);
      }
      for (const p of persist) this.putState.run(p.id, JSON.stringify(p));
      for (const id of removed) this.dropState.run(id);
    })();
    return last;
  }

  states(): PersistedAlarm[] {
    return this.named(() => (this.db.prepare('SELECT state FROM alarm_state').all() as { state: string }[]).map((r) => JSON.parse(r.state) as PersistedAlarm));
  }

  /** Newest first, a page at a time: `next` is the beforeSeq of the following (older) page. */
  query(q: JournalQuery): { entries: JournalEntry[]; next: number | null } {
    const w = where(q);
    const rows = this.db.prepare(`SELECT * FROM journal ${w.sql} ORDER BY seq DESC LIMIT ?`).all(...w.args, q.limit) as Row[];
    const entries = rows.map(entryOf);
    return { entries, next: entries.length === q.limit ? entries[entries.length - 1]!.seq : null };
  }

  /** How many lines match, up to and with line `atMostSeq` (an export's snapshot: lines written meanwhile are not in it). */
  count(q: JournalFilter, atMostSeq: number): number {
    const w = where({ ...q, atMostSeq });
    return this.db.prepare(`SELECT count(*) FROM journal ${w.sql}`).pluck().get(...w.args) as number;
  }

  /** Oldest first, for an export: up to `limit` matching lines after line `afterSeq`, up to and with line `atMostSeq`. */
  page(q: JournalFilter, afterSeq: number, atMostSeq: number, limit: number): JournalEntry[] {
    const w = where({ ...q, afterSeq, atMostSeq });
    return (this.db.prepare(`SELECT * FROM journal ${w.sql} ORDER BY seq LIMIT ?`).all(...w.args, limit) as Row[]).map(entryOf);
  }

  /**
   * For the store-and-forward sync: lines after a sequence number, oldest
   * first, at most max. Keep the last seq delivered as the stream's
   * watermark and pass it next time. Lines older than the retention period
   * are deleted, so a sync that lags longer than that loses them.
   */
  read(afterSeq: number, max: number): JournalEntry[] {
    return (this.db.prepare('SELECT * FROM journal WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, max) as Row[]).map(entryOf);
  }

  lastSeq(): number {
    return (this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").get() as { seq: number } | undefined)?.seq ?? 0;
  }

  kpiLines(from: number, to: number): KpiLine[] {
    return (this.db.prepare('SELECT t, alarm_id, tag, condition, event, state, priority FROM journal WHERE t >= ? AND t < ? ORDER BY seq').all(from, to) as Row[]).map(
      (r) => ({ t: r.t, alarmId: r.alarm_id, tag: r.tag, condition: r.condition as KpiLine['condition'], event: r.event as KpiLine['event'], state: r.state, priority: r.priority }),
    );
  }

  /** Times of annunciations (shown with the horn: B) in [from, to), oldest first: the flood state a KPI period starts in. */
  annunciationTimes(from: number, to: number): number[] {
    return this.db
      .prepare("SELECT t FROM journal WHERE t >= ? AND t < ? AND event IN ('activated', 'escalated', 'reannunciated') AND state = 'B' ORDER BY t")
      .pluck()
      .all(from, to) as number[];
  }

  /** Alarms whose last activation or return before `t` was an activation: active at `t`, since the activation. */
  activeAt(t: number): ActiveAtStart[] {
    const rows = this.db
      .prepare(
        `SELECT j.alarm_id, j.tag, j.condition, j.event, j.t FROM journal j
         JOIN (SELECT alarm_id, MAX(seq) AS seq FROM journal WHERE t < ? AND event IN ('activated', 'returned', 'cleared', 'latched') GROUP BY alarm_id) last
         ON j.seq = last.seq`,
      )
      .all(t) as Row[];
    return rows.filter((r) => r.event === 'activated').map((r) => ({ alarmId: r.alarm_id, tag: r.tag, condition: r.condition as ActiveAtStart['condition'], since: r.t }));
  }

  /**
   * Deletes the lines older than the retention period, up to the first one within it (by number);
   * returns how many. Only ever a prefix: after the wall clock stepped back, lines by time no
   * longer rise with their numbers, and deleting by time alone cut a hole among lines not sent
   * upstream yet, which went unreported.
   */
  prune(retentionDays: number, now: number): number {
    const cutoff = now - retentionDays * 86_400_000;
    return this.named(() => this.db.prepare(
      'DELETE FROM journal WHERE seq < coalesce((SELECT min(seq) FROM journal WHERE t >= ?), (SELECT max(seq) + 1 FROM journal))',
    ).run(cutoff).changes);
  }

  /** A SQLite error names this file (and, for damage, what to do): the data directory holds several. */
  private named<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw unreadableFile(this.file, HOLDS, err);
    }
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    if (!this.db.open) return;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }

  /** True while SQLite's write-ahead log beside the file exists (it must not once closed). */
  get walExists(): boolean {
    return existsSync(`${this.file}-wal`);
  }
}
