/**
 * The station's side of the archive thread (worker.ts): samples go over as
 * transferred columns without waiting, calls (flush, publish, figures,
 * close) come back as promises, and the thread's log lines come out of the
 * station's logger.
 */
import { Worker } from 'node:worker_threads';
import { ArchiveLockedError, type TagConfig, type TagKind, type TagStats } from '../../../../historian/index.js';
import type { ArchiveHealth } from '../../../shared/api.js';
import type { AcquiredSample } from '../../acquisition/sample.js';
import type { Logger } from '../../log.js';
import { TagNumbers } from './columns.js';
import type { ArchiveThreadData, FromWorker, ThreadError, ToWorker } from './protocol.js';

const self = import.meta.url;
const built = !self.endsWith('.ts');
// Development and tests run TypeScript through the historian's worker entry (it registers tsx);
// the Electron bundle carries both beside itself (scripts/build-electron.mjs).
const ENTRY = built ? new URL('./worker-entry.mjs', self) : new URL('../../../../historian/read/worker-entry.mjs', self);
const MODULE = built ? new URL('./archive-worker.js', self) : new URL('./worker.ts', self);

/**
 * The thread's young generation (V8's default grows to 32 MB and more). What it allocates per
 * batch dies young and is small (10,000 samples a second); the station's memory is what counts
 * (issue 10: at most 400 MB at 10,000 tags).
 */
const YOUNG_GENERATION_MB = 8;

/** What the station hears of the thread besides answers. */
export interface ThreadListeners {
  /** Each commit the thread's pacing made: the last samples batch (write()'s number) in it, when it ended (ms since epoch). */
  onCommit?: (seq: number, at: number) => void;
  /** The archive started or stopped writing (a commit failed, one succeeded again, the thread ended). */
  onHealth?: (health: ArchiveHealth) => void;
  /** A backfill batch (backfill()'s number) the thread refused, wholly or for some tags. */
  onBackfillRefused?: (seq: number, err: Error, tags: string[]) => void;
}

type Call = { op: 'flush' } | { op: 'publish'; tags: string[] } | { op: 'tagStats' } | { op: 'close' };

function asError(e: ThreadError): Error {
  const err = e.locked ? new ArchiveLockedError(e.message) : new Error(e.message);
  if (e.stack) err.stack = e.stack;
  return err;
}

export class ArchiveThread {
  private readonly numbers = new TagNumbers();
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private seq = 0;
  private failure: Error | null = null;
  private closing = false;
  private healthNow: ArchiveHealth = { state: 'writing', since: null, error: null, dropping: null };

  private constructor(
    private readonly worker: Worker,
    private readonly logger: Logger,
    private readonly listeners: ThreadListeners,
  ) {
    worker.on('message', (msg: FromWorker) => this.receive(msg));
    worker.on('error', (err) => this.fail(new Error(`archive thread failed: ${err.message}`, { cause: err })));
    worker.on('exit', (code) => this.fail(new Error(`archive thread exited (code ${code})`)));
  }

