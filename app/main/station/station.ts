/**
 * The station: config -> acquisition -> live cache, and every module that
 * takes part (archive, accounts, alarms, sync, ...). Both shells (Electron,
 * browser mode) run exactly this; they only differ in transport. The station
 * composes: each module registers its own console-API handlers and sinks.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StationConfig } from '../../shared/config.js';
import type { ServerState, StationInfo, TagInfo } from '../../shared/api.js';
import { ServerLink } from '../acquisition/server-link.js';
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
  /** How often changed values are pushed to consoles (ms). */
  displayPeriodMs?: number;
  /** The parts of the station besides acquisition, in start order. */
  modules?: StationModule[];
}

export class Station {
  readonly events = new EventHub();
  readonly live: LiveCache;
  readonly dispatcher: Dispatcher;
  readonly config: ConfigStore;
  private readonly links: ServerLink[] = [];
  private readonly modules: StationModule[];
  private readonly serverStates = new Map<string, ServerState>();
  private started: StationModule[] = [];

  constructor(private readonly opts: StationOptions) {
    this.config =
      opts.config instanceof ConfigStore ? opts.config : new ConfigStore(opts.config, { source: '(in memory)', writeTo: '(in memory)' });
    this.live = new LiveCache(this.config.current.tags.map((t) => t.name));
    this.dispatcher = new Dispatcher(opts.logger);
    this.modules = opts.modules ?? [];
    this.dispatcher.register('station', {
      'station.info': () => this.info(),
      'tags.list': () => this.tags(),
      'live.snapshot': () => ({ values: this.live.snapshot(), servers: this.links.map((l) => l.current) }),
    });
    for (const m of this.modules) m.register?.(this.dispatcher);
  }

  module<M extends StationModule>(name: string): M | undefined {
    return this.modules.find((m) => m.name === name) as M | undefined;
  }

  async start(): Promise<void> {
    const { dataDir, logger } = this.opts;
    const config = this.config.current;
    mkdirSync(dataDir, { recursive: true });
    for (const m of this.modules) {
      await m.start?.();
      this.started.push(m);
    }
    const missing = this.dispatcher.unhandled();
    if (missing.length > 0) logger.info({ requests: missing }, 'console-API requests without a module in this station');
    this.live.startPublishing(this.opts.displayPeriodMs ?? 250, (batch) => this.events.publish('live.values', batch));
    for (const server of config.servers) {
      const link = new ServerLink({
        server,
        tags: config.tags.filter((t) => t.server === server.id),
        pkiDir: join(dataDir, 'pki'),
        logger,
        onSamples: (samples) => this.receive(samples),
        onState: (state) => this.serverState(state),
      });
      this.links.push(link);
      link.start();
    }
  }

  async stop(): Promise<void> {
    this.live.stop();
    await Promise.all(this.links.map((l) => l.stop()));
    for (const m of this.started.reverse()) {
      try {
        await m.stop?.();
      } catch (err) {
        this.opts.logger.error({ module: m.name, err }, 'module failed to stop');
      }
    }
    this.started = [];
  }

  private receive(samples: AcquiredSample[]): void {
    this.live.update(samples);
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
    };
  }

  tags(): TagInfo[] {
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
      dataType: null,
    }));
  }
}
