/**
 * Every acquired sample, with its status, into the historian. Tag
 * configuration versions follow the station config: a changed unit, range or
 * compression becomes a new version from the moment the station starts.
 *
 * The historian's writer runs in a thread of its own (archive-thread/): its
 * appends and commits never hold up the station's thread.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ArchiveReader, HistorianReader, type ChangeBacklog, type ChangeColumns, type ChangeCursor, type HistorianOptions, type RawColumnsPage, type RawColumnsQuery,
  type RawPage, type RawQuery, type TagConfig, type TagVersion,
} from '../../../historian/index.js';
import type { TagKind } from '../../../historian/types.js';
import type { StationConfig, TagConfigEntry } from '../../shared/config.js';
import { samplingIntervalMs } from '../../shared/config/station-checks.js';
import type { ConfigCheck, ConfigCheckIssue } from './config-file.js';
import type { ArchiveHealth, CompressionInfo, TagArchiveStats } from '../../shared/api.js';
import { ArchiveStopped } from '../acquisition/backfill-refused.js';
import type { AcquiredSample } from '../acquisition/sample.js';
import type { Logger } from '../log.js';
import type { Dispatcher, EventHub } from '../api/dispatcher.js';
import type { SampleSink, StationModule } from './module.js';
import { ArchiveThread } from './archive-thread/host.js';
import type { ArchiveThreadData } from './archive-thread/protocol.js';
import { CommittedMarkWriter } from './committed-mark.js';

export interface StationArchiveOptions extends Omit<HistorianOptions, 'now' | 'onError' | 'reader'> {
  /** Each commit the archive's thread made by its own pacing: the last write() batch it includes, when it ended (ms since epoch). */
  onCommit?: (batch: number, at: number) => void;
  /** Most samples held while commits fail (ArchiveThreadData.heldSamplesMax); default HELD_SAMPLES_MAX. */
  heldSamplesMax?: number;
  /** The inbox's stable period and poll (ArchiveThreadData.inboxTiming): tests shorten them; default the Inbox's (2 s, 1 s). */
  inboxTiming?: ArchiveThreadData['inboxTiming'];
}

/**
 * About 60 MB of held samples (raw window and open-block points, ~60 B each): a minute and a half
 * of a full disk at 10,000 tags a second, hours at a few hundred, within the station's 400 MB.
 */
export const HELD_SAMPLES_MAX = 1_000_000;

export function historianTagConfig(tag: TagConfigEntry, config: StationConfig): TagConfig {
  const server = config.servers.find((s) => s.id === tag.server);
  const analog = tag.kind === 'analog';
  return {
    name: tag.name,
    kind: tag.kind,
    description: tag.description,
    unit: tag.unit,
    range: tag.range ? { low: tag.range[0], high: tag.range[1] } : undefined,
    compression: analog ? (tag.compression ?? config.station.defaultCompression) : { kind: 'none' },
    stepped: tag.stepped ?? !analog,
    // Report-by-exception: a quiet value arrives after a gap; HIST's cyclic record keeps its step a step.
    // The interval the tag is sampled at, its group's included, as its monitored item asks (subscription.ts).
    cycleMs: server ? samplingIntervalMs(server, tag) : 0,
  };
}

export class StationArchive implements SampleSink, StationModule {
  readonly name = 'archive';
  readonly sink: SampleSink = this;
  private readonly kinds = new Map<string, TagConfig['kind']>();
  private readonly compressionOf = new Map<string, CompressionInfo>();
  private readonly kindOf = (tag: string) => this.kinds.get(tag);
  private readerInstance: HistorianReader | null = null;
  /** The sampling interval last told the thread per tag (onGranted). */
  private readonly granted = new Map<string, number>();

  private constructor(
    private readonly thread: ArchiveThread,
    /** Reads on the station's thread, over read-only connections (what the writer committed). */
    private readonly read: ArchiveReader,
    /** What the commits made durable, for the crash gap's start (committed-mark.ts). */
    private readonly mark: CommittedMarkWriter,
  ) {}

  get dir(): string { return this.read.dir; }

