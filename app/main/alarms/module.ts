/**
 * The alarms as a station module: the engine takes every acquired sample (a
 * station sample sink) and every server state; a 100 ms timer runs delays and
 * shelve expiry; what changed is journaled and kept (alarms.sqlite) in one
 * transaction, then published to every console as `alarms.changed` (at once
 * for state changes, about once a second for values alone). A write that
 * fails (disk full, the file locked) is held and tried again (journal/writer.ts);
 * the consoles still get the change, and `alarms.journalHealth` tells them the
 * journal is not writing. Config edits
 * re-define the engine at once. Server conditions (OPC UA A&C) come in
 * through conditionLinks.
 */
import type { ClientSession } from 'node-opcua-client';
import type { ServerShelvedReason, ServerState } from '../../shared/api.js';
import type { AcquiredSample } from '../acquisition/sample.js';
import type { AuditSink } from '../api/audit-sink.js';
import type { Dispatcher, EventHub } from '../api/dispatcher.js';
import { ApiFailure } from '../api/dispatcher.js';
import type { Logger } from '../log.js';
import type { ConfigStore } from '../station/config-store.js';
import type { SampleSink, StationModule } from '../station/module.js';
import { Formats, Translator } from '../../shared/i18n/index.js';
import { compileAlarms, definitionsOf, SYNC_LOST, syncAlarmId } from './definitions.js';
import { AlarmEngine, type ShelveRequest } from './engine/engine.js';
import { AlarmRefusal } from './engine/refusal.js';
import { serverShelveBy } from './engine/server-condition.js';
import type { AlarmDef, Clock, JournalDraft, PersistedAlarm } from './engine/types.js';
import { alarmHandlers } from './handlers.js';
import { ConditionSessions } from './conditions/sessions.js';
import { refreshNoticeId } from './conditions/client.js';
import { AlarmJournal, isDamaged } from './journal/journal.js';
import { JournalWriter } from './journal/writer.js';
import { computeKpi, FLOOD_LOOKBACK_MS } from './kpi.js';
import type { AlarmJournalHealth, AlarmList, KpiReport } from '../../shared/api.js';
import type { StationText } from '../../shared/api/alarms.js';
import type { SyncTextView } from '../../shared/api/sync.js';

/** How often (ms) an unshelve a server refused (or could not be sent) is tried again while the server is connected. */
export const SERVER_UNSHELVE_RETRY_MS = 5_000;

/**
 * A refused Unshelve is logged at the first failed try and at a new reason; the same reason again after
 * as many more failed tries as so far (doubling), at least 12 (a minute at SERVER_UNSHELVE_RETRY_MS), at
 * most 720 (an hour): tries 1, 13, 26, 52, … then hourly.
 */
const UNSHELVE_LOG_GAP = { min: 12, max: 720 };

/**
 * An unshelve owed to a condition's server: its next try (after a refusal), one in flight, and for the
 * log: how many tries failed, the last reason logged, and at which failed try it is logged again.
 */
interface ServerUnshelveDue {
  server: string;
  retry: ReturnType<typeof setTimeout> | null;
  sending: boolean;
  failures: number;
  logged: string | null;
  logAgainAt: number;
}

/** A shelve asked of a condition's server: one-shot, or timed for `ms` (Part 9 TimedShelve's ShelvingTime). */
export type ServerShelveAsk = { oneShot: true } | { oneShot: false; ms: number };

/** Sends acks, confirms and shelving of a server's conditions back to it (see conditions/). */
export interface ConditionLink {
  acknowledge(alarmId: string, comment: string): Promise<void>;
  confirm(alarmId: string, comment: string): Promise<void>;
  /** Resolves to how long the server says the shelve lasts (ms; null: not said). */
  shelve(alarmId: string, ask: ServerShelveAsk, comment: string): Promise<number | null>;
  /** 'notShelved': the server says it is not shelved there. */
  unshelve(alarmId: string, comment: string): Promise<'unshelved' | 'notShelved'>;
}

