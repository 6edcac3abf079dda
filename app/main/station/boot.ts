/**
 * Brings a station up from the command-line flags: config, simulator,
 * acquisition. Shared by browser mode and the Electron shell so that the
 * shell holds no behaviour of its own.
 */
import type { StartArgs } from '../args.js';
import type { Logger } from '../log.js';
import type { StationConfig } from '../../shared/config.js';
import { loadStationConfig } from './config-file.js';
import { startSimulatorProcess, type SimulatorProcess } from './simulator-process.js';
import { Station } from './station.js';
import { StationArchive } from './archive.js';

export interface RunningStation {
  station: Station;
  simulator: SimulatorProcess | null;
  stop(): Promise<void>;
}

export async function bootStation(args: StartArgs, shell: 'electron' | 'browser', logger: Logger): Promise<RunningStation> {
  let config = loadStationConfig(args.config);
  // The archive first: a second console on the same data directory stops here, before it starts anything.
  const archive = StationArchive.open(config, args.data, logger);
  let simulator: SimulatorProcess | null = null;
  let station: Station;
  try {
    if (args.simulator) {
      simulator = await startSimulatorProcess({ port: args.simulatorPort, seed: args.seed, logger });
      if (!args.customConfig) config = pointAt(config, simulator.endpoint);
    }
    station = new Station({ config, dataDir: args.data, logger, simulator: simulator !== null, shell, archive });
    station.start();
  } catch (err) {
    await simulator?.stop();
    await archive.close();
    throw err;
  }
  logger.info({ config: args.config, data: args.data, tags: config.tags.length }, 'station started');
  return {
    station,
    simulator,
    async stop() {
      await station.stop();
      await simulator?.stop();
    },
  };
}

/** The default config names the simulator's default endpoint; follow the port it really got. */
function pointAt(config: StationConfig, endpoint: string): StationConfig {
  return { ...config, servers: config.servers.map((s, i) => (i === 0 ? { ...s, endpoint } : s)) };
}
