/**
 * A server that refuses the station's user (a wrong password) against a real node-opcua server:
 * the refusal says whose login failed and where its password comes from (never the password), and
 * the same login is tried again only after the identity backoff (identity-retry.ts), not every few
 * seconds: each attempt counts towards the account's lockout on servers with such a policy. A
 * changed password is tried at once. The attempts are counted by the server itself (its user check
 * is called once per ActivateSession). So is a redundant server's standby whose user check refuses
 * the login: its probe (probe.ts) waits as long.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType } from 'node-opcua';
import type { ServerState } from '../../shared/api.js';
import { Translator } from '../../shared/i18n/translate.js';
import { identityRetry } from './identity-retry.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const WRONG_ENV = 'VIGIL_TEST_IDENTITY_PW_WRONG';
const CHANGED_ENV = 'VIGIL_TEST_IDENTITY_PW_CHANGED';

function yaml(endpoint: string, user: string, env: string): string {
  return `station: { name: Identity, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: ${endpoint}
    security: { mode: SignAndEncrypt, policy: Basic256Sha256 }
    identity: { kind: userName, userName: ${user}, password: { env: ${env} } }
    publishingIntervalMs: 200
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`;
}

describe('a user the server refuses', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation | undefined;
  /** Every login the server was asked for: user, password and when it came. */
  const logins: { name: string; password: string; at: number }[] = [];
  const defaults = { ...identityRetry };
  const last = (): ServerState => t!.states.at(-1)!;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-identity-'));
    server = await startTestServer({
      role: 'identity', dir, users: { vigil: 'right', ops: 'r1ght' },
      onUser: (name, password) => void logins.push({ name, password, at: Date.now() }),
      build: (ns, as) => {
        ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', value: { dataType: DataType.Double, value: 2.5 } });
      },
    });
  }, 180_000);

  /** A station whose PKI already trusts the server's certificate (as after an engineer's trust). */
  async function station(sub: string, user: string, env: string): Promise<TestStation> {
    const trusted = join(dir, sub, 'data', 'pki', 'trusted', 'certs');
    mkdirSync(trusted, { recursive: true });
    writeFileSync(join(trusted, 'server.der'), server.certificate);
    return startTestStation({ dir: join(dir, sub), yaml: yaml(server.endpoint, user, env) });
  }

  afterEach(async () => {
    await t?.stop();
    t = undefined;
    Object.assign(identityRetry, defaults);
  });

  afterAll(async () => {
    delete process.env[WRONG_ENV];
    delete process.env[CHANGED_ENV];
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says whose login failed and where its password comes from, and tries the same one again only after the identity backoff', async () => {
    const firstMs = 3000;
    Object.assign(identityRetry, { firstMs, maxMs: 4 * firstMs });
    process.env[WRONG_ENV] = 'not-the-password';
    t = await station('wrong', 'vigil', WRONG_ENV);
    const refused = await until('the refusal', () => t!.states.find((s) => s.lastErrorText?.key === 'acquisition.error.identityRefused'));
    expect(refused.lastErrorText?.params).toMatchObject({ kind: 'userName', user: 'vigil', source: 'env', from: WRONG_ENV, status: 'BadUserAccessDenied' });
    expect(refused.lastError).toContain(`user "vigil" was refused by the server: check the password (from env ${WRONG_ENV})`);
    const en = new Translator('en').t(refused.lastErrorText!.key, refused.lastErrorText!.params);
    expect(en).toContain(`The user “vigil” was refused by the server at ${server.endpoint} (BadUserAccessDenied): check the password (from the environment variable ${WRONG_ENV}).`);
    for (const locale of ['ru', 'zh'] as const) expect(new Translator(locale).t(refused.lastErrorText!.key, refused.lastErrorText!.params)).toContain(WRONG_ENV);
    // Never the password, in the state or the log.
    expect(JSON.stringify(t.states)).not.toContain('not-the-password');
    expect(JSON.stringify(t.logs)).not.toContain('not-the-password');
    expect(last().state).not.toBe('connected');

    // A window of twice the first wait from the server's first refused login: one more attempt at
    // most (at firstMs; the next waits 2 × firstMs). The ordinary backoff (0.5 s doubling to 4 s)
    // made three in it.
    const first = logins.find((l) => l.name === 'vigil')!;
    const windowEnd = first.at + 2 * firstMs;
    await until('the window passed', () => Date.now() >= windowEnd, 4 * firstMs);
    const inWindow = logins.filter((l) => l.name === 'vigil' && l.at > first.at && l.at <= windowEnd);
    expect(inWindow.length).toBeGreaterThanOrEqual(1);
    expect(inWindow.length).toBeLessThanOrEqual(2);
    expect(logins.filter((l) => l.name === 'vigil').every((l) => l.password === 'not-the-password')).toBe(true);
  }, 120_000);

  it('tries a changed password at once, without waiting out the backoff', async () => {
    // Ten minutes: only the change can bring the connection within this test.
    Object.assign(identityRetry, { firstMs: 600_000, maxMs: 600_000 });
    process.env[CHANGED_ENV] = 'wrong-one';
    t = await station('changed', 'ops', CHANGED_ENV);
    await until('the refusal', () => t!.states.some((s) => s.lastErrorText?.key === 'acquisition.error.identityRefused'));
    process.env[CHANGED_ENV] = 'r1ght';
    await until('connected as ops', () => last().state === 'connected' && last().security?.user === 'ops', 60_000);
    // The wrong password went to the server once, then the right one.
    expect(logins.filter((l) => l.name === 'ops').map((l) => l.password)).toEqual(['wrong-one', 'r1ght']);
  }, 120_000);

  it('probes a standby that refuses the user as slowly as the link retries it', async () => {
    const firstMs = 3000;
    Object.assign(identityRetry, { firstMs, maxMs: 4 * firstMs });
    const standbyLogins: number[] = [];
    const standby = await startTestServer({
      role: 'identity-standby', dir, users: { vigil: 'another' },
      onUser: () => void standbyLogins.push(Date.now()),
      build: (ns, as) => {
        ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', value: { dataType: DataType.Double, value: 2.5 } });
      },
    });
    try {
      process.env[WRONG_ENV] = 'right';
      const trusted = join(dir, 'standby', 'data', 'pki', 'trusted', 'certs');
      mkdirSync(trusted, { recursive: true });
      writeFileSync(join(trusted, 'server.der'), server.certificate);
      writeFileSync(join(trusted, 'standby.der'), standby.certificate);
      t = await startTestStation({
        dir: join(dir, 'standby'),
        yaml: yaml(server.endpoint, 'vigil', WRONG_ENV).replace('    publishingIntervalMs: 200\n',
          `    publishingIntervalMs: 200\n    backupEndpoints: ["${standby.endpoint}"]\n    redundancy: { probeIntervalMs: 500, failbackAfterMs: 1500 }\n`),
      });
      await until('connected to the primary', () => last().state === 'connected' && last().endpoint === server.endpoint, 60_000);
      await until('the standby refused the login', () => standbyLogins.length > 0, 60_000);
      // A window of twice the first wait from the first refused probe: one more at most. Probed every
      // 0.5 s doubling to 4 s (an unreachable standby's rule), it made three in it.
      const windowEnd = standbyLogins[0]! + 2 * firstMs;
      await until('the window passed', () => Date.now() >= windowEnd, 4 * firstMs);
      // One probe may check the user more than once (node-opcua's client activates again at once):
      // a login within a second of the one before is the same probe.
      const probes = standbyLogins.filter((at, i) => i === 0 || at - standbyLogins[i - 1]! > 1000);
      const inWindow = probes.filter((at) => at > probes[0]! && at <= windowEnd);
      expect(inWindow.length).toBeLessThanOrEqual(1);
      expect(last().state).toBe('connected');
    } finally {
      await t?.stop();
      t = undefined;
      await standby.stop();
    }
  }, 180_000);
});
