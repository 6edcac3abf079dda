/** The historian side of the benchmark, through its public API (decode also at codec level). */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { Historian, type Compression, type VolumePeriod } from '../../historian/index.js';
import { ColumnBuffer, decodeBlockInto } from '../../historian/store/codec.js';
import { ArchiveReader } from '../../historian/cli/reader.js';
import { dirBytes } from './disk.js';
import { tagConfig } from './dataset.js';
import { samplesOf, seriesChunks, seriesEnd, type PlantData, type Series } from './feed.js';
import { median, timed, timedBoth } from './timing.js';

export interface IngestFigures {
  samples: number;
  archived: number;
  seconds: number;
  samplesPerSecond: number;
  bytes: number;
  bytesPerSample: number;
}

/** Appends the plant data window by window, flushing after each (one transaction per window). */
export async function ingestPlant(dir: string, data: PlantData, compression: Compression): Promise<IngestFigures> {
  mkdirSync(dir, { recursive: true });
  const h = Historian.open(dir, { volumePeriod: 'day', flushIntervalMs: 0, sortWindowMs: 0 });
  for (const tag of data.tags) h.defineTag(tagConfig(tag, compression), data.t0);
  const names = data.tags.map((t) => t.name);
  let ms = 0;
  for (const w of data.windows) {
    const samples = samplesOf(data, w); // as acquisition hands them over: not timed
    ms += timed(() => {
      for (let i = 0; i < names.length; i++) h.append(names[i], samples[i]);
      h.flush();
    });
  }
  const t = performance.now();
  await h.close();
  return figures(dir, data.samples, ms + performance.now() - t);
}

/** Appends one long series (lossless) in day-sized chunks; generation time is excluded. */
export async function ingestSeries(dir: string, s: Series, volumePeriod: VolumePeriod): Promise<IngestFigures> {
  mkdirSync(dir, { recursive: true });
  const h = Historian.open(dir, { volumePeriod, flushIntervalMs: 0 });
  h.defineTag({ name: s.name, kind: 'analog', description: 'bench long series', unit: 'degC', range: { low: 0, high: 100 },
    compression: { kind: 'none' }, stepped: false, cycleMs: s.periodMs }, s.t0);
  let ms = 0;
  for (const chunk of seriesChunks(s)) {
    const t = performance.now();
    h.append(s.name, chunk);
    h.flush();
    ms += performance.now() - t;
  }
  const t = performance.now();
  await h.close(); // archives the held points
  ms += performance.now() - t;
  return figures(dir, s.count, ms);
}

/** After close: the held points are archived too, and counted from the catalog. */
function figures(dir: string, samples: number, ms: number): IngestFigures {
  const bytes = dirBytes(dir);
  const reader = new ArchiveReader(dir);
  const archived = reader.stats().samplesArchived;
  reader.close();
  return { samples, archived, seconds: ms / 1000, samplesPerSecond: samples / (ms / 1000), bytes, bytesPerSample: bytes / samples };
}

/**
 * Reads every archived value of the tags through the public API in pages of 100 000: as typed
 * columns (readRawColumns, what trends, export and sync read) and as row objects (readRaw).
 * Cold is the first pass after opening; warm the median of `runs` passes after it.
 */
export async function readRawAll(dir: string, tags: string[], start: number, end: number, runs: number): Promise<RawReadFigures> {
  const h = Historian.open(dir, { flushIntervalMs: 0 });
  try {
    let samples = 0, rows = 0;
    const columnsPass = () => {
      samples = 0;
      let continuation: string | null = null;
      do {
        const page = h.readRawColumns({ tags, start, end, pageSize: 100_000, continuation });
        for (const s of page.series) samples += s.length;
        continuation = page.continuation;
      } while (continuation !== null);
    };
    const rowsPass = () => {
      rows = 0;
      let continuation: string | null = null;
      do {
        const page = h.readRaw({ tags, start, end, pageSize: 100_000, continuation });
        rows += page.rows.length;
        continuation = page.continuation;
      } while (continuation !== null);
    };
    const coldMs = timed(columnsPass);
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) warm.push(timed(columnsPass));
    const rowsRuns: number[] = [];
    for (let i = 0; i < runs; i++) rowsRuns.push(timed(rowsPass));
    if (rows !== samples) throw new Error(`readRaw gave ${rows} values, readRawColumns ${samples}`);
    return { samples, coldMs, ms: median(warm), rowsMs: median(rowsRuns) };
  } finally {
    await h.close();
  }
}

