// The tank farm as a pure, deterministic model: stepped one tick at a time, with no
// clock, timer or OPC UA in it. Same seed + same tick size + same triggers at the
// same ticks => the same values at every tick.
import {
  PLANT, detectorTag, esdTag, extraTag, tankTags,
  type AreaSpec, type DetectorSpec, type SimTagInfo, type TankSpec,
} from './catalog.js';
import { mulberry32, quantise, subSeed, type Random } from './prng.js';
import { formatScenario, scenarioName, type ScenarioRequest } from './scenarios.js';
import { clamp, initialTank, resumeControl, startOverfill, stepTank, type TankState } from './tank.js';

export type SimValue = number | boolean | string;
/** OPC UA status code names the model can produce. */
export type SimQuality = 'Good' | 'BadSensorFailure';

export interface PlantOptions {
  seed?: number;
  /** Simulated time per tick, ms (default 500). */
  tickMs?: number;
  /** Number of extra changing analog tags for load tests (Extra.Tag0001...). */
  extraTags?: number;
}

interface DetectorState { spec: DetectorSpec; concentration: number; leakWeight: number }
interface AreaState { spec: AreaSpec; tanks: TankState[]; detectors: DetectorState[]; esd: boolean; causeActive: boolean }
interface ExtraState { offset: number; amplitude: number; periodS: number; phase: number }

const DAY_S = 86_400;
const AMBIENT_SWING = 6; // °C either side of the daily mean
const TAU_LEAK_S = 30;
const TAU_DISPERSE_S = 60;
const NEIGHBOUR_LEAK_WEIGHT = 0.4;

export class PlantModel {
  readonly seed: number;
  readonly tickMs: number;
  readonly tags: readonly SimTagInfo[];
  private readonly areas: AreaState[];
  private readonly noise: Random;
  private readonly physics: Random;
  private readonly readers: (() => SimValue)[] = [];
  private readonly values: SimValue[] = [];
  private readonly qualities: SimQuality[] = [];
  private readonly index = new Map<string, number>();
  private readonly frozen = new Set<number>();
  private readonly failed = new Set<number>();
  private scenarios: ScenarioRequest[] = [];
  private tickCount = 0;

  constructor(opts: PlantOptions = {}) {
    this.seed = (opts.seed ?? 1) >>> 0;
    this.tickMs = opts.tickMs ?? 500;
    if (!(this.tickMs > 0)) throw new Error(`tickMs: expected a positive number of ms, got ${opts.tickMs}`);
    const extraCount = opts.extraTags ?? 0;
    if (!Number.isInteger(extraCount) || extraCount < 0) {
      throw new Error(`extraTags: expected a non-negative integer, got ${opts.extraTags}`);
    }
    // Separate streams, so adding extra tags or freezing one does not change the plant's values.
    this.physics = mulberry32(subSeed(this.seed, 0));
    this.noise = mulberry32(subSeed(this.seed, 1));
    const extraRnd = mulberry32(subSeed(this.seed, 2));

    const tags: SimTagInfo[] = [];
    const add = (info: SimTagInfo, read: () => SimValue): void => {
      this.index.set(info.name, tags.length);
      tags.push(info);
      this.readers.push(read);
    };
    this.areas = PLANT.map((spec) => ({
      spec, esd: false, causeActive: false,
      tanks: spec.tanks.map((t) => initialTank(t, this.physics)),
      detectors: spec.detectors.map((d) => ({ spec: d, concentration: 0, leakWeight: 0 })),
    }));
    for (const area of this.areas) {
      for (const tank of area.tanks) this.addTank(tank, add);
      for (const det of area.detectors) {
        const { range, resolution, noise } = det.spec;
        add(detectorTag(det.spec), () =>
          quantise(clamp(det.concentration + this.noise.normal(noise), 0, range[1]), resolution));
      }
      add(esdTag(area.spec), () => area.esd);
    }
    for (let i = 0; i < extraCount; i++) {
      const x: ExtraState = { offset: 30 + 40 * extraRnd.next(), amplitude: 5 + 20 * extraRnd.next(),
        periodS: 60 + 540 * extraRnd.next(), phase: 2 * Math.PI * extraRnd.next() };
      add(extraTag(i, extraCount), () => {
        const v = x.offset + x.amplitude * Math.sin((2 * Math.PI * this.simTimeS) / x.periodS + x.phase);
        return quantise(clamp(v + extraRnd.normal(0.3), 0, 100), 0.01);
      });
    }
    this.tags = tags;
    this.readAll();
  }

  get tick(): number { return this.tickCount; }
  /** Simulated time since the model started, ms. */
  get simTimeMs(): number { return this.tickCount * this.tickMs; }
  private get simTimeS(): number { return this.simTimeMs / 1000; }

  /** Current value of every tag, aligned with `tags`. Do not mutate. */
  currentValues(): readonly SimValue[] { return this.values; }
  currentQualities(): readonly SimQuality[] { return this.qualities; }

  value(name: string): SimValue { return this.values[this.indexOf(name)]; }
  quality(name: string): SimQuality { return this.qualities[this.indexOf(name)]; }
  activeScenarios(): readonly ScenarioRequest[] { return this.scenarios; }

