/**
 * A tag the primary of a redundant pair refuses (its address space lacks the node:
 * BadNodeIdUnknown) and the backup serves. The station starts on the backup (the primary is down),
 * acquires Flow there (its last change stamped then), fails back to the primary, which refuses
 * Flow, and returns to the backup. Nobody delivers Flow from the primary's refusal until the
 * backup's first value, so the archive may hold nothing Good for that time: that value, unchanged
 * since before the refusal, is archived at its receipt with its own value and status, never 1 ms
 * after the refusal; a loss of the primary meanwhile is archived for Flow as for any other tag
 * (BadNoCommunication, value null), between the refusal and that value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type AddressSpace, type Namespace, type UAVariable } from 'node-opcua';
import type { ServerState } from '../../shared/api.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

/** The code without InfoType and historian bits (Part 4 §7.39): the archive adds InfoType DataValue. */
const codeOf = (status: number) => (status & 0xffff0000) >>> 0;
const Good = 0;
const BadNodeIdUnknown = StatusCodes.BadNodeIdUnknown.value >>> 0;
const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;
const FLOW = 42.5;
/** An analog row archived without a value reads back as NaN. */
const noValue = (v: unknown) => v === null || Number.isNaN(v);

interface Pair {
  dir: string;
  primary: TestServer | null;
  backup: TestServer;
  t: TestStation;
  ticker: NodeJS.Timeout;
  /** The servers' Level variables, by server: a server stopped leaves. */
  levels: Map<string, UAVariable>;
  /** When the backup's Flow last changed: after Flow was first acquired, before the primary's refusal. */
  flowWrittenAt: number;
}

const on = (t: TestStation, endpoint: string) => {
  const last: ServerState | undefined = t.states.at(-1);
  return last?.state === 'connected' && last.endpoint === endpoint;
};

/**
 * Primary with Level only, backup with Level and Flow; Level changes every 200 ms on the servers
 * running. The station starts with the primary down, so on the backup, then fails back to the
 * primary, which refuses Flow.
 */
async function startPair(role: string): Promise<Pair> {
  const dir = mkdtempSync(join(tmpdir(), `vigil-${role}-`));
  const levels = new Map<string, UAVariable>();
  const addLevel = (which: string) => (ns: Namespace, as: AddressSpace) =>
    levels.set(which, ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 }));
  const startPrimary = (port = 0) => startTestServer({ role: `${role}-primary`, dir, port, build: addLevel('primary') });
  let flow: UAVariable | null = null;
  const backup = await startTestServer({
    role: `${role}-backup`, dir,
    build: (ns, as) => {
      addLevel('backup')(ns, as);
      flow = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Flow', nodeId: 's=Flow', dataType: 'Double', minimumSamplingInterval: 0 });
      flow.setValueFromSource({ dataType: DataType.Double, value: 1 }, StatusCodes.Good, new Date());
    },
  });
  // The primary's port, then the primary down: the station starts on the backup.
  const first = await startPrimary();
  const { port, endpoint: primaryEndpoint } = first;
  levels.delete('primary');
  await first.stop();
  let n = 0;
  const ticker = setInterval(() => {
    n++;
    for (const l of levels.values()) l.setValueFromSource({ dataType: DataType.Double, value: n }, StatusCodes.Good, new Date());
  }, 200);
  const t = await startTestStation({
    dir, archive: true,
    yaml: `station: { name: RefusedFailover, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${primaryEndpoint}"
    backupEndpoints: ["${backup.endpoint}"]
    redundancy: { probeIntervalMs: 300, failbackAfterMs: 1000 }
    samplingIntervalMs: 0
    publishingIntervalMs: 200
    staleAfterMs: 2000
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
  - { name: Flow, server: plc, nodeId: "ns=2;s=Flow", kind: analog, area: A }
`,
  });
  await until('on the backup, Flow good', () => on(t, backup.endpoint) && t.station.live.get('Flow')?.status === Good, 120_000);
  // Flow changes once while the backup serves it, then stays.
  const flowWrittenAt = Date.now();
  flow!.setValueFromSource({ dataType: DataType.Double, value: FLOW }, StatusCodes.Good, new Date(flowWrittenAt));
  await until('the new Flow', () => t.samples.some((s) => s.tag === 'Flow' && s.value === FLOW), 30_000);
  const primary = await startPrimary(port);
  await until('back on the primary, Flow refused', () => on(t, primary.endpoint)
    && t.station.live.get('Flow')?.status === BadNodeIdUnknown && t.station.live.get('Level')?.status === Good, 120_000);
  // The refusal stands a while before anything changes: five of the primary's publishes (200 ms)
  // of Level after it.
  const refusedAt = t.samples.findLastIndex((s) => s.tag === 'Flow' && s.status === BadNodeIdUnknown);
  await until('five values of Level after the refusal', () => t.samples.slice(refusedAt + 1).filter((s) => s.tag === 'Level' && s.status === Good).length >= 5, 30_000);
  return {
    dir, primary, backup, t, ticker, levels, flowWrittenAt,
  };
}

