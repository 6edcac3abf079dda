/**
 * One logical server on two endpoints (primary, backup; OPC UA non-transparent
 * redundancy): the station follows the ServiceLevel each advertises (Part 4
 * §6.6.2.4.2: below 200 is degraded), switches to the backup without losing
 * a value (make before break) and back once the primary has been healthy for
 * a while, fails over when the primary dies, and journals every switch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type UAVariable } from 'node-opcua';
import type { LedgerEntry, ServerState } from '../../shared/api.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;

describe('redundant server: failover and back', () => {
  let dir: string;
  const servers: Record<'primary' | 'backup', TestServer | null> = { primary: null, backup: null };
  const levels: Record<'primary' | 'backup', UAVariable | null> = { primary: null, backup: null };
  let t: TestStation;
  let ticker: NodeJS.Timeout;
  let primaryPort = 0;

  const startServer = async (which: 'primary' | 'backup', port = 0) => {
    servers[which] = await startTestServer({
      role: `red-${which}`, dir, port,
      build: (ns, as) => {
        levels[which] = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
      },
    });
    return servers[which]!;
  };
  const last = (): ServerState => t.states.at(-1)!;
  const ledger = async (): Promise<LedgerEntry[]> => ((await t.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-redundancy-'));
    primaryPort = (await startServer('primary')).port;
    await startServer('backup');
    let n = 0;
    // Both endpoints read the same plant.
    ticker = setInterval(() => {
      const now = new Date();
      n++;
      for (const l of Object.values(levels)) l?.setValueFromSource({ dataType: DataType.Double, value: n }, StatusCodes.Good, now);
    }, 200);
    t = await startTestStation({
      dir,
      yaml: `station: { name: Redundant, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${servers.primary!.endpoint}"
    backupEndpoints: ["${servers.backup!.endpoint}"]
    redundancy: { probeIntervalMs: 500, failbackAfterMs: 1500 }
    samplingIntervalMs: 0
    publishingIntervalMs: 200
    staleAfterMs: 2000
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
    await until('connected to the primary', () => last()?.state === 'connected' && last().endpoint === servers.primary!.endpoint, 120_000);
  }, 300_000);

  afterAll(async () => {
    clearInterval(ticker);
    await t?.stop();
    for (const s of Object.values(servers)) await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves a degraded primary for the healthy backup without losing a value, and comes back', async () => {
    const before = t.samples.length;
    servers.primary!.setServiceLevel(100);
    await until('on the backup', () => last().endpoint === servers.backup!.endpoint && last().state === 'connected');
    expect(last().endpoints).toEqual([
      expect.objectContaining({ url: servers.primary!.endpoint, active: false, serviceLevel: 100 }),
      expect.objectContaining({ url: servers.backup!.endpoint, active: true, serviceLevel: 255 }),
    ]);
    expect(last().redundancy).toBe('Warm');
    const switched = (await ledger()).find((e) => e.kind === 'failover');
    expect(switched).toMatchObject({ cause: 'serviceLevel', endpoint: servers.primary!.endpoint, toEndpoint: servers.backup!.endpoint });

    servers.primary!.setServiceLevel(255);
    await until('back on the primary', () => last().endpoint === servers.primary!.endpoint && last().state === 'connected');
    expect((await ledger()).filter((e) => e.kind === 'failover').map((e) => e.cause)).toEqual(['failback', 'serviceLevel']);
    // Make before break: no loss, no gap; every value the plant produced in between arrived (the counter has no hole).
    // The two switches can be quicker than ten of the plant's steps: wait for values past them so the run checked is long enough.
    const goodValues = () => t.samples.slice(before).filter((s) => s.tag === 'Level' && s.status === 0).map((s) => s.value as number);
    await until('more than ten values across both switches', () => new Set(goodValues()).size > 10);
    const values = goodValues();
    expect(t.samples.slice(before).some((s) => s.status === BadNoCommunication)).toBe(false);
    expect((await ledger()).some((e) => e.kind === 'gap')).toBe(false);
    const distinct = [...new Set(values)].sort((a, b) => a - b);
    expect(distinct.length).toBeGreaterThan(10);
    expect(distinct.at(-1)! - distinct[0]! + 1).toBe(distinct.length);
  }, 180_000);

  it('fails over when the primary dies, and back when it returns', async () => {
    levels.primary = null;
    await servers.primary!.stop();
    servers.primary = null;
    await until('on the backup after the loss', () => last().endpoint === servers.backup!.endpoint && last().state === 'connected', 60_000);
    const afterLoss = await ledger();
    expect(afterLoss.find((e) => e.kind === 'gap')).toBeDefined();
    expect(afterLoss.find((e) => e.kind === 'failover')).toMatchObject({ cause: 'lost', toEndpoint: servers.backup!.endpoint });
    await startServer('primary', primaryPort);
    await until('back on the primary', () => last().endpoint === servers.primary!.endpoint && last().state === 'connected', 120_000);
    const causes = (await untilAsync('the failback journaled', async () => {
      const list = await ledger();
      return list.filter((e) => e.kind === 'failover').length >= 3 ? list : null;
    })).filter((e) => e.kind === 'failover').map((e) => e.cause);
    expect(causes.slice(0, 2)).toEqual(['failback', 'lost']);
  }, 240_000);
});
