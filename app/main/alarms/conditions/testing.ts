/**
 * For tests: a real node-opcua server with the Alarms & Conditions service and one condition
 * (Area/Tank, its Level and the HighAlarm on it, events reported through the Server object),
 * unsecured, and a client session to it. Each test drives the condition through `alarm`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CallResponse, DataType, MessageSecurityMode, OPCUACertificateManager, OPCUAClient, OPCUAServer, SecurityPolicy, StatusCodes,
  type AddressSpace, type BaseNode, type ClientSession, type StatusCode, type UAAlarmConditionEx, type UAMethod, type VariantOptions,
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

/** How the server departs from a complete Part 9 one (as servers written elsewhere do). */
export interface TankServerQuirks {
  /** ConditionRefresh (and ConditionRefresh2) answered with this status, or the whole Call service refused. */
  refuseRefresh?: StatusCode | 'callServiceUnsupported';
  /** The condition instance not browsable from its source: its events come, the address space does not show it. */
  hideCondition?: boolean;
  /** No notifier hierarchy under the Server object (events still reach it, as every event does). */
  flat?: boolean;
  /** Optional parts of the AlarmConditionType instance (e.g. SuppressedState, ShelvingState, ConfirmedState). */
  optionals?: string[];
  /** MaxTimeShelved (ms; with the MaxTimeShelved optional): node-opcua refuses OneShotShelve without it. */
  maxTimeShelvedMs?: number;
}

export async function startTankConditionServer(name: string, quirks: TankServerQuirks = {}): Promise<TankConditionServer> {
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
  if (!quirks.flat) as.rootFolder.objects.server.addReference({ referenceType: 'HasNotifier', nodeId: area });
  area.addReference({ referenceType: 'HasEventSource', nodeId: tank });
  const level = ns.addVariable({ componentOf: tank, browseName: 'Level', nodeId: 's=Tank.Level', dataType: 'Double', value: { dataType: DataType.Double, value: 0 } });
  const alarm = ns.instantiateAlarmCondition('AlarmConditionType', {
    browseName: 'HighAlarm', nodeId: 's=Tank.HighAlarm', componentOf: tank, conditionSource: tank, conditionName: 'High', inputNode: level,
    ...(quirks.optionals && { optionals: [...quirks.optionals] }),
    ...(quirks.maxTimeShelvedMs !== undefined && { maxTimeShelved: quirks.maxTimeShelvedMs }),
  });
  // A server starts its conditions unshelved (node-opcua leaves the state empty, and refuses TimedShelve then).
  (alarm.shelvingState as unknown as { setState(s: string): void } | undefined)?.setState('Unshelved');
  const refusal = quirks.refuseRefresh;
  if (refusal === 'callServiceUnsupported') {
    // A server without the Call service answers every call with a service fault (node-opcua dispatches by this name).
    Object.assign(server, {
      _on_CallRequest(this: { _apply_on_SessionObject: (...a: unknown[]) => void }, message: unknown, channel: unknown) {
        this._apply_on_SessionObject(CallResponse, message, channel, (_s: unknown, _ok: unknown, sendError: (s: StatusCode) => void) => sendError(StatusCodes.BadServiceUnsupported));
      },
    });
  } else if (refusal) {
    const type = as.findObjectType('ConditionType')!;
    for (const m of ['ConditionRefresh', 'ConditionRefresh2']) {
      (type.getMethodByName(m) as UAMethod).bindMethod((_args: unknown, _context: unknown, callback: (err: Error | null, result: { statusCode: StatusCode }) => void) => callback(null, { statusCode: refusal }));
    }
  }
  if (quirks.hideCondition) {
    const browse = tank.browseNode.bind(tank);
    tank.browseNode = ((...args: Parameters<BaseNode['browseNode']>) => browse(...args).filter((r) => !r.nodeId.toString().includes('HighAlarm'))) as BaseNode['browseNode'];
  }
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

/**
 * Makes the server send its condition events with some fields as another server would (a field
 * left out is a null Variant; an EventId may be an empty ByteString): every event reaches the
 * subscriptions through the Server object, where `fields()` (browse names under the condition,
 * read at each event) are set. The condition's own nodes keep what node-opcua put there.
 */
export function overrideEventFields(t: TankConditionServer, fields: () => Readonly<Record<string, VariantOptions>>): void {
  type Emit = (name: string, ...args: unknown[]) => boolean;
  interface EventFields {
    _setField(field: { lowerName: string; fullBrowsePath: string; node: BaseNode; nodeIdKey: string; mandatory: boolean }, v: VariantOptions): void;
  }
  const serverObject = t.addressSpace.rootFolder.objects.server as unknown as { emit: Emit };
  const emit = serverObject.emit.bind(serverObject);
  serverObject.emit = (name, ...args) => {
    if (name === 'event') {
      for (const [field, value] of Object.entries(fields())) {
        const lowerName = field.charAt(0).toLowerCase() + field.slice(1);
        const node = (t.alarm as unknown as Record<string, BaseNode>)[lowerName]!;
        (args[0] as EventFields)._setField({ lowerName, fullBrowsePath: field, node, nodeIdKey: node.nodeId.toString(), mandatory: false }, value);
      }
    }
    return emit(name, ...args);
  };
}
