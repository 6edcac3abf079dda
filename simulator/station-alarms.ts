// Alarm definitions of the demo tank farm, written into resources/station.yaml by
// station-yaml.ts. Limits sit outside the band the simulated plant moves in (so normal
// operation raises nothing) and inside the band the scenarios drive it to, with the
// ISA-18.2 rationalization (cause, consequence, corrective action) of each.
import type { DetectorSpec, SimTagInfo, TankSpec } from './model/catalog.js';

interface Limit { value: number; priority: number; message: string; cause: string; consequence: string; action: string }

function text(s: string): string {
  const plain = /^[A-Za-z][\w .,;°%/()–-]*$/.test(s) && !/: |#/.test(s) && !s.endsWith(' ');
  return plain ? s : JSON.stringify(s);
}

const round = (x: number, step: number) => Math.round(x / step) * step;
const fixed = (x: number) => Number(x.toFixed(3));

function limitLines(indent: string, key: string, l: Limit): string[] {
  return [
    `${indent}${key}:`,
    `${indent}  value: ${fixed(l.value)}`,
    `${indent}  priority: ${l.priority}`,
    `${indent}  message: ${text(l.message)}`,
    `${indent}  cause: ${text(l.cause)}`,
    `${indent}  consequence: ${text(l.consequence)}`,
    `${indent}  action: ${text(l.action)}`,
  ];
}

const I = '      ';

/**
 * An instrument diagnostic (bad-PV) alarm, which ISA-18.2 counts as an alarm: the tag's status is
 * bad (sensor failure, out of range) and the alarms on it cannot work. Its priority follows what is
 * lost, as the level transmitter's and the gas detector's do.
 */
function badQuality(q: { priority: number; shelvable?: false; message: string; cause: string; consequence: string; action: string }): string[] {
  return [
    `${I}badQuality:`,
    `${I}  priority: ${q.priority}`,
    `${I}  onDelayS: 5`,
    ...(q.shelvable === false ? [`${I}  shelvable: false`] : []),
    `${I}  message: ${text(q.message)}`,
    `${I}  cause: ${text(q.cause)}`,
    `${I}  consequence: ${text(q.consequence)}`,
    `${I}  action: ${text(q.action)}`,
  ];
}

/**
 * Frozen-value window (s): a stuck transmitter (Good status, a value that stopped moving) is an
 * instrument diagnostic too. Every measurement below is noisier than its resolution, so a live one
 * never holds a value that long: at most about 45 s in hours of normal operation (temperature, the
 * slowest; a gas detector at 0 with its noise clamped at zero, under 20 s), so ten minutes never fire
 * on a live signal and still catch a tank level frozen while the tank fills.
 */
export const FROZEN_AFTER_S = 600;

/**
 * The frozen-value alarm: its priority and shelving as the tag's bad-quality alarm, no delays (the
 * window is one; a change is proof). Its message names the transmitter as the bad-quality one does
 * ("TK101 level transmitter frozen"): the station's own text repeats the tag path, which the banner
 * already shows in its own column, and left the message column only "<tag>: value fro…".
 */
function frozen(q: { priority: number; shelvable?: false; message: string; consequence: string; action: string }): string[] {
  return [
    `${I}frozen:`,
    `${I}  afterS: ${FROZEN_AFTER_S}             # unchanged this long while Good: stuck`,
    `${I}  priority: ${q.priority}`,
    `${I}  onDelayS: 0`,
    `${I}  offDelayS: 0`,
    ...(q.shelvable === false ? [`${I}  shelvable: false`] : []),
    `${I}  message: ${text(q.message)}`,
    `${I}  cause: Transmitter stuck, frozen in its last value (electronics, a blocked sensing line, a gateway repeating its last reading).`,
    `${I}  consequence: ${text(q.consequence)}`,
    `${I}  action: ${text(q.action)}`,
  ];
}

