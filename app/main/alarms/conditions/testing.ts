/**
 * For tests: a real node-opcua server with the Alarms & Conditions service and one condition
 * (Area/Tank, its Level and the HighAlarm on it, events reported through the Server object),
 * unsecured, and a client session to it. Each test drives the condition through `alarm`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DataType, MessageSecurityMode, OPCUACertificateManager, OPCUAClient, OPCUAServer, SecurityPolicy,
  type AddressSpace, type ClientSession, type UAAlarmConditionEx,
} from 'node-opcua';

export interface TankConditionServer {
  /** A temporary folder for the test (removed by stop). */
  dir: string;
  server: OPCUAServer;
  addressSpace: AddressSpace;
  alarm: UAAlarmConditionEx;
  /** The station's alarm id of the condition on a server the station calls `srv`. */
  conditionId: string;
  client: OPCUAClient;
  session: ClientSession;
  stop(): Promise<void>;
}

export async function startTankConditionServer(name: string): Promise<TankConditionServer> {
  const dir = mkdtempSync(join(tmpdir(), `vigil-${name}-`));
  const pki = (folder: string) => new OPCUACertificateManager({ rootFolder: join(dir, folder), automaticallyAcceptUnknownCertificate: true, disableFileWatchers: true });
  const certificates = pki('server-pki');
  certificates.referenceCounter++; // one manager for both server roles (see simulator/server.ts)
  const server = new OPCUAServer({
    port: 0, host: '127.0.0.1', hostname: '127.0.0.1', resourcePath: `/${name}`, serverCertificateManager: certificates, userCertificateManager: certificates,
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
  const alarm = ns.instantiateAlarmCondition('AlarmConditionType', {
    browseName: 'HighAlarm', nodeId: 's=Tank.HighAlarm', componentOf: tank, conditionSource: tank, conditionName: 'High', inputNode: level,
  });
  await server.start();
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 2, initialDelay: 100, maxDelay: 500 }, clientCertificateManager: pki('client-pki') });
  await client.connect(server.getEndpointUrl());
  const session = await client.createSession();
  return {
    dir, server, addressSpace: as, alarm, conditionId: `server/srv/nsu=${ns.namespaceUri};s=Tank.HighAlarm`, client, session,
    async stop() {
      await session.close();
      await client.disconnect();
      await server.shutdown(0);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
