/**
 * A server that refuses a percent deadband on a variable that has an EURange: it implements only the
 * absolute deadband (open62541 and S2OPC leave percent unimplemented). The station fell back to no
 * filter (every change sent) unless the tag had a configured range; now it reads the node's EURange
 * and asks for an absolute deadband of that percent of it (Part 8: percent × span / 100).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataChangeFilter, DataType, DeadbandType, StatusCodes, type UAVariable } from 'node-opcua';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const RANGE = { low: 0, high: 1000 };
const PERCENT = 0.5;

describe('a percent deadband refused on a variable with an EURange', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  let node: UAVariable;
  /** Without a deadband, moved with Flow: once its value is in, Flow's was sampled too. */
  let witness: UAVariable;
  const set = (value: number) => {
    for (const v of [node, witness]) v.setValueFromSource({ dataType: DataType.Double, value }, StatusCodes.Good, new Date());
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-deadband-eurange-'));
    server = await startTestServer({
      role: 'deadband-eurange', dir,
      build: (ns, as) => {
        node = ns.addAnalogDataItem({
          organizedBy: as.rootFolder.objects, browseName: 'Flow', nodeId: 's=Flow', dataType: 'Double', minimumSamplingInterval: 0,
          engineeringUnitsRange: RANGE, value: { dataType: DataType.Double, value: 100 },
        });
        // node-opcua's server checks a percent deadband by looking the EURange child up by name
        // (validate_filter.ts); hidden from that check only, the property stays browsable and readable.
        witness = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Witness', nodeId: 's=Witness', dataType: 'Double', minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: 100 } });
        const childByName = node.getChildByName.bind(node);
        node.getChildByName = ((name: string, ns?: number) => (name === 'EURange' ? null : childByName(name, ns))) as typeof node.getChildByName;
      },
    });
    t = await startTestStation({
      dir,
      yaml: `station: { name: Deadband, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${server.endpoint}"
    backfill: false
    publishingIntervalMs: 100
    samplingIntervalMs: 50
    groups: [{ id: analog, deadband: { percent: ${PERCENT} } }]
areas: [{ id: A, name: A }]
tags:
  - { name: Flow, server: plc, group: analog, nodeId: "ns=2;s=Flow", kind: analog, area: A }
  - { name: Witness, server: plc, nodeId: "ns=2;s=Witness", kind: analog, area: A }
`,
    });
    await until('Flow good', () => t.station.live.get('Flow')?.status === 0, 30_000);
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks for an absolute deadband of the percent of the node\'s EURange, which the server applies', async () => {
    const items = server.server.engine.getSessions()
      .flatMap((s) => s.publishEngine.subscriptions)
      .flatMap((s) => [...s.getMonitoredItems().serverHandles].map((h) => s.getMonitoredItem(h)!))
      .filter((m) => m.node?.nodeId.value === 'Flow');
    expect(items).toHaveLength(1);
    const filter = items[0]!.filter as DataChangeFilter;
    expect(filter).toBeInstanceOf(DataChangeFilter);
    expect(filter.deadbandType).toBe(DeadbandType.Absolute);
    expect(filter.deadbandValue).toBe((PERCENT / 100) * (RANGE.high - RANGE.low));
    // 100 -> 103 within 5, 100 -> 110 past it.
    set(103);
    await until('Witness at 103', () => t.station.live.get('Witness')?.value === 103);
    set(110);
    await until('Flow at 110', () => t.station.live.get('Flow')?.value === 110);
    expect(t.samples.filter((x) => x.tag === 'Flow').map((x) => x.value)).toEqual([100, 110]);
  });

  it('says so once', () => {
    const said = t.logs.filter((l) => /the server refused the tag's (percent )?deadband/.test(String(l.msg)));
    expect(said.map((l) => [l.tag, l.status, l.fallback, l.msg])).toEqual([
      ['Flow', 'BadMonitoredItemFilterUnsupported', { absolute: 5 }, 'the server refused the tag\'s percent deadband: acquired with an absolute deadband from its node\'s EURange'],
    ]);
  });
});
