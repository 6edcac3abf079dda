// One storage tank: its fill/empty controller, valves, transfer pump, level,
// temperature and blanket pressure, stepped in simulated seconds.
import type { TankSpec } from './catalog.js';
import type { Random } from './prng.js';

export type TankMode = 'filling' | 'holdFull' | 'emptying' | 'holdEmpty';

export interface TankState {
  readonly spec: TankSpec;
  mode: TankMode;
  /** Seconds left in a hold (holdFull / holdEmpty). */
  holdS: number;
  level: number;
  /** Level change over the last step, m/s; drives the blanket pressure. */
  levelRate: number;
  temperature: number;
  pressure: number;
  /** Actual valve positions, % open. */
  inlet: number;
  outlet: number;
  pump: boolean;
  highLevelSwitch: boolean;
  /** Scenario overrides. */
  inletStuckOpen: boolean;
  pumpTripped: boolean;
}

const VALVE_SPEED = 20; // %/s: a 5 s full stroke
const SWITCH_HYSTERESIS = 0.05; // m
const TAU_AMBIENT_S = 4 * 3600; // product temperature follows ambient over hours
const TAU_PRESSURE_S = 20;
const BLANKET_MBAR = 20; // nitrogen blanket set point
const VENT_MBAR = 50; // breather valve relieves above this...
const VACUUM_MBAR = -5; // ...and breaks vacuum below this
const HOLD_MIN_S = 30;
const HOLD_MAX_S = 180;

export function initialTank(spec: TankSpec, rnd: Random): TankState {
  const span = spec.highSetpoint - spec.lowSetpoint;
  const level = spec.lowSetpoint + span * (0.1 + 0.8 * rnd.next());
  const filling = rnd.next() < 0.5;
  return {
    spec, mode: filling ? 'filling' : 'emptying', holdS: 0, level, levelRate: 0,
    temperature: spec.baseTemp + rnd.normal(1), pressure: BLANKET_MBAR,
    inlet: filling ? 100 : 0, outlet: filling ? 0 : 100, pump: !filling,
    highLevelSwitch: false, inletStuckOpen: false, pumpTripped: false,
  };
}

export interface TankInputs {
  dtS: number;
  /** Ambient temperature deviation from its daily mean, °C. */
  ambientDelta: number;
  /** The area's ESD is tripped: inlets close, pumps stop, outlets close. */
  esdTripped: boolean;
}

export function stepTank(s: TankState, inp: TankInputs, rnd: Random): void {
  const { spec } = s;
  const { dtS } = inp;
  let inletCmd = 0;
  let outletCmd = 0;
  let pumpCmd = false;
  if (!inp.esdTripped) {
    switch (s.mode) {
      case 'filling':
        inletCmd = 100;
        // With the inlet stuck open the controller keeps waiting for the level to settle.
        if (s.level >= spec.highSetpoint && !s.inletStuckOpen) enterHold(s, 'holdFull', rnd);
        break;
      case 'emptying':
        outletCmd = 100;
        // The pump starts once its suction valve is mostly open.
        pumpCmd = s.outlet >= 50;
        if (s.level <= spec.lowSetpoint) enterHold(s, 'holdEmpty', rnd);
        break;
      case 'holdFull':
      case 'holdEmpty':
        s.holdS -= dtS;
        if (s.holdS <= 0) s.mode = s.mode === 'holdFull' ? 'emptying' : 'filling';
        break;
    }
  }
  s.inlet = s.inletStuckOpen ? 100 : towards(s.inlet, inletCmd, VALVE_SPEED * dtS);
  s.outlet = towards(s.outlet, outletCmd, VALVE_SPEED * dtS);
  s.pump = pumpCmd && !s.pumpTripped;

  const rise = (spec.fillRate * s.inlet) / 100;
  const fall = s.pump ? (spec.drainRate * s.outlet) / 100 : 0;
  const before = s.level;
  // Above the shell height the product overflows into the bund: the level stays at the top.
  s.level = clamp(s.level + (rise - fall) * dtS, 0, spec.height);
  s.levelRate = (s.level - before) / dtS;

  if (s.level >= spec.switchLevel) s.highLevelSwitch = true;
  else if (s.level < spec.switchLevel - SWITCH_HYSTERESIS) s.highLevelSwitch = false;

  // Product follows ambient slowly; incoming feed mixes in at its own temperature.
  const equilibrium = spec.baseTemp + inp.ambientDelta;
  const mixing = s.level > 0.1 ? rise / s.level : 0;
  s.temperature += ((equilibrium - s.temperature) / TAU_AMBIENT_S + mixing * (spec.feedTemp - s.temperature)) * dtS;

  // Filling compresses the blanket gas, emptying draws it down; warm product raises it.
  const target = BLANKET_MBAR + 500 * s.levelRate + 0.5 * (s.temperature - spec.baseTemp);
  s.pressure += (target - s.pressure) * (1 - Math.exp(-dtS / TAU_PRESSURE_S));
  s.pressure = clamp(s.pressure, VACUUM_MBAR, VENT_MBAR);
}

/** Overfill: the inlet sticks fully open and nothing draws from the tank. */
export function startOverfill(s: TankState): void {
  s.inletStuckOpen = true;
  s.mode = 'filling';
}

/** Back to normal control after a scenario ends: a tank left above its high set point empties. */
export function resumeControl(s: TankState): void {
  s.inletStuckOpen = false;
  s.pumpTripped = false;
  if (s.level >= s.spec.highSetpoint && s.mode === 'filling') s.mode = 'emptying';
}

function enterHold(s: TankState, mode: 'holdFull' | 'holdEmpty', rnd: Random): void {
  s.mode = mode;
  s.holdS = HOLD_MIN_S + (HOLD_MAX_S - HOLD_MIN_S) * rnd.next();
}

function towards(from: number, to: number, maxStep: number): number {
  return from < to ? Math.min(to, from + maxStep) : Math.max(to, from - maxStep);
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