function level(t: TankSpec): string[] {
  const n = t.id, h = t.height, p = t.product;
  return [
    '    alarms:',
    `${I}deadbandPercent: 5`,
    `${I}onDelayS: 10              # the demo tanks fill in minutes; a real tank starts at 60 s`,
    `${I}offDelayS: 10`,
    `${I}limits:`,
    ...limitLines(`${I}  `, 'HH', {
      value: round(h * 0.88, 0.1), priority: 1, message: `${n} ${p} level high-high`,
      cause: 'Inlet valve stuck open or the transfer not stopped at the high set point.',
      consequence: `Overfill of ${p} into the bund within minutes; the high-level switch trips the area ESD.`,
      action: `Stop the transfer into ${n} now and close its inlet valve; check the line-up.`,
    }),
    ...limitLines(`${I}  `, 'H', {
      value: round(h * 0.85, 0.1), priority: 2, message: `${n} ${p} level high`,
      cause: `Filling went past the ${t.highSetpoint} m set point.`,
      consequence: 'Less margin before overfill and the ESD trip.',
      action: `Check that the inlet of ${n} closed; stop the transfer if it is still filling.`,
    }),
    ...limitLines(`${I}  `, 'L', {
      value: round(h * 0.1, 0.1), priority: 3, message: `${n} ${p} level low`,
      cause: `Emptying went past the ${t.lowSetpoint} m set point.`,
      consequence: 'The transfer pump will soon run dry.',
      action: `Check that the outlet of ${n} closed and the pump stopped.`,
    }),
    ...limitLines(`${I}  `, 'LL', {
      value: round(h * 0.05, 0.1), priority: 2, message: `${n} ${p} level low-low`,
      cause: 'The pump kept drawing after the low set point.',
      consequence: 'Pump cavitation and seal damage; possible release.',
      action: `Stop the transfer pump of ${n} and close its outlet valve.`,
    }),
    `${I}badQuality:`,
    `${I}  priority: 3`,
    `${I}  onDelayS: 5`,
    `${I}  message: ${text(`${n} level transmitter failed`)}`,
    `${I}  cause: Level transmitter fault or wiring.`,
    `${I}  consequence: Level alarms cannot work; only the independent high-level switch protects the tank.`,
    `${I}  action: Do not transfer into or out of the tank; call instrumentation.`,
    ...frozen({
      priority: 3, message: `${n} level transmitter frozen`,
      consequence: 'The level shown is not the level: a rising level would reach overfill unseen; only the high-level switch protects the tank.',
      action: `Stop transfers into or out of ${n}; check the level locally (gauge, dip); call instrumentation.`,
    }),
  ];
}

function temperature(t: TankSpec): string[] {
  const n = t.id, p = t.product;
  return [
    '    alarms:',
    `${I}deadbandPercent: 1`,
    `${I}onDelayS: 60`,
    `${I}offDelayS: 60`,
    `${I}limits:`,
    ...limitLines(`${I}  `, 'HH', {
      value: t.baseTemp + 20, priority: 2, message: `${n} ${p} temperature high-high`,
      cause: 'Heat input: fire nearby, reaction in the tank, or hot product received.',
      consequence: 'Vapour pressure rises; venting of product vapour.',
      action: `Stop any transfer into ${n}; start the cooling water spray; prepare for emergency response.`,
    }),
    ...limitLines(`${I}  `, 'H', {
      value: t.baseTemp + 12, priority: 3, message: `${n} ${p} temperature high`,
      cause: 'Hot product received or heat input from outside.',
      consequence: 'More vapour and breathing losses; approaching the HH limit.',
      action: `Check the temperature of the product received into ${n}; check the surroundings.`,
    }),
    ...limitLines(`${I}  `, 'L', {
      value: t.baseTemp - 14, priority: 3, message: `${n} ${p} temperature low`,
      cause: 'Very cold weather or cold product received.',
      consequence: 'Viscosity and crystallisation problems in lines and pumps.',
      action: 'Check heat tracing of the lines; delay transfers until it warms.',
    }),
    `${I}rateOfChange:`,
    `${I}  limit: 3                   # °C per minute, over 60 s`,
    `${I}  direction: rising`,
    `${I}  windowS: 60`,
    `${I}  priority: 3`,
    `${I}  onDelayS: 0`,
    `${I}  message: ${text(`${n} ${p} temperature rising fast`)}`,
    `${I}  cause: Unexpected heat input or an exothermic reaction.`,
    `${I}  consequence: The temperature may pass its limits before the limit alarms warn.`,
    `${I}  action: ${text(`Stop transfers into ${n} and watch the temperature trend; start cooling if it keeps rising.`)}`,
    ...badQuality({
      priority: 3, message: `${n} temperature transmitter failed`,
      cause: 'Temperature transmitter fault or wiring.',
      consequence: 'The temperature alarms cannot work: heat input into the tank would not be warned of.',
      action: `Read the local temperature gauge of ${n} on rounds; call instrumentation.`,
    }),
    ...frozen({
      priority: 3, message: `${n} temperature transmitter frozen`,
      consequence: 'The temperature shown is not the temperature: heat input into the tank would not be warned of.',
      action: `Read the local temperature gauge of ${n}; call instrumentation.`,
    }),
  ];
}