async function stopPair(p: Pair | undefined): Promise<void> {
  if (!p) return;
  clearInterval(p.ticker);
  await p.t.stop();
  await p.primary?.stop();
  await p.backup.stop();
  rmSync(p.dir, { recursive: true, force: true });
}

/** Flow as archived, in time order. */
async function flowRows(p: Pair) {
  await p.t.archive!.flush();
  return p.t.archive!.readRaw({ tags: 'Flow', start: 0, end: Date.now() + 60_000 }).rows.map((r) => ({ t: r.t, value: r.value, status: r.status >>> 0 }));
}

/**
 * What both ways back to the backup must leave: the primary's refusal, nothing Good from it until
 * `nobodyBefore` (no server delivered Flow until then), then the backup's value, Good, dated at its
 * receipt. Returns the rows from the refusal on.
 */
async function expectNoGoodBeforeBackup(p: Pair, nobodyBefore: number) {
  await until('Flow from the backup again', () => p.t.station.live.get('Flow')?.status === Good, 60_000);
  const all = await flowRows(p);
  const at = all.findLastIndex((r) => codeOf(r.status) === BadNodeIdUnknown);
  expect(at, `the primary’s refusal is archived: ${JSON.stringify(all)}`).toBeGreaterThan(0);
  const rows = all.slice(at);
  const refusal = rows[0]!;
  expect(refusal.t).toBeGreaterThan(p.flowWrittenAt);
  expect(refusal.t).toBeLessThan(nobodyBefore);
  const good = rows.filter((r) => codeOf(r.status) === Good);
  expect(good.length, JSON.stringify(rows)).toBeGreaterThan(0);
  for (const r of good) expect(r.t, `Flow archived Good at ${new Date(r.t).toISOString()}, before any server delivered it: ${JSON.stringify(rows)}`).toBeGreaterThanOrEqual(nobodyBefore);
  // The backup's value with its own status, dated when it came (its source time, flowWrittenAt, is before the refusal).
  expect(good[0]).toMatchObject({ value: FLOW });
  const received = p.t.samples.find((s) => s.tag === 'Flow' && s.t === good[0]!.t)!;
  expect(good[0]!.t).toBeLessThanOrEqual(received.at);
  // Everything archived between the refusal and that value is bad and holds no value.
  for (const r of rows.filter((x) => x.t < good[0]!.t)) {
    expect(noValue(r.value), `no value between the refusal and the backup’s value: ${String(r.value)}`).toBe(true);
    expect(r.status >>> 30, 'severity Bad between the refusal and the backup’s value').toBe(2);
  }
  return { rows, refusal, first: good[0]! };
}

describe('a tag the primary refuses and the backup serves', () => {
  // The two pairs run side by side (concurrent suites, each its own servers and station): each waits mostly on its own timers.
  describe.concurrent('when the primary dies', () => {
    let p: Pair;
    beforeAll(async () => (p = await startPair('refused-loss')), 300_000);
    afterAll(() => stopPair(p));

    it('archives the loss between the refusal and the backup’s first value, and that value at its receipt', async () => {
      const stoppedAt = Date.now();
      p.levels.delete('primary');
      await p.primary!.stop();
      p.primary = null;
      await until('on the backup', () => on(p.t, p.backup.endpoint), 60_000);
      const { rows, refusal, first } = await expectNoGoodBeforeBackup(p, stoppedAt);
      // The loss, as for every tag: BadNoCommunication with no value, after the refusal, before the backup's value.
      const loss = rows.find((r) => codeOf(r.status) === BadNoCommunication && r.t > refusal.t && r.t < first.t);
      expect(loss, JSON.stringify(rows)).toBeDefined();
      expect(noValue(loss!.value)).toBe(true);
      const levelLoss = p.t.samples.findLast((s) => s.tag === 'Level' && s.status === BadNoCommunication)!;
      expect(loss!.t).toBe(levelLoss.t);
    }, 120_000);
  });

  describe.concurrent('when the station leaves the degraded primary for the backup', () => {
    let p: Pair;
    beforeAll(async () => (p = await startPair('refused-switch')), 300_000);
    afterAll(() => stopPair(p));

    it('keeps the refusal until the backup’s first value, archived at its receipt', async () => {
      const degradedAt = Date.now();
      p.primary!.setServiceLevel(100);
      await until('on the backup', () => on(p.t, p.backup.endpoint), 60_000);
      await expectNoGoodBeforeBackup(p, degradedAt);
    }, 120_000);
  });
});
