// The tank farm's layout: areas, tanks, gas detectors and the tags they expose.
// Tag names double as the OPC UA string node ids (ns=1;s=<name>), so this file is
// the single source of truth for the simulator, its tests and resources/station.yaml.

export type TagKind = 'analog' | 'discrete' | 'text';
export type TagRole =
  | 'level' | 'temperature' | 'pressure' | 'inletValve' | 'outletValve' | 'pump'
  | 'highLevelSwitch' | 'product' | 'lel' | 'toxic' | 'esd' | 'other';
export type SimDataType = 'Double' | 'Boolean' | 'String';

/** An engineering unit: display symbol plus UNECE common code (OPC UA EUInformation). */
export interface SimUnit { symbol: string; unece: string; name: string }

export const UNITS = {
  metre: { symbol: 'm', unece: 'MTR', name: 'metre' },
  celsius: { symbol: '°C', unece: 'CEL', name: 'degree Celsius' },
  millibar: { symbol: 'mbar', unece: 'MBR', name: 'millibar (gauge)' },
  percent: { symbol: '%', unece: 'P1', name: 'percent' },
  percentLel: { symbol: '%LEL', unece: 'P1', name: 'percent of lower explosive limit' },
  ppm: { symbol: 'ppm', unece: '59', name: 'part per million' },
} as const satisfies Record<string, SimUnit>;

export interface SimTagInfo {
  /** Unique tag name, e.g. "Area1.TK101.Level"; also the string part of the node id. */
  name: string;
  /** Full node id in the server's own namespace, e.g. "ns=1;s=Area1.TK101.Level". */
  nodeId: string;
  kind: TagKind;
  dataType: SimDataType;
  description: string;
  area: string;
  equipment: string;
  role: TagRole;
  unit?: SimUnit;
  /** EU range [low, high] (analog only). */
  range?: [number, number];
  /** Instrument resolution the value is quantised to (analog only). */
  resolution?: number;
}

export interface TankSpec {
  area: string;
  id: string;
  product: string;
  /** Shell height = EU high of the level transmitter; the tank overflows above it. */
  height: number;
  lowSetpoint: number;
  highSetpoint: number;
  /** Independent SIS high-level switch trip point (above highSetpoint). */
  switchLevel: number;
  /** Level rise with the inlet fully open, m/s. */
  fillRate: number;
  /** Level fall with the pump running and the outlet fully open, m/s. */
  drainRate: number;
  /** Mean ambient-driven product temperature, °C. */
  baseTemp: number;
  /** Temperature of product arriving through the inlet, °C. */
  feedTemp: number;
}

export interface DetectorSpec {
  area: string;
  id: string;
  gas: string;
  role: 'lel' | 'toxic';
  unit: SimUnit;
  range: [number, number];
  resolution: number;
  /** Reading noise (standard deviation) around zero. */
  noise: number;
  /** Concentration at which the area's ESD trips. */
  tripLevel: number;
  /** Concentration a leak next to the detector settles at. */
  leakPeak: number;
}

export interface AreaSpec { id: string; name: string; tanks: TankSpec[]; detectors: DetectorSpec[] }

const tank = (area: string, id: string, product: string, height: number, fillRate: number,
  drainRate: number, baseTemp: number, feedTemp: number): TankSpec => ({
  area, id, product, height, fillRate, drainRate, baseTemp, feedTemp,
  lowSetpoint: round3(height * 0.15), highSetpoint: round3(height * 0.8), switchLevel: round3(height * 0.9),
});

function round3(x: number): number { return Math.round(x * 1000) / 1000; }