function pressure(t: TankSpec): string[] {
  const n = t.id;
  return [
    '    alarms:',
    `${I}deadbandPercent: 2`,
    `${I}onDelayS: 15`,
    `${I}offDelayS: 15`,
    `${I}limits:`,
    ...limitLines(`${I}  `, 'HH', {
      value: 48, priority: 2, message: `${n} blanket pressure high-high`,
      cause: 'Filling against a blocked vent or nitrogen regulator stuck open.',
      consequence: 'The breather valve vents product vapour at 50 mbar.',
      action: `Stop filling ${n}; check the vent line and the nitrogen regulator.`,
    }),
    ...limitLines(`${I}  `, 'LL', {
      value: -3, priority: 2, message: `${n} blanket pressure low-low`,
      cause: 'Emptying without nitrogen make-up.',
      consequence: 'The vacuum breaker lets air in at -5 mbar: a flammable atmosphere can form.',
      action: `Stop emptying ${n}; check the nitrogen supply.`,
    }),
    `${I}deviation:`,
    `${I}  setpoint: 20               # mbar: the nitrogen blanket set point`,
    `${I}  high:`,
    `${I}    value: 22`,
    `${I}    priority: 3`,
    `${I}    message: ${text(`${n} blanket pressure above its set point`)}`,
    `${I}    cause: Fast filling or the nitrogen regulator drifting high.`,
    `${I}    consequence: Approaching the venting pressure.`,
    `${I}    action: Slow the transfer; check the nitrogen regulator.`,
    `${I}  low:`,
    `${I}    value: 19`,
    `${I}    priority: 3`,
    `${I}    message: ${text(`${n} blanket pressure below its set point`)}`,
    `${I}    cause: Fast emptying or the nitrogen supply failing.`,
    `${I}    consequence: Approaching vacuum; air may be drawn in.`,
    `${I}    action: Slow the transfer; check the nitrogen supply pressure.`,
    ...badQuality({
      priority: 3, message: `${n} blanket pressure transmitter failed`,
      cause: 'Pressure transmitter fault, blocked impulse line or wiring.',
      consequence: 'The pressure alarms cannot work; only the breather valve and the vacuum breaker protect the tank.',
      action: `Avoid transfers into or out of ${n}; read the local pressure gauge; call instrumentation.`,
    }),
    ...frozen({
      priority: 3, message: `${n} blanket pressure transmitter frozen`,
      consequence: 'The pressure shown is not the pressure: venting or vacuum would not be warned of.',
      action: `Avoid transfers into or out of ${n}; read the local pressure gauge; call instrumentation.`,
    }),
  ];
}

/** The pump trip: the outlet (suction) valve open while the pump is not running. Design suppression while it runs. */
function outletValve(t: TankSpec, pumpTag: string): string[] {
  const n = t.id;
  return [
    '    alarms:',
    `${I}onDelayS: 5                 # the valve strokes in 5 s`,
    `${I}suppressWhen: { tag: ${pumpTag}, equals: true }`,
    `${I}limits:`,
    ...limitLines(`${I}  `, 'H', {
      value: 50, priority: 3, message: `${n} transfer pump tripped`,
      cause: 'Pump motor protection tripped or the pump lost power while emptying.',
      consequence: `${n} does not empty; the receiving tank or ship waits.`,
      action: `Close the outlet valve of ${n}; check the pump motor and its protection relay before a restart.`,
    }),
    ...badQuality({
      priority: 4, message: `${n} outlet valve position failed`,
      cause: 'Valve position transmitter fault or wiring.',
      consequence: `A pump trip of ${n} would not be alarmed; the tank would not empty.`,
      action: `Check the outlet valve of ${n} locally before a transfer; call instrumentation.`,
    }),
  ];
}

function highLevelSwitch(t: TankSpec): string[] {
  return [
    '    alarms:',
    `${I}shelvable: false             # safety instrumented function`,
    `${I}state:`,
    `${I}  when: true`,
    `${I}  priority: 1`,
    `${I}  message: ${text(`${t.id} high-level switch tripped (SIS)`)}`,
    `${I}  cause: ${text(`Level reached ${t.switchLevel} m: the level alarms were missed or the transmitter failed.`)}`,
    `${I}  consequence: The area ESD trips; product may overflow into the bund.`,
    `${I}  action: Confirm all transfers into the tank are stopped; check the bund; find out why the level alarms did not stop it.`,
    ...badQuality({
      priority: 2, shelvable: false, message: `${t.id} high-level switch failed (SIS)`,
      cause: 'Switch fault, wiring or the SIS input card.',
      consequence: 'The overfill protection is lost: an overfill would not trip the area ESD.',
      action: `Do not fill ${t.id} until the switch is repaired; call instrumentation.`,
    }),
  ];
}

