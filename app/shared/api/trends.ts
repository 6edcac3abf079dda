/**
 * Trend groups (named sets of pens with their range, saved in the station for
 * every user) and CSV exports of a trend's pens and range.
 */
import { z } from 'zod';
import { aggregateNames, type AggregateName } from '../../../historian/aggregates/config.js';
import { defineEvents, defineRequests, noParams } from './define.js';
import { MAX_HISTORY_TAGS } from './history.js';

export const quickRanges = ['15m', '1h', '8h', '24h', '7d', '30d', '1y'] as const;
export type QuickRange = (typeof quickRanges)[number];

export const LIVE_WINDOW_MIN_MS = 60_000;
export const LIVE_WINDOW_MAX_MS = 86_400_000;

/** What a trend shows: a scrolling live window, the last quick range up to now, or fixed times. */
export const trendRange = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('live'), windowMs: z.number().int().min(LIVE_WINDOW_MIN_MS).max(LIVE_WINDOW_MAX_MS) }).strict(),
  z.object({ mode: z.literal('last'), range: z.enum(quickRanges) }).strict(),
  z.object({ mode: z.literal('fixed'), start: z.number().finite(), end: z.number().finite() }).strict().refine((r) => r.end > r.start, { message: 'end must be after start' }),
]);

const groupName = z.string().trim().min(1).max(80);
const pens = z.array(z.string().min(1)).min(1).max(MAX_HISTORY_TAGS);

export const trendGroup = z.object({
  name: z.string(),
  pens: z.array(z.string()),
  range: trendRange,
  /** Who saved it last, and when (ms UTC). */
  savedBy: z.string().nullable(),
  savedAt: z.number(),
});

export const exportShape = z.enum(['raw', 'resampled']);
const aggregate = z.enum(aggregateNames as [AggregateName, ...AggregateName[]]);

export const exportParams = z
  .object({
    tags: pens,
    start: z.number().int(),
    end: z.number().int(),
    /** raw: long rows (time, tag, value, unit, status, status_code, flags); resampled: wide rows, one column per tag. */
    shape: exportShape,
    intervalMs: z.number().int().min(1000).optional(),
    /** resampled: the aggregate of every pen, as chosen; none: automatic (TimeAverage, Interpolative for discrete and stepped pens). */
    aggregate: aggregate.optional(),
    /** Times in UTC (null) or local to this zone (an IANA name such as Europe/Berlin), each with its offset. */
    timeZone: z.string().min(1).max(64).nullable(),
  })
  .strict()
  .refine((p) => p.end > p.start, { message: 'end must be after start', path: ['end'] })
  .refine((p) => p.shape === 'raw' || p.intervalMs !== undefined, {
    message: 'a resampled export needs intervalMs',
    path: ['intervalMs'],
  });

export const exportTarget = z.discriminatedUnion('kind', [
  /** Browser mode: fetch this URL once (the token in it is single-use and short-lived). */
  z.object({ kind: z.literal('download'), url: z.string(), fileName: z.string() }),
  /** Electron: the station writes the file the operator chose. */
  z.object({ kind: z.literal('file'), path: z.string() }),
  /** The operator closed the save dialog. */
  z.object({ kind: z.literal('cancelled') }),
]);

export const exportProgress = z.object({
  id: z.string(),
  state: z.enum(['waiting', 'running', 'done', 'failed', 'cancelled']),
  rows: z.number(),
  bytes: z.number(),
  /** 0..1 by the time position reached. */
  fraction: z.number(),
  sha256: z.string().optional(),
  error: z.string().optional(),
  path: z.string().optional(),
});

export const trendsRequests = defineRequests({
  'trends.groups': { params: noParams, result: z.array(trendGroup), permission: null },
  /** Saves a group for every user; an existing name needs replace: true (else conflict). */
  'trends.saveGroup': {
    params: z.object({ name: groupName, pens, range: trendRange, replace: z.boolean().default(false) }).strict(),
    result: trendGroup,
    permission: 'trends.saveGroup',
  },
  'trends.deleteGroup': {
    params: z.object({ name: groupName }).strict(),
    result: z.object({ deleted: z.string() }),
    permission: 'trends.saveGroup',
  },
  /** Starts a CSV export; progress comes as trends.exportProgress events to this console only. */
  'trends.export': {
    params: exportParams,
    result: z.object({ id: z.string(), target: exportTarget }),
    permission: 'data.export',
  },
  'trends.exportCancel': {
    params: z.object({ id: z.string() }).strict(),
    result: z.object({ cancelled: z.boolean() }),
    permission: 'data.export',
  },
});

export const trendsEvents = defineEvents({
  'trends.exportProgress': exportProgress,
});

export type TrendRange = z.output<typeof trendRange>;
export type TrendGroup = z.output<typeof trendGroup>;
export type ExportParams = z.output<typeof exportParams>;
export type ExportTarget = z.output<typeof exportTarget>;
export type ExportProgress = z.output<typeof exportProgress>;
