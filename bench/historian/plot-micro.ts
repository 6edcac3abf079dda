/**
 * `npx tsx bench/historian/plot-micro.ts [days] [blockSize] [dir] [periodMs]`: the benchmark's plot and
 * hourly-Average queries on a series of `days` days (1 s unless periodMs) (kept in `dir` if given, and reused
 * when it exists), cold and warm, exact and as pixel columns (snapMs), for profiling (node --cpu-prof) and
 * choosing the block size.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../../historian/index.js';
import { seriesChunks, seriesEnd, type Series } from './feed.js';
import { median, timed } from './timing.js';

const days = Number(process.argv[2] ?? 30);
const blockSize = Number(process.argv[3] ?? 256);
const dir = process.argv[4] ?? mkdtempSync(join(tmpdir(), 'vigil-plot-'));
const periodMs = Number(process.argv[5] ?? 1000);
const s: Series = { name: 'YEAR.SMOOTH.PV', t0: Date.UTC(2024, 0, 1), periodMs, count: (days * 86_400_000) / periodMs, seed: 20240501 };
if (!existsSync(join(dir, 'catalog.sqlite'))) {
  const h = Historian.open(dir, { volumePeriod: 'month', flushIntervalMs: 0, blockSize });
  h.defineTag({ name: s.name, kind: 'analog', description: 'plot series', unit: 'degC', range: { low: 0, high: 100 },
    compression: { kind: 'none' }, stepped: false, cycleMs: periodMs }, s.t0);
  for (const chunk of seriesChunks(s)) { h.append(s.name, chunk); h.flush(); }
  await h.close();
}
const h = Historian.open(dir, { flushIntervalMs: 0 });
const plot = { tags: [s.name], start: s.t0, end: seriesEnd(s), buckets: 2000 };
const avg = { tags: [s.name], start: s.t0, end: s.t0 + Math.min(7, days) * 86_400_000, intervalMs: 3_600_000, aggregate: 'Average' as const };
const cold = timed(() => h.readPlot(plot));
const warm = median(Array.from({ length: 9 }, () => timed(() => h.readPlot(plot))));
// Pixel columns (what the trends ask): blocks within half a bucket of an edge are not decoded.
const columns = { ...plot, snapMs: (plot.end - plot.start) / plot.buckets / 2 };
const snapped = median(Array.from({ length: 9 }, () => timed(() => h.readPlot(columns))));
const avgCold = timed(() => h.readProcessed(avg));
const avgWarm = median(Array.from({ length: 5 }, () => timed(() => h.readProcessed(avg))));
await h.close();
process.stderr.write(`${days} d, block ${blockSize} (${dir}): plot cold ${cold.toFixed(1)} ms, warm ${warm.toFixed(1)} ms (pixel columns ${snapped.toFixed(1)} ms); hourly Average ${Math.min(7, days)} d cold ${avgCold.toFixed(1)} ms, warm ${avgWarm.toFixed(1)} ms\n`);
