// The simulator as an OPC UA server: a PlantModel stepped on a timer, its tags bound
// to ns=1 string node ids, scenarios triggerable in process and by OPC UA method.
import os from 'node:os';
import {
  DataType, MessageSecurityMode, OPCUACertificateManager, OPCUAServer, SecurityPolicy, StatusCodes, Variant,
  VariantArrayType,
} from 'node-opcua';
import { buildAddressSpace } from './address-space.js';
import { addEsdConditions } from './conditions.js';
import { PLANT } from './model/catalog.js';
import { preparePki, releasePki, saveToCache } from './pki.js';
import type { SimTagInfo } from './model/catalog.js';
import { PlantModel, type SimQuality, type SimValue } from './model/plant.js';
import { formatScenario, type ScenarioRequest } from './model/scenarios.js';

export type { SimTagInfo } from './model/catalog.js';
export type { SimQuality, SimValue } from './model/plant.js';
export { parseScenario, SCENARIOS, type ScenarioName, type ScenarioRequest } from './model/scenarios.js';

/** The server's own namespace (index 1); tag node ids are ns=1;s=<tag name>. */
export const NAMESPACE_URI = 'urn:vigil:simulator';
export const RESOURCE_PATH = '/vigil';

/** Structured logger; a pino logger fits. */
export interface SimulatorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface SimulatorOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  seed?: number;
  /** N more changing analog variables, Extra.Tag0001..., for load tests. */
  extraTags?: number;
  /** Scenarios in effect from the first tick. */
  scenarios?: ScenarioRequest[];
  /** Simulated and real time between ticks, ms (default 500). */
  tickMs?: number;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /**
   * Values of history each plant variable keeps for HistoryRead (in memory, since the start;
   * default 2000, e.g. 16 min at 500 ms ticks; 0: no history). Extra load-test tags keep none.
   */
  historyValues?: number;
  /**
   * Folder for the server's certificates, kept between runs (e.g. the station's data dir).
   * Default: a temporary folder under os.tmpdir(), removed on stop (see pki.ts).
   */
  pkiDir?: string;
  logger?: SimulatorLogger;
  /**
   * False: every CreateSubscription is refused (BadTooManySubscriptions, as a gateway whose
   * subscription slots other clients took): clients read by polling (the station's acquisition/poll.ts).
   */
  subscriptions?: boolean;
}

export interface Simulator {
  /** e.g. opc.tcp://127.0.0.1:4840/vigil */
  endpoint: string;
  port: number;
  namespaceUri: string;
  tags: readonly SimTagInfo[];
  model: PlantModel;
  /** Starts a scenario from the next tick; throws on an unknown name or target. */
  trigger(s: ScenarioRequest): ScenarioRequest;
  clear(): void;
  stop(): Promise<void>;
}

const silent: SimulatorLogger = { info: () => undefined, warn: () => undefined };
const VARIANT_TYPES = { Double: DataType.Double, Boolean: DataType.Boolean, String: DataType.String } as const;

