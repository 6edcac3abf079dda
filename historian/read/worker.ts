/**
 * The reader worker: heavy reads on their own read-only connections, so a
 * long query never holds up the writer. Started by HistorianReader.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readAtTime } from './at-time.js';
import { readPlot } from './plot.js';
import { readProcessed } from './processed.js';
import { readRaw } from './raw.js';
import { readRawColumns } from './raw-columns.js';
import { changeBacklog, changeHead, readChangeColumns, readChanges } from './changes.js';
import { ReadSource } from './source.js';
import type { ChangeColumns, ChangeCursor, PlotSeries, RawColumnsPage } from './types.js';

export type ReaderOp = 'raw' | 'rawColumns' | 'atTime' | 'processed' | 'plot' | 'changes' | 'changeColumns' | 'changeHead' | 'changeBacklog' | 'unreadable' | 'close';
export interface ReaderRequest { id: number; op: ReaderOp; query: unknown }
export interface ChangesQuery { after: ChangeCursor | null; maxSamples: number }
export type ReaderResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

const port = parentPort;
if (port === null) throw new Error('historian/read/worker: must run in a worker thread');
const src = new ReadSource((workerData as { dir: string }).dir);

port.on('message', (req: ReaderRequest) => {
  if (req.op === 'close') {
    src.close();
    port.postMessage({ id: req.id, ok: true, result: null } satisfies ReaderResponse);
    port.close();
    return;
  }
  try {
    const result = run(req);
    port.postMessage({ id: req.id, ok: true, result } satisfies ReaderResponse, transferables(req.op, result));
  } catch (err) {
    port.postMessage({ id: req.id, ok: false, error: (err as Error).message } satisfies ReaderResponse);
  }
});

function run(req: ReaderRequest): unknown {
  switch (req.op) {
    case 'raw': return readRaw(src, req.query as Parameters<typeof readRaw>[1]);
    case 'rawColumns': return readRawColumns(src, req.query as Parameters<typeof readRawColumns>[1]);
    case 'atTime': return readAtTime(src, req.query as Parameters<typeof readAtTime>[1]);
    case 'processed': return readProcessed(src, req.query as Parameters<typeof readProcessed>[1]);
    case 'plot': return readPlot(src, req.query as Parameters<typeof readPlot>[1]);
    case 'changes': return readChanges(src, (req.query as ChangesQuery).after, (req.query as ChangesQuery).maxSamples);
    case 'changeColumns': return readChangeColumns(src, (req.query as ChangesQuery).after, (req.query as ChangesQuery).maxSamples);
    case 'changeHead': return changeHead(src);
    case 'changeBacklog': return changeBacklog(src, (req.query as ChangesQuery).after);
    case 'unreadable': return src.unreadable();
    default: throw new Error(`reader: unknown operation '${String(req.op)}'`);
  }
}

/** Plot, raw and change columns move to the caller without a copy. */
function transferables(op: string, result: unknown): ArrayBuffer[] {
  if (op === 'rawColumns') return (result as RawColumnsPage).series.flatMap((s) => [s.t, s.value, s.status, s.flags].map((a) => a.buffer as ArrayBuffer));
  if (op === 'changeColumns') {
    const c = result as ChangeColumns;
    return [...new Set([c.tag, c.t, c.value, c.status, c.flags, c.writtenAt].map((a) => a.buffer as ArrayBuffer))];
  }
  if (op !== 'plot') return [];
  const out: ArrayBuffer[] = [];
  for (const s of result as PlotSeries[]) {
    for (const a of [s.t, s.min, s.max, s.firstT, s.first, s.lastT, s.last, s.count, s.status, s.flags]) out.push(a.buffer as ArrayBuffer);
  }
  return out;
}
