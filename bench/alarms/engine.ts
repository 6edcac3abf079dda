/**
 * The engine's evaluation rate: 10 000 tags with an exclusive HH/H/L/LL alarm
 * each (deadband, 5 s on-delay, 10 s off-delay), fed seeded random walks in
 * batches of one value per tag, 100 ms apart (the station's publish rate),
 * with the 100 ms timer and the change/journal hand-off after each batch as
 * the station does them. Baseline: a plain loop over the same samples that
 * looks each tag's four limits up by name and compares.
 */
import { mulberry32 } from '../../simulator/model/prng.js';
import { AlarmEngine, type EngineSample } from '../../app/main/alarms/engine/engine.js';
import type { AlarmDef, ConditionSpec } from '../../app/main/alarms/engine/types.js';

export interface EngineParams {
  tags: number;
  batches: number;
  runs: number;
}

const spec = (condition: ConditionSpec['condition'], limit: number, priority: number): ConditionSpec => ({ condition, limit, priority, message: condition, rationalization: null });

export function benchDefs(tags: number): AlarmDef[] {
  return Array.from({ length: tags }, (_, i) => ({
    id: `T${i}/limit`, kind: 'limit', tag: `T${i}`, server: 'sim', area: 'A', equipment: null, unit: '%',
    evaluator: { kind: 'limit', hh: spec('HH', 95, 1), h: spec('H', 85, 2), l: spec('L', 15, 3), ll: spec('LL', 5, 1) },
    deadband: 2, onDelayMs: 5000, offDelayMs: 10_000, latching: false, shelvable: true, suppress: [],
  }));
}

/** Random walks between 0 and 100, some starting beyond H or L, drifting back towards 50. */
export function benchBatches(p: EngineParams, seed = 8): EngineSample[][] {
  const rnd = mulberry32(seed);
  const v = Array.from({ length: p.tags }, () => 5 + 90 * rnd.next());
  return Array.from({ length: p.batches }, (_, b) =>
    v.map((x, i) => {
      const next = Math.min(100, Math.max(0, x + rnd.normal(1.5) + (50 - x) * 0.002));
      v[i] = next;
      return { tag: `T${i}`, t: b * 100, value: next, status: 0 };
    }),
  );
}

export interface EngineFigures {
  samples: number;
  engineEvaluationsPerSecond: number;
  baselineEvaluationsPerSecond: number;
  /** engine / baseline. */
  ratio: number;
  transitions: number;
  baselineBeyondLimit: number;
}

export function measureEngine(p: EngineParams, batches: EngineSample[][]): EngineFigures {
  const samples = p.batches * p.tags;
  let engineBest = Infinity;
  let baselineBest = Infinity;
  let transitions = 0;
  let beyond = 0;
  for (let run = 0; run < p.runs; run++) {
    let now = 0;
    const engine = new AlarmEngine({ now: () => now }, benchDefs(p.tags));
    let lines = 0;
    const t0 = performance.now();
    for (const batch of batches) {
      now += 100;
      engine.ingest(batch);
      engine.tick();
      engine.takeChanges();
      lines += engine.takeJournal().length;
    }
    engineBest = Math.min(engineBest, performance.now() - t0);
    transitions = lines;

    const limits = new Map<string, Float64Array>();
    for (let i = 0; i < p.tags; i++) limits.set(`T${i}`, Float64Array.of(95, 85, 15, 5));
    let count = 0;
    const t1 = performance.now();
    for (const batch of batches) {
      for (let k = 0; k < batch.length; k++) {
        const s = batch[k]!;
        const l = limits.get(s.tag);
        const x = s.value as number;
        if (l !== undefined && (x >= l[0]! || x >= l[1]! || x <= l[2]! || x <= l[3]!)) count++;
      }
    }
    baselineBest = Math.min(baselineBest, performance.now() - t1);
    beyond = count;
  }
  const engineRate = samples / (engineBest / 1000);
  const baselineRate = samples / (baselineBest / 1000);
  return { samples, engineEvaluationsPerSecond: engineRate, baselineEvaluationsPerSecond: baselineRate, ratio: engineRate / baselineRate, transitions, baselineBeyondLimit: beyond };
}
