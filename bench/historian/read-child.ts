/**
 * The bench's timed reads, each in a fresh process: the bench itself holds
 * its generated plant (~1 GB of sample objects), and a major GC of that heap
 * (0.6-0.8 s, measured with --trace-gc) otherwise lands in whichever read
 * allocates next and is charged to it. A console or the sync reads from a
 * process whose heap is the station's, not the benchmark's.
 */
import { COLD_RUNS, averageQuery, plotQuery, readRawAll } from './hist-phase.js';
import { type NaiveFigures, naiveQuery } from './baselines.js';
import { median } from './timing.js';
import { NaiveStore } from './naive.js';
import type { Series } from './feed.js';

export type ReadRequest =
  | { op: 'raw'; dir: string; tags: string[]; start: number; end: number; runs: number }
  | { op: 'plot'; dir: string; series: Series; buckets: number; runs: number; columns: boolean }
  | { op: 'average'; dir: string; series: Series; spanMs: number; intervalMs: number; runs: number }
  | { op: 'naive-raw'; file: string; tagIds: number[]; runs: number }
  | { op: 'naive-plot'; file: string; tagId: number; start: number; end: number; buckets: number; runs: number }
  | { op: 'naive-average'; file: string; tagId: number; start: number; end: number; intervalMs: number; runs: number };

async function answer(r: ReadRequest): Promise<unknown> {
  switch (r.op) {
    case 'raw': return readRawAll(r.dir, r.tags, r.start, r.end, r.runs);
    case 'plot': return plotQuery(r.dir, r.series, r.buckets, r.runs, r.columns);
    case 'average': return averageQuery(r.dir, r.series, r.spanMs, r.intervalMs, r.runs);
    case 'naive-raw': return withNaive(r.file, (st) => {
      let samples = 0;
      return { ...naiveQuery(r.runs, () => (samples = st.readAll(r.tagIds))), samples };
    });
    case 'naive-plot': return naiveCold(r.file, r.runs, (st) => naiveQuery(r.runs, () => st.plot(r.tagId, r.start, r.end, r.buckets)));
    case 'naive-average': return naiveCold(r.file, r.runs, (st) => naiveQuery(r.runs, () => st.average(r.tagId, r.start, r.end, r.intervalMs)));
  }
}

/**
 * The naive table's query figures with its cold time measured as the historian's is: the median
 * of COLD_RUNS first calls on fresh connections (one, when `runs` is 0: a query of seconds).
 */
function naiveCold(file: string, runs: number, fn: (store: NaiveStore) => NaiveFigures): NaiveFigures {
  const cold: number[] = [];
  let figures: NaiveFigures | null = null;
  for (let i = 0; i < (runs > 0 ? COLD_RUNS : 1); i++) {
    figures = withNaive(file, fn);
    cold.push(figures.coldMs);
  }
  return { ...figures!, coldMs: median(cold) };
}

function withNaive<T>(file: string, fn: (store: NaiveStore) => T): T {
  const store = new NaiveStore(file);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

process.once('message', (r: ReadRequest) => {
  answer(r).then(
    (result) => process.send!({ result }, () => process.exit(0)),
    (e: unknown) => process.send!({ error: (e as Error).stack ?? String(e) }, () => process.exit(1)),
  );
});
