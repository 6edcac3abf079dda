/**
 * Which certificate a refused one replaces, against real node-opcua servers. The link was by
 * application URI only: a second server of the same application URI (a cloned PLC image, a
 * vendor's default URI) presenting its own certificate was said to have CHANGED its certificate,
 * naming the other server's; and a server reinstalled under another application URI was, after a
 * station restart, refused as a stranger. The certificate a server last presented at an endpoint
 * is now kept across restarts (<data>/pki/presented.json) and wins; the URI is a fallback only for
 * certificates no other server presented.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSHA1Thumbprint } from 'node-opcua-crypto';
import type { ServerState } from '../../shared/api.js';
import { renewableServer, type RenewableServer } from './testing/renewable-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const DAY = 86_400_000;
const thumbprint = (der: Buffer) => makeSHA1Thumbprint(der).toString('hex');
const server = (id: string, endpoint: string) => `  - id: ${id}
    endpoint: "${endpoint}"
    security: { mode: Sign, policy: Basic256Sha256 }
`;
const tags = (ids: string[]) => ids.map((id) => `  - { name: L_${id}, server: ${id}, nodeId: "ns=2;s=Level", kind: analog, area: A }\n`).join('');

describe('the certificate a refused one replaces', () => {
  let dir: string;
  let a: RenewableServer;
  let b: RenewableServer;
  let c: RenewableServer;
  let t: TestStation | undefined;
  const stateOf = (id: string): ServerState | undefined => t!.states.filter((s) => s.id === id).at(-1);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-cert-previous-'));
    a = await renewableServer(join(dir, 'a'));
    b = await renewableServer(join(dir, 'b'));
    c = await renewableServer(join(dir, 'c'));
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await a?.dispose();
    await b?.dispose();
    await c?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a second server of the same application URI is a new server, not server A\'s certificate changed', async () => {
    const uri = 'urn:vendor:plc:default';
    const aCert = await a.makeCertificate({ name: 'a', startDate: new Date(Date.now() - DAY), validityDays: 365, applicationUri: uri });
    const bCert = await b.makeCertificate({ name: 'b', startDate: new Date(Date.now() - DAY), validityDays: 365, applicationUri: uri });
    await a.start(aCert.file);
    await b.start(bCert.file);
    const data = join(dir, 'shared-data');
    mkdirSync(join(data, 'pki', 'trusted', 'certs'), { recursive: true });
    copyFileSync(aCert.file, join(data, 'pki', 'trusted', 'certs', 'a.pem'));
    mkdirSync(join(dir, 'shared-run'));
    t = await startTestStation({
      dir: join(dir, 'shared-run'), dataDir: data,
      yaml: `station: { name: S, defaultCompression: { kind: none } }\nservers:\n${server('pa', a.endpoint)}${server('pb', b.endpoint)}areas: [{ id: A, name: A }]\ntags:\n${tags(['pa', 'pb'])}`,
    });
    await until('A connected', () => stateOf('pa')?.state === 'connected');
    // B's attempts once A has presented its certificate (one before could not know whose it is).
    const refused = await until('B refused as a new server', () => {
      const s = stateOf('pb');
      return s?.lastErrorText?.key === 'acquisition.error.certificateRefused' ? s : undefined;
    });
    expect(refused.lastErrorText).toMatchObject({ key: 'acquisition.error.certificateRefused', params: { thumbprint: thumbprint(bCert.der), endpoint: b.endpoint } });
    expect(refused.lastError).not.toContain(thumbprint(aCert.der));
    // And after a restart, A's certificate is known as A's.
    await t.stop();
    mkdirSync(join(dir, 'shared-run-2'));
    t = await startTestStation({
      dir: join(dir, 'shared-run-2'), dataDir: data,
      yaml: `station: { name: S, defaultCompression: { kind: none } }\nservers:\n${server('pb', b.endpoint)}areas: [{ id: A, name: A }]\ntags:\n${tags(['pb'])}`,
    });
    const again = await until('B refused after the restart', () => t!.states.find((s) => s.id === 'pb' && s.lastErrorText !== null));
    expect(again.lastErrorText).toMatchObject({ key: 'acquisition.error.certificateRefused', params: { thumbprint: thumbprint(bCert.der) } });
  }, 180_000);

  it('a server reinstalled under another application URI, after a station restart, is said to have changed its certificate', async () => {
    const before = await c.makeCertificate({ name: 'before', startDate: new Date(Date.now() - DAY), validityDays: 365, applicationUri: 'urn:old-host:plc' });
    const after = await c.makeCertificate({ name: 'after', startDate: new Date(Date.now() - DAY), validityDays: 730, applicationUri: 'urn:new-host:plc' });
    await c.start(before.file);
    const data = join(dir, 'reinstalled-data');
    mkdirSync(join(data, 'pki', 'trusted', 'certs'), { recursive: true });
    copyFileSync(before.file, join(data, 'pki', 'trusted', 'certs', 'before.pem'));
    const yaml = `station: { name: R, defaultCompression: { kind: none } }\nservers:\n${server('plc', c.endpoint)}areas: [{ id: A, name: A }]\ntags:\n${tags(['plc'])}`;
    mkdirSync(join(dir, 'reinstalled-run'));
    t = await startTestStation({ dir: join(dir, 'reinstalled-run'), dataDir: data, yaml });
    await until('connected', () => stateOf('plc')?.state === 'connected');
    await t.stop();
    await c.stop();
    await c.start(after.file);
    mkdirSync(join(dir, 'reinstalled-run-2'));
    t = await startTestStation({ dir: join(dir, 'reinstalled-run-2'), dataDir: data, yaml });
    const changed = await until('the refusal', () => t!.states.find((s) => s.id === 'plc' && s.lastErrorText !== null));
    expect(changed.lastErrorText).toMatchObject({ key: 'acquisition.error.certificateChanged', params: { thumbprint: thumbprint(after.der), previous: thumbprint(before.der) } });
  }, 180_000);
});
