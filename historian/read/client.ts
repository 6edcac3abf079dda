/**
 * HistorianReader: the async face of the reader worker. Each call posts a
 * query and resolves with the answer; the worker keeps the process alive only
 * while a call is pending.
 */
import { Worker } from 'node:worker_threads';
import type { ReaderOp, ReaderRequest, ReaderResponse } from './worker.js';
import type {
  AtTimeQuery, ChangeBacklog, ChangeColumns, ChangeCursor, ChangePage, PlotQuery, PlotSeries, ProcessedQuery, RawColumnsPage, RawColumnsQuery, RawPage, RawQuery, TagValues,
} from './types.js';
import type { VolumeProblem } from '../store/unreadable.js';

export interface ReaderOptions {
  /** Module the worker runs (default: worker.ts beside this file in development, worker.js when built). */
  workerModule?: URL;
}

export class HistorianReader {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;

  constructor(dir: string, options: ReaderOptions = {}) {
    const self = import.meta.url;
    const module = options.workerModule ?? new URL(self.endsWith('.ts') ? './worker.ts' : './worker.js', self);
    this.worker = new Worker(new URL('./worker-entry.mjs', self), { workerData: { dir, module: module.href } });
    this.worker.unref();
    this.worker.on('message', (res: ReaderResponse) => {
      const p = this.pending.get(res.id);
      if (!p) return;
      this.pending.delete(res.id);
      if (this.pending.size === 0) this.worker.unref();
      if (res.ok) p.resolve(res.result); else p.reject(new Error(res.error));
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    this.worker.on('error', (err) => fail(new Error(`historian reader worker failed: ${err.message}`)));
    this.worker.on('exit', (code) => fail(new Error(`historian reader worker exited (code ${code})`)));
  }

  raw(q: RawQuery): Promise<RawPage> { return this.call('raw', q) as Promise<RawPage>; }
  rawColumns(q: RawColumnsQuery): Promise<RawColumnsPage> { return this.call('rawColumns', q) as Promise<RawColumnsPage>; }
  atTime(q: AtTimeQuery): Promise<TagValues[]> { return this.call('atTime', q) as Promise<TagValues[]>; }
  processed(q: ProcessedQuery): Promise<TagValues[]> { return this.call('processed', q) as Promise<TagValues[]>; }
  plot(q: PlotQuery): Promise<PlotSeries[]> { return this.call('plot', q) as Promise<PlotSeries[]>; }
  changes(after: ChangeCursor | null, maxSamples: number): Promise<ChangePage> { return this.call('changes', { after, maxSamples }) as Promise<ChangePage>; }
  changeColumns(after: ChangeCursor | null, maxSamples: number): Promise<ChangeColumns> {
    return this.call('changeColumns', { after, maxSamples }) as Promise<ChangeColumns>;
  }
  changeHead(): Promise<ChangeCursor> { return this.call('changeHead', null) as Promise<ChangeCursor>; }
  changeBacklog(after: ChangeCursor | null): Promise<ChangeBacklog> { return this.call('changeBacklog', { after, maxSamples: 1 }) as Promise<ChangeBacklog>; }
  /** Volumes the worker's reads found missing or damaged, and skip (store/unreadable.ts). */
  unreadableVolumes(): Promise<VolumeProblem[]> { return this.call('unreadable', null) as Promise<VolumeProblem[]>; }

  async close(): Promise<void> {
    if (this.failure === null) await this.call('close', null).catch(() => undefined);
    await this.worker.terminate();
  }

  private call(op: ReaderOp, query: unknown): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, op, query } satisfies ReaderRequest);
    });
  }
}
