/**
 * The sync as a station module: it takes no samples (the historian, the
 * alarm journal and the audit trail are its outbox: the last two read on its
 * own read-only connections, opened at start and closed at stop, before
 * their owners close), registers the sync's console-API requests, starts the
 * service with the station, restarts it when the sync part of the config
 * changes, and hands its alarms to the station (onAlarm).
 */
import type { StationConfig } from '../../shared/config.js';
import { defaultMeasurement, type UpstreamConfig } from '../../shared/config/sync.js';
import type { SyncStatusView } from '../../shared/api.js';
import { ApiFailure, type Dispatcher, type EventHub } from '../api/dispatcher.js';
import type { Logger } from '../log.js';
import type { ConfigStore } from '../station/config-store.js';
import type { StationModule } from '../station/module.js';
import { SampleEncoder } from './line-protocol/samples.js';
import { SyncService } from './service.js';
import type Database from 'better-sqlite3';
import { alarmEncoder, journalSource } from './streams/alarms.js';
import { auditEncoder, auditSource } from './streams/audit.js';
import { type GapRecord, gapEncoder } from './streams/gaps.js';
import { type ChangeFeed, SamplesStream } from './streams/samples.js';
import { SequencedStream, type SequencedSource } from './streams/sequenced.js';
import { openReadOnly } from './streams/sqlite-source.js';
import type { OutboxStream } from './streams/stream.js';
import type { SyncAlarm } from './status.js';
import { traits } from './upstream/flavour.js';
import { text } from '../../shared/sync-text.js';

export interface SyncModuleOptions {
  config: ConfigStore;
  dataDir: string;
  logger: Logger;
  /** The archive's change feed. */
  feed: ChangeFeed;
  /** The acquisition's gap ledger, where the station has one. */
  gaps?: SequencedSource<GapRecord>;
  /** The alarm module's journal file (alarms.sqlite): the `alarms` stream, read on the sync's own read-only connection. */
  alarmJournal?: string;
  /** The accounts module's audit trail file (audit.sqlite): the `audit` stream, likewise. */
  auditTrail?: string;
  /** A sync alarm raised or cleared for an upstream ('*': archive data aged out, for no upstream in particular). */
  onAlarm?: (upstream: string, alarm: SyncAlarm | null) => void;
  env?: NodeJS.ProcessEnv;
}

export class SyncModule implements StationModule {
  readonly name = 'sync';
  /** It reads the archive, the gap ledger, the alarm journal and the audit trail: stopped before them. */
  readonly stopFirst = true;
  private service: SyncService | null = null;
  private events: EventHub | null = null;
  private unsubscribe: (() => void) | null = null;
  private restarting: Promise<void> = Promise.resolve();
  private readers: Database.Database[] = [];
  private alarms: ReturnType<typeof journalSource> | null = null;
  private audit: ReturnType<typeof auditSource> | null = null;

  private gaps: SequencedSource<GapRecord> | undefined;

  constructor(private readonly o: SyncModuleOptions) {
    this.gaps = o.gaps;
  }

  /** The gap ledger, once the station (which owns the acquisition) exists; before start. */
  attachGaps(gaps: SequencedSource<GapRecord>): void {
    this.gaps = gaps;
  }

  /** Where sync.status events go (the station's hub; set by the composition root). */
  attach(events: EventHub): void {
    this.events = events;
  }

  register(dispatcher: Dispatcher): void {
    dispatcher.register(this.name, {
      'sync.status': () => this.status(),
      'sync.quarantine': ({ upstream, afterId, limit }) => {
        const store = this.running().store;
        if (upstream !== null) this.known(upstream);
        const lines = store.quarantine({ upstream: upstream ?? undefined, afterId, limit }).map(({ record: _record, ...rest }) => rest);
        const counts = store.quarantineCounts();
        const total = upstream === null ? [...counts.values()].reduce((a, b) => a + b, 0) : counts.get(upstream) ?? 0;
        return { lines, total };
      },
      'sync.resend': ({ upstream, stream, from, to, comment }, ctx) => {
        if (from > to) {
          throw new ApiFailure('bad_request', `from (${new Date(from).toISOString()}) must not be after to (${new Date(to).toISOString()})`, { key: 'sync.error.badRange' });
        }
        if (upstream !== null) this.known(upstream);
        ctx.setAudit({ target: upstream ?? 'all upstreams', newValue: { stream, from: new Date(from).toISOString(), to: new Date(to).toISOString() }, comment });
        const queued = this.running().resend(upstream, stream, from, to, `asked by ${ctx.session?.user ?? 'an engineer'}${comment ? `: ${comment}` : ''}`);
        if (queued === 0) throw new ApiFailure('bad_request', `no upstream takes the ${stream} stream`, { key: 'sync.error.noStream', params: { stream } });
        return { queued };
      },
      'sync.retry': ({ upstream, ids, comment }, ctx) => {
        if (upstream !== null) this.known(upstream);
        ctx.setAudit({ target: upstream ?? 'all upstreams', newValue: ids ? { ids } : 'all quarantined lines', comment });
        return { marked: this.running().retryQuarantine(upstream, ids) };
      },
      'sync.resume': ({ upstream, comment }, ctx) => {
        if (upstream !== null) this.known(upstream);
        ctx.setAudit({ target: upstream ?? 'all upstreams', comment });
        const svc = this.running();
        const resumed = svc.status().upstreams.filter((u) => u.paused && (upstream === null || u.id === upstream)).map((u) => u.id);
        svc.resume(upstream);
        return { resumed };
      },
    });
  }

