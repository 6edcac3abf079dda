/**
 * Typed access to sync.sqlite: watermarks, the batch in flight, the re-send
 * log, the quarantine, replays, per-upstream state. Every change that must
 * happen together (watermark + quarantine + re-send log) is one transaction.
 */
import type Database from 'better-sqlite3';
import type { RefusedLine } from '../line-protocol/batch.js';
import type { Hole } from '../streams/stream.js';
import { parseText, type SyncText } from '../../../shared/sync-text.js';
import { openSyncDb } from './schema.js';
import { parseRuns, type UncertainRun } from '../deliver/uncertain.js';

export type Cursor = string;

export interface Watermark {
  cursor: Cursor | null;
  /** While a backlog drains beside live data: (split, live] is acknowledged too. */
  split: Cursor | null;
  live: Cursor | null;
}

export interface Inflight {
  lane: string;
  stream: string;
  from: Cursor | null;
  to: Cursor | null;
  settled: number;
  sending: number;
  startedAt: number;
  /** The most lines the batch was read with (null: recorded before this was kept). */
  maxLines: number | null;
  /** Lines.digest() of the batch as first read (null: recorded before this was kept). */
  digest: string | null;
  /** How many copies the upstream may hold of its unsettled lines (null: recorded before this was kept; the `sending` lines once). */
  uncertain: UncertainRun[] | null;
}

export interface QuarantineRow {
  id: number;
  upstream: string;
  stream: string;
  origin: 'station' | 'upstream';
  line: string;
  reason: string;
  /** The reason as a catalog message where the station words it (null: the upstream's own words, or a row from before it). */
  said: SyncText | null;
  key: string;
  t: number;
  record: string | null;
  at: number;
  retry: boolean;
}

/** Lines quarantined at an upstream since an engineer last asked to retry them: how many, and the first. */
export interface UnseenQuarantine {
  lines: number;
  /** Of them, lines the station itself cannot write for that upstream: a retry cannot send them. */
  station: number;
  first: { id: number; reason: string; said: SyncText | null; at: number };
}

/** A check after an upstream restart not made yet: the old process last seen (steady ms), the new one's start, tries so far. */
export interface PendingCheck { seenAt: number; startedAt: number; tries: number }

export interface ReplayRow {
  id: number;
  upstream: string;
  stream: string;
  kind: 'cursor' | 'time';
  from: string | null;
  to: string;
  position: string | null;
  reason: string;
  requestedAt: number;
  linesSent: number;
}

export interface Checkpoint {
  id: number;
  /** When the upstream acknowledged the witness (station wall clock, ms): what is shown. */
  at: number;
  /** The same on the sync's steady clock (steady-clock.ts): what is compared and aged. */
  steadyAt: number;
  /** Per stream, the watermark's cursor then: everything up to it was acknowledged. */
  cursors: Record<string, Cursor | null>;
  /** A line acknowledged then. */
  witness: string;
}

/** Checkpoints kept (days); beyond a day, one an hour. */
export const CHECKPOINT_DAYS = 30;

/** Data missing upstream, as reported. */
export interface Loss {
  /** The upstream it was reported to (null: reported before this was kept). */
  upstream: string | null;
  stream: string;
  /** In English: the log, the CLI, and what a row from before `text` shows. */
  detail: string;
  /** The same as a catalog message (app/shared/sync-text.ts): the Sync page says it in the console's language. */
  text: SyncText | null;
  at: number;
}

export interface Paused {
  reason: string;
  since: number;
}

export interface Quarantined extends RefusedLine {
  origin: 'station' | 'upstream';
}

/** A quarantine reason's catalog message as stored (NULL: none, the reason's own words). */
const saidColumn = (said: SyncText | undefined): string | null => (said ? JSON.stringify(said) : null);

/** Cursors a read found nothing after, kept per upstream and stream: a watermark is a batch or two behind the reads. */
const CAUGHT_UP_KEPT = 64;

const NO_WATERMARK: Watermark = { cursor: null, split: null, live: null };

/** A checkpoint's steady time; one from before it was kept has its wall time. */
const STEADY = 'coalesce(steady_at, at)';

export class SyncStore {
  readonly db: Database.Database;
  private readonly stmt: Record<string, Database.Statement>;