export interface RawReadFigures {
  samples: number;
  /** First readRawColumns pass after opening. */
  coldMs: number;
  /** Median readRawColumns pass after it. */
  ms: number;
  /** Median readRaw (row objects) pass. */
  rowsMs: number;
}

/**
 * Every block of the tags straight from the volume files: fetched (SELECT of
 * the BLOBs) then decoded, timed apart so the codec's own speed shows. The
 * blocks are decoded as the readers do (into one reused ColumnBuffer, from the
 * Buffers SQLite returns): a first pass (cold: includes the JIT compiling the
 * decoder), then the median of `runs` passes over all of them.
 */
export function decodeBlocks(dir: string, tagIds: number[], runs: number): { samples: number; fetchMs: number; decodeMs: number; firstPassMs: number } {
  const files = readdirSync(join(dir, 'volumes')).filter((f) => f.endsWith('.sqlite'));
  const dbs = files.map((f) => new Database(join(dir, 'volumes', f), { readonly: true }));
  const blobs: Buffer[] = [];
  const fetchMs = timed(() => {
    for (const db of dbs) {
      // Sealed blocks and the open block's segments, in time order (store/schema.ts, format 3).
      const stmt = db.prepare(`SELECT b.t_start, d.data FROM block b JOIN block_data d ON d.id = b.data_id WHERE b.tag_id = @tag
        UNION ALL SELECT t_start, data FROM segment WHERE tag_id = @tag ORDER BY 1`).raw();
      for (const id of tagIds) for (const [, bytes] of stmt.iterate({ tag: id }) as IterableIterator<[number, Buffer]>) blobs.push(bytes);
    }
  });
  for (const db of dbs) db.close();
  const cols = new ColumnBuffer();
  let samples = 0;
  let checksum = 0;
  const pass = () => {
    samples = 0;
    for (const bytes of blobs) {
      const n = decodeBlockInto(bytes, cols);
      samples += n;
      checksum += cols.value[n - 1]!;
    }
  };
  const firstPassMs = timed(pass);
  const passes: number[] = [];
  for (let i = 0; i < runs; i++) passes.push(timed(pass));
  if (Number.isNaN(checksum)) throw new Error('decodeBlockInto returned NaN values');
  return { samples, fetchMs, decodeMs: median(passes), firstPassMs };
}

/** Encoded block bytes per analog tag id (the codec's payload, without SQLite's page overhead). */
export function payloadBytes(dir: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const f of readdirSync(join(dir, 'volumes')).filter((x) => x.endsWith('.sqlite'))) {
    const db = new Database(join(dir, 'volumes', f), { readonly: true });
    try {
      const rows = db.prepare(`SELECT tag_id, sum(n) FROM (SELECT b.tag_id, length(d.data) AS n FROM block b JOIN block_data d ON d.id = b.data_id
        UNION ALL SELECT tag_id, length(data) FROM segment) GROUP BY tag_id`).raw().all() as [number, number][];
      for (const [id, bytes] of rows) {
        out.set(id, (out.get(id) ?? 0) + bytes);
      }
    } finally {
      db.close();
    }
  }
  return out;
}

/** Tag ids by name, from the catalog. */
export function tagIds(dir: string, names: string[]): number[] {
  const db = new Database(join(dir, 'catalog.sqlite'), { readonly: true });
  try {
    const stmt = db.prepare('SELECT id FROM tag WHERE name = ?').pluck();
    return names.map((n) => stmt.get(n) as number);
  } finally {
    db.close();
  }
}

