/**
 * One subscription of several dies on the server while the session and the other subscriptions go
 * on: the server deletes it, or tells it timed out (StatusChangeNotification BadTimeout). Its tags
 * are marked lost at that subscription's last evidence, the gap is in the ledger, and the
 * subscription is made again; the other group and the server stay good and connected throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusChangeNotification, StatusCodes, type Subscription, type UAVariable } from 'node-opcua';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;

/** How the server ends the slow group's subscription. */
type Ending = (server: TestServer, slow: Subscription) => void;

const deleted: Ending = (server, slow) => {
  const session = server.server.engine.getSessions().find((s) => s.publishEngine.subscriptions.includes(slow))!;
  session.deleteSubscription(slow.id);
};

/** What node-opcua's server does when a subscription's lifetime expires (server_subscription.js _tick). */
const timedOut: Ending = (_server, slow) => {
  (slow as unknown as { _addNotificationMessage(n: StatusChangeNotification): void })._addNotificationMessage(
    new StatusChangeNotification({ status: StatusCodes.BadTimeout }));
  slow.terminate();
};

describe.each([
  // staleAfterMs 1500: the deleted subscription is found silent by the watchdog.
  { name: 'deleted by the server', ending: deleted, staleAfterMs: 1500, reason: /no data or keep-alive/, cause: 'subscription terminated' },
  // staleAfterMs 30 s: the watchdog would not see it within the test; the server's notification says it.
  { name: 'timed out on the server (BadTimeout)', ending: timedOut, staleAfterMs: 30_000, reason: /BadTimeout/, cause: 'subscription timed out on the server' },
])('a subscription $name', ({ ending, staleAfterMs, reason, cause }) => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  const v: Record<string, UAVariable> = {};
  const set = (value: number) => {
    for (const n of ['Fast', 'Slow']) v[n]!.setValueFromSource({ dataType: DataType.Double, value }, StatusCodes.Good, new Date());
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-subdrop-'));
    server = await startTestServer({
      role: 'subdrop', dir,
      build: (ns, as) => {
        for (const n of ['Fast', 'Slow']) v[n] = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: n, nodeId: `s=${n}`, dataType: 'Double', minimumSamplingInterval: 0 });
      },
    });
    set(1);
    t = await startTestStation({
      dir,
      yaml: `station: { name: SubDrop, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${server.endpoint}"
    backfill: false
    staleAfterMs: ${staleAfterMs}
    groups: [{ id: fast, publishingIntervalMs: 100 }, { id: slow, publishingIntervalMs: 300 }]
areas: [{ id: A, name: A }]
tags:
  - { name: Fast, server: plc, nodeId: "ns=2;s=Fast", kind: analog, area: A, group: fast }
  - { name: Slow, server: plc, nodeId: "ns=2;s=Slow", kind: analog, area: A, group: slow }
`,
    });
    await until('first values', () => t.station.live.get('Fast')?.status === 0 && t.station.live.get('Slow')?.status === 0);
    const subs = server.server.engine.getSessions().flatMap((s) => s.publishEngine.subscriptions);
    const slow = subs.find((s) => s.publishingInterval === 300)!;
    ending(server, slow);
    set(2);
    await until('the slow tag lost', () => t.station.live.get('Slow')?.status === BadNoCommunication, 20_000);
    await until('the fast tag\'s value after the end', () => t.station.live.get('Fast')?.value === 2);
    set(3);
    await until('the slow tag back, with the value after the loss', () => t.station.live.get('Slow')?.value === 3 && t.station.live.get('Slow')?.status === 0, 20_000);
    await until('the fast tag\'s value after it', () => t.station.live.get('Fast')?.value === 3);
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the server connected and the other group good', () => {
    expect(t.states.filter((s) => s.state === 'lost')).toEqual([]);
    expect(t.samples.filter((s) => s.tag === 'Fast' && s.status !== 0)).toEqual([]);
    expect(t.samples.filter((s) => s.tag === 'Fast' && s.value === 3).length).toBe(1);
  });

  it('marks the tags of that subscription lost at its last evidence, then takes them again after it', () => {
    const slow = t.samples.filter((s) => s.tag === 'Slow');
    const m = slow.findIndex((s) => s.status === BadNoCommunication);
    const marker = slow[m]!;
    // Dated at the subscription's last publish response, not when the loss was noticed: before the
    // fast group's next value came (publish responses arrive in order on the one channel).
    const fastNext = t.samples.find((s) => s.tag === 'Fast' && s.value === 2)!;
    expect(marker.t).toBeLessThanOrEqual(fastNext.at);
    expect(marker.t).toBeGreaterThan(slow[m - 1]!.t);
    const after = slow.slice(m + 1);
    expect(after.length).toBeGreaterThan(0);
    for (const s of after) expect(s.t).toBeGreaterThan(marker.t);
    expect(after.at(-1)).toMatchObject({ value: 3, status: 0 });
  });

  it('records the gap in the ledger, closed when the subscription is made again, and says why in the log', () => {
    const gaps = t.station.acquisition.ledger.read(0, 100).filter((e) => e.kind === 'gap');
    const last = gaps.at(-1)!;
    // A cause the console words in its language; which group, and what the server said, are in the log.
    expect(last).toMatchObject({ server: 'plc', backfill: 'off', cause });
    expect(last.to).not.toBeNull();
    const lost = t.logs.filter((l) => l.msg === 'subscription lost');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ server: 'plc', group: 'slow' });
    expect(String(lost[0]!.reason)).toMatch(reason);
  });
});
