/**
 * A redundant pair as the failover tests run it: a primary and a backup endpoint of one logical
 * server (OPC UA non-transparent redundancy), both reading one plant value, Level, written on both
 * at each tick with the same source time, and a station on them (`backupEndpoints`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type UAVariable } from 'node-opcua';
import type { LedgerEntry, ServerState } from '../../../shared/api.js';
import { startTestServer, type TestServer } from './test-server.js';
import { startTestStation, type TestStation } from './harness.js';

export type Side = 'primary' | 'backup';

export interface PairOptions {
  /** The temporary folder's prefix. */
  name: string;
  tickMs: number;
  publishingIntervalMs: number;
  probeIntervalMs: number;
  failbackAfterMs: number;
  staleAfterMs: number;
  /** What a side writes for the plant's n-th value (default n: both read the same plant). */
  value?: (side: Side, n: number) => number;
  /** Each plant value as it is written, and its source time. */
  onTick?: (n: number, at: number) => void;
  /**
   * Each side's server clock off the station's by this (ms; its CurrentTime says so), and its values
   * stamped by that clock: servers that sample the plant themselves, not pass a device's stamps on.
   * Without it both sides write the same source time (a Warm pair over one PLC).
   */
  clockOffsetMs?: Partial<Record<Side, number>>;
  /** After the servers start, before the station does (a primary starting in maintenance). */
  before?: (servers: Record<Side, TestServer>) => void;
}

export interface RedundantPair {
  dir: string;
  servers: Record<Side, TestServer>;
  station: TestStation;
  /** The server's last state the station published. */
  last(): ServerState;
  ledger(): Promise<LedgerEntry[]>;
  stop(): Promise<void>;
}

export async function startRedundantPair(o: PairOptions): Promise<RedundantPair> {
  const dir = mkdtempSync(join(tmpdir(), `vigil-${o.name}-`));
  const levels: Partial<Record<Side, UAVariable>> = {};
  const start = (side: Side) => startTestServer({
    role: `red-${side}`, dir, clockOffsetMs: o.clockOffsetMs?.[side] ?? 0,
    build: (ns, as) => {
      levels[side] = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
    },
  });
  const servers = { primary: await start('primary'), backup: await start('backup') };
  o.before?.(servers);
  let n = 0;
  const ticker = setInterval(() => {
    const now = new Date();
    n++;
    o.onTick?.(n, now.getTime());
    for (const side of ['primary', 'backup'] as const) {
      const stamp = new Date(now.getTime() + (o.clockOffsetMs?.[side] ?? 0));
      levels[side]?.setValueFromSource({ dataType: DataType.Double, value: o.value?.(side, n) ?? n }, StatusCodes.Good, stamp);
    }
  }, o.tickMs);
  const station = await startTestStation({
    dir,
    yaml: `station: { name: Redundant, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${servers.primary.endpoint}"
    backupEndpoints: ["${servers.backup.endpoint}"]
    redundancy: { probeIntervalMs: ${o.probeIntervalMs}, failbackAfterMs: ${o.failbackAfterMs} }
    samplingIntervalMs: 0
    publishingIntervalMs: ${o.publishingIntervalMs}
    staleAfterMs: ${o.staleAfterMs}
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
  });
  return {
    dir, servers, station,
    last: () => station.states.at(-1)!,
    ledger: async () => ((await station.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result,
    stop: async () => {
      clearInterval(ticker);
      await station.stop();
      for (const s of Object.values(servers)) await s.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
