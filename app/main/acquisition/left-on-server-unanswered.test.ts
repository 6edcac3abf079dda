/**
 * A server that never answers TransferSubscriptions (a gateway that takes the call and drops it, a
 * server busy with the cut session's cleanup), when the station reconnects after the network was
 * cut and asks for the subscriptions the cut session left (left-on-server.test.ts). Found by an
 * exploratory run: the reconnection waited for the answer until node-opcua's transaction timeout
 * (15 s by default, the time a request may take), every tag lost meanwhile though the server
 * answered everything else. Taking them over is a courtesy to a server short of capacity: now it
 * is waited for a bounded time (leftOverRelease.answerMs), then the connection goes on.
 *
 * node-opcua's transaction timeout is raised here (to five minutes), so that the wait for an answer
 * that never comes is told from the bound without timing anything.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientSecureChannelLayer, DataType, StatusCodes, type UAVariable } from 'node-opcua';
import { leftOverRelease } from './server-link.js';
import { startProxy, type TestProxy } from './testing/proxy.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

leftOverRelease.answerMs = 300;
ClientSecureChannelLayer.defaultTransactionTimeout = 300_000;
const NAMES = ['Level', 'Temp'];
const UNANSWERED = 'the server did not answer the takeover of the subscriptions the lost connection left: the connection goes on without it; they hold its subscriptions and monitored items until their lifetime runs out';

let dir: string;
let server: TestServer | undefined;
let proxy: TestProxy | undefined;
let t: TestStation | undefined;
let ticker: NodeJS.Timeout | undefined;

afterEach(async () => {
  clearInterval(ticker);
  await t?.stop();
  proxy?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a server that never answers TransferSubscriptions after the network was cut', () => {
  it('reconnects without waiting for that answer', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-unanswered-transfer-'));
    const vars: UAVariable[] = [];
    const s = await startTestServer({
      role: 'unanswered-transfer', dir,
      build: (ns, as) => {
        for (const n of NAMES) vars.push(ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: n, nodeId: `s=${n}`, dataType: 'Double', minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: 0 } }));
      },
    });
    server = s;
    // Taken, never answered.
    let transfers = 0;
    (s.server as unknown as { _on_TransferSubscriptionsRequest(): void })._on_TransferSubscriptionsRequest = () => void transfers++;
    let n = 0;
    ticker = setInterval(() => {
      n++;
      for (const v of vars) v.setValueFromSource({ dataType: DataType.Double, value: n }, StatusCodes.Good, new Date());
    }, 100);
    proxy = await startProxy(s.port);
    t = await startTestStation({
      dir,
      yaml: `station: { name: Unanswered, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${s.endpoint.replace(`:${s.port}`, `:${proxy.port}`)}", backfill: false, staleAfterMs: 2000 }
areas: [{ id: A, name: A }]
tags:
${NAMES.map((x) => `  - { name: ${x}, server: plc, nodeId: "ns=2;s=${x}", kind: analog, area: A }`).join('\n')}
`,
    });
    const st = t;
    const good = (x: string) => st.station.live.get(x)?.status === 0;
    await until('every tag good', () => NAMES.every(good), 30_000);

    proxy.cut();
    await until('the loss', () => st.logs.some((l) => l.msg === 'server lost'), 30_000);
    proxy.restore();
    await until('the takeover asked for', () => transfers === 1, 30_000);
    await until('every tag good again', () => st.states.at(-1)?.state === 'connected' && NAMES.every(good), 60_000);

    expect(st.logs.filter((l) => l.msg === UNANSWERED)).toMatchObject([{ server: 'plc', subscriptions: 1, waitedMs: 300 }]);
    expect(st.logs.filter((l) => l.msg === 'connection failed')).toEqual([]);
    expect(transfers).toBe(1);
  }, 120_000);
});
