/**
 * A redundant pair with SignAndEncrypt whose backup's certificate is not trusted: the standby cannot
 * take over (Part 4 §6.6.2 non-transparent redundancy: the client fails over to a server it already
 * checked). That must be known while the primary still serves: the endpoint's state says why, a
 * warning is logged (once, not every probe), the certificate is listed for the engineer; trusted,
 * the standby is usable and the reason goes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType } from 'node-opcua';
import { makeSHA1Thumbprint, toPem } from 'node-opcua-crypto';
import type { CertificateInfo, ServerState } from '../../shared/api.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

describe('a standby whose certificate is not trusted', () => {
  let dir: string;
  let primary: TestServer;
  let backup: TestServer;
  let t: TestStation;
  let probes = 0;
  const last = (): ServerState => t.states.at(-1)!;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-standby-'));
    const build = (ns: TestServer['ns'], as: TestServer['addressSpace']) => {
      ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', value: { dataType: DataType.Double, value: 1 } });
    };
    primary = await startTestServer({ role: 'red-primary', dir, build });
    backup = await startTestServer({ role: 'red-backup', dir, build });
    // Each probe of the backup opens a channel of its own (its GetEndpoints shows the certificate refused).
    backup.server.on('newChannel', () => probes++);
    const data = join(dir, 'data');
    mkdirSync(join(data, 'pki', 'trusted', 'certs'), { recursive: true });
    writeFileSync(join(data, 'pki', 'trusted', 'certs', 'primary.pem'), toPem(primary.certificate, 'CERTIFICATE'));
    t = await startTestStation({ dir, dataDir: data, yaml: `station: { name: R, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${primary.endpoint}"
    backupEndpoints: ["${backup.endpoint}"]
    security: { mode: SignAndEncrypt, policy: Basic256Sha256 }
    redundancy: { probeIntervalMs: 300 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
` });
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    await primary?.stop();
    await backup?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says why the standby cannot be used while the primary serves, warns once, and clears once it is trusted', async () => {
    const thumbprint = makeSHA1Thumbprint(backup.certificate).toString('hex');
    await until('connected to the primary', () => last()?.state === 'connected' && last().endpoint === primary.endpoint);
    const standby = await until('the standby’s reason', () => last().endpoints?.find((e) => e.url === backup.endpoint && e.error));
    expect(standby).toMatchObject({ active: false, reachable: false, serviceLevel: null });
    expect(standby.error).toContain('not trusted');
    expect(standby.errorText).toMatchObject({ key: 'acquisition.error.certificateRefused', params: { thumbprint, endpoint: backup.endpoint } });
    // The primary's own entry has no reason: it is in use.
    expect(last().endpoints?.find((e) => e.url === primary.endpoint)).toMatchObject({ active: true, error: null });
    // Three more probes begun: the two before the last went through the refusal again (a probe is
    // scheduled after its failure is handled). One warning for one reason.
    const seen = probes;
    await until('two more probes of the standby refused', () => probes >= seen + 3, 30_000);
    const warnings = t.logs.filter((l) => (l.level as number) >= 40 && l.endpoint === backup.endpoint && /standby/.test(String(l.msg)));
    expect(warnings.map((w) => `${String(w.msg)}: ${String(w.err)}`)).toHaveLength(1);
    expect(String(warnings[0]!.err)).toContain(thumbprint);
    const listed = await untilAsync('the backup’s certificate listed', async () =>
      ((await t.call('certificates.list', {}, null)) as { result: CertificateInfo[] }).result.find((c) => c.thumbprint === thumbprint));
    expect(listed).toMatchObject({ state: 'rejected', refusedFor: { server: 'plc', endpoint: backup.endpoint } });

    expect(await t.call('certificates.trust', { thumbprint }, 'engineer')).toMatchObject({ ok: true, result: { state: 'trusted' } });
    const usable = await until('the standby usable', () => last().endpoints?.find((e) => e.url === backup.endpoint && e.reachable === true), 30_000);
    expect(usable).toMatchObject({ error: null, errorText: null, serviceLevel: 255 });
  }, 180_000);
});
