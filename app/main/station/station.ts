/**
 * The station: config -> acquisition -> live cache, and every module that
 * takes part (archive, accounts, alarms, sync, ...). Both shells (Electron,
 * browser mode) run exactly this; they only differ in transport. The station
 * composes: each module registers its own console-API handlers and sinks.
 */
import { mkdirSync } from 'node:fs';
import type { StationConfig } from '../../shared/config.js';
import type { RestartedAfterFault, ServerState, StationInfo, TagInfo } from '../../shared/api.js';
import { Acquisition } from '../acquisition/acquisition.js';
import { ArchiveStopped, BackfillRefused, type SinkRefusal } from '../acquisition/backfill-refused.js';
import type { AcquiredSample } from '../acquisition/sample.js';
import { Dispatcher, EventHub } from '../api/dispatcher.js';
import type { Logger } from '../log.js';
import { ConfigStore } from './config-store.js';
import { LiveCache } from './live-cache.js';
import type { StationModule } from './module.js';
import { version } from './version.js';

export type { SampleSink, StationModule } from './module.js';

export interface StationOptions {
  /** The config, or a store that also lets engineers change it from the console. */
  config: StationConfig | ConfigStore;
  dataDir: string;
  logger: Logger;
  simulator: boolean;
  shell: 'electron' | 'browser';
  /**
   * The shortest time between two pushes of changed values to consoles (ms; the first change after
   * a quiet period goes at once). Default 50: a server's publish arrives in several responses a few
   * ms apart, and with 100 the later ones waited for the period (10,000 tags: source -> console p50
   * 178 ms at 100, 134 ms at 50, for one point of CPU more).
   */
  displayPeriodMs?: number;
  /** PEM certificates trusted without a person: only the built-in simulator's, when this station started it with the bundled config. */
  trustAtStart?: string[];
  /** The parts of the station besides acquisition, in start order. */
  modules?: StationModule[];
  /** This process is a restart after a fault (app/main/restart-note.ts): consoles are told. */
  restartedAfterFault?: RestartedAfterFault | null;
}

export class Station {
  readonly events = new EventHub();
  readonly live: LiveCache;
  readonly dispatcher: Dispatcher;
  readonly config: ConfigStore;
  /** The OPC UA side; other parts get each server's live session from acquisition.onSession(). */
  readonly acquisition: Acquisition;
  private readonly modules: StationModule[];
  private readonly serverStates = new Map<string, ServerState>();
  private started: StationModule[] = [];

  constructor(private readonly opts: StationOptions) {
    this.config =
      opts.config instanceof ConfigStore ? opts.config : new ConfigStore(opts.config, { source: '(in memory)', writeTo: '(in memory)' });
    this.live = new LiveCache(this.config.current.tags.map((t) => t.name));
    this.dispatcher = new Dispatcher(opts.logger);
    this.modules = opts.modules ?? [];
    this.acquisition = new Acquisition({
      config: this.config,
      dataDir: opts.dataDir,
      logger: opts.logger,
      trustAtStart: opts.trustAtStart,
      onSamples: (samples) => this.receive(samples),
      onBackfill: (samples) => this.backfill(samples),
      onServerState: (state) => this.serverState(state),
      onGranted: (granted) => this.each('grant listener', (m) => m.onGranted?.(granted)),
      publish: (name, data) => this.events.publish(name, data),
    });
    this.dispatcher.register('station', {
      'station.info': () => this.info(),
      'tags.list': () => this.tags(),
      'live.snapshot': () => ({ values: this.live.snapshot(), servers: this.acquisition.states() }),
    });
    this.acquisition.register(this.dispatcher);
    for (const m of this.modules) m.register?.(this.dispatcher, this.events);
    this.acquisition.onSession((server, session) => this.each('session listener', (m) => m.onSession?.(server, session)));
    this.config.subscribe((next, prev) => this.follow(next, prev));
  }

  module<M extends StationModule>(name: string): M | undefined {
    return this.modules.find((m) => m.name === name) as M | undefined;
  }

  async start(): Promise<void> {
    const { dataDir, logger } = this.opts;
    mkdirSync(dataDir, { recursive: true });
    for (const m of this.modules) {
      await m.start?.();
      this.started.push(m);
    }
    const missing = this.dispatcher.unhandled();
    if (missing.length > 0) logger.info({ requests: missing }, 'console-API requests without a module in this station');
    this.live.startPublishing(this.opts.displayPeriodMs ?? 50, (batch) => this.events.publish('live.values', batch));
    await this.acquisition.start();
  }

  async stop(): Promise<void> {
    const started = this.started.reverse();
    this.started = [];
    // Readers of the others' files first (the sync): what they read must still be open.
    for (const m of started.filter((x) => x.stopFirst)) await this.stopModule(m);
    // Then acquisition: its last act archives the loss of every server at the last evidence.
    await this.acquisition.stop();
    this.live.stop();
    for (const m of started.filter((x) => !x.stopFirst)) await this.stopModule(m);
  }

