/**
 * An address space unlike the simulator's: numeric node ids in namespace 2,
 * folders nested four deep, a vendor DataType derived from Double, an
 * enumeration, 64-bit counters beyond 2^53, an array and a structure, a
 * variable typed BaseDataType, and history kept for the analog values.
 *
 *   Objects/Plant/Site North/Unit 7/Tanks/T-1/{Level, Temperature, ...}
 */
import {
  DataType, StatusCodes, VariantArrayType, makeEUInformation, type AddressSpace, type Namespace, type StatusCode, type UAObject, type UAVariable, type VariantOptions,
} from 'node-opcua';

export interface OddPlant {
  build(ns: Namespace, addressSpace: AddressSpace): void;
  nodes: Record<string, UAVariable>;
  /** Node ids of the variables by name ("ns=2;i=21001"). */
  ids: Record<string, string>;
  set(name: string, value: VariantOptions, status?: StatusCode): void;
}

interface VarSpec {
  id: number;
  name: string;
  dataType: DataType | 'Percent' | 'Mode' | 'ValveState';
  value: unknown;
  valueRank?: number;
  history?: boolean;
}

export const TWO_53_PLUS = [0x00200000, 0x00000003]; // [high, low]: 2^53 + 3 as node-opcua keeps UInt64

export const ODD_VARIABLES: VarSpec[] = [
  { id: 21001, name: 'Level', dataType: DataType.Double, value: 12.5, history: true },
  { id: 21002, name: 'Temperature', dataType: DataType.Float, value: 21.25, history: true },
  { id: 21003, name: 'Running', dataType: DataType.Boolean, value: true },
  { id: 21004, name: 'Mode', dataType: 'Mode', value: 1 },
  { id: 21013, name: 'Valve', dataType: 'ValveState', value: 2 },
  { id: 21005, name: 'Counter', dataType: DataType.UInt64, value: TWO_53_PLUS },
  { id: 21006, name: 'Offset', dataType: DataType.Int64, value: [0xffffffff, 0xfffffffe] },
  { id: 21007, name: 'Small', dataType: DataType.SByte, value: -7 },
  { id: 21008, name: 'Octet', dataType: DataType.Byte, value: 200 },
  { id: 21009, name: 'Short', dataType: DataType.Int16, value: -300 },
  { id: 21010, name: 'Word', dataType: DataType.UInt16, value: 60000 },
  { id: 21011, name: 'Long', dataType: DataType.Int32, value: -70000 },
  { id: 21012, name: 'DWord', dataType: DataType.UInt32, value: 4000000000 },
  { id: 21020, name: 'Batch', dataType: DataType.String, value: 'B-0042' },
  { id: 21021, name: 'Label', dataType: DataType.LocalizedText, value: { text: 'Tank one', locale: 'en' } },
  { id: 21022, name: 'Calibrated', dataType: DataType.DateTime, value: new Date(Date.UTC(2024, 4, 17, 8, 30)) },
  { id: 21030, name: 'Profile', dataType: DataType.Double, value: [1, 2, 3], valueRank: 1 },
  { id: 21031, name: 'Limits', dataType: DataType.ExtensionObject, value: null },
  { id: 21040, name: 'Reading', dataType: DataType.Double, value: 3.5, history: true },
  { id: 21041, name: 'Opening', dataType: 'Percent', value: 42 },
  { id: 21042, name: 'Anything', dataType: DataType.Variant, value: 1.5 },
];

export function oddPlant(): OddPlant {
  const nodes: Record<string, UAVariable> = {};
  const ids: Record<string, string> = {};
  for (const v of ODD_VARIABLES) ids[v.name] = `ns=2;i=${v.id}`;
  return {
    nodes,
    ids,
    set(name, value, status = StatusCodes.Good) {
      nodes[name]!.setValueFromSource(value, status, new Date());
    },
    build(ns, addressSpace) {
      const folder = (parent: UAObject, name: string, id: number) => ns.addFolder(parent, { browseName: name, nodeId: `i=${id}` });
      const plant = folder(addressSpace.rootFolder.objects, 'Plant', 20100);
      const tank = folder(folder(folder(folder(plant, 'Site North', 20101), 'Unit 7', 20102), 'Tanks', 20103), 'T-1', 20104);
      const percent = ns.createDataType({ browseName: 'Percent', nodeId: 'i=23000', isAbstract: false, subtypeOf: 'Double' });
      const mode = ns.addEnumerationType({ browseName: 'OperatingMode', nodeId: 'i=23001', enumeration: ['Off', 'Auto', 'Manual'] });
      // EnumValues rather than EnumStrings: values that are not 0, 1, 2 ...
      const valve = ns.addEnumerationType({
        browseName: 'ValveState', nodeId: 'i=23002',
        enumeration: [{ displayName: 'Closed', value: 0 }, { displayName: 'Open', value: 2 }, { displayName: 'Fault', value: 9 }],
      });
      const rangeType = addressSpace.findDataType('Range')!;
      for (const v of ODD_VARIABLES) {
        const common = { componentOf: tank, browseName: v.name, nodeId: `i=${v.id}`, minimumSamplingInterval: 0, accessLevel: v.history ? 'CurrentRead | HistoryRead' : 'CurrentRead' };
        let node: UAVariable;
        if (v.name === 'Level') {
          node = ns.addAnalogDataItem({
            ...common, dataType: 'Double', engineeringUnitsRange: { low: 0, high: 25 },
            engineeringUnits: makeEUInformation('MTR', 'm', 'metre'), value: { dataType: DataType.Double, value: v.value as number },
          }) as unknown as UAVariable;
        } else if (v.dataType === 'Percent') {
          node = ns.addVariable({ ...common, dataType: percent, value: { dataType: DataType.Double, value: v.value } });
        } else if (v.dataType === 'Mode' || v.dataType === 'ValveState') {
          node = ns.addVariable({ ...common, dataType: v.dataType === 'Mode' ? mode : valve, value: { dataType: DataType.Int32, value: v.value } });
        } else if (v.name === 'Limits') {
          node = ns.addVariable({ ...common, dataType: rangeType });
        } else if (v.dataType === DataType.Variant) {
          node = ns.addVariable({ ...common, dataType: 'BaseDataType', value: { dataType: DataType.Double, value: v.value } });
        } else {
          node = ns.addVariable({
            ...common, dataType: DataType[v.dataType], valueRank: v.valueRank ?? -1,
            ...(v.valueRank === 1 ? { arrayDimensions: [0] } : {}),
            value: { dataType: v.dataType, value: v.value, arrayType: v.valueRank === 1 ? VariantArrayType.Array : VariantArrayType.Scalar },
          });
        }
        if (v.history) addressSpace.installHistoricalDataNode(node, { maxOnlineValues: 10_000 });
        nodes[v.name] = node;
      }
    },
  };
}