  step(): void {
    this.tickCount++;
    const dtS = this.tickMs / 1000;
    // Diurnal ambient swing; tick 0 is the daily mean, warming.
    const ambientDelta = AMBIENT_SWING * Math.sin((2 * Math.PI * this.simTimeS) / DAY_S);
    for (const area of this.areas) {
      for (const tank of area.tanks) stepTank(tank, { dtS, ambientDelta, esdTripped: area.esd }, this.physics);
      for (const d of area.detectors) {
        const target = d.leakWeight * d.spec.leakPeak;
        const tau = d.leakWeight > 0 ? TAU_LEAK_S : TAU_DISPERSE_S;
        d.concentration += (target - d.concentration) * (1 - Math.exp(-dtS / tau));
      }
      // The SIS trips on a new cause (rising edge) and latches until reset by clear().
      const cause = area.tanks.some((t) => t.highLevelSwitch) ||
        area.detectors.some((d) => d.concentration >= d.spec.tripLevel);
      if (cause && !area.causeActive) area.esd = true;
      area.causeActive = cause;
    }
    this.readAll();
  }

  /** Starts a scenario, effective from the next step, and returns it with its canonical name; throws naming what was expected when the name or target is wrong. */
  trigger(request: ScenarioRequest): ScenarioRequest {
    const name = scenarioName(request.name);
    const target = request.target.trim();
    const req = { name, target };
    switch (name) {
      case 'overfill': startOverfill(this.tankOf(req)); break;
      case 'pumpTrip': this.tankOf(req).pumpTripped = true; break;
      case 'gasLeak': this.startLeak(req); break;
      case 'sensorFailure': this.failed.add(this.tagOf(req)); break;
      case 'frozen': this.frozen.add(this.tagOf(req)); break;
    }
    if (!this.scenarios.some((s) => s.name === name && s.target === target)) this.scenarios.push(req);
    return req;
  }

  /**
   * Ends every scenario and resets the ESDs (operator reset); the plant returns to normal
   * control. Values and qualities recover at the next step.
   */
  clear(): void {
    for (const area of this.areas) {
      area.esd = false;
      for (const t of area.tanks) resumeControl(t);
      for (const d of area.detectors) d.leakWeight = 0;
    }
    this.failed.clear();
    this.frozen.clear();
    this.scenarios = [];
  }

  private readAll(): void {
    for (let i = 0; i < this.readers.length; i++) {
      // Always read, so noise draws (and so every other tag's values) do not depend on scenarios.
      const v = this.readers[i]();
      const failed = this.failed.has(i);
      this.qualities[i] = failed ? 'BadSensorFailure' : 'Good';
      if (failed || this.frozen.has(i)) {
        if (i < this.values.length) continue;
      }
      this.values[i] = v;
    }
  }

  private addTank(t: TankState, add: (info: SimTagInfo, read: () => SimValue) => void): void {
    const [level, temp, pressure, inlet, outlet, pump, lsh, product] = tankTags(t.spec);
    const n = this.noise;
    add(level, () => quantise(clamp(t.level + n.normal(0.002), 0, t.spec.height), 0.001));
    add(temp, () => quantise(t.temperature + n.normal(0.03), 0.1));
    add(pressure, () => quantise(t.pressure + n.normal(0.15), 0.1));
    add(inlet, () => quantise(t.inlet, 0.1));
    add(outlet, () => quantise(t.outlet, 0.1));
    add(pump, () => t.pump);
    add(lsh, () => t.highLevelSwitch);
    add(product, () => t.spec.product);
  }

  private startLeak(req: ScenarioRequest): void {
    const area = this.areas.find((a) => a.spec.id === req.target);
    if (area) {
      area.detectors.forEach((d, i) => { d.leakWeight = Math.max(d.leakWeight, i === 0 ? 1 : NEIGHBOUR_LEAK_WEIGHT); });
      return;
    }
    for (const a of this.areas) {
      const hit = a.detectors.find((d) => `${d.spec.area}.${d.spec.id}` === req.target);
      if (!hit) continue;
      for (const d of a.detectors) d.leakWeight = Math.max(d.leakWeight, d === hit ? 1 : NEIGHBOUR_LEAK_WEIGHT);
      return;
    }
    const areas = this.areas.map((a) => a.spec.id);
    const detectors = this.areas.flatMap((a) => a.detectors.map((d) => `${a.spec.id}.${d.spec.id}`));
    throw new Error(`${formatScenario(req)}: unknown target; expected an area (${areas.join(', ')}) ` +
      `or a gas detector (${detectors.join(', ')})`);
  }

  private tankOf(req: ScenarioRequest): TankState {
    const all = this.areas.flatMap((a) => a.tanks);
    const found = all.find((t) => tankName(t.spec) === req.target);
    if (!found) {
      throw new Error(`${formatScenario(req)}: unknown target; expected a tank (${all.map((t) => tankName(t.spec)).join(', ')})`);
    }
    return found;
  }

  private tagOf(req: ScenarioRequest): number {
    const i = this.index.get(req.target);
    if (i === undefined) {
      throw new Error(`${formatScenario(req)}: unknown target; expected a tag name such as ${this.tags[0].name}`);
    }
    return i;
  }

  private indexOf(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`unknown tag "${name}"`);
    return i;
  }
}

function tankName(t: TankSpec): string { return `${t.area}.${t.id}`; }