export interface QueryFigures {
  /** The process's first call (JIT cold too), on a Historian opened for it and closed after. */
  firstInProcessMs: number;
  /**
   * First call on a freshly opened Historian (its caches empty) in a process whose code has run
   * the query WARM_UP_RUNS times on a copy of the archive: the median of COLD_RUNS such
   * Historians (one first call is one sample of a shared machine's noise; a run saw 35-91 ms for
   * the same cold plot).
   */
  coldMs: number;
  /** The CPU time of the same cold calls (median; the process's, GC threads included): what other processes took is left out. */
  coldCpuMs: number;
  /**
   * The same in a young process: the median of the first COLD_RUNS fresh Historians after its
   * first call (on the copy), how coldMs was measured up to 2026-12-04.
   */
  youngColdMs: number;
  /** Median of the following calls. */
  warmMs: number;
  /** The same through the reader worker (incl. transfer), median. */
  workerMs: number;
}

/** columns: as the trends ask, buckets as pixel columns (a block within half a bucket of an edge is not cut). */
export async function plotQuery(dir: string, s: Series, buckets: number, runs: number, columns = false): Promise<QueryFigures> {
  const end = seriesEnd(s);
  const q = { tags: [s.name], start: s.t0, end, buckets, snapMs: columns ? (end - s.t0) / buckets / 2 : 0 };
  return query(dir, runs, (h) => h.readPlot(q), (h) => h.reader.plot(q));
}

export async function averageQuery(dir: string, s: Series, spanMs: number, intervalMs: number, runs: number): Promise<QueryFigures> {
  const q = { tags: [s.name], start: s.t0, end: s.t0 + spanMs, intervalMs, aggregate: 'Average' as const };
  return query(dir, runs, (h) => h.readProcessed(q), (h) => h.reader.processed(q));
}

/** Fresh Historians whose first call makes the cold figure (their median). */
export const COLD_RUNS = 5;

/**
 * Fresh Historians that run the query on a copy of the archive before the cold figure is taken.
 * A young process's cold reads are slower by its code's warm-up, not by its caches: on 2026-12-04
 * a process's 2nd to 6th fresh Historians took 90, 81, 59, 54 and 51 ms for the year plot, and
 * after eight, fresh Historians on a copy it had never read took 48, 52, 49 (the 2nd to 6th on the
 * archive itself again: 52, 48, 61, 49, 70). A console's reader runs all day.
 */
export const WARM_UP_RUNS = 8;

async function query(dir: string, runs: number, sync: (h: Historian) => unknown, worker: (h: Historian) => Promise<unknown>): Promise<QueryFigures> {
  const first = Historian.open(dir, { flushIntervalMs: 0 });
  const firstInProcessMs = timed(() => sync(first));
  await first.close();
  const copy = `${dir}.warm-up`;
  cpSync(dir, copy, { recursive: true });
  const young: number[] = [];
  try {
    for (let i = 0; i < WARM_UP_RUNS; i++) {
      const fresh = Historian.open(copy, { flushIntervalMs: 0 });
      young.push(timed(() => sync(fresh)));
      await fresh.close();
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
  const cold: number[] = [], coldCpu: number[] = [];
  const coldCall = (h: Historian) => {
    const { wall, cpu } = timedBoth(() => sync(h));
    cold.push(wall);
    coldCpu.push(cpu);
  };
  for (let i = 1; i < COLD_RUNS; i++) {
    const fresh = Historian.open(dir, { flushIntervalMs: 0 });
    coldCall(fresh);
    await fresh.close();
  }
  const h = Historian.open(dir, { flushIntervalMs: 0 });
  try {
    coldCall(h);
    const coldMs = median(cold);
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) warm.push(timed(() => sync(h)));
    await worker(h); // starts the worker
    const viaWorker: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await worker(h);
      viaWorker.push(performance.now() - t);
    }
    return { firstInProcessMs, coldMs, coldCpuMs: median(coldCpu), youngColdMs: median(young.slice(0, COLD_RUNS)), warmMs: median(warm), workerMs: median(viaWorker) };
  } finally {
    await h.close();
  }
}
