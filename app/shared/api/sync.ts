/**
 * The sync as the console sees it: each upstream's state, backlog and
 * quarantine (viewing needs no sign-in), and what an engineer may do about
 * them (re-send a time range, retry quarantined lines, resume a paused
 * upstream), each with sync.manage and written to the audit trail.
 */
import { z } from 'zod';
import { flavours, syncStreams } from '../config/sync.js';
import { defineEvents, defineRequests, noParams } from './define.js';

const at = z.number().nullable();

/**
 * A catalog message the sync sends for the console to say in its language (app/shared/sync-text.ts):
 * a key and parameters, some of them messages themselves.
 */
export interface SyncTextView {
  key: string;
  params: Record<string, string | number | readonly number[] | SyncTextView | readonly SyncTextView[]>;
}
export const syncText: z.ZodType<SyncTextView> = z.lazy(() => z.object({
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.number()), syncText, z.array(syncText)])),
}));

export const syncAlarm = z.object({
  kind: z.enum(['backlog', 'paused', 'credentials', 'stopped', 'quarantined']),
  /** English, as the log and the CLI say it. */
  message: z.string(),
  /** The same as a catalog message for the console's language, where the station words it itself (absent from an older station). */
  said: syncText.optional(),
});

export const upstreamStatus = z.object({
  id: z.string(),
  url: z.string(),
  flavour: z.enum(flavours),
  state: z.enum(['starting', 'sending', 'idle', 'retrying', 'paused', 'stopped', 'disabled', 'error']),
  connected: z.boolean(),
  backlog: z.object({
    records: z.number(),
    oldestWrittenAt: at,
    streams: z.array(z.object({ stream: z.string(), records: z.number(), oldestWrittenAt: at })),
  }),
  lastSuccessAt: at,
  lastAttemptAt: at,
  /** `said`: the error as a catalog message where the station words it itself (a secret that cannot be read). */
  lastError: z.object({ at: z.number(), message: z.string(), said: syncText.optional() }).nullable(),
  paused: z.object({ reason: z.string(), since: z.number() }).nullable(),
  sentLines: z.number(),
  resentLines: z.number(),
  restarts: z.number(),
  /** What the last check of what the upstream holds found (absent from an older station); `text` for the console's language. */
  restartCheck: z.object({ at: z.number(), message: z.string(), text: syncText.optional() }).nullable().optional(),
  quarantined: z.number(),
  replaysPending: z.number(),
  alarm: syncAlarm.nullable(),
});

export const syncStatus = z.object({
  upstreams: z.array(upstreamStatus),
  /** `upstream`: the one the loss was reported to; `text`: the detail as a catalog message (both null in losses from before they were kept). */
  losses: z.array(z.object({ upstream: z.string().nullable().optional(), stream: z.string(), detail: z.string(), text: syncText.nullable().optional(), at: z.number() })),
  at: z.number(),
});

export const quarantinedLine = z.object({
  id: z.number(),
  upstream: z.string(),
  stream: z.string(),
  /** 'station': refused before sending (e.g. NaN); 'upstream': the upstream answered 400/413 for it. */
  origin: z.enum(['station', 'upstream']),
  line: z.string(),
  /** English, as the CLI and the export say it. */
  reason: z.string(),
  /** The same as a catalog message where the station words it (absent: the upstream's own words, or an older station). */
  said: syncText.nullable().optional(),
  key: z.string(),
  t: z.number(),
  at: z.number(),
  retry: z.boolean(),
});

const upstreamParam = z.string().min(1).nullable();

export const syncRequests = defineRequests({
  'sync.status': { params: noParams, result: syncStatus, permission: null },
  'sync.quarantine': {
    params: z.strictObject({ upstream: upstreamParam.default(null), afterId: z.number().int().nonnegative().default(0), limit: z.number().int().min(1).max(1000).default(200) }),
    result: z.object({ lines: z.array(quarantinedLine), total: z.number() }),
    permission: null,
  },
  'sync.resend': {
    params: z.strictObject({
      upstream: upstreamParam,
      stream: z.enum(syncStreams).default('samples'),
      from: z.number().int(),
      to: z.number().int(),
      comment: z.string().max(500).default(''),
    }),
    // From after To is refused by the handler (sync.error.badRange), in the console's words: a schema refusal names its raw field keys.
    result: z.object({ queued: z.number() }),
    permission: 'sync.manage',
  },
  'sync.retry': {
    params: z.strictObject({ upstream: upstreamParam, ids: z.array(z.number().int()).max(10_000).optional(), comment: z.string().max(500).default('') }),
    result: z.object({ marked: z.number() }),
    permission: 'sync.manage',
  },
  'sync.resume': {
    params: z.strictObject({ upstream: upstreamParam, comment: z.string().max(500).default('') }),
    result: z.object({ resumed: z.array(z.string()) }),
    permission: 'sync.manage',
  },
});

export const syncEvents = defineEvents({
  /** Each upstream's status, when it changes and every few seconds. */
  'sync.status': syncStatus,
});

export type SyncStatusView = z.output<typeof syncStatus>;
export type UpstreamStatusView = z.output<typeof upstreamStatus>;
export type QuarantinedLineView = z.output<typeof quarantinedLine>;
