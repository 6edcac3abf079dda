/**
 * `npm run bench -- historian [--json] [--quick] [--keep] [--influx-1s]`: the historian
 * against a naive one-row-per-sample SQLite table and, where installed,
 * InfluxDB 1.x, on the same seeded plant dataset. Targets are reported, never asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeBlocks, ingestPlant, ingestSeries, payloadBytes, tagIds, type QueryFigures, type RawReadFigures } from './hist-phase.js';
import { readInChild } from './read-parent.js';
import { influxRun, naivePlant, naiveSeries, type InfluxFigures, type NaiveFigures } from './baselines.js';
import { influxVersion } from './influx.js';
import { countOf, plantData, seriesEnd, type PlantData, type Series } from './feed.js';
import { formatTable, fixed, ratio, si } from './table.js';
import { realShapedRun } from './real-phase.js';

interface Params {
  tags: number;
  seconds: number;
  windowSec: number;
  yearDays: number;
  influxSeriesPeriodMs: number;
  decodeTagEvery: number;
  runs: number;
  /** Share of issue 12's tag counts in the real-shaped sets. */
  realScale: number;
}

const FULL: Params = { tags: 1000, seconds: 11_000, windowSec: 60, yearDays: 365, influxSeriesPeriodMs: 10_000, decodeTagEvery: 10, runs: 5, realScale: 1 };
const QUICK: Params = { tags: 40, seconds: 600, windowSec: 60, yearDays: 2, influxSeriesPeriodMs: 10_000, decodeTagEvery: 4, runs: 2, realScale: 0.03 };
const SEED = 20240501;
const T0 = Date.UTC(2024, 0, 1);
const BUCKETS = 2000;
const DAY = 86_400_000;

const began = performance.now();
const log = (msg: string) => process.stderr.write(`[bench historian +${((performance.now() - began) / 1000).toFixed(0)} s] ${msg}\n`);

export async function runHistorianBench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args, options: { json: { type: 'boolean' }, quick: { type: 'boolean' }, keep: { type: 'boolean' }, 'influx-1s': { type: 'boolean' } },
  });
  // --influx-1s: InfluxDB gets the 1 s series too (the same plot query as the others; adds minutes).
  const p = { ...(values.quick ? QUICK : FULL), ...(values['influx-1s'] ? { influxSeriesPeriodMs: 1000 } : {}) };
  const root = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  const start = performance.now();
  try {
    const result = await measure(p, root, values.quick === true);
    const timed = { ...result, durationSeconds: (performance.now() - start) / 1000 };
    const out = { ...timed, targets: targets(timed) };
    process.stdout.write(`${report(out)}\n`);
    if (values.json) process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    if (values.keep) log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}