  constructor(readonly file: string, readonly = false) {
    this.db = openSyncDb(file, readonly);
    const p = (sql: string) => this.db.prepare(sql);
    this.stmt = {
      wm: p('SELECT cursor, split, live FROM watermark WHERE upstream = ? AND stream = ?'),
      setWm: p(`INSERT INTO watermark(upstream, stream, cursor, split, live, updated_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(upstream, stream) DO UPDATE SET cursor = excluded.cursor, split = excluded.split, live = excluded.live, updated_at = excluded.updated_at`),
      endInflight: p('DELETE FROM inflight WHERE upstream = ?'),
      acked: p('INSERT INTO acked(upstream, stream, from_cursor, to_cursor, lines, acked_at) VALUES (?, ?, ?, ?, ?, ?)'),
      pruneAcked: p('DELETE FROM acked WHERE upstream = ? AND acked_at < ?'),
      pruneAckedLines: p('DELETE FROM acked_line WHERE upstream = ? AND acked_at < ?'),
      count: p(`INSERT INTO upstream_state(upstream, sent_lines, resent_lines) VALUES (?, ?, ?)
        ON CONFLICT(upstream) DO UPDATE SET sent_lines = sent_lines + excluded.sent_lines, resent_lines = resent_lines + excluded.resent_lines`),
    };
  }

  static open(file: string): SyncStore {
    return new SyncStore(file);
  }

  static openReadOnly(file: string): SyncStore {
    return new SyncStore(file, true);
  }

