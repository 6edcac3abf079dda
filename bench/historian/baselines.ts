/** The same dataset in the naive SQLite table and (when installed) in InfluxDB 1.x. */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Sample } from '../../historian/types.js';
import { NaiveStore } from './naive.js';
import { Influx, escapeTag } from './influx.js';
import { samplesOf, seriesChunks, seriesEnd, tagSamples, type PlantData, type Series } from './feed.js';
import { median, timed } from './timing.js';
import { dirBytes } from './disk.js';

export interface BaselineIngest {
  samples: number;
  seconds: number;
  samplesPerSecond: number;
  bytes: number;
  bytesPerSample: number;
}

const ingest = (samples: number, ms: number, bytes: number): BaselineIngest => ({
  samples, seconds: ms / 1000, samplesPerSecond: samples / (ms / 1000), bytes, bytesPerSample: bytes / samples,
});

/** One transaction per acquisition window, as the historian flushes once per window. */
export function naivePlant(dir: string, data: PlantData): { store: NaiveStore; figures: BaselineIngest } {
  mkdirSync(dir, { recursive: true });
  const store = new NaiveStore(join(dir, 'naive.sqlite'));
  let ms = 0;
  for (const w of data.windows) {
    const batch = samplesOf(data, w).map((samples, i) => ({ tagId: data.tags[i].id, samples })); // not timed, as for the historian
    ms += timed(() => store.insertBatch(batch));
  }
  ms += timed(() => store.bytesOnDisk()); // the checkpoint is part of the cost
  return { store, figures: ingest(data.samples, ms, store.bytesOnDisk()) };
}

export function naiveSeries(dir: string, s: Series, tagId: number): { store: NaiveStore; figures: BaselineIngest } {
  mkdirSync(dir, { recursive: true });
  const store = new NaiveStore(join(dir, 'naive.sqlite'));
  let ms = 0;
  for (const chunk of seriesChunks(s)) ms += timed(() => store.insertBatch([{ tagId, samples: chunk }]));
  ms += timed(() => store.bytesOnDisk());
  return { store, figures: ingest(s.count, ms, store.bytesOnDisk()) };
}

export interface NaiveFigures { coldMs: number; warmMs: number }

/** The first call, then the median of `runs` more (warm = cold when runs is 0). */
export function naiveQuery(runs: number, fn: () => unknown): NaiveFigures {
  const coldMs = timed(fn);
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) warm.push(timed(fn));
  return { coldMs, warmMs: runs > 0 ? median(warm) : coldMs };
}

const BATCH = 5000;

/** Line protocol over HTTP in batches of 5000, two requests in flight. */
async function writeLines(influx: Influx, db: string, rows: Iterable<[string, Sample]>): Promise<number> {
  let lines: string[] = [];
  let n = 0;
  const inflight: Promise<void>[] = [];
  const send = async (body: string) => {
    inflight.push(influx.write(db, body));
    if (inflight.length >= 2) await inflight.shift();
  };
  for (const [tag, s] of rows) {
    lines.push(`s,tag=${tag} value=${Number(s.value)},status=${s.status}i ${s.t}`);
    n++;
    if (lines.length === BATCH) {
      await send(lines.join('\n'));
      lines = [];
    }
  }
  if (lines.length) await send(lines.join('\n'));
  await Promise.all(inflight);
  return n;
}

function* plantRows(data: PlantData): Generator<[string, Sample]> {
  const names = data.tags.map((t) => escapeTag(t.name));
  for (const w of data.windows) for (let i = 0; i < names.length; i++) for (const s of tagSamples(data, w, i)) yield [names[i], s];
}

function* seriesRows(s: Series): Generator<[string, Sample]> {
  for (const chunk of seriesChunks(s)) for (const x of chunk) yield [s.name, x];
}

export interface InfluxFigures {
  version: string;
  /** bytes: all files; tsmWalBytesPerSample: the .tsm and .wal files alone. */
  plant: BaselineIngest & { tsmWalBytesPerSample: number };
  series: { samples: number; plot: { coldMs: number; warmMs: number }; average: { coldMs: number; warmMs: number } };
}

/** Starts influxd in dir, loads the plant data and the series, measures, stops it. */
export async function influxRun(dir: string, version: string, data: PlantData, s: Series, buckets: number, runs: number): Promise<InfluxFigures> {
  const influx = await Influx.start(dir);
  try {
    await influx.query('CREATE DATABASE plant');
    await influx.query('CREATE DATABASE longseries');
    let t = performance.now();
    const n = await writeLines(influx, 'plant', plantRows(data));
    const writeMs = performance.now() - t;
    const bytes = await influx.settledBytes();
    await writeLines(influx, 'longseries', seriesRows(s));
    const end = seriesEnd(s);
    const width = Math.ceil((end - s.t0) / buckets);
    const where = `WHERE "tag" = '${s.name}' AND time >= ${s.t0}ms AND time < ${end}ms`;
    const timeQuery = async (q: string) => {
      t = performance.now();
      await influx.query(q, 'longseries');
      const coldMs = performance.now() - t;
      const warm: number[] = [];
      for (let i = 0; i < runs; i++) {
        t = performance.now();
        await influx.query(q, 'longseries');
        warm.push(performance.now() - t);
      }
      return { coldMs, warmMs: median(warm) };
    };
    const plot = await timeQuery(`SELECT min(value), max(value), first(value), last(value) FROM s ${where} GROUP BY time(${width}ms)`);
    const weekEnd = s.t0 + Math.min(7 * 86_400_000, seriesEnd(s) - s.t0);
    const average = await timeQuery(`SELECT mean(value) FROM s WHERE "tag" = '${s.name}' AND time >= ${s.t0}ms AND time < ${weekEnd}ms GROUP BY time(1h)`);
    return { version, plant: { ...ingest(n, writeMs, bytes.total), tsmWalBytesPerSample: bytes.tsmWal / n }, series: { samples: s.count, plot, average } };
  } finally {
    await influx.stop();
  }
}

export { dirBytes };