/** What the sync reports about an upstream (see sync/status.ts SyncAlarm). */
export interface SyncAlarmReport {
  kind: 'backlog' | 'paused' | 'credentials' | 'stopped' | 'quarantined';
  /** The sync's own words (English): the detail of the alarm text. */
  message: string;
  /** For sync-lost ('*'): the upstream the data are missing at, named in the text (a station may send to two). */
  upstream?: string;
  /** `message` as a catalog message (sync/status.ts SyncAlarm.said, sync/service.ts LossAlarm), the detail the consoles say in their language. */
  said?: SyncTextView;
}

const english = new Translator('en');
const englishFormats = new Formats('en');

export interface AlarmsOptions {
  config: ConfigStore;
  dataDir: string;
  logger: Logger;
  clock?: Clock;
  /** The audit trail (the accounts module's) for what is not a request: shelve expiry. */
  audit?: AuditSink | null;
  /** Timer period: delays and shelve expiry are accurate to this (ms). */
  tickMs?: number;
  /** How often rows whose value alone moved are published (ms). */
  valuePeriodMs?: number;
  /** How often an Unshelve a server refused is sent again (ms): SERVER_UNSHELVE_RETRY_MS. */
  unshelveRetryMs?: number;
}

// Wall clock for the journal; delays, shelve ends and the flood window on the monotonic one (an NTP step must not stretch them).
const systemClock: Clock = { now: () => Date.now(), monotonic: () => performance.now() };

export class AlarmsModule implements StationModule, SampleSink {
  readonly name = 'alarms';
  readonly sink: SampleSink = this;
  readonly engine: AlarmEngine;
  readonly journal: AlarmJournal;
  /** Writes the journal and holds what it could not take yet. */
  private readonly writer: JournalWriter;
  readonly config: ConfigStore;
  /** Per server id, set by the A&C client when it connects. */
  readonly conditionLinks = new Map<string, ConditionLink>();
  /** Unshelves the station owes a condition's server (unshelveAtServer): by alarm id. */
  private readonly serverUnshelvesDue = new Map<string, ServerUnshelveDue>();
  private events: EventHub | null = null;
  /** The A&C client of each server's session, through reconnections (conditions/sessions.ts). */
  private readonly conditionSessions: ConditionSessions;
  private version = 0;
  private lastSummary = '';
  private flushQueued = false;
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | null = null;

  private constructor(private readonly opts: AlarmsOptions, journal: AlarmJournal) {
    this.config = opts.config;
    this.journal = journal;
    const s = opts.config.current.alarms;
    const flood = { windowMs: s.flood.windowMinutes * 60_000, startAbove: s.flood.startAbove, endBelow: s.flood.endBelow };
    this.engine = new AlarmEngine(opts.clock ?? systemClock, compileAlarms(opts.config.current), flood);
    const longest = Math.max(0, ...Object.values(s.shelving.maxMinutes));
    this.engine.restore(journal.states().map((p) => withShelveLimit(p, longest)));
    this.writer = new JournalWriter(journal, () => this.engine.clock.now(), (health, err, held) => this.journalHealthChanged(health, err, held));
    this.conditionSessions = new ConditionSessions(opts.logger, (server) => ({
      tags: this.config.current.tags.filter((t) => t.server === server), listed: this.engine.serverConditions(server),
      onCondition: (c) => {
        this.engine.serverCondition(c);
        this.flushSoon();
      },
    }), (server, client) => {
      if (!client) return void this.conditionLinks.delete(server);
      this.conditionLinks.set(server, client);
      // Reconnected: an unshelve the server still owes is tried at once.
      for (const [id, due] of this.serverUnshelvesDue) if (due.server === server) this.tryUnshelveAtServer(id, due);
    });
  }

  /** Opens <data>/alarms.sqlite and restores the kept states (suspect until fresh data). */
  static open(opts: AlarmsOptions): AlarmsModule {
    const journal = AlarmJournal.open(opts.dataDir);
    try {
      return new AlarmsModule(opts, journal);
    } catch (err) {
      journal.close();
      throw err;
    }
  }

