/**
 * History reads for trends and reports, answered by the historian's reader
 * worker (never the writer's thread). Results are columnar (see
 * ../history/columns.ts for the encoding) with each value's OPC UA status
 * and the tag configuration versions valid over the range.
 */
import { z } from 'zod';
import { aggregateNames, type AggregateName } from '../../../historian/aggregates/config.js';
import { floatColumn, runColumn, timeColumn } from '../history/columns.js';
import { defineRequests, noParams } from './define.js';

/** Most pens on one trend, and so most tags in one history request. */
export const MAX_HISTORY_TAGS = 16;
export const MAX_PLOT_BUCKETS = 4000;
export const MAX_RAW_PER_TAG = 100_000;
export const MAX_PROCESSED_INTERVALS = 100_000;

const time = z.number().finite();
const tags = z.array(z.string().min(1)).min(1).max(MAX_HISTORY_TAGS);

export const compressionInfo = z.object({
  kind: z.enum(['none', 'deadband', 'swinging-door']),
  deviation: z.number().optional(),
  percentOfSpan: z.boolean().optional(),
  minIntervalMs: z.number().optional(),
  maxIntervalMs: z.number().optional(),
  exceptionDeviation: z.number().optional(),
});

/** One configuration version of a tag, valid over [validFrom, validTo). */
export const tagVersionInfo = z.object({
  version: z.number().int(),
  validFrom: z.number(),
  /** null while it is the current version. */
  validTo: z.number().nullable(),
  description: z.string(),
  unit: z.string(),
  range: z.tuple([z.number(), z.number()]).nullable(),
  /** Drawn and interpolated as steps (sample-and-hold); otherwise linear. */
  stepped: z.boolean(),
  compression: compressionInfo,
  /**
   * The archive's cyclic-record cycle (ms; 0: none): a value held for longer is stored again one
   * cycle before the next, so the live line holds as the archive does (trends/held.ts).
   */
  cycleMs: z.number().nonnegative().default(0),
});

/** One archived value; value null when it is not a number (NaN: a bad sample without one, or a text). */
export const historyPoint = z.object({
  t: z.number(),
  value: z.number().nullable(),
  status: z.number().int().nonnegative(),
  /** A text tag's value (its state, "RUNNING"); omitted for numbers and Booleans. */
  text: z.string().optional(),
});

/**
 * Per bucket i of [start + i·width, start + (i+1)·width): min, max, first and
 * last over good and uncertain values (NaN where none: a bad value is never
 * drawn), the count of archived values, the bucket's status (Good, Uncertain
 * when all are uncertain, UncertainDataSubNormal when they mix, Bad, BadNoData
 * when empty) and endStatus: the status of the bucket's last
 * archived value where the bucket is not all good and is followed by an empty
 * one (so the console knows whether the line goes on or a bad span does) or
 * starts a bad span (so it can say why); elsewhere the bucket's status.
 */
export const plotColumns = z.object({
  n: z.number().int().nonnegative(),
  width: z.number().positive(),
  min: floatColumn,
  max: floatColumn,
  first: floatColumn,
  last: floatColumn,
  firstT: timeColumn,
  lastT: timeColumn,
  count: floatColumn,
  status: runColumn,
  endStatus: runColumn,
});

/** Archived values in time order; `text` holds the values of a text tag (value is NaN). */
export const rawColumns = z.object({
  n: z.number().int().nonnegative(),
  t: timeColumn,
  value: floatColumn,
  status: runColumn,
  flags: runColumn,
  text: z.array(z.string()).optional(),
  /** False when the limit cut the read short (the rest of the range was not read). */
  complete: z.boolean(),
});

/**
 * Aggregates per interval; `text` (as in rawColumns) holds the states a text tag's aggregates return
 * (Interpolative, Start, End...: value NaN there; '' where an interval has none). Omitted when no value is text.
 */
export const processedColumns = z.object({
  n: z.number().int().nonnegative(),
  t: timeColumn,
  value: floatColumn,
  status: runColumn,
  text: z.array(z.string()).optional(),
});

