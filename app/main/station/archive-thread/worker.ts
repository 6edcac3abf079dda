/**
 * The station's archive in a thread of its own: appends, commits and CSV
 * imports run here, so a commit (100-200 ms at 10,000 tags, fsync included)
 * never holds up the station's thread, where OPC UA publishes arrive and
 * live values leave for the consoles. Reads need no writer: the station
 * reads the archive over its own read-only connections.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { ArchiveLockedError, Historian, type ArchivedSample, type Sample, type TagKind } from '../../../../historian/index.js';
import { BadNoData } from '../../../../historian/status.js';
import { Flag } from '../../../../historian/types.js';
import { historianTarget, noLineEndWarning, stillWrittenNote, type ImportReport } from '../../../../historian/csv/import.js';
import { Inbox } from '../../../../historian/csv/watch.js';
import { inboxImportOptions } from '../../../../historian/csv/inbox-settings.js';
import { FlushPacer } from '../flush-pacer.js';
import { decodeRuns } from './columns.js';
import { threadError, type ArchiveThreadData, type FromWorker, type LogLevel, type SampleColumns, type ToWorker } from './protocol.js';

const port = parentPort!;
const data = workerData as ArchiveThreadData;
const post = (msg: FromWorker) => port.postMessage(msg);
const log = (level: LogLevel, msg: string, fields: Record<string, unknown> = {}, err?: unknown) =>
  post({ type: 'log', level, msg, fields, ...(err === undefined ? {} : { error: threadError(err) }) });

function writeFailed(err: unknown): void {
  log('error', 'archive write failed', {}, err);
  post({ type: 'writeFailed', error: threadError(err), dropping: heldNow?.droppingNow() ?? null });
}

/** Tags archived here, by kind: samples of any other tag are not archived (as before the thread). */
const kinds = new Map<string, TagKind>();
const names: string[] = [];
const kindOf = (tag: string) => kinds.get(tag);
/** The last samples or backfill batch handled: what a commit includes. */
let handled = 0;

/** A value-less sample's placeholder by kind (the Bad status says it is none), as columns.ts decodes a loss marker. */
const NO_VALUE: Record<TagKind, Sample['value']> = { analog: NaN, discrete: false, text: '' };

/**
 * While commits fail (a full disk) the samples stay in the writer's memory and the first commit
 * that succeeds writes them. Bounded: past `max` samples since the last commit that succeeded, a
 * tag's further samples are dropped until one succeeds, the first of them archived as BadNoData
 * at its time. The history then says "no data" there; without it the compressor would take the
 * gap for a value that held (a HIST cyclic record: the last value, Good, across samples it never
 * saw). A Bad point makes no cyclic record, and the next value after it is archived as a break.
 */
class HeldSamples {
  private held = 0;
  private failing = false;
  /** Tags whose samples are being dropped: how many so far. */
  private readonly dropping = new Map<string, number>();
  /** When the first of them began to be dropped. */
  private droppingSince = 0;

  constructor(private readonly max: number) {}

  /** What of a tag's samples to archive now: all of them, or those within the bound and the gap's marker. */
  take(tag: string, kind: TagKind, samples: Sample[]): Sample[] {
    const dropped = this.dropping.get(tag);
    if (dropped !== undefined) {
      this.dropping.set(tag, dropped + samples.length);
      return [];
    }
    if (!this.failing || this.held + samples.length <= this.max) {
      this.held += samples.length;
      return samples;
    }
    const room = Math.max(0, this.max - this.held);
    if (this.dropping.size === 0) {
      this.droppingSince = Date.now();
      log('error', 'archive cannot hold more samples while it cannot write: new samples are dropped, archived as a gap (BadNoData), until a commit succeeds', { heldSamplesMax: this.max });
    }
    this.dropping.set(tag, samples.length - room);
    this.held += room + 1;
    return [...samples.slice(0, room), { t: samples[room]!.t, value: NO_VALUE[kind], status: BadNoData }];
  }

  /** Samples that take memory without being dropped (a backfill: past data, asked for once). */
  count(n: number): void { this.held += n; }

  failed(): void { this.failing = true; }

  /** For the archive's health (the console's chip): since when samples are dropped, of how many tags; null when none is. */
  droppingNow(): { since: number; tags: number } | null {
    return this.dropping.size === 0 ? null : { since: this.droppingSince, tags: this.dropping.size };
  }

