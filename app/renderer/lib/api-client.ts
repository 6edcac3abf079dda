/**
 * The renderer's ConsoleApi. Over the Electron preload bridge when present,
 * otherwise over WebSocket (browser mode) with reconnect and backoff. Every
 * result and event is checked against its schema at this edge; a failed
 * call rejects with an ApiCallError carrying the station's code and message.
 */
import {
  events as eventSchemas,
  requests as requestSchemas,
  type ApiError,
  type ApiErrorCode,
  type ApiResponse,
  type ConsoleApi,
  type EventData,
  type EventName,
  type Params,
  type RequestName,
  type Result,
  type VigilBridge,
} from '../../shared/api.js';

/** State of the console's own link to the station. */
export type LinkState = 'connecting' | 'connected' | 'down';

export interface ApiClient extends ConsoleApi {
  readonly link: LinkState;
  /** Called on every link change; 'connected' also after a reconnect: the time to resync. */
  onLink(listener: (state: LinkState) => void): () => void;
  close(): void;
}

export class ApiCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: ApiErrorCode,
    readonly detail: string,
  ) {
    super(`${method}: ${code}: ${detail}`);
    this.name = 'ApiCallError';
  }
}

type Listener = (data: unknown) => void;

/** Shared by both transports: typed listeners, schema checks, error mapping. */
abstract class BaseClient implements ApiClient {
  link: LinkState = 'connecting';
  private readonly eventListeners = new Map<string, Set<Listener>>();
  private readonly linkListeners = new Set<(s: LinkState) => void>();

  constructor(protected readonly reportError: (err: Error) => void) {}

  protected abstract send(method: string, params: unknown): Promise<ApiResponse<unknown>>;
  abstract close(): void;

