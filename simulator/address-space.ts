// Binds the plant model's tags to an OPC UA address space:
//   Objects/Area1 (folder)/TK101 (object)/Level (AnalogItemType, ns=1;s=Area1.TK101.Level)
//   Objects/Extra (folder)/Tag0001 ...
//   Objects/Simulation: TriggerScenario(name, target), ClearScenarios(), ActiveScenarios, Tick
import {
  DataType, StatusCodes, Variant, VariantArrayType, makeEUInformation,
  type CallMethodResultOptions, type ISessionContext, type Namespace, type StatusCode, type UAObject, type UAVariable,
} from 'node-opcua';
import type { SimTagInfo } from './model/catalog.js';
import type { SimValue } from './model/plant.js';
import { decimalsOf } from './model/prng.js';
import { formatScenario, type ScenarioRequest } from './model/scenarios.js';

const DATA_TYPES = { Double: DataType.Double, Boolean: DataType.Boolean, String: DataType.String } as const;

export interface SimulationControls {
  trigger(request: ScenarioRequest): ScenarioRequest;
  clear(): void;
}

export interface PlantNodes {
  /** One variable per tag, aligned with the model's tags. */
  variables: UAVariable[];
  activeScenarios: UAVariable;
  tick: UAVariable;
}

export function buildAddressSpace(ns: Namespace, tags: readonly SimTagInfo[], initial: readonly SimValue[],
  controls: SimulationControls): PlantNodes {
  const objects = ns.addressSpace.rootFolder.objects;
  const parents = new Map<string, UAObject>();
  // "Area1.TK101" -> object under folder "Area1"; "Extra" -> folder only.
  const parentOf = (path: string): UAObject => {
    const found = parents.get(path);
    if (found) return found;
    const dot = path.lastIndexOf('.');
    const node = dot < 0
      ? ns.addFolder(objects, { browseName: path, nodeId: `s=${path}` })
      : ns.addObject({ organizedBy: parentOf(path.slice(0, dot)), browseName: path.slice(dot + 1), nodeId: `s=${path}` });
    parents.set(path, node);
    return node;
  };

  const variables = tags.map((tag, i) => {
    const dot = tag.name.lastIndexOf('.');
    const parentPath = tag.name.slice(0, dot);
    const parent = parentOf(parentPath);
    const common = {
      nodeId: `s=${tag.name}`,
      browseName: tag.name.slice(dot + 1),
      description: tag.description,
      // Exception-based: a client's monitored item is notified when the tick sets a new value.
      minimumSamplingInterval: 0,
      accessLevel: 'CurrentRead',
      userAccessLevel: 'CurrentRead',
      ...(parentPath.includes('.') ? { componentOf: parent } : { organizedBy: parent }),
    };
    const value = { dataType: DATA_TYPES[tag.dataType], value: initial[i] };
    if (tag.kind === 'analog' && tag.unit && tag.range) {
      return ns.addAnalogDataItem({
        ...common, dataType: 'Double', value,
        engineeringUnitsRange: { low: tag.range[0], high: tag.range[1] },
        engineeringUnits: makeEUInformation(tag.unit.unece, tag.unit.symbol, tag.unit.name),
        // ValuePrecision is in digits after the decimal point: 0.001 m -> 3.
        ...(tag.resolution !== undefined ? { valuePrecision: decimalsOf(tag.resolution) } : {}),
      }) as unknown as UAVariable;
    }
    return ns.addVariable({ ...common, dataType: tag.dataType, value });
  });

  const sim = ns.addObject({ organizedBy: objects, browseName: 'Simulation', nodeId: 's=Simulation' });
  const activeScenarios = ns.addVariable({
    componentOf: sim, browseName: 'ActiveScenarios', nodeId: 's=Simulation.ActiveScenarios',
    description: 'Scenarios in effect, "name:target" each', dataType: 'String', valueRank: 1,
    arrayDimensions: [0], minimumSamplingInterval: 0,
    value: { dataType: DataType.String, arrayType: VariantArrayType.Array, value: [] },
  });
  const tick = ns.addVariable({
    componentOf: sim, browseName: 'Tick', nodeId: 's=Simulation.Tick', dataType: 'UInt32',
    description: 'Ticks simulated since start', minimumSamplingInterval: 0,
    value: { dataType: DataType.UInt32, value: 0 },
  });

  const triggerMethod = ns.addMethod(sim, {
    browseName: 'TriggerScenario', nodeId: 's=Simulation.TriggerScenario',
    description: 'Starts a scenario: overfill, gasLeak, pumpTrip, sensorFailure or frozen',
    inputArguments: [
      { name: 'name', dataType: DataType.String, description: 'overfill | gasLeak | pumpTrip | sensorFailure | frozen' },
      { name: 'target', dataType: DataType.String, description: 'a tank (Area1.TK101), area or detector (Area1, Area1.GD101), or tag name' },
    ],
    outputArguments: [{ name: 'message', dataType: DataType.String, description: 'what was done, or why not' }],
  });
  // node-opcua tells a promise-returning method from a callback one by its arity: keep both parameters.
  triggerMethod.bindMethod(async (args: Variant[], _context: ISessionContext): Promise<CallMethodResultOptions> => {
    const [name, target] = args.map((a) => a.value as unknown);
    if (typeof name !== 'string' || typeof target !== 'string') {
      return reply(StatusCodes.BadInvalidArgument, 'expected two String arguments: name, target');
    }
    try {
      const started = controls.trigger({ name, target } as ScenarioRequest);
      return reply(StatusCodes.Good, `started ${formatScenario(started)}`);
    } catch (err) {
      // An unknown name or target is the caller's mistake: say which, as the method's output.
      return reply(StatusCodes.BadInvalidArgument, (err as Error).message);
    }
  });

  const clearMethod = ns.addMethod(sim, {
    browseName: 'ClearScenarios', nodeId: 's=Simulation.ClearScenarios',
    description: 'Ends every scenario and resets the emergency shutdowns', inputArguments: [], outputArguments: [],
  });
  clearMethod.bindMethod(async (_args: Variant[], _context: ISessionContext): Promise<CallMethodResultOptions> => {
    controls.clear();
    return { statusCode: StatusCodes.Good, outputArguments: [] };
  });

  return { variables, activeScenarios, tick };
}

function reply(statusCode: StatusCode, message: string): CallMethodResultOptions {
  return { statusCode, outputArguments: [new Variant({ dataType: DataType.String, value: message })] };
}