  private async stopModule(m: StationModule): Promise<void> {
    try {
      await m.stop?.();
    } catch (err) {
      this.opts.logger.error({ module: m.name, err }, 'module failed to stop');
    }
  }

  private receive(samples: AcquiredSample[]): void {
    this.live.update(samples);
    try {
      this.live.publishDue(); // screens first: the sinks' work would otherwise delay them
    } catch (err) {
      this.opts.logger.error({ err, samples: samples.length }, 'publishing live values failed');
    }
    for (const m of this.modules) {
      if (!m.sink) continue;
      // Each sink on its own: an alarm engine that throws must not stop the archive, nor the reverse.
      try {
        m.sink.write(samples);
      } catch (err) {
        this.opts.logger.error({ module: m.name, err, samples: samples.length }, 'sample sink failed');
      }
    }
  }

  /** Calls every module; one that throws is logged and the others still run. */
  private each(what: string, fn: (m: StationModule) => void): void {
    for (const m of this.modules) {
      try {
        fn(m);
      } catch (err) {
        this.opts.logger.error({ module: m.name, err }, `${what} failed`);
      }
    }
  }

  /**
   * Values read from a server's history for a gap: to the archive (sinks that take backfills), not
   * to the screen. Resolves once every sink holds them durably (the archive: committed). Every sink
   * gets them even when another throws; then a sink's refusal rejects with BackfillRefused (each
   * sink's name and why), so the gap is not marked filled with values one of them did not store
   * (the acquisition keeps it pending and tries it again).
   */
  private async backfill(samples: AcquiredSample[]): Promise<void> {
    const durable: Promise<void>[] = [];
    const failed: SinkRefusal[] = [];
    const fail = (module: string, err: unknown): void => {
      this.opts.logger.error({ module, err, samples: samples.length }, 'backfill sink failed');
      failed.push({ sink: module, reason: err instanceof Error ? err.message : String(err), ...(err instanceof ArchiveStopped ? { stopped: true } : {}) });
    };
    for (const m of this.modules) {
      if (!m.sink?.backfill) continue;
      try {
        const written = m.sink.backfill(samples);
        if (written) durable.push(written.catch((err: unknown) => fail(m.name, err)));
      } catch (err) {
        fail(m.name, err);
      }
    }
    await Promise.all(durable);
    // Typed: the acquisition tells a refusal by its class, not by its words.
    if (failed.length > 0) throw new BackfillRefused(failed);
  }

  /** A config change: the modules first (the archive defines a new tag before its first value), then the live cache and acquisition. */
  private follow(next: StationConfig, prev: StationConfig): void {
    for (const m of this.modules) {
      try {
        m.onConfig?.(next, prev);
      } catch (err) {
        this.opts.logger.error({ module: m.name, err }, 'module failed to follow the config');
      }
    }
    this.live.setTags(next.tags.map((t) => t.name));
    // Every console's tag list follows, whoever changed it: before acquisition's own events of the new tags (tags.sources).
    if (JSON.stringify(next.tags) !== JSON.stringify(prev.tags)) this.events.publish('tags.list', this.tags());
    this.acquisition.applyConfig(next, prev).catch((err: unknown) => this.opts.logger.error({ err }, 'acquisition failed to follow the config'));
  }

  private serverState(state: ServerState): void {
    this.serverStates.set(state.id, state);
    this.events.publish('servers.state', [...this.serverStates.values()]);
    for (const m of this.modules) {
      try {
        m.onServerState?.(state);
      } catch (err) {
        this.opts.logger.error({ module: m.name, err, server: state.id }, 'server-state listener failed');
      }
    }
  }

  info(): StationInfo {
    const config = this.config.current;
    return {
      name: config.station.name,
      areas: config.areas.map((a) => ({ id: a.id, name: a.name })),
      servers: config.servers.map((s) => ({ id: s.id, endpoint: s.endpoint })),
      version,
      simulator: this.opts.simulator,
      shell: this.opts.shell,
      locale: config.station.locale,
      restartedAfterFault: this.opts.restartedAfterFault ?? null,
    };
  }

  tags(): TagInfo[] {
    // The built-in type the server declared (Int32 shows no decimals, a vendor "Percent" is a Double).
    const sources = new Map(this.acquisition.sources().map((s) => [s.tag, s]));
    return this.config.current.tags.map((t) => ({
      name: t.name,
      description: t.description,
      unit: t.unit,
      range: t.range ?? null,
      kind: t.kind,
      area: t.area,
      equipment: t.equipment ?? null,
      role: t.role,
      server: t.server,
      nodeId: t.nodeId,
      decimals: t.decimals ?? null,
      dataType: sources.get(t.name)?.builtIn ?? null,
      states: t.kind === 'discrete' ? (sources.get(t.name)?.states ?? null) : null,
    }));
  }
}
