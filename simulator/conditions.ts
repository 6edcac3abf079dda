// OPC UA Alarms & Conditions (Part 9) of the simulated plant: each area's ESD trip is an
// AlarmCondition (with ConfirmedState) whose source is the area's ESD object, so a client
// monitoring events on the Server object sees it raised, acknowledged, confirmed and cleared,
// and gets it again from ConditionRefresh. Driven from the model at every tick (not by
// node-opcua's input monitoring, which drops Retain on return even when unacknowledged).
import { StatusCodes, type Namespace, type UAAlarmConditionEx, type UAObject, type UAVariable } from 'node-opcua';
import type { AreaSpec, SimTagInfo } from './model/catalog.js';
import type { SimValue } from './model/plant.js';

/** OPC UA severity of an ESD trip (1..1000): the highest band. */
export const ESD_SEVERITY = 900;

interface EsdCondition {
  index: number;
  area: AreaSpec;
  alarm: UAAlarmConditionEx;
  tripped: boolean;
}

export interface PlantConditions {
  /** Compares the tick's values with the conditions' states; raises what changed. */
  update(values: readonly SimValue[]): void;
}

export function addEsdConditions(ns: Namespace, areas: readonly AreaSpec[], tags: readonly SimTagInfo[], variables: readonly UAVariable[]): PlantConditions {
  const addressSpace = ns.addressSpace;
  const server = addressSpace.rootFolder.objects.server;
  // Binds ConditionRefresh, Acknowledge, Confirm, ... on the condition types.
  addressSpace.installAlarmsAndConditionsService();
  const conditions: EsdCondition[] = [];
  for (const area of areas) {
    const index = tags.findIndex((t) => t.role === 'esd' && t.area === area.id);
    if (index < 0) continue;
    const folder = addressSpace.findNode(`ns=${ns.index};s=${area.id}`) as UAObject;
    const esd = addressSpace.findNode(`ns=${ns.index};s=${area.id}.ESD`) as UAObject;
    // Events bubble up Server <- area folder <- ESD object, so a client on the Server object gets them.
    folder.setEventNotifier(1);
    esd.setEventNotifier(1);
    server.addReference({ referenceType: 'HasNotifier', nodeId: folder });
    folder.addReference({ referenceType: 'HasEventSource', nodeId: esd });
    const alarm = ns.instantiateAlarmCondition('AlarmConditionType', {
      browseName: 'TripAlarm', nodeId: `s=${area.id}.ESD.TripAlarm`, componentOf: esd, conditionSource: esd,
      conditionName: 'ESDTrip', inputNode: variables[index]!, optionals: ['ConfirmedState', 'Confirm'],
    });
    alarm.currentBranch().setConfirmedState(true);
    conditions.push({ index, area, alarm, tripped: false });
  }
  return {
    update(values) {
      for (const c of conditions) {
        const tripped = values[c.index] === true;
        if (tripped === c.tripped) continue;
        c.tripped = tripped;
        const branch = c.alarm.currentBranch();
        const message = `${c.area.name}: emergency shutdown ${tripped ? 'tripped' : 'reset'}`;
        if (tripped) {
          c.alarm.activateAlarm();
          branch.setConfirmedState(true);
        } else {
          // Kept (Retain) until it is acknowledged and confirmed: the operator must see the return.
          c.alarm.deactivateAlarm(!branch.getAckedState() || !branch.getConfirmedState());
        }
        c.alarm.raiseNewCondition({ message, severity: ESD_SEVERITY, quality: StatusCodes.Good, retain: branch.getRetain() });
      }
    },
  };
}