  register(dispatcher: Dispatcher, events?: EventHub): void {
    dispatcher.register(this.name, alarmHandlers(this));
    this.events = events ?? null;
  }

  start(): void {
    const { logger } = this.opts;
    this.unsubscribe = this.config.subscribe((next) => {
      this.engine.define(compileAlarms(next));
      const f = next.alarms.flood;
      this.engine.flood.settings = { windowMs: f.windowMinutes * 60_000, startAbove: f.startAbove, endBelow: f.endBelow };
      this.events?.publish('alarms.definitions', definitionsOf(next, this.engine.definitions()));
      this.flush();
    });
    this.pruneAtStart();
    this.timers.push(
      setInterval(() => this.guard('tick', () => (this.engine.tick(), this.flush())), this.opts.tickMs ?? 100),
      setInterval(() => this.guard('values', () => this.flush(true)), this.opts.valuePeriodMs ?? 1000),
      setInterval(() => this.guard('retention', () => this.prune()), 6 * 3_600_000),
    );
    this.flush();
    logger.info({ alarms: this.engine.definitions().length, journal: this.journal.file }, 'alarms started');
  }

  /** Flushes and closes the journal; safe to call twice. */
  stop(): void {
    this.conditionSessions.stop();
    for (const due of this.serverUnshelvesDue.values()) clearTimeout(due.retry ?? undefined);
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (!this.journal.isOpen) return;
    this.flush(false, true);
    if (this.writer.held > 0) this.opts.logger.error({ lines: this.writer.held, journal: this.journal.file }, 'alarm journal lines lost at stop: the journal could not be written');
    this.journal.close();
  }

  /** Whether the alarm journal is writing: pushed to the consoles as 'alarms.journalHealth' when it changes. */
  get journalHealth(): AlarmJournalHealth {
    return this.writer.health;
  }

  write(samples: readonly AcquiredSample[]): void {
    this.engine.ingest(samples);
    this.flushSoon();
  }

  /** A server that grants a tag a slower sampling than asked widens its frozen-value window (engine/core.ts windowOf). */
  onGranted(granted: ReadonlyMap<string, number>): void {
    this.engine.granted(granted);
  }

  onServerState(state: ServerState): void {
    // A first connection that keeps failing is as lost as a dropped one.
    if (state.state === 'connected') this.engine.serverState(state.id, true);
    else if (state.state === 'lost' || state.lastError !== null) this.engine.serverState(state.id, false);
    this.flushSoon();
  }

  /**
   * OPC UA A&C: on each session, subscribe to the server's condition events
   * (taking over what a lost session left, asked for again if refused) and
   * refresh; the conditions join the engine's list.
   */
  onSession(server: string, session: ClientSession | null): void {
    this.conditionSessions.onSession(server, session);
  }

