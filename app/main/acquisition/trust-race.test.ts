/**
 * An engineer trusts two refused server certificates back to back while both servers' connections
 * are retried (each trust retries every link at once): each trust answered "trusted" and was
 * audited, so each certificate must stay in trusted/ and both servers connect. A check that judged
 * a certificate unknown before the trust must not file it in rejected/ after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, PublishResponse } from 'node-opcua';
import { convertPEMtoDER, makeSHA1Thumbprint } from 'node-opcua-crypto';
import type { ServerState } from '../../shared/api.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

describe('two trusts back to back', () => {
  let dir: string;
  let a: TestServer;
  let b: TestServer;
  let t: TestStation;
  const last = (id: string): ServerState | undefined => t.states.filter((s) => s.id === id).at(-1);
  /** Thumbprints of the certificates in a PKI folder, read from the files themselves. */
  const inFolder = (sub: string): string[] => {
    const folder = join(t.dataDir, 'pki', sub);
    return readdirSync(folder).map((f) => makeSHA1Thumbprint(convertPEMtoDER(readFileSync(join(folder, f), 'utf8'))).toString('hex'));
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-trust-race-'));
    const build = (ns: TestServer['ns'], as: TestServer['addressSpace']) => {
      ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', value: { dataType: DataType.Double, value: 1 } });
    };
    a = await startTestServer({ role: 'race-a', dir, build });
    b = await startTestServer({ role: 'race-b', dir, build });
    t = await startTestStation({ dir, yaml: `station: { name: R, defaultCompression: { kind: none } }
servers:
  - id: a
    endpoint: "${a.endpoint}"
    security: { mode: SignAndEncrypt, policy: Basic256Sha256 }
  - id: b
    endpoint: "${b.endpoint}"
    security: { mode: SignAndEncrypt, policy: Basic256Sha256 }
areas: [{ id: A, name: A }]
tags:
  - { name: LA, server: a, nodeId: "ns=2;s=Level", kind: analog, area: A }
  - { name: LB, server: b, nodeId: "ns=2;s=Level", kind: analog, area: A }
` });
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    await a?.stop();
    await b?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps both certificates trusted and connects both servers', async () => {
    const ta = makeSHA1Thumbprint(a.certificate).toString('hex');
    const tb = makeSHA1Thumbprint(b.certificate).toString('hex');
    await until('both refused', () => /not trusted/.test(last('a')?.lastError ?? '') && /not trusted/.test(last('b')?.lastError ?? ''));
    for (let round = 0; round < 3; round++) {
      // Back in rejected/ for another round: the race is one of timing, so it is given several chances.
      if (round > 0) {
        expect(await t.call('certificates.reject', { thumbprint: ta }, 'engineer')).toMatchObject({ ok: true });
        expect(await t.call('certificates.reject', { thumbprint: tb }, 'engineer')).toMatchObject({ ok: true });
        await until('both refused again', () => /not trusted/.test(last('a')?.lastError ?? '') && /not trusted/.test(last('b')?.lastError ?? ''));
      }
      const [first, second] = await Promise.all([
        t.call('certificates.trust', { thumbprint: ta }, 'engineer'),
        new Promise((r) => setTimeout(r, 5)).then(() => t.call('certificates.trust', { thumbprint: tb }, 'engineer')),
      ]);
      expect(first).toMatchObject({ ok: true, result: { state: 'trusted' } });
      expect(second).toMatchObject({ ok: true, result: { state: 'trusted' } });
      await until('both connected', () => last('a')?.state === 'connected' && last('b')?.state === 'connected', 20_000);
      // Two publishes answered by each server since: the sessions live past whatever the trust calls
      // and the attempts before them still had to write to the PKI folders.
      const published = new Map<TestServer, number>([[a, 0], [b, 0]]);
      const counters = [a, b].map((s) => [s, (r: unknown) => void (r instanceof PublishResponse && published.set(s, published.get(s)! + 1))] as const);
      for (const [s, count] of counters) s.server.on('response', count);
      await until('two publishes on each', () => [...published.values()].every((n) => n >= 2), 30_000);
      for (const [s, count] of counters) s.server.off('response', count);
      expect(inFolder('trusted/certs')).toEqual(expect.arrayContaining([ta, tb]));
      expect(inFolder('rejected')).not.toContain(ta);
      expect(inFolder('rejected')).not.toContain(tb);
    }
  }, 180_000);
});
