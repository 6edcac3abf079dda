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
import { unreadableFile } from '../sqlite-file-error.js';
import { ARCHIVE_STOPPED_NOTE, notArchivedNote } from './gap-note.js';

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
  note TEXT,
  written_at INTEGER
);
CREATE INDEX IF NOT EXISTS ledger_server ON ledger(server, id);
CREATE TABLE IF NOT EXISTS counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO counter(name, value) VALUES ('seq', 0);
CREATE TABLE IF NOT EXISTS heartbeat (server TEXT PRIMARY KEY, t INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS capacity_refused (server TEXT NOT NULL, tag TEXT NOT NULL, t_from INTEGER NOT NULL, after INTEGER, PRIMARY KEY (server, tag));
CREATE TABLE IF NOT EXISTS gap_scope (gap_id INTEGER NOT NULL, tag TEXT NOT NULL, covered INTEGER NOT NULL, after REAL, holes TEXT, PRIMARY KEY (gap_id, tag));
CREATE TABLE IF NOT EXISTS gap_runs (gap_id INTEGER PRIMARY KEY, samples INTEGER NOT NULL, read INTEGER NOT NULL, refused TEXT NOT NULL, history_from INTEGER, devices_ahead TEXT);
`;

/**
 * Which tags a pending gap covers, and per tag where its history is read from (ServerLink's
 * gapTags, gapAfter, gapHoles). Kept with the gap until its backfill ends: a station stopped or
 * killed before would otherwise read the gap for every tag from its start at the next run
 * (values that came live read twice, each tag's own start lost).
 * `tags` null: the gap covers every tag (after and holes then name some of them).
 */
export interface GapScope {
  tags: Set<string> | null;
  /** Per tag, its last value before the gap (-Infinity: none ever). */
  after: Map<string, number>;
  holes: Map<string, [number, number][]> | null;
}

/**
 * What a gap's earlier backfill runs found, while some of its tags are read again (backfill-put-off.ts
 * GapRuns): kept with the gap, so that a run after a restart ends the gap as all its runs found it.
 */
export interface GapRunsSoFar {
  /** Values archived by the earlier runs. */
  samples: number;
  /** Tags whose history was read. */
  read: number;
  /** Tags whose history the server refused for good, with its status name. */
  refused: { tag: string; status: string }[];
  /** The latest start of history the runs found after the gap's start (archive-start.ts historyStartsAfter). */
  historyFrom: number | null;
  /** Tags whose field device stamped values ahead while the server's clock was right: their history of the gap lies after it. */
  devicesAhead: string[];
}

/** Backfill states after which a gap is never read again: its scope is no longer needed. */
const ENDED = new Set<Backfill>(['done', 'partial', 'failed', 'unsupported', 'off']);

/** When a row was last written; rows from before the column existed: their latest own time. */
const WRITTEN_AT = 'COALESCE(written_at, t_to, t_from)';

/** A gap as the sync sends it (GapRecord of app/main/sync/streams/gaps.ts), with its place in the sequence. */
export interface SequencedGap {
  seq: number;
  writtenAt: number;
  server: string;
  start: number;
  end: number | null;
  reason: string;
}

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
  /** Gaps (by id) whose backfilled values the archive did not take in this run: pending until run again. */
  private readonly unarchived = new Set<number>();
  /**
   * Gaps (by id) whose values the archive could not take because its thread ended: not read again
   * in this run (nothing could store them: the retries would only load the server), but at the
   * next start, when the archive runs again (a new ledger).
   */
  private readonly archiveStopped = new Set<number>();
  private readonly stmt;
  /** Entries written inside together(): told to the listeners once its transaction committed. */
  private held: LedgerEntry[] | null = null;

  constructor(file: string) {
    this.db = new Database(file);
    try {
      this.db.pragma('journal_mode = WAL');
      // A gap must survive a power cut as surely as the data around it.
      this.db.pragma('synchronous = FULL');
      this.db.exec(DDL);
      // Ledgers written before written_at existed: the column is added, their rows fall back to their own times.
      const columns = this.db.prepare('SELECT name FROM pragma_table_info(\'ledger\')').pluck().all() as string[];
      if (!columns.includes('written_at')) this.db.exec('ALTER TABLE ledger ADD COLUMN written_at INTEGER');
      // Likewise gap_runs before devices_ahead: their gaps' runs saw no device ahead.
      const runs = this.db.prepare('SELECT name FROM pragma_table_info(\'gap_runs\')').pluck().all() as string[];
      if (!runs.includes('devices_ahead')) this.db.exec('ALTER TABLE gap_runs ADD COLUMN devices_ahead TEXT');
    } catch (err) {
      this.db.close();
      throw unreadableFile(file, 'the gap ledger and the namespace memory', err);
    }
    this.stmt = {
      nextSeq: this.db.prepare("UPDATE counter SET value = value + 1 WHERE name = 'seq' RETURNING value"),
      insert: this.db.prepare(`INSERT INTO ledger(seq, server, kind, t_from, t_to, cause, endpoint, to_endpoint, backfill, written_at)
        VALUES (@seq, @server, @kind, @from, @to, @cause, @endpoint, @toEndpoint, @backfill, @at) RETURNING *`),
      close: this.db.prepare('UPDATE ledger SET seq = @seq, t_to = @to, backfill = @backfill, note = COALESCE(@note, note), written_at = @at WHERE id = @id RETURNING *'),
      backfill: this.db.prepare('UPDATE ledger SET seq = @seq, backfill = @backfill, backfilled = @samples, note = @note, written_at = @at WHERE id = @id RETURNING *'),
      open: this.db.prepare("SELECT * FROM ledger WHERE server = ? AND kind = 'gap' AND t_to IS NULL ORDER BY id"),
      unfinished: this.db.prepare("SELECT * FROM ledger WHERE server = ? AND kind = 'gap' AND t_to IS NOT NULL AND backfill IN ('pending', 'running', 'archiving') ORDER BY id"),
      running: this.db.prepare("SELECT * FROM ledger WHERE server = ? AND kind = 'gap' AND backfill = 'running' ORDER BY seq DESC LIMIT 1"),
      byId: this.db.prepare('SELECT * FROM ledger WHERE id = ?'),
      list: this.db.prepare('SELECT * FROM ledger WHERE (@server IS NULL OR server = @server) ORDER BY id DESC LIMIT @limit'),
      read: this.db.prepare('SELECT * FROM ledger WHERE seq > ? ORDER BY seq LIMIT ?'),
      gaps: this.db.prepare(`SELECT seq, ${WRITTEN_AT} AS written_at, server, t_from, t_to, cause FROM ledger
        WHERE kind = 'gap' AND seq > @after AND (@until IS NULL OR seq <= @until) ORDER BY seq LIMIT @max`),
      gapHead: this.db.prepare("SELECT MAX(seq) FROM ledger WHERE kind = 'gap'").pluck(),
      gapBacklog: this.db.prepare(`SELECT COUNT(*) AS records, MIN(${WRITTEN_AT}) AS oldest FROM ledger WHERE kind = 'gap' AND seq > ?`),
      beat: this.db.prepare('INSERT INTO heartbeat(server, t) VALUES (?, ?) ON CONFLICT(server) DO UPDATE SET t = excluded.t'),
      lastBeat: this.db.prepare('SELECT t FROM heartbeat WHERE server = ?'),
      clearBeat: this.db.prepare('DELETE FROM heartbeat WHERE server = ?'),
      refuse: this.db.prepare('INSERT OR IGNORE INTO capacity_refused(server, tag, t_from, after) VALUES (?, ?, ?, ?)'),
      refused: this.db.prepare('SELECT tag, t_from, after FROM capacity_refused WHERE server = ?'),
      clearRefused: this.db.prepare('DELETE FROM capacity_refused WHERE server = ?'),
      scopeAdd: this.db.prepare('INSERT INTO gap_scope(gap_id, tag, covered, after, holes) VALUES (?, ?, ?, ?, ?)'),
      scopeClear: this.db.prepare('DELETE FROM gap_scope WHERE gap_id = ?'),
      runsPut: this.db.prepare('INSERT OR REPLACE INTO gap_runs(gap_id, samples, read, refused, history_from, devices_ahead) VALUES (?, ?, ?, ?, ?, ?)'),
      runsOf: this.db.prepare('SELECT samples, read, refused, history_from, devices_ahead FROM gap_runs WHERE gap_id = ?'),
      runsClear: this.db.prepare('DELETE FROM gap_runs WHERE gap_id = ?'),
      scopes: this.db.prepare(`SELECT s.gap_id, s.tag, s.covered, s.after, s.holes FROM gap_scope s JOIN ledger l ON l.id = s.gap_id
        WHERE l.server = ? AND l.kind = 'gap' AND (l.t_to IS NULL OR l.backfill IN ('pending', 'running', 'archiving'))`),
      // Rows left for gaps that ended without their scope cleared (never read again): not kept forever.
      scopeStale: this.db.prepare(`DELETE FROM gap_scope WHERE gap_id IN (SELECT id FROM ledger WHERE t_to IS NOT NULL
        AND (backfill IS NULL OR backfill NOT IN ('pending', 'running', 'archiving')))`),
      runsStale: this.db.prepare(`DELETE FROM gap_runs WHERE gap_id IN (SELECT id FROM ledger WHERE t_to IS NOT NULL
        AND (backfill IS NULL OR backfill NOT IN ('pending', 'running', 'archiving')))`),
    };
  }

  onChange(listener: (entry: LedgerEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A gap opens, with its scope (GapScope) in the same transaction: a station killed between the
   * two left a gap without one, read at the next start for every tag from its start (values that
   * came live archived again as backfilled; an open gap of a few tags taken for the whole server's).
   */
  openGap(server: string, from: number, cause: string, endpoint: string | null, scope: GapScope | null = null): LedgerEntry {
    return this.write(() => {
      const row = this.stmt.insert.get({ seq: this.seq(), server, kind: 'gap', from: Math.trunc(from), to: null, cause, endpoint, toEndpoint: null, backfill: null, at: Date.now() }) as Row;
      if (scope) this.writeScope(row.id, scope);
      return row;
    });
  }

  closeGap(id: number, to: number, backfill: Backfill, note: string | null = null): LedgerEntry {
    return this.write(() => {
      if (ENDED.has(backfill)) this.forgetScope(id);
      return this.stmt.close.get({ seq: this.seq(), id, to: Math.trunc(to), backfill, note, at: Date.now() }) as Row;
    });
  }

  /**
   * A gap already over (values lost while the server stayed up), opened and closed with its scope in
   * one transaction, and with `clearCapacityRefused` the capacity refusal it writes forgotten in it
   * too: a crash between left an open gap of some tags (taken at the next start for every tag's, from
   * its start), or one without scope, or the refusal neither kept nor written.
   */
  recordGap(server: string, from: number, to: number, cause: string, endpoint: string | null, backfill: Backfill, scope: GapScope | null, clearCapacityRefused = false): LedgerEntry {
    return this.together(() => {
      if (clearCapacityRefused) this.stmt.clearRefused.run(server);
      const gap = this.openGap(server, from, cause, endpoint, scope);
      return this.closeGap(gap.id, Math.max(from, to), backfill);
    });
  }

  /** Which tags this gap covers and where each is read from (GapScope), replacing what was kept; durable until its backfill ends. */
  setScope(id: number, scope: GapScope): void {
    this.db.transaction(() => this.writeScope(id, scope))();
  }

  /**
   * Some tags of a gap put off by the server (backfill-put-off.ts): the gap pending, what its runs
   * found so far and the scope left to read (`scope`: those tags), in one transaction. A restart
   * then reads those tags alone and ends the gap as all its runs found it.
   */
  putOff(id: number, soFar: GapRunsSoFar, note: string, scope: GapScope): LedgerEntry {
    return this.together(() => {
      this.stmt.runsPut.run(id, soFar.samples, soFar.read, JSON.stringify(soFar.refused), soFar.historyFrom, JSON.stringify(soFar.devicesAhead));
      this.writeScope(id, scope);
      return this.setBackfill(id, 'pending', soFar.samples, note);
    });
  }

  /** What the earlier runs of a gap found (putOff); null when none put anything off. */
  runsSoFar(id: number): GapRunsSoFar | null {
    const r = this.stmt.runsOf.get(id) as { samples: number; read: number; refused: string; history_from: number | null; devices_ahead: string | null } | undefined;
    return r ? {
      samples: r.samples, read: r.read, refused: JSON.parse(r.refused) as GapRunsSoFar['refused'], historyFrom: r.history_from,
      devicesAhead: r.devices_ahead === null ? [] : JSON.parse(r.devices_ahead) as string[],
    } : null;
  }

  /** The scopes kept for this server's gaps still open or not backfilled (the last run stopped before), by gap id. */
  scopes(server: string): Map<number, GapScope> {
    this.stmt.scopeStale.run();
    this.stmt.runsStale.run();
    const rows = this.stmt.scopes.all(server) as { gap_id: number; tag: string; covered: number; after: number | null; holes: string | null }[];
    const out = new Map<number, GapScope>();
    for (const r of rows) {
      let scope = out.get(r.gap_id);
      if (!scope) out.set(r.gap_id, scope = { tags: r.covered ? new Set() : null, after: new Map(), holes: null });
      scope.tags?.add(r.tag);
      if (r.after !== null) scope.after.set(r.tag, r.after);
      if (r.holes !== null) (scope.holes ??= new Map()).set(r.tag, JSON.parse(r.holes) as [number, number][]);
    }
    return out;
  }

  /**
   * How far a gap's backfill got. A gap whose values the archive did not take (notArchived) stays
   * pending whatever its backfill concludes after, until it is run again ('running'): nothing of
   * its history was stored.
   */
  setBackfill(id: number, backfill: Backfill, samples: number, note: string | null): LedgerEntry {
    if (backfill === 'running') this.unarchived.delete(id);
    else if (this.unarchived.has(id) && backfill !== 'pending') return entryOf(this.stmt.byId.get(id) as Row);
    return this.write(() => {
      if (ENDED.has(backfill)) this.forgetScope(id);
      return this.stmt.backfill.get({ seq: this.seq(), id, backfill, samples, note, at: Date.now() }) as Row;
    });
  }

  /**
   * The archive refused a gap's backfilled values: the gap is pending again, with why, and read
   * again while the link stays up (server-link.ts retries pending gaps) and at the next connection
   * or start. When the archive is stopped (its thread ended) it is read again only at the next
   * start: unfinishedBackfills leaves it out until then, and its note says the archive is stopped.
   */
  notArchived(id: number, archiveStopped = false): LedgerEntry {
    const entry = this.setBackfill(id, 'pending', 0, archiveStopped ? ARCHIVE_STOPPED_NOTE : notArchivedNote());
    this.unarchived.add(id);
    if (archiveStopped) this.archiveStopped.add(id);
    return entry;
  }

  /** The gap of this server whose backfill runs now (the one set running last); null when none does. */
  runningGap(server: string): LedgerEntry | null {
    const row = this.stmt.running.get(server) as Row | undefined;
    return row ? entryOf(row) : null;
  }

  failover(server: string, t: number, from: string | null, to: string, cause: string): LedgerEntry {
    return this.write(() => this.stmt.insert.get({ seq: this.seq(), server, kind: 'failover', from: Math.trunc(t), to: Math.trunc(t), cause, endpoint: from, toEndpoint: to, backfill: null, at: Date.now() }) as Row);
  }

  /** Gaps of this server still open (the station stopped, or the server is still lost). */
  openGaps(server: string): LedgerEntry[] {
    return (this.stmt.open.all(server) as Row[]).map(entryOf);
  }

  /** Closed gaps whose backfill never finished (the station stopped during it), but those waiting for a stopped archive. */
  unfinishedBackfills(server: string): LedgerEntry[] {
    return (this.stmt.unfinished.all(server) as Row[]).filter((r) => !this.archiveStopped.has(r.id)).map(entryOf);
  }

  /** Newest first. */
  list(server: string | null, limit: number): LedgerEntry[] {
    return (this.stmt.list.all({ server, limit }) as Row[]).map(entryOf);
  }

  /** Entries inserted or changed after afterSeq, in sequence order, at most max. */
  read(afterSeq: number, max: number): LedgerEntry[] {
    return (this.stmt.read.all(afterSeq, Math.max(1, Math.trunc(max))) as Row[]).map(entryOf);
  }

  /** Gap entries only (no failovers) with seq in (after, until], in sequence order, at most max: the sync's gap stream. */
  readGaps(after: number, max: number, until: number | null): SequencedGap[] {
    const rows = this.stmt.gaps.all({ after, until, max: Math.max(1, Math.trunc(max)) }) as { seq: number; written_at: number; server: string; t_from: number; t_to: number | null; cause: string }[];
    return rows.map((r) => ({ seq: r.seq, writtenAt: r.written_at, server: r.server, start: r.t_from, end: r.t_to, reason: r.cause }));
  }

  /** The newest gap entry's seq; null when no gap was ever recorded. */
  gapHead(): number | null {
    return (this.stmt.gapHead.get() as number | null) ?? null;
  }

  /** Gap entries after seq, and when the oldest of them was written. */
  gapBacklog(after: number): { records: number; oldestWrittenAt: number | null } {
    const r = this.stmt.gapBacklog.get(after) as { records: number; oldest: number | null };
    return { records: r.records, oldestWrittenAt: r.oldest };
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

  /**
   * Tags refused for the server's capacity since `from` (each with its last value before, or
   * none), kept until their gap is written: the gap is written closed when they are acquired, so a
   * station killed meanwhile would leave their time without values out of the ledger
   * (lost-values.ts). The next start writes it from here.
   */
  noteCapacityRefused(server: string, from: number, after: ReadonlyMap<string, number>): void {
    this.db.transaction(() => {
      for (const [tag, t] of after) this.stmt.refuse.run(server, tag, Math.trunc(from), Number.isFinite(t) ? Math.trunc(t) : null);
    })();
  }

  /** The capacity refusal a run left unwritten (killed): since when, and per tag its last value before (-Infinity: none). */
  capacityRefusedLeft(server: string): { from: number; after: Map<string, number> } | null {
    const rows = this.stmt.refused.all(server) as { tag: string; t_from: number; after: number | null }[];
    if (rows.length === 0) return null;
    return { from: Math.min(...rows.map((r) => r.t_from)), after: new Map(rows.map((r) => [r.tag, r.after ?? -Infinity])) };
  }

  clearCapacityRefused(server: string): void {
    this.stmt.clearRefused.run(server);
  }

  close(): void {
    this.db.close();
  }

  private seq(): number {
    return (this.stmt.nextSeq.get() as { value: number }).value;
  }

  private write(fn: () => Row): LedgerEntry {
    const entry = entryOf(this.db.transaction(fn)());
    if (this.held) this.held.push(entry);
    else for (const l of this.listeners) l(entry);
    return entry;
  }

  /** fn's writes in one transaction; the listeners hear of them once it committed (never of a write rolled back). */
  private together<T>(fn: () => T): T {
    if (this.held) return this.db.transaction(fn)();
    const held: LedgerEntry[] = (this.held = []);
    let out: T;
    try {
      out = this.db.transaction(fn)();
    } finally {
      this.held = null;
    }
    for (const entry of held) for (const l of this.listeners) l(entry);
    return out;
  }

  private writeScope(id: number, scope: GapScope): void {
    this.stmt.scopeClear.run(id);
    const names = new Set([...(scope.tags ?? []), ...scope.after.keys(), ...(scope.holes?.keys() ?? [])]);
    for (const tag of names) {
      if (scope.tags !== null && !scope.tags.has(tag)) continue;
      const holes = scope.holes?.get(tag);
      this.stmt.scopeAdd.run(id, tag, scope.tags !== null ? 1 : 0, scope.after.get(tag) ?? null, holes ? JSON.stringify(holes) : null);
    }
  }

  /** The gap's backfill ended: where it was read from, and what its runs found, are no longer needed. */
  private forgetScope(id: number): void {
    this.stmt.scopeClear.run(id);
    this.stmt.runsClear.run(id);
  }
}
