/**
 * The seam of a switch between the two endpoints of a redundant pair that read the same plant (one
 * counter, the same source timestamps on both, as a Warm pair over one PLC stamps them): the new
 * endpoint's first values repeat what the old one delivered already. Each plant value is handed on
 * once, in order, at its own time: never again after the switch, re-dated past the last one (a
 * trend that steps back, an archive with values twice).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type UAVariable } from 'node-opcua';
import type { ServerState } from '../../shared/api.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

describe('redundant server: the values at a switch of endpoint', () => {
  let dir: string;
  const servers: Record<'primary' | 'backup', TestServer | null> = { primary: null, backup: null };
  const levels: Record<'primary' | 'backup', UAVariable | null> = { primary: null, backup: null };
  /** Each plant value and its source time, as the plant produced them. */
  const produced = new Map<number, number>();
  let t: TestStation;
  let ticker: NodeJS.Timeout;

  const startServer = async (which: 'primary' | 'backup') => {
    servers[which] = await startTestServer({
      role: `red-${which}`, dir,
      build: (ns, as) => {
        levels[which] = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
      },
    });
  };
  const last = (): ServerState => t.states.at(-1)!;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-failover-seam-'));
    await startServer('primary');
    await startServer('backup');
    let n = 0;
    ticker = setInterval(() => {
      const now = new Date();
      n++;
      produced.set(n, now.getTime());
      for (const l of Object.values(levels)) l?.setValueFromSource({ dataType: DataType.Double, value: n }, StatusCodes.Good, now);
    }, 100);
    t = await startTestStation({
      dir,
      yaml: `station: { name: Redundant, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${servers.primary!.endpoint}"
    backupEndpoints: ["${servers.backup!.endpoint}"]
    redundancy: { probeIntervalMs: 300, failbackAfterMs: 1000 }
    samplingIntervalMs: 0
    publishingIntervalMs: 1000
    staleAfterMs: 4000
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
    await until('connected to the primary', () => last()?.state === 'connected' && last().endpoint === servers.primary!.endpoint, 60_000);
  }, 120_000);

  afterAll(async () => {
    clearInterval(ticker);
    await t?.stop();
    for (const s of Object.values(servers)) await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands each value on once, at its own time, across a switch and a failback', async () => {
    const before = t.samples.length;
    servers.primary!.setServiceLevel(150);
    await until('on the backup', () => last().endpoint === servers.backup!.endpoint && last().state === 'connected');
    servers.primary!.setServiceLevel(255);
    await until('back on the primary', () => last().endpoint === servers.primary!.endpoint && last().state === 'connected');
    const switched = t.samples.length;
    await until('values after both switches', () => t.samples.slice(switched).filter((s) => s.tag === 'Level' && s.status === 0).length > 5);
    const values = t.samples.slice(before).filter((s) => s.tag === 'Level' && s.status === 0);
    // Each value once, in the plant's order, at the time the plant stamped it.
    const seq = values.map((s) => s.value as number);
    expect(seq.filter((v, i) => i > 0 && v <= seq[i - 1]!)).toEqual([]);
    expect(values.filter((s) => s.t !== produced.get(s.value as number))).toEqual([]);
    expect(seq.at(-1)! - seq[0]! + 1).toBe(seq.length);
  }, 120_000);
});
