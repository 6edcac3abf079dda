/**
 * The console API, defined once: a schema per request (params and result)
 * and per event. The main side has one dispatcher; the renderer reaches it
 * over Electron IPC (preload) or WebSocket (browser mode). Adding a call
 * touches this file and its handler, nothing else.
 */
import { z } from 'zod';
import { tagRoles } from './config.js';

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
});

/** The latest value of a tag with its quality; status is the OPC UA StatusCode. */
export const liveValue = z.object({
  tag: z.string(),
  /** Source timestamp (ms UTC). */
  t: z.number(),
  value: sampleValue,
  status: z.number().int().nonnegative(),
});

export const serverState = z.object({
  id: z.string(),
  endpoint: z.string(),
  state: z.enum(['connecting', 'connected', 'lost']),
  /** When the state was entered (ms UTC). */
  since: z.number(),
  lastError: z.string().nullable(),
});

export const stationInfo = z.object({
  name: z.string(),
  areas: z.array(z.object({ id: z.string(), name: z.string() })),
  servers: z.array(z.object({ id: z.string(), endpoint: z.string() })),
  version: z.string(),
  simulator: z.boolean(),
  shell: z.enum(['electron', 'browser']),
});

export const tagArchiveStats = z.object({
  tag: z.string(),
  samplesReceived: z.number(),
  samplesArchived: z.number(),
  /** received / archived; null before anything was archived. */
  compressionRatio: z.number().nullable(),
  compression: z.string(),
});

const noParams = z.object({}).strict();

export const requests = {
  'station.info': { params: noParams, result: stationInfo },
  'tags.list': { params: noParams, result: z.array(tagInfo) },
  'live.snapshot': {
    params: noParams,
    result: z.object({ values: z.array(liveValue), servers: z.array(serverState) }),
  },
  'tags.archiveStats': { params: noParams, result: z.array(tagArchiveStats) },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export const events = {
  /** Changed values, pushed in batches at display rate. */
  'live.values': z.array(liveValue),
  'servers.state': z.array(serverState),
} as const satisfies Record<string, z.ZodType>;

export type RequestName = keyof typeof requests;
export type EventName = keyof typeof events;
export type Params<N extends RequestName> = z.input<(typeof requests)[N]['params']>;
export type Result<N extends RequestName> = z.output<(typeof requests)[N]['result']>;
export type EventData<N extends EventName> = z.output<(typeof events)[N]>;

export type TagInfo = z.output<typeof tagInfo>;
export type LiveValue = z.output<typeof liveValue>;
export type ServerState = z.output<typeof serverState>;
export type StationInfo = z.output<typeof stationInfo>;
export type TagArchiveStats = z.output<typeof tagArchiveStats>;

export type ApiErrorCode = 'bad_request' | 'unknown_method' | 'unavailable' | 'internal';
export interface ApiError {
  code: ApiErrorCode;
  message: string;
}
export type ApiResponse<T> = { ok: true; result: T } | { ok: false; error: ApiError };

/** WebSocket envelope (browser mode). IPC carries the same call/response shapes. */
export const clientMessage = z.object({
  type: z.literal('call'),
  id: z.number().int(),
  method: z.string(),
  params: z.unknown(),
});
export type ClientMessage = z.output<typeof clientMessage>;
export type ServerMessage =
  | ({ type: 'response'; id: number } & ApiResponse<unknown>)
  | { type: 'event'; name: EventName; data: unknown };

/** The surface the preload exposes as window.vigil, and the renderer's client implements. */
export interface ConsoleApi {
  call<N extends RequestName>(method: N, params: Params<N>): Promise<Result<N>>;
  on<N extends EventName>(event: N, listener: (data: EventData<N>) => void): () => void;
}

export type { VigilBridge } from './ipc.js';
export { ipcChannels } from './ipc.js';
