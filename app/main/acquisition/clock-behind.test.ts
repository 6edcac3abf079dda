/**
 * A server whose clock is two hours behind the station's (a PLC on local time, no NTP; its CurrentTime
 * says so, as its stamps do): its values are dated when they arrived, keeping their spacing, before
 * and after a reconnection, and the skew is said in the log. The item's first value is left out
 * here: stamped before the tag was subscribed, it is dated when the tag was asked for
 * (first-value.test.ts), without a word in the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type UAVariable } from 'node-opcua';
import { AHEAD_TOLERANCE_MS, behindTolerance, dateBehind, stampedBehind, type Behind } from './sample.js';
import { startProxy, type TestProxy } from './testing/proxy.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type Received, type TestStation } from './testing/harness.js';

const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;
const SKEW = 2 * 3600_000;
const STEP = 150;

describe('behindTolerance and dateBehind', () => {
  it('allows what one publish can hold, plus the margin: 4 s with the defaults', () => {
    expect(behindTolerance(500, 500, 3)).toBe(4000);
    // A 1 s publish of a 100 ms item with a queue of 21: its queue reaches 2.1 s back.
    expect(behindTolerance(1000, 100, 21)).toBe(4200);
  });

  it('dates the newest value of a tag in a batch at its receipt, the others before it as the server spaced them', () => {
    const at = 1_000_000;
    const b = (tag: string, given: number): Behind => ({ sample: { tag, t: given, value: 1, status: 0 }, given, receivedAt: at });
    const batch = [b('A', 100), b('A', 250), b('B', 40), b('A', 400)];
    dateBehind(batch);
    expect(batch.map((x) => x.sample.t)).toEqual([at - 300, at - 150, at, at]);
  });
});

describe('stampedBehind', () => {
  const tolerance = behindTolerance(500, 500, 3);
  it('takes a value older than a publish can hold for a clock behind when the server does not say its clock (publishTime unset)', () => {
    expect(stampedBehind(tolerance + 1, tolerance, () => null)).toBe(true);
    expect(stampedBehind(tolerance, tolerance, () => null)).toBe(false);
  });
  it('keeps the times of old values from a server whose publishTimes show its clock right (a republished backlog)', () => {
    expect(stampedBehind(30_000, tolerance, () => 40)).toBe(false);
    expect(stampedBehind(30_000, tolerance, () => AHEAD_TOLERANCE_MS)).toBe(false);
  });
  it('takes them for a clock behind when the publishTimes lag too', () => {
    expect(stampedBehind(7_200_000, tolerance, () => 7_199_950)).toBe(true);
  });
  it('keeps the times of values late for a slow link when the server clock is measured right, whatever the publishTimes say', () => {
    // A round trip of 5 s: the offset lies in [-2500, +2500].
    const right = { highMs: 2500 };
    expect(stampedBehind(tolerance + 3000, tolerance, () => null, right)).toBe(false);
    expect(stampedBehind(60_000, tolerance, () => 5000, right)).toBe(false);
    // Behind by the tolerance at most, allowing for the round trip: not behind.
    expect(stampedBehind(60_000, tolerance, () => null, { highMs: -AHEAD_TOLERANCE_MS })).toBe(false);
  });
  it('takes them for a clock behind when the measure shows it behind by more than the tolerance even allowing for the round trip', () => {
    expect(stampedBehind(7_200_000, tolerance, () => 40, { highMs: -7_199_000 })).toBe(true);
    expect(stampedBehind(tolerance + 1, tolerance, () => 40, { highMs: -AHEAD_TOLERANCE_MS - 1 })).toBe(true);
    // Not older than a publish can hold: kept, as a clock behind by less keeps its stamps.
    expect(stampedBehind(tolerance, tolerance, () => null, { highMs: -7_199_000 })).toBe(false);
  });
});

describe('a server clock two hours behind', () => {
  let dir: string;
  let server: TestServer;
  let proxy: TestProxy;
  let t: TestStation;
  let level!: UAVariable;
  let tick: NodeJS.Timeout;
  let n = 0;
  /** The server's stamp of each value, by value. */
  const stamped = new Map<number, number>();
  let before: Received[] = [];
  let after: Received[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-behind-'));
    server = await startTestServer({
      role: 'behind', dir, clockOffsetMs: -SKEW,
      build: (ns, as) => {
        level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
      },
    });
    const set = () => {
      const at = Date.now() - SKEW;
      stamped.set(++n, at);
      level.setValueFromSource({ dataType: DataType.Double, value: n }, StatusCodes.Good, new Date(at));
    };
    set();
    tick = setInterval(set, STEP);
    proxy = await startProxy(server.port);
    t = await startTestStation({
      dir,
      yaml: `station: { name: Behind, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "opc.tcp://127.0.0.1:${proxy.port}/test", backfill: false, samplingIntervalMs: 0, publishingIntervalMs: 500, staleAfterMs: 1500 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
    await until('first value', () => t.station.live.get('Level')?.status === 0);
    const good = () => t.samples.filter((s) => s.tag === 'Level' && s.status === 0);
    await until('values before the cut', () => good().length >= 12);
    proxy.cut();
    await until('the loss', () => t.station.live.get('Level')?.status === BadNoCommunication, 20_000);
    const lostAt = t.samples.length;
    proxy.restore();
    await until('values after the reconnection', () => t.samples.slice(lostAt).filter((s) => s.tag === 'Level' && s.status === 0).length >= 12, 30_000);
    const all = t.samples.filter((s) => s.tag === 'Level');
    const m = all.findIndex((s) => s.status === BadNoCommunication);
    before = all.slice(1, m);
    after = all.slice(m + 1).filter((s) => s.status === 0);
  }, 120_000);

  afterAll(async () => {
    clearInterval(tick);
    await t?.stop();
    proxy?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The values keep (at least half of) the spacing the server gave them: not squeezed 1 ms apart. */
  const spacingKept = (xs: Received[]) => {
    const dated = xs.at(-1)!.t - xs[0]!.t;
    const given = stamped.get(xs.at(-1)!.value as number)! - stamped.get(xs[0]!.value as number)!;
    expect(given).toBeGreaterThan(0);
    expect(dated).toBeGreaterThanOrEqual(given / 2);
  };

  it('dates the values after the first at their arrival, not two hours back, before any loss', () => {
    expect(before.length).toBeGreaterThanOrEqual(10);
    for (const s of before) expect(Math.abs(s.at - s.t), String(s.value)).toBeLessThan(SKEW / 2);
    spacingKept(before);
  });

  it('keeps their spacing after a reconnection', () => {
    expect(after.length).toBeGreaterThanOrEqual(10);
    for (const s of after) expect(Math.abs(s.at - s.t), String(s.value)).toBeLessThan(SKEW / 2);
    for (let i = 1; i < after.length; i++) expect(after[i]!.t).toBeGreaterThan(after[i - 1]!.t);
    spacingKept(after.slice(1));
  });

  it('says in the log that the server clock is behind', () => {
    const warned = t.logs.filter((l) => String(l.msg).startsWith('source timestamp behind'));
    expect(warned.length).toBeGreaterThan(0);
    expect(warned[0]).toMatchObject({ server: 'plc', tag: 'Level' });
    expect(warned[0]!.behindMs as number).toBeGreaterThan(SKEW - 60_000);
  });
});
