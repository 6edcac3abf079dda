/**
 * The sync of a station: one worker per configured upstream over the
 * station's outbox streams, their status every few seconds (also written to
 * sync.sqlite for the CLI), sync alarms raised and cleared, and the actions
 * an engineer takes (re-send, retry quarantined lines, resume).
 */
import { join } from 'node:path';
import type { SyncConfig, SyncStreamName, UpstreamConfig } from '../../shared/config/sync.js';
import type { Logger } from '../log.js';
import { UpstreamWorker } from './deliver/worker.js';
import type { BackoffOptions } from './deliver/outcome.js';
import { OldestAge, type StreamBacklog, type SyncAlarm, type SyncStatus, type UpstreamStatus, alarmNews, alarmOf, streamBacklog, sumBacklog } from './status.js';
import { SyncStore } from './store/sync-store.js';
import { type SyncText, text } from '../../shared/sync-text.js';
import type { OutboxStream, StreamMemory } from './streams/stream.js';
import { CredentialError, type KeychainLookup, osKeychain, resolveSecret } from './upstream/credentials.js';

export interface SyncServiceOptions {
  config: SyncConfig;
  dataDir: string;
  /** The outbox streams, encoded for one upstream (its flavour decides the dialect). */
  streams: (u: UpstreamConfig) => OutboxStream[];
  log: Logger;
  env?: NodeJS.ProcessEnv;
  keychain?: KeychainLookup;
  /** Wall clock (ms since epoch): the times stored and shown. Default Date.now. */
  now?: () => number;
  /** Monotonic clock (ms) for intervals and ages, which a step of the wall clock must not move. Default performance.now. */
  monoNow?: () => number;
  statusIntervalMs?: number;
  backoff?: BackoffOptions;
  probeIntervalMs?: number;
  /** A new status (every statusIntervalMs, and at once when a state changes). */
  onStatus?: (s: SyncStatus) => void;
  /** A sync alarm raised (alarm) or cleared (null). */
  onAlarm?: (upstream: string, alarm: SyncAlarm | LossAlarm | null) => void;
}

/** Data missing upstream (reported as '*'): the alarm's detail also as a catalog message, for the console's language. */
export interface LossAlarm extends SyncAlarm {
  upstream: string;
  /** `message` as a message: the stream, then the loss as it is kept (said). */
  said: SyncText;
}

interface Entry {
  config: UpstreamConfig;
  worker: UpstreamWorker | null;
  streams: OutboxStream[];
  error: string | null;
  /** `error` as a catalog message (a secret that cannot be read), for the consoles' languages. */
  errorSaid?: SyncText;
  /** The alarm last reported; undefined until the first report, which is always made (it clears one kept from before a restart). */
  alarm: SyncAlarm | null | undefined;
}

export const syncDbPath = (dataDir: string): string => join(dataDir, 'sync.sqlite');

export class SyncService {
  readonly store: SyncStore;
  private readonly entries: Entry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  private readonly mono: () => number;
  private last: SyncStatus | null = null;
  /** When the status was last written to sync.sqlite (monotonic ms). */
  private lastWritten = -Infinity;
  /** The restart checks (their times) in the status last written: a new one is written at once. */
  private writtenChecks = '';
  /** Per upstream/stream: the age of its oldest unsent record. */
  private readonly ages = new Map<string, OldestAge>();
  private stopped = false;
  /** upstream/stream pairs whose backlog could not be read, logged once until it can again. */
  private readonly unreadable = new Set<string>();

  private constructor(private readonly o: SyncServiceOptions) {
    this.now = o.now ?? Date.now;
    this.mono = o.monoNow ?? (() => performance.now());
    this.store = SyncStore.open(syncDbPath(o.dataDir));
  }