  /**
   * The sync's alarm for an upstream, raised (report) or cleared (null), as an
   * engine alarm with its catalog text; upstream '*' (archive data aged out
   * unsent) is an event: raised and returned at once, it stays on the list
   * until acknowledged. Unknown upstreams (not configured, disabled) are ignored.
   */
  syncAlarm(upstream: string, report: SyncAlarmReport | null): void {
    if (upstream === '*') {
      if (!report) return;
      const text: StationText = report.upstream === undefined
        ? { key: 'alarms.sync.lostDetail', params: { detail: report.message } }
        : { key: 'alarms.sync.lostAt', params: { upstream: report.upstream, detail: report.message } };
      // The detail stays English in params (the journal's message, the sync stream, a reader without nested messages).
      if (report.said) text.nested = { detail: report.said };
      if (this.engine.stationCondition(SYNC_LOST, { message: english.t(text.key, text.params), text })) this.engine.stationCondition(SYNC_LOST, null);
    } else if (!report) {
      this.engine.stationCondition(syncAlarmId(upstream), null);
    } else {
      // The backlog's threshold as a duration (20 s read "0 minutes" when rounded to minutes): English in params,
      // the console's words from its nested message (a duration in ms, written by the console's formats). The English
      // with plain spaces, as the sync's own messages and its CLI write durations (grep, a pasted log line).
      // Rows journaled before carry alarms.sync.backlog with `minutes`; that key stays for them.
      const afterMs = this.config.current.sync.backlogAlarmAfterSec * 1000;
      const backlog = report.kind === 'backlog';
      const params: Record<string, string | number> = backlog ? { upstream, after: englishFormats.duration(afterMs).replace(/\u00a0/g, ' '), detail: report.message } : { upstream, detail: report.message };
      const text: StationText = { key: backlog ? 'alarms.sync.backlogAfter' : `alarms.sync.${report.kind}`, params };
      if (backlog) text.nested = { after: { key: 'alarms.sync.waited', params: { afterMs } } };
      // The detail in the console's language where the sync words it itself (a backlog's counts, a secret not read): English stays in params.
      if (report.said) text.nested = { ...text.nested, detail: report.said };
      this.engine.stationCondition(syncAlarmId(upstream), { message: english.t(text.key, params), text });
    }
    this.flushSoon();
  }

  snapshot(): AlarmList {
    return this.engine.snapshot(this.version);
  }

  definition(id: string): AlarmDef {
    const rt = this.engine.get(id);
    if (!rt) throw new AlarmRefusal('unknownAlarm', `no alarm "${id}"`, { alarm: id });
    return rt.def;
  }

  /**
   * The figures over [from, to), ended now if `to` is later (a typed "until tomorrow"): the future
   * has no alarms to average over, and an alarm still active has been active until now.
   */
  kpi(from: number, to: number): KpiReport {
    const s = this.config.current.alarms;
    const earlier = this.journal.annunciationTimes(from - FLOOD_LOOKBACK_MS, from);
    return computeKpi(from, to, this.journal.kpiLines(from, to), this.journal.activeAt(from), { ...s.kpi, flood: s.flood }, { earlier, now: this.engine.clock.now() });
  }

  /**
   * Station rows through the engine, server rows back to their server (their row changes when the
   * server says so); a server condition its server no longer reports is acknowledged here.
   */
  async acknowledge(ids: readonly string[], revisions: readonly number[], user: string, comment: string | null): Promise<string[]> {
    // Server rows too, before anything is sent: an ack goes with the condition's latest EventId, so one
    // that escalated since the operator saw it was acknowledged at the server unseen (spec case 10).
    this.engine.checkRevisions(ids, revisions);
    const station = ids.map((id, i) => ({ id, rev: revisions[i]! })).filter((x) => !this.engine.ackedAtServer(x.id));
    const done = this.engine.acknowledge(station.map((x) => x.id), station.map((x) => x.rev), user, comment);
    this.flush();
    for (const id of ids) {
      const rt = this.engine.ackedAtServer(id);
      if (!rt || rt.acked) continue;
      await this.sendToServer(rt.def.server!, id, 'acknowledge', user, comment);
      done.push(id);
    }
    return done;
  }

  async confirm(ids: readonly string[], user: string, comment: string | null): Promise<string[]> {
    const rows = ids.map((id) => this.engine.serverConditionOf(id));
    const bad = ids.find((id, i) => rows[i] === null || rows[i]!.confirmed === null);
    if (bad !== undefined) throw new ApiFailure('bad_request', `${bad} has no confirm step`, { key: 'alarms.refused.notConfirmable', params: { alarm: bad } });
    const done: string[] = [];
    for (const rt of rows) {
      if (rt!.confirmed) continue;
      await this.sendToServer(rt!.def.server!, rt!.def.id, 'confirm', user, comment);
      done.push(rt!.def.id);
    }
    return done;
  }

