/**
 * Security against a real node-opcua server with certificates generated for
 * the test: an unknown server certificate is refused and listed, trusted by
 * an engineer from the console (audited; an operator may not), then the
 * station connects; every mode and policy negotiates what is configured (as
 * the server itself reports its channel); user name with the password from
 * an environment variable, and an X.509 user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { DataType, MessageSecurityMode, OPCUACertificateManager, SecurityPolicy, StatusCodes } from 'node-opcua';
import { convertPEMtoDER, makeSHA1Thumbprint } from 'node-opcua-crypto';
import type { CertificateInfo, ServerState } from '../../shared/api.js';
import { EndpointDescription, UserTokenPolicy, UserTokenType } from 'node-opcua';
import { inClear } from './session.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';
import { savePki, seedPki } from './testing/pki-cache.js';

const PASSWORD_ENV = 'VIGIL_TEST_SIS_PASSWORD';

/** A user certificate for X.509 identities, generated once (cached) per machine. */
async function userCertificate(dir: string): Promise<{ cert: string; key: string; der: Buffer }> {
  const root = join(dir, 'user-pki');
  const cert = join(root, 'own', 'certs', 'certificate.pem');
  const key = join(root, 'own', 'private', 'private_key.pem');
  if (!(await seedPki('user', root))) {
    mkdirSync(root, { recursive: true });
    const cm = new OPCUACertificateManager({ rootFolder: root });
    await cm.initialize();
    await cm.createSelfSignedCertificate({
      subject: '/CN=vigil-operator/O=Vigil tests', applicationUri: 'urn:vigil:test:user', dns: [], startDate: new Date(), validity: 3650, outputFile: cert,
    });
    await cm.dispose();
    await savePki('user', root);
  }
  return { cert, key, der: convertPEMtoDER(readFileSync(cert, 'utf8')) };
}

function yaml(endpoint: string, security: string, identity = '{ kind: anonymous }'): string {
  return `station: { name: Secure, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: ${endpoint}
    security: ${security}
    identity: ${identity}
    publishingIntervalMs: 200
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`;
}