  /** Opens sync.sqlite, reads the secrets and starts a worker per enabled upstream. */
  static async start(o: SyncServiceOptions): Promise<SyncService> {
    const svc = new SyncService(o);
    for (const u of o.config.upstreams) {
      const e: Entry = { config: u, worker: null, streams: [], error: null, alarm: undefined };
      svc.entries.push(e);
      if (!u.enabled) continue;
      const wanted = new Set<SyncStreamName>(u.streams ?? ['samples', 'gaps', 'alarms', 'audit']);
      e.streams = o.streams(u).filter((s) => wanted.has(s.name));
      for (const s of e.streams) s.keepIn?.(svc.memoryOf(u.id, s.name));
      let secret: string | null = null;
      try {
        if (u.credentials) secret = await resolveSecret(u.id, u.credentials.secret, o.env, o.keychain ?? osKeychain);
      } catch (err) {
        e.error = (err as Error).message;
        if (err instanceof CredentialError) e.errorSaid = err.said;
        o.log.error({ upstream: u.id, error: e.error }, 'upstream not started: its secret cannot be read');
        continue;
      }
      e.worker = new UpstreamWorker({
        config: u, store: svc.store, streams: e.streams, log: o.log, secret, now: o.now, monoNow: o.monoNow, backoff: o.backoff, probeIntervalMs: o.probeIntervalMs,
        onLoss: (stream, detail, said) => svc.loss(u.id, stream, detail, said),
        onChange: () => svc.refresh(),
      });
      e.worker.start();
    }
    svc.timer = setInterval(() => svc.refresh(), o.statusIntervalMs ?? 2000);
    svc.timer.unref();
    svc.refresh();
    return svc;
  }

  /** An upstream's part of sync.sqlite for one of its streams (OutboxStream.keepIn). */
  private memoryOf(upstream: string, stream: string): StreamMemory {
    return {
      caughtUpAt: (cursor) => this.store.caughtUpAt(upstream, stream, cursor),
      setCaughtUpAt: (cursor, at) => this.store.setCaughtUpAt(upstream, stream, cursor, at),
    };
  }

  status(): SyncStatus {
    return this.last ?? this.compute();
  }

  /** Sends [from, to] (ms) of a stream again to one upstream or all. */
  resend(upstream: string | null, stream: SyncStreamName, from: number, to: number, reason: string): number {
    if (!(from <= to)) throw new Error(`resend: from (${new Date(from).toISOString()}) must not be after to (${new Date(to).toISOString()})`);
    const targets = this.targets(upstream);
    let n = 0;
    for (const e of targets) {
      const s = e.streams.find((x) => x.name === stream);
      if (!s?.readTimeRange) continue;
      this.store.addReplay({ upstream: e.config.id, stream, kind: 'time', from: String(from), to: String(to), reason, requestedAt: this.now() });
      e.worker?.poke();
      n++;
    }
    return n;
  }

  /** Marks quarantined lines (refused by the upstream) for another try; returns how many. */
  retryQuarantine(upstream: string | null, ids?: number[]): number {
    const n = this.store.markRetry({ upstream: upstream ?? undefined, ids });
    for (const e of this.targets(upstream)) e.worker?.poke();
    this.refresh(); // the quarantine's alarm clears now that an engineer has seen it, not at the next status
    return n;
  }

  resume(upstream: string | null): void {
    for (const e of this.targets(upstream)) e.worker?.resume();
  }

  /** Stops the workers, writes the final status (what the CLI shows of a stopped station) and closes sync.sqlite. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    try {
      await Promise.all(this.entries.map((e) => e.worker?.stop()));
      this.last = this.compute();
      this.writeStatus(this.last, true);
    } finally {
      this.store.close();
    }
  }

  private targets(upstream: string | null): Entry[] {
    if (upstream === null) return this.entries;
    const e = this.entries.find((x) => x.config.id === upstream);
    if (!e) throw new Error(`unknown upstream "${upstream}": expected one of ${this.entries.map((x) => x.config.id).join(', ') || '(none configured)'}`);
    return [e];
  }

  private loss(upstream: string, stream: string, detail: string, said: SyncText): void {
    this.store.addLoss(upstream, stream, detail, said, this.now());
    // Aged out of the archive unsent, or lost by an upstream that had acknowledged it: the detail says which.
    this.o.log.error({ upstream, stream, detail }, 'data missing upstream');
    const alarm: LossAlarm = { kind: 'stopped', upstream, message: `${stream}: ${detail}`, said: text('sync.loss.inStream', { stream, detail: said }) };
    this.o.onAlarm?.('*', alarm);
  }

  /**
   * Recomputes the status, takes the CLI's requests, raises and clears alarms. Never throws: it
   * runs in the workers' state changes too, and a status that cannot be made (sync.sqlite not
   * writable) must not stop a worker; the next one tries again.
   */
  private refresh(): void {
    if (this.stopped) return; // a worker's last state change during stop(): the final status is written there
    try {
      this.update();
    } catch (err) {
      this.o.log.error({ err }, 'sync status not updated; trying again at the next one');
    }
  }

