/**
 * A server whose clock is right at the end of a slow link (what it sends takes 2.5 s, a satellite
 * or a congested WAN): its values arrive older than a publish can hold, but only because they
 * travelled. (The delay is on the server's way only, and from the station's read of the server's
 * clock on: that read and every publish are late; the handshake and session before it are not what
 * is looked at here, and their round trips cost a delay each.)
 * Taken for a clock behind, they were archived at their receipt, late by the delay and its jitter,
 * and the ones stamped before the first value arrived squeezed 1 ms apart after it (an exploratory
 * run behind a delaying proxy). The server's CurrentTime, read with the round trip timed, shows its
 * clock right: every value keeps the time the server gave it, live and in the archive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type UAVariable } from 'node-opcua';
import { AHEAD_TOLERANCE_MS, behindTolerance } from './sample.js';
import { startProxy, type TestProxy } from './testing/proxy.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type Received, type TestStation } from './testing/harness.js';

/** Server to station: above AHEAD_TOLERANCE_MS, and above what a 100 ms publish of a 50 ms item may hold (below). */
const DELAY = 2500;
const STEP = 100;

describe('a server with a right clock behind a link that delays what it sends by 2.5 s', () => {
  let dir: string;
  let server: TestServer;
  let proxy: TestProxy;
  let t: TestStation;
  let level!: UAVariable;
  let tick: NodeJS.Timeout;
  let n = 0;
  /** The server's stamp of each value, by value. */
  const stamped = new Map<number, number>();
  let values: Received[] = [];

  beforeAll(async () => {
    // Every value after the first arrives older than the tolerance: taken for a clock behind without the clock read.
    expect(DELAY).toBeGreaterThan(behindTolerance(100, 50, 5));
    expect(DELAY).toBeGreaterThan(AHEAD_TOLERANCE_MS);
    dir = mkdtempSync(join(tmpdir(), 'vigil-slow-'));
    server = await startTestServer({
      role: 'slow', dir,
      build: (ns, as) => {
        level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
      },
    });
    const set = () => {
      const at = Date.now();
      stamped.set(++n, at);
      level.setValueFromSource({ dataType: DataType.Double, value: n }, StatusCodes.Good, new Date(at));
    };
    set();
    tick = setInterval(set, STEP);
    // The delay on what the server sends from the clock's read on: the CurrentTime read's response, and the values' way.
    proxy = await startProxy(server.port, { toClient: DELAY, toServer: 0, from: 'clockRead' });
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: Slow, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "opc.tcp://127.0.0.1:${proxy.port}/test", backfill: false, samplingIntervalMs: 50, publishingIntervalMs: 100, staleAfterMs: 30000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
    const good = () => t.samples.filter((s) => s.tag === 'Level' && s.status === 0);
    await until('values over the slow link', () => good().length >= 30, 240_000);
    values = good();
  }, 300_000);

  afterAll(async () => {
    clearInterval(tick);
    await t?.stop();
    proxy?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('measures the server clock with the round trip and logs it once', () => {
    const measured = t.logs.filter((l) => String(l.msg).startsWith('server clock measured'));
    expect(measured).toHaveLength(1);
    expect(measured[0]).toMatchObject({ server: 'plc' });
    // The round trip holds the delay; the offset is bounded by it, and the clock is right within it.
    expect(measured[0]!.roundTripMs as number).toBeGreaterThanOrEqual(DELAY);
    expect(measured[0]!.offsetHighMs as number).toBeGreaterThanOrEqual(0);
    expect(measured[0]!.offsetLowMs as number).toBeLessThanOrEqual(0);
  });

  it('keeps the source timestamp of every value after the first, however late it arrived', () => {
    const later = values.slice(1);
    expect(later.length).toBeGreaterThanOrEqual(29);
    // They did arrive later than the tolerance: the link, not the clock.
    expect(later.every((s) => s.at - stamped.get(s.value as number)! > behindTolerance(100, 50, 5))).toBe(true);
    for (const s of later) expect(s.t, String(s.value)).toBe(stamped.get(s.value as number));
    expect(t.logs.some((l) => String(l.msg).startsWith('source timestamp behind'))).toBe(false);
  });

  it('dates the first value (stamped before the tag was asked for) no later than the values after it', () => {
    const [first, second] = values;
    expect(first!.t).toBeLessThan(second!.t);
    expect(first!.t).toBeLessThanOrEqual(first!.at);
  });

  it('archives the values at their source timestamps', async () => {
    await t.archive!.flush();
    const rows = t.archive!.readRaw({ tags: 'Level', start: 0, end: Date.now() + 60_000 }).rows;
    const later = values.slice(1).map((s) => s.value as number);
    for (const v of later) expect(rows.filter((r) => r.value === v).map((r) => r.t), String(v)).toContain(stamped.get(v));
  });
});
