/**
 * A real node-opcua server for the acquisition tests, built apart from the
 * simulator: every security mode and policy, user names and X.509 users,
 * operation limits, ServiceLevel and RedundancySupport, and an address space
 * the test shapes itself.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  DataType, MessageSecurityMode, OPCUACertificateManager, OPCUAServer, SecurityPolicy, StatusCodes, Variant, VariableIds,
  type AddressSpace, type Namespace, type UAVariable,
} from 'node-opcua';
import { readFileSync } from 'node:fs';
import { convertPEMtoDER } from 'node-opcua-crypto';
import { savePki, seedPki } from './pki-cache.js';

export interface TestServerOptions {
  /** Certificate cache role: servers with the same role share a certificate (a restarted server keeps its own). */
  role: string;
  /** A folder of the test's own (its PKI goes below). */
  dir: string;
  port?: number;
  /** The host name the server advertises in its endpoint URLs (it listens on 127.0.0.1 whatever this says). */
  hostname?: string;
  /** No None endpoint: Sign and SignAndEncrypt only, unsecured channels for discovery (GetEndpoints) alone. */
  securedOnly?: boolean;
  users?: Record<string, string>;
  /** Told every user name and password the server received (what a rogue server would capture). */
  onUser?: (name: string, password: string) => void;
  /** DER user certificates the server accepts for X.509 identities. */
  trustedUserCertificates?: Buffer[];
  maxMonitoredItemsPerCall?: number;
  maxNodesPerRead?: number;
  /** How far the server's clock is off the station's (ms): its CurrentTime (i=2258) says so, as a PLC's would. */
  clockOffsetMs?: number;
  /** The product the server says it is (ServerStatus.BuildInfo): another vendor's, for what the station does with it. */
  buildInfo?: { productUri: string; manufacturerName: string; productName: string; softwareVersion: string };
  build(ns: Namespace, addressSpace: AddressSpace): void;
}

export interface TestServer {
  endpoint: string;
  port: number;
  server: OPCUAServer;
  addressSpace: AddressSpace;
  ns: Namespace;
  /** The server's certificate (DER). */
  certificate: Buffer;
  /** 'bad': read with a Bad status (a server whose level is unusable). */
  setServiceLevel(level: number | 'bad'): void;
  /** How many times the ServiceLevel's value was asked for (a Read or a monitored item's sample; node-opcua asks twice per Read). */
  serviceLevelReads(): number;
  /** When (the station's clock: the same process) each of those was, oldest first. */
  serviceLevelReadTimes(): readonly number[];
  /**
   * Server_EstimatedReturnTime (i=12885, Part 5): when a server in maintenance expects to be back;
   * null: none known (node-opcua's own null DateTime, which it serves by default).
   */
  setEstimatedReturn(at: Date | null): void;
  /** Sets the server's clock off the station's by ms from now on, as an engineer or an NTP step would (its CurrentTime follows). */
  setClockOffset(ms: number): void;
  stop(): Promise<void>;
}

const REDUNDANCY_SUPPORT = `ns=0;i=${VariableIds.Server_ServerRedundancy_RedundancySupport}`;

