/**
 * The error a backfill rejects with when a sink (the archive) did not store the values: each
 * sink's name and why. The acquisition recognises it by its type (never by its text) and keeps
 * the gap pending, tried again (server-link.ts, backfill-retry.ts), unless the archive is stopped.
 */
export interface SinkRefusal {
  /** The module whose sink refused (StationModule.name: "archive"). */
  sink: string;
  reason: string;
  /** The sink cannot store anything until the station starts again (the archive's thread ended): see ArchiveStopped. */
  stopped?: true;
}

/**
 * A sink's refusal that lasts for the run: the archive's thread ended, and nothing brings it back
 * but a new start. Reading the server's history again before that only loads the server.
 */
export class ArchiveStopped extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArchiveStopped';
  }
}

/** The log line of a backfill the archive did not store because it is stopped (acquisition.ts). */
export const BACKFILL_ARCHIVE_STOPPED_LOG = 'backfill not archived: the archive is stopped; the gap stays pending until the next start';

export class BackfillRefused extends Error {
  readonly refusals: readonly SinkRefusal[];

  constructor(refusals: readonly SinkRefusal[], options?: { cause?: unknown }) {
    super(refusals.map((r) => `${r.sink}: ${r.reason}`).join('; ') || 'backfill not stored', options);
    this.name = 'BackfillRefused';
    this.refusals = refusals;
  }

  /** A sink is stopped for the run: no retry before the next start can store the values. */
  get archiveStopped(): boolean {
    return this.refusals.some((r) => r.stopped === true);
  }
}
