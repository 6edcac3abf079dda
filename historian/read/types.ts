/** Read queries and their answers: the same on the main thread and in the reader worker. */
import type { AggregateConfig, AggregateName } from '../aggregates/index.js';
import type { HistValue } from '../types.js';
import type { TagSelector } from './source.js';
import type { VolumeProblem } from '../store/unreadable.js';

export type { TagSelector };

export interface RawQuery {
  tags: TagSelector;
  /** ms UTC; end < start reads newest first. */
  start: number;
  end: number;
  /** Add Part 11 bounding values: the value just before start and just after end (or a NoData placeholder). */
  bounds?: boolean;
  /** Most values in one page (default 10 000). */
  pageSize?: number;
  /** From the previous page; null or absent for the first. */
  continuation?: string | null;
  /** 'tag' (default): all of one tag, then the next; 'time': merged by time across tags. */
  order?: 'tag' | 'time';
}

export interface RawRow extends HistValue {
  tag: string;
}

export interface RawPage {
  rows: RawRow[];
  /** Pass back for the next page; null when the read is complete. */
  continuation: string | null;
}

/** readRaw by tag, as columns: the same values, bounds, order and pages (tokens are interchangeable). */
export type RawColumnsQuery = Omit<RawQuery, 'order'> & {
  /**
   * 'historian' (default): statuses as readRaw gives them, with Part 11's historian bits;
   * 'stored': as archived, what the change feed gives (a re-send must repeat the live line).
   */
  statuses?: 'historian' | 'stored';
};

/**
 * One tag's values of a raw page as columns (readRawColumns): what readRaw's rows of that tag
 * hold, value for value, in the same order.
 */
export interface RawSeries {
  tag: string;
  kind: 'analog' | 'discrete' | 'text';
  length: number;
  /** ms UTC */
  t: Float64Array;
  /** Analog and discrete values (booleans as 0/1, see flags); NaN for texts and NoData bounds. */
  value: Float64Array;
  /** As readRaw returns it: the stored status with the historian bits (Raw). */
  status: Uint32Array;
  /** Vigil flags (types.ts Flag) in the low byte; RAW_BOOLEAN when a discrete value was a boolean. */
  flags: Uint16Array;
  /** Texts of a text tag by index ('' for a NoData bound); null for other kinds. */
  text: string[] | null;
}

/** In RawSeries.flags: the discrete value was a boolean (true = 1). */
export const RAW_BOOLEAN = 0x100;

export interface RawColumnsPage {
  /** One per tag with values on this page, in read order (a tag cut by the page size comes again on the next). */
  series: RawSeries[];
  /** Pass back (to readRawColumns or readRaw by tag) for the next page; null when the read is complete. */
  continuation: string | null;
}

export type AtTimeMode = 'auto' | 'interpolated' | 'stepped';

export interface AtTimeQuery {
  tags: TagSelector;
  times: readonly number[];
  /** 'auto' (default): stepped when the tag's version valid at that time says so, or for discrete/text tags. */
  mode?: AtTimeMode;
}

export interface TagValues {
  tag: string;
  values: HistValue[];
}

export interface ProcessedQuery {
  tags: TagSelector;
  start: number;
  end: number;
  intervalMs: number;
  aggregate: AggregateName;
  /** AggregateConfiguration; `stepped` defaults to the tag's version at start. */
  config?: Partial<AggregateConfig>;
}

export interface PlotQuery {
  tags: TagSelector;
  start: number;
  end: number;
  /** Equal buckets over [start, end). */
  buckets: number;
  /**
   * For buckets that are pixel columns: a block of good values that crosses a bucket edge
   * by at most this many ms on one side counts whole in the bucket holding the rest of it,
   * taken from its summary instead of decoded. At most half a bucket; default 0 (exact edges).
   * firstT and lastT stay the values' own times.
   */
  snapMs?: number;
}

