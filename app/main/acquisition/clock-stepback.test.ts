/**
 * A PLC-style server (one clock for its CurrentTime and its values' source timestamps) whose clock
 * is set back ten minutes while the station is connected (an engineer, an NTP step). An exploratory
 * run archived 49 s of process inside 97 ms: the last measure of the clock (right) still stood until
 * the next periodic one, a minute later, so every value stamped after the step was placed 1 ms
 * after the last one. A stamp going back past its tag's last one has the clock measured at once,
 * and the values meanwhile are dated at their receipt, keeping the server's spacing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type UAVariable } from 'node-opcua';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type Received, type TestStation } from './testing/harness.js';
import { CLOCK_CHECK_MS } from './server-link.js';

const BACK = 10 * 60_000;
const STEP = 150;
/**
 * A value dated at its receipt is late by one publish (500 ms) and the network: within this on a
 * busy machine. Squeezed 1 ms apart, the 40 values after the step (6 s of process) end 6 s early.
 */
const RECEIPT_ERROR_MS = 2500;

describe('a server clock set back ten minutes while connected', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  let level!: UAVariable;
  let tick: NodeJS.Timeout;
  let n = 0;
  let offset = 0;
  let stepAt = 0;
  let firstAfter = 0;
  /** When each value was written (station clock, the process's real time), by value. */
  const written = new Map<number, number>();
  let after: Received[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-stepback-'));
    server = await startTestServer({
      role: 'stepback', dir,
      build: (ns, as) => {
        level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
      },
    });
    const set = () => {
      const now = Date.now();
      written.set(++n, now);
      level.setValueFromSource({ dataType: DataType.Double, value: n }, StatusCodes.Good, new Date(now + offset));
    };
    set();
    tick = setInterval(set, STEP);
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: Stepback, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server.endpoint}", backfill: false, samplingIntervalMs: 0, publishingIntervalMs: 500, staleAfterMs: 3000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
    const good = () => t.samples.filter((s) => s.tag === 'Level' && s.status === 0);
    await until('values before the step', () => good().length >= 12);
    // The server's clock and its stamps go back together, as one PLC clock does.
    stepAt = Date.now();
    offset = -BACK;
    server.setClockOffset(-BACK);
    firstAfter = n + 1;
    await until('values after the step', () => good().filter((s) => (s.value as number) >= firstAfter).length >= 40, 30_000);
    after = good().filter((s) => (s.value as number) >= firstAfter);
  }, 90_000);

  afterAll(async () => {
    clearInterval(tick);
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs within the first periodic measure of the clock (the step is found by the stamps alone)', () => {
    expect(Date.now() - stepAt).toBeLessThan(CLOCK_CHECK_MS - 10_000);
  });

  it('dates every value after the step near when it was written, none squeezed after the last one before it', () => {
    expect(after.length).toBeGreaterThanOrEqual(40);
    for (const s of after) expect(Math.abs(s.t - written.get(s.value as number)!), String(s.value)).toBeLessThan(RECEIPT_ERROR_MS);
    for (let i = 1; i < after.length; i++) expect(after[i]!.t).toBeGreaterThan(after[i - 1]!.t);
    // The spacing the server gave them (150 ms apart), at least half of it: not 1 ms apart.
    const given = written.get(after.at(-1)!.value as number)! - written.get(after[0]!.value as number)!;
    expect(after.at(-1)!.t - after[0]!.t).toBeGreaterThanOrEqual(given / 2);
  });

  it('archives them at those times', async () => {
    await t.archive!.flush();
    const rows = t.archive!.readRaw({ tags: 'Level', start: 0, end: Date.now() + 60_000 }).rows;
    for (const s of after) {
      const row = rows.find((r) => r.value === s.value);
      expect(row, String(s.value)).toBeDefined();
      expect(Math.abs(row!.t - written.get(s.value as number)!), String(s.value)).toBeLessThan(RECEIPT_ERROR_MS);
    }
  });

  it('measures the clock again at once and logs the step and the clock ten minutes behind', () => {
    const stepped = t.logs.filter((l) => String(l.msg).startsWith('a source timestamp went back'));
    expect(stepped).toHaveLength(1);
    expect(stepped[0]).toMatchObject({ server: 'plc', tag: 'Level' });
    expect(stepped[0]!.backMs as number).toBeGreaterThan(BACK - 60_000);
    const measured = t.logs.filter((l) => String(l.msg).startsWith('server clock measured again'));
    expect(measured).toHaveLength(1);
    expect(measured[0]!.offsetHighMs as number).toBeLessThan(-(BACK - 60_000));
  });
});