  private update(): void {
    for (const r of this.store.takeRequests()) if (r.action === 'resume') this.resume(r.upstream === '*' ? null : r.upstream);
    const s = this.compute();
    this.last = s;
    for (const [i, e] of this.entries.entries()) {
      const a = s.upstreams[i]!.alarm;
      const was = e.alarm;
      if (was !== undefined && JSON.stringify(a) === JSON.stringify(was)) continue;
      if (alarmNews(a, was)) {
        this.o.onAlarm?.(e.config.id, a);
        if (a) this.o.log.warn({ upstream: e.config.id, alarm: a }, 'sync alarm');
        else if (was) this.o.log.info({ upstream: e.config.id }, 'sync alarm cleared');
      }
      e.alarm = a;
    }
    this.writeStatus(s, false);
    this.o.onStatus?.(s);
  }

  private writeStatus(s: SyncStatus, force: boolean): void {
    const mono = this.mono();
    // What a restart check found is written at once: a station killed within the 5 s kept an older check.
    const checks = s.upstreams.map((u) => u.restartCheck?.at ?? '').join();
    if (!force && checks === this.writtenChecks && mono - this.lastWritten < 5000) return;
    this.lastWritten = mono;
    this.writtenChecks = checks;
    this.store.transaction(() => { for (const u of s.upstreams) this.store.writeStatus(u.id, u, s.at); });
  }

  private compute(): SyncStatus {
    const now = this.now();
    const mono = this.mono();
    const quarantined = this.store.quarantineCounts();
    const unseen = this.store.quarantineUnseen();
    const replays = this.store.replays();
    const upstreams = this.entries.map((e): UpstreamStatus => {
      const w = e.worker?.status();
      const counters = this.store.counters(e.config.id);
      const base = {
        id: e.config.id, url: e.config.url, flavour: e.config.flavour,
        state: !e.config.enabled ? 'disabled' as const : e.error ? 'error' as const : w!.state,
        lastSuccessAt: w?.lastSuccessAt ?? null, lastAttemptAt: w?.lastAttemptAt ?? null,
        lastError: e.error ? { at: now, message: e.error, ...(e.errorSaid && { said: e.errorSaid }) } : w?.lastError ?? null,
        paused: w?.paused ?? null, sentLines: w?.sentLines ?? counters.sent, resentLines: w?.resentLines ?? counters.resent, restarts: w?.restarts ?? 0,
        restartCheck: w?.restartCheck ?? null,
        connected: w !== undefined && (w.state === 'sending' || w.state === 'idle'),
        backlog: sumBacklog(e.streams.map((s) => this.aged(e.config.id, this.backlogOf(e.config.id, s), now, mono))),
        quarantined: quarantined.get(e.config.id) ?? 0,
        replaysPending: replays.filter((r) => r.upstream === e.config.id).length,
      };
      // A stopped service raises nothing: its final status says stopped, not why it would alarm.
      return { ...base, alarm: this.stopped ? null : alarmOf(base, this.o.config.backlogAlarmAfterSec * 1000, now, unseen.get(e.config.id)) };
    });
    return { upstreams, losses: this.store.losses(), at: now };
  }

  /**
   * The backlog with its oldest record's write time as now less its age (OldestAge): never in the
   * future, and as old as it really is after a step of the wall clock. The 0 of records written
   * before write times were kept stays 0.
   */
  private aged(upstream: string, b: StreamBacklog, now: number, mono: number): StreamBacklog {
    const key = `${upstream}/${b.stream}`;
    let tracker = this.ages.get(key);
    if (!tracker) this.ages.set(key, (tracker = new OldestAge()));
    const age = tracker.of(b.oldestWrittenAt, now, mono);
    return age === null || b.oldestWrittenAt === 0 ? b : { ...b, oldestWrittenAt: now - age };
  }

  /**
   * A stream's backlog; when its source cannot be read (its owner closed it, a read failed), the
   * figure last computed: a status is always made, and a worker's state change never fails on it.
   */
  private backlogOf(upstream: string, s: OutboxStream): StreamBacklog {
    const key = `${upstream}/${s.name}`;
    try {
      const b = streamBacklog(this.store, upstream, s);
      this.unreadable.delete(key);
      return b;
    } catch (err) {
      if (!this.unreadable.has(key)) this.o.log.warn({ upstream, stream: s.name, err }, 'backlog not readable: the last figure is shown');
      this.unreadable.add(key);
      const last = this.last?.upstreams.find((u) => u.id === upstream)?.backlog.streams.find((b) => b.stream === s.name);
      return last ?? { stream: s.name, records: 0, oldestWrittenAt: null };
    }
  }
}
