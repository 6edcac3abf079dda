/**
 * FreeOpcUa's servers (python-opcua, asyncua) apply a monitored item's deadband against the value
 * sampled just before, not the last one sent (their monitored_item_service.py), and need the value
 * to pass the band even when only the status changed: a level rising by less than the band per
 * change is never sent, nor a sensor failure that leaves the value where it was. Their percent
 * deadband is accepted and ignored. The station asks such a server for every change and applies the
 * tags' deadbands itself, as Part 4 (7.22.2) and Part 8 (PercentDeadband) have a server do.
 *
 * The test server says it is FreeOpcUa's and filters as FreeOpcUa's does whenever it is given a
 * deadband: the station must give it none and hand on what a standard filter would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataChangeFilter, DataType, DeadbandType, StatusCodes, type DataValue, type MonitoredItem, type ServerSession, type Subscription, type UAVariable } from 'node-opcua';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const BAND = 1;
const PERCENT = 1;
const RANGE = { low: 0, high: 100 };
/** A slow rise by 0.4 per change, then the sensor fails with its value where it was. */
const STEPS: { value: number; bad: boolean }[] = [
  ...[10.4, 10.8, 11.2, 11.6, 12.0, 12.4].map((value) => ({ value, bad: false })),
  { value: 12.4, bad: true },
];

/** Part 4 7.22.2 with trigger StatusValue: sent when the status changed or |value − last sent| > band. */
function sentByStandard(first: number, steps: typeof STEPS, band: number): { value: number; bad: boolean }[] {
  const sent = [{ value: first, bad: false }];
  for (const s of steps) {
    const last = sent[sent.length - 1]!;
    if (s.bad !== last.bad || Math.abs(s.value - last.value) > band) sent.push(s);
  }
  return sent;
}

/** FreeOpcUa's filter given an absolute deadband: against the value sampled before, the band needed even for a status change. */
function filterAsFreeOpcUa(item: MonitoredItem): void {
  let before: DataValue | null = null;
  const record = item.recordValue.bind(item);
  item.recordValue = (dv: DataValue, skipChangeTest?: boolean, indexRange?: Parameters<MonitoredItem['recordValue']>[2]) => {
    const filter = item.filter;
    if (!(filter instanceof DataChangeFilter) || filter.deadbandType !== DeadbandType.Absolute) return record(dv, skipChangeTest, indexRange);
    const prev = before;
    before = dv;
    if (prev) {
      const a = Number(prev.value.value), b = Number(dv.value.value);
      const changed = prev.statusCode.value !== dv.statusCode.value || a !== b;
      if (!changed || !(Math.abs(b - a) > filter.deadbandValue)) return false;
    }
    return record(dv, true, indexRange);
  };
}

