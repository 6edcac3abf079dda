// The simulator over real OPC UA: a node-opcua client connects to an in-process server.
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  AttributeIds, DataType, OPCUACertificateManager, OPCUAClient, StatusCodes, TimestampsToReturn, makeBrowsePath,
  type ClientSession, type DataValue, type EUInformation, type Range,
} from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './server.js';

const TICK_MS = 50;
let tmp: string;
let sim: Simulator;
let client: OPCUAClient;
let session: ClientSession;
let startupMs = 0;

async function connect(endpoint: string): Promise<{ client: OPCUAClient; session: ClientSession }> {
  const c = OPCUAClient.create({
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 2, initialDelay: 100, maxDelay: 500 },
    clientCertificateManager: new OPCUACertificateManager({
      rootFolder: path.join(tmp, 'client-pki'), automaticallyAcceptUnknownCertificate: true, disableFileWatchers: true,
    }),
  });
  await c.connect(endpoint);
  return { client: c, session: await c.createSession() };
}

const read = (name: string): Promise<DataValue> =>
  session.read({ nodeId: `ns=1;s=${name}`, attributeId: AttributeIds.Value });

/** Polls until `done` accepts the value; fails after `ticks` simulator ticks' worth of polling. */
async function readUntil(name: string, done: (dv: DataValue) => boolean, ticks = 200): Promise<DataValue> {
  let dv = await read(name);
  for (let i = 0; i < ticks && !done(dv); i++) {
    await new Promise((r) => setTimeout(r, TICK_MS));
    dv = await read(name);
  }
  if (!done(dv)) throw new Error(`${name}: condition not met, last ${dv.toString()}`);
  return dv;
}

async function callSim(method: string, ...args: string[]): Promise<{ status: string; message?: string }> {
  const res = await session.call({
    objectId: 'ns=1;s=Simulation', methodId: `ns=1;s=Simulation.${method}`,
    inputArguments: args.map((value) => ({ dataType: DataType.String, value })),
  });
  return { status: res.statusCode.name, message: res.outputArguments?.[0]?.value as string | undefined };
}

async function propertyValue(nodeId: string, property: string): Promise<unknown> {
  const [res] = await session.translateBrowsePath([makeBrowsePath(nodeId, `.${property}`)]);
  expect(res.statusCode.name, `${nodeId}.${property}`).toBe('Good');
  const dv = await session.read({ nodeId: res.targets![0].targetId, attributeId: AttributeIds.Value });
  return dv.value.value;
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'vigil-sim-test-'));
  const t0 = performance.now();
  sim = await startSimulator({ port: 0, seed: 7, tickMs: TICK_MS, extraTags: 3 });
  startupMs = performance.now() - t0;
  ({ client, session } = await connect(sim.endpoint));
});

afterAll(async () => {
  await session?.close();
  await client?.disconnect();
  await sim?.stop();
  process.stderr.write(`simulator startup: ${startupMs.toFixed(0)} ms\n`);
  await rm(tmp, { recursive: true, force: true });
});

