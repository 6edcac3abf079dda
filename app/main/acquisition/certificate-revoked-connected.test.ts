/**
 * A CRL revoking the server's certificate put in the station's PKI while its session is open (a
 * real node-opcua server, SignAndEncrypt, its certificate issued by a site intermediate CA made
 * with openssl). Found by an exploratory run: the revocation waited for the next connection, and the
 * station went on archiving Good values from a server its site had withdrawn trust from. Now the
 * session ends when the CRL is seen: the tags go Bad (BadNoCommunication, the gap open), the
 * reconnection is refused naming the revocation, and nothing Good comes after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, MessageSecurityMode, OPCUACertificateManager, OPCUAServer, SecurityPolicy, StatusCodes, type UAVariable } from 'node-opcua';
import { convertPEMtoDER, makeSHA1Thumbprint } from 'node-opcua-crypto';
import type { LedgerEntry, ServerState } from '../../shared/api.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';
import { makeTestCa } from './certificate-test-ca.js';
import { isGood } from '../../../historian/status.js';
import { revocationCheck } from './session.js';

revocationCheck.everyMs = 200;

describe('a server certificate revoked while its session is open', () => {
  let dir: string;
  let server: OPCUAServer;
  let level: UAVariable;
  let tick: NodeJS.Timeout | undefined;
  let t: TestStation | undefined;
  let revokedCrl: string;
  let thumbprint: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-revoked-connected-'));
    const ca = makeTestCa(dir);
    ca.root('root', 'Site Root');
    ca.issue('int', 'Site Intermediate', 'root');
    ca.issue('plc', 'PLC 1', 'int', { uri: 'urn:vigil:test:revoked-plc' });
    const rootCrl = ca.crl('root', 'root.crl');
    const intCrl = ca.crl('int', 'int.crl');
    ca.revoke('plc', 'int');
    revokedCrl = ca.crl('int', 'int-revoked.crl');
    thumbprint = makeSHA1Thumbprint(convertPEMtoDER(readFileSync(ca.file('plc'), 'utf8'))).toString('hex');
    server = new OPCUAServer({
      port: 0, host: '127.0.0.1', hostname: '127.0.0.1', resourcePath: '/revoked',
      certificateFile: ca.file('plc'), privateKeyFile: join(dir, 'plc.key'),
      serverCertificateManager: new OPCUACertificateManager({ rootFolder: join(dir, 'server-pki'), automaticallyAcceptUnknownCertificate: true, disableFileWatchers: true }),
      serverInfo: { applicationUri: 'urn:vigil:test:revoked-plc' },
      securityModes: [MessageSecurityMode.None, MessageSecurityMode.SignAndEncrypt], securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
      disableDiscovery: true,
    });
    await server.initialize();
    const ns = server.engine.addressSpace!.registerNamespace('urn:vigil:test:plant');
    level = ns.addVariable({ organizedBy: server.engine.addressSpace!.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: 0 } });
    await server.start();
    let n = 0;
    tick = setInterval(() => level.setValueFromSource({ dataType: DataType.Double, value: ++n }, StatusCodes.Good, new Date()), 200);
    // The site's PKI as the engineer set it up: the root and the intermediate trusted, each with its CRL.
    const data = join(dir, 'data');
    const files: Record<string, string> = {
      'trusted/certs/root.pem': ca.file('root'), 'trusted/crl/root.crl': rootCrl, 'trusted/certs/int.pem': ca.file('int'), 'trusted/crl/int.crl': intCrl,
    };
    for (const [to, from] of Object.entries(files)) {
      mkdirSync(join(data, 'pki', to, '..'), { recursive: true });
      copyFileSync(from, join(data, 'pki', to));
    }
    mkdirSync(join(dir, 'run'));
    t = await startTestStation({ dir: join(dir, 'run'), dataDir: data, yaml: `station: { name: Revoked, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: ${server.getEndpointUrl()}
    security: { mode: SignAndEncrypt, policy: Basic256Sha256 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "nsu=urn:vigil:test:plant;s=Level", kind: analog, area: A }
` });
  }, 180_000);

  afterAll(async () => {
    clearInterval(tick);
    await t?.stop();
    await server?.shutdown(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends the session when the CRL is seen: the tag Bad, the gap open, the reconnection refused naming the revocation, nothing Good after', async () => {
    const st = t!;
    const last = (): ServerState | undefined => st.states.filter((s) => s.id === 'plc').at(-1);
    await until('connected', () => last()?.state === 'connected', 60_000);
    await until('good values', () => st.samples.filter((s) => isGood(s.status)).length >= 3, 30_000);

    // The intermediate's new CRL, revoking the server's certificate, put in place of the old one.
    copyFileSync(revokedCrl, join(st.dataDir, 'pki', 'trusted', 'crl', 'int.crl'));
    const marker = await until('the tag marked lost', () => st.samples.find((s) => s.status === StatusCodes.BadNoCommunication.value), 20_000);
    const refused = await until('the reconnection refused', () => st.states.find((s) => s.id === 'plc' && s.lastErrorText?.key === 'acquisition.error.certificateRevoked'), 20_000);
    expect(refused.lastErrorText?.params).toMatchObject({ thumbprint, issuer: 'Site Intermediate' });
    expect(st.logs.filter((l) => /revoked while connected/.test(String(l.msg)))).toHaveLength(1);
    const gap = await untilAsync('the gap', async () => ((await st.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.find((g) => g.kind === 'gap'), 10_000);
    expect(gap).toMatchObject({ server: 'plc', to: null });
    // Some more attempts (each refused): still nothing Good after the marker, and never connected again.
    const attempts = st.states.length;
    await until('more attempts', () => st.states.length > attempts || st.logs.filter((l) => /not trusted/.test(String(l.err ?? l.msg))).length >= 2, 20_000);
    const after = st.samples.slice(st.samples.indexOf(marker) + 1);
    expect(after.filter((s) => isGood(s.status))).toEqual([]);
    expect(last()?.state).not.toBe('connected');
  }, 120_000);
});