describe('OPC UA security', () => {
  let dir: string;
  let server: TestServer;
  let user: Awaited<ReturnType<typeof userCertificate>>;
  let t: TestStation;
  const last = (): ServerState => t.states.at(-1)!;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-security-'));
    user = await userCertificate(dir);
    server = await startTestServer({
      role: 'secure', dir, users: { operator: 'r1ght-pass' }, trustedUserCertificates: [user.der],
      build: (ns, as) => {
        ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', value: { dataType: DataType.Double, value: 4.25 } });
      },
    });
  }, 180_000);

  afterAll(async () => {
    delete process.env[PASSWORD_ENV];
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** What the server itself says of its secure channels: the independent view of what was negotiated. */
  const serverChannels = () => server.server.endpoints.flatMap((e) => e.getChannels()).map((c) => `${MessageSecurityMode[c.securityMode]} ${c.securityPolicy}`);

  it('refuses an unknown server certificate and lists it; an engineer trusts it from the console; then it connects', async () => {
    t = await startTestStation({ dir, yaml: yaml(server.endpoint, '{ mode: SignAndEncrypt, policy: Basic256Sha256 }') });
    await until('the refusal', () => t.states.some((s) => /not trusted/.test(s.lastError ?? '')));
    expect(last().state).not.toBe('connected');
    expect(t.station.live.get('Level')?.status).not.toBe(0);
    const thumbprint = makeSHA1Thumbprint(server.certificate).toString('hex');
    const listed = await untilAsync('the certificate listed', async () =>
      ((await t.call('certificates.list', {}, null)) as { result: CertificateInfo[] }).result.find((c) => c.thumbprint === thumbprint));
    expect(listed).toMatchObject({ state: 'rejected', applicationUri: 'urn:vigil:test:secure', refusedFor: { server: 'plc', endpoint: server.endpoint } });
    // The console's words for the refusal come with it: the certificate the engineer finds listed.
    const refused = t.states.find((s) => /not trusted/.test(s.lastError ?? ''))!;
    expect(refused.lastErrorText).toMatchObject({ key: 'acquisition.error.certificateRefused', params: { thumbprint, endpoint: server.endpoint } });

    const byOperator = await t.call('certificates.trust', { thumbprint }, 'operator');
    expect(byOperator).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(last().state).not.toBe('connected');

    const byEngineer = await t.call('certificates.trust', { thumbprint }, 'engineer');
    expect(byEngineer).toMatchObject({ ok: true, result: { state: 'trusted', thumbprint } });
    // Both attempts are in the audit trail: the operator's refused, the engineer's with what changed.
    const trusts = t.audit.filter((a) => a.action === 'certificates.trust');
    expect(trusts.map((a) => a.result)).toEqual(['refused', 'ok']);
    expect(trusts[1]).toMatchObject({ user: 'test-engineer', oldValue: 'rejected', newValue: 'trusted' });
    expect(String(trusts[1]!.target)).toContain(thumbprint);
    await until('connected', () => last().state === 'connected');
    expect(last().security).toEqual({ mode: 'SignAndEncrypt', policy: 'Basic256Sha256', identity: 'anonymous', user: null });
    expect(serverChannels()).toContain(`SignAndEncrypt ${SecurityPolicy.Basic256Sha256}`);
    await until('a good value', () => t.station.live.get('Level')?.status === 0);
    expect(t.station.live.get('Level')?.value).toBe(4.25);
  }, 180_000);

  it('negotiates every configured mode and policy', async () => {
    const cases: [string, string][] = [
      ['None', 'None'],
      ['Sign', 'Basic256Sha256'],
      ['Sign', 'Aes128_Sha256_RsaOaep'],
      ['Sign', 'Aes256_Sha256_RsaPss'],
      ['SignAndEncrypt', 'Aes128_Sha256_RsaOaep'],
      ['SignAndEncrypt', 'Aes256_Sha256_RsaPss'],
      ['SignAndEncrypt', 'Basic256Sha256'],
    ];
    for (const [mode, policy] of cases) {
      t.station.config.edit((doc) => doc.setIn(['servers', 0, 'security'], { mode, policy }));
      await until(`${mode}/${policy}`, () => last().state === 'connected' && last().security?.mode === mode && last().security?.policy === policy);
      expect(serverChannels()).toContain(`${mode} ${SecurityPolicy[policy as keyof typeof SecurityPolicy]}`);
      await until('a good value', () => t.samples.some((s) => s.tag === 'Level' && s.status === 0 && s.at > last().since));
    }
  }, 180_000);

  it('signs in with a user name whose password comes from an environment variable, never from the file', async () => {
    process.env[PASSWORD_ENV] = 'wrong';
    t.station.config.edit((doc) => {
      doc.setIn(['servers', 0, 'security'], { mode: 'SignAndEncrypt', policy: 'Basic256Sha256' });
      doc.setIn(['servers', 0, 'identity'], { kind: 'userName', userName: 'operator', password: { env: PASSWORD_ENV } });
    });
    await until('the wrong password refused', () => /BadUserAccessDenied|BadIdentityTokenRejected|BadIdentityTokenInvalid/.test(last().lastError ?? ''));
    expect(last().state).not.toBe('connected');
    expect(readFileSync(t.configFile, 'utf8')).not.toContain('r1ght-pass');
    process.env[PASSWORD_ENV] = 'r1ght-pass';
    await until('connected as operator', () => last().state === 'connected', 90_000);
    expect(last().security).toEqual({ mode: 'SignAndEncrypt', policy: 'Basic256Sha256', identity: 'userName', user: 'operator' });
  }, 180_000);

  it('signs in with an X.509 user certificate', async () => {
    t.station.config.edit((doc) => doc.setIn(['servers', 0, 'identity'], { kind: 'certificate', certificate: user.cert, privateKey: user.key }));
    await until('connected with the certificate', () => last().state === 'connected' && last().security?.identity === 'certificate', 90_000);
    expect(last().security?.user).toBe('vigil-operator');
  }, 180_000);

  it('ends the connection when an engineer rejects the server certificate, and refuses it from then on', async () => {
    await until('connected', () => last().state === 'connected');
    const thumbprint = makeSHA1Thumbprint(server.certificate).toString('hex');
    const res = await t.call('certificates.reject', { thumbprint }, 'engineer');
    expect(res).toMatchObject({ ok: true, result: { state: 'rejected', thumbprint } });
    await until('the connection ended', () => last().state === 'lost' && /rejected by an engineer/.test(last().lastError ?? ''));
    expect(t.station.live.get('Level')?.status).toBe(StatusCodes.BadNoCommunication.value);
    await until('the next attempt refused', () => /not trusted/.test(last().lastError ?? ''));
    expect(last().state).not.toBe('connected');
    expect(t.audit.filter((a) => a.action === 'certificates.reject')).toMatchObject([{ result: 'ok', user: 'test-engineer', oldValue: 'trusted', newValue: 'rejected' }]);
  }, 180_000);

  it('gives a password to no server whose certificate is not trusted, with message security None too', async () => {
    const captured: string[] = [];
    const rogue = await startTestServer({
      role: 'rogue', dir, users: { operator: 'r1ght-pass' }, onUser: (name, password) => captured.push(`${name}:${password}`),
      build: (ns, as) => {
        ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', value: { dataType: DataType.Double, value: 6.5 } });
      },
    });
    try {
      // Each connection attempt opens a channel to the rogue server.
      let attempts = 0;
      rogue.server.on('newChannel', () => attempts++);
      process.env[PASSWORD_ENV] = 'r1ght-pass';
      await t.stop();
      t = await startTestStation({ dir, yaml: yaml(rogue.endpoint, '{ mode: None, policy: None }', `{ kind: userName, userName: operator, password: { env: ${PASSWORD_ENV} } }`) });
      await until('the refusal', () => t.states.some((s) => /not trusted/.test(s.lastError ?? '')));
      // A retry or two: two more attempts begun, the one before the last refused in full (the next is
      // scheduled after it failed), and still no password given.
      const seen = attempts;
      await until('two more attempts', () => attempts >= seen + 2, 60_000);
      expect(captured).toEqual([]);
      expect(last().state).not.toBe('connected');
      const thumbprint = makeSHA1Thumbprint(rogue.certificate).toString('hex');
      expect(await t.call('certificates.trust', { thumbprint }, 'engineer')).toMatchObject({ ok: true });
      await until('connected once trusted', () => last().state === 'connected', 90_000);
      expect(last().security).toEqual({ mode: 'None', policy: 'None', identity: 'userName', user: 'operator' });
      // Encrypted to the trusted certificate over the unsecured channel: the server decrypted the right password.
      expect(captured).toContain('operator:r1ght-pass');
    } finally {
      await rogue.stop();
    }
  }, 180_000);

  it('names an endpoint that would take a password in clear', () => {
    const userName = { kind: 'userName' as const, userName: 'operator', password: { env: PASSWORD_ENV }, allowUnencryptedPassword: false };
    const endpoint = (policy: string, tokenPolicy: string, certificate = Buffer.from([1, 2, 3])) => new EndpointDescription({
      endpointUrl: 'opc.tcp://plc:4840', securityMode: MessageSecurityMode.None, securityPolicyUri: policy, serverCertificate: certificate,
      userIdentityTokens: [new UserTokenPolicy({ policyId: 'u', tokenType: UserTokenType.UserName, securityPolicyUri: tokenPolicy })],
    });
    // The token's own policy encrypts it on an unsecured endpoint.
    expect(inClear(endpoint(SecurityPolicy.None, SecurityPolicy.Basic256Sha256), userName)).toBeNull();
    // No token policy: the endpoint's None applies; an explicit None; no certificate to encrypt to.
    expect(inClear(endpoint(SecurityPolicy.None, ''), userName)).toMatch(/opc\.tcp:\/\/plc:4840 .*operator unencrypted/);
    expect(inClear(endpoint(SecurityPolicy.None, SecurityPolicy.None), userName)).toMatch(/unencrypted/);
    expect(inClear(endpoint(SecurityPolicy.None, SecurityPolicy.Basic256Sha256, Buffer.alloc(0)), userName)).toMatch(/unencrypted/);
    expect(inClear(endpoint(SecurityPolicy.Basic256Sha256, ''), userName)).toBeNull();
    expect(inClear(endpoint(SecurityPolicy.None, ''), { kind: 'anonymous' })).toBeNull();
  });
});
