/** The plant as the console sees it: station, tags, live values, servers, archive figures. */
import { z } from 'zod';
import { tagRoles } from '../config.js';
import { locales } from '../i18n/locales.js';
import { defineEvents, defineRequests, noParams } from './define.js';
import { compressionInfo } from './history.js';
import { enumStates, messageRef } from './acquisition.js';

export const sampleValue = z.union([z.number(), z.boolean(), z.string(), z.null()]);

export const tagInfo = z.object({
  name: z.string(),
  description: z.string(),
  unit: z.string(),
  range: z.tuple([z.number(), z.number()]).nullable(),
  kind: z.enum(['analog', 'discrete', 'text']),
  area: z.string(),
  equipment: z.string().nullable(),
  role: z.enum(tagRoles),
  server: z.string(),
  nodeId: z.string(),
  /** Decimals the config fixes for display; null: from the data type and range. */
  decimals: z.number().int().nullable().default(null),
  /** The OPC UA DataType the server declared (e.g. "Double", "Int32"); null until the station read it. */
  dataType: z.string().nullable().default(null),
  /** A discrete tag's states as its enumeration names them (2 "Open"); absent or null when it names none. */
  states: enumStates.nullable().optional(),
});

/** The latest value of a tag with its quality; status is the OPC UA StatusCode. */
export const liveValue = z.object({
  tag: z.string(),
  /** Source timestamp (ms UTC). */
  t: z.number(),
  /** The value as received (a failed sensor's junk, or null when the source gave none). */
  value: sampleValue,
  status: z.number().int().nonnegative(),
  /**
   * The last good value and its source time, kept while the value is bad: the screen shows it
   * with its age beside the bad status (the received value goes in the detail). Null when the
   * tag never had a good value; absent when this value is Good (not null): it is its own. An
   * uncertain value carries it too: it is not vouched for (app/main/station/live-cache.ts).
   */
  lastGood: z.object({ t: z.number(), value: sampleValue }).nullable().optional(),
  /**
   * True while the value is the station's loss marker (its server lost) and the value before it
   * was Good: it went bad with its server, not before. Absent otherwise. A card drawing several
   * values lost together says the loss once; a value bad before the loss keeps its own age.
   */
  goodAtLoss: z.literal(true).optional(),
});

/** The security actually negotiated with a server (not merely configured). */
export const negotiatedSecurity = z.object({
  mode: z.enum(['None', 'Sign', 'SignAndEncrypt']),
  policy: z.string(),
  identity: z.enum(['anonymous', 'userName', 'certificate']),
  /** The user name, or the user certificate's subject; null for anonymous. */
  user: z.string().nullable(),
});

export const serverState = z.object({
  id: z.string(),
  /** The endpoint in use (or being tried). */
  endpoint: z.string(),
  state: z.enum(['connecting', 'connected', 'lost']),
  /** When the state was entered (ms UTC). */
  since: z.number(),
  /** Why the last attempt failed or the connection was lost, in English as logged. */
  lastError: z.string().nullable(),
  /** The same in the console's words when the station has them (a wrong endpoint path, a certificate not trusted). */
  lastErrorText: messageRef.nullable().optional(),
  /** Set while connected. */
  security: negotiatedSecurity.nullable().optional(),
  /** Every endpoint of the logical server (primary first) with what the station knows of it. */
  endpoints: z
    .array(z.object({
      url: z.string(), active: z.boolean(), reachable: z.boolean().nullable(), serviceLevel: z.number().nullable(),
      /** Why the endpoint could not be reached or used when last tried (a standby's certificate not trusted, ...), in English; its words beside. */
      error: z.string().nullable().optional(),
      errorText: messageRef.nullable().optional(),
      /** In maintenance: when the server expects to be back (its EstimatedReturnTime, ms), when it gives one in the future. */
      estimatedReturn: z.number().nullable().optional(),
    }))
    .optional(),
  /** What the server advertises in ServerRedundancy.RedundancySupport (None, Cold, Warm, Hot, ...). */
  redundancy: z.string().nullable().optional(),
  /**
   * Redundant partners the server names (ServerRedundancy.ServerUriArray) that are not among the
   * configured endpoints: each one's ServerUri and the endpoint URLs found for it (none when the
   * server could not tell). Not used by the station: an engineer adds them to backupEndpoints.
   */
  partners: z.array(z.object({ uri: z.string(), endpoints: z.array(z.string()) })).optional(),
  /**
   * Set while connected to a server whose session holds no subscription: its tags are read at their
   * sampling interval instead (acquisition/poll.ts). `reason`: the status it refused a subscription
   * with (BadTooManySubscriptions, BadServiceUnsupported, BadNotSupported). Null: subscribed.
   */
  polled: z.object({ reason: z.string() }).nullable().optional(),
});

