/**
 * A redundant pair as vendors run it (Part 4 §6.6.2.4.2): a server whose ServiceLevel is 1 (NoData) or
 * 0 (Maintenance) is a Failed server, "a Client is not able to exchange any information with it"; a
 * Client connected to one shall leave it. Its values are never archived Good: with no usable endpoint
 * the server is lost (BadNoCommunication, a gap) until one is usable again, and a switch never goes to
 * a Failed endpoint. The primary's values are told apart from the backup's (1000 + n against n).
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

describe('redundant server: endpoints at ServiceLevel 1 (no data) or 0 (maintenance)', () => {
  let dir: string;
  const servers: Record<'primary' | 'backup', TestServer | null> = { primary: null, backup: null };
  const levels: Record<'primary' | 'backup', UAVariable | null> = { primary: null, backup: null };
  let t: TestStation;
  let ticker: NodeJS.Timeout;

  const startServer = async (which: 'primary' | 'backup') => {
    servers[which] = await startTestServer({
      role: `red-${which}`, dir,
      build: (ns, as) => {
        levels[which] = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
      },
    });
    return servers[which]!;
  };
  const last = (): ServerState => t.states.at(-1)!;
  const ledger = async (): Promise<LedgerEntry[]> => ((await t.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result;
  const level = (from: number) => t.samples.slice(from).filter((s) => s.tag === 'Level');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-failover-nodata-'));
    await startServer('primary');
    await startServer('backup');
    // The primary starts in maintenance: the station must not take its values.
    servers.primary!.setServiceLevel(0);
    let n = 0;
    ticker = setInterval(() => {
      const now = new Date();
      n++;
      levels.primary?.setValueFromSource({ dataType: DataType.Double, value: 1000 + n }, StatusCodes.Good, now);
      levels.backup?.setValueFromSource({ dataType: DataType.Double, value: n }, StatusCodes.Good, now);
    }, 200);
    t = await startTestStation({
      dir,
      yaml: `station: { name: Redundant, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${servers.primary!.endpoint}"
    backupEndpoints: ["${servers.backup!.endpoint}"]
    redundancy: { probeIntervalMs: 300, failbackAfterMs: 1500 }
    samplingIntervalMs: 0
    publishingIntervalMs: 200
    staleAfterMs: 2000
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
  }, 300_000);

  afterAll(async () => {
    clearInterval(ticker);
    await t?.stop();
    for (const s of Object.values(servers)) await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not take values from a primary in maintenance at start: it connects to the backup', async () => {
    await until('connected to the backup', () => last()?.state === 'connected' && last().endpoint === servers.backup!.endpoint, 60_000);
    await until('values from the backup', () => level(0).some((s) => s.status === 0 && (s.value as number) < 1000));
    expect(level(0).filter((s) => s.status === 0 && (s.value as number) >= 1000)).toEqual([]);
  }, 120_000);

  it('loses the server when every endpoint reports no data, and comes back with a gap', async () => {
    servers.primary!.setServiceLevel(1);
    servers.backup!.setServiceLevel(1);
    await until('the server lost', () => last().state === 'lost', 20_000);
    const lostAt = t.samples.length;
    const marker = await until('the loss marker', () => level(0).find((s) => s.status === BadNoCommunication));
    expect(marker).toBeDefined();
    expect((await ledger()).find((e) => e.kind === 'gap')).toBeDefined();
    // A few probe periods with both still failed: nothing Good comes.
    const probesBefore = t.logs.length;
    await until('a few attempts while both fail', () => t.logs.length > probesBefore + 4, 30_000);
    expect(level(lostAt).filter((s) => s.status === 0)).toEqual([]);
    servers.backup!.setServiceLevel(255);
    await until('connected to the backup again', () => last().state === 'connected' && last().endpoint === servers.backup!.endpoint, 60_000);
    await untilAsync('the gap closed', async () => (await ledger()).find((e) => e.kind === 'gap' && e.to !== null));
  }, 180_000);
});
