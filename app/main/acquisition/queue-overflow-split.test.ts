/**
 * A server queue that overflowed, its values sent over more than one Publish response (the server
 * caps the notifications of a message, Part 4 §5.13.1.1 maxNotificationsPerPublish, and sends the
 * rest with moreNotifications). Found by review: whether a value's Overflow bit is a loss is judged
 * by its queue being full in the publish that brought it (lost-values.ts overflowLost), and a queue
 * split over two publishes is full in neither: a real overflow was taken for noise, its hole neither
 * in the gap ledger nor backfilled. Here node-opcua's own server, its messages capped at two
 * notifications, a queue of four, a burst faster than it holds. The expectation is the test's own
 * record of what the plant produced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateMonitoredItemsRequest, DataChangeNotification, DataType, PublishResponse, StatusCodes, Subscription, type UAVariable } from 'node-opcua';
import type { LedgerEntry } from '../../shared/api.js';
import { Flag } from '../../../historian/types.js';
import { QUEUE_OVERFLOW } from './lost-values.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

const PUBLISHING = 1000;
/** The queue the server grants, and the notifications it puts in one message: a full queue takes two messages. */
const QUEUE = 4;
const PER_MESSAGE = 2;
/** Part 4 §7.39: InfoType DataValue (bit 10) and Overflow (bit 7). */
const OVERFLOW = 0x480;
const BURST = 12;

describe('a server that sends an overflowed queue over two publishes', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  let level!: UAVariable;
  let tick: NodeJS.Timeout | undefined;
  const plant: { t: number; v: number }[] = [];
  /** Publish responses the server sent with moreNotifications: the split is real. */
  let more = 0;
  let n = 0;
  const capBefore = Subscription.maxNotificationPerPublishHighLimit;

  const set = (v: number) => {
    const at = Date.now();
    plant.push({ t: at, v });
    level.setValueFromSource({ dataType: DataType.Double, value: v }, StatusCodes.Good, new Date(at));
  };

  beforeAll(async () => {
    Subscription.maxNotificationPerPublishHighLimit = PER_MESSAGE;
    dir = mkdtempSync(join(tmpdir(), 'vigil-overflow-split-'));
    server = await startTestServer({
      role: 'overflow-split', dir,
      build: (ns, as) => {
        level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
        as.installHistoricalDataNode(level, { maxOnlineValues: 100_000 });
      },
    });
    server.server.on('request', (r: unknown) => {
      if (r instanceof CreateMonitoredItemsRequest) for (const item of r.itemsToCreate ?? []) item.requestedParameters.queueSize = QUEUE;
    });
    server.server.on('response', (r: unknown) => {
      if (r instanceof PublishResponse && r.moreNotifications && (r.notificationMessage?.notificationData ?? []).some((x) => x instanceof DataChangeNotification)) more++;
    });
    set(n++);
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: OverflowSplit, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server.endpoint}", samplingIntervalMs: 0, publishingIntervalMs: ${PUBLISHING}, staleAfterMs: 5000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
    const st = t;
    await until('the server\'s grant', () => st.station.acquisition.sources().find((s) => s.tag === 'Level')?.sampling?.queueSize === QUEUE, 30_000);
    await until('the first value', () => st.station.live.get('Level')?.status === 0, 30_000);
    tick = setInterval(() => set(n++), 700);
    await until('two slow changes', () => st.samples.filter((s) => s.tag === 'Level' && s.status === 0).length >= 3, 30_000);
    clearInterval(tick);
    for (let i = 0; i < BURST; i++) {
      set(n++);
      await new Promise((r) => setTimeout(r, 100));
    }
    tick = setInterval(() => set(n++), 700);
    await until('the overflow came', () => st.samples.some((s) => s.tag === 'Level' && (s.status & OVERFLOW) === OVERFLOW), 30_000);
    // Past the ledger's settling (2 s) and a backfill, with slow changes after.
    const bitAt = st.samples.find((s) => s.tag === 'Level' && (s.status & OVERFLOW) === OVERFLOW)!.at;
    await until('six slow changes after the overflow', () => st.samples.filter((s) => s.tag === 'Level' && s.at > bitAt).length >= 6, 30_000);
    clearInterval(tick);
  }, 120_000);

  afterAll(async () => {
    Subscription.maxNotificationPerPublishHighLimit = capBefore;
    clearInterval(tick);
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes the overflow for values lost: the hole in the ledger, filled, every value the plant made archived once', async () => {
    expect(more).toBeGreaterThan(0);
    const st = t;
    expect(st.logs.filter((l) => /not taken for lost values/.test(String(l.msg))).map((l) => [l.queueSize, l.valuesInPublish])).toEqual([]);
    const gap = await untilAsync('the overflow\'s gap filled', async () =>
      ((await st.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.find((g) => g.kind === 'gap' && g.cause === QUEUE_OVERFLOW && g.backfill === 'done'), 20_000);
    await st.archive!.flush();
    const rows = st.archive!.readRaw({ tags: 'Level', start: plant[1]!.t, end: plant.at(-1)!.t }).rows.filter((r) => (r.flags & Flag.Cyclic) === 0);
    expect(rows.map((r) => [r.t, r.value])).toEqual(plant.slice(1).map((p) => [p.t, p.v]));
    expect(rows.filter((r) => (r.flags & Flag.Backfilled) !== 0).length).toBe(gap.backfilledSamples);
    expect(gap.backfilledSamples).toBeGreaterThanOrEqual(1);
  });
});
