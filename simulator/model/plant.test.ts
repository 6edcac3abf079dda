import { describe, expect, it } from 'vitest';
import { PLANT } from './catalog.js';
import { PlantModel, type SimValue } from './plant.js';

const TICK_MS = 500;
const run = (m: PlantModel, ticks: number): void => { for (let i = 0; i < ticks; i++) m.step(); };
function series(m: PlantModel, ticks: number): SimValue[][] {
  const out: SimValue[][] = [];
  for (let i = 0; i < ticks; i++) { m.step(); out.push([...m.currentValues()]); }
  return out;
}

describe('PlantModel layout', () => {
  it('has two areas of four tanks, two gas detectors and an ESD each', () => {
    const m = new PlantModel({ seed: 1 });
    expect(PLANT.map((a) => a.id)).toEqual(['Area1', 'Area2']);
    for (const area of PLANT) {
      expect(area.tanks).toHaveLength(4);
      expect(area.detectors.length).toBeGreaterThanOrEqual(2);
    }
    const names = m.tags.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('Area1.TK101.Level');
    expect(names).toContain('Area2.TK204.HighLevelSwitch');
    expect(names).toContain('Area2.GD201.Concentration');
    expect(names).toContain('Area1.ESD.Tripped');
    expect(m.tags).toHaveLength(2 * (4 * 8 + 2 + 1));
    for (const t of m.tags) {
      expect(t.nodeId).toBe(`ns=1;s=${t.name}`);
      if (t.kind === 'analog') {
        expect(t.unit, t.name).toBeDefined();
        expect(t.range, t.name).toBeDefined();
      }
    }
  });

  it('adds numbered extra tags without changing the plant values', () => {
    const plain = new PlantModel({ seed: 9 });
    const loaded = new PlantModel({ seed: 9, extraTags: 12 });
    expect(loaded.tags.slice(-12).map((t) => t.name)[0]).toBe('Extra.Tag0001');
    expect(loaded.tags.at(-1)?.name).toBe('Extra.Tag0012');
    const a = series(plain, 50);
    const b = series(loaded, 50).map((row) => row.slice(0, plain.tags.length));
    expect(b).toEqual(a);
    const extra = series(loaded, 20).map((row) => row.at(-1));
    expect(new Set(extra).size).toBeGreaterThan(15); // changes (almost) every tick
  });

  it('rejects a bad tick size or extra-tag count', () => {
    expect(() => new PlantModel({ tickMs: 0 })).toThrow(/tickMs/);
    expect(() => new PlantModel({ extraTags: -1 })).toThrow(/extraTags/);
  });
});

describe('PlantModel behaviour', () => {
  it('is deterministic: the same seed gives the same values tick by tick', () => {
    const a = series(new PlantModel({ seed: 42, extraTags: 5 }), 400);
    const b = series(new PlantModel({ seed: 42, extraTags: 5 }), 400);
    expect(b).toEqual(a);
    const c = series(new PlantModel({ seed: 43, extraTags: 5 }), 400);
    expect(c).not.toEqual(a);
  });

  it('stays deterministic through scenarios triggered at the same ticks', () => {
    const scripted = (): SimValue[][] => {
      const m = new PlantModel({ seed: 5 });
      run(m, 20);
      m.trigger({ name: 'gasLeak', target: 'Area1' });
      m.trigger({ name: 'frozen', target: 'Area2.TK201.Level' });
      const rows = series(m, 100);
      m.clear();
      return rows.concat(series(m, 100));
    };
    expect(scripted()).toEqual(scripted());
  });

  it('quantises values to the instrument resolution and keeps them in range', () => {
    const m = new PlantModel({ seed: 3, extraTags: 4 });
    const wrong: string[] = [];
    for (let i = 0; i < 600; i++) {
      m.step();
      m.tags.forEach((t, k) => {
        if (t.kind !== 'analog') return;
        const x = m.currentValues()[k] as number;
        const steps = x / (t.resolution as number);
        const onGrid = Math.abs(steps - Math.round(steps)) < 1e-6;
        if (typeof x !== 'number' || !onGrid || x < t.range![0] || x > t.range![1]) wrong.push(`${t.name}=${x}`);
      });
    }
    expect(wrong).toEqual([]);
  });

  it('runs fill and empty cycles: valves move, pumps start and stop, levels stay between set points', () => {
    const m = new PlantModel({ seed: 11, tickMs: TICK_MS });
    const tanks = PLANT.flatMap((a) => a.tanks).map((spec) => ({
      spec, p: `${spec.area}.${spec.id}`,
      pumpOn: false, pumpOff: false, inletOpen: false, inletClosed: false, min: Infinity, max: -Infinity,
    }));
    const twoHours = (2 * 3600 * 1000) / TICK_MS;
    for (let i = 0; i < twoHours; i++) {
      m.step();
      for (const t of tanks) {
        const inlet = m.value(`${t.p}.InletValve`) as number;
        const level = m.value(`${t.p}.Level`) as number;
        if (m.value(`${t.p}.PumpRunning`)) t.pumpOn = true; else t.pumpOff = true;
        if (inlet === 100) t.inletOpen = true;
        if (inlet === 0) t.inletClosed = true;
        t.min = Math.min(t.min, level);
        t.max = Math.max(t.max, level);
      }
    }
    for (const t of tanks) {
      expect(t, t.p).toMatchObject({ pumpOn: true, pumpOff: true, inletOpen: true, inletClosed: true });
      expect(t.min, t.p).toBeGreaterThan(t.spec.lowSetpoint - 0.2);
      expect(t.max, t.p).toBeLessThan(t.spec.switchLevel);
      expect(m.value(`${t.p}.HighLevelSwitch`)).toBe(false);
    }
    expect(m.value('Area1.ESD.Tripped')).toBe(false);
    expect(m.value('Area2.ESD.Tripped')).toBe(false);
  });

  it('drifts temperature slowly and keeps gas detectors near zero with noise', () => {
    const m = new PlantModel({ seed: 21 });
    const temps: number[] = [];
    const gas: number[] = [];
    for (let i = 0; i < 3600; i++) {
      m.step();
      temps.push(m.value('Area1.TK103.Temperature') as number);
      gas.push(m.value('Area1.GD101.Concentration') as number);
    }
    const steps = temps.slice(1).map((t, i) => Math.abs(t - temps[i]));
    expect(Math.max(...steps)).toBeLessThanOrEqual(0.3); // no jumps: noise and drift only
    expect(new Set(temps).size).toBeGreaterThan(3);
    expect(Math.max(...gas)).toBeLessThan(2);
    expect(new Set(gas).size).toBeGreaterThan(2);
  });
});
