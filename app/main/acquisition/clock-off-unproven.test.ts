/**
 * Two ways a server clock off was let through to fill a gap with history dated by it.
 *
 * A publishTime far ahead of its receipt (a fast or garbled clock): delay only makes a publishTime
 * older, yet the lag (receipt − publishTime) came out negative and was taken for a clock right, and
 * the gap after a cut was filled from that server's history.
 *
 * Values late while the server gave no time to measure its clock by prove nothing (clockUnchecked);
 * when the server then gives its time and the measure at reconnection shows the clock a minute
 * behind, the backfill ran before any live value proved it (the first one after a reconnection is
 * the item's current value, judged for nothing) and filled the gap with no note at all, since a
 * measure existed. It is decided on the measure: behind beyond tolerance refuses; within it fills,
 * without the unchecked note.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type UAVariable } from 'node-opcua';
import type { LedgerEntry } from '../../shared/api.js';
import { AHEAD_TOLERANCE_MS } from './sample.js';
import { startProxy, type TestProxy } from './testing/proxy.js';
import { shapeServerTime, type ServerTime } from './testing/server-time.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type Received, type TestStation } from './testing/harness.js';

const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;
const STEP = 1000;
/** Written as the ledger stores it, independent of server-link.ts's constants. */
const CLOCK_OFF = 'not filled: the server clock is off, its history would be dated wrong';

interface Options {
  /** What the server gives of its time; changed by `whileCut` during the cut. */
  time: ServerTime;
  /** The plant's clock (its values' source stamps, its history) against the station's. */
  offsetMs: number;
  /** Done while the link is cut: the server's clock set, or its time given from then on. */
  whileCut?: (o: Options) => void;
}