describe('simulator over OPC UA', () => {
  it('serves opc.tcp://127.0.0.1:<port>/vigil with its namespace at index 1', async () => {
    expect(sim.endpoint).toBe(`opc.tcp://127.0.0.1:${sim.port}/vigil`);
    expect(sim.port).toBeGreaterThan(0);
    const namespaces = await session.readNamespaceArray();
    expect(namespaces[1]).toBe('urn:vigil:simulator'); // what station configs and clients look for
  });

  it('organises areas, tanks, detectors and the simulation object under Objects', async () => {
    const names = async (nodeId: string): Promise<string[]> =>
      ((await session.browse(nodeId)).references ?? []).map((r) => r.browseName.name ?? '');
    expect(await names('ns=0;i=85')).toEqual(expect.arrayContaining(['Area1', 'Area2', 'Extra', 'Simulation']));
    expect(await names('ns=1;s=Area1')).toEqual(
      expect.arrayContaining(['TK101', 'TK102', 'TK103', 'TK104', 'GD101', 'GD102', 'ESD']));
    expect(await names('ns=1;s=Area2.TK201')).toEqual(expect.arrayContaining(
      ['Level', 'Temperature', 'Pressure', 'InletValve', 'OutletValve', 'PumpRunning', 'HighLevelSwitch', 'Product']));
    expect(await names('ns=1;s=Simulation')).toEqual(
      expect.arrayContaining(['TriggerScenario', 'ClearScenarios', 'ActiveScenarios', 'Tick']));
  });

  it('serves every tag, Good, with the data type of its kind', async () => {
    const values = await session.read(sim.tags.map((t) => ({ nodeId: t.nodeId, attributeId: AttributeIds.Value })));
    const wrong = sim.tags.filter((t, i) =>
      values[i].statusCode.name !== 'Good' || values[i].value.dataType !== DataType[t.dataType]);
    expect(wrong.map((t) => t.name)).toEqual([]);
    expect(sim.tags.at(-1)?.name).toBe('Extra.Tag0003');
    expect((await read('Area1.TK101.Product')).value.value).toBe('Methanol');
  });

  it('gives analog tags EURange and EngineeringUnits', async () => {
    const range = (await propertyValue('ns=1;s=Area1.TK101.Level', 'EURange')) as Range;
    expect([range.low, range.high]).toEqual([0, 20]);
    const units = (await propertyValue('ns=1;s=Area1.TK101.Level', 'EngineeringUnits')) as EUInformation;
    expect(units.displayName.text).toBe('m');
    expect(await propertyValue('ns=1;s=Area1.TK101.Level', 'ValuePrecision')).toBe(3);
    const ppm = (await propertyValue('ns=1;s=Area2.GD201.Concentration', 'EngineeringUnits')) as EUInformation;
    expect(ppm.displayName.text).toBe('ppm');
    const temp = (await propertyValue('ns=1;s=Area2.TK202.Temperature', 'EngineeringUnits')) as EUInformation;
    expect(temp.displayName.text).toBe('°C');
  });

  it('pushes changing values to a subscription, with source timestamps', async () => {
    const sub = await session.createSubscription2({ requestedPublishingInterval: 100, publishingEnabled: true,
      requestedLifetimeCount: 100, requestedMaxKeepAliveCount: 10 });
    const seen = new Map<string, DataValue[]>();
    for (const name of ['Area1.TK101.Level', 'Area2.TK201.Pressure', 'Extra.Tag0001']) {
      const item = await sub.monitor({ nodeId: `ns=1;s=${name}`, attributeId: AttributeIds.Value },
        { samplingInterval: TICK_MS, queueSize: 100, discardOldest: true }, TimestampsToReturn.Both);
      seen.set(name, []);
      item.on('changed', (dv: DataValue) => seen.get(name)!.push(dv));
    }
    for (let i = 0; i < 100 && [...seen.values()].some((v) => new Set(v.map((d) => d.value.value)).size < 5); i++) {
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
    await sub.terminate();
    for (const [name, dvs] of seen) {
      expect(new Set(dvs.map((d) => d.value.value)).size, name).toBeGreaterThanOrEqual(5);
      expect(dvs.every((d) => d.statusCode.name === 'Good' && d.sourceTimestamp instanceof Date), name).toBe(true);
    }
  });
});

describe('scenarios over OPC UA', () => {
  it('sensorFailure by method: the client sees BadSensorFailure until ClearScenarios', async () => {
    const res = await callSim('TriggerScenario', 'sensorFailure', 'Area1.TK103.Temperature');
    expect(res).toEqual({ status: 'Good', message: 'started sensorFailure:Area1.TK103.Temperature' });
    const bad = await readUntil('Area1.TK103.Temperature', (dv) => dv.statusCode.name !== 'Good');
    expect(bad.statusCode).toBe(StatusCodes.BadSensorFailure);
    const active = await read('Simulation.ActiveScenarios');
    expect(active.value.value).toEqual(['sensorFailure:Area1.TK103.Temperature']);
    expect((await callSim('ClearScenarios')).status).toBe('Good');
    await readUntil('Area1.TK103.Temperature', (dv) => dv.statusCode.name === 'Good');
    expect((await read('Simulation.ActiveScenarios')).value.value).toEqual([]);
  });

  it('refuses an unknown scenario or target with BadInvalidArgument', async () => {
    expect((await callSim('TriggerScenario', 'flood', 'Area1')).status).toBe('BadInvalidArgument');
    expect((await callSim('TriggerScenario', 'overfill', 'Area1.TK999')).status).toBe('BadInvalidArgument');
    expect(() => sim.trigger({ name: 'pumpTrip', target: 'nowhere' })).toThrow(/expected a tank/);
  });

  it('overfill by method: the inlet opens fully and the level rises', async () => {
    await callSim('TriggerScenario', 'overfill', 'Area2.TK202');
    await readUntil('Area2.TK202.InletValve', (dv) => dv.value.value === 100);
    const start = (await read('Area2.TK202.Level')).value.value as number;
    await readUntil('Area2.TK202.Level', (dv) => (dv.value.value as number) > start + 0.05);
    await callSim('ClearScenarios');
  });

  it('gasLeak by method: the detector reading rises', async () => {
    await callSim('TriggerScenario', 'gasLeak', 'Area1.GD102');
    await readUntil('Area1.GD102.Concentration', (dv) => (dv.value.value as number) > 5);
    await callSim('ClearScenarios');
  });

  it('pumpTrip by method: a running pump stops and stays stopped', async () => {
    const pumps = sim.tags.filter((t) => t.role === 'pump');
    let running = pumps.find((t) => sim.model.value(t.name) === true);
    for (let i = 0; i < 200 && !running; i++) {
      await new Promise((r) => setTimeout(r, TICK_MS));
      running = pumps.find((t) => sim.model.value(t.name) === true);
    }
    expect(running).toBeDefined();
    const tank = running!.name.replace(/\.PumpRunning$/, '');
    expect((await callSim('TriggerScenario', 'pumpTrip', tank)).status).toBe('Good');
    await readUntil(running!.name, (dv) => dv.value.value === false);
    const tick = sim.model.tick;
    await readUntil('Simulation.Tick', (dv) => (dv.value.value as number) >= tick + 10);
    expect((await read(running!.name)).value.value).toBe(false);
    await callSim('ClearScenarios');
  });

  it('frozen by method: the value and its timestamp stop changing while the status stays Good', async () => {
    await callSim('TriggerScenario', 'frozen', 'Extra.Tag0002');
    const tick = sim.model.tick;
    await readUntil('Simulation.Tick', (dv) => (dv.value.value as number) >= tick + 2);
    const first = await read('Extra.Tag0002');
    await readUntil('Simulation.Tick', (dv) => (dv.value.value as number) >= tick + 12);
    const later = await read('Extra.Tag0002');
    expect(later.value.value).toBe(first.value.value);
    expect(later.sourceTimestamp).toEqual(first.sourceTimestamp);
    expect(later.statusCode.name).toBe('Good');
    await callSim('ClearScenarios');
    await readUntil('Extra.Tag0002', (dv) => dv.value.value !== first.value.value);
  });
});

describe('simulator lifecycle', () => {
  it('starts with CLI-style scenarios, keeps its certificate in the given PKI folder, and frees the port on stop', async () => {
    const pkiDir = path.join(tmp, 'sim-pki');
    const other = await startSimulator({ port: 0, seed: 1, tickMs: TICK_MS, pkiDir,
      scenarios: [{ name: 'sensorFailure', target: 'Area2.GD201.Concentration' }] });
    try {
      expect(other.model.activeScenarios()).toHaveLength(1);
      // In effect before the first timer tick: a client never sees the failed sensor as Good.
      const c = await connect(other.endpoint);
      const dv = await c.session.read({ nodeId: 'ns=1;s=Area2.GD201.Concentration', attributeId: AttributeIds.Value });
      expect(dv.statusCode).toBe(StatusCodes.BadSensorFailure);
      await c.session.close();
      await c.client.disconnect();
      expect((await readdir(path.join(pkiDir, 'PKI', 'own', 'certs'))).length).toBeGreaterThan(0);
      // The port is taken while it runs.
      await expect(startSimulator({ port: other.port, tickMs: TICK_MS })).rejects.toThrow();
    } finally {
      await other.stop();
    }
    const again = await startSimulator({ port: other.port, tickMs: TICK_MS, pkiDir });
    await again.stop();
    expect((await stat(pkiDir)).isDirectory()).toBe(true); // a given folder is kept
  });

  it('rejects a bad scenario before listening', async () => {
    await expect(startSimulator({ port: 0, scenarios: [{ name: 'frozen', target: 'Nope.Tag' }] }))
      .rejects.toThrow(/frozen:Nope.Tag: unknown target/);
  });
});
