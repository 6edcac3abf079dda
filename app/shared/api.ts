/**
 * The console API, defined once: a schema per request (params, result and the
 * permission it needs) and per event. Each station module declares its
 * requests in app/shared/api/<module>.ts; this file joins them. The main side
 * has one dispatcher; the renderer reaches it over Electron IPC (preload) or
 * WebSocket (browser mode). Adding a call touches its module's definition
 * file and its handler, nothing else.
 */
import { z } from 'zod';
import { alarmsEvents, alarmsRequests } from './api/alarms.js';
import { accountsEvents, accountsRequests } from './api/accounts.js';
import { acquisitionEvents, acquisitionRequests } from './api/acquisition.js';
import { stationEvents, stationRequests } from './api/station.js';
import { historyRequests } from './api/history.js';
import { trendsEvents, trendsRequests } from './api/trends.js';
import { syncEvents, syncRequests } from './api/sync.js';

export * from './api/station.js';
export * from './api/history.js';
export * from './api/trends.js';
export * from './api/sync.js';
export * from './api/alarms.js';
export * from './api/accounts.js';
export * from './api/acquisition.js';
export type { RequestDef } from './api/define.js';

export const requests = {
  ...stationRequests,
  ...historyRequests,
  ...trendsRequests,
  ...syncRequests,
  ...alarmsRequests,
  ...accountsRequests,
  ...acquisitionRequests,
} as const;

export const events = {
  ...stationEvents,
  ...trendsEvents,
  ...syncEvents,
  ...alarmsEvents,
  ...accountsEvents,
  ...acquisitionEvents,
} as const;

export type RequestName = keyof typeof requests;
export type EventName = keyof typeof events;
export type Params<N extends RequestName> = z.input<(typeof requests)[N]['params']>;
export type Result<N extends RequestName> = z.output<(typeof requests)[N]['result']>;
export type EventData<N extends EventName> = z.output<(typeof events)[N]>;

export type ApiErrorCode =
  | 'bad_request'
  | 'unknown_method'
  | 'unavailable'
  | 'internal'
  /** The caller is not signed in, or lacks the permission (named in the message). */
  | 'forbidden'
  /** The target changed since the caller saw it (e.g. "alarm changed — review"). */
  | 'conflict'
  | 'not_found';

/** What the console shows for an error, in its own language; `message` stays English for logs. */
export interface ApiErrorText {
  key: string;
  params?: Record<string, string | number>;
}

export interface ApiError {
  code: ApiErrorCode;
  message: string;
  i18n?: ApiErrorText;
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
