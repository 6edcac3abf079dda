/**
 * The gap ledger, <data>/acquisition.sqlite: every period a server's data did
 * not reach the station live (from the last evidence of the server to the
 * first data again, its cause, how far the backfill from the server's history
 * got), and every switch between a server's endpoints.
 *
 * Readers outside the station (the store-and-forward sync) call
 * read(afterSeq, max): entries in order of a durable sequence. Every insert
 * AND every change of an entry (a gap closing, its backfill finishing) gives
 * the entry the next sequence number, so a reader that keeps the last seq it
 * saw gets each entry again whenever it changed, and never misses a change.
 * The sequence survives restarts and is never reused.
 */
import Database from 'better-sqlite3';
import type { LedgerEntry } from '../../shared/api/acquisition.js';

type Backfill = NonNullable<LedgerEntry['backfill']>;

const DDL = `
CREATE TABLE IF NOT EXISTS ledger (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  seq INTEGER NOT NULL UNIQUE,
  server TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('gap', 'failover')),
  t_from INTEGER NOT NULL,
  t_to INTEGER,
  cause TEXT NOT NULL,
  endpoint TEXT,
  to_endpoint TEXT,
  backfill TEXT,
  backfilled INTEGER NOT NULL DEFAULT 0,
  note TEXT
);
CREATE INDEX IF NOT EXISTS ledger_server ON ledger(server, id);
CREATE TABLE IF NOT EXISTS counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO counter(name, value) VALUES ('seq', 0);
CREATE TABLE IF NOT EXISTS heartbeat (server TEXT PRIMARY KEY, t INTEGER NOT NULL);
`;

interface Row {
  id: number;
  seq: number;
  server: string;
  kind: 'gap' | 'failover';
  t_from: number;
  t_to: number | null;
  cause: string;
  endpoint: string | null;
  to_endpoint: string | null;
  backfill: Backfill | null;
  backfilled: number;
  note: string | null;
}

const entryOf = (r: Row): LedgerEntry => ({
  seq: r.seq, id: r.id, server: r.server, kind: r.kind, from: r.t_from, to: r.t_to, cause: r.cause, endpoint: r.endpoint,
  toEndpoint: r.to_endpoint, backfill: r.backfill, backfilledSamples: r.backfilled, note: r.note,
});

export class GapLedger {
  private readonly db: Database.Database;
  private readonly listeners = new Set<(entry: LedgerEntry) => void>();
  private readonly stmt;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // A gap must survive a power cut as surely as the data around it.
    this.db.pragma('synchronous = FULL');
    this.db.exec(DDL);
    this.stmt = {
      nextSeq: this.db.prepare("UPDATE counter SET value = value + 1 WHERE name = 'seq' RETURNING value"),
      insert: this.db.prepare(`INSERT INTO ledger(seq, server, kind, t_from, t_to, cause, endpoint, to_endpoint, backfill)
        VALUES (@seq, @server, @kind, @from, @to, @cause, @endpoint, @toEndpoint, @backfill) RETURNING *`),
      close: this.db.prepare('UPDATE ledger SET seq = @seq, t_to = @to, backfill = @backfill, note = COALESCE(@note, note) WHERE id = @id RETURNING *'),
      backfill: this.db.prepare('UPDATE ledger SET seq = @seq, backfill = @backfill, backfilled = @samples, note = @note WHERE id = @id RETURNING *'),
      open: this.db.prepare("SELECT * FROM ledger WHERE server = ? AND kind = 'gap' AND t_to IS NULL ORDER BY id"),
      unfinished: this.db.prepare("SELECT * FROM ledger WHERE server = ? AND kind = 'gap' AND t_to IS NOT NULL AND backfill IN ('pending', 'running') ORDER BY id"),
      list: this.db.prepare('SELECT * FROM ledger WHERE (@server IS NULL OR server = @server) ORDER BY id DESC LIMIT @limit'),
      read: this.db.prepare('SELECT * FROM ledger WHERE seq > ? ORDER BY seq LIMIT ?'),
      beat: this.db.prepare('INSERT INTO heartbeat(server, t) VALUES (?, ?) ON CONFLICT(server) DO UPDATE SET t = excluded.t'),
      lastBeat: this.db.prepare('SELECT t FROM heartbeat WHERE server = ?'),
      clearBeat: this.db.prepare('DELETE FROM heartbeat WHERE server = ?'),
    };
  }

  onChange(listener: (entry: LedgerEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  openGap(server: string, from: number, cause: string, endpoint: string | null): LedgerEntry {
    return this.write(() => this.stmt.insert.get({ seq: this.seq(), server, kind: 'gap', from: Math.trunc(from), to: null, cause, endpoint, toEndpoint: null, backfill: null }) as Row);
  }

  closeGap(id: number, to: number, backfill: Backfill, note: string | null = null): LedgerEntry {
    return this.write(() => this.stmt.close.get({ seq: this.seq(), id, to: Math.trunc(to), backfill, note }) as Row);
  }

  setBackfill(id: number, backfill: Backfill, samples: number, note: string | null): LedgerEntry {
    return this.write(() => this.stmt.backfill.get({ seq: this.seq(), id, backfill, samples, note }) as Row);
  }

  failover(server: string, t: number, from: string | null, to: string, cause: string): LedgerEntry {
    return this.write(() => this.stmt.insert.get({ seq: this.seq(), server, kind: 'failover', from: Math.trunc(t), to: Math.trunc(t), cause, endpoint: from, toEndpoint: to, backfill: null }) as Row);
  }

  /** Gaps of this server still open (the station stopped, or the server is still lost). */
  openGaps(server: string): LedgerEntry[] {
    return (this.stmt.open.all(server) as Row[]).map(entryOf);
  }

  /** Closed gaps whose backfill never finished (the station stopped during it). */
  unfinishedBackfills(server: string): LedgerEntry[] {
    return (this.stmt.unfinished.all(server) as Row[]).map(entryOf);
  }

  /** Newest first. */
  list(server: string | null, limit: number): LedgerEntry[] {
    return (this.stmt.list.all({ server, limit }) as Row[]).map(entryOf);
  }

  /** Entries inserted or changed after afterSeq, in sequence order, at most max. */
  read(afterSeq: number, max: number): LedgerEntry[] {
    return (this.stmt.read.all(afterSeq, Math.max(1, Math.trunc(max))) as Row[]).map(entryOf);
  }

  /** The last moment this server was known to answer, kept so that an unclean stop still leaves a gap. */
  heartbeat(server: string, t: number): void {
    this.stmt.beat.run(server, Math.trunc(t));
  }

  lastHeartbeat(server: string): number | null {
    return (this.stmt.lastBeat.get(server) as { t: number } | undefined)?.t ?? null;
  }

  clearHeartbeat(server: string): void {
    this.stmt.clearBeat.run(server);
  }

  close(): void {
    this.db.close();
  }

  private seq(): number {
    return (this.stmt.nextSeq.get() as { value: number }).value;
  }

  private write(fn: () => Row): LedgerEntry {
    const entry = entryOf(this.db.transaction(fn)());
    for (const l of this.listeners) l(entry);
    return entry;
  }
}