export const historySeries = z.object({
  tag: z.string(),
  kind: z.enum(['analog', 'discrete', 'text']),
  /** The configuration versions valid over the range, oldest first. */
  versions: z.array(tagVersionInfo).min(1),
  /** The last archived value before the range, the first after it; null when none. */
  before: historyPoint.nullable(),
  after: historyPoint.nullable(),
  /**
   * Spans [start, end) of the range held by archive files that could not be read (missing or
   * damaged volumes): nothing is known there, whatever the columns show. Omitted when none.
   */
  unavailable: z.array(z.tuple([time, time])).optional(),
  /** Exactly one of these, by the request and (for plot) by how much is archived. */
  plot: plotColumns.optional(),
  raw: rawColumns.optional(),
  processed: processedColumns.optional(),
});

/**
 * A tag the archive holds, with what its catalog keeps of its newest configuration. The archive
 * keeps a tag renamed or removed from the station's configuration under its old name: the console
 * offers those for history and export (never live: nothing acquires them any more).
 */
export const archivedTag = z.object({
  name: z.string(),
  kind: z.enum(['analog', 'discrete', 'text']),
  description: z.string(),
  unit: z.string(),
  range: z.tuple([z.number(), z.number()]).nullable(),
  stepped: z.boolean(),
});

const range = { start: time, end: time };
const endAfterStart = (p: { start: number; end: number }) => p.end > p.start;
const rangeMessage = { message: 'end must be after start', path: ['end'] };

export const historyRequests = defineRequests({
  /** Every archived tag, configured or not: as readable as history.plot, so with the same permission. */
  'history.tags': { params: noParams, result: z.array(archivedTag), permission: null },
  /**
   * min/max/first/last per bucket (one per pixel column). A tag with at most
   * `rawBelow` archived values in the range comes back raw instead: zoomed in
   * far enough, the trend draws the samples themselves. Buckets are pixel
   * columns: a stored block of good values that crosses a bucket edge by less
   * than half a bucket counts whole in the bucket holding most of it (read from
   * its summary, not decoded); firstT and lastT stay the values' own times.
   * `exactEdges` cuts every bucket at its edge to the ms instead (slower).
   */
  'history.plot': {
    params: z
      .object({
        tags, ...range, buckets: z.number().int().min(1).max(MAX_PLOT_BUCKETS), rawBelow: z.number().int().min(0).max(MAX_RAW_PER_TAG).default(0),
        exactEdges: z.boolean().default(false),
      })
      .strict()
      .refine(endAfterStart, rangeMessage),
    result: z.object({ start: z.number(), end: z.number(), buckets: z.number().int(), series: z.array(historySeries) }),
    permission: null,
  },
  /** Archived values of each tag in [start, end], up to `limit` per tag. */
  'history.raw': {
    params: z
      .object({ tags, ...range, limit: z.number().int().min(1).max(MAX_RAW_PER_TAG).default(10_000) })
      .strict()
      .refine(endAfterStart, rangeMessage),
    result: z.object({ start: z.number(), end: z.number(), series: z.array(historySeries) }),
    permission: null,
  },
  /** OPC UA Part 13 aggregates over equal intervals. */
  'history.processed': {
    params: z
      .object({ tags, ...range, intervalMs: z.number().int().min(1), aggregate: z.enum(aggregateNames as [AggregateName, ...AggregateName[]]) })
      .strict()
      .refine(endAfterStart, rangeMessage)
      .refine((p) => (p.end - p.start) / p.intervalMs <= MAX_PROCESSED_INTERVALS, {
        message: `at most ${MAX_PROCESSED_INTERVALS} intervals`,
        path: ['intervalMs'],
      }),
    result: z.object({ start: z.number(), end: z.number(), intervalMs: z.number(), series: z.array(historySeries) }),
    permission: null,
  },
});

export type TagVersionInfo = z.output<typeof tagVersionInfo>;
export type ArchivedTag = z.output<typeof archivedTag>;
export type HistoryPoint = z.output<typeof historyPoint>;
export type HistorySeries = z.output<typeof historySeries>;
export type PlotColumns = z.output<typeof plotColumns>;
export type RawColumns = z.output<typeof rawColumns>;
export type ProcessedColumns = z.output<typeof processedColumns>;
export type CompressionInfo = z.output<typeof compressionInfo>;