async function measure(p: Params, root: string, quick: boolean) {
  log(`generating ${p.tags} tags x ${p.seconds} s (seed ${SEED})`);
  const data = plantData(p.tags, p.seconds, p.windowSec, T0, SEED);
  const year: Series = { name: 'YEAR.SMOOTH.PV', t0: T0, periodMs: 1000, count: p.yearDays * 86_400, seed: SEED };
  const influxSeries: Series = { ...year, name: p.influxSeriesPeriodMs === year.periodMs ? year.name : 'YEAR10S.SMOOTH.PV', periodMs: p.influxSeriesPeriodMs, count: (p.yearDays * DAY) / p.influxSeriesPeriodMs };

  log(`historian: ${data.samples} samples, lossless`);
  const lossless = await ingestPlant(join(root, 'h-none'), data, { kind: 'none' });
  log('historian: deadband 1 % of span');
  const deadband = await ingestPlant(join(root, 'h-deadband'), data, { kind: 'deadband', deviation: 1, percentOfSpan: true });
  log('historian: swinging door 1 % of span');
  const door = await ingestPlant(join(root, 'h-door'), data, { kind: 'swinging-door', deviation: 1, percentOfSpan: true });

  const decodeTags = data.tags.filter((t) => t.kind === 'analog' && t.id % p.decodeTagEvery === 0);
  const decodeNames = decodeTags.map((t) => t.name);
  const codec = decodeBlocks(join(root, 'h-none'), tagIds(join(root, 'h-none'), decodeNames), p.runs);
  const bySignal = payloadBySignal(join(root, 'h-none'), data);
  // Every timed read runs in a fresh process: read-child.ts says why.
  const raw = await readInChild<RawReadFigures>({ op: 'raw', dir: join(root, 'h-none'), tags: decodeNames, start: data.t0, end: data.t1, runs: p.runs });

  log(`historian: ${year.count} samples of one tag over ${p.yearDays} days`);
  const yearIngest = await ingestSeries(join(root, 'h-year'), year, 'month');
  const rawYear = await readInChild<RawReadFigures>({ op: 'raw', dir: join(root, 'h-year'), tags: [year.name], start: year.t0, end: seriesEnd(year), runs: p.runs });
  const plot = await readInChild<QueryFigures>({ op: 'plot', dir: join(root, 'h-year'), series: year, buckets: BUCKETS, runs: p.runs, columns: false });
  const plotColumns = await readInChild<QueryFigures>({ op: 'plot', dir: join(root, 'h-year'), series: year, buckets: BUCKETS, runs: p.runs, columns: true });
  const averageDays = Math.min(7, p.yearDays);
  const average = await readInChild<QueryFigures>({ op: 'average', dir: join(root, 'h-year'), series: year, spanMs: averageDays * DAY, intervalMs: 3_600_000, runs: p.runs });
  const same = influxSeries.periodMs === year.periodMs;
  if (!same) await ingestSeries(join(root, 'h-year10'), influxSeries, 'month');
  const plot10 = same ? plot : await readInChild<QueryFigures>({ op: 'plot', dir: join(root, 'h-year10'), series: influxSeries, buckets: BUCKETS, runs: p.runs, columns: false });
  // The hourly Average on the series InfluxDB holds too, so that the two figures answer the same query.
  const average10 = same ? average : await readInChild<QueryFigures>({ op: 'average', dir: join(root, 'h-year10'), series: influxSeries, spanMs: averageDays * DAY, intervalMs: 3_600_000, runs: p.runs });

  log('naive SQLite: plant data');
  const naive = naivePlant(join(root, 'naive'), data);
  naive.store.close();
  const naiveRead = await readInChild<NaiveFigures & { samples: number }>({ op: 'naive-raw', file: naive.store.file, tagIds: decodeTags.map((t) => t.id), runs: p.runs });
  const naiveDecode = { samples: naiveRead.samples, ms: naiveRead.warmMs, coldMs: naiveRead.coldMs };
  log('naive SQLite: long series');
  const yearId = 100_000;
  const naiveYear = naiveSeries(join(root, 'naive-year'), year, yearId);
  const width = Math.ceil((seriesEnd(year) - year.t0) / BUCKETS);
  // One run on the full year (tens of seconds): the rows were just written, so the OS cache is warm.
  // Cold on both sides is a fresh connection (the historian's is a fresh Historian): the file's pages are in the OS cache for both.
  naiveYear.store.close();
  const naivePlot = await readInChild<NaiveFigures>({ op: 'naive-plot', file: naiveYear.store.file, tagId: yearId, start: year.t0, end: year.t0 + width * BUCKETS, buckets: BUCKETS, runs: quick ? p.runs : 0 });
  const naiveAverage = await readInChild<NaiveFigures>({ op: 'naive-average', file: naiveYear.store.file, tagId: yearId, start: year.t0, end: year.t0 + averageDays * DAY, intervalMs: 3_600_000, runs: p.runs });
  let naivePlot10 = naivePlot;
  if (!same) {
    const naiveYear10 = naiveSeries(join(root, 'naive-year10'), influxSeries, yearId + 1);
    const width10 = Math.ceil((seriesEnd(influxSeries) - influxSeries.t0) / BUCKETS);
    naiveYear10.store.close();
    naivePlot10 = await readInChild<NaiveFigures>({ op: 'naive-plot', file: naiveYear10.store.file, tagId: yearId + 1, start: influxSeries.t0, end: influxSeries.t0 + width10 * BUCKETS, buckets: BUCKETS, runs: p.runs });
  }

  const real = await realShapedRun(root, SEED, T0, p.realScale, log);

  const version = influxVersion();
  let influx: InfluxFigures | { skipped: string };
  if (version === undefined) influx = { skipped: 'influxd not installed' };
  else {
    log(`${version}: plant data and the ${p.influxSeriesPeriodMs / 1000} s series`);
    try {
      influx = await influxRun(join(root, 'influx'), version, data, influxSeries, BUCKETS, p.runs);
    } catch (e) {
      // A comparison point that fails is reported, not fatal: the historian's figures stand.
      log(`InfluxDB run failed: ${(e as Error).message}`);
      influx = { skipped: `InfluxDB run failed: ${(e as Error).message}` };
    }
  }

  return {
    bench: 'historian',
    quick,
    machine: { cpus: cpus().length, node: process.version },
    dataset: {
      seed: SEED, tags: data.tags.length, samples: data.samples, seconds: p.seconds,
      signals: countBy(data.tags.map((t) => t.signal)),
      series: { samples: year.count, days: p.yearDays, periodMs: year.periodMs },
      influxSeries: { samples: influxSeries.count, periodMs: influxSeries.periodMs },
    },
    ingest: {
      historian: { none: { ...lossless, payloadBytesPerSampleBySignal: bySignal }, deadband, swingingDoor: door, series: yearIngest },
      naive: naive.figures, naiveSeries: naiveYear.figures,
    },
    decode: {
      codecSamplesPerSecond: codec.samples / (codec.decodeMs / 1000), codecSamples: codec.samples,
      codecFirstPassSamplesPerSecond: codec.samples / (codec.firstPassMs / 1000),
      selectAndDecodeSamplesPerSecond: codec.samples / ((codec.fetchMs + codec.firstPassMs) / 1000),
      rawReadSamplesPerSecond: raw.samples / (raw.ms / 1000), rawReadColdSamplesPerSecond: raw.samples / (raw.coldMs / 1000), rawRowsSamplesPerSecond: raw.samples / (raw.rowsMs / 1000),
      naiveColdSamplesPerSecond: naiveDecode.samples / (naiveDecode.coldMs / 1000),
      rawSeriesSamplesPerSecond: rawYear.samples / (rawYear.ms / 1000), rawSeriesColdSamplesPerSecond: rawYear.samples / (rawYear.coldMs / 1000), rawSeriesRowsSamplesPerSecond: rawYear.samples / (rawYear.rowsMs / 1000), rawSeriesSamples: rawYear.samples,
      naiveSamplesPerSecond: naiveDecode.samples / (naiveDecode.ms / 1000), naiveSamples: naiveDecode.samples,
    },
    plot: { buckets: BUCKETS, historian: plot, columns: plotColumns, naive: naivePlot, series10s: { historian: plot10, naive: naivePlot10 } },
    processed: { query: `hourly Average over ${averageDays} days`, days: averageDays, historian: average, naive: naiveAverage, series10s: { historian: average10 } },
    real,
    influx,
  };
}

