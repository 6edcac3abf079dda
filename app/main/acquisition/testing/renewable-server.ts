/**
 * A real node-opcua server whose certificate an administrator renews or replaces: its PKI folder
 * (one private key) holds certificates made here with chosen dates and host names, and the server
 * is started again with another one on the same port and endpoint path, as a renewal or a
 * reinstallation would. A counter tells how many secure channels (every station attempt opens at
 * least one) the server was asked for.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DataType, MessageSecurityMode, OPCUACertificateManager, OPCUAServer, SecurityPolicy, Variant, type UAVariable } from 'node-opcua';
import { convertPEMtoDER } from 'node-opcua-crypto';

export interface CertificateSpec {
  name: string;
  startDate: Date;
  validityDays: number;
  dns?: string[];
  applicationUri?: string;
}

export interface RenewableServer {
  readonly endpoint: string;
  readonly port: number;
  /** Secure channels opened since start (any security mode). */
  readonly channels: number;
  /** Makes a certificate in the server's PKI (same key); returns its file and DER. */
  makeCertificate(spec: CertificateSpec): Promise<{ file: string; der: Buffer }>;
  /** The server's administrator trusts this client certificate (DER). */
  trustClient(der: Buffer): Promise<void>;
  /** (Re)starts the server with this certificate file on the same port and path. */
  start(certificateFile: string): Promise<void>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

export const RENEWABLE_URI = 'urn:vigil:test:renewable';

/**
 * `strict`: the server accepts no client certificate it was not given (as a plant server does);
 * `securedOnly`: it offers no unsecured endpoint (so no unsecured GetEndpoints either).
 */
export async function renewableServer(dir: string, opts: { strict?: boolean; securedOnly?: boolean } = {}): Promise<RenewableServer> {
  const root = path.join(dir, 'renewable-pki');
  const cm = new OPCUACertificateManager({ rootFolder: root, automaticallyAcceptUnknownCertificate: !opts.strict, disableFileWatchers: true });
  await cm.initialize();
  let server: OPCUAServer | null = null;
  let timer: NodeJS.Timeout | null = null;
  let usedPort = 0;
  let channels = 0;
  let value = 0;
  const self: RenewableServer = {
    get endpoint() {
      return `opc.tcp://127.0.0.1:${usedPort}/x`;
    },
    get port() {
      return usedPort;
    },
    get channels() {
      return channels;
    },
    async makeCertificate(spec) {
      const file = path.join(root, 'own', 'certs', `${spec.name}.pem`);
      await cm.createSelfSignedCertificate({
        outputFile: file, subject: `/CN=renewable ${spec.name}`, applicationUri: spec.applicationUri ?? RENEWABLE_URI, dns: spec.dns ?? ['localhost'],
        ip: ['127.0.0.1'], startDate: spec.startDate, validity: spec.validityDays,
      });
      return { file, der: convertPEMtoDER(readFileSync(file, 'utf8')) };
    },
    async trustClient(der) {
      await cm.trustCertificate(der);
    },
    async start(certificateFile) {
      const s = new OPCUAServer({
        port: usedPort, host: '127.0.0.1', hostname: '127.0.0.1', resourcePath: '/x', certificateFile,
        privateKeyFile: path.join(root, 'own', 'private', 'private_key.pem'), serverCertificateManager: cm,
        serverInfo: { applicationUri: RENEWABLE_URI, applicationName: { text: 'renewable' } },
        securityModes: [...(opts.securedOnly ? [] : [MessageSecurityMode.None]), MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
        securityPolicies: [...(opts.securedOnly ? [] : [SecurityPolicy.None]), SecurityPolicy.Basic256Sha256],
        disableDiscovery: true,
      });
      await s.initialize();
      const as = s.engine.addressSpace!;
      const ns = as.registerNamespace('urn:vigil:test:plant');
      const v = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double' }) as UAVariable;
      const set = () => v.setValueFromSource(new Variant({ dataType: DataType.Double, value: (value += 1) }));
      set();
      timer = setInterval(set, 100);
      s.on('newChannel', () => void (channels += 1));
      await s.start();
      usedPort = s.endpoints[0]!.port;
      server = s;
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      const s = server;
      server = null;
      await s?.shutdown(0);
    },
    async dispose() {
      await self.stop();
      await cm.dispose();
    },
  };
  return self;
}
