/**
 * CSV exports on the station side: checks the request, asks the shell where
 * to save (Electron) or hands out a one-time download link (browser mode),
 * runs each export in its own worker thread and tells the console that
 * started it how far it got. The shell only shows its save dialog; writing
 * the file is done here, the same for both shells.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { zoneOffset } from '../../../../historian/csv/zone.js';
import type { ExportParams, ExportProgress, Result } from '../../../shared/api.js';
import type { Connection } from '../../api/connection.js';
import { ApiFailure, type CallContext } from '../../api/dispatcher.js';
import type { Logger } from '../../log.js';
import { versionsOver } from '../history-encode.js';
import type { HistorySource } from '../history.js';
import { exportFileName, type ExportHeader } from './format.js';
import { DownloadRoutes } from './downloads.js';
import { FileSink } from './file-sink.js';
import { ExportHash } from './run.js';
import type { ExportWorkerData, FromWorker, ToWorker } from './worker.js';

/** Electron's save dialog: the chosen path, or null when the operator cancelled. */
export type SaveDialog = (suggestedName: string) => Promise<string | null>;

export interface ExportServiceOptions {
  archiveDir: string;
  historian: Pick<HistorySource, 'tagNames' | 'versions' | 'publish'>;
  stationName: () => string;
  logger: Logger;
  saveDialog?: SaveDialog;
  /** How long a download link may wait for its request (ms). */
  linkTtlMs?: number;
}

/** A running export: its worker, and who is told about it. */
export interface ExportJob {
  readonly id: string;
  readonly user: string;
  readonly connection: Connection;
  worker: Worker | null;
  state: ExportProgress['state'];
  cancel(): void;
}

const self = import.meta.url;
const built = !self.endsWith('.ts');
// Development and tests run TypeScript through the historian's worker entry (it registers tsx);
// the Electron bundle carries both beside itself (scripts/build-electron.mjs).
const ENTRY = built ? new URL('./worker-entry.mjs', self) : new URL('../../../../historian/read/worker-entry.mjs', self);
const MODULE = built ? new URL('./export-worker.js', self) : new URL('./worker.ts', self);

export class ExportService {
  readonly downloads: DownloadRoutes;
  private readonly jobs = new Map<string, ExportJob>();
  /** A worker with its code loaded, for the next export (starting one took ~1 s of a 1 M-row export). */
  private ready: Worker | null = null;
  private stopped = false;

  constructor(private readonly opts: ExportServiceOptions) {
    this.downloads = new DownloadRoutes(opts.linkTtlMs ?? 60_000, (job, sink) => this.run(job, sink));
    this.prepare();
  }

  /** Starts the worker the next export takes (idle, it keeps nothing alive). */
  private prepare(): void {
    if (this.stopped || this.ready) return;
    const worker = this.spawn();
    worker.unref();
    const gone = () => {
      if (this.ready === worker) this.ready = null;
    };
    worker.once('exit', gone);
    worker.once('error', (err) => {
      gone();
      this.opts.logger.error({ err }, 'export: a prepared worker failed');
    });
    this.ready = worker;
  }

  private takeWorker(): Worker {
    const worker = this.ready;
    this.ready = null;
    if (worker) worker.removeAllListeners();
    return worker ?? this.spawn();
  }

  private spawn(): Worker {
    return new Worker(ENTRY, { workerData: { module: MODULE.href, dir: this.opts.archiveDir } satisfies ExportWorkerData & { module: string } });
  }

  async start(p: ExportParams, ctx: CallContext): Promise<Result<'trends.export'>> {
    const user = ctx.session?.user ?? 'unknown';
    const spec = await this.spec(p, user);
    const fileName = exportFileName(spec.station, p.start, p.shape);
    ctx.setAudit({
      target: p.tags.join(', '),
      detail: `${p.shape}${p.shape === 'resampled' ? ` ${p.aggregate ?? 'automatic'} ${p.intervalMs} ms` : ''}, ${new Date(p.start).toISOString()} .. ${new Date(p.end).toISOString()}, ${p.timeZone ?? 'UTC'}`,
    });
    const job = this.newJob(user, ctx.connection, spec);
    if (this.opts.saveDialog) {
      const path = await this.opts.saveDialog(fileName);
      if (path === null) {
        this.jobs.delete(job.id);
        return { id: job.id, target: { kind: 'cancelled' } };
      }
      this.run(job, new FileSink(path), path);
      return { id: job.id, target: { kind: 'file', path } };
    }
    const token = randomBytes(24).toString('base64url');
    this.downloads.offer(token, job, fileName);
    this.tell(job, { state: 'waiting', rows: 0, bytes: 0, fraction: 0 });
    return { id: job.id, target: { kind: 'download', url: `${DownloadRoutes.prefix}${token}`, fileName } };
  }

  cancel(id: string, ctx: CallContext): { cancelled: boolean } {
    const job = this.jobs.get(id);
    if (!job) return { cancelled: false };
    if (job.connection !== ctx.connection && job.user !== ctx.session?.user) {
      throw new ApiFailure('forbidden', `export ${id} was started by another console`, { key: 'trends.error.notYourExport' });
    }
    ctx.setAudit({ target: id });
    job.cancel();
    return { cancelled: true };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.downloads.clear();
    const ready = this.ready;
    this.ready = null;
    await Promise.all([...[...this.jobs.values()].map((j) => j.worker), ready].map((w) => w?.terminate()));
    this.jobs.clear();
  }