/** Lossless codec payload per sample, by kind of analog signal: where the bytes go. */
function payloadBySignal(dir: string, data: PlantData): Record<string, number> {
  const analog = data.tags.filter((t) => t.kind === 'analog');
  const ids = tagIds(dir, analog.map((t) => t.name));
  const bytes = payloadBytes(dir);
  const samples = new Map<number, number>();
  for (const w of data.windows) for (const t of analog) samples.set(t.id, (samples.get(t.id) ?? 0) + countOf(w, t.id));
  const sum: Record<string, { bytes: number; samples: number }> = {};
  analog.forEach((t, i) => {
    const e = (sum[t.signal] ??= { bytes: 0, samples: 0 });
    e.bytes += bytes.get(ids[i]) ?? 0;
    e.samples += samples.get(t.id) ?? 0;
  });
  return Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, v.bytes / v.samples]));
}

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

type Result = Awaited<ReturnType<typeof measure>> & { durationSeconds: number };

export function targets(r: Result) {
  const h = r.ingest.historian;
  const check = (value: number | null, target: number, atMost: boolean) => ({ value, target, met: value !== null && (atMost ? value <= target : value >= target) });
  return {
    losslessBytesPerSample: check(h.none.bytesPerSample, 1.5, true),
    compressedPercentOf16B: check((h.swingingDoor.bytesPerSample / 16) * 100, 5, true),
    ingestSamplesPerSecond: check(h.swingingDoor.samplesPerSecond, 1e6, false),
    losslessIngestSamplesPerSecond: check(h.none.samplesPerSecond, 1e6, false),
    ingestRatioToNaive: check(ratio(h.swingingDoor.samplesPerSecond, r.ingest.naive.samplesPerSecond), 5, false),
    plotMs: check(r.plot.historian.warmMs, 50, true),
    decodeSamplesPerSecond: check(r.decode.codecSamplesPerSecond, 20e6, false),
    readRawSamplesPerSecond: check(r.decode.rawReadSamplesPerSecond, 10e6, false),
    readRawSeriesSamplesPerSecond: check(r.decode.rawSeriesSamplesPerSecond, 10e6, false),
    coldProcessedVsNaiveCold: check(ratio(r.processed.historian.coldMs, r.processed.naive.coldMs), 1, true),
    // Warm against warm, on the same series (not met when InfluxDB did not run).
    processedVsInflux: check('version' in r.influx ? ratio(r.processed.series10s.historian.warmMs, r.influx.series.average.warmMs) : null, 1, true),
    coldPlotMs: check(r.plot.historian.coldMs, 50, true),
    plotColumnsMs: check(r.plot.columns.warmMs, 50, true),
    coldPlotColumnsMs: check(r.plot.columns.coldMs, 50, true),
    // Per tag the smaller of the two readings of the issue's baseline (values as they are or as deltas). The issue's own
    // figure for the chemical process (1.36 B/sample) is the deltas reading (1.356 on the Tennessee Eastman simulator's
    // data; values as they are: 1.643), so this is the issue's target; the other reading is printed, not a target.
    realLosslessToBaseline: check(Math.max(...r.real.map((s) => s.ratioToBaseline)), 0.8, true),
    realCompressedToLossless: check(Math.max(...r.real.flatMap((s) => Object.values(s.compressedToLossless))), 1, true),
  };
}

