/**
 * The historian's vocabulary. This file is the contract between the codec,
 * the compressors, the store, the readers and the station: change it only
 * together with every user.
 */
import type { StatusCode } from './status.js';

export type Value = number | boolean | string;

/** One acquired value: t is ms since the Unix epoch (UTC), integer. */
export interface Sample<V extends Value = Value> {
  t: number;
  value: V;
  status: StatusCode;
}

export type TagKind = 'analog' | 'discrete' | 'text';

/**
 * Per-tag compression. Deviations are in engineering units unless
 * `percentOfSpan` is set, in which case they are % of the tag's EU range.
 * Times are ms. Applies to analog tags only; discrete and text tags archive
 * every change (and every status change).
 */
export type Compression =
  | { kind: 'none' }
  | { kind: 'deadband'; deviation: number; percentOfSpan?: boolean; maxIntervalMs?: number }
  | {
      kind: 'swinging-door';
      /** CompDev: maximum deviation of the reconstruction from any raw sample. */
      deviation: number;
      percentOfSpan?: boolean;
      /** CompMin: a new point is not archived sooner than this after the last one (except on status change). */
      minIntervalMs?: number;
      /** CompMax: a point is archived at least this often. */
      maxIntervalMs?: number;
      /** ExcDev: optional exception filter in front of the door (same units as deviation). */
      exceptionDeviation?: number;
    };

/** One version of a tag's configuration. Every change is a new version. */
export interface TagConfig {
  name: string;
  kind: TagKind;
  description: string;
  unit: string;
  /** EU range: the span that %-of-span deviations refer to. */
  range?: { low: number; high: number };
  compression: Compression;
  /** showStepped: reconstruct with steps (sample-and-hold); no cyclic records. */
  stepped: boolean;
  /** Acquisition cycle (ms) for HIST's cyclic record; 0 turns cyclic records off. */
  cycleMs: number;
}

/** A configuration version with its period of validity [validFrom, validTo). */
export interface TagVersion {
  tagId: number;
  version: number;
  validFrom: number;
  /** null while it is the current version. */
  validTo: number | null;
  config: TagConfig;
}

/** Vigil's flags on archived and returned values (beside the OPC UA status). */
export const Flag = {
  /** A HIST cyclic record: the previous value re-stamped one cycle before a new one. */
  Cyclic: 0x1,
  /** Interpolated between archived values. */
  Interpolated: 0x2,
  /** Calculated by an aggregate. */
  Calculated: 0x4,
  /** The interval was incomplete (e.g. the last interval of a range). */
  Partial: 0x8,
  /** No archived data for this time or interval. */
  NoData: 0x10,
  /** A bounding value from outside the requested range. */
  Bounding: 0x20,
  /**
   * Archived after the fact from the OPC UA server's own history (HistoryRead), to fill a
   * period the station could not acquire live (a lost connection, a station stopped).
   * Stored with the point (historian.insert keeps flags), returned by reads.
   */
  Backfilled: 0x40,
} as const;

/** A value as archived or as returned by a read. */
export interface HistValue extends Sample {
  flags: number;
}

/** A sample as stored: the archive keeps Vigil flags (Cyclic) with each point. */
export interface ArchivedSample extends Sample {
  flags: number;
}

/**
 * Per-block summary, kept beside the encoded bytes so that long-range reads
 * (plot, aggregates over wide intervals) need not decode samples.
 * Min/max/first/last/integral cover good samples only; null when none is good.
 */
export interface BlockSummary {
  count: number;
  tStart: number;
  tEnd: number;
  min: number | null;
  max: number | null;
  first: { t: number; value: number } | null;
  last: { t: number; value: number } | null;
  /** Time-weighted integral (value·ms) of the reconstruction over [tStart, tEnd] while good. */
  integral: number;
  /** Duration (ms) within [tStart, tEnd] during which the status was good. */
  goodMs: number;
  /** Worst severity seen: 0 good, 1 uncertain, 2 bad. */
  worstSeverity: 0 | 1 | 2;
}

/** Columnar form of decoded analog samples: what fast reads work on. */
export interface SampleColumns {
  t: Float64Array;
  value: Float64Array;
  status: Uint32Array;
  flags: Uint8Array;
  length: number;
}
