/**
 * A server whose certificate changes (renewed by its administrator, or the server reinstalled),
 * against a real node-opcua server restarted with the new certificate on the same port and
 * endpoint, secured Basic256Sha256 SignAndEncrypt: the station takes no data from the server
 * while the new certificate is not trusted (its values go COMM, the gap opens), lists the new one
 * as refused beside the old one still trusted, and says the certificate CHANGED, naming both with
 * their dates (before, a bare "not trusted: trust it", as for a stranger); once an engineer trusts
 * it the link comes back without a restart. After a station restart the old certificate is found
 * in trusted/ by the application URI the new one carries. A server that refuses unsecured
 * discovery, connected with its certificate from trusted/certs, was said to refuse Vigil's
 * certificate once renewed: the refusal now names the certificate the station used too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatusCodes } from 'node-opcua';
import { exploreCertificate, makeSHA1Thumbprint } from 'node-opcua-crypto';
import type { CertificateInfo, LedgerEntry, ServerState } from '../../shared/api.js';
import { renewableServer, RENEWABLE_URI, type RenewableServer } from './testing/renewable-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

const DAY = 86_400_000;
const thumbprint = (der: Buffer) => makeSHA1Thumbprint(der).toString('hex');
const validity = (der: Buffer) => {
  const v = exploreCertificate(der).tbsCertificate.validity;
  return { from: v.notBefore.toISOString(), to: v.notAfter.toISOString() };
};

describe('a server whose certificate changed', () => {
  let dir: string;
  let srv: RenewableServer;
  let t: TestStation;
  let old: { file: string; der: Buffer };
  let renewed: { file: string; der: Buffer };
  let reinstalled: { file: string; der: Buffer };
  const yaml = (mode = 'SignAndEncrypt') => `station: { name: C, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${srv.endpoint}"
    security: { mode: ${mode}, policy: Basic256Sha256 }
areas: [{ id: A, name: A }]
tags:
  - { name: L1, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`;
  const last = (): ServerState | undefined => t.states.filter((s) => s.id === 'plc').at(-1);
  const listed = async (): Promise<CertificateInfo[]> => ((await t.call('certificates.list', {}, null)) as { result: CertificateInfo[] }).result;
  const gaps = async (): Promise<LedgerEntry[]> => ((await t.call('gaps.list', {})) as { result: LedgerEntry[] }).result;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-cert-changed-'));
    srv = await renewableServer(dir);
    old = await srv.makeCertificate({ name: 'old', startDate: new Date(Date.now() - 300 * DAY), validityDays: 365 });
    renewed = await srv.makeCertificate({ name: 'renewed', startDate: new Date(Date.now() - DAY), validityDays: 730 });
    reinstalled = await srv.makeCertificate({ name: 'reinstalled', startDate: new Date(Date.now() - 2 * DAY), validityDays: 900 });
    await srv.start(old.file);
    t = await startTestStation({ dir, yaml: yaml() });
    await until('the first refusal', () => /not trusted/.test(last()?.lastError ?? ''));
    expect(await t.call('certificates.trust', { thumbprint: thumbprint(old.der) }, 'engineer')).toMatchObject({ ok: true });
    await until('connected', () => last()?.state === 'connected');
    await until('a good value', () => t.samples.some((s) => s.status === StatusCodes.Good.value));
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    await srv?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes no data from the renewed server until trusted, says the certificate changed, and comes back once trusted', async () => {
    const before = t.samples.length;
    await srv.stop();
    await srv.start(renewed.file);
    const changed = await until('the refusal of the renewed certificate', () => t.states.find((s) => s.id === 'plc' && s.lastError?.includes(thumbprint(renewed.der))));
    // Both certificates named, each with its dates.
    expect(changed.lastErrorText).toEqual({
      key: 'acquisition.error.certificateChanged',
      params: {
        thumbprint: thumbprint(renewed.der), endpoint: srv.endpoint, status: 'BadCertificateUntrusted', validFrom: validity(renewed.der).from, validTo: validity(renewed.der).to,
        previous: thumbprint(old.der), previousFrom: validity(old.der).from, previousTo: validity(old.der).to,
      },
    });
    expect(changed.lastError).toContain('not trusted');
    expect(changed.lastError).toContain(`it was ${thumbprint(old.der)}`);
    expect(changed.state).toBe('lost');

    // Nothing good since the server went away: the loss marker (COMM) and no value of the refused server.
    const since = t.samples.slice(before);
    expect(since.some((s) => s.status === StatusCodes.BadNoCommunication.value)).toBe(true);
    expect(since.filter((s) => s.status === StatusCodes.Good.value)).toEqual([]);
    // The gap is open in the ledger.
    expect((await gaps()).find((g) => g.server === 'plc' && g.kind === 'gap' && g.to === null)).toBeDefined();
    // The new one waits for a decision, the old one is still trusted.
    const byThumbprint = new Map((await listed()).map((c) => [c.thumbprint, c]));
    expect(byThumbprint.get(thumbprint(renewed.der))).toMatchObject({ state: 'rejected', applicationUri: RENEWABLE_URI, refusedFor: { server: 'plc', endpoint: srv.endpoint } });
    expect(byThumbprint.get(thumbprint(old.der))).toMatchObject({ state: 'trusted' });

    expect(await t.call('certificates.trust', { thumbprint: thumbprint(renewed.der) }, 'engineer')).toMatchObject({ ok: true });
    const trusted = t.samples.length;
    await until('connected with the renewed certificate', () => last()?.state === 'connected');
    await until('a good value again', () => t.samples.slice(trusted).some((s) => s.status === StatusCodes.Good.value));
    await untilAsync('the gap closed', async () => (await gaps()).find((g) => g.server === 'plc' && g.kind === 'gap' && g.to !== null));
  }, 120_000);

  it('after a station restart (Sign), names the trusted certificate of the same application as the one before', async () => {
    await t.stop();
    await srv.stop();
    await srv.start(reinstalled.file);
    t = await startTestStation({ dir, yaml: yaml('Sign'), dataDir: t.dataDir });
    const changed = await until('the refusal of the reinstalled server', () => t.states.find((s) => s.id === 'plc' && s.lastErrorText !== null));
    // The renewed certificate is the trusted one of the application that expires last.
    expect(changed.lastErrorText).toMatchObject({
      key: 'acquisition.error.certificateChanged',
      params: { thumbprint: thumbprint(reinstalled.der), previous: thumbprint(renewed.der), previousTo: validity(renewed.der).to },
    });
    expect(last()?.state).not.toBe('connected');
    expect(t.samples.filter((s) => s.status === StatusCodes.Good.value)).toEqual([]);
  }, 120_000);
});

describe('a server refusing discovery whose certificate changed', () => {
  let dir: string;
  let srv: RenewableServer;
  let t: TestStation;
  const last = (): ServerState | undefined => t.states.filter((s) => s.id === 'plc').at(-1);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-cert-changed-secured-'));
    srv = await renewableServer(dir, { securedOnly: true });
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await srv?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the certificate it connected with and both ways out, and connects once the new one is in trusted/certs', async () => {
    const old = await srv.makeCertificate({ name: 'old', startDate: new Date(Date.now() - 300 * DAY), validityDays: 365 });
    const renewed = await srv.makeCertificate({ name: 'renewed', startDate: new Date(Date.now() - DAY), validityDays: 730 });
    await srv.start(old.file);
    const trusted = join(dir, 'data', 'pki', 'trusted', 'certs');
    mkdirSync(trusted, { recursive: true });
    copyFileSync(old.file, join(trusted, 'old.pem'));
    t = await startTestStation({ dir, yaml: `station: { name: S, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${srv.endpoint}"
    security: { mode: Sign, policy: Basic256Sha256 }
areas: [{ id: A, name: A }]
tags:
  - { name: L1, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
` });
    await until('connected', () => last()?.state === 'connected');
    await srv.stop();
    const before = t.samples.length;
    await srv.start(renewed.file);
    const refused = await until('the refusal', () => t.states.find((s) => s.id === 'plc' && s.lastErrorText?.key === 'acquisition.error.knownCertificateRefused'));
    expect(refused.lastErrorText?.params).toMatchObject({ endpoint: srv.endpoint, server: thumbprint(old.der), validTo: validity(old.der).to, trusted });
    expect(refused.lastError).toContain(`put its new certificate in ${trusted}`);
    expect(t.samples.slice(before).filter((s) => s.status === StatusCodes.Good.value)).toEqual([]);

    // The administrator's new certificate placed beside the old one: taken at the next attempt, no restart.
    copyFileSync(renewed.file, join(trusted, 'renewed.pem'));
    const placed = t.samples.length;
    await until('connected with the renewed certificate', () => last()?.state === 'connected');
    await until('a good value again', () => t.samples.slice(placed).some((s) => s.status === StatusCodes.Good.value));
  }, 120_000);
});
