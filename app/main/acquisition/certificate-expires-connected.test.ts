/**
 * A trusted server certificate that expires while the station is connected (a real node-opcua
 * server, SignAndEncrypt / Basic256Sha256): a certificate ending soon is warned of at the
 * connection, its end is logged as an error when it comes, and the session it opened goes on
 * bringing values (a control room is not blinded at a certificate's end date). The next connection
 * (the server restarted) is refused naming the expiry, its values go COMM and the gap stays open.
 * Before, nothing was said until the link dropped for some other reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatusCodes } from 'node-opcua';
import { exploreCertificate, makeSHA1Thumbprint } from 'node-opcua-crypto';
import type { LedgerEntry, ServerState } from '../../shared/api.js';
import { renewableServer, type RenewableServer } from './testing/renewable-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

const DAY = 86_400_000;

describe('a server certificate that expires while connected', () => {
  let dir: string;
  let srv: RenewableServer;
  let t: TestStation;
  let short: { file: string; der: Buffer };
  const last = (): ServerState | undefined => t.states.filter((s) => s.id === 'plc').at(-1);
  const gaps = async (): Promise<LedgerEntry[]> => ((await t.call('gaps.list', {})) as { result: LedgerEntry[] }).result;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-cert-expiring-'));
    srv = await renewableServer(dir);
    // Ends some 12 s from now: time to connect and take values first (some 3 s on a loaded machine).
    short = await srv.makeCertificate({ name: 'short', startDate: new Date(Date.now() + 12_000 - 10 * DAY), validityDays: 10 });
    await srv.start(short.file);
    // Trusted beforehand, as an engineer did when it was new.
    const trusted = join(dir, 'data', 'pki', 'trusted', 'certs');
    mkdirSync(trusted, { recursive: true });
    copyFileSync(short.file, join(trusted, 'short.pem'));
    t = await startTestStation({ dir, yaml: `station: { name: X, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${srv.endpoint}"
    security: { mode: SignAndEncrypt, policy: Basic256Sha256 }
areas: [{ id: A, name: A }]
tags:
  - { name: L1, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
` });
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    await srv?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('warns ahead and at the end, keeps the session it opened, refuses the next connection naming the expiry', async () => {
    const thumbprint = makeSHA1Thumbprint(short.der).toString('hex');
    const validTo = exploreCertificate(short.der).tbsCertificate.validity.notAfter.toISOString();
    await until('connected', () => last()?.state === 'connected');
    await until('a good value', () => t.samples.some((s) => s.status === StatusCodes.Good.value));
    expect(t.logs.some((l) => l.thumbprint === thumbprint && l.validTo === validTo && /expires soon/.test(String(l.msg)))).toBe(true);

    await until('its end logged', () => t.logs.some((l) => l.thumbprint === thumbprint && /expired while connected/.test(String(l.msg))), 90_000);
    const end = Date.parse(validTo);
    await until('good values after the end, over the same session', () => t.samples.filter((s) => s.status === StatusCodes.Good.value && s.t > end).length >= 3, 30_000);
    expect(t.states.filter((s) => s.id === 'plc' && s.state === 'lost')).toEqual([]);

    // A restart of the server: the next connection meets the expired certificate.
    await srv.stop();
    await srv.start(short.file);
    const refused = await until('the next attempt refused', () => t.states.find((s) => s.id === 'plc' && s.lastErrorText?.key === 'acquisition.error.certificateExpired'), 90_000);
    expect(refused.lastErrorText?.params).toMatchObject({ thumbprint, validTo });
    const marker = t.samples.findIndex((s) => s.status === StatusCodes.BadNoCommunication.value);
    expect(marker).toBeGreaterThan(-1);
    const gap = await untilAsync('the gap', async () => (await gaps()).find((g) => g.server === 'plc' && g.kind === 'gap'));
    expect(gap).toMatchObject({ to: null });
    expect(last()?.state).not.toBe('connected');
  }, 180_000);
});