/**
 * Per bucket i, [start + i·width, start + (i+1)·width) (give or take snapMs): min, max, first and
 * last over the values that are drawn, good and uncertain ones (NaN where none: only bad values,
 * or texts), count of archived values, and a status: Good when all values are good, Uncertain
 * when all are uncertain, UncertainDataSubNormal when the others mix (some not good, some drawn:
 * an uncertain value is always marked), Bad when none is drawn, BadNoData (with Flag.NoData in
 * flags) when empty.
 */
export interface PlotSeries {
  tag: string;
  start: number;
  end: number;
  width: number;
  t: Float64Array;
  min: Float64Array;
  max: Float64Array;
  firstT: Float64Array;
  first: Float64Array;
  lastT: Float64Array;
  last: Float64Array;
  count: Float64Array;
  status: Uint32Array;
  flags: Uint8Array;
}

/** Change feed position: opaque, JSON-safe, totally ordered by the historian (compareChangeCursors); null = from the beginning. */
export type ChangeCursor = string;

/** Samples of one tag written in the same minute (change log row), in time order. */
export interface ChangedSamples {
  tag: string;
  kind: 'analog' | 'discrete' | 'text';
  /** ms UTC */
  t: number[];
  values: (number | boolean | string)[];
  status: number[];
  /** Wall-clock ms when written: the first commit of the change log row (minute) it belongs to; 0 before the feed existed. */
  writtenAt: number;
}

export interface LostVolumes {
  /** Volume file names. */
  volumes: string[];
  reason: string;
  /** What `reason` says, part by part (joined by '; '), as facts a caller can word itself (the sync says them in the console's language). */
  parts?: LostPart[];
  /**
   * The cursor was past the archive's head (restored from an older copy, or replaced): this page
   * starts again from the beginning, and its cursor comes before the one passed in.
   */
  restarted?: true;
}

/** Why a volume is gone, from the reason the archive kept with it. */
export type GoneReason =
  | { kind: 'detached' }
  | { kind: 'retention'; maxAgeDays?: number; maxVolumes?: number }
  /** A reason of another form, as it was kept. */
  | { kind: 'other'; text: string };

/** One part of a LostVolumes reason. */
export type LostPart =
  /** Volumes gone (detached or dropped) with changes not read yet. */
  | { kind: 'gone'; volumes: { file: string; reason: GoneReason }[] }
  /** Volumes whose files cannot be read, passed over. */
  | { kind: 'unreadable'; volumes: VolumeProblem[] }
  /** The cursor was past the archive's head: read up to write `read`, the newest is `head`. */
  | { kind: 'restarted'; read: number; head: number };

export interface ChangePage {
  /** Pass it back for the next page. */
  cursor: ChangeCursor;
  items: ChangedSamples[];
  /** More is already written after `cursor`: call again now. */
  more: boolean;
  /** Volumes detached or dropped that held changes this reader had not read: they will not come. */
  lost?: LostVolumes;
}

/** The same page as columns, one entry per sample: what a fast consumer (line protocol) wants. */
export interface ChangeColumns {
  cursor: ChangeCursor;
  more: boolean;
  lost?: LostVolumes;
  length: number;
  /** Tag names and kinds; `tag[i]` indexes them. */
  tags: string[];
  kinds: ('analog' | 'discrete' | 'text')[];
  tag: Uint32Array;
  t: Float64Array;
  /** Analog values; discrete ones as numbers (booleans as 0/1, see flags); NaN for texts. */
  value: Float64Array;
  /** Texts of text tags at their index, null elsewhere; null when the page holds none. */
  text: (string | null)[] | null;
  status: Uint32Array;
  /** Vigil flags (types.ts Flag) in the low byte; 0x100 when a discrete value was a boolean. */
  flags: Uint16Array;
  writtenAt: Float64Array;
}

export interface ChangeBacklog {
  /** Samples written after the cursor: an estimate from the change log (a rewrite counts again; a pass under way counts whole). */
  samples: number;
  /** When the oldest of them was written (to the minute); null when nothing is; 0 for data from before the feed existed. */
  oldestWrittenAt: number | null;
}