  close(): void {
    this.db.close();
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // --- watermarks ---------------------------------------------------------

  watermark(upstream: string, stream: string): Watermark {
    return (this.stmt.wm!.get(upstream, stream) as Watermark | undefined) ?? NO_WATERMARK;
  }

  setWatermark(upstream: string, stream: string, w: Watermark, now: number): void {
    this.stmt.setWm!.run(upstream, stream, w.cursor, w.split, w.live, now);
  }

  // --- the batch in flight -------------------------------------------------

  inflight(upstream: string): Inflight | undefined {
    if (!this.stmt.inflight) {
      // A read-only open of a file from before max_lines and digest (a writer adds them) reads them as NULL.
      const cols = this.db.prepare("SELECT name FROM pragma_table_info('inflight')").pluck().all() as string[];
      const kept = cols.includes('digest') ? 'max_lines AS maxLines, digest' : 'NULL AS maxLines, NULL AS digest';
      const uncertain = cols.includes('uncertain') ? 'uncertain' : 'NULL AS uncertain';
      this.stmt.inflight = this.db.prepare(`SELECT lane, stream, from_cursor AS "from", to_cursor AS "to", settled, sending, started_at AS startedAt,
        ${kept}, ${uncertain} FROM inflight WHERE upstream = ?`);
    }
    const row = this.stmt.inflight.get(upstream) as (Omit<Inflight, 'uncertain'> & { uncertain: string | null }) | undefined;
    return row && { ...row, uncertain: parseRuns(row.uncertain) };
  }

  beginBatch(upstream: string, b: Omit<Inflight, 'settled' | 'sending' | 'uncertain'>): void {
    this.stmt.begin ??= this.db.prepare(`INSERT OR REPLACE INTO inflight(upstream, lane, stream, from_cursor, to_cursor, settled, sending, started_at, max_lines, digest)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.stmt.begin.run(upstream, b.lane, b.stream, b.from, b.to, 0, 0, b.startedAt, b.maxLines, b.digest);
  }

  /**
   * Before a request: lines [0, settled) are done, the next `sending` are about to go; `uncertain`:
   * how many copies the upstream may hold of the lines after `settled`, that request's included
   * (null: not known, the `sending` lines count once after a restart).
   */
  progress(upstream: string, settled: number, sending: number, uncertain: readonly UncertainRun[] | null = null): void {
    // Prepared at first use: a read-only open of a file from before `uncertain` (a writer adds it) never writes.
    this.stmt.progress ??= this.db.prepare('UPDATE inflight SET settled = ?, sending = ?, uncertain = ? WHERE upstream = ?');
    this.stmt.progress.run(settled, sending, uncertain === null ? null : JSON.stringify(uncertain), upstream);
  }

  endBatch(upstream: string): void {
    this.stmt.endInflight!.run(upstream);
  }

  /**
   * Quarantines lines, each once per upstream: one already held there gets the new reason and time
   * only. Found by an exploratory run: each re-send after an upstream restart read a refused line
   * again and added it again (110 rows for 50 lines).
   */
  addQuarantine(upstream: string, stream: string, lines: readonly Quarantined[], now: number): void {
    // Prepared at first use: a read-only open of a file from before `said` (a writer adds it) never writes.
    this.stmt.quarantine ??= this.db.prepare('INSERT INTO quarantine(upstream, stream, origin, line, reason, said, key, t, record, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.stmt.requarantineLine ??= this.db.prepare('UPDATE quarantine SET reason = ?, said = ?, at = ? WHERE upstream = ? AND stream = ? AND key = ? AND t = ? AND line = ?');
    for (const q of lines) {
      const said = saidColumn(q.said);
      if (this.stmt.requarantineLine!.run(q.reason, said, now, upstream, stream, q.key, q.t, q.line).changes > 0) continue;
      this.stmt.quarantine!.run(upstream, stream, q.origin, q.line, q.reason, said, q.key, q.t, q.record, now);
    }
  }

  /** Remembers an acknowledged range for the re-send window (`steadyAt`: the steady clock's time). */
  logAcked(upstream: string, stream: string, from: Cursor | null, to: Cursor, lines: number, steadyAt: number): void {
    this.stmt.acked!.run(upstream, stream, from, to, lines, steadyAt);
  }

  /** Forgets what was acknowledged before `before` (steady clock). */
  pruneAcked(upstream: string, before: number): void {
    this.stmt.pruneAcked!.run(upstream, before);
    this.stmt.pruneAckedLines!.run(upstream, before);
  }

  /**
   * Quarantined lines the upstream acknowledged on another try: out of the quarantine, into the
   * re-send log (they belong to no stream range the restart probe could send again). `steadyAt`: the steady clock's time.
   */
  settleQuarantine(upstream: string, ids: readonly number[], steadyAt: number): void {
    const move = this.db.prepare(`INSERT INTO acked_line(upstream, stream, line, key, t, record, acked_at)
      SELECT upstream, stream, line, key, t, record, ? FROM quarantine WHERE id = ? AND upstream = ?`);
    for (const id of ids) move.run(steadyAt, id, upstream);
    this.deleteQuarantine(ids);
  }

  /** After an upstream restart: the lines it acknowledged since `since` (steady clock) outside any range go again (quarantined, marked to retry). */
  requeueAckedLines(upstream: string, since: number, reason: string, now: number, said?: SyncText): number {
    // Not a line quarantined already (two restarts before it went again): once per upstream.
    return this.db.prepare(`INSERT INTO quarantine(upstream, stream, origin, line, reason, said, key, t, record, at, retry)
      SELECT a.upstream, a.stream, 'upstream', a.line, ?, ?, a.key, a.t, a.record, ?, 1 FROM acked_line a WHERE a.upstream = ? AND a.acked_at >= ?
      AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.upstream = a.upstream AND q.stream = a.stream AND q.key = a.key AND q.t = a.t AND q.line = a.line)
      GROUP BY a.stream, a.key, a.t, a.line ORDER BY min(a.id)`)
      .run(reason, saidColumn(said), now, upstream, since).changes;
  }

  /** Ranges acknowledged since `since` (steady clock), in the order they were. */
  ackedSince(upstream: string, since: number): { stream: string; from: Cursor | null; to: Cursor; lines: number; ackedAt: number }[] {
    return this.db.prepare(`SELECT stream, from_cursor AS "from", to_cursor AS "to", lines, acked_at AS ackedAt
      FROM acked WHERE upstream = ? AND acked_at >= ? ORDER BY id`).all(upstream, since) as never;
  }

  countLines(upstream: string, sent: number, resent: number): void {
    if (sent || resent) this.stmt.count!.run(upstream, sent, resent);
  }

  // --- quarantine ------------------------------------------------------------

  quarantine(filter: { upstream?: string; limit?: number; afterId?: number; retry?: boolean } = {}): QuarantineRow[] {
    const where: string[] = ['id > ?'];
    const args: unknown[] = [filter.afterId ?? 0];
    if (filter.upstream !== undefined) { where.push('upstream = ?'); args.push(filter.upstream); }
    if (filter.retry !== undefined) { where.push('retry = ?'); args.push(filter.retry ? 1 : 0); }
    args.push(filter.limit ?? -1);
    const rows = this.db.prepare(`SELECT * FROM quarantine WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`).all(...args) as (Omit<QuarantineRow, 'retry' | 'said'> & { retry: number; seen?: number; said?: string | null })[];
    return rows.map(({ seen: _seen, said, ...r }) => ({ ...r, said: said ? parseText(said) : null, retry: r.retry === 1 }));
  }

  /**
   * Per upstream, the lines quarantined since an engineer last asked to retry its quarantine (held,
   * not waiting to go again): how many, and the first of them (its reason and time). Its sync alarm.
   */
  quarantineUnseen(): Map<string, UnseenQuarantine> {
    const rows = this.db.prepare(`SELECT u.upstream, u.lines, u.station, q.id, q.reason, q.said, q.at FROM
      (SELECT upstream, COUNT(*) AS lines, SUM(origin = 'station') AS station, MIN(id) AS first FROM quarantine WHERE seen = 0 AND retry = 0 GROUP BY upstream) u
      JOIN quarantine q ON q.id = u.first`).all() as { upstream: string; lines: number; station: number; id: number; reason: string; said: string | null; at: number }[];
    return new Map(rows.map((r) => [r.upstream, {
      lines: r.lines, station: r.station, first: { id: r.id, reason: r.reason, said: r.said ? parseText(r.said) : null, at: r.at },
    }]));
  }

  quarantineCounts(): Map<string, number> {
    const rows = this.db.prepare('SELECT upstream, COUNT(*) AS n FROM quarantine GROUP BY upstream').all() as { upstream: string; n: number }[];
    return new Map(rows.map((r) => [r.upstream, r.n]));
  }

  /** Marks quarantined lines for another try (the station picks them up); returns how many. */
  markRetry(filter: { upstream?: string; ids?: number[] }): number {
    const where: string[] = ["origin = 'upstream'", 'retry = 0'];
    const args: unknown[] = [];
    if (filter.upstream !== undefined) { where.push('upstream = ?'); args.push(filter.upstream); }
    const ids = filter.ids ? `id IN (${filter.ids.map(() => '?').join(',')})` : null;
    if (ids) { where.push(ids); args.push(...filter.ids!); }
    return this.transaction(() => {
      // The engineer has seen the quarantine of the upstreams asked about (the lines the station refused
      // too, which cannot go again): its alarm clears, and only lines quarantined after this raise it again.
      const which = filter.upstream !== undefined ? 'upstream = ?' : ids ? `upstream IN (SELECT upstream FROM quarantine WHERE ${ids})` : '1';
      const whichArgs = filter.upstream !== undefined ? [filter.upstream] : ids ? filter.ids! : [];
      this.db.prepare(`UPDATE quarantine SET seen = 1 WHERE seen = 0 AND ${which}`).run(...whichArgs);
      return this.db.prepare(`UPDATE quarantine SET retry = 1 WHERE ${where.join(' AND ')}`).run(...args).changes;
    });
  }

  /**
   * Quarantined lines that go again after all (retry, with the new reason): those refused in a run
   * that paused the upstream (a misconfiguration, not bad data). Found by their point, as addQuarantine
   * keeps them; returns how many.
   */
  retryRefused(upstream: string, lines: readonly { key: string; t: number; line: string }[], reason: string, now: number, said?: SyncText): number {
    const up = this.db.prepare("UPDATE quarantine SET retry = 1, reason = ?, said = ?, at = ? WHERE upstream = ? AND key = ? AND t = ? AND line = ? AND origin = 'upstream'");
    let n = 0;
    for (const l of lines) n += up.run(reason, saidColumn(said), now, upstream, l.key, l.t, l.line).changes;
    return n;
  }

  /** The lines of the upstream's current run of refusals (none accepted between), in order. */
  refusalRun(upstream: string): { key: string; t: number; line: string }[] {
    return this.db.prepare('SELECT key, t, line FROM refusal_run WHERE upstream = ? ORDER BY id').all(upstream) as { key: string; t: number; line: string }[];
  }

  addRefusal(upstream: string, l: { key: string; t: number; line: string }): void {
    this.db.prepare('INSERT INTO refusal_run(upstream, key, t, line) VALUES (?, ?, ?, ?)').run(upstream, l.key, l.t, l.line);
  }

  /** The run ended: a line was accepted, or it paused the upstream. */
  endRefusalRun(upstream: string): void {
    this.db.prepare('DELETE FROM refusal_run WHERE upstream = ?').run(upstream);
  }

  deleteQuarantine(ids: readonly number[]): void {
    const del = this.db.prepare('DELETE FROM quarantine WHERE id = ?');
    for (const id of ids) del.run(id);
  }

  /** Back to held after another refusal, with the new reason. */
  requarantine(id: number, reason: string, now: number, said?: SyncText): void {
    this.db.prepare('UPDATE quarantine SET retry = 0, reason = ?, said = ?, at = ? WHERE id = ?').run(reason, saidColumn(said), now, id);
  }

  // --- replays -------------------------------------------------------------------

  addReplay(r: Omit<ReplayRow, 'id' | 'position' | 'linesSent'>): number {
    return Number(this.db.prepare(`INSERT INTO replay(upstream, stream, kind, from_pos, to_pos, reason, requested_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(r.upstream, r.stream, r.kind, r.from, r.to, r.reason, r.requestedAt).lastInsertRowid);
  }

  replays(upstream?: string): ReplayRow[] {
    const sql = `SELECT id, upstream, stream, kind, from_pos AS "from", to_pos AS "to", position, reason, requested_at AS requestedAt,
      lines_sent AS linesSent FROM replay ${upstream === undefined ? '' : 'WHERE upstream = ?'} ORDER BY id`;
    return (upstream === undefined ? this.db.prepare(sql).all() : this.db.prepare(sql).all(upstream)) as ReplayRow[];
  }

  advanceReplay(id: number, position: string, lines: number): void {
    this.db.prepare('UPDATE replay SET position = ?, lines_sent = lines_sent + ? WHERE id = ?').run(position, lines, id);
  }

  /**
   * Adds lines of an engineer's re-send the upstream refused as past its retention; returns the
   * re-send's total so far (`lines` alone when the re-send is no longer kept).
   */
  countPastRetention(id: number, lines: number): number {
    const total = this.db.prepare('UPDATE replay SET past_retention = past_retention + ? WHERE id = ? RETURNING past_retention').pluck().get(lines, id) as number | undefined;
    return total ?? lines;
  }

  endReplay(id: number): void {
    this.db.prepare('DELETE FROM replay WHERE id = ?').run(id);
  }

  // --- per-upstream state -----------------------------------------------------------

  private stateRow(upstream: string): { paused: string | null; start_time: number | null; start_seen_at: number | null; sent_lines: number; resent_lines: number; status: string | null; status_at: number | null } | undefined {
    return this.db.prepare('SELECT * FROM upstream_state WHERE upstream = ?').get(upstream) as never;
  }

  private ensureState(upstream: string): void {
    this.db.prepare('INSERT OR IGNORE INTO upstream_state(upstream) VALUES (?)').run(upstream);
  }

  paused(upstream: string): Paused | null {
    const p = this.stateRow(upstream)?.paused;
    return p ? (JSON.parse(p) as Paused) : null;
  }

  setPaused(upstream: string, p: Paused | null): void {
    this.ensureState(upstream);
    this.db.prepare('UPDATE upstream_state SET paused = ? WHERE upstream = ?').run(p ? JSON.stringify(p) : null, upstream);
  }

  /** The upstream's process start time as last read, and when it was read (steady clock). */
  startTime(upstream: string): { startTime: number; seenAt: number } | null {
    const r = this.stateRow(upstream);
    return r?.start_time != null && r.start_seen_at != null ? { startTime: r.start_time, seenAt: r.start_seen_at } : null;
  }

  setStartTime(upstream: string, t: number, seenAt: number): void {
    this.ensureState(upstream);
    this.db.prepare('UPDATE upstream_state SET start_time = ?, start_seen_at = ? WHERE upstream = ?').run(t, seenAt, upstream);
  }

  /** A check after an upstream restart not made yet (restart-check.ts), or null. */
  pendingCheck(upstream: string): PendingCheck | null {
    const v = this.db.prepare('SELECT pending_check FROM upstream_state WHERE upstream = ?').pluck().get(upstream) as string | null | undefined;
    if (!v) return null;
    const p = JSON.parse(v) as Partial<PendingCheck>;
    const ok = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
    return ok(p.seenAt) && ok(p.startedAt) && ok(p.tries) ? { seenAt: p.seenAt, startedAt: p.startedAt, tries: p.tries } : null;
  }

  setPendingCheck(upstream: string, p: PendingCheck | null): void {
    this.ensureState(upstream);
    this.db.prepare('UPDATE upstream_state SET pending_check = ? WHERE upstream = ?').run(p ? JSON.stringify(p) : null, upstream);
  }

  counters(upstream: string): { sent: number; resent: number } {
    const r = this.stateRow(upstream);
    return { sent: r?.sent_lines ?? 0, resent: r?.resent_lines ?? 0 };
  }

  writeStatus(upstream: string, status: unknown, now: number): void {
    this.ensureState(upstream);
    this.db.prepare('UPDATE upstream_state SET status = ?, status_at = ? WHERE upstream = ?').run(JSON.stringify(status), now, upstream);
  }

  statuses(): { upstream: string; status: unknown; at: number | null }[] {
    const rows = this.db.prepare('SELECT upstream, status, status_at FROM upstream_state ORDER BY upstream').all() as { upstream: string; status: string | null; status_at: number | null }[];
    return rows.map((r) => ({ upstream: r.upstream, status: r.status ? JSON.parse(r.status) : null, at: r.status_at }));
  }

  // --- what an upstream held (restart checks) ------------------------------------------

  /** `at`: wall clock (shown); `steadyAt`: steady clock (thinned and compared by it). */
  addCheckpoint(upstream: string, at: number, steadyAt: number, cursors: Record<string, Cursor | null>, witness: string): void {
    this.db.prepare('INSERT INTO checkpoint(upstream, at, steady_at, cursors, witness) VALUES (?, ?, ?, ?, ?)').run(upstream, at, steadyAt, JSON.stringify(cursors), witness);
    // A day at one a minute, then one an hour: a restore from last week's copy is still found. By the
    // steady clock: a wall clock stepped forward by a month would have dropped every one.
    const day = steadyAt - 86_400_000;
    this.db.prepare(`DELETE FROM checkpoint WHERE upstream = ? AND (${STEADY} < ? OR (${STEADY} < ? AND id NOT IN
      (SELECT max(id) FROM checkpoint WHERE upstream = ? AND ${STEADY} < ? GROUP BY ${STEADY} / 3600000)))`)
      .run(upstream, steadyAt - CHECKPOINT_DAYS * 86_400_000, day, upstream, day);
  }

  /** Checkpoints taken before `before` (steady clock), in the order they were taken. */
  checkpoints(upstream: string, before: number): Checkpoint[] {
    const rows = this.db.prepare(`SELECT id, at, ${STEADY} AS steadyAt, cursors, witness FROM checkpoint WHERE upstream = ? AND ${STEADY} < ? ORDER BY id`)
      .all(upstream, before) as { id: number; at: number; steadyAt: number; cursors: string; witness: string }[];
    return rows.map((r) => ({ ...r, cursors: JSON.parse(r.cursors) as Record<string, Cursor | null> }));
  }

  /**
   * Forgets the checkpoints taken up to `id` (that one too): after a loss upstream, what is sent
   * again starts after the oldest one still kept, so their witnesses are never held there again and
   * are no evidence of a new loss.
   */
  dropCheckpointsThrough(upstream: string, id: number): number {
    return this.db.prepare('DELETE FROM checkpoint WHERE upstream = ? AND id <= ?').run(upstream, id).changes;
  }

  /** The newest steady time kept for an upstream (0: none): the steady clock never starts behind it. */
  latestSteady(upstream: string): number {
    return (this.db.prepare(`SELECT max(coalesce((SELECT max(acked_at) FROM acked WHERE upstream = @u), 0),
      coalesce((SELECT max(acked_at) FROM acked_line WHERE upstream = @u), 0),
      coalesce((SELECT max(${STEADY}) FROM checkpoint WHERE upstream = @u), 0),
      coalesce((SELECT start_seen_at FROM upstream_state WHERE upstream = @u), 0))`).pluck().get({ u: upstream }) as number);
  }

  // --- cursors a read found nothing after (streams/samples.ts) ---------------------------

  /** When a read of `stream` for `upstream` that found nothing after `cursor` began (undefined: none kept). */
  caughtUpAt(upstream: string, stream: string, cursor: Cursor): number | undefined {
    this.stmt.caughtUp ??= this.db.prepare('SELECT at FROM caught_up WHERE upstream = ? AND stream = ? AND cursor = ?').pluck();
    return this.stmt.caughtUp.get(upstream, stream, cursor) as number | undefined;
  }

  /** Keeps the newest CAUGHT_UP_KEPT of them per upstream and stream (a cursor kept again is the newest). */
  setCaughtUpAt(upstream: string, stream: string, cursor: Cursor, at: number): void {
    this.stmt.setCaughtUp ??= this.db.prepare(`INSERT INTO caught_up(upstream, stream, cursor, at) VALUES (?, ?, ?, ?)
      ON CONFLICT(upstream, stream, cursor) DO UPDATE SET id = (SELECT max(id) + 1 FROM caught_up), at = excluded.at`);
    this.stmt.pruneCaughtUp ??= this.db.prepare(`DELETE FROM caught_up WHERE upstream = @u AND stream = @s AND id <=
      (SELECT id FROM caught_up WHERE upstream = @u AND stream = @s ORDER BY id DESC LIMIT 1 OFFSET @keep)`);
    this.transaction(() => {
      this.stmt.setCaughtUp!.run(upstream, stream, cursor, at);
      this.stmt.pruneCaughtUp!.run({ u: upstream, s: stream, keep: CAUGHT_UP_KEPT });
    });
  }

  // --- requests from the CLI, losses -------------------------------------------------

  request(upstream: string, action: 'resume', now: number): void {
    this.db.prepare('INSERT INTO request(upstream, action, at) VALUES (?, ?, ?)').run(upstream, action, now);
  }

  takeRequests(): { upstream: string; action: string }[] {
    return this.transaction(() => {
      const rows = this.db.prepare('SELECT upstream, action FROM request ORDER BY id').all() as { upstream: string; action: string }[];
      if (rows.length) this.db.prepare('DELETE FROM request').run();
      return rows;
    });
  }

  /** A loss reported to `upstream`: its English detail and the same as a catalog message. */
  addLoss(upstream: string, stream: string, detail: string, said: SyncText, now: number): void {
    this.db.prepare('INSERT INTO loss(upstream, stream, detail, text, at) VALUES (?, ?, ?, ?, ?)').run(upstream, stream, detail, JSON.stringify(said), now);
  }

  /**
   * Of `holes`, the parts not reported to this upstream before (ranges less the numbers already
   * reported, names not reported), recorded as reported now: the caller reports them in the same
   * transaction.
   */
  takeNewHoles(upstream: string, stream: string, holes: readonly Hole[]): Hole[] {
    const fresh: Hole[] = [];
    const ranges = this.db.prepare('SELECT first, last FROM loss_hole WHERE upstream = ? AND stream = ? AND name IS NULL AND last >= ? AND first <= ? ORDER BY first');
    const named = this.db.prepare('SELECT 1 FROM loss_hole WHERE upstream = ? AND stream = ? AND name = ?');
    const add = this.db.prepare('INSERT INTO loss_hole(upstream, stream, first, last, name) VALUES (?, ?, ?, ?, ?)');
    for (const h of holes) {
      if ('name' in h) {
        if (named.get(upstream, stream, h.name) !== undefined) continue;
        add.run(upstream, stream, null, null, h.name);
        fresh.push(h);
        continue;
      }
      let next = h.first;
      const parts: { first: number; last: number }[] = [];
      for (const r of ranges.all(upstream, stream, h.first, h.last) as { first: number; last: number }[]) {
        if (r.first > next) parts.push({ first: next, last: r.first - 1 });
        next = Math.max(next, r.last + 1);
      }
      if (next <= h.last) parts.push({ first: next, last: h.last });
      for (const p of parts) add.run(upstream, stream, p.first, p.last, null);
      fresh.push(...parts);
    }
    return fresh;
  }

  /** Forgets the holes reported of a stream to an upstream: its source was restored and numbers its records again. */
  forgetHoles(upstream: string, stream: string): void {
    this.db.prepare('DELETE FROM loss_hole WHERE upstream = ? AND stream = ?').run(upstream, stream);
  }

  /** Every loss reported, oldest first; `upstream` and `text` null in rows from before they were kept. */
  losses(): Loss[] {
    // A read-only open (the CLI) of a file from before them (a writer adds them) reads them as NULL.
    const cols = this.db.prepare("SELECT name FROM pragma_table_info('loss')").pluck().all() as string[];
    const kept = cols.includes('text') ? 'upstream, text' : 'NULL AS upstream, NULL AS text';
    const rows = this.db.prepare(`SELECT ${kept}, stream, detail, at FROM loss ORDER BY id`).all() as (Omit<Loss, 'text'> & { text: string | null })[];
    return rows.map((r) => ({ upstream: r.upstream, stream: r.stream, detail: r.detail, text: r.text === null ? null : parseText(r.text), at: r.at }));
  }
}
