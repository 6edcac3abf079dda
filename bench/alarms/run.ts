/**
 * `npm run bench -- alarms [--json] [--quick]`: the alarm engine's evaluation
 * rate for 10 000 tags with four limits each against a plain comparison loop
 * over the same samples, and the latency from a limit crossing at an OPC UA
 * server (100 ms publishing) to the alarm event at the station, and (once
 * the banner exists, branch alarms-ui) to the banner in Chromium. Targets
 * are reported, never asserted.
 */
import { parseArgs } from 'node:util';
import { benchBatches, measureEngine, type EngineParams } from './engine.js';
import { measureStationLatency, type LatencyFigures } from './latency.js';
import { measureBannerLatency } from './banner.js';
import { fixed, formatTable, si } from '../historian/table.js';

const FULL = { engine: { tags: 10_000, batches: 600, runs: 5 } satisfies EngineParams, crossings: 60 };
const QUICK = { engine: { tags: 10_000, batches: 100, runs: 2 } satisfies EngineParams, crossings: 10 };

const log = (msg: string) => process.stderr.write(`[bench alarms] ${msg}\n`);

export async function runAlarmsBench(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, quick: { type: 'boolean' } } });
  const quick = values.quick === true;
  const p = quick ? QUICK : FULL;
  const began = performance.now();
  log(`engine: ${p.engine.tags} tags x ${p.engine.batches} batches, best of ${p.engine.runs}`);
  const engine = measureEngine(p.engine, benchBatches(p.engine));
  log(`latency: ${p.crossings} crossings at 100 ms publishing`);
  const station = await measureStationLatency({ crossings: p.crossings });
  const banner = await measureBannerLatency({ crossings: p.crossings });
  const endToEnd: LatencyFigures | null = 'skipped' in banner ? null : banner;
  const out = {
    bench: 'alarms', quick, engine: { tags: p.engine.tags, limitsPerTag: 4, ...engine }, latency: { station, banner },
    durationSeconds: (performance.now() - began) / 1000,
    targets: {
      engineEvaluationsPerSecond: { value: engine.engineEvaluationsPerSecond, target: 1_000_000, met: engine.engineEvaluationsPerSecond >= 1_000_000 },
      endToEndP99Ms: endToEnd
        ? { value: endToEnd.p99Ms, target: 300, met: endToEnd.p99Ms <= 300 }
        : { value: null, target: 300, met: null, note: 'banner latency not measured yet (alarms-ui)' },
    },
  };
  process.stdout.write(`${report(out)}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify(out)}\n`);
}

function report(o: { quick: boolean; engine: ReturnType<typeof measureEngine> & { tags: number }; latency: { station: LatencyFigures; banner: LatencyFigures | { skipped: string } } }): string {
  const e = o.engine;
  const lat = (l: LatencyFigures) => [`${l.crossings}`, fixed(l.p50Ms, 1), fixed(l.p99Ms, 1), fixed(l.maxMs, 1)];
  return [
    `alarms benchmark${o.quick ? ' (quick)' : ''}`,
    '',
    formatTable(['evaluation (one sample vs 4 limits)', 'per second', 'vs baseline'], [
      ['alarm engine (delays, deadband, states, hand-off)', si(e.engineEvaluationsPerSecond), `${fixed(e.ratio, 2)}x`],
      ['baseline: plain comparison loop', si(e.baselineEvaluationsPerSecond), '1x'],
    ]),
    `${si(e.samples)} samples of ${e.tags} tags; ${e.transitions} journaled transitions`,
    '',
    formatTable(['latency, 100 ms publishing', 'crossings', 'p50 ms', 'p99 ms', 'max ms'], [
      ['server value -> station alarm event', ...lat(o.latency.station)],
      'skipped' in o.latency.banner ? ['server value -> banner in Chromium', 'skipped', '-', '-', o.latency.banner.skipped] : ['server value -> banner in Chromium', ...lat(o.latency.banner)],
    ]),
  ].join('\n');
}
