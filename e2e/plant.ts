/**
 * The plant behind the browser tests: the real simulator (in this process,
 * so a test can stop and restart it), and the real station in browser mode
 * as a child process, exactly as `npm start -- --browser` runs it: the build's
 * dist/main/start.cjs (`npm test` builds before the browser tests).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import {
  AttributeIds,
  DataType,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAClient,
  SecurityPolicy,
  StatusCodes,
} from 'node-opcua';
import { startSimulator, type Simulator } from '../simulator/server.js';

export interface PlantOptions {
  seed?: number;
  /**
   * Changes the station config before the station starts. The simulator already runs;
   * `trigger` calls its TriggerScenario method over OPC UA.
   */
  configure?: (doc: Document, sim: Simulator, trigger: (name: string, target: string) => Promise<void>) => void | Promise<void>;
  /** Runs before the station starts, with its data directory and config file (e.g. to archive history). */
  prepare?: (dataDir: string, configFile: string) => void | Promise<void>;
  /** False: the simulator refuses every subscription (SimulatorOptions.subscriptions), here and when restarted. */
  subscriptions?: boolean;
}

export interface Plant {
  url: string;
  /** The station's data directory (accounts, audit trail, archive). */
  dataDir: string;
  /** The station config file it runs on (--config): where engineer edits are written. */
  configFile: string;
  sim: Simulator;
  /** Stops the simulator: the station's server link dies. */
  stopSimulator(): Promise<void>;
  /** Starts it again on the same port. */
  restartSimulator(): Promise<void>;
  /** Calls the simulator's TriggerScenario method over OPC UA, as an engineer's client would. */
  triggerOverOpcUa(name: string, target: string): Promise<void>;
  /** Stops the station (SIGTERM) and starts it again on the same config and data; resolves to its new URL. */
  restartStation(): Promise<string>;
  close(): Promise<void>;
}

const root = new URL('..', import.meta.url).pathname;
/** What `npm start` runs. */
export const stationEntry = join(root, 'dist/main/start.cjs');

export async function startPlant(options: number | PlantOptions = 11): Promise<Plant> {
  const opts: PlantOptions = typeof options === 'number' ? { seed: options } : options;
  const { seed = 11, configure } = opts;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  let sim = await startSimulator({ port: 0, seed, tickMs: 500, subscriptions: opts.subscriptions });
  const port = sim.port;

  // The default config, pointed at this simulator, with a short stale limit.
  const doc = parseDocument(readFileSync(join(root, 'resources', 'station.yaml'), 'utf8'));
  doc.setIn(['servers', 0, 'endpoint'], sim.endpoint);
  doc.setIn(['servers', 0, 'staleAfterMs'], 2000);
  // This simulator runs in the test process with a temporary certificate the station does not know: unsecured.
  doc.setIn(['servers', 0, 'security'], { mode: 'None', policy: 'None' });
  await configure?.(doc, sim, (name, target) => callTrigger(sim.endpoint, dir, name, target));
  const configFile = join(dir, 'station.yaml');
  writeFileSync(configFile, doc.toString());
  await opts.prepare?.(join(dir, 'data'), configFile);

  const spawnStation = () =>
    spawn(process.execPath, [stationEntry, '--browser', '--port', '0', '--config', configFile, '--data', join(dir, 'data'), '--log-level', 'warn'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  let station = spawnStation();
  let url = await consoleUrl(station);
  const stopStation = async () => {
    if (station.exitCode !== null || station.signalCode !== null) return;
    const exited = new Promise((r) => station.once('exit', r));
    station.kill('SIGTERM');
    await exited;
  };

  return {
    get url() {
      return url;
    },
    dataDir: join(dir, 'data'),
    configFile,
    get sim() {
      return sim;
    },
    stopSimulator: () => sim.stop(),
    async restartSimulator() {
      sim = await startSimulator({ port, seed, tickMs: 500, subscriptions: opts.subscriptions });
    },
    triggerOverOpcUa: (name, target) => callTrigger(sim.endpoint, dir, name, target),
    async restartStation() {
      await stopStation();
      station = spawnStation();
      url = await consoleUrl(station);
      return url;
    },
    async close() {
      await stopStation();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs the simulator's plant model ahead at once (plant time, as waiting would have let it run)
 * until `done` holds; the server publishes where it got at its next tick. For a scenario's slow
 * physics (a leak rising to a limit, a tank filling), not for what a test checks about time.
 */
export function runPlantUntil(sim: Simulator, what: string, done: () => boolean, maxSteps = 5000): void {
  for (let i = 0; i < maxSteps && !done(); i++) sim.model.step();
  if (!done()) throw new Error(`the plant model did not reach ${what} within ${maxSteps} steps`);
}

/** Sets `path` under the station config's tag `name` (e.g. ['alarms', 'onDelayS']); throws if there is no such tag. */
export function setInTag(doc: Document, name: string, path: (string | number)[], value: unknown): void {
  const tags = (doc.toJS() as { tags: { name: string }[] }).tags;
  const i = tags.findIndex((t) => t.name === name);
  if (i < 0) throw new Error(`e2e config: no tag ${name} in the station config`);
  doc.setIn(['tags', i, ...path], value);
}

function consoleUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /Vigil console: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`station exited (${code}) before serving:\n${out}`)));
  });
}

async function callTrigger(endpoint: string, dir: string, name: string, target: string): Promise<void> {
  const client = OPCUAClient.create({
    endpointMustExist: false,
    securityMode: MessageSecurityMode.None,
    securityPolicy: SecurityPolicy.None,
    connectionStrategy: { maxRetry: 2, initialDelay: 200, maxDelay: 500 },
    clientCertificateManager: new OPCUACertificateManager({ rootFolder: join(dir, 'client-pki') }),
  });
  await client.connect(endpoint);
  try {
    const session = await client.createSession();
    const ns = (await session.read({ nodeId: 'ns=0;i=2255', attributeId: AttributeIds.Value })).value.value as string[];
    const idx = ns.indexOf('urn:vigil:simulator');
    const result = await session.call({
      objectId: `ns=${idx};s=Simulation`,
      methodId: `ns=${idx};s=Simulation.TriggerScenario`,
      inputArguments: [
        { dataType: DataType.String, value: name },
        { dataType: DataType.String, value: target },
      ],
    });
    if (result.statusCode !== StatusCodes.Good) throw new Error(`TriggerScenario(${name}, ${target}): ${result.statusCode.name}`);
    await session.close();
  } finally {
    await client.disconnect();
  }
}
