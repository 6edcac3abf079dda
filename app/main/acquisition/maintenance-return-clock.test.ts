/**
 * A server in maintenance gives its EstimatedReturnTime (i=12885) on its own clock; the station waits
 * on its own. A server clock 5 min ahead kept the station away 5 min after the server was back (at
 * most 10 min), one behind brought it back early, or had a time still to come taken for past. Now,
 * where the station measures the server's clock off (its CurrentTime, server-clock.ts), the time is
 * taken on the station's clock, and the wait follows it, still bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPCUAClient, type ClientSession } from 'node-opcua';
import { createLogger } from '../log.js';
import { MAINTENANCE } from './failover.js';
import { maintenanceWaitMs, readEstimatedReturn } from './probe.js';
import { startTestServer, type TestServer } from './testing/test-server.js';

const MINUTE = 60_000;

describe('an EstimatedReturnTime on a server clock that is off', () => {
  let dir: string;
  let server: TestServer;
  let client: OPCUAClient;
  let session: ClientSession;
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-return-clock-'));
    server = await startTestServer({ role: 'return-clock', dir, build: () => undefined });
    client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
    await client.connect(server.endpoint);
    session = await client.createSession();
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await client?.disconnect();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The server says it is back `inMs` from now on its clock, which is `offsetMs` off the station's. */
  const serverSays = (offsetMs: number, inMs: number): number => {
    server.setClockOffset(offsetMs);
    const back = Date.now() + inMs;
    server.setEstimatedReturn(new Date(back + offsetMs));
    return back;
  };
  /** Within the measure's error (half a round trip on loopback, a loaded machine's seconds at most). */
  const near = (at: number | null, expected: number) => {
    expect(at).not.toBeNull();
    expect(Math.abs(at! - expected)).toBeLessThan(5000);
  };

  it('takes a server clock 5 min ahead into account: the wait is the 2 min left, not 7', async () => {
    const back = serverSays(5 * MINUTE, 2 * MINUTE);
    const now = Date.now();
    const at = await readEstimatedReturn(session, now, { logger, server: 'plc', endpoint: server.endpoint });
    near(at, back);
    const wait = maintenanceWaitMs(1000, now, at);
    expect(Math.abs(wait - (back - now))).toBeLessThan(5000);
    expect(logs.find((l) => String(l.msg).startsWith('EstimatedReturnTime given on a server clock that is off'))).toMatchObject({
      server: 'plc', given: new Date(back + 5 * MINUTE).toISOString(), offsetMs: expect.any(Number),
    });
  });

  it('takes a server clock 5 min behind into account: a return still 2 min away is not taken for past', async () => {
    const back = serverSays(-5 * MINUTE, 2 * MINUTE);
    near(await readEstimatedReturn(session, Date.now()), back);
  });

  it('keeps the bound: a return an hour away (station clock) is waited for 10 min at most', async () => {
    serverSays(-5 * MINUTE, 60 * MINUTE);
    const now = Date.now();
    expect(maintenanceWaitMs(1000, now, await readEstimatedReturn(session, now))).toBe(MAINTENANCE.returnMaxMs);
  });

  it('takes the time as given from a server whose clock is right', async () => {
    const back = serverSays(0, 2 * MINUTE);
    expect(await readEstimatedReturn(session, Date.now())).toBe(back);
  });
});
