/**
 * Tags → Certificates names the servers that use a certificate, so that the confirm before
 * rejecting a trusted one can say whom it disconnects: against two real node-opcua servers with
 * certificates of their own, each certificate lists the server (and endpoint) whose session
 * presented it, and still does after the rejection ended that session (its last one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType } from 'node-opcua';
import { makeSHA1Thumbprint } from 'node-opcua-crypto';
import type { CertificateInfo, ServerState } from '../../shared/api.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

describe('certificates in use', () => {
  let dir: string;
  let a: TestServer;
  let b: TestServer;
  let t: TestStation;
  const last = (id: string): ServerState | undefined => t.states.filter((s) => s.id === id).at(-1);
  const listed = async (): Promise<CertificateInfo[]> => ((await t.call('certificates.list', {}, null)) as { result: CertificateInfo[] }).result;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-cert-in-use-'));
    const build = (ns: TestServer['ns'], as: TestServer['addressSpace']) => {
      ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', value: { dataType: DataType.Double, value: 1 } });
    };
    a = await startTestServer({ role: 'in-use-a', dir, build });
    b = await startTestServer({ role: 'in-use-b', dir, build });
    t = await startTestStation({ dir, yaml: `station: { name: U, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${a.endpoint}"
    security: { mode: SignAndEncrypt, policy: Basic256Sha256 }
  - id: tank
    endpoint: "${b.endpoint}"
    security: { mode: Sign, policy: Basic256Sha256 }
areas: [{ id: A, name: A }]
tags:
  - { name: LA, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
  - { name: LB, server: tank, nodeId: "ns=2;s=Level", kind: analog, area: A }
` });
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    await a?.stop();
    await b?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the server and endpoint whose session presented each certificate, before and after it is rejected', async () => {
    // The thumbprints from the servers' own certificates, not from the station.
    const ta = makeSHA1Thumbprint(a.certificate).toString('hex');
    const tb = makeSHA1Thumbprint(b.certificate).toString('hex');
    await until('both refused', () => /not trusted/.test(last('plc')?.lastError ?? '') && /not trusted/.test(last('tank')?.lastError ?? ''));
    // Refused, never used: no server uses it yet.
    expect((await listed()).find((c) => c.thumbprint === ta)).toMatchObject({ state: 'rejected', inUseBy: [] });

    expect(await t.call('certificates.trust', { thumbprint: ta }, 'engineer')).toMatchObject({ ok: true });
    expect(await t.call('certificates.trust', { thumbprint: tb }, 'engineer')).toMatchObject({ ok: true });
    await until('both connected', () => last('plc')?.state === 'connected' && last('tank')?.state === 'connected');
    const byThumbprint = new Map((await listed()).map((c) => [c.thumbprint, c]));
    expect(byThumbprint.get(ta)).toMatchObject({ state: 'trusted', inUseBy: [{ server: 'plc', endpoint: a.endpoint }] });
    expect(byThumbprint.get(tb)).toMatchObject({ state: 'trusted', inUseBy: [{ server: 'tank', endpoint: b.endpoint }] });

    // Rejected: plc is disconnected; its last session presented the certificate, so the list still says so.
    expect(await t.call('certificates.reject', { thumbprint: ta }, 'engineer')).toMatchObject({ ok: true, result: { state: 'rejected' } });
    // The audit trail says whom the rejection disconnected.
    const rejected = t.audit.filter((e) => e.action === 'certificates.reject').at(-1);
    expect(rejected).toMatchObject({ result: 'ok', detail: `used by server plc at ${a.endpoint}` });
    await until('plc refused again', () => last('plc')?.state !== 'connected' && /not trusted/.test(last('plc')?.lastError ?? ''));
    const after = await untilAsync('the rejected certificate listed', async () => (await listed()).find((c) => c.thumbprint === ta && c.state === 'rejected'));
    expect(after.inUseBy).toEqual([{ server: 'plc', endpoint: a.endpoint }]);
    expect((await listed()).find((c) => c.thumbprint === tb)?.inUseBy).toEqual([{ server: 'tank', endpoint: b.endpoint }]);
  }, 180_000);
});
