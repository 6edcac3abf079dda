/**
 * Acknowledging a server's condition with the revision the operator saw while its server was
 * cut off (the row suspect). The network comes back, the new session's ConditionRefresh reports the
 * condition as it was, and its suspect flag clears. That alone moved the row's revision, so the ack
 * was refused once ("alarm changed — review") although nothing the operator reviews had changed;
 * the spec refuses an ack only of an alarm that changed since it was displayed (case 10), and the
 * station's own rows keep their revision when only their data-quality flags move. A condition that
 * did change at the server meanwhile (its severity raised to an ESD trip's) is still refused.
 * Real server (node-opcua, A&C service), real proxy to cut, the real station and alarms module.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type UAAlarmConditionEx, type UAVariable } from 'node-opcua';
import { startProxy, type TestProxy } from '../../acquisition/testing/proxy.js';
import { startTestServer, type TestServer } from '../../acquisition/testing/test-server.js';
import { until } from '../../acquisition/testing/harness.js';
import { seedPki } from '../../acquisition/testing/pki-cache.js';
import { createLogger } from '../../log.js';
import { loadStationConfig } from '../../station/config-file.js';
import { ConfigStore } from '../../station/config-store.js';
import { Station } from '../../station/station.js';
import { AlarmRefusal } from '../engine/refusal.js';
import { AlarmsModule } from '../module.js';

let dir: string;
let server: TestServer | undefined;
let proxy: TestProxy | undefined;
let station: Station | undefined;
let ticker: NodeJS.Timeout | undefined;

afterEach(async () => {
  clearInterval(ticker);
  await station?.stop();
  proxy?.close();
  await server?.stop();
  station = undefined;
  proxy = undefined;
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('an ack sent with the revision seen while the server was cut off', () => {
  it('is taken once the refresh shows the condition unchanged; refused for one that changed meanwhile', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-ac-reconnect-'));
    const alarms: Record<'high' | 'gas', UAAlarmConditionEx | undefined> = { high: undefined, gas: undefined };
    let level: UAVariable | undefined;
    server = await startTestServer({
      role: 'ac-reconnect', dir,
      build: (ns, as) => {
        as.installAlarmsAndConditionsService();
        const area = ns.addObject({ organizedBy: as.rootFolder.objects, browseName: 'Area', nodeId: 's=Area' });
        const tank = ns.addObject({ organizedBy: area, browseName: 'Tank', nodeId: 's=Tank' });
        area.setEventNotifier(1);
        tank.setEventNotifier(1);
        as.rootFolder.objects.server.addReference({ referenceType: 'HasNotifier', nodeId: area });
        area.addReference({ referenceType: 'HasEventSource', nodeId: tank });
        level = ns.addVariable({ componentOf: tank, browseName: 'Level', nodeId: 's=Tank.Level', dataType: 'Double', minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: 0 } });
        for (const [key, name] of [['high', 'High'], ['gas', 'Gas']] as const) {
          alarms[key] = ns.instantiateAlarmCondition('AlarmConditionType', {
            browseName: `${name}Alarm`, nodeId: `s=Tank.${name}Alarm`, componentOf: tank, conditionSource: tank, conditionName: name, inputNode: level,
          });
        }
      },
    });
    let n = 0;
    ticker = setInterval(() => level!.setValueFromSource({ dataType: DataType.Double, value: ++n }, StatusCodes.Good, new Date()), 100);
    proxy = await startProxy(server.port);
    const file = join(dir, 'station.yaml');
    writeFileSync(file, `station: { name: Reconnect, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${server.endpoint.replace(`:${server.port}`, `:${proxy.port}`)}"
    backfill: false
    staleAfterMs: 2000
areas: [{ id: A, name: A }]
tags:
  - { name: Tank.Level, server: plc, nodeId: "ns=2;s=Tank.Level", kind: analog, area: A }
`);
    const dataDir = join(dir, 'data');
    await seedPki('station', join(dataDir, 'pki'));
    const logs: Record<string, unknown>[] = [];
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) } });
    const store = new ConfigStore(loadStationConfig(file), { source: file });
    const module = AlarmsModule.open({ config: store, dataDir, logger });
    station = new Station({ config: store, dataDir, logger, simulator: false, shell: 'browser', modules: [module] });
    await station.start();

    const HIGH = 'server/plc/nsu=urn:vigil:test:plant;s=Tank.HighAlarm';
    const GAS = 'server/plc/nsu=urn:vigil:test:plant;s=Tank.GasAlarm';
    const row = (id: string) => module.engine.rows().find((r) => r.id === id);
    /** The server raises a condition (active, unacknowledged) with this message and severity. */
    const raise = (a: UAAlarmConditionEx, message: string, severity: number) => {
      a.activateAlarm();
      a.currentBranch().setAckedState(false);
      a.raiseNewCondition({ message, severity, quality: StatusCodes.Good, retain: true });
    };

    await until('the condition events subscribed', () => module.conditionLinks.get('plc'), 30_000);
    raise(alarms.high!, 'tank high', 700);
    raise(alarms.gas!, 'gas detected', 700);
    await until('both conditions listed', () => row(HIGH)?.state === 'B' && row(GAS)?.state === 'B' && !row(HIGH)!.suspect && !row(GAS)!.suspect, 15_000);

    proxy.cut();
    await until('both rows suspect', () => logs.some((l) => l.msg === 'server lost') && row(HIGH)!.suspect && row(GAS)!.suspect, 30_000);
    // What the operator sees while the server is cut off.
    const seen = { high: row(HIGH)!.revision, gas: row(GAS)!.revision };
    // Meanwhile the server raises the gas condition to an ESD trip's severity (P1): that is a change to review.
    raise(alarms.gas!, 'gas detected', 900);
    proxy.restore();
    await until('both rows refreshed', () => !row(HIGH)!.suspect && !row(GAS)!.suspect && row(GAS)!.priority === 1, 30_000);
    await until('the condition link back', () => module.conditionLinks.get('plc'), 30_000);

    // Nothing changed for the high condition: the ack with what the operator saw is taken, at the server.
    expect(row(HIGH)).toMatchObject({ state: 'B', priority: 2, message: 'tank high' });
    expect(await module.acknowledge([HIGH], [seen.high], 'op1', 'seen during the cut')).toEqual([HIGH]);
    await until('the server acknowledged it', () => alarms.high!.currentBranch().getAckedState() && row(HIGH)!.state === 'C', 15_000);
    module.flush();
    const ack = module.journal.read(0, 1000).filter((j) => j.alarmId === HIGH && j.event === 'acknowledged');
    expect(ack.map((j) => [j.state, j.user, j.comment])).toEqual([['C', 'op1', 'seen during the cut']]);

    // The gas condition changed while the operator could not see it: refused, nothing sent.
    const refusal = await module.acknowledge([GAS], [seen.gas], 'op1', null).then(() => null, (err: unknown) => err);
    expect(refusal).toBeInstanceOf(AlarmRefusal);
    expect((refusal as AlarmRefusal).reason).toBe('changed');
    expect(alarms.gas!.currentBranch().getAckedState()).toBe(false);
    expect(row(GAS)).toMatchObject({ state: 'B', priority: 1 });
  }, 120_000);
});