  /** A commit succeeded: memory is free again; what was dropped meanwhile, for the log. */
  committed(): { samples: number; tags: number } | null {
    this.held = 0;
    this.failing = false;
    if (this.dropping.size === 0) return null;
    let samples = 0;
    for (const n of this.dropping.values()) samples += n;
    const out = { samples, tags: this.dropping.size };
    this.dropping.clear();
    return out;
  }
}

/** The running writer's held samples: what a failed commit reports of them (writeFailed). */
let heldNow: HeldSamples | null = null;

/** What became of an inbox file read in full: imported and moved, read while still written (left), or imported again where it lies. */
function inboxImported(r: ImportReport): string {
  if (r.changedWhileRead) return 'inbox file read while still being written: what it held so far is imported, the file is left in the inbox and imported again once stable';
  if (r.grewAfterImport) return 'inbox file imported again: it grew after it was imported and moved';
  return 'inbox file imported';
}

/** The archive, open with its tags defined; null after a failure was posted (the host then ends this thread). */
async function open(): Promise<Historian | null> {
  let h: Historian;
  try {
    h = Historian.open(data.dir, {
      ...data.options,
      flushIntervalMs: 0, // the pacer below commits
      onError: writeFailed,
    });
  } catch (err) {
    post({ type: 'failed', error: threadError(err, err instanceof ArchiveLockedError) });
    return null;
  }
  // A past volume whose file is damaged or missing is left out, not fatal: said once, with what to do.
  for (const p of h.checkVolumes()) log('warn', 'archive volume unreadable', { volume: p.volume, path: p.path, reason: p.reason, advice: p.message });
  try {
    for (const tag of data.tags) {
      h.defineTag(tag);
      kinds.set(tag.name, tag.kind);
    }
    data.tags.length = 0; // workerData lives as long as the thread: not a second copy of every tag's config
  } catch (err) {
    await h.close();
    post({ type: 'failed', error: threadError(err) });
    return null;
  }
  return h;
}

/**
 * The archive yields the CPU to the station's thread: on two cores shared with OPC UA
 * decryption and the consoles, a value on screen comes first, its commit a little later (it
 * is paced at a second anyway). On Linux a thread has a nice value of its own: setpriority()
 * given the thread's id sets that thread's alone. Elsewhere the thread keeps the process's.
 */
const ARCHIVE_NICE = 10;

function yieldToStation(): void {
  if (process.platform !== 'linux') return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop()); // "<pid>/task/<tid>"
    setPriority(tid, ARCHIVE_NICE);
  } catch (err) {
    log('warn', 'archive thread keeps the station\'s priority', {}, err);
  }
}

yieldToStation();
const opened = await open();
if (opened !== null) run(opened);