  async call<N extends RequestName>(method: N, params: Params<N>): Promise<Result<N>> {
    const res = await this.send(method, params);
    if (!res.ok) throw new ApiCallError(method, res.error.code, res.error.message);
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

  onLink(listener: (state: LinkState) => void): () => void {
    this.linkListeners.add(listener);
    return () => this.linkListeners.delete(listener);
  }

  protected setLink(state: LinkState): void {
    if (state === this.link) return;
    this.link = state;
    for (const l of this.linkListeners) l(state);
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

/** Electron: the preload's bridge; IPC does not drop, so the link is up from the start. */
export class BridgeClient extends BaseClient {
  private readonly off: () => void;

  constructor(
    private readonly bridge: VigilBridge,
    reportError: (err: Error) => void,
  ) {
    super(reportError);
    this.off = bridge.on((name, data) => this.dispatchEvent(name, data));
    queueMicrotask(() => this.setLink('connected'));
  }

  protected send(method: string, params: unknown): Promise<ApiResponse<unknown>> {
    return this.bridge.call(method, params);
  }

  close(): void {
    this.off();
    this.setLink('down');
  }
}

/** The part of the browser WebSocket the client uses (the `ws` package's class fits too). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string): void;
  close(): void;
}

export interface WsClientOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** First reconnect delay; doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A call with no response after this long fails as 'unavailable'. */
  callTimeoutMs?: number;
  /**
   * A socket silent for this long is probed with 'station.info'; no answer
   * within callTimeoutMs closes it, so a stalled station shows as a lost link.
   */
  idleProbeMs?: number;
  reportError?: (err: Error) => void;
}

const OPEN = 1;

interface Pending {
  resolve: (r: ApiResponse<unknown>) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class WsClient extends BaseClient {
  private socket: SocketLike | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private delay: number;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private probeTimer: ReturnType<typeof setInterval> | null = null;
  private lastMessageAt = 0;
  private probing = false;
  private closed = false;
  private readonly opts: Required<WsClientOptions>;

  constructor(options: WsClientOptions) {
    const reportError = options.reportError ?? ((err: Error) => console.error(err));
    super(reportError);
    this.opts = {
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      backoffMs: 500,
      maxBackoffMs: 8000,
      callTimeoutMs: 10_000,
      idleProbeMs: 5000,
      reportError,
      ...options,
    };
    this.delay = this.opts.backoffMs;
    this.connect();
  }

  private connect(): void {
    this.reconnectTimer = null;
    if (this.closed) return;
    this.setLink('connecting');
    let socket: SocketLike;
    try {
      socket = this.opts.createSocket(this.opts.url);
    } catch (err) {
      this.reportError(new Error(`cannot open ${this.opts.url}: ${(err as Error).message}`));
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.delay = this.opts.backoffMs;
      this.lastMessageAt = Date.now();
      this.startProbe();
      this.setLink('connected');
    };
    socket.onmessage = (ev) => {
      this.lastMessageAt = Date.now();
      this.onMessage(ev.data);
    };
    // onerror is always followed by onclose; the close handles the state.
    socket.onerror = () => undefined;
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopProbe();
      this.failPending(`connection to ${this.opts.url} closed`);
      if (this.closed) return;
      this.setLink('down');
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    // Jitter so consoles restarted together do not reconnect in lockstep.
    const wait = this.delay * (0.75 + Math.random() * 0.5);
    this.delay = Math.min(this.delay * 2, this.opts.maxBackoffMs);
    this.reconnectTimer = setTimeout(() => this.connect(), wait);
  }

  private startProbe(): void {
    this.stopProbe();
    this.probeTimer = setInterval(() => {
      if (this.probing || Date.now() - this.lastMessageAt < this.opts.idleProbeMs) return;
      this.probing = true;
      void this.send('station.info', {}).then((res) => {
        this.probing = false;
        if (!res.ok && res.error.code === 'unavailable') this.socket?.close();
      });
    }, Math.max(50, this.opts.idleProbeMs / 2));
  }

  private stopProbe(): void {
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
    this.probing = false;
  }

  private onMessage(raw: unknown): void {
    let msg: { type?: unknown; id?: unknown; name?: unknown; data?: unknown; ok?: unknown; result?: unknown; error?: unknown };
    try {
      msg = JSON.parse(String(raw));
    } catch (err) {
      this.reportError(new Error(`message from the station is not JSON: ${(err as Error).message}`));
      return;
    }
    if (msg.type === 'event' && typeof msg.name === 'string') {
      this.dispatchEvent(msg.name, msg.data);
    } else if (msg.type === 'response' && typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      if (!p) return; // answered after its timeout: the caller was already told
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      p.resolve(
        msg.ok === true
          ? { ok: true, result: msg.result }
          : { ok: false, error: (msg.error as ApiError | undefined) ?? { code: 'internal', message: 'error without detail' } },
      );
    } else {
      this.reportError(new Error(`message from the station: expected type "event" or "response", got ${JSON.stringify(msg).slice(0, 200)}`));
    }
  }

  protected send(method: string, params: unknown): Promise<ApiResponse<unknown>> {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) {
      return Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'no link to the station' } });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, error: { code: 'unavailable', message: `no response in ${this.opts.callTimeoutMs} ms` } });
      }, this.opts.callTimeoutMs);
      this.pending.set(id, { resolve, timer });
      socket.send(JSON.stringify({ type: 'call', id, method, params }));
    });
  }

  private failPending(message: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, error: { code: 'unavailable', message } });
      this.pending.delete(id);
    }
  }

  close(): void {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.stopProbe();
    this.socket?.close();
    this.failPending('client closed');
    this.setLink('down');
  }
}

/** The bridge when the preload set one, else WebSocket to the page's own host. */
export function createApiClient(): ApiClient {
  const bridge = (globalThis as { vigil?: VigilBridge }).vigil;
  const reportError = (err: Error) => console.error(err);
  if (bridge) return new BridgeClient(bridge, reportError);
  return new WsClient({ url: `ws://${location.host}/api`, reportError });
}