function report(r: Result): string {
  const h = r.ingest.historian;
  const n = r.ingest.naive;
  const inf = 'version' in r.influx ? r.influx : undefined;
  const x = (a: number | null | undefined, b: number | null | undefined) => { const q = ratio(a, b); return q === null ? '-' : `${q.toFixed(1)}x`; };
  const rows: string[][] = [
    ['ingest lossless (samples/s)', si(h.none.samplesPerSecond), si(n.samplesPerSecond), x(h.none.samplesPerSecond, n.samplesPerSecond), si(inf?.plant.samplesPerSecond), '>= 1 M, 5x'],
    ['ingest deadband 1 %', si(h.deadband.samplesPerSecond), '', x(h.deadband.samplesPerSecond, n.samplesPerSecond), '', ''],
    ['ingest swinging door 1 %', si(h.swingingDoor.samplesPerSecond), '', x(h.swingingDoor.samplesPerSecond, n.samplesPerSecond), '', '>= 1 M, 5x'],
    ['bytes/sample lossless', fixed(h.none.bytesPerSample), fixed(n.bytesPerSample), x(n.bytesPerSample, h.none.bytesPerSample), fixed(inf?.plant.bytesPerSample), '<= 1.5'],
    ['  InfluxDB .tsm + .wal files only', '', '', '', fixed(inf?.plant.tsmWalBytesPerSample), ''],
    ['bytes/sample deadband 1 %', fixed(h.deadband.bytesPerSample, 3), '', x(n.bytesPerSample, h.deadband.bytesPerSample), '', '<= 0.8'],
    ['bytes/sample swinging door 1 %', fixed(h.swingingDoor.bytesPerSample, 3), '', x(n.bytesPerSample, h.swingingDoor.bytesPerSample), '', '<= 0.8'],
    ['decode (samples/s): SELECT + codec', si(r.decode.selectAndDecodeSamplesPerSecond), si(r.decode.naiveSamplesPerSecond), x(r.decode.selectAndDecodeSamplesPerSecond, r.decode.naiveSamplesPerSecond), '', ''],
    ['decode: codec alone (decodeBlockInto)', si(r.decode.codecSamplesPerSecond), '', '', '', '>= 20 M'],
    ['  first pass (JIT cold)', si(r.decode.codecFirstPassSamplesPerSecond), '', '', '', ''],
    ['decode: readRawColumns API (typed columns, warm)', si(r.decode.rawReadSamplesPerSecond), si(r.decode.naiveSamplesPerSecond), x(r.decode.rawReadSamplesPerSecond, r.decode.naiveSamplesPerSecond), '', '>= 10 M'],
    ['  cold (first pass after open)', si(r.decode.rawReadColdSamplesPerSecond), si(r.decode.naiveColdSamplesPerSecond), x(r.decode.rawReadColdSamplesPerSecond, r.decode.naiveColdSamplesPerSecond), '', ''],
    ['  readRaw API (an object per row)', si(r.decode.rawRowsSamplesPerSecond), '', x(r.decode.rawRowsSamplesPerSecond, r.decode.naiveSamplesPerSecond), '', ''],
    [`  readRawColumns, the ${r.dataset.series.days} d series (${si(r.decode.rawSeriesSamples)})`, si(r.decode.rawSeriesSamplesPerSecond), '', '', '', '>= 10 M'],
    ['  cold (first pass after open)', si(r.decode.rawSeriesColdSamplesPerSecond), '', '', '', ''],
    ['  readRaw, the same series', si(r.decode.rawSeriesRowsSamplesPerSecond), '', '', '', ''],
    [`plot ${r.dataset.series.days} d @1 s -> ${r.plot.buckets} (ms, warm)`, fixed(r.plot.historian.warmMs), fixed(r.plot.naive.warmMs, 0), x(r.plot.naive.warmMs, r.plot.historian.warmMs), '', '<= 50'],
    ['  cold / via reader worker (ms)', `${fixed(r.plot.historian.coldMs)} / ${fixed(r.plot.historian.workerMs)}`, fixed(r.plot.naive.coldMs, 0), '', '', '<= 50 cold'],
    ['  cold, CPU time of those calls (ms)', fixed(r.plot.historian.coldCpuMs), '', '', '', ''],
    ['  cold in a young process (its 2nd-6th plot, ms)', fixed(r.plot.historian.youngColdMs), '', '', '', ''],
    ['  the process\'s first plot (ms, JIT cold too)', fixed(r.plot.historian.firstInProcessMs), '', '', '', ''],
    ['  as pixel columns, the trends\' read (ms, warm)', fixed(r.plot.columns.warmMs), '', '', '', '<= 50'],
    ['  cold / via reader worker (ms)', `${fixed(r.plot.columns.coldMs)} / ${fixed(r.plot.columns.workerMs)}`, '', '', '', '<= 50 cold'],
    ['  cold, CPU time of those calls (ms)', fixed(r.plot.columns.coldCpuMs), '', '', '', ''],
    ['  cold in a young process (its 2nd-6th plot, ms)', fixed(r.plot.columns.youngColdMs), '', '', '', ''],
    ['  the process\'s first plot (ms, JIT cold too)', fixed(r.plot.columns.firstInProcessMs), '', '', '', ''],
    [`plot ${r.dataset.series.days} d @${r.dataset.influxSeries.periodMs / 1000} s (ms, warm)`, fixed(r.plot.series10s.historian.warmMs), fixed(r.plot.series10s.naive.warmMs, 1), x(r.plot.series10s.naive.warmMs, r.plot.series10s.historian.warmMs), fixed(inf?.series.plot.warmMs, 1), ''],
    [`hourly Average, ${r.processed.days} d @1 s (ms, warm)`, fixed(r.processed.historian.warmMs), fixed(r.processed.naive.warmMs), x(r.processed.naive.warmMs, r.processed.historian.warmMs), '', ''],
    ['  cold / via reader worker (ms)', `${fixed(r.processed.historian.coldMs)} / ${fixed(r.processed.historian.workerMs)}`, fixed(r.processed.naive.coldMs), x(r.processed.naive.coldMs, r.processed.historian.coldMs), '', '<= naive cold'],
    ['  cold, CPU time of those calls (ms)', fixed(r.processed.historian.coldCpuMs), '', '', '', ''],
    ['  cold in a young process (its 2nd-6th query, ms)', fixed(r.processed.historian.youngColdMs), '', '', '', ''],
    ['  the process\'s first query (ms, JIT cold too)', fixed(r.processed.historian.firstInProcessMs), '', '', '', ''],
    [`hourly Average, ${r.processed.days} d @${r.dataset.influxSeries.periodMs / 1000} s (ms, warm; InfluxQL mean())`, fixed(r.processed.series10s.historian.warmMs), '', '',
      fixed(inf?.series.average.warmMs, 1), '<= InfluxDB'],
  ];
  const t = targets(r);
  const lines = [
    `historian benchmark${r.quick ? ' (quick)' : ''}: ${r.dataset.tags} tags, ${si(r.dataset.samples)} samples (seed ${r.dataset.seed}), ` +
      `series ${si(r.dataset.series.samples)} samples; ${r.machine.cpus} CPUs, Node ${r.machine.node}`,
    formatTable(['measure', 'historian', 'naive SQLite', 'gain', inf ? 'InfluxDB' : 'InfluxDB (n/a)', 'target'], rows),
    'gain: how many times better the historian is than the naive table (faster, smaller or quicker).',
    `InfluxDB: ${inf ? `${inf.version}, ${si(inf.plant.samples)} points, bytes after compaction` : (r.influx as { skipped: string }).skipped}`,
    `lossless codec payload (B/sample) by signal: ${Object.entries(h.none.payloadBytesPerSampleBySignal).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`,
    'real-shaped (issue 12), bytes on disk per sample after close (whole data directory):',
    formatTable(['set', 'tags', 'samples', 'zlib baseline', 'lossless', 'x baseline', 'deadband', 'swinging door', 'archived sd', 'ingest lossless'],
      r.real.map((s) => [s.name, String(s.tags), si(s.samples), fixed(s.baselineBytesPerSample), fixed(s.bytesPerSample.none), fixed(s.ratioToBaseline),
        `${fixed(s.bytesPerSample.deadband)} (${fixed(s.compressedToLossless.deadband)}x)`, `${fixed(s.bytesPerSample.swingingDoor)} (${fixed(s.compressedToLossless.swingingDoor)}x)`,
        `${fixed((s.archivedShare.swingingDoor ?? 0) * 100, 0)} %`, si(s.losslessIngestSamplesPerSecond)])),
    `  zlib baseline by the two readings of the issue's words, values as they are / as deltas (the smaller per tag counts; the issue's own figures are the deltas reading): ${r.real.map((s) =>
      `${s.name} ${fixed(s.baselineByReading.valuesAsIs)} / ${fixed(s.baselineByReading.valuesAsDeltas)} (lossless ${fixed(s.bytesPerSample.none / s.baselineByReading.valuesAsIs)}x / ${fixed(s.bytesPerSample.none / s.baselineByReading.valuesAsDeltas)}x)`).join(', ')}`,
    `  information in the samples at least (their generator's innovations at the printed resolution: no lossless coder goes below it): ${r.real.map((s) =>
      `${s.name} ${fixed(s.informationBytesPerSample)} (${fixed(s.informationBytesPerSample / s.baselineBytesPerSample)}x baseline)`).join(', ')}`,
    ...r.real.map((s) => `  ${s.name} compressed/lossless payload by signal: ${Object.entries(s.compressedToLosslessByKind)
      .map(([m, k]) => `${m} ${Object.entries(k).map(([kind, q]) => `${kind} ${q.toFixed(2)}`).join(' ')}`).join('; ')}`),
    `targets: ${Object.entries(t).map(([k, v]) => `${k} ${v.met ? 'met' : 'NOT met'}`).join(', ')}`,
    `archived: lossless ${si(h.none.archived)}, deadband ${si(h.deadband.archived)}, swinging door ${si(h.swingingDoor.archived)}; run ${r.durationSeconds.toFixed(0)} s`,
  ];
  return lines.join('\n');
}