function detector(d: DetectorSpec): string[] {
  const u = d.unit.symbol;
  const [h, hh] = d.role === 'lel' ? [10, 20] : d.gas === 'NH3' ? [25, 35] : [2, 5];
  const gas = d.role === 'lel' ? 'flammable gas' : d.gas;
  return [
    '    alarms:',
    `${I}deadbandPercent: 2`,
    `${I}latching: true              # the operator resets after the area is checked`,
    `${I}shelvable: false            # safety alarm`,
    `${I}limits:`,
    ...limitLines(`${I}  `, 'HH', {
      value: hh, priority: 1, message: `${d.id} ${gas} high-high ${hh} ${u}`,
      cause: 'A large release in the area.',
      consequence: `Danger to people${d.role === 'lel' ? ' and of ignition' : ''}; the ESD trips at ${d.tripLevel} ${u}.`,
      action: 'Evacuate the area, call the emergency response team, isolate the leak from the control room.',
    }),
    ...limitLines(`${I}  `, 'H', {
      value: h, priority: 2, message: `${d.id} ${gas} high ${h} ${u}`,
      cause: 'A leak at a flange, valve or pump seal near the detector.',
      consequence: 'The release may grow; exposure of people in the area.',
      action: 'Send nobody in without breathing apparatus; find and isolate the leak.',
    }),
    `${I}badQuality:`,
    `${I}  priority: 2`,
    `${I}  onDelayS: 5`,
    `${I}  shelvable: false`,
    `${I}  message: ${text(`${d.id} gas detector failed`)}`,
    `${I}  cause: Detector fault, poisoned sensor or wiring.`,
    `${I}  consequence: A leak near it would not be detected.`,
    `${I}  action: Put a portable detector in place and call instrumentation.`,
    ...frozen({
      priority: 2, shelvable: false, message: `${d.id} gas detector frozen`,
      consequence: 'The reading shown is not the gas: a leak near it would not be detected.',
      action: 'Put a portable detector in place and call instrumentation.',
    }),
  ];
}

/** The `alarms:` block of a tag, or nothing. */
export function alarmBlock(tag: SimTagInfo, tank?: TankSpec, det?: DetectorSpec): string[] {
  switch (tag.role) {
    case 'level': return level(tank!);
    case 'temperature': return temperature(tank!);
    case 'pressure': return pressure(tank!);
    case 'outletValve': return outletValve(tank!, `${tank!.area}.${tank!.id}.PumpRunning`);
    case 'highLevelSwitch': return highLevelSwitch(tank!);
    case 'lel': case 'toxic': return detector(det!);
    default: return [];
  }
}

/** The station's alarm settings, spelled out so engineers see what they may change. */
export function alarmSettings(): string[] {
  return [
    'alarms:',
    '  priorities:                  # colour, shape and number: never colour alone',
    '    1: { name: Critical, colour: "#e53935", shape: square }',
    '    2: { name: High, colour: "#fb8c00", shape: triangle }',
    '    3: { name: Medium, colour: "#fdd835", shape: diamond }',
    '    4: { name: Low, colour: "#1e88e5", shape: circle }',
    '  shelving:',
    '    maxMinutes: { operator: 480, supervisor: 1440 }',
    '  flood: { windowMinutes: 10, startAbove: 10, endBelow: 5 }',
    '  communication:',
    '    priority: 1',
    '    cause: The OPC UA server stopped answering (network, server or SIS gateway down).',
    '    consequence: No live values and no alarms from that server; its rows are marked suspect.',
    '    action: Watch the plant by other means (field rounds, SIS panel); call the control-system technician.',
    '  journal: { retentionDays: 400 }',
    '  kpi: { operators: 1, fleetingSeconds: 5, staleHours: 24, chatteringCount: 3, chatteringWindowS: 60 }',
    '  keys:                        # F13–F24 of operator keyboards alias F1–F12',
    '    silence: [F9, F21]',
    '    ackSelected: [F10, Space, F22]',
    '    ackPage: [Shift+F10, Shift+F22]',
    '    summary: [F8, F20]',
    '    shelve: [F7, F19]',
    '    selectUp: [ArrowUp]',
    '    selectDown: [ArrowDown]',
    '    goToDisplay: [Enter]',
  ];
}