function run(historian: Historian): void {
  const pacer = data.flushIntervalMs > 0
    ? new FlushPacer(() => commit(), data.flushIntervalMs, writeFailed)
    : null;

  const held = new HeldSamples(data.heldSamplesMax);
  heldNow = held;

  function commit(): void {
    const seq = handled;
    flushHeld(false);
    post({ type: 'committed', seq, at: Date.now() });
  }

  /** A flush whose success frees what was held, and whose failure bounds what is held next (HeldSamples). */
  function flushHeld(all: boolean): void {
    try {
      historian.flush(all);
    } catch (err) {
      held.failed();
      throw err;
    }
    const dropped = held.committed();
    if (dropped) log('warn', 'archive writing again: the samples dropped meanwhile are archived as a gap (BadNoData)', dropped);
  }

  /** Missing periods are filled from CSV files dropped into <data>/inbox (HIST's watched folder). */
  // The config's station.inbox (time zone, date order, epoch): no zone, and a file of times without offset is refused.
  const inboxSettings = data.inbox;
  const inbox = data.inboxDir === null ? null : new Inbox(historianTarget(historian), data.inboxDir, {
    ...inboxImportOptions(inboxSettings),
    ...data.inboxTiming,
    onFile: (report, path) => {
      // Where the file is now: moved to done/ or rejected/, or left in the inbox while still written.
      const fields = { file: report.file, imported: report.imported, rejected: report.rejections.count, [report.changedWhileRead ? 'leftAt' : 'movedTo']: path };
      if (report.fileError || report.rejections.count > 0) log('warn', 'inbox file rejected in part', { ...fields, error: report.fileError });
      else log('info', inboxImported(report), fields);
      // A file still being written when it was taken may have lost the end of its last value.
      const cut = noLineEndWarning(report);
      if (cut) log('warn', 'inbox file may be cut short', { file: report.file, line: report.noLineEnd, warning: cut });
      // Its writer still had it open: the convention that avoids it, for whoever writes the files.
      const written = stillWrittenNote(report);
      if (written) log('warn', 'inbox file was still being written', { file: report.file, warning: written });
    },
    onError: (err) => log('error', 'inbox poll failed', {}, err),
    // The follow record (historian/csv/follow-record.ts): damaged at start, or not written.
    onNote: (level, msg, fields) => log(level, msg, fields),
  });
  inbox?.start();

  function append(batch: SampleColumns): void {
    decodeRuns(batch, names, kindOf, (tag, given) => {
      const samples = held.take(tag, kindOf(tag)!, given);
      if (samples.length === 0) return;
      try {
        historian.append(tag, samples);
      } catch (err) {
        // One tag's bad samples must not stop the others from being archived; reported, not dropped silently.
        log('error', 'archive append failed', { tag }, err);
      }
    });
    pacer?.noteData();
  }

  /**
   * A gap filled from a server's history: archived as given, flagged Backfilled (historian/types.ts).
   * A tag refused is said back with the batch's number: its gap must not be taken for filled.
   */
  function backfill(batch: SampleColumns, seq: number): void {
    const byTag = new Map<string, ArchivedSample[]>();
    decodeRuns(batch, names, kindOf, (tag, samples) => {
      let list = byTag.get(tag);
      if (!list) byTag.set(tag, (list = []));
      for (const s of samples) list.push({ ...s, flags: Flag.Backfilled });
      held.count(samples.length);
    });
    const refused: string[] = [];
    let first: unknown = null;
    for (const [tag, list] of byTag) {
      try {
        historian.insert(tag, list);
      } catch (err) {
        log('error', 'archive backfill failed', { tag }, err);
        refused.push(tag);
        first ??= err;
      }
    }
    if (refused.length > 0) post({ type: 'backfillRefused', seq, error: threadError(first), tags: refused });
    pacer?.noteData();
  }

  /** A tag the archive did not define (its configuration was refused, logged then) has nothing to go by it. */
  function granted(sampling: [string, number][]): void {
    for (const [tag, ms] of sampling) {
      if (!kinds.has(tag)) continue;
      try {
        historian.grantSampling(tag, ms);
      } catch (err) {
        log('error', 'granted sampling interval not taken', { tag, samplingIntervalMs: ms }, err);
      }
    }
  }

  /** Tags added or changed from the console become new tags or new configuration versions, from now. */
  function define(tags: ArchiveThreadData['tags']): void {
    for (const tag of tags) {
      try {
        historian.defineTag(tag);
        kinds.set(tag.name, tag.kind);
      } catch (err) {
        log('error', 'tag configuration not archived', { tag: tag.name }, err);
      }
    }
  }

  async function call(msg: Extract<ToWorker, { type: 'call' }>): Promise<void> {
    try {
      switch (msg.op) {
        case 'flush':
          flushHeld(true);
          post({ type: 'reply', id: msg.id, ok: true });
          break;
        case 'publish':
          historian.publish(msg.tags);
          post({ type: 'reply', id: msg.id, ok: true });
          break;
        case 'tagStats':
          post({ type: 'reply', id: msg.id, ok: true, result: historian.tagStats() });
          break;
        case 'close':
          pacer?.stop(); // close() writes everything itself
          await inbox?.stop();
          await historian.close();
          post({ type: 'reply', id: msg.id, ok: true });
          port.close();
          break;
      }
    } catch (err) {
      post({ type: 'reply', id: msg.id, ok: false, error: threadError(err) });
    }
  }

  port.on('message', (msg: ToWorker) => {
    switch (msg.type) {
      case 'samples':
        append(msg.batch);
        handled = msg.seq;
        break;
      case 'backfill':
        backfill(msg.batch, msg.seq);
        handled = msg.seq;
        break;
      case 'define':
        define(msg.tags);
        break;
      case 'granted':
        granted(msg.sampling);
        break;
      case 'call':
        void call(msg);
        break;
    }
  });
  post({ type: 'ready' });
}