  /**
   * The server a shelve or unshelve of this row is made at: a condition its server still reports (not
   * the station's notice row about it, nor one the server dropped: those the station shelves alone).
   */
  shelvedAt(id: string): string | null {
    const rt = this.engine.ackedAtServer(id);
    const server = rt?.def.server ?? null;
    return server !== null && id !== refreshNoticeId(server) ? server : null;
  }

  /**
   * Shelves an alarm. A server's condition is shelved at its server first (its ShelvingState), so the
   * server and its other clients have it shelved too: only once the server says Good is it shelved here,
   * with who and where; a refusal (or the server not connected) shelves nothing. Returns the shelve's end.
   */
  async shelve(id: string, req: ShelveRequest): Promise<number | null> {
    const server = this.shelvedAt(id);
    if (server === null) return this.engine.shelve(id, req);
    this.engine.checkShelve(id, req);
    const link = this.link(server);
    const serverLeftMs = await link.shelve(id, req.minutes === null ? { oneShot: true } : { oneShot: false, ms: Math.round(req.minutes * 60_000) }, commentFor(req.by, req.reason));
    return this.engine.shelve(id, { ...req, atServer: server, serverLeftMs });
  }

  /**
   * Unshelves an alarm; a server's condition at its server first. A server saying it is not shelved
   * there has it shown: the station shows it too (keeping it hidden here would hide what the server shows).
   */
  async unshelve(id: string, by: string, comment: string | null): Promise<void> {
    const server = this.shelvedAt(id);
    if (server === null) return this.engine.unshelve(id, by, comment);
    this.engine.checkUnshelve(id);
    const said = await this.link(server).unshelve(id, commentFor(by, comment));
    if (said === 'notShelved') this.opts.logger.info({ server, alarm: id }, 'unshelve: the server says the condition was not shelved there; unshelved here');
    // It may have been unshelved meanwhile (its time ran out, the server's event): nothing left to end.
    if (this.engine.get(id)?.shelve) this.engine.unshelve(id, by, comment, server);
  }

  /** The server reports the change under its session's user: the engine keeps who sent it, for the journal. */
  private async sendToServer(server: string, id: string, action: 'acknowledge' | 'confirm', user: string, comment: string | null): Promise<void> {
    const link = this.link(server);
    this.engine.serverActionSent(id, action, user, comment);
    try {
      await link[action](id, commentFor(user, comment));
    } catch (err) {
      this.engine.serverActionFailed(id, action);
      throw err;
    }
  }

  /**
   * A shelve made at the server that the station ended (its time, priority 1, out of service): ended
   * there too. Until the server says unshelved (or not shelved) it is tried again, every
   * SERVER_UNSHELVE_RETRY_MS while connected and at once on reconnection: else the server, and the
   * DCS's own display, kept hiding an alarm the station shows. From the first failed try the row says
   * the server still has it shelved and why, journaled once per reason (engine serverUnshelveFailed);
   * the log says it at the first failure, at a new reason, and then ever less often (logFailure).
   */
  private unshelveAtServer(id: string, server: string): void {
    clearTimeout(this.serverUnshelvesDue.get(id)?.retry ?? undefined);
    const due: ServerUnshelveDue = { server, retry: null, sending: false, failures: 0, logged: null, logAgainAt: 0 };
    this.serverUnshelvesDue.set(id, due);
    this.tryUnshelveAtServer(id, due);
  }

