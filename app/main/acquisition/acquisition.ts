/**
 * The station's acquisition: one ServerLink per configured server, the PKI,
 * the gap ledger, and the console API over them. It follows the config
 * store: a tag added from the console is subscribed without a restart, a
 * server whose settings changed is reconnected.
 *
 * Other parts reach the OPC UA sessions through onSession(): the alarms
 * module (OPC UA Alarms & Conditions, the one part of Vigil that writes to a
 * server: acknowledge and confirm) is told each server's live session after
 * every connection, failover or switch, and null when it is gone.
 */
import { join } from 'node:path';
import type { ClientSession } from 'node-opcua-client';
import type { Document } from 'yaml';
import type { EventData, EventName, ServerState } from '../../shared/api.js';
import type { TagSource } from '../../shared/api/acquisition.js';
import type { ServerConfig, StationConfig } from '../../shared/config.js';
import type { Dispatcher } from '../api/dispatcher.js';
import type { Logger } from '../log.js';
import type { ConfigStore } from '../station/config-store.js';
import { BACKFILL_ARCHIVE_STOPPED_LOG, BackfillRefused } from './backfill-refused.js';
import { GapLedger } from './gap-ledger.js';
import { registerAcquisitionApi } from './handlers.js';
import { NamespaceMemory } from './namespace-memory.js';
import { StampMemory } from './stamp-memory.js';
import { StationPki } from './pki.js';
import type { AcquiredSample } from './sample.js';
import { ServerLink } from './server-link.js';

/**
 * How long a gap's values may wait for the archive's commit (paced at a second) before the gap says
 * it waits for the archive: not at every backfill, only when the archive cannot write.
 */
export const ARCHIVE_WAIT_SHOWN_MS = 2000;

/** The one warning of a backfill the archive did not store (server-link.ts logs no second one for it). */
export const BACKFILL_NOT_ARCHIVED_LOG = 'backfill not archived: the gap stays pending, retried while connected and at the next connection or start';

export type SessionListener = (server: string, session: ClientSession | null) => void;

export interface AcquisitionOptions {
  config: ConfigStore;
  dataDir: string;
  logger: Logger;
  onSamples(samples: AcquiredSample[]): void;
  /** Resolves once the values are durable (archived and committed): the gap is filled only then. */
  onBackfill(samples: AcquiredSample[]): void | Promise<void>;
  onServerState(state: ServerState): void;
  /**
   * How often (ms) each tag's changes can reach the station as its server granted (its sampling
   * interval, or the publish over a queue revised too short: server-link.ts deliveredEvery), at
   * every subscribe, before the values it brings.
   */
  onGranted?(granted: ReadonlyMap<string, number>): void;
  publish<N extends EventName>(name: N, data: EventData<N>): void;
  /** PEM certificates trusted without a person: only the built-in simulator's, when the station started it. */
  trustAtStart?: string[];
  retryMs?: number;
  maxRetryMs?: number;
}

export class Acquisition {
  readonly pki: StationPki;
  readonly ledger: GapLedger;
  private readonly namespaces: NamespaceMemory;
  private readonly stamps: StampMemory;
  private readonly links = new Map<string, ServerLink>();
  private readonly sessionListeners = new Set<SessionListener>();
  private started = false;
  /** Timers that show a gap waiting for the archive (archiveBackfill): none outlives the ledger. */
  private readonly archiveWaits = new Set<NodeJS.Timeout>();

  constructor(private readonly opts: AcquisitionOptions) {
    this.pki = new StationPki(join(opts.dataDir, 'pki'), opts.logger);
    this.ledger = new GapLedger(join(opts.dataDir, 'acquisition.sqlite'));
    this.ledger.onChange((entry) => opts.publish('gaps.changed', entry));
    this.namespaces = new NamespaceMemory(join(opts.dataDir, 'acquisition.sqlite'));
    this.stamps = new StampMemory(join(opts.dataDir, 'acquisition.sqlite'));
  }

  get config(): StationConfig {
    return this.opts.config.current;
  }

  register(dispatcher: Dispatcher): void {
    registerAcquisitionApi(dispatcher, this);
  }

  /** Told each server's live session after every (re)connection or switch, and null when it is lost. */
  onSession(listener: SessionListener): () => void {
    this.sessionListeners.add(listener);
    for (const [id, link] of this.links) if (link.session) listener(id, link.session);
    return () => this.sessionListeners.delete(listener);
  }

  /** Changes the station config file (comments kept); the station then follows it. */
  editConfig(mutate: (doc: Document) => void): StationConfig {
    return this.opts.config.edit(mutate);
  }

  /** The namespace URI a tag by index (index-form node id) had at its first acquisition on this server; null if never acquired. */
  rememberedNamespace(server: string, nodeId: string): string | null {
    return this.namespaces.uriOf(server, nodeId);
  }

  link(server: string): ServerLink | undefined {
    return this.links.get(server);
  }

  states(): ServerState[] {
    return [...this.links.values()].map((l) => l.current);
  }

  sources(): TagSource[] {
    return [...this.links.values()].flatMap((l) => l.sources());
  }

