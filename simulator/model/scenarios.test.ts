import { describe, expect, it } from 'vitest';
import { PLANT } from './catalog.js';
import { PlantModel } from './plant.js';
import { mulberry32, quantise } from './prng.js';
import { parseScenario, scenarioName } from './scenarios.js';

function stepUntil(m: PlantModel, done: () => boolean, max: number): number {
  for (let i = 0; i < max; i++) {
    if (done()) return i;
    m.step();
  }
  throw new Error(`condition not reached in ${max} ticks (tick ${m.tick})`);
}
const num = (m: PlantModel, name: string): number => m.value(name) as number;

describe('scenario names', () => {
  it('parses name:target and loose spellings', () => {
    expect(parseScenario('overfill:Area1.TK101')).toEqual({ name: 'overfill', target: 'Area1.TK101' });
    expect(parseScenario('gas-leak:Area2')).toEqual({ name: 'gasLeak', target: 'Area2' });
    expect(scenarioName('SENSOR_FAILURE')).toBe('sensorFailure');
  });

  it('says what was expected when the text is wrong', () => {
    expect(() => parseScenario('overfill')).toThrow(/expected <name>:<target>/);
    expect(() => parseScenario('flood:Area1')).toThrow(/unknown scenario "flood": expected one of overfill, gasLeak/);
    const m = new PlantModel();
    expect(() => m.trigger({ name: 'overfill', target: 'Area1.TK999' })).toThrow(/expected a tank \(Area1.TK101,/);
    expect(() => m.trigger({ name: 'gasLeak', target: 'Area9' })).toThrow(/expected an area \(Area1, Area2\)/);
    expect(() => m.trigger({ name: 'frozen', target: 'Nope' })).toThrow(/expected a tag name/);
    expect(m.activeScenarios()).toEqual([]);
  });
});

describe('scenarios', () => {
  it('overfill: the inlet sticks open, the level passes the high switch, the ESD trips; clear recovers', () => {
    const m = new PlantModel({ seed: 2 });
    const tk = PLANT[0].tanks[0];
    m.trigger({ name: 'overfill', target: 'Area1.TK101' });
    expect(m.activeScenarios()).toEqual([{ name: 'overfill', target: 'Area1.TK101' }]);
    stepUntil(m, () => m.value('Area1.TK101.HighLevelSwitch') === true, 4000);
    expect(num(m, 'Area1.TK101.Level')).toBeGreaterThanOrEqual(tk.switchLevel - 0.01);
    expect(m.value('Area1.TK101.InletValve')).toBe(100);
    m.step();
    expect(m.value('Area1.ESD.Tripped')).toBe(true);
    expect(m.value('Area2.ESD.Tripped')).toBe(false);
    // The ESD stops the area's pumps but cannot close a stuck valve: the tank overflows.
    stepUntil(m, () => num(m, 'Area1.TK101.Level') >= tk.height - 0.01, 2000);
    expect(PLANT[0].tanks.map((t) => m.value(`Area1.${t.id}.PumpRunning`))).toEqual([false, false, false, false]);

    m.clear();
    m.step();
    expect(m.value('Area1.ESD.Tripped')).toBe(false);
    stepUntil(m, () => num(m, 'Area1.TK101.Level') < tk.switchLevel - 0.1, 4000);
    expect(m.value('Area1.TK101.HighLevelSwitch')).toBe(false);
    expect(m.value('Area1.ESD.Tripped')).toBe(false);
  });

  it('gasLeak: detectors in the area rise, nearest first, and trip the ESD; clear lets the gas disperse', () => {
    const m = new PlantModel({ seed: 4 });
    m.trigger({ name: 'gasLeak', target: 'Area2.GD202' });
    const ticks = stepUntil(m, () => m.value('Area2.ESD.Tripped') === true, 1000);
    expect(ticks).toBeGreaterThan(10); // a rise, not a step
    expect(num(m, 'Area2.GD202.Concentration')).toBeGreaterThanOrEqual(PLANT[1].detectors[1].tripLevel - 1);
    expect(num(m, 'Area2.GD201.Concentration')).toBeGreaterThan(5);
    expect(num(m, 'Area1.GD101.Concentration')).toBeLessThan(2);
    m.clear();
    stepUntil(m, () => num(m, 'Area2.GD202.Concentration') < 1, 2000);
    expect(m.value('Area2.ESD.Tripped')).toBe(false);
  });

  it('pumpTrip: a running pump stops and stays stopped; the level stops falling', () => {
    const m = new PlantModel({ seed: 6 });
    stepUntil(m, () => m.value('Area2.TK203.PumpRunning') === true, 6000);
    m.trigger({ name: 'pumpTrip', target: 'Area2.TK203' });
    m.step();
    const level = num(m, 'Area2.TK203.Level');
    for (let i = 0; i < 200; i++) {
      m.step();
      expect(m.value('Area2.TK203.PumpRunning')).toBe(false);
    }
    expect(Math.abs(num(m, 'Area2.TK203.Level') - level)).toBeLessThan(0.02); // noise only
    expect(m.value('Area2.TK203.OutletValve')).toBe(100); // the controller still asks to empty
    m.clear();
    stepUntil(m, () => m.value('Area2.TK203.PumpRunning') === true, 10);
  });

  it('sensorFailure: the tag goes BadSensorFailure and stays until cleared', () => {
    const m = new PlantModel({ seed: 8 });
    m.trigger({ name: 'sensorFailure', target: 'Area1.TK102.Temperature' });
    expect(m.quality('Area1.TK102.Temperature')).toBe('Good'); // from the next tick
    m.step();
    for (let i = 0; i < 50; i++) {
      m.step();
      expect(m.quality('Area1.TK102.Temperature')).toBe('BadSensorFailure');
      expect(m.quality('Area1.TK102.Level')).toBe('Good');
    }
    m.clear();
    m.step();
    expect(m.quality('Area1.TK102.Temperature')).toBe('Good');
  });

  it('frozen: the value stops changing while its quality stays Good', () => {
    const m = new PlantModel({ seed: 10 });
    m.trigger({ name: 'frozen', target: 'Area1.TK104.Pressure' });
    m.step();
    const held = m.value('Area1.TK104.Pressure');
    const others = new Set<number>();
    for (let i = 0; i < 100; i++) {
      m.step();
      expect(m.value('Area1.TK104.Pressure')).toBe(held);
      expect(m.quality('Area1.TK104.Pressure')).toBe('Good');
      others.add(num(m, 'Area1.TK103.Pressure'));
    }
    expect(others.size).toBeGreaterThan(5);
    m.clear();
    const after = new Set<number>();
    for (let i = 0; i < 20; i++) { m.step(); after.add(num(m, 'Area1.TK104.Pressure')); }
    expect(after.size).toBeGreaterThan(3);
  });
});

describe('prng and quantise', () => {
  it('mulberry32 repeats per seed and gives unit-normal noise', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const xs = Array.from({ length: 20_000 }, () => a.normal());
    expect(Array.from({ length: 20_000 }, () => b.normal())).toEqual(xs);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });

  it('rounds to the resolution without float fuzz', () => {
    expect(quantise(1.23456, 0.001)).toBe(1.235);
    expect(quantise(0.1 + 0.2, 0.1)).toBe(0.3);
    expect(quantise(2.26, 0.5)).toBe(2.5);
    expect(quantise(-3.04, 0.1)).toBe(-3);
  });
});
