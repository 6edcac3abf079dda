/**
 * The error a backfill rejects with when a sink (the archive) did not store the values: each
 * sink's name and why. The acquisition recognises it by its type (never by its text) and keeps
 * the gap pending, tried again (server-link.ts, backfill-retry.ts).
 */
export interface SinkRefusal {
  /** The module whose sink refused (StationModule.name: "archive"). */
  sink: string;
  reason: string;
}

export class BackfillRefused extends Error {
  readonly refusals: readonly SinkRefusal[];

  constructor(refusals: readonly SinkRefusal[], options?: { cause?: unknown }) {
    super(refusals.map((r) => `${r.sink}: ${r.reason}`).join('; ') || 'backfill not stored', options);
    this.name = 'BackfillRefused';
    this.refusals = refusals;
  }
}