  /**
   * Opens the archive in <data>/archive in its own thread (archive-thread/worker.ts) and defines
   * the config's tags. options: the historian's own; flushIntervalMs (default 1000) paces the
   * commits, 0: the caller flushes. onCommit: each paced commit, with the last write() batch in it.
   */
  static async open(config: StationConfig, dataDir: string, logger: Logger, options: StationArchiveOptions = {}): Promise<StationArchive> {
    const dir = join(dataDir, 'archive');
    mkdirSync(dir, { recursive: true });
    const { flushIntervalMs = 1000, onCommit, heldSamplesMax = HELD_SAMPLES_MAX, inboxTiming, ...historianOptions } = options;
    const tags = config.tags.map((tag) => historianTagConfig(tag, config));
    let archive: StationArchive | null = null; // the thread may speak before the module exists
    const mark = new CommittedMarkWriter(dataDir, logger);
    const thread = await ArchiveThread.start({
      dir,
      inboxDir: dataDir,
      inbox: config.station.inbox,
      inboxTiming,
      // Tags started together must not all seal in one commit (staggerBlocks). A blockSize given
      // caps first and slow blocks too (slowBlockSize defaults to it): a compressed tag holds its
      // block's raw samples in memory (20 B each: 10,000 tags at 2048 would be 400 MB), and a daily
      // volume holds at most 1,440 points of a tag a minute anyway (historian/store/README.md).
      options: { staggerBlocks: true, blockSize: 512, ...historianOptions },
      flushIntervalMs,
      heldSamplesMax,
      tags,
    }, logger, {
      onCommit: (batch, at) => {
        mark.committed(batch);
        archive?.committedUpTo(batch);
        onCommit?.(batch, at);
      },
      onHealth: (health) => {
        // The thread ended: no backfill waiting for a commit will get one.
        if (health.state === 'stopped') archive?.notArchived(() => true, stoppedError(new Error(health.error ?? 'archive thread stopped')));
        archive?.events?.publish('archive.health', health);
      },
      onBackfillRefused: (seq, err, refusedTags) =>
        archive?.notArchived((batch) => batch === seq, new Error(`${err.message} (${refusedTags.length} tag(s) refused, e.g. ${refusedTags[0] ?? '?'})`)),
    });
    let read: ArchiveReader;
    try {
      read = new ArchiveReader(dir);
    } catch (err) {
      await thread.close();
      throw err;
    }
    archive = new StationArchive(thread, read, mark);
    for (const cfg of tags) archive.known(cfg);
    return archive;
  }

  private events: EventHub | null = null;

  private known(cfg: TagConfig): void {
    this.kinds.set(cfg.name, cfg.kind);
    this.compressionOf.set(cfg.name, cfg.compression);
  }

  /** Hands the samples to the archive's thread; returns the batch's number (0: none was archived here). */
  write(samples: readonly AcquiredSample[]): number {
    const batch = this.thread.write(samples, this.kindOf);
    if (batch > 0) this.mark.written(batch, Date.now(), samples);
    this.lastBatch = Math.max(this.lastBatch, batch);
    return batch;
  }

  /**
   * A gap filled from a server's history: archived as given, flagged Backfilled (historian/types.ts).
   * Resolves once a commit holds them: only then is the gap filled (server-link.ts), since a crash
   * before it loses them and no later run would read them again. At once when none of its tags is
   * archived here. Rejects when the archive refuses them (a tag's insert failed) or its thread ended
   * before a commit held them: the station passes that on, and the gap stays pending.
   */
  backfill(samples: readonly AcquiredSample[]): Promise<void> {
    const stopped = samples.length > 0 ? this.thread.notTaking : null;
    if (stopped) return Promise.reject(stoppedError(stopped));
    const batch = this.thread.backfill(samples, this.kindOf);
    if (batch === 0) return Promise.resolve();
    this.lastBatch = batch;
    return new Promise((durable, fail) => this.awaitingCommit.push({ batch, durable, refused: (err) => fail(refused(err)) }));
  }

  /** The newest batch handed to the thread (write() or backfill()). */
  private lastBatch = 0;
  /** Backfills waiting for their commit, in batch order. */
  private awaitingCommit: { batch: number; durable: () => void; refused: (err: Error) => void }[] = [];

  /** Every batch up to `batch` is committed. */
  private committedUpTo(batch: number): void {
    while (this.awaitingCommit.length > 0 && this.awaitingCommit[0]!.batch <= batch) this.awaitingCommit.shift()!.durable();
  }

  /** Backfills whose batch `which` picks will never be committed whole: their waiters are told why. */
  private notArchived(which: (batch: number) => boolean, err: Error): void {
    const gone = this.awaitingCommit.filter((w) => which(w.batch));
    this.awaitingCommit = this.awaitingCommit.filter((w) => !which(w.batch));
    for (const w of gone) w.refused(err);
  }

  /**
   * A config's tags whose kind differs from the archived tag of that name (the historian refuses
   * such a definition: the tag would silently stop being archived). ConfigStore runs it before an
   * edit is written.
   */
  readonly kindCheck = (config: StationConfig): ConfigCheckIssue[] => kindIssues(config, this.read.tagKinds());

  /**
   * The same check before the archive opens (a file edited by hand): the config is refused naming
   * the field, not the historian's refusal with a stack. Undefined when there is no archive yet, or
   * its catalog cannot be read here: opening the archive then says why.
   */
  static archivedKindCheck(dataDir: string): ConfigCheck | undefined {
    const dir = join(dataDir, 'archive');
    if (!existsSync(join(dir, 'catalog.sqlite'))) return undefined;
    let kinds: Map<string, TagKind>;
    try {
      const reader = new ArchiveReader(dir);
      try {
        kinds = reader.tagKinds();
      } finally {
        reader.close();
      }
    } catch {
      return undefined; // StationArchive.open reports what is wrong with the catalog, with its remedy
    }
    return (config) => kindIssues(config, kinds);
  }