  async start(): Promise<void> {
    await this.pki.initialize();
    for (const pem of this.opts.trustAtStart ?? []) {
      const thumbprint = await this.pki.trustPem(pem);
      this.opts.logger.info({ thumbprint }, 'built-in simulator certificate trusted');
    }
    this.started = true;
    for (const server of this.config.servers) this.startLink(server, this.config);
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.links.values()].map((l) => l.stop()));
    this.links.clear();
    for (const w of this.archiveWaits) clearTimeout(w);
    this.archiveWaits.clear();
    this.ledger.close();
    this.namespaces.close();
    this.stamps.close();
    await this.pki.dispose();
  }

  /** Follows a config change: servers added, removed or changed restart their link; tags are updated in place. */
  async applyConfig(next: StationConfig, prev: StationConfig): Promise<void> {
    if (!this.started) return;
    const before = new Map(prev.servers.map((s) => [s.id, JSON.stringify(s)]));
    for (const server of next.servers) {
      const link = this.links.get(server.id);
      if (link && before.get(server.id) === JSON.stringify(server)) {
        await link.updateTags(next.tags.filter((t) => t.server === server.id));
        continue;
      }
      if (link) {
        this.links.delete(server.id);
        await link.stop();
      }
      this.startLink(server, next);
    }
    for (const [id, link] of this.links) {
      if (next.servers.some((s) => s.id === id)) continue;
      this.links.delete(id);
      await link.stop();
    }
  }

  /** A certificate was trusted: servers waiting on it try again now rather than after their backoff. */
  retryNow(): void {
    for (const link of this.links.values()) link.retryNow();
  }

  /** A certificate was rejected: connections that rest on it end (their tags are marked lost, the gap opens). */
  certificateRejected(thumbprint: string): void {
    for (const link of this.links.values()) link.certificateRejected(thumbprint);
  }

  async publishCertificates(): Promise<void> {
    this.opts.publish('certificates.changed', await this.pki.list());
  }

  /**
   * A gap's values to the archive. A commit not made within ARCHIVE_WAIT_SHOWN_MS (a full disk, a
   * locked volume: minutes) shows on the gap (the server's backfill running now: one at a time per
   * server) as waiting for the archive. Values the archive refused or could not take leave the gap
   * pending, tried again while the link is up (backfill-retry.ts) and at the next connection or
   * start; the link is told by the rejection (a BackfillRefused), so it never marks the gap done.
   */
  private async archiveBackfill(server: string, samples: AcquiredSample[]): Promise<void> {
    const gap = samples.length > 0 ? this.ledger.runningGap(server) : null;
    // Only while it is still this gap's run (a loss or a stop meanwhile made it pending).
    const waiting = gap && setTimeout(() => {
      this.archiveWaits.delete(waiting!);
      if (this.ledger.runningGap(server)?.id === gap.id) this.ledger.setBackfill(gap.id, 'archiving', samples.length, null);
    }, ARCHIVE_WAIT_SHOWN_MS);
    if (waiting) this.archiveWaits.add(waiting);
    let refused: BackfillRefused | null = null;
    try {
      await this.opts.onBackfill(samples);
    } catch (err) {
      // The station's sinks reject with BackfillRefused; anything else thrown by onBackfill stored
      // nothing either, so it is taken as a refusal of the whole station, never as stored.
      refused = err instanceof BackfillRefused ? err : new BackfillRefused([{ sink: 'station', reason: err instanceof Error ? err.message : String(err) }], { cause: err });
    } finally {
      if (waiting) {
        clearTimeout(waiting);
        this.archiveWaits.delete(waiting);
      }
    }
    if (refused === null) return;
    // A stopped archive is not retried before the next start (GapLedger.notArchived): said so.
    this.opts.logger.warn({ server, gap: gap?.id, samples: samples.length, sinks: refused.refusals, err: refused.message },
      refused.archiveStopped ? BACKFILL_ARCHIVE_STOPPED_LOG : BACKFILL_NOT_ARCHIVED_LOG);
    if (gap) this.ledger.notArchived(gap.id, refused.archiveStopped);
    throw refused;
  }

  private startLink(server: ServerConfig, config: StationConfig): void {
    const { logger } = this.opts;
    const link = new ServerLink(server, config.tags.filter((t) => t.server === server.id), {
      dataDir: this.opts.dataDir,
      logger,
      pki: this.pki,
      ledger: this.ledger,
      namespaces: this.namespaces,
      stamps: this.stamps,
      retryMs: this.opts.retryMs,
      maxRetryMs: this.opts.maxRetryMs,
      onSamples: (s) => this.opts.onSamples(s),
      onBackfill: (s) => this.archiveBackfill(server.id, s),
      onState: (state) => this.opts.onServerState(state),
      onGranted: (granted) => this.opts.onGranted?.(granted),
      onSources: (changed) => this.opts.publish('tags.sources', changed),
      onSession: (session) => {
        for (const l of this.sessionListeners) {
          try {
            l(server.id, session);
          } catch (err) {
            logger.error({ server: server.id, err }, 'session listener failed');
          }
        }
      },
      onCertificateRefused: () => {
        this.publishCertificates().catch((err: unknown) => logger.error({ err }, 'could not list certificates'));
      },
    });
    this.links.set(server.id, link);
    link.start();
  }
}