/** A historized Level behind a proxy, a station acquiring and backfilling it, one cut of the link. */
function plant(role: string, o: Options) {
  let dir: string;
  let server: TestServer;
  let proxy: TestProxy;
  let t: TestStation;
  let level!: UAVariable;
  let tick: NodeJS.Timeout | undefined;
  /** What the plant made, stamped by its clock (the server's history holds it). */
  const record: { t: number; v: number }[] = [];
  const setup = async () => {
    dir = mkdtempSync(join(tmpdir(), `vigil-${role}-`));
    server = await startTestServer({
      role, dir,
      build: (ns, as) => {
        level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
        as.installHistoricalDataNode(level, { maxOnlineValues: 100_000 });
      },
    });
    shapeServerTime(server, o.time);
    let n = 0;
    const set = () => {
      const r = { t: Date.now() + o.offsetMs, v: n++ };
      record.push(r);
      level.setValueFromSource({ dataType: DataType.Double, value: r.v }, StatusCodes.Good, new Date(r.t));
    };
    set();
    tick = setInterval(set, STEP);
    proxy = await startProxy(server.port, 0);
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: Plant, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "opc.tcp://127.0.0.1:${proxy.port}/test", samplingIntervalMs: 50, publishingIntervalMs: 100, staleAfterMs: 10000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
  };
  const teardown = async () => {
    clearInterval(tick);
    await t?.stop();
    proxy?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const good = () => t.samples.filter((s) => s.tag === 'Level' && s.status === 0);
  /**
   * `before` seen, the link cut (`whileCut` done at once) for three values of the plant, restored with the
   * plant still (no live value after the item's first, which is judged for nothing): the gap settled.
   */
  const cut = async (before: () => boolean): Promise<{ marker: Received; gap: LedgerEntry; madeWhileCut: { t: number; v: number }[] }> => {
    await until('values before the cut', () => good().length >= 5 && before(), 120_000);
    proxy.cut();
    const marker = await until('the loss', () => t.samples.find((s) => s.tag === 'Level' && s.status === BadNoCommunication), 30_000);
    o.whileCut?.(o);
    const downSince = record.length;
    await until('three values made while cut', () => record.length - downSince >= 3);
    clearInterval(tick);
    const madeWhileCut = record.slice(downSince);
    proxy.restore();
    const gap = await untilAsync('the gap settled', async () =>
      ((await t.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.find((g) => g.kind === 'gap' && g.to !== null && !['pending', 'running', 'archiving'].includes(g.backfill ?? '')), 180_000);
    return { marker, gap, madeWhileCut };
  };
  return { setup, teardown, cut, record, good, station: () => t };
}

const logged = (t: TestStation, start: string) => t.logs.filter((l) => String(l.msg).startsWith(start));

describe('a server whose publishTimes run a minute ahead (no CurrentTime, no ServerTimestamps), its values stamped right', () => {
  const AHEAD = 60_000;
  const p = plant('publish-ahead', { time: { currentTime: 'unset', stamps: null, publish: { offsetMs: AHEAD } }, offsetMs: 0 });
  let gap: LedgerEntry;
  let marker: Received;
  beforeAll(async () => {
    expect(AHEAD).toBeGreaterThan(AHEAD_TOLERANCE_MS);
    await p.setup();
    ({ gap, marker } = await p.cut(() => p.good().length >= 6));
  }, 400_000);
  afterAll(p.teardown);

  it('says the server clock is off by how far its publish times are ahead', () => {
    const warned = logged(p.station(), 'publish time ahead of the station clock')[0]!;
    expect(warned).toMatchObject({ server: 'plc', level: 40 });
    expect(warned.aheadMs as number).toBeGreaterThan(AHEAD - 5000);
    expect(warned.aheadMs as number).toBeLessThanOrEqual(AHEAD);
  });

  it('keeps each live value at the time its source gave it (its stamps are right, not ahead)', () => {
    const made = new Map(p.record.map((r) => [r.v, r.t]));
    // Before the cut, but the item's first (its current value, dated when it was asked for).
    const live = p.good().filter((s) => s.at < marker.at).slice(1);
    expect(live.length).toBeGreaterThanOrEqual(5);
    for (const s of live) expect(s.t, String(s.value)).toBe(made.get(s.value as number));
  });

  it('leaves the gap unfilled, saying the server clock is off, and archives none of its history', () => {
    expect(gap).toMatchObject({ backfill: 'failed', note: CLOCK_OFF, backfilledSamples: 0 });
    expect(p.station().backfills).toEqual([]);
    expect(p.station().logs.some((l) => /gap not backfilled: the server clock is off/.test(String(l.msg)) && l.clock === 'ahead')).toBe(true);
  });
});

describe('a server a minute behind that gives no time, its values late unchecked, then gives its ServerTimestamps while cut', () => {
  const BEHIND = -60_000;
  const p = plant('unchecked-then-measured-behind', {
    time: { currentTime: 'unset', stamps: null }, offsetMs: BEHIND,
    whileCut: (o) => { o.time.stamps = { offsetMs: BEHIND }; },
  });
  let gap: LedgerEntry;
  beforeAll(async () => {
    await p.setup();
    // Values late with no time to judge by: the unproven fault.
    ({ gap } = await p.cut(() => logged(p.station(), 'source timestamp behind').length > 0));
  }, 400_000);
  afterAll(p.teardown);

  it('measures the clock a minute behind at reconnection, by a ServerTimestamp', () => {
    const m = logged(p.station(), 'server clock measured (');
    expect(m.length).toBeGreaterThanOrEqual(1);
    expect(m[0]).toMatchObject({ source: 'ServerTimestamp' });
    expect(m[0]!.offsetHighMs as number).toBeLessThan(BEHIND + 5000);
  });

  it('leaves the gap unfilled on that measure, saying the server clock is off, and archives none of its history', () => {
    expect(gap).toMatchObject({ backfill: 'failed', note: CLOCK_OFF, backfilledSamples: 0 });
    expect(p.station().backfills).toEqual([]);
    expect(p.station().logs.some((l) => /gap not backfilled: the server clock is off/.test(String(l.msg)) && l.clock === 'behind')).toBe(true);
  });
});

describe('a server a minute behind that gives no time, its values late unchecked, then set right and giving its ServerTimestamps while cut', () => {
  const p = plant('unchecked-then-measured-right', {
    time: { currentTime: 'bad', stamps: null }, offsetMs: -60_000,
    whileCut: (o) => { o.offsetMs = 0; o.time.stamps = { offsetMs: 0 }; },
  });
  let gap: LedgerEntry;
  let madeWhileCut: { t: number; v: number }[];
  beforeAll(async () => {
    await p.setup();
    ({ gap, madeWhileCut } = await p.cut(() => logged(p.station(), 'source timestamp behind').length > 0));
  }, 400_000);
  afterAll(p.teardown);

  it('fills the gap with no note: the measure checked the clock', async () => {
    const t = p.station();
    expect(gap).toMatchObject({ backfill: 'done', note: null });
    expect(logged(t, 'gap backfilled with the server clock unchecked')).toEqual([]);
    // The values the plant made once its clock was set right, at the times it gave them; but the
    // last, received live at the reconnection (the item's current value).
    const live = new Set(p.good().map((s) => s.value));
    const right = madeWhileCut.filter((r) => r.t > gap.from && r.t < gap.to! && !live.has(r.v));
    expect(right.length).toBeGreaterThanOrEqual(1);
    await until('backfill archived', () => t.backfills.length >= gap.backfilledSamples);
    const filled = new Map(t.backfills.map((s) => [s.value, s.t]));
    for (const r of right) expect(filled.get(r.v), String(r.v)).toBe(r.t);
  });
});
