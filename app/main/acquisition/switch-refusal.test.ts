/**
 * A switch to the backup of a redundant pair whose address space lacks one tag's node: the
 * backup's refusal (BadNodeIdUnknown) is published when the backup goes live, not while the
 * primary still serves, so the primary's last good values do not overwrite it and leave the tag
 * frozen good after the switch. The backup sits behind a slow link (another site).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type AddressSpace, type Namespace, type UAVariable } from 'node-opcua';
import type { ServerState } from '../../shared/api.js';
import { startProxy, type TestProxy } from './testing/proxy.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const BadNodeIdUnknown = StatusCodes.BadNodeIdUnknown.value >>> 0;

describe('a switch to a backup that refuses a tag', () => {
  let dir: string;
  let primary: TestServer;
  let backup: TestServer;
  let remote: TestProxy;
  let t: TestStation;
  let ticker: NodeJS.Timeout;
  const vars: UAVariable[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-switch-refusal-'));
    const variables = (names: string[]) => (ns: Namespace, as: AddressSpace) => {
      for (const name of names) vars.push(ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: name, nodeId: `s=${name}`, dataType: 'Double', minimumSamplingInterval: 0 }));
    };
    primary = await startTestServer({ role: 'sr-primary', dir, build: variables(['Level', 'Flow']) });
    backup = await startTestServer({ role: 'sr-backup', dir, build: variables(['Level']) });
    remote = await startProxy(backup.port, 40);
    let n = 0;
    ticker = setInterval(() => {
      n++;
      for (const v of vars) v.setValueFromSource({ dataType: DataType.Double, value: n }, StatusCodes.Good, new Date());
    }, 100);
    t = await startTestStation({
      dir,
      yaml: `station: { name: SwitchRefusal, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${primary.endpoint}"
    backupEndpoints: ["opc.tcp://127.0.0.1:${remote.port}/test"]
    redundancy: { probeIntervalMs: 500, failbackAfterMs: 600000 }
    samplingIntervalMs: 0
    publishingIntervalMs: 100
    staleAfterMs: 2000
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
  - { name: Flow, server: plc, nodeId: "ns=2;s=Flow", kind: analog, area: A }
`,
    });
    const last = (): ServerState | undefined => t.states.at(-1);
    await until('on the primary', () => last()?.state === 'connected' && last()!.endpoint === primary.endpoint && t.station.live.get('Flow')?.status === 0, 120_000);
    primary.setServiceLevel(100); // degraded: the station moves to the backup
    await until('on the backup', () => last()?.endpoint !== primary.endpoint && last()?.state === 'connected', 60_000);
    // The refusal, then ten of Level's values after it (publishes 100 ms apart): whatever the primary
    // still had on its way came in that second, and would be seen after the refusal.
    const refusal = await until('Flow refused', () => {
      const i = t.samples.findIndex((s) => s.tag === 'Flow' && s.status === BadNodeIdUnknown);
      return i >= 0 ? i + 1 : null;
    }, 30_000);
    await until('ten values of Level after the refusal', () => t.samples.slice(refusal).filter((s) => s.tag === 'Level' && s.status === 0).length >= 10, 30_000);
  }, 240_000);

  afterAll(async () => {
    clearInterval(ticker);
    await t?.stop();
    remote?.close();
    await backup?.stop();
    await primary?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the backup’s refusal after the switch, not a frozen good value', () => {
    expect(t.station.live.get('Flow')?.status).toBe(BadNodeIdUnknown);
    expect(t.station.acquisition.sources().find((s) => s.tag === 'Flow')?.status).toBe(BadNodeIdUnknown);
    const flow = t.samples.filter((s) => s.tag === 'Flow');
    const refusal = flow.findIndex((s) => s.status === BadNodeIdUnknown);
    expect(refusal).toBeGreaterThan(0);
    expect(flow.slice(refusal + 1).filter((s) => s.status === 0)).toEqual([]);
    // Level goes on from the backup.
    expect(t.station.live.get('Level')?.status).toBe(0);
  });
});
