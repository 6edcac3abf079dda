/**
 * A server whose certificate a site CA signed (made here with openssl), against a real node-opcua
 * server. OPC UA Part 12 (trust lists): a CA in the trust list trusts the certificates it signed; a
 * CA among the issuers only builds chains; an application rejected by the administrator stays
 * rejected whatever signed it; a CA without its CRL cannot be checked for revocation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opensslEnv } from './certificate-test-ca.js';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, MessageSecurityMode, OPCUACertificateManager, OPCUAServer, SecurityPolicy } from 'node-opcua';
import { convertPEMtoDER, makeSHA1Thumbprint } from 'node-opcua-crypto';
import type { CertificateInfo, ServerState } from '../../shared/api.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

/** A site CA, a server certificate it signed (for 127.0.0.1), and the CA's empty CRL. */
function makeCa(dir: string): { ca: string; crl: string; cert: string; key: string } {
  const at = (f: string) => join(dir, f);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: opensslEnv() });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key.pem', '-out', 'ca.cert.pem', '-days', '365', '-subj', '/CN=Test Site CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-addext', 'subjectKeyIdentifier=hash');
  writeFileSync(at('srv.ext'), [
    'basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,nonRepudiation,keyEncipherment,dataEncipherment',
    'extendedKeyUsage=serverAuth,clientAuth', 'subjectAltName=URI:urn:vigil:test:ca-server,DNS:localhost,IP:127.0.0.1',
    'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid,issuer', '',
  ].join('\n'));
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'srv.key.pem', '-out', 'srv.csr.pem', '-subj', '/CN=CA-signed PLC');
  openssl('x509', '-req', '-in', 'srv.csr.pem', '-CA', 'ca.cert.pem', '-CAkey', 'ca.key.pem', '-CAcreateserial', '-out', 'srv.cert.pem', '-days', '30', '-extfile', 'srv.ext');
  writeFileSync(at('index.txt'), '');
  writeFileSync(at('crlnumber'), '01\n');
  writeFileSync(at('ca.cnf'), '[ca]\ndefault_ca=c\n[c]\ndatabase=index.txt\ncrlnumber=crlnumber\ndefault_md=sha256\ndefault_crl_days=30\n');
  openssl('ca', '-config', 'ca.cnf', '-gencrl', '-keyfile', 'ca.key.pem', '-cert', 'ca.cert.pem', '-out', 'ca.crl.pem');
  openssl('crl', '-in', 'ca.crl.pem', '-outform', 'DER', '-out', 'ca.crl.der');
  return { ca: at('ca.cert.pem'), crl: at('ca.crl.der'), cert: at('srv.cert.pem'), key: at('srv.key.pem') };
}

const yaml = (endpoint: string) => `station: { name: CA, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: ${endpoint}
    security: { mode: SignAndEncrypt, policy: Basic256Sha256 }
    publishingIntervalMs: 200
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=1;s=Level", kind: analog, area: A }
`;

