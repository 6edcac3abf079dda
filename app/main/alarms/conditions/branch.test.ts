/**
 * OPC UA Part 9 condition branches against a real (in-process) node-opcua
 * server: a branch is an earlier state of a condition that the server keeps
 * for acknowledgement beside its current state (the trunk). The station's row
 * is the condition as it is now, so a branch event must neither overwrite the
 * row (a false "returned") nor take the EventId that acknowledging the row
 * answers (the ack would go to the branch and the active row disappear).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DataType, MessageSecurityMode, OPCUACertificateManager, OPCUAClient, OPCUAServer, SecurityPolicy, StatusCodes,
  type ClientSession, type UAAlarmConditionEx,
} from 'node-opcua';
import { silentLogger } from '../../log.js';
import { AlarmEngine } from '../engine/engine.js';
import { ConditionClient } from './client.js';
import { until as untilWithin } from '../../acquisition/testing/harness.js';

/** Polls until probe holds (a condition arrives within a few publishes). */
const until = <T>(what: string, probe: () => T | undefined | false | null) => untilWithin(what, probe, 15_000);

let dir: string;
let server: OPCUAServer;
let alarm: UAAlarmConditionEx;
let client: OPCUAClient;
let session: ClientSession;
let conditionId: string;


const pki = (name: string) => new OPCUACertificateManager({ rootFolder: join(dir, name), automaticallyAcceptUnknownCertificate: true, disableFileWatchers: true });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-branch-'));
  const certificates = pki('server-pki');
  certificates.referenceCounter++; // one manager for both server roles (see simulator/server.ts)
  server = new OPCUAServer({
    port: 0, host: '127.0.0.1', hostname: '127.0.0.1', resourcePath: '/branch', serverCertificateManager: certificates, userCertificateManager: certificates,
    securityModes: [MessageSecurityMode.None], securityPolicies: [SecurityPolicy.None], allowAnonymous: true, disableDiscovery: true,
  });
  await server.initialize();
  const as = server.engine.addressSpace!;
  as.installAlarmsAndConditionsService();
  const ns = as.getOwnNamespace();
  const area = ns.addObject({ organizedBy: as.rootFolder.objects, browseName: 'Area', nodeId: 's=Area' });
  const tank = ns.addObject({ organizedBy: area, browseName: 'Tank', nodeId: 's=Tank' });
  area.setEventNotifier(1);
  tank.setEventNotifier(1);
  as.rootFolder.objects.server.addReference({ referenceType: 'HasNotifier', nodeId: area });
  area.addReference({ referenceType: 'HasEventSource', nodeId: tank });
  const level = ns.addVariable({ componentOf: tank, browseName: 'Level', nodeId: 's=Tank.Level', dataType: 'Double', value: { dataType: DataType.Double, value: 0 } });
  alarm = ns.instantiateAlarmCondition('AlarmConditionType', {
    browseName: 'HighAlarm', nodeId: 's=Tank.HighAlarm', componentOf: tank, conditionSource: tank, conditionName: 'High', inputNode: level,
  });
  conditionId = `server/srv/nsu=${ns.namespaceUri};s=Tank.HighAlarm`;
  await server.start();
  client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 2, initialDelay: 100, maxDelay: 500 }, clientCertificateManager: pki('client-pki') });
  await client.connect(server.getEndpointUrl());
  session = await client.createSession();
});

afterAll(async () => {
  await session?.close();
  await client?.disconnect();
  await server?.shutdown(0);
  rmSync(dir, { recursive: true, force: true });
});

describe('OPC UA condition branches', () => {
  it('a branch event leaves the row as the trunk is; acknowledging the row acknowledges the trunk, not the branch', async () => {
    let t = Date.UTC(2025, 0, 1);
    const engine = new AlarmEngine({ now: () => t }, []);
    const cc = await ConditionClient.attach(session, { server: 'srv', tags: [], logger: silentLogger(), onCondition: (c) => engine.serverCondition(c) });
    const row = () => engine.rows().find((r) => r.id === conditionId);

    alarm.activateAlarm();
    alarm.raiseNewCondition({ message: 'tank high', severity: 700, quality: StatusCodes.Good, retain: true });
    await until('the active condition', () => row()?.flags.active);
    expect(row()).toMatchObject({ state: 'B', priority: 2, flags: { active: true, acked: false } });

    // The server keeps an earlier state (inactive, still to be acknowledged) as a branch.
    const branch = alarm.createBranch();
    branch.setActiveState(false);
    branch.setAckedState(false);
    branch.setRetain(true);
    alarm.raiseNewBranchState(branch);
    // A marker after it on the same subscription: when it arrives, the branch event has been handled.
    t += 1000;
    alarm.currentBranch().setAckedState(false);
    alarm.raiseNewCondition({ message: 'tank high (marker)', severity: 700, quality: StatusCodes.Good, retain: true });
    await until('the marker', () => row()?.message === 'tank high (marker)');
    expect(row()).toMatchObject({ state: 'B', flags: { active: true, acked: false } });

    await cc.acknowledge(conditionId, 'op1: level checked');
    await until('the acknowledgement', () => row()?.flags.acked);
    expect(alarm.currentBranch().getAckedState()).toBe(true);
    expect(branch.getAckedState()).toBe(false);
    expect(row()).toMatchObject({ state: 'C', flags: { active: true, acked: true } });
    expect(engine.takeJournal().map((j) => j.event)).toEqual(['activated', 'acknowledged']);
    await cc.close();
  });
});