export const PLANT: readonly AreaSpec[] = [
  {
    id: 'Area1', name: 'Area 1 – Flammables',
    tanks: [
      tank('Area1', 'TK101', 'Methanol', 20, 0.020, 0.025, 18, 14),
      tank('Area1', 'TK102', 'Ethanol', 20, 0.015, 0.020, 19, 15),
      tank('Area1', 'TK103', 'Acetone', 16, 0.018, 0.022, 17, 12),
      tank('Area1', 'TK104', 'Toluene', 16, 0.012, 0.016, 20, 16),
    ],
    detectors: [
      { area: 'Area1', id: 'GD101', gas: 'flammable gas', role: 'lel', unit: UNITS.percentLel, range: [0, 100],
        resolution: 0.1, noise: 0.25, tripLevel: 40, leakPeak: 60 },
      { area: 'Area1', id: 'GD102', gas: 'flammable gas', role: 'lel', unit: UNITS.percentLel, range: [0, 100],
        resolution: 0.1, noise: 0.25, tripLevel: 40, leakPeak: 60 },
    ],
  },
  {
    id: 'Area2', name: 'Area 2 – Toxics',
    tanks: [
      tank('Area2', 'TK201', 'Ammonia solution 25%', 12, 0.010, 0.014, 16, 12),
      tank('Area2', 'TK202', 'Hydrochloric acid 33%', 12, 0.012, 0.015, 17, 13),
      tank('Area2', 'TK203', 'Sodium hypochlorite 15%', 10, 0.010, 0.012, 15, 11),
      tank('Area2', 'TK204', 'Nitric acid 60%', 10, 0.008, 0.011, 18, 14),
    ],
    detectors: [
      { area: 'Area2', id: 'GD201', gas: 'NH3', role: 'toxic', unit: UNITS.ppm, range: [0, 100],
        resolution: 0.1, noise: 0.2, tripLevel: 50, leakPeak: 80 },
      { area: 'Area2', id: 'GD202', gas: 'HCl', role: 'toxic', unit: UNITS.ppm, range: [0, 30],
        resolution: 0.1, noise: 0.1, tripLevel: 10, leakPeak: 20 },
    ],
  },
];

/** Blanket-gas pressure transmitter range (mbar g); the breather vents outside it. */
export const PRESSURE_RANGE: [number, number] = [-10, 60];
export const TEMPERATURE_RANGE: [number, number] = [-20, 60];

function analog(name: string, description: string, area: string, equipment: string, role: TagRole,
  unit: SimUnit, range: [number, number], resolution: number): SimTagInfo {
  return { name, nodeId: nodeIdOf(name), kind: 'analog', dataType: 'Double', description, area, equipment,
    role, unit, range, resolution };
}

function plain(name: string, description: string, area: string, equipment: string, role: TagRole,
  kind: 'discrete' | 'text'): SimTagInfo {
  return { name, nodeId: nodeIdOf(name), kind, dataType: kind === 'discrete' ? 'Boolean' : 'String',
    description, area, equipment, role };
}

export function nodeIdOf(name: string): string { return `ns=1;s=${name}`; }

export function tankTags(t: TankSpec): SimTagInfo[] {
  const p = `${t.area}.${t.id}`;
  const n = t.id.slice(2);
  return [
    analog(`${p}.Level`, `Tank ${n} level`, t.area, t.id, 'level', UNITS.metre, [0, t.height], 0.001),
    analog(`${p}.Temperature`, `Tank ${n} temperature`, t.area, t.id, 'temperature', UNITS.celsius,
      TEMPERATURE_RANGE, 0.1),
    analog(`${p}.Pressure`, `Tank ${n} blanket pressure`, t.area, t.id, 'pressure', UNITS.millibar,
      PRESSURE_RANGE, 0.1),
    analog(`${p}.InletValve`, `Tank ${n} inlet valve position`, t.area, t.id, 'inletValve', UNITS.percent,
      [0, 100], 0.1),
    analog(`${p}.OutletValve`, `Tank ${n} outlet valve position`, t.area, t.id, 'outletValve', UNITS.percent,
      [0, 100], 0.1),
    plain(`${p}.PumpRunning`, `Tank ${n} transfer pump running`, t.area, t.id, 'pump', 'discrete'),
    plain(`${p}.HighLevelSwitch`, `Tank ${n} high-level switch (SIS, trips at ${t.switchLevel} m)`, t.area, t.id,
      'highLevelSwitch', 'discrete'),
    plain(`${p}.Product`, `Tank ${n} product`, t.area, t.id, 'product', 'text'),
  ];
}

export function detectorTag(d: DetectorSpec): SimTagInfo {
  const what = d.role === 'lel' ? 'flammable gas' : d.gas;
  return analog(`${d.area}.${d.id}.Concentration`, `Gas detector ${d.id.slice(2)}: ${what}`, d.area, d.id, d.role,
    d.unit, d.range, d.resolution);
}

export function esdTag(area: AreaSpec): SimTagInfo {
  return plain(`${area.id}.ESD.Tripped`, `${area.name} emergency shutdown tripped`, area.id, 'ESD', 'esd',
    'discrete');
}

export function extraTagName(index: number, count: number): string {
  return `Extra.Tag${String(index + 1).padStart(Math.max(4, String(count).length), '0')}`;
}

export function extraTag(index: number, count: number): SimTagInfo {
  const name = extraTagName(index, count);
  return analog(name, `Load-test tag ${index + 1}`, 'Extra', name.slice('Extra.'.length), 'other', UNITS.percent,
    [0, 100], 0.01);
}