  private tryUnshelveAtServer(id: string, due: ServerUnshelveDue): void {
    const { server } = due;
    if (due.sending || this.serverUnshelvesDue.get(id) !== due) return;
    clearTimeout(due.retry ?? undefined);
    due.retry = null;
    // Shelved again here since (an operator's new shelve, made at the server; the server's own): the
    // server's shelve is wanted now, not to be ended.
    // No longer reported by the server (a refresh omitted it, removed there): nothing of it left to unshelve there.
    const rt = this.engine.ackedAtServer(id);
    if (!rt || rt.shelve || !rt.owedUnshelve) {
      this.serverUnshelvesDue.delete(id);
      this.engine.forgetOwedUnshelve(id);
      return this.flushSoon();
    }
    const link = this.conditionLinks.get(server);
    if (!link) return this.unshelveFailed(id, due, 'notConnected', null, null, false);
    due.sending = true;
    link.unshelve(id, 'Vigil: the shelve ended at the station').then(
      (said) => {
        due.sending = false;
        if (this.serverUnshelvesDue.get(id) !== due) return;
        // "Not shelved" from a server whose ShelvingState says shelved: it still hides the alarm, whatever it answers.
        if (said === 'notShelved' && this.engine.get(id)?.serverSaysShelved === true) {
          return this.unshelveFailed(id, due, 'saysNotShelved', 'BadConditionNotShelved', null, true);
        }
        this.serverUnshelvesDue.delete(id);
        this.engine.serverUnshelved(id);
        this.flushSoon();
        this.opts.logger.info({ server, alarm: id, said, failedTries: due.failures }, 'a shelve made at the server ended here: unshelved there too');
      },
      (err: unknown) => {
        due.sending = false;
        if (this.serverUnshelvesDue.get(id) !== due) return;
        // Not yet reported by this session (just reconnected, its refresh still arriving): tried again, unsaid.
        const key = err instanceof ApiFailure ? err.i18n?.key : undefined;
        if (key === 'alarms.refused.unknownAlarm') return this.retryUnshelve(id, due);
        const status = err instanceof ApiFailure ? err.i18n?.params?.status : undefined;
        const reason = key === 'alarms.refused.serverAccessDenied' ? 'accessDenied'
          : key === 'alarms.refused.serverNoShelving' ? 'noMethod'
          : key === 'alarms.refused.serverRefused' || key === 'alarms.refused.serverAlreadyShelved' ? 'refused'
          : key === 'alarms.refused.serverUnavailable' ? 'notConnected'
          : 'noAnswer';
        const named = reason === 'accessDenied' ? 'BadUserAccessDenied' : reason === 'refused' ? (typeof status === 'string' ? status : 'BadConditionAlreadyShelved') : null;
        this.unshelveFailed(id, due, reason, named, err, true);
      },
    );
  }

  /** A try failed: the row and the journal say so (once per reason), the log less and less often; tried again. */
  private unshelveFailed(id: string, due: ServerUnshelveDue, reason: ServerShelvedReason, status: string | null, err: unknown, retry: boolean): void {
    due.failures++;
    if (this.engine.serverUnshelveFailed(id, reason, status)) this.flushSoon();
    const said = `${reason}:${status ?? ''}`;
    if (said !== due.logged || due.failures >= due.logAgainAt) {
      const where = { server: due.server, alarm: id, reason, status, failedTries: due.failures, ...(err !== null && { err }) };
      this.opts.logger.warn(where, reason === 'notConnected'
        ? 'a shelve made at the server ended here, but the server is not connected: it still has it shelved; unshelved there once it is'
        : 'a shelve made at the server ended here, but the server did not unshelve it: it still has it shelved; tried again');
      due.logged = said;
      due.logAgainAt = due.failures + Math.min(Math.max(due.failures, UNSHELVE_LOG_GAP.min), UNSHELVE_LOG_GAP.max);
    }
    if (retry) this.retryUnshelve(id, due);
  }

  private retryUnshelve(id: string, due: ServerUnshelveDue): void {
    due.retry = setTimeout(() => this.guard('unshelve at server', () => this.tryUnshelveAtServer(id, due)), this.opts.unshelveRetryMs ?? SERVER_UNSHELVE_RETRY_MS);
    due.retry.unref?.();
  }

  private link(server: string): ConditionLink {
    const link = this.conditionLinks.get(server);
    if (!link) throw new ApiFailure('unavailable', `server ${server} is not connected`, { key: 'alarms.refused.serverUnavailable', params: { server } });
    return link;
  }

