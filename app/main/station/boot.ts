/**
 * Brings a station up from the command-line flags: config, simulator, the
 * modules, acquisition. Shared by browser mode and the Electron shell so that
 * the shell holds no behaviour of its own. This is the composition root: a
 * new part of the station is one line in modules().
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLoopbackHost, type StartArgs } from '../args.js';
import { AccountsModule } from '../accounts/module.js';
import type { Logger } from '../log.js';
import type { StationConfig } from '../../shared/config.js';
import { loadStationConfig } from './config-file.js';
import { ConfigStore } from './config-store.js';
import type { StationModule } from './module.js';
import { simulatorCertificate, startSimulatorProcess, type SimulatorLauncher, type SimulatorProcess } from './simulator-process.js';
import { Station } from './station.js';
import { StationArchive } from './archive.js';
import { TrendsModule } from '../trends/module.js';
import type { SaveDialog } from '../trends/export/service.js';
import { SyncModule } from '../sync/module.js';
import { gapLedgerSource } from '../acquisition/gap-source.js';
import { AlarmsModule } from '../alarms/module.js';
import { applyHeapPolicy } from './heap-policy.js';
import { ownFilesOnly, secureDataDir } from './data-dir.js';
import { auditDetailOf, type RestartNote } from '../restart-note.js';

export interface RunningStation {
  station: Station;
  simulator: SimulatorProcess | null;
  stop(): Promise<void>;
}

/**
 * Without --config the station runs the bundled default; changes made from
 * the console go to <data>/station.yaml, which later starts then use.
 */
export function configFiles(args: StartArgs): { source: string; writeTo: string } {
  if (args.customConfig) return { source: args.config, writeTo: args.config };
  const own = join(args.data, 'station.yaml');
  return { source: existsSync(own) ? own : args.config, writeTo: own };
}

export interface BootOptions {
  /** How the shell starts the built-in simulator (Electron: a utility process; default: a Node child). */
  launchSimulator?: SimulatorLauncher;
  /** Electron's save dialog: where an export goes (browser mode downloads instead). */
  saveDialog?: SaveDialog;
  /** This start is a restart after a fault: audited, and shown on every console. */
  restart?: RestartNote | null;
}

export async function bootStation(args: StartArgs, shell: 'electron' | 'browser', logger: Logger, boot: BootOptions = {}): Promise<RunningStation> {
  applyHeapPolicy();
  ownFilesOnly();
  secureDataDir(args.data, logger);
  const files = configFiles(args);
  const config = loadStationConfig(files.source, StationArchive.archivedKindCheck(args.data));
  // The archive first: a second console on the same data directory stops here, before it starts anything.
  const archive = await StationArchive.open(config, args.data, logger);
  let simulator: SimulatorProcess | null = null;
  let accounts: AccountsModule | null = null;
  let alarms: AlarmsModule | null = null;
  let station: Station;
  try {
    // The simulator keeps its certificate in the data directory, so the station knows it is its own.
    const simulatorPki = join(args.data, 'simulator');
    if (args.simulator) {
      const extraArgs = [...args.scenarios.flatMap((s) => ['--scenario', s]), '--pki-dir', simulatorPki];
      simulator = await startSimulatorProcess({ port: args.simulatorPort, seed: args.seed, logger, extraArgs, launch: boot.launchSimulator });
    }
    const endpoint = simulator && !args.customConfig ? simulator.endpoint : null;
    // The embedded default: this station started the simulator for the bundled config, so its certificate is known to be its own.
    const trustAtStart = endpoint ? [readFileSync(simulatorCertificate(simulatorPki), 'utf8')] : [];
    const store = new ConfigStore(config, {
      ...files,
      overlay: endpoint ? (c) => pointAt(c, endpoint) : undefined,
      onListenerError: (err) => logger.error({ err }, 'a module failed to apply a config change'),
    });
    store.addCheck(archive.kindCheck);
    accounts = AccountsModule.open({
      dataDir: args.data,
      config: () => store.current.accounts,
      logger,
      signInRequired: shell === 'browser' && !isLoopbackHost(args.listen),
    });
    // The audit trail for what the station does to alarms itself (shelve expiry, a one-shot shelve ended by the return).
    alarms = AlarmsModule.open({ config: store, dataDir: args.data, logger, audit: accounts.audit });
    const raise = alarms;
    const sync = new SyncModule({
      config: store, dataDir: args.data, logger, feed: archive,
      alarmJournal: alarms.journal.file, auditTrail: accounts.audit.file,
      onAlarm: (upstream, alarm) => raise.syncAlarm(upstream, alarm),
    });
    const trends = new TrendsModule({
      historian: archive, dataDir: args.data, stationName: () => store.current.station.name, logger, saveDialog: boot.saveDialog,
    });
    station = new Station({ config: store, dataDir: args.data, logger, simulator: simulator !== null, shell, modules: modules({ accounts, archive, alarms, sync, trends }), trustAtStart,
      restartedAfterFault: boot.restart ?? null,
    });
    sync.attach(station.events);
    sync.attachGaps(gapLedgerSource(station.acquisition.ledger));
    await station.start();
  } catch (err) {
    await simulator?.stop();
    await archive.close();
    alarms?.stop();
    accounts?.stop();
    throw err;
  }
  if (boot.restart) {
    // After station.started: the trail reads "started", then why this start is a restart.
    const restart = boot.restart;
    accounts.audit.record({ user: null, role: null, action: 'station.restartedAfterFault', result: 'ok', source: 'station', detail: auditDetailOf(restart) });
    logger.warn({ faultAt: new Date(restart.at).toISOString(), restarts: restart.restarts, cause: restart.detail }, 'station restarted after a fault');
  }
  logger.info({ config: files.source, data: args.data, tags: config.tags.length }, 'station started');
  return {
    station,
    simulator,
    async stop() {
      await station.stop();
      await simulator?.stop();
    },
  };
}

/** The station's parts in start order (stopped in reverse). Accounts first: it installs sessions and the audit trail. */
function modules(parts: { accounts: AccountsModule; archive: StationArchive; alarms: AlarmsModule; sync: SyncModule; trends: TrendsModule }): StationModule[] {
  return [parts.accounts, parts.archive, parts.alarms, parts.sync, parts.trends];
}

/** The default config names the simulator's default endpoint; follow the port it really got. */
function pointAt(config: StationConfig, endpoint: string): StationConfig {
  return { ...config, servers: config.servers.map((s, i) => (i === 0 ? { ...s, endpoint } : s)) };
}
