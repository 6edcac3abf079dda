/**
 * The default station config's alarms against the simulated tank farm (the
 * plant model stepped in simulated time, no OPC UA): normal operation raises
 * nothing an operator would see, and each scenario raises the alarms a
 * process engineer expects, in the order the plant reaches them.
 */
import { describe, expect, it } from 'vitest';
import { loadStationConfig } from '../station/config-file.js';
import { defaultConfigFile } from '../args.js';
import { PlantModel } from '../../../simulator/model/plant.js';
import { compileAlarms } from './definitions.js';
import { AlarmEngine } from './engine/engine.js';
import type { JournalDraft } from './engine/types.js';

const BadSensorFailure = 0x808c0000;
const config = loadStationConfig(defaultConfigFile);

class Run {
  t = Date.UTC(2025, 0, 1);
  readonly model: PlantModel;
  readonly engine: AlarmEngine;
  readonly journal: JournalDraft[] = [];
  private readonly samples: { tag: string; t: number; value: number | boolean | string; status: number }[];

  constructor(seed: number) {
    this.model = new PlantModel({ seed, tickMs: 500 });
    this.engine = new AlarmEngine({ now: () => this.t }, compileAlarms(config));
    this.samples = this.model.tags.map((tag) => ({ tag: tag.name, t: 0, value: 0, status: 0 }));
  }

  /** Steps the plant `seconds` of simulated time, evaluating every value at every tick (500 ms). */
  run(seconds: number, until?: () => boolean): this {
    for (let i = 0; i < seconds * 2; i++) {
      this.model.step();
      this.t += 500;
      const values = this.model.currentValues();
      const qualities = this.model.currentQualities();
      for (let k = 0; k < this.samples.length; k++) {
        const s = this.samples[k]!;
        s.t = this.t;
        s.value = values[k]!;
        s.status = qualities[k] === 'Good' ? 0 : BadSensorFailure;
      }
      this.engine.ingest(this.samples);
      this.engine.tick();
      this.journal.push(...this.engine.takeJournal());
      if (until?.()) break;
    }
    return this;
  }

  /** What the operator was shown: annunciations with the horn. */
  annunciated(): string[] {
    return this.journal.filter((j) => (j.event === 'activated' || j.event === 'escalated') && j.state === 'B').map((j) => `${j.alarmId} ${j.condition}`);
  }

  state(id: string): string {
    return this.engine.rows().find((r) => r.id === id)?.state ?? 'A';
  }
}