  private flushSoon(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      this.guard('flush', () => this.flush());
    });
  }

  /**
   * Journals and keeps what changed (one transaction, or held for the next if the journal cannot
   * take it), audits expiries, publishes the change. Never throws for the journal: the consoles
   * must get the rows the horn sounds for, and an operator's action already applied stays applied.
   * force: write now even while waiting to retry a failed write (stop).
   */
  flush(withValues = false, force = false): void {
    const lines = this.engine.takeJournal();
    for (const u of this.engine.takeServerUnshelves()) this.unshelveAtServer(u.id, u.server);
    const changes = this.engine.takeChanges(withValues);
    this.writer.write(lines, changes.persist, changes.removed, force);
    this.auditStationActions(lines);
    const summary = this.engine.summary();
    const text = JSON.stringify(summary);
    if (changes.rows.length === 0 && changes.removed.length === 0 && text === this.lastSummary) return;
    this.lastSummary = text;
    this.version++;
    this.events?.publish('alarms.changed', { version: this.version, now: this.engine.clock.now(), rows: changes.rows, removed: changes.removed, summary });
  }

  /**
   * What the station itself does to an alarm (shelve expiry, a one-shot shelve ended by the return)
   * goes to the audit trail; so does a shelve or unshelve an OPC UA server made (its own operators),
   * as that server's: no request of a console user audits it, and "station" said the station did it.
   */
  private auditStationActions(lines: readonly JournalDraft[]): void {
    for (const l of lines) {
      const server = this.engine.serverConditionOf(l.alarmId)?.def.server ?? null;
      const byServer = server !== null && (l.event === 'shelved' || l.event === 'unshelved') && l.user === serverShelveBy(server);
      if (!byServer && l.event !== 'shelveExpired' && !(l.event === 'unshelved' && l.user === null)) continue;
      try {
        const who = byServer ? { user: l.user, source: `opcua:${server}` } : { user: null, source: 'station' };
        this.opts.audit?.record({ ...who, role: null, action: `alarms.${l.event}`, target: l.alarmId, comment: l.comment, result: 'ok' });
      } catch (err) {
        this.opts.logger.error({ err, alarm: l.alarmId, event: l.event }, 'alarm action not audited: the audit trail could not be written');
      }
    }
  }

  private journalHealthChanged(health: AlarmJournalHealth, err: Error | null, lines: number): void {
    const { logger } = this.opts;
    if (health.state === 'failing') logger.error({ err, journal: this.journal.file, held: lines }, 'alarm journal not writing: lines are held and retried');
    else logger.info({ journal: this.journal.file, written: lines }, 'alarm journal writing again');
    this.events?.publish('alarms.journalHealth', health);
  }

  /**
   * A damaged journal stops the start, naming the file and what to do (as every station database);
   * one locked or full for now does not: the alarms start, and the writer holds and reports.
   */
  private pruneAtStart(): void {
    try {
      this.prune();
    } catch (err) {
      if (isDamaged(err)) throw err;
      this.opts.logger.error({ err }, 'alarm journal retention failed at start');
    }
  }

  private prune(): void {
    const removed = this.journal.prune(this.config.current.alarms.journal.retentionDays, this.engine.clock.now());
    if (removed > 0) this.opts.logger.info({ removed }, 'alarm journal retention');
  }

  /** A failing timer job is logged and the next one runs: the alarm timer must never stop. */
  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.opts.logger.error({ err, what }, 'alarms failed');
    }
  }
}

/**
 * A one-shot shelve kept by an older version has no time limit: it gets the longest the config
 * allows any role, counted from when it was shelved (it expires at once if that has passed).
 */
function withShelveLimit(p: PersistedAlarm, maxMinutes: number): PersistedAlarm {
  if (!p.shelve?.oneShot || p.shelve.until !== null || maxMinutes <= 0) return p;
  return { ...p, shelve: { ...p.shelve, until: p.shelve.at + maxMinutes * 60_000 } };
}

/** OPC UA acks carry a comment only: the user goes with it (the server's record; the journal names the user itself). */
function commentFor(user: string, comment: string | null): string {
  return comment ? `${user}: ${comment}` : user;
}
