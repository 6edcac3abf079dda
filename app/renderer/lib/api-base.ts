/**
 * What both transports of the console API share: typed listeners, schema
 * checks of every result and event at this edge, and error mapping (a failed
 * call rejects with an ApiCallError carrying the station's code and message).
 */
import {
  events as eventSchemas,
  requests as requestSchemas,
  type ApiErrorCode,
  type ApiErrorText,
  type ApiResponse,
  type ConsoleApi,
  type EventData,
  type EventName,
  type Params,
  type RequestName,
  type Result,
} from '../../shared/api.js';

/** State of the console's own link to the station. */
export type LinkState = 'connecting' | 'connected' | 'down';

export interface ApiClient extends ConsoleApi {
  readonly link: LinkState;
  /**
   * Called on every link change; 'connected' also after a reconnect: the time to resync. `at` is
   * when the change happened (ms UTC): for a station gone silent, its last message.
   */
  onLink(listener: (state: LinkState, at: number) => void): () => void;
  close(): void;
}

export class ApiCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: ApiErrorCode,
    readonly detail: string,
    /** What to show the operator, in the console's language (i18n.errorText). */
    readonly i18n?: ApiErrorText,
  ) {
    super(`${method}: ${code}: ${detail}`);
    this.name = 'ApiCallError';
  }
}

type Listener = (data: unknown) => void;

/** Shared by both transports: typed listeners, schema checks, error mapping. */
export abstract class BaseClient implements ApiClient {
  link: LinkState = 'connecting';
  private readonly eventListeners = new Map<string, Set<Listener>>();
  private readonly linkListeners = new Set<(s: LinkState, at: number) => void>();

  constructor(protected readonly reportError: (err: Error) => void) {}

  protected abstract send(method: string, params: unknown): Promise<ApiResponse<unknown>>;
  abstract close(): void;

  async call<N extends RequestName>(method: N, params: Params<N>): Promise<Result<N>> {
    const res = await this.send(method, params);
    if (!res.ok) throw new ApiCallError(method, res.error.code, res.error.message, res.error.i18n);
    const parsed = requestSchemas[method].result.safeParse(res.result);
    if (!parsed.success) {
      throw new ApiCallError(method, 'bad_request', `result does not match the schema: ${parsed.error.message}`);
    }
    return parsed.data as Result<N>;
  }

  on<N extends EventName>(event: N, listener: (data: EventData<N>) => void): () => void {
    let set = this.eventListeners.get(event);
    if (!set) this.eventListeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  onLink(listener: (state: LinkState, at: number) => void): () => void {
    this.linkListeners.add(listener);
    return () => this.linkListeners.delete(listener);
  }

  protected setLink(state: LinkState, at = Date.now()): void {
    if (state === this.link) return;
    this.link = state;
    for (const l of this.linkListeners) l(state, at);
  }

  protected dispatchEvent(name: string, data: unknown): void {
    const schema = (eventSchemas as Record<string, (typeof eventSchemas)[EventName] | undefined>)[name];
    if (!schema) {
      this.reportError(new Error(`event "${name}": unknown event name`));
      return;
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      this.reportError(new Error(`event "${name}": data does not match the schema: ${parsed.error.message}`));
      return;
    }
    for (const l of this.eventListeners.get(name) ?? []) {
      try {
        l(parsed.data);
      } catch (err) {
        this.reportError(err as Error);
      }
    }
  }
}