describe('a server that misapplies deadbands (FreeOpcUa)', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  let level: UAVariable;
  let percent: UAVariable;
  let witness: UAVariable;
  const items: MonitoredItem[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-deadband-freeopcua-'));
    server = await startTestServer({
      role: 'deadband-freeopcua', dir,
      buildInfo: { productUri: 'urn:freeopcua.github.io:python:server', manufacturerName: 'FreeOpcUa', productName: 'FreeOpcUa Python Server', softwareVersion: '1.1.5' },
      build: (ns, as) => {
        const v = (name: string) => ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: name, nodeId: `s=${name}`, dataType: 'Double', minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: 10 } });
        level = v('Level');
        witness = v('Witness');
        percent = ns.addAnalogDataItem({
          organizedBy: as.rootFolder.objects, browseName: 'Percent', nodeId: 's=Percent', dataType: 'Double', minimumSamplingInterval: 0,
          engineeringUnitsRange: RANGE, value: { dataType: DataType.Double, value: 10 },
        });
      },
    });
    server.server.on('create_session', (session: ServerSession) => {
      session.on('new_subscription', (sub: Subscription) => {
        sub.on('monitoredItem', (item: MonitoredItem) => {
          items.push(item);
          filterAsFreeOpcUa(item);
        });
      });
    });
    t = await startTestStation({
      dir,
      yaml: `station: { name: FreeOpcUa, defaultCompression: { kind: none } }
servers:
  - id: py
    endpoint: "${server.endpoint}"
    backfill: false
    publishingIntervalMs: 100
    samplingIntervalMs: 50
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: py, nodeId: "ns=2;s=Level", kind: analog, area: A, deadband: { absolute: ${BAND} } }
  - { name: Percent, server: py, nodeId: "ns=2;s=Percent", kind: analog, area: A, deadband: { percent: ${PERCENT} } }
  - { name: Witness, server: py, nodeId: "ns=2;s=Witness", kind: analog, area: A }
`,
    });
    await until('values in', () => ['Level', 'Percent', 'Witness'].every((n) => t.station.live.get(n)?.status === 0), 30_000);
    await until('the EURange read', () => t.logs.find((l) => l.msg === 'EURange read for tags whose deadband the station applies with a percent deadband'), 30_000);
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is asked for every change, and the tags are handed on as a standard deadband would have them', async () => {
    expect(items.map((i) => [i.node?.nodeId.value, i.filter])).toEqual(expect.arrayContaining([['Level', null], ['Percent', null]]));
    for (const [i, s] of STEPS.entries()) {
      const status = s.bad ? StatusCodes.BadSensorFailure : StatusCodes.Good;
      for (const v of [level, percent]) v.setValueFromSource({ dataType: DataType.Double, value: s.value }, status, new Date());
      // Sampled with the others: once the witness shows this step, the two were sampled at it.
      witness.setValueFromSource({ dataType: DataType.Double, value: 100 + i }, StatusCodes.Good, new Date());
      await until(`step ${i} sampled`, () => t.station.live.get('Witness')?.value === 100 + i);
    }
    const expected = sentByStandard(10, STEPS, BAND).map((s) => [s.value, s.bad]);
    // A percent deadband of the node's EURange: 1 % of 0-100 is the same band.
    expect((PERCENT / 100) * (RANGE.high - RANGE.low)).toBe(BAND);
    for (const tag of ['Level', 'Percent']) {
      const got = t.samples.filter((x) => x.tag === tag && !x.marker).map((x) => [x.value, x.status !== 0]);
      expect({ tag, got }).toEqual({ tag, got: expected });
    }
  });

  it('says once why', () => {
    const said = t.logs.filter((l) => String(l.msg).startsWith('the server misapplies deadbands'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ server: 'py', product: 'FreeOpcUa Python Server', version: '1.1.5' });
  });
});

describe.each([
  { deadbandBy: 'station', freeOpcUa: false, filtered: false },
  { deadbandBy: 'server', freeOpcUa: true, filtered: true },
] as const)('deadbandBy: $deadbandBy configured, a FreeOpcUa server: $freeOpcUa', ({ deadbandBy, freeOpcUa, filtered }) => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  const items: MonitoredItem[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-deadband-by-'));
    server = await startTestServer({
      role: `deadband-by-${deadbandBy}`, dir,
      ...(freeOpcUa ? { buildInfo: { productUri: 'urn:freeopcua.github.io:python:server', manufacturerName: 'FreeOpcUa', productName: 'FreeOpcUa Python Server', softwareVersion: '1.1.5' } } : {}),
      build: (ns, as) => {
        ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: 10 } });
      },
    });
    server.server.on('create_session', (session: ServerSession) => {
      session.on('new_subscription', (sub: Subscription) => sub.on('monitoredItem', (item: MonitoredItem) => items.push(item)));
    });
    t = await startTestStation({
      dir,
      yaml: `station: { name: DeadbandBy, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server.endpoint}", backfill: false, publishingIntervalMs: 100, samplingIntervalMs: 50, deadbandBy: ${deadbandBy} }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A, deadband: { absolute: ${BAND} } }
`,
    });
    await until('Level in', () => t.station.live.get('Level')?.status === 0, 30_000);
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(filtered ? 'asks the server for the deadband' : 'asks the server for every change, said once', () => {
    const level = items.filter((i) => i.node?.nodeId.value === 'Level');
    expect(level).toHaveLength(1);
    if (filtered) expect(level[0]!.filter).toBeInstanceOf(DataChangeFilter);
    else expect(level[0]!.filter).toBeNull();
    const said = t.logs.filter((l) => /misapplies deadbands|applied by the station/.test(String(l.msg)));
    expect(said.map((l) => l.msg)).toEqual(filtered ? [] : ['deadbandBy: station: the server is asked for every change and the tags\' deadbands are applied by the station']);
  });
});