describe('default config on the simulated tank farm', () => {
  it('6 h of normal operation (fill and empty cycles, the day\'s warmest hour) annunciate nothing', () => {
    const r = new Run(1).run(6 * 3600);
    expect(r.annunciated()).toEqual([]);
    expect(r.engine.summary().unacked).toEqual([0, 0, 0, 0]);
  });

  it('overfill of TK101: level H, then HH, then the high-level switch (the ESD trip comes from the server, A&C)', () => {
    const r = new Run(2);
    r.model.trigger({ name: 'overfill', target: 'Area1.TK101' });
    r.run(3600, () => r.model.value('Area1.ESD.Tripped') === true);
    r.run(10);
    expect(r.annunciated()).toEqual([
      'Area1.TK101.Level/limit H', 'Area1.TK101.Level/limit HH', 'Area1.TK101.HighLevelSwitch/state STATE',
    ]);
    expect(r.model.value('Area1.ESD.Tripped')).toBe(true);
    const hh = r.engine.rows().find((x) => x.id === 'Area1.TK101.Level/limit')!;
    expect(hh).toMatchObject({ priority: 1, condition: 'HH', shelvable: true });
    expect(r.engine.rows().find((x) => x.id === 'Area1.TK101.HighLevelSwitch/state')).toMatchObject({ priority: 1, shelvable: false });
  });

  it('gas leak in Area 2: both detectors alarm, NH3 reaches HH; the gas alarms stay latched after the gas disperses', () => {
    const r = new Run(3);
    r.model.trigger({ name: 'gasLeak', target: 'Area2' });
    r.run(600);
    const shown = r.annunciated();
    expect(shown).toEqual(expect.arrayContaining([
      'Area2.GD201.Concentration/limit H', 'Area2.GD201.Concentration/limit HH', 'Area2.GD202.Concentration/limit H',
    ]));
    expect(r.model.value('Area2.ESD.Tripped')).toBe(true);
    expect(shown.indexOf('Area2.GD201.Concentration/limit H')).toBeLessThan(shown.indexOf('Area2.GD201.Concentration/limit HH'));
    r.model.clear();
    r.run(1200);
    expect(r.state('Area2.GD201.Concentration/limit')).toBe('E');
    expect(r.state('Area2.GD202.Concentration/limit')).toBe('E');
  });

  it('pump trip of TK201: the trip alarm when the tank would empty', () => {
    const r = new Run(4);
    r.model.trigger({ name: 'pumpTrip', target: 'Area2.TK201' });
    r.run(4 * 3600, () => r.annunciated().length > 0);
    expect(r.annunciated()).toEqual(['Area2.TK201.OutletValve/limit H']);
    expect(r.engine.rows().find((x) => x.id === 'Area2.TK201.OutletValve/limit')!.message).toBe('TK201 transfer pump tripped');
  });

  it('sensor failure of the TK101 level: a bad-quality alarm, and the level alarms are suspect', () => {
    const r = new Run(5).run(60);
    r.model.trigger({ name: 'sensorFailure', target: 'Area1.TK101.Level' });
    r.run(10);
    expect(r.annunciated()).toEqual(['Area1.TK101.Level/quality BAD']);
    expect(r.engine.get('Area1.TK101.Level/limit')!.suspect).toBe(true);
  });

  it('sensor failure of the TK101 high-level switch (SIS): a bad-quality alarm, P2 and not shelvable (its overfill protection is lost)', () => {
    const r = new Run(6).run(60);
    r.model.trigger({ name: 'sensorFailure', target: 'Area1.TK101.HighLevelSwitch' });
    r.run(10);
    expect(r.annunciated()).toEqual(['Area1.TK101.HighLevelSwitch/quality BAD']);
    const row = r.engine.rows().find((x) => x.id === 'Area1.TK101.HighLevelSwitch/quality')!;
    expect(row).toMatchObject({ state: 'B', priority: 2 });
    expect(r.engine.get('Area1.TK101.HighLevelSwitch/quality')!.def.shelvable).toBe(false);
  });

  it('sensor failure of the TK101 pressure and temperature transmitters: a bad-quality alarm each', () => {
    const r = new Run(7).run(60);
    r.model.trigger({ name: 'sensorFailure', target: 'Area1.TK101.Pressure' });
    r.model.trigger({ name: 'sensorFailure', target: 'Area1.TK101.Temperature' });
    r.run(10);
    expect(r.annunciated().sort()).toEqual(['Area1.TK101.Pressure/quality BAD', 'Area1.TK101.Temperature/quality BAD']);
  });

  it('a frozen TK101 level transmitter (Good, no longer moving): its frozen-value alarm after 10 min, the level alarms suspect; normal at the next change', () => {
    const r = new Run(8).run(59.5);
    const before = r.model.value('Area1.TK101.Level');
    r.run(0.5);
    // It froze at the value of this tick, the last change (the level's noise moved it here).
    expect(r.model.value('Area1.TK101.Level')).not.toBe(before);
    r.model.trigger({ name: 'frozen', target: 'Area1.TK101.Level' });
    const lastChange = r.t;
    r.run(3600, () => r.annunciated().length > 0);
    expect(r.annunciated()).toEqual(['Area1.TK101.Level/frozen FROZEN']);
    // The config's window, ten minutes after the last change.
    expect(r.t - lastChange).toBe(600_000);
    // Its message says what it is, as the bad-quality one's does, without the tag path the banner shows beside it.
    expect(r.engine.rows().find((x) => x.id === 'Area1.TK101.Level/frozen')).toMatchObject({
      state: 'B', priority: 3, message: 'TK101 level transmitter frozen', text: null,
    });
    expect(r.engine.get('Area1.TK101.Level/limit')!.suspect).toBe(true);
    r.model.clear();
    r.run(1);
    expect(r.state('Area1.TK101.Level/frozen')).toBe('D');
    expect(r.engine.get('Area1.TK101.Level/limit')!.suspect).toBe(false);
    expect(r.annunciated()).toEqual(['Area1.TK101.Level/frozen FROZEN']);
  });

  it('a frozen gas detector at 0 %LEL (its noise clamped at zero) and a frozen temperature are raised too: P2 not shelvable, P3', () => {
    const r = new Run(9).run(60);
    r.model.trigger({ name: 'frozen', target: 'Area1.GD101.Concentration' });
    r.model.trigger({ name: 'frozen', target: 'Area2.TK201.Temperature' });
    r.run(700);
    expect(r.annunciated().sort()).toEqual(['Area1.GD101.Concentration/frozen FROZEN', 'Area2.TK201.Temperature/frozen FROZEN']);
    expect(r.engine.rows().find((x) => x.id === 'Area1.GD101.Concentration/frozen')).toMatchObject({ priority: 2, shelvable: false, message: 'GD101 gas detector frozen' });
    expect(r.engine.rows().find((x) => x.id === 'Area2.TK201.Temperature/frozen')!.message).toBe('TK201 temperature transmitter frozen');
  });

  it('the measurements have a frozen-value alarm whose window is far above the longest time a live value holds in 6 h of normal operation', () => {
    const watched = config.tags.filter((t) => t.alarms?.frozen);
    expect(watched.map((t) => t.role).filter((role, i, all) => all.indexOf(role) === i).sort()).toEqual(['lel', 'level', 'pressure', 'temperature', 'toxic']);
    expect(watched.length).toBe(28);
    // Valves, pumps, switches, products and ESDs legitimately hold: none of them is watched.
    expect(config.tags.filter((t) => t.alarms?.frozen && t.kind !== 'analog')).toEqual([]);
    const model = new PlantModel({ seed: 10, tickMs: 500 });
    const index = new Map(model.tags.map((t, k) => [t.name, k]));
    const last = [...model.currentValues()];
    const since = last.map(() => 0);
    const longest = new Map(watched.map((t) => [t.name, 0]));
    for (let tick = 1; tick <= 6 * 3600 * 2; tick++) {
      model.step();
      const values = model.currentValues();
      for (const t of watched) {
        const k = index.get(t.name)!;
        if (values[k] !== last[k]) [last[k], since[k]] = [values[k]!, tick];
        longest.set(t.name, Math.max(longest.get(t.name)!, (tick - since[k]!) / 2));
      }
    }
    for (const t of watched) expect(longest.get(t.name)!, t.name).toBeLessThan(t.alarms!.frozen!.afterS / 5);
  });

  it('every alarmed tag has a bad-quality alarm (ISA-18.2 counts instrument diagnostics as alarms)', () => {
    const alarmed = config.tags.filter((t) => t.alarms);
    expect(alarmed.length).toBe(44);
    expect(alarmed.filter((t) => !t.alarms!.badQuality).map((t) => t.name)).toEqual([]);
  });
});
