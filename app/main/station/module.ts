/**
 * A part of the station (archive, accounts, alarms, sync, ...): it registers
 * its own console-API handlers, may take every acquired sample, hears server
 * states, and starts and stops with the station. The station only composes.
 */
import type { ClientSession } from 'node-opcua-client';
import type { ServerState } from '../../shared/api.js';
import type { StationConfig } from '../../shared/config.js';
import type { AcquiredSample } from '../acquisition/sample.js';
import type { Dispatcher, EventHub } from '../api/dispatcher.js';

/** Where acquired samples go besides the screen: the historian, the alarm engine. */
export interface SampleSink {
  write(samples: readonly AcquiredSample[]): void;
  /**
   * Values read afterwards from a server's own history to fill a gap (acquisition/backfill.ts):
   * past data, not live. The archive stores them flagged Backfilled; live consumers (alarms)
   * leave this out. A promise: resolved once they are durable (the archive committed them), so
   * the gap is not marked filled before a crash could still lose them.
   */
  backfill?(samples: readonly AcquiredSample[]): void | Promise<void>;
}

export interface StationModule {
  readonly name: string;
  /** Registers its handlers; events: the hub that reaches every console (for modules that push changes). */
  register?(dispatcher: Dispatcher, events: EventHub): void;
  /** Gets every acquired batch, after the live cache; a sink that throws does not stop the others. */
  readonly sink?: SampleSink;
  onServerState?(state: ServerState): void;
  /** A server's OPC UA session once subscribed (at every reconnection), null when it is gone. */
  onSession?(server: string, session: ClientSession | null): void;
  /** The sampling interval (ms) servers granted tags' monitored items, at each subscribe (before the values it brings). */
  onGranted?(granted: ReadonlyMap<string, number>): void;
  /** The station config changed (an engineer added a tag, ...): follow it without a restart. */
  onConfig?(next: StationConfig, previous: StationConfig): void;
  start?(): void | Promise<void>;
  /** Called in reverse order of the modules list (after the acquisition's, unless stopFirst). */
  stop?(): void | Promise<void>;
  /**
   * Stopped before the acquisition and every other module: it reads their files (the sync reads
   * the gap ledger, the archive, the alarm journal and the audit trail), which close with them.
   */
  readonly stopFirst?: boolean;
}
