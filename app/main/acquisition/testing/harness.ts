/**
 * A real station for the acquisition tests: its config in a YAML file (so
 * edits from the console are real file edits), its own data directory (PKI,
 * gap ledger, optionally the archive), a sink that records every sample with
 * when it arrived, the log lines it wrote, and console calls made as a
 * signed-in user of a given role.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiResponse, RequestName, Params, ServerState } from '../../../shared/api.js';
import type { Role } from '../../../shared/permissions.js';
import { internalConnection, type Session } from '../../api/connection.js';
import { createLogger } from '../../log.js';
import { loadStationConfig } from '../../station/config-file.js';
import { ConfigStore } from '../../station/config-store.js';
import type { StationModule } from '../../station/module.js';
import { StationArchive } from '../../station/archive.js';
import { Station } from '../../station/station.js';
import type { AcquiredSample } from '../sample.js';
import { savePki, seedPki } from './pki-cache.js';

export interface Received extends AcquiredSample {
  at: number;
}

export interface TestStation {
  station: Station;
  archive: StationArchive | null;
  dataDir: string;
  configFile: string;
  samples: Received[];
  backfills: AcquiredSample[];
  states: ServerState[];
  logs: Record<string, unknown>[];
  /** Entries the dispatcher wrote to the audit trail. */
  audit: Record<string, unknown>[];
  call<N extends RequestName>(method: N, params: Params<N>, role?: Role | null): Promise<ApiResponse<unknown>>;
  stop(): Promise<void>;
}

export interface TestStationOptions {
  dir: string;
  yaml: string;
  archive?: boolean;
  /** Reuse a data directory (a restart). */
  dataDir?: string;
}

export async function startTestStation(opts: TestStationOptions): Promise<TestStation> {
  const dataDir = opts.dataDir ?? path.join(opts.dir, 'data');
  const configFile = path.join(opts.dir, 'station.yaml');
  writeFileSync(configFile, opts.yaml);
  const pkiRoot = path.join(dataDir, 'pki');
  const seeded = await seedPki('station', pkiRoot);
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) } });
  const config = loadStationConfig(configFile);
  const store = new ConfigStore(config, { source: configFile, onListenerError: (err) => logger.error({ err }, 'config listener failed') });
  const samples: Received[] = [];
  const backfills: AcquiredSample[] = [];
  const recorder: StationModule = {
    name: 'recorder',
    sink: {
      write: (batch) => {
        const at = Date.now();
        for (const s of batch) samples.push({ ...s, at });
      },
      backfill: (batch) => void backfills.push(...batch),
    },
  };
  const archive = opts.archive ? await StationArchive.open(config, dataDir, logger) : null;
  const station = new Station({
    config: store, dataDir, logger, simulator: false, shell: 'browser', displayPeriodMs: 50,
    modules: archive ? [archive, recorder] : [recorder],
  });
  const states: ServerState[] = [];
  station.events.subscribe((name, data) => {
    if (name === 'servers.state') states.push(...(data as ServerState[]));
  });
  // Sessions as the accounts module would give them: one per connection, with the roles the test asks for.
  const sessions = new Map<string, Session>();
  station.dispatcher.useSessions({ sessionOf: (c) => sessions.get(c.id) ?? null });
  const audit: Record<string, unknown>[] = [];
  station.dispatcher.useAudit({ record: (entry) => void audit.push(entry as unknown as Record<string, unknown>) });
  await station.start();
  let saved = seeded;
  station.events.subscribe((name, data) => {
    if (saved || name !== 'servers.state' || !(data as ServerState[]).some((s) => s.state === 'connected')) return;
    saved = true;
    void savePki('station', pkiRoot);
  });
  return {
    station, archive, dataDir, configFile, samples, backfills, states, logs, audit,
    async call(method, params, role = 'engineer') {
      const connection = internalConnection('test');
      if (role) sessions.set(connection.id, { id: connection.id, user: `test-${role}`, displayName: role, roles: [role], since: Date.now() });
      return station.dispatcher.dispatch(method, params, connection);
    },
    async stop() {
      await station.stop();
    },
  };
}

/** Polls until probe returns something truthy; fails naming what it waited for. */
export async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The same for a probe that has to ask the station (a console call). */
export async function untilAsync<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