  /** Tags added or changed from the console become new tags or new configuration versions, from now. */
  onConfig(next: StationConfig): void {
    const tags = next.tags.map((tag) => historianTagConfig(tag, next));
    for (const cfg of tags) this.known(cfg);
    this.thread.define(tags);
  }

  /**
   * What each tag's server granted its monitored item (ms): a server that samples slower than the
   * tag asks sends a changing value once per granted interval, and the archive's cyclic record
   * goes by that, not by a silence of two configured cycles it never had (historian grantSampling).
   */
  onGranted(granted: ReadonlyMap<string, number>): void {
    const changed: [string, number][] = [];
    for (const [tag, ms] of granted) {
      if (this.granted.get(tag) === ms) continue;
      this.granted.set(tag, ms);
      changed.push([tag, ms]);
    }
    if (changed.length > 0) this.thread.granted(changed);
  }

  register(dispatcher: Dispatcher, events: EventHub): void {
    this.events = events;
    dispatcher.register(this.name, { 'tags.archiveStats': () => this.stats(), 'archive.health': () => this.health });
  }

  /** Whether the archive is writing: pushed to the consoles as 'archive.health' when it changes. */
  get health(): ArchiveHealth { return this.thread.health; }

  stop(): Promise<void> {
    return this.close();
  }

  /** Per tag: what the archive received and stored, counted up to now. */
  async stats(): Promise<TagArchiveStats[]> {
    return (await this.thread.tagStats()).map((t) => ({
      tag: t.name,
      samplesReceived: t.samplesReceived,
      samplesArchived: t.samplesArchived,
      recordsAdded: t.recordsAdded,
      compressionRatio: t.compressionRatio,
      compression: this.compressionOf.get(t.name) ?? { kind: 'none' },
    }));
  }

  /** Everything handed over so far written, committed and visible to reads. */
  async flush(): Promise<void> {
    const upTo = this.lastBatch;
    await this.thread.flush();
    this.committedUpTo(upTo);
  }

  /** Before reading tags that may be live: their newest points written where reads see them. */
  publish(tags: string[]): Promise<void> { return this.thread.publish(tags); }

  // --- reads (the trends, the export and the sync): what the archive's thread committed ---

  /** The reader worker (started on first use): reads as promises, off the station's thread. */
  get reader(): HistorianReader {
    this.readerInstance ??= new HistorianReader(this.dir);
    return this.readerInstance;
  }

  tagNames(): string[] { return this.read.tagNames(); }
  versions(name: string): TagVersion[] { return this.read.versions(name); }
  readRaw(q: RawQuery): RawPage { return this.read.readRaw(q); }
  readRawColumns(q: RawColumnsQuery): RawColumnsPage { return this.read.readRawColumns(q); }
  readChangeColumns(after: ChangeCursor | null, maxSamples: number): ChangeColumns { return this.read.readChangeColumns(after, maxSamples); }
  changeHead(): ChangeCursor { return this.read.changeHead(); }
  changeBacklog(after: ChangeCursor | null): ChangeBacklog { return this.read.changeBacklog(after); }

  private closing: Promise<void> | null = null;

  /** Writes everything and closes the archive and its readers; later calls wait for the first. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const reader = this.readerInstance;
      this.readerInstance = null;
      await reader?.close();
      this.read.close();
      const upTo = this.lastBatch;
      await this.thread.close();
      this.committedUpTo(upTo); // close() wrote and committed everything
      await this.mark.settled();
    })();
    return this.closing;
  }
}

/** The error a refused backfill rejects with. */
function refused(err: Error): Error {
  return err instanceof ArchiveStopped ? err : new Error(`backfill not archived: ${err.message}`, { cause: err });
}

/** The thread ended (or closes): typed, so the acquisition does not read the history again before a new start. */
function stoppedError(err: Error): ArchiveStopped {
  return new ArchiveStopped(`backfill not archived: ${err.message}`, { cause: err });
}

/** Tags of the config whose kind differs from the archived tag of that name. */
function kindIssues(config: StationConfig, archived: ReadonlyMap<string, TagKind>): ConfigCheckIssue[] {
  const issues: ConfigCheckIssue[] = [];
  config.tags.forEach((tag, i) => {
    const was = archived.get(tag.name);
    if (was !== undefined && was !== tag.kind) {
      issues.push({ path: ['tags', i, 'kind'], message: `the archive holds "${tag.name}" as ${was}; a tag's kind cannot change: give the ${tag.kind} tag a new name` });
    }
  });
  return issues;
}