  /** Starts the thread and waits until the archive is open with `data.tags` defined (or throws why not). */
  static async start(data: ArchiveThreadData, logger: Logger, listeners: ThreadListeners = {}): Promise<ArchiveThread> {
    const worker = new Worker(ENTRY, { workerData: { ...data, module: MODULE.href }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    await new Promise<void>((resolve, reject) => {
      const early = (msg: FromWorker) => {
        if (msg.type === 'log') logThread(logger, msg);
        if (msg.type !== 'ready' && msg.type !== 'failed') return;
        done();
        if (msg.type === 'ready') resolve();
        else void worker.terminate().then(() => reject(asError(msg.error)));
      };
      const failed = (err: Error) => {
        done();
        reject(new Error(`archive thread did not start: ${err.message}`, { cause: err }));
      };
      const exited = (code: number) => failed(new Error(`it exited (code ${code})`));
      const done = () => {
        worker.off('message', early);
        worker.off('error', failed);
        worker.off('exit', exited);
      };
      worker.on('message', early);
      worker.on('error', failed);
      worker.on('exit', exited);
    });
    worker.unref(); // the station's stop closes it; a call in flight holds the process (call())
    return new ArchiveThread(worker, logger, listeners);
  }

  /** Hands samples to the thread (known tags only); returns the batch's number, 0 when none was known. */
  write(samples: readonly AcquiredSample[], kindOf: (tag: string) => TagKind | undefined): number {
    return this.post('samples', samples, kindOf);
  }

  /** Values from a server's history filling a gap: archived flagged Backfilled; returns the batch's number as write() does. */
  backfill(samples: readonly AcquiredSample[], kindOf: (tag: string) => TagKind | undefined): number {
    return this.post('backfill', samples, kindOf);
  }

  /** Why nothing handed over is archived any more (the thread ended or is closing); null while it takes samples. */
  get notTaking(): Error | null {
    return this.failure ?? (this.closing ? new Error('archive thread is closing') : null);
  }

  /** Tags to define or give a new version; a refusal is logged by the thread. */
  define(tags: TagConfig[]): void {
    if (this.usable()) this.worker.postMessage({ type: 'define', tags } satisfies ToWorker);
  }

  /** The sampling interval each tag's server granted, as [tag, ms]. */
  granted(sampling: [string, number][]): void {
    if (this.usable()) this.worker.postMessage({ type: 'granted', sampling } satisfies ToWorker);
  }

  /** Everything handed over so far written and committed. */
  async flush(): Promise<void> { await this.call({ op: 'flush' }); }
  /** The tags' newest points written where readers see them (historian publish()). */
  async publish(tags: string[]): Promise<void> { await this.call({ op: 'publish', tags }); }
  tagStats(): Promise<TagStats[]> { return this.call({ op: 'tagStats' }) as Promise<TagStats[]>; }

  /** Archives what is held, writes everything, closes the archive and ends the thread. */
  async close(): Promise<void> {
    try {
      if (this.failure === null && !this.closing) {
        const closed = this.call({ op: 'close' });
        this.closing = true; // after the call: its own exit is not a failure
        await closed;
      }
    } finally {
      await this.worker.terminate();
    }
  }

  private post(type: 'samples' | 'backfill', samples: readonly AcquiredSample[], kindOf: (tag: string) => TagKind | undefined): number {
    if (!this.usable()) return 0;
    const encoded = this.numbers.encode(samples, kindOf);
    if (encoded === null) return 0;
    const seq = ++this.seq;
    this.worker.postMessage({ type, batch: encoded.batch, seq } satisfies ToWorker, encoded.transfer);
    return seq;
  }

  /** False after the thread stopped: what is handed over then is not archived (the failure was logged). */
  private usable(): boolean {
    return this.failure === null && !this.closing;
  }

  private call(c: Call): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new Error('archive thread is closing'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ type: 'call', id, ...c } as ToWorker);
    });
  }

  private receive(msg: FromWorker): void {
    switch (msg.type) {
      case 'reply': {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (this.pending.size === 0) this.worker.unref();
        if (msg.ok) p.resolve(msg.result);
        else p.reject(asError(msg.error));
        break;
      }
      case 'committed':
        if (this.healthNow.state === 'failing') this.setHealth({ state: 'writing', since: msg.at, error: null, dropping: null });
        this.listeners.onCommit?.(msg.seq, msg.at);
        break;
      case 'writeFailed':
        this.setHealth({ state: 'failing', since: this.healthNow.state === 'failing' ? this.healthNow.since : Date.now(), error: msg.error.message, dropping: msg.dropping });
        break;
      case 'log':
        logThread(this.logger, msg);
        break;
      case 'backfillRefused':
        this.listeners.onBackfillRefused?.(msg.seq, asError(msg.error), msg.tags);
        break;
      default:
        break;
    }
  }

  /** Whether the archive is writing, as the thread last said. */
  get health(): ArchiveHealth { return this.healthNow; }

  private setHealth(health: ArchiveHealth): void {
    this.healthNow = health;
    this.listeners.onHealth?.(health);
  }

  private fail(err: Error): void {
    if (this.closing || this.failure) return;
    this.failure = err;
    this.setHealth({ state: 'stopped', since: Date.now(), error: err.message, dropping: null });
    // Nothing handed over from now on is archived: an operator's data is at stake, said loudly.
    this.logger.error({ err }, 'archive thread stopped: samples are no longer archived');
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

function logThread(logger: Logger, msg: Extract<FromWorker, { type: 'log' }>): void {
  const fields = msg.error ? { ...msg.fields, err: asError(msg.error) } : msg.fields;
  logger[msg.level](fields, msg.msg);
}
