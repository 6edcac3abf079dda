/**
 * A console stand-in for simulator-process.test.ts: starts the built-in simulator as the station
 * does and prints `<endpoint> <simulator pid>`, then waits to be killed.
 */
import { silentLogger } from '../../log.js';
import { startSimulatorProcess } from '../simulator-process.js';

const sim = await startSimulatorProcess({ port: 0, seed: 2, logger: silentLogger() });
process.stdout.write(`${sim.endpoint} ${sim.pid}\n`);
setInterval(() => undefined, 60_000);