  async start(): Promise<void> {
    // The owning modules start first (boot.ts), so their files exist and are in WAL mode.
    if (this.o.alarmJournal) this.alarms = journalSource(this.reader(this.o.alarmJournal));
    if (this.o.auditTrail) this.audit = auditSource(this.reader(this.o.auditTrail));
    await this.startService(this.o.config.current);
    this.unsubscribe = this.o.config.subscribe((next, prev) => {
      if (JSON.stringify(syncPart(next)) === JSON.stringify(syncPart(prev))) return;
      this.o.logger.info('sync config changed: restarting the sync');
      this.restarting = this.restarting.then(async () => {
        await this.service?.stop();
        this.service = null;
        await this.startService(next);
      }).catch((err: unknown) => this.o.logger.error({ err }, 'sync restart failed'));
    });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.restarting;
    await this.service?.stop();
    this.service = null;
    for (const db of this.readers.splice(0)) db.close();
    this.alarms = this.audit = null;
  }

  private reader(file: string): Database.Database {
    const db = openReadOnly(file);
    this.readers.push(db);
    return db;
  }

  status(): SyncStatusView {
    return this.service?.status() ?? { upstreams: [], losses: [], at: Date.now() };
  }

  private async startService(config: StationConfig): Promise<void> {
    const areas = new Map(config.tags.map((t) => [t.name, t.area]));
    this.service = await SyncService.start({
      config: config.sync,
      dataDir: this.o.dataDir,
      log: this.o.logger.child({ module: 'sync' }),
      env: this.o.env,
      streams: (u) => this.streams(u, config, areas),
      onStatus: (s) => this.events?.publish('sync.status', s),
      onAlarm: this.o.onAlarm,
    });
  }

  private streams(u: UpstreamConfig, config: StationConfig, areas: Map<string, string>): OutboxStream[] {
    const tr = traits[u.flavour];
    const measurement = config.sync.measurement ?? defaultMeasurement(config.station.name);
    const site = config.sync.site ?? config.station.name;
    const retentionMs = u.retentionDays === undefined ? null : u.retentionDays * 86_400_000;
    const encoder = new SampleEncoder({
      measurement, site, dialect: tr.dialect, statusName: tr.stringFields, textAs: tr.stringFields ? 'field' : 'tag',
      acceptTime: (t) => {
        const now = Date.now();
        if (tr.futureLimitMs !== null && t > now + tr.futureLimitMs) return text('sync.cause.refused.ahead', { sampleAt: t, hours: tr.futureLimitMs / 3_600_000, flavour: u.flavour });
        if (retentionMs !== null && t < now - retentionMs) return text('sync.cause.refused.olderThanRetention', { sampleAt: t, days: u.retentionDays! });
        return null;
      },
    });
    const out: OutboxStream[] = [new SamplesStream(this.o.feed, encoder, (tag) => areas.get(tag) ?? null)];
    const records = { measurement, site, dialect: tr.dialect, stringFields: tr.stringFields };
    if (this.gaps) out.push(new SequencedStream('gaps', this.gaps, gapEncoder(records)));
    // Journal (AUTOINCREMENT, deleted by retention only) and trail (head + 1, append-only) number without gaps.
    if (this.alarms) out.push(new SequencedStream('alarms', this.alarms, alarmEncoder(records), true));
    if (this.audit) out.push(new SequencedStream('audit', this.audit, auditEncoder(records), true));
    return out;
  }

  private running(): SyncService {
    if (!this.service) throw new ApiFailure('unavailable', 'the sync is not running', { key: 'error.unavailable' });
    return this.service;
  }

  private known(upstream: string): void {
    if (!this.o.config.current.sync.upstreams.some((u) => u.id === upstream)) {
      throw new ApiFailure('bad_request', `unknown upstream "${upstream}"`, { key: 'sync.error.unknownUpstream', params: { upstream } });
    }
  }
}

function syncPart(c: StationConfig): unknown {
  return { sync: c.sync, station: c.station.name, areas: c.tags.map((t) => [t.name, t.area]) };
}
