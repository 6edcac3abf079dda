/**
 * What the station's thread and the archive's thread say to each other
 * (archive-thread/host.ts, archive-thread/worker.ts). Samples cross as typed
 * columns whose buffers are transferred, not cloned: a publish of 10,000
 * values is four buffers, not 10,000 objects for the structured clone.
 */
import type { HistorianOptions, TagConfig, TagStats } from '../../../../historian/index.js';
import type { InboxTimeSettings } from '../../../../historian/csv/inbox-settings.js';
import type { InboxOptions } from '../../../../historian/csv/watch.js';

/** What the worker is started with. */
export interface ArchiveThreadData {
  /** The archive directory (<data>/archive). */
  dir: string;
  /** The station's data directory: the CSV inbox lives under it (null: no inbox). */
  inboxDir: string | null;
  /** The config's station.inbox: how the inbox reads times (historian/csv/inbox-settings.ts). */
  inbox?: InboxTimeSettings;
  /** How long a dropped file must stay unchanged, and how often the inbox looks: the Inbox's defaults unless a test shortens them. */
  inboxTiming?: Pick<InboxOptions, 'stableMs' | 'pollMs'>;
  /** The historian's options that can cross a thread (no functions). */
  options: Omit<HistorianOptions, 'now' | 'onError' | 'reader'>;
  /** How often the worker commits (flush-pacer.ts); 0: only when asked. */
  flushIntervalMs: number;
  /**
   * Most samples held in memory past the last commit that succeeded, while commits fail (a full
   * disk): beyond it a tag's samples are dropped and the gap is archived as BadNoData (worker.ts).
   */
  heldSamplesMax: number;
  /** The tags to define before anything is written (a failure fails the open). */
  tags: TagConfig[];
}

/**
 * A batch of samples as columns. `tag` indexes the names the worker was told so far (`names`
 * adds the new ones, in order); `value` is the number (analog, discrete) or, for text, the
 * text's index in `texts`. A discrete value is a Boolean where `boolean` is 1 (its 0/1 in
 * `value`), else a number: an Int32 or an enumeration keeps its state (1, 2, 3 are three states).
 */
export interface SampleColumns {
  names: string[];
  tag: Int32Array;
  t: Float64Array;
  value: Float64Array;
  status: Uint32Array;
  boolean: Uint8Array;
  texts: string[];
}

export type ToWorker =
  | { type: 'samples'; batch: SampleColumns; seq: number }
  /** seq: numbered with the samples batches, so a commit's `committed` says whether a backfill is durable. */
  | { type: 'backfill'; batch: SampleColumns; seq: number }
  | { type: 'define'; tags: TagConfig[] }
  /** The sampling interval (ms) each tag's server granted, as [tag, ms] (historian grantSampling). */
  | { type: 'granted'; sampling: [string, number][] }
  | { type: 'call'; id: number; op: 'flush' } // everything received, written and committed
  | { type: 'call'; id: number; op: 'publish'; tags: string[] }
  | { type: 'call'; id: number; op: 'tagStats' }
  | { type: 'call'; id: number; op: 'close' };

/** An error as it crosses the thread (an Error's own fields are not all cloned). */
export interface ThreadError {
  message: string;
  stack?: string;
  /** The archive is open for writing elsewhere (historian/writer-lock.ts). */
  locked?: boolean;
}

export type LogLevel = 'error' | 'warn' | 'info';

export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; error: ThreadError }
  | { type: 'reply'; id: number; ok: true; result?: TagStats[] }
  | { type: 'reply'; id: number; ok: false; error: ThreadError }
  /** A commit made by the worker's own pacing: `seq` the last samples batch it includes, `at` when it ended (ms since epoch). */
  | { type: 'committed'; seq: number; at: number }
  | { type: 'log'; level: LogLevel; msg: string; fields: Record<string, unknown>; error?: ThreadError }
  /**
   * A backfill batch (its `seq`) the archive refused, wholly or for some tags (a time in a detached
   * volume, a write that failed): sent before the commit that includes `seq`, so its gap is never
   * taken for filled (archive.ts).
   */
  | { type: 'backfillRefused'; seq: number; error: ThreadError; tags: string[] }
  /**
   * A commit failed (the next one retries what it held, up to heldSamplesMax samples). dropping:
   * past that bound, since when new samples are dropped and of how many tags; null within it.
   */
  | { type: 'writeFailed'; error: ThreadError; dropping: { since: number; tags: number } | null };

export function threadError(err: unknown, locked = false): ThreadError {
  if (err instanceof Error) return { message: err.message, stack: err.stack, ...(locked ? { locked } : {}) };
  return { message: String(err) };
}