  private async spec(p: ExportParams, user: string): Promise<ExportHeader> {
    const known = new Set(this.opts.historian.tagNames());
    const unknown = p.tags.find((t) => !known.has(t));
    if (unknown !== undefined) {
      throw new ApiFailure('bad_request', `export: tag "${unknown}" is not archived in this station`, { key: 'history.error.unknownTag', params: { tag: unknown } });
    }
    await this.opts.historian.publish(p.tags); // the export reads all the tags received, not only what the background flushes wrote
    if (p.timeZone !== null && zoneOffset(p.timeZone) === undefined) {
      throw new ApiFailure('bad_request', `export: unknown time zone "${p.timeZone}"`, { key: 'trends.error.timeZone', params: { zone: p.timeZone } });
    }
    const pens = [...new Set(p.tags)].map((tag) => {
      const versions = this.opts.historian.versions(tag);
      return { tag, kind: versions[0]!.config.kind, versions: versionsOver(versions, p.start, p.end) };
    });
    return {
      station: this.opts.stationName(), user, exportedAt: Date.now(), start: p.start, end: p.end, timeZone: p.timeZone,
      shape: p.shape, aggregate: p.aggregate, intervalMs: p.intervalMs, pens,
    };
  }

  private newJob(user: string, connection: Connection, spec: ExportHeader): ExportJob & { spec: ExportHeader } {
    const job = {
      id: randomUUID(), user, connection, spec, worker: null as Worker | null, state: 'waiting' as ExportProgress['state'],
      cancel: () => {
        if (job.worker) job.worker.postMessage({ type: 'cancel' } satisfies ToWorker);
        else if (job.state === 'waiting') {
          this.downloads.withdraw(job);
          this.finish(job, { state: 'cancelled', rows: 0, bytes: 0, fraction: 0 });
        }
      },
    };
    this.jobs.set(job.id, job);
    return job;
  }

  /**
   * Runs the job's worker, which reads and formats; here its chunks are hashed
   * and written to the sink (a download or a file), and the hash line closes it.
   */
  private run(job: ExportJob & { spec?: ExportHeader }, sink: StreamSink, path?: string): void {
    const worker = this.takeWorker();
    worker.ref();
    worker.postMessage({ type: 'start', spec: job.spec! } satisfies ToWorker);
    const hash = new ExportHash();
    job.worker = worker;
    job.state = 'running';
    const log = this.opts.logger;
    let ended = false;
    const fail = (state: 'failed' | 'cancelled', error?: string) => {
      if (ended) return;
      ended = true;
      if (error) log.error({ export: job.id, error }, 'export failed');
      void worker.terminate();
      // Told only once nothing complete-looking is left (the .part is gone).
      void sink
        .abort()
        .catch((err: Error) => log.error({ export: job.id, err }, 'export: could not remove what was written'))
        .then(() => this.finish(job, { state, rows: 0, bytes: 0, fraction: 0, ...(error ? { error } : {}) }));
    };
    worker.on('message', (m: FromWorker) => {
      if (ended) return;
      switch (m.type) {
        case 'chunk': {
          const bytes = new Uint8Array(m.bytes);
          hash.update(bytes);
          sink.write(bytes, () => worker.postMessage({ type: 'ack' } satisfies ToWorker));
          break;
        }
        case 'progress':
          this.tell(job, { state: 'running', rows: m.rows, bytes: m.bytes, fraction: m.fraction });
          break;
        case 'done': {
          ended = true;
          const last = hash.closing(m.rows);
          sink.write(last, () => undefined);
          const bytes = m.bytes + last.length;
          sink.end().then(
            () => {
              log.info({ export: job.id, user: job.user, rows: m.rows, bytes, sha256: hash.sha256, path }, 'export written');
              this.finish(job, { state: 'done', rows: m.rows, bytes, fraction: 1, sha256: hash.sha256, ...(path ? { path } : {}) });
            },
            (err: Error) => {
              ended = false;
              fail('failed', err.message);
            },
          );
          break;
        }
        case 'cancelled':
          fail('cancelled');
          break;
        case 'failed':
          fail('failed', m.error);
          break;
      }
    });
    worker.on('error', (err) => fail('failed', `export worker failed: ${err.message}`));
    worker.on('exit', () => {
      job.worker = null;
      fail('failed', 'export worker stopped');
    });
    // The browser went away (download cancelled there): stop reading. The file could not be written: fail.
    sink.onClose((error) => {
      if (ended) return;
      if (error) fail('failed', error.message);
      else worker.postMessage({ type: 'cancel' } satisfies ToWorker);
    });
  }

  private tell(job: ExportJob, p: Omit<ExportProgress, 'id'>): void {
    job.state = p.state;
    job.connection.send('trends.exportProgress', { id: job.id, ...p });
  }

  private finish(job: ExportJob, p: Omit<ExportProgress, 'id'>): void {
    this.tell(job, p);
    this.jobs.delete(job.id);
    this.prepare(); // for the next one, now that this one no longer needs the CPU
  }
}

/** Where an export's bytes go: an HTTP response (browser mode) or a file (Electron). */
export interface StreamSink {
  /** `written` runs once the bytes left (socket drained, file written): the worker may send more. */
  write(bytes: Uint8Array, written: () => void): void;
  /** Everything was written: finish (a file is synced and renamed). */
  end(): Promise<void>;
  /** Cut the stream so the receiver sees it failed (no complete-looking file); resolves when done. */
  abort(): Promise<void>;
  /** The receiver went away (download cancelled in the browser), or with `error`, the bytes cannot be written. */
  onClose(listener: (error?: Error) => void): void;
}
