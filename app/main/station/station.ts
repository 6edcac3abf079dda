/**
 * The station: config -> acquisition -> live cache (and the archive), plus
 * the console API handlers. Both shells (Electron, browser mode) run exactly
 * this; they only differ in transport.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StationConfig } from '../../shared/config.js';
import type { ServerState, StationInfo, TagInfo } from '../../shared/api.js';
import { ServerLink } from '../acquisition/server-link.js';
import type { AcquiredSample } from '../acquisition/sample.js';
import { Dispatcher, EventHub, UnavailableError, type Handlers } from '../api/dispatcher.js';
import type { Logger } from '../log.js';
import { LiveCache } from './live-cache.js';
import type { StationArchive } from './archive.js';
import { version } from './version.js';

export interface StationOptions {
  config: StationConfig;
  dataDir: string;
  logger: Logger;
  simulator: boolean;
  shell: 'electron' | 'browser';
  /** How often changed values are pushed to consoles (ms). */
  displayPeriodMs?: number;
  /** The local historian; the station archives every sample into it and closes it on stop. */
  archive?: StationArchive;
}

/** Where acquired samples go besides the screen: the historian, the alarm engine. */
export interface SampleSink {
  write(samples: readonly AcquiredSample[]): void;
}

export class Station {
  readonly events = new EventHub();
  readonly live: LiveCache;
  readonly dispatcher: Dispatcher;
  private readonly links: ServerLink[] = [];
  private readonly sinks: SampleSink[] = [];
  private readonly serverStates = new Map<string, ServerState>();

  constructor(private readonly opts: StationOptions) {
    const { config } = opts;
    this.live = new LiveCache(config.tags.map((t) => t.name));
    this.dispatcher = new Dispatcher(this.handlers(), opts.logger);
    if (opts.archive) this.sinks.push(opts.archive);
  }

  addSink(sink: SampleSink): void {
    this.sinks.push(sink);
  }

  start(): void {
    const { config, dataDir, logger } = this.opts;
    mkdirSync(dataDir, { recursive: true });
    this.live.startPublishing(this.opts.displayPeriodMs ?? 250, (batch) => this.events.publish('live.values', batch));
    for (const server of config.servers) {
      const link = new ServerLink({
        server,
        tags: config.tags.filter((t) => t.server === server.id),
        pkiDir: join(dataDir, 'pki'),
        logger,
        onSamples: (samples) => this.receive(samples),
        onState: (state) => {
          this.serverStates.set(state.id, state);
          this.events.publish('servers.state', [...this.serverStates.values()]);
        },
      });
      this.links.push(link);
      link.start();
    }
  }

  async stop(): Promise<void> {
    this.live.stop();
    await Promise.all(this.links.map((l) => l.stop()));
    await this.opts.archive?.close();
  }

  private receive(samples: AcquiredSample[]): void {
    this.live.update(samples);
    for (const sink of this.sinks) sink.write(samples);
  }

  info(): StationInfo {
    const { config } = this.opts;
    return {
      name: config.station.name,
      areas: config.areas.map((a) => ({ id: a.id, name: a.name })),
      servers: config.servers.map((s) => ({ id: s.id, endpoint: s.endpoint })),
      version,
      simulator: this.opts.simulator,
      shell: this.opts.shell,
    };
  }

  tags(): TagInfo[] {
    return this.opts.config.tags.map((t) => ({
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
    }));
  }

  private handlers(): Handlers {
    return {
      'station.info': () => this.info(),
      'tags.list': () => this.tags(),
      'live.snapshot': () => ({ values: this.live.snapshot(), servers: this.links.map((l) => l.current) }),
      'tags.archiveStats': () => {
        if (!this.opts.archive) throw new UnavailableError('this station runs without an archive');
        return this.opts.archive.stats();
      },
    };
  }
}