export async function startTestServer(opts: TestServerOptions): Promise<TestServer> {
  const root = path.join(opts.dir, `${opts.role}-pki`);
  const seeded = await seedPki(opts.role, root);
  const certificates = new OPCUACertificateManager({ rootFolder: root, automaticallyAcceptUnknownCertificate: true, disableFileWatchers: true });
  const userRoot = path.join(opts.dir, `${opts.role}-user-pki`);
  await mkdir(userRoot, { recursive: true });
  const userCertificates = new OPCUACertificateManager({ rootFolder: userRoot, automaticallyAcceptUnknownCertificate: false });
  await userCertificates.initialize();
  for (const der of opts.trustedUserCertificates ?? []) await userCertificates.trustCertificate(der);
  const users = opts.users ?? {};
  const server = new OPCUAServer({
    port: opts.port ?? 0,
    host: '127.0.0.1',
    hostname: opts.hostname ?? '127.0.0.1',
    resourcePath: '/test',
    serverInfo: { applicationUri: `urn:vigil:test:${opts.role}`, productUri: opts.buildInfo?.productUri ?? 'urn:vigil:test', applicationName: { text: `test ${opts.role}`, locale: 'en' } },
    ...(opts.buildInfo ? { buildInfo: opts.buildInfo } : {}),
    serverCertificateManager: certificates,
    userCertificateManager: userCertificates,
    securityModes: [...(opts.securedOnly ? [] : [MessageSecurityMode.None]), MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
    securityPolicies: [...(opts.securedOnly ? [] : [SecurityPolicy.None]), SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes128_Sha256_RsaOaep, SecurityPolicy.Aes256_Sha256_RsaPss],
    allowAnonymous: true,
    userManager: {
      isValidUser: (name: string, password: string) => {
        opts.onUser?.(name, password);
        return users[name] !== undefined && users[name] === password;
      },
    },
    // A secured-only server keeps unsecured discovery, as Part 4 §5.4 has servers do.
    disableDiscovery: !opts.securedOnly,
    serverCapabilities: {
      operationLimits: {
        maxMonitoredItemsPerCall: opts.maxMonitoredItemsPerCall ?? 0,
        maxNodesPerRead: opts.maxNodesPerRead ?? 0,
      },
    },
  });
  await server.initialize();
  if (!seeded) await savePki(opts.role, root);
  const addressSpace = server.engine.addressSpace!;
  const ns = addressSpace.registerNamespace('urn:vigil:test:plant');
  opts.build(ns, addressSpace);
  let level: number | 'bad' = 255;
  const levelReadTimes: number[] = [];
  const serviceLevel = addressSpace.findNode(`ns=0;i=${VariableIds.Server_ServiceLevel}`) as UAVariable;
  serviceLevel.bindVariable({
    get: () => {
      levelReadTimes.push(Date.now());
      return level === 'bad' ? StatusCodes.BadInternalError : new Variant({ dataType: DataType.Byte, value: level });
    },
  }, true);
  let estimatedReturn: Date | null = null;
  (addressSpace.findNode(`ns=0;i=${VariableIds.Server_EstimatedReturnTime}`) as UAVariable).bindVariable({
    // node-opcua's null DateTime is its minimum date (1601-01-01).
    get: () => new Variant({ dataType: DataType.DateTime, value: estimatedReturn ?? new Date(Date.UTC(1601, 0, 1)) }),
  }, true);
  // Warm redundancy: the backup runs and can be connected, its ServiceLevel says which one serves.
  (addressSpace.findNode(REDUNDANCY_SUPPORT) as UAVariable | null)?.setValueFromSource({ dataType: DataType.Int32, value: 2 }, StatusCodes.Good);
  await server.start();
  let offset = opts.clockOffsetMs ?? 0;
  let shifted = false;
  const shiftClock = () => {
    if (shifted) return;
    shifted = true;
    // The engine serves ServerStatus (CurrentTime among its fields) from an object of its own, bound
    // when it starts, whose currentTime is its clock: that object, with the clock shifted.
    const status = addressSpace.findNode(`ns=0;i=${VariableIds.Server_ServerStatus}`) as UAVariable;
    const inner = status.$extensionObject as object;
    status.$extensionObject = new Proxy(inner, { get: (target, prop) => (prop === 'currentTime' ? new Date(Date.now() + offset) : Reflect.get(target, prop) as unknown) });
  };
  if (offset) shiftClock();
  const certificate = convertPEMtoDER(readFileSync(path.join(root, 'own', 'certs', 'certificate.pem'), 'utf8'));
  return {
    endpoint: server.getEndpointUrl(),
    port: server.endpoints[0]!.port,
    server,
    addressSpace,
    ns,
    certificate,
    setServiceLevel: (n) => (level = n),
    serviceLevelReads: () => levelReadTimes.length,
    serviceLevelReadTimes: () => levelReadTimes,
    setEstimatedReturn: (at) => (estimatedReturn = at),
    setClockOffset: (ms) => {
      offset = ms;
      shiftClock();
    },
    async stop() {
      await server.shutdown(0);
      await userCertificates.dispose();
    },
  };
}