export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const log = opts.logger ?? silent;
  const model = new PlantModel({ seed: opts.seed, tickMs: opts.tickMs, extraTags: opts.extraTags });
  // Validate the requested scenarios before anything listens, and take one step so a client
  // connecting before the first timer tick already sees them (a failed sensor is never Good).
  for (const s of opts.scenarios ?? []) model.trigger(s);
  if (opts.scenarios?.length) model.step();

  const host = opts.host ?? '127.0.0.1';
  const pki = await preparePki(opts.pkiDir);
  const certificates = new OPCUACertificateManager({
    rootFolder: pki.root, automaticallyAcceptUnknownCertificate: true,
    // Nobody edits this PKI while we run; watchers would only cost file handles.
    disableFileWatchers: true,
  });
  // One manager serves as both the server's and the (unused: anonymous only) user-token PKI,
  // which saves generating a second RSA key at every start. The server disposes of each role
  // once; the extra reference makes the first dispose a decrement, as node-opcua does for its
  // own shared default managers.
  certificates.referenceCounter++;

  const server = new OPCUAServer({
    port: opts.port,
    host,
    hostname: host === '0.0.0.0' || host === '::' ? os.hostname() : host,
    resourcePath: RESOURCE_PATH,
    serverInfo: {
      applicationUri: NAMESPACE_URI, productUri: NAMESPACE_URI,
      applicationName: { text: 'Vigil tank-farm simulator', locale: 'en' },
    },
    buildInfo: { productName: 'Vigil tank-farm simulator', manufacturerName: 'Vigil' },
    serverCertificateManager: certificates,
    userCertificateManager: certificates,
    // None for the demo; signed modes cost nothing more once the certificate exists.
    securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
    securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
    allowAnonymous: true,
    disableDiscovery: true,
  });

  let timer: NodeJS.Timeout | undefined;
  try {
    await server.initialize();
    const addressSpace = server.engine.addressSpace;
    if (!addressSpace) throw new Error('OPC UA server initialised without an address space');
    const ns = addressSpace.getOwnNamespace();
    if (ns.index !== 1 || ns.namespaceUri !== NAMESPACE_URI) {
      throw new Error(`own namespace is ${ns.index} (${ns.namespaceUri}); expected 1 (${NAMESPACE_URI})`);
    }

    const published: SimValue[] = [...model.currentValues()];
    const publishedQuality: SimQuality[] = [...model.currentQualities()];
    const variantOf = (i: number, value: SimValue): Variant =>
      new Variant({ dataType: VARIANT_TYPES[model.tags[i].dataType], value });
    const activeNames = (): string[] => model.activeScenarios().map(formatScenario);
    const controls = {
      trigger(s: ScenarioRequest): ScenarioRequest {
        const started = model.trigger(s);
        log.info({ scenario: formatScenario(started), tick: model.tick }, 'scenario started');
        showActive();
        return started;
      },
      clear(): void {
        model.clear();
        log.info({ tick: model.tick }, 'scenarios cleared, ESDs reset');
        showActive();
      },
    };
    const nodes = buildAddressSpace(ns, model.tags, published, controls);
    const conditions = addEsdConditions(ns, PLANT, model.tags, nodes.variables);
    conditions.update(published);
    // The plant's own history, so a client that lost its link can fill the gap (HistoryRead).
    const historyValues = opts.historyValues ?? 2000;
    if (historyValues > 0) {
      model.tags.forEach((tag, i) => {
        if (tag.area !== 'Extra') addressSpace.installHistoricalDataNode(nodes.variables[i], { maxOnlineValues: historyValues });
      });
    }
    publishedQuality.forEach((q, i) => {
      if (q !== 'Good') nodes.variables[i].setValueFromSource(variantOf(i, published[i]), StatusCodes[q]);
    });
    const showActive = (): void => nodes.activeScenarios.setValueFromSource(
      { dataType: DataType.String, arrayType: VariantArrayType.Array, value: activeNames() });
    showActive();

    const tickOnce = (): void => {
      model.step();
      const values = model.currentValues();
      const qualities = model.currentQualities();
      for (let i = 0; i < values.length; i++) {
        // Unchanged values are not re-set: a frozen tag keeps its old source timestamp, like a stuck transmitter.
        if (values[i] === published[i] && qualities[i] === publishedQuality[i]) continue;
        published[i] = values[i];
        publishedQuality[i] = qualities[i];
        // Stamped when set, as a device stamps its reading: with thousands of subscribed tags the
        // loop takes a while, and one stamp for the whole tick would date the last values early.
        nodes.variables[i].setValueFromSource(variantOf(i, values[i]), StatusCodes[qualities[i]], new Date());
      }
      nodes.tick.setValueFromSource({ dataType: DataType.UInt32, value: model.tick }, StatusCodes.Good, new Date());
      conditions.update(values);
    };

    // Not a constructor option: node-opcua takes a 0 there for "the default".
    if (opts.subscriptions === false) server.engine.serverCapabilities.maxSubscriptionsPerSession = 0;
    await server.start();
    const port = server.endpoints[0].port;
    const endpoint = server.getEndpointUrl();
    timer = setInterval(tickOnce, model.tickMs);
    // The cache only speeds up later starts: failing to fill it must not fail this one.
    await saveToCache(pki).catch((err: unknown) => log.warn({ err }, 'could not cache the simulator certificate'));
    log.info({ endpoint, seed: model.seed, tickMs: model.tickMs, tags: model.tags.length,
      scenarios: activeNames() }, 'simulator started');

    let stopping: Promise<void> | undefined;
    return {
      endpoint, port, namespaceUri: NAMESPACE_URI, tags: model.tags, model,
      trigger: controls.trigger, clear: controls.clear,
      stop: () => {
        stopping ??= (async () => {
          clearInterval(timer);
          await server.shutdown(0);
          await releasePki(pki);
          log.info({ endpoint }, 'simulator stopped');
        })();
        return stopping;
      },
    };
  } catch (err) {
    clearInterval(timer);
    await server.shutdown(0).catch((e: unknown) => log.warn({ err: e }, 'shutdown after a failed start failed'));
    await releasePki(pki);
    throw err;
  }
}