/** The station process was restarted after a fault (a crash, an uncaught exception, killed, hung): when it ended and how. */
export const restartedAfterFault = z.object({
  /** When the faulted station ended (ms). */
  at: z.number(),
  /** Restarts after a fault since the supervisor (or the Electron app) was started. */
  restarts: z.number().int(),
  /** 'hung': its supervisor heard no sign of life for silentMs and killed it (app/main/liveness.ts). */
  kind: z.enum(['signal', 'exception', 'exit', 'hung']),
  code: z.number().int().nullable(),
  signal: z.string().nullable(),
  silentMs: z.number().optional(),
  /** The technical cause in English (an exception's message, the signal): a tooltip's and the audit trail's line. */
  detail: z.string(),
});

export const stationInfo = z.object({
  name: z.string(),
  areas: z.array(z.object({ id: z.string(), name: z.string() })),
  servers: z.array(z.object({ id: z.string(), endpoint: z.string() })),
  version: z.string(),
  simulator: z.boolean(),
  shell: z.enum(['electron', 'browser']),
  /** The station's language: the default of every console. */
  locale: z.enum(locales),
  /** Set when this station process is a restart after a fault: every console shows it until dismissed. */
  restartedAfterFault: restartedAfterFault.nullable().default(null),
});

export const tagArchiveStats = z.object({
  tag: z.string(),
  samplesReceived: z.number(),
  samplesArchived: z.number(),
  /** Records the historian added beside them (HIST cyclic, deadband hold): archived + added is what a raw read returns. */
  recordsAdded: z.number(),
  /** received / archived; null before anything was archived. */
  compressionRatio: z.number().nullable(),
  /** The tag's current compression (the console words it in its language). */
  compression: compressionInfo,
});

/**
 * Whether the archive is writing: 'failing' while its commits fail (each retried at the next),
 * 'stopped' when its thread ended (nothing is archived until the station restarts).
 */
export const archiveHealth = z.object({
  state: z.enum(['writing', 'failing', 'stopped']),
  /** When the state began (ms UTC); null while writing since the start. */
  since: z.number().nullable(),
  /** The last failure, as the archive gave it; null while writing. */
  error: z.string().nullable(),
  /**
   * While failing: the archive holds no more samples in memory and drops new ones (archived as a
   * gap once it writes again): since when, and of how many tags so far. Null otherwise.
   */
  dropping: z.object({ since: z.number(), tags: z.number().int() }).nullable().default(null),
});

export const stationRequests = defineRequests({
  'station.info': { params: noParams, result: stationInfo, permission: null },
  'tags.list': { params: noParams, result: z.array(tagInfo), permission: null },
  'live.snapshot': {
    params: noParams,
    result: z.object({ values: z.array(liveValue), servers: z.array(serverState) }),
    permission: null,
  },
  'tags.archiveStats': { params: noParams, result: z.array(tagArchiveStats), permission: null },
  'archive.health': { params: noParams, result: archiveHealth, permission: null },
});

export const stationEvents = defineEvents({
  /** Changed values, pushed in batches at display rate. */
  'live.values': z.array(liveValue),
  /** The whole tag list, whenever the config's tags change (a tag added from a console, a config edit): every console follows it. */
  'tags.list': z.array(tagInfo),
  'servers.state': z.array(serverState),
  'archive.health': archiveHealth,
});

export type TagInfo = z.output<typeof tagInfo>;
export type LiveValue = z.output<typeof liveValue>;
export type ServerState = z.output<typeof serverState>;
export type ArchiveHealth = z.output<typeof archiveHealth>;
export type NegotiatedSecurity = z.output<typeof negotiatedSecurity>;
export type StationInfo = z.output<typeof stationInfo>;
export type RestartedAfterFault = z.output<typeof restartedAfterFault>;
export type TagArchiveStats = z.output<typeof tagArchiveStats>;
