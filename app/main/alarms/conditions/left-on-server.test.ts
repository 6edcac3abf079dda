/**
 * OPC UA Alarms & Conditions from a server with room for two subscriptions in all (a small PLC's
 * server-wide cap): the station's one data group takes one, its condition events the other. The
 * network is cut and comes back. The server keeps the cut session's subscriptions until their
 * lifetime runs out; the acquisition takes its own over and deletes them (left-on-server.test.ts
 * in acquisition/), but the event subscription was left: the new session's was refused
 * (BadTooManySubscriptions) and never asked for again, so every condition the server raised after
 * the cut was missed while the data came back. Now the new session takes the left event
 * subscription over and deletes it too, and an event subscription refused is asked for again.
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
import { AlarmsModule } from '../module.js';

const TAKEN_OVER = 'the condition event subscription the lost connection left on the server was taken over and deleted';
const FAILED = 'no Alarms & Conditions from this server (event subscription failed): asked for again';

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

const subscriptionsOf = (s: TestServer) => s.server.engine.getSessions().flatMap((x) => x.publishEngine.subscriptions);

async function setUp(role: string, maxSubscriptions = 2) {
  dir = mkdtempSync(join(tmpdir(), `vigil-${role}-`));
  let alarm: UAAlarmConditionEx | undefined;
  let level: UAVariable | undefined;
  const s = await startTestServer({
    role, dir,
    build: (ns, as) => {
      as.installAlarmsAndConditionsService();
      const area = ns.addObject({ organizedBy: as.rootFolder.objects, browseName: 'Area', nodeId: 's=Area' });
      const tank = ns.addObject({ organizedBy: area, browseName: 'Tank', nodeId: 's=Tank' });
      area.setEventNotifier(1);
      tank.setEventNotifier(1);
      as.rootFolder.objects.server.addReference({ referenceType: 'HasNotifier', nodeId: area });
      area.addReference({ referenceType: 'HasEventSource', nodeId: tank });
      level = ns.addVariable({ componentOf: tank, browseName: 'Level', nodeId: 's=Tank.Level', dataType: 'Double', minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: 0 } });
      alarm = ns.instantiateAlarmCondition('AlarmConditionType', {
        browseName: 'HighAlarm', nodeId: 's=Tank.HighAlarm', componentOf: tank, conditionSource: tank, conditionName: 'High', inputNode: level,
      });
    },
  });
  server = s;
  s.server.engine.serverCapabilities.maxSubscriptions = maxSubscriptions;
  let n = 0;
  ticker = setInterval(() => level!.setValueFromSource({ dataType: DataType.Double, value: ++n }, StatusCodes.Good, new Date()), 100);
  proxy = await startProxy(s.port);
  const endpoint = s.endpoint.replace(`:${s.port}`, `:${proxy.port}`);
  const file = join(dir, 'station.yaml');
  writeFileSync(file, `station: { name: LeftEvents, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${endpoint}"
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
  const alarms = AlarmsModule.open({ config: store, dataDir, logger });
  station = new Station({ config: store, dataDir, logger, simulator: false, shell: 'browser', modules: [alarms] });
  await station.start();
  const id = `server/plc/nsu=urn:vigil:test:plant;s=Tank.HighAlarm`;
  const row = () => alarms.engine.rows().find((r) => r.id === id);
  /** The server raises the condition (active, unacknowledged) with this message. */
  const raise = (message: string) => {
    alarm!.activateAlarm();
    alarm!.currentBranch().setAckedState(false);
    alarm!.raiseNewCondition({ message, severity: 700, quality: StatusCodes.Good, retain: true });
  };
  return { s, alarms, logs, row, raise, connected: () => logs.filter((l) => l.msg === 'subscribed').length };
}

describe('conditions from a server with room for two subscriptions in all, its network cut and back', () => {
  it('takes over and deletes the event subscription the cut session left, and the conditions raised after come', async () => {
    const { s, alarms, logs, row, raise, connected } = await setUp('ac-leftover');
    await until('the condition events subscribed', () => alarms.conditionLinks.get('plc'), 30_000);
    raise('tank high before the cut');
    await until('the condition before the cut', () => row()?.message === 'tank high before the cut', 15_000);
    expect(subscriptionsOf(s)).toHaveLength(2);

    proxy!.cut();
    await until('the loss', () => logs.some((l) => l.msg === 'server lost'), 30_000);
    proxy!.restore();
    await until('subscribed again', () => connected() >= 2, 30_000);
    // Raised after the data came back: the new session's events (or its ConditionRefresh) must bring it.
    raise('tank high after the cut');
    await until('the condition raised after the cut', () => row()?.message === 'tank high after the cut' && !row()!.suspect, 20_000);
    expect(row()).toMatchObject({ state: 'B', priority: 2, flags: { active: true, acked: false } });
    expect(logs.filter((l) => l.msg === TAKEN_OVER)).toMatchObject([{ server: 'plc' }]);
    expect(logs.filter((l) => l.msg === FAILED)).toEqual([]);
    // The new session's two (data, events); the cut one's gone.
    expect(subscriptionsOf(s)).toHaveLength(2);
    expect(s.server.engine.getSessions().filter((x) => x.publishEngine.subscriptions.length > 0)).toHaveLength(1);
  }, 120_000);

  it('an event subscription the server refused (no room) is asked for again, and the conditions come once it has room', async () => {
    // Room for the data group's subscription alone, as a server whose places other clients hold.
    const { s, alarms, logs, row, raise } = await setUp('ac-no-room', 1);
    await until('the event subscription refused twice', () => logs.filter((l) => l.msg === FAILED).length >= 2, 30_000);
    // Warned once for the reason, then at debug: a server without room (or without events) is asked every minute.
    expect(logs.filter((l) => l.msg === FAILED).map((l) => l.level)).toEqual([40, 20]);
    raise('tank high while refused');
    expect(alarms.conditionLinks.get('plc')).toBeUndefined();
    s.server.engine.serverCapabilities.maxSubscriptions = 2;
    // Its ConditionRefresh brings the condition raised meanwhile.
    await until('the condition raised while refused', () => row()?.message === 'tank high while refused' && !row()!.suspect, 30_000);
    expect(row()).toMatchObject({ state: 'B', priority: 2, flags: { active: true, acked: false } });
    expect(logs.filter((l) => l.msg === FAILED).every((l) => /BadTooManySubscriptions/.test(JSON.stringify(l.err)))).toBe(true);
    expect(alarms.conditionLinks.get('plc')).toBeDefined();
    expect(subscriptionsOf(s)).toHaveLength(2);
  }, 120_000);
});
