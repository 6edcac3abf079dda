/**
 * Values a server's queue discarded (a burst faster than the queue holds between two publishes):
 * the server says so with the Overflow InfoBit on the value that follows the discarded ones (Part 4
 * §7.39, StatusCode InfoBits; node-opcua's server sets it as Part 4 §5.12.1.5 says for
 * discardOldest). Found by an exploratory run: the station logged the overflow and archived the
 * bit, but the gap ledger had no entry, so neither an engineer nor the backfill learned of the
 * hole in the history. Now the hole is in the ledger (its cause, from the tag's last value before
 * it to the value that carried the bit) and filled from the server's history, only the values the
 * queue discarded: what came live is not read twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateMonitoredItemsRequest, DataType, StatusCodes, type UAVariable } from 'node-opcua';
import type { LedgerEntry } from '../../shared/api.js';
import { Flag } from '../../../historian/types.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

const PUBLISHING = 1000;
/** The queue the server grants: three values between two publishes. */
const QUEUE = 3;
/** Part 4 §7.39: InfoType DataValue (bit 10) and Overflow (bit 7). */
const OVERFLOW = 0x480;
const BURST = 12;

describe('a server whose queue discards values in a burst', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  let level!: UAVariable;
  let tick: NodeJS.Timeout | undefined;
  /** What the plant produced (the server's history keeps it all). */
  const plant: { t: number; v: number }[] = [];
  let n = 0;
  let gap!: LedgerEntry;

  const set = (v: number) => {
    const at = Date.now();
    plant.push({ t: at, v });
    level.setValueFromSource({ dataType: DataType.Double, value: v }, StatusCodes.Good, new Date(at));
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-overflow-'));
    server = await startTestServer({
      role: 'overflow', dir,
      build: (ns, as) => {
        level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
        as.installHistoricalDataNode(level, { maxOnlineValues: 100_000 });
      },
    });
    server.server.on('request', (r: unknown) => {
      if (r instanceof CreateMonitoredItemsRequest) for (const item of r.itemsToCreate ?? []) item.requestedParameters.queueSize = QUEUE;
    });
    set(n++);
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: Overflow, defaultCompression: { kind: none } }
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
    // Slow changes, a burst of twelve 100 ms apart (the server samples every 50 ms: each is sampled), slow changes again.
    tick = setInterval(() => set(n++), 700);
    await until('two slow changes', () => st.samples.filter((s) => s.tag === 'Level' && s.status === 0).length >= 3, 30_000);
    clearInterval(tick);
    for (let i = 0; i < BURST; i++) {
      set(n++);
      await new Promise((r) => setTimeout(r, 100));
    }
    tick = setInterval(() => set(n++), 700);
    await until('the overflow came', () => st.samples.some((s) => s.tag === 'Level' && (s.status & OVERFLOW) === OVERFLOW), 30_000);
    gap = await untilAsync('the overflow\'s gap filled', async () =>
      ((await st.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.find((g) => g.kind === 'gap' && g.backfill === 'done'), 60_000);
    await until('two more slow changes', () => st.samples.filter((s) => s.tag === 'Level' && s.t > gap.to!).length >= 2, 30_000);
    clearInterval(tick);
    await t.archive!.flush();
  }, 120_000);

  afterAll(async () => {
    clearInterval(tick);
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts the hole in the ledger: its cause, from the last value before it to the value that carried the bit', () => {
    const live = t.samples.filter((s) => s.tag === 'Level');
    // The burst may span two publishes: a bit in each.
    const carried = live.filter((s) => (s.status & OVERFLOW) === OVERFLOW);
    const before = live[live.indexOf(carried[0]!) - 1]!;
    expect(gap).toMatchObject({ server: 'plc', cause: 'values lost in the server\'s queue', from: before.t, to: carried.at(-1)!.t, backfill: 'done' });
    // One entry: the server was never lost.
    expect(t.station.acquisition.ledger.read(0, 100).filter((e) => e.kind === 'gap')).toHaveLength(1);
    expect(t.logs.filter((l) => l.msg === 'server lost')).toEqual([]);
  });

  it('fills it from the server\'s history: every value the plant made, the discarded ones flagged Backfilled, none twice', () => {
    // From the second value: the first, older than the station's request, is dated at the request.
    const rows = t.archive!.readRaw({ tags: 'Level', start: plant[1]!.t, end: gap.to! + 5 * PUBLISHING }).rows
      .filter((r) => r.t <= plant.at(-1)!.t && (r.flags & Flag.Cyclic) === 0);
    const made = plant.filter((p) => p.t <= rows.at(-1)!.t && p.t >= rows[0]!.t);
    expect(rows.map((r) => [r.t, r.value])).toEqual(made.map((p) => [p.t, p.v]));
    const filled = rows.filter((r) => (r.flags & Flag.Backfilled) !== 0);
    expect(filled.length).toBe(gap.backfilledSamples);
    expect(filled.every((r) => r.t > gap.from && r.t < gap.to!)).toBe(true);
    // What the queue discarded: the burst less what the queue kept (the value with the bit and the two after it).
    expect(filled.length).toBeGreaterThanOrEqual(1);
  });
});