describe('a server certificate signed by a site CA', () => {
  let dir: string;
  let files: ReturnType<typeof makeCa>;
  let server: OPCUAServer;
  let endpoint: string;
  let thumbprint: string;
  let t: TestStation | undefined;
  let run = 0;
  let attempts = 0;
  const last = (): ServerState => t!.states.at(-1)!;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-ca-'));
    files = makeCa(dir);
    thumbprint = makeSHA1Thumbprint(convertPEMtoDER(readFileSync(files.cert, 'utf8'))).toString('hex');
    server = new OPCUAServer({
      port: 0, host: '127.0.0.1', hostname: '127.0.0.1', resourcePath: '/ca',
      certificateFile: files.cert, privateKeyFile: files.key,
      serverCertificateManager: new OPCUACertificateManager({ rootFolder: join(dir, 'server-pki'), automaticallyAcceptUnknownCertificate: true, disableFileWatchers: true }),
      serverInfo: { applicationUri: 'urn:vigil:test:ca-server' },
      // None too: the station asks GetEndpoints over an unsecured channel first.
      securityModes: [MessageSecurityMode.None, MessageSecurityMode.SignAndEncrypt], securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
      disableDiscovery: true,
    });
    await server.initialize();
    const ns = server.engine.addressSpace!.registerNamespace('urn:vigil:test:plant');
    ns.addVariable({ organizedBy: server.engine.addressSpace!.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', value: { dataType: DataType.Double, value: 7.5 } });
    // Each connection attempt of the station opens a channel (GetEndpoints first, unsecured).
    server.on('newChannel', () => attempts++);
    await server.start();
    endpoint = server.getEndpointUrl();
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    await server?.shutdown(0);
    rmSync(dir, { recursive: true, force: true });
  });

  /** A station with a fresh PKI: the CA in `caIn`, its CRL unless `crl` is false, `rejected` leaves the server's certificate in rejected/. */
  async function station(caIn: 'trusted' | 'issuers', opts: { crl?: boolean; rejected?: boolean } = {}): Promise<TestStation> {
    await t?.stop();
    const data = join(dir, `data-${++run}`);
    const pki = (sub: string) => (mkdirSync(join(data, 'pki', sub), { recursive: true }), join(data, 'pki', sub));
    copyFileSync(files.ca, join(pki(`${caIn}/certs`), 'site-ca.pem'));
    if (opts.crl !== false) copyFileSync(files.crl, join(pki(`${caIn}/crl`), 'site-ca.crl'));
    if (opts.rejected) copyFileSync(files.cert, join(pki('rejected'), 'plc.pem'));
    mkdirSync(join(dir, `run-${run}`));
    t = await startTestStation({ dir: join(dir, `run-${run}`), dataDir: data, yaml: yaml(endpoint) });
    return t;
  }

  const listed = async (): Promise<CertificateInfo[]> => ((await t!.call('certificates.list', {}, null)) as { result: CertificateInfo[] }).result;

  it('connects with the CA in trusted/; an engineer can reject the server certificate it signed, which is refused from then on', async () => {
    await station('trusted');
    await until('connected', () => last().state === 'connected');
    // Seen and trusted through its CA: listed, so that it can be rejected on its own.
    expect((await listed()).find((c) => c.thumbprint === thumbprint)).toMatchObject({ state: 'trusted', issuer: 'Test Site CA', applicationUri: 'urn:vigil:test:ca-server' });
    const from = t!.states.length;
    const res = await t!.call('certificates.reject', { thumbprint }, 'engineer');
    expect(res).toMatchObject({ ok: true, result: { state: 'rejected', thumbprint } });
    await until('the connection ended', () => last().state === 'lost' && /rejected by an engineer/.test(last().lastError ?? ''));
    await until('the next attempt refused', () => /not trusted/.test(last().lastError ?? ''));
    // Two attempts more begun: the one before the last went through the refusal again (an attempt is
    // scheduled after the one before failed), so the refusal holds, not a lucky first one.
    const seen = attempts;
    await until('two more attempts', () => attempts >= seen + 2, 60_000);
    const since = t!.states.slice(from);
    expect(since.slice(since.findIndex((s) => s.state === 'lost')).map((s) => s.state)).not.toContain('connected');
  }, 120_000);

  it('refuses a certificate in rejected/ though a trusted CA signed it', async () => {
    await station('trusted', { rejected: true });
    await until('the refusal', () => /not trusted \(BadCertificateUntrusted\)/.test(last()?.lastError ?? ''));
    // As above: a later attempt refused too.
    const seen = attempts;
    await until('two more attempts', () => attempts >= seen + 2, 60_000);
    expect(t!.states.map((s) => s.state)).not.toContain('connected');
  }, 120_000);

  it('does not trust what a CA among the issuers signed (issuers build chains, Part 12)', async () => {
    await station('issuers');
    await until('the refusal', () => /not trusted \(BadCertificateUntrusted\)/.test(last()?.lastError ?? ''));
    expect(t!.states.map((s) => s.state)).not.toContain('connected');
  }, 120_000);

  it('says the CA’s CRL is missing, and where it goes, when the CA is trusted without one', async () => {
    await station('trusted', { crl: false });
    const refused = await until('the refusal', () => t!.states.find((s) => /RevocationUnknown/.test(s.lastError ?? '')));
    expect(refused.lastErrorText).toMatchObject({ key: 'acquisition.error.crlMissing', params: { issuer: 'Test Site CA', thumbprint } });
    expect(refused.lastError).toContain(join('trusted', 'crl'));
    await untilAsync('a CRL put in place, then connected', async () => {
      copyFileSync(files.crl, join(t!.dataDir, 'pki', 'trusted', 'crl', 'site-ca.crl'));
      return last().state === 'connected';
    });
  }, 120_000);
});
