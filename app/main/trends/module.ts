/**
 * The trends module of the station: history reads for the console, trend
 * groups saved for every user, and CSV exports (streamed to a file the shell
 * chose, or to a browser download).
 */
import { join } from 'node:path';
import { cpus } from 'node:os';
import { HistorianReader } from '../../../historian/index.js';
import type { Dispatcher } from '../api/dispatcher.js';
import type { Logger } from '../log.js';
import type { StationModule } from '../station/module.js';
import { HistoryService, type HistorySource } from './history.js';
import { TrendGroupStore } from './groups.js';
import { ExportService, type SaveDialog } from './export/service.js';

export interface TrendsModuleOptions {
  /** The archive (a Historian, or the station's archive with its writer in a thread). */
  historian: HistorySource & { readonly dir: string };
  dataDir: string;
  stationName: () => string;
  logger: Logger;
  /** Electron: asks the operator where to save (null: cancelled). Absent in browser mode: exports are downloads. */
  saveDialog?: SaveDialog;
}

export class TrendsModule implements StationModule {
  readonly name = 'trends';
  readonly history: HistoryService;
  readonly exports: ExportService;
  private groups: TrendGroupStore | null = null;
  /** A second reader worker where there is a second core: a long plot of many pens reads on both. */
  private extraReaders: HistorianReader[] = [];

  constructor(private readonly opts: TrendsModuleOptions) {
    this.history = new HistoryService(opts.historian, () => this.extraReaders);
    this.exports = new ExportService({
      archiveDir: opts.historian.dir,
      historian: opts.historian,
      stationName: opts.stationName,
      logger: opts.logger,
      saveDialog: opts.saveDialog,
    });
  }

  register(d: Dispatcher): void {
    d.register(this.name, {
      'history.tags': () => this.history.tags(),
      'history.plot': (p) => this.history.plot(p),
      'history.raw': (p) => this.history.raw(p),
      'history.processed': (p) => this.history.processed(p),
      'trends.groups': () => this.store().list(),
      'trends.saveGroup': (p, ctx) => {
        const saved = this.store().save(p, ctx.session?.user ?? null);
        ctx.setAudit({ target: p.name, oldValue: saved.previous ?? undefined, newValue: saved.group });
        return saved.group;
      },
      'trends.deleteGroup': (p, ctx) => {
        const removed = this.store().remove(p.name);
        ctx.setAudit({ target: p.name, oldValue: removed });
        return { deleted: p.name };
      },
      'trends.export': (p, ctx) => this.exports.start(p, ctx),
      'trends.exportCancel': (p, ctx) => this.exports.cancel(p.id, ctx),
    });
  }

  start(): void {
    // Start the historian's reader worker now, not on the first trend opened (it loads its code first).
    if (cpus().length > 1) this.extraReaders = [new HistorianReader(this.opts.historian.dir)];
    for (const r of [this.opts.historian.reader, ...this.extraReaders]) {
      r.plot({ tags: [], start: 0, end: 1, buckets: 1 }).catch((err: unknown) => this.opts.logger.error({ err }, 'historian reader did not start'));
    }
    this.groups = new TrendGroupStore(join(this.opts.dataDir, 'trends.sqlite'));
    for (const problem of this.groups.listWithProblems().problems) this.opts.logger.warn({ problem }, 'trend group not readable; left as it is');
  }

  async stop(): Promise<void> {
    await this.exports.stop();
    const readers = this.extraReaders;
    this.extraReaders = [];
    await Promise.all(readers.map((r) => r.close()));
    this.groups?.close();
    this.groups = null;
  }

  /** The HTTP handler of browser-mode downloads (/download/<token>). */
  get downloads() {
    return this.exports.downloads;
  }

  private store(): TrendGroupStore {
    if (!this.groups) throw new Error('trends: the module is not started');
    return this.groups;
  }
}
