/**
 * Every acquired sample, with its status, into the historian. Tag
 * configuration versions follow the station config: a changed unit, range or
 * compression becomes a new version from the moment the station starts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Historian, type ArchivedSample, type HistorianOptions, type Sample, type TagConfig } from '../../../historian/index.js';
import { Flag } from '../../../historian/types.js';
import { historianTarget } from '../../../historian/csv/import.js';
import { Inbox } from '../../../historian/csv/watch.js';
import type { StationConfig, TagConfigEntry } from '../../shared/config.js';
import type { TagArchiveStats } from '../../shared/api.js';
import type { AcquiredSample } from '../acquisition/sample.js';
import type { Logger } from '../log.js';
import type { Dispatcher } from '../api/dispatcher.js';
import type { SampleSink, StationModule } from './module.js';
import { FlushPacer } from './flush-pacer.js';

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
    cycleMs: tag.samplingIntervalMs ?? server?.samplingIntervalMs ?? 0,
  };
}

/** A bad sample may carry no value; the archive keeps a typed placeholder and the bad status says it is not a value. */
function archivedValue(kind: TagConfig['kind'], value: AcquiredSample['value']): Sample['value'] {
  if (kind === 'analog') return typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : NaN;
  if (kind === 'discrete') return typeof value === 'boolean' ? value : typeof value === 'number' ? value !== 0 : false;
  return value === null ? '' : String(value);
}

export class StationArchive implements SampleSink, StationModule {
  readonly name = 'archive';
  readonly sink: SampleSink = this;
  private readonly kinds = new Map<string, TagConfig['kind']>();
  private readonly compressionText = new Map<string, string>();

  private inbox: Inbox | null = null;
  private readonly pacer: FlushPacer | null;

  private constructor(
    readonly historian: Historian,
    private readonly logger: Logger,
    flushIntervalMs: number,
  ) {
    // The historian's own timer is off: commits follow the batches (flush-pacer.ts says why).
    this.pacer = flushIntervalMs > 0
      ? new FlushPacer(() => this.historian.flush(false), flushIntervalMs, (err) => logger.error({ err }, 'archive write failed'))
      : null;
  }

  /** options: the historian's own; flushIntervalMs (default 1000) paces the commits, 0: the caller flushes. */
  static open(config: StationConfig, dataDir: string, logger: Logger, options: HistorianOptions = {}): StationArchive {
    const dir = join(dataDir, 'archive');
    mkdirSync(dir, { recursive: true });
    const historian = Historian.open(dir, {
      onError: (err) => logger.error({ err }, 'archive write failed'),
      staggerBlocks: true, // tags started together must not all seal in one commit
      ...options,
      flushIntervalMs: 0,
    });
    const archive = new StationArchive(historian, logger, options.flushIntervalMs ?? 1000);
    for (const tag of config.tags) {
      const cfg = historianTagConfig(tag, config);
      historian.defineTag(cfg);
      archive.kinds.set(tag.name, tag.kind);
      archive.compressionText.set(tag.name, describeCompression(cfg.compression));
    }
    archive.watchInbox(dataDir);
    return archive;
  }

  /** Missing periods are filled from CSV files dropped into <data>/inbox (HIST's watched folder). */
  private watchInbox(dataDir: string): void {
    const { logger } = this;
    this.inbox = new Inbox(historianTarget(this.historian), dataDir, {
      onFile: (report, movedTo) => {
        const fields = { file: report.file, imported: report.imported, rejected: report.rejections.length, movedTo };
        if (report.fileError || report.rejections.length > 0) logger.warn({ ...fields, error: report.fileError }, 'inbox file rejected in part');
        else logger.info(fields, 'inbox file imported');
      },
      onError: (err) => logger.error({ err }, 'inbox poll failed'),
    });
    this.inbox.start();
  }

  /**
   * Appends each run of one tag's samples as it comes (a publish holds one sample of each of
   * thousands of tags: no map of lists per batch); a tag's samples keep their order.
   */
  write(samples: readonly AcquiredSample[]): void {
    let run: Sample[] = [];
    let tag = '';
    for (const s of samples) {
      const kind = this.kinds.get(s.tag);
      if (!kind) continue;
      if (s.tag !== tag) {
        if (run.length) this.append(tag, run);
        run = [];
        tag = s.tag;
      }
      run.push({ t: Math.trunc(s.t), value: archivedValue(kind, s.value), status: s.status });
    }
    if (run.length) this.append(tag, run);
    this.pacer?.noteData();
  }

  private append(tag: string, run: Sample[]): void {
    try {
      this.historian.append(tag, run);
    } catch (err) {
      // One tag's bad samples must not stop the others from being archived; reported, not dropped silently.
      this.logger.error({ tag, err }, 'archive append failed');
    }
  }

  /** A gap filled from a server's history: archived as given, flagged Backfilled (historian/types.ts). */
  backfill(samples: readonly AcquiredSample[]): void {
    const byTag = new Map<string, ArchivedSample[]>();
    for (const s of samples) {
      const kind = this.kinds.get(s.tag);
      if (!kind) continue;
      let list = byTag.get(s.tag);
      if (!list) byTag.set(s.tag, (list = []));
      list.push({ t: Math.trunc(s.t), value: archivedValue(kind, s.value), status: s.status, flags: Flag.Backfilled });
    }
    for (const [tag, list] of byTag) {
      try {
        this.historian.insert(tag, list);
      } catch (err) {
        this.logger.error({ tag, err }, 'archive backfill failed');
      }
    }
    this.pacer?.noteData();
  }

  /** Tags added or changed from the console become new tags or new configuration versions, from now. */
  onConfig(next: StationConfig): void {
    for (const tag of next.tags) {
      const cfg = historianTagConfig(tag, next);
      try {
        this.historian.defineTag(cfg);
        this.kinds.set(tag.name, tag.kind);
        this.compressionText.set(tag.name, describeCompression(cfg.compression));
      } catch (err) {
        this.logger.error({ tag: tag.name, err }, 'tag configuration not archived');
      }
    }
  }

  register(dispatcher: Dispatcher): void {
    dispatcher.register(this.name, { 'tags.archiveStats': () => this.stats() });
  }

  stop(): Promise<void> {
    return this.close();
  }

  stats(): TagArchiveStats[] {
    return this.historian.tagStats().map((t) => ({
      tag: t.name,
      samplesReceived: t.samplesReceived,
      samplesArchived: t.samplesArchived,
      recordsAdded: t.recordsAdded,
      compressionRatio: t.compressionRatio,
      compression: this.compressionText.get(t.name) ?? '',
    }));
  }

  private closing: Promise<void> | null = null;

  /** Stops the inbox and closes the archive; later calls wait for the first. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.pacer?.stop(); // close() writes everything itself
      await this.inbox?.stop();
      await this.historian.close();
    })();
    return this.closing;
  }
}

function describeCompression(c: TagConfig['compression']): string {
  if (c.kind === 'none') return 'none';
  const dev = `${c.deviation}${c.percentOfSpan ? ' % of span' : ''}`;
  return `${c.kind} ${dev}`;
}
