import type { ApiError, ApiResponse, RequestName } from '../../shared/api.js';
import { BaseClient } from './api-base.js';

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
   * A socket silent for this long is probed (probeMethod); no message within probeTimeoutMs
   * more closes it, so a stalled station shows as a lost link (from its last message on).
   */
  idleProbeMs?: number;
  probeTimeoutMs?: number;
  /** The request the idle probe makes; it must be answered before sign-in (browser mode beyond loopback). */
  probeMethod?: RequestName;
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
  private probeSentAt = 0;
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
      // A live station sends values every second or so: 2 s of silence is asked about, and 4 s
      // more without a word is a lost link (values were shown live up to 15 s after a loss).
      idleProbeMs: 2000,
      probeTimeoutMs: 4000,
      probeMethod: 'station.info',
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
    const { idleProbeMs, probeTimeoutMs, probeMethod } = this.opts;
    this.probeTimer = setInterval(() => {
      const now = Date.now();
      if (this.probing) {
        // Nothing heard since the probe went out, for the probe's whole time: no station there. Counted
        // from the probe, not from the last message: a hidden tab's timers run late, and a quiet station
        // must be asked before it is given up.
        if (this.socket !== null && this.lastMessageAt < this.probeSentAt && now - this.probeSentAt >= probeTimeoutMs) this.drop(this.socket);
        return;
      }
      if (now - this.lastMessageAt < idleProbeMs) return;
      this.probing = true;
      this.probeSentAt = now;
      void this.send(probeMethod, {}).then(() => { this.probing = false; });
    }, Math.max(25, Math.min(idleProbeMs, probeTimeoutMs) / 4));
  }

  /**
   * Gives up a socket whose station went silent. Its close is only begun: a hung station never
   * answers the close handshake, and waiting for it (a minute in Chromium) would show frozen
   * values as live all that time. The link is down now, and a new socket is tried.
   */
  private drop(socket: SocketLike): void {
    this.socket = null;
    socket.close();
    this.stopProbe();
    this.failPending(`no answer from ${this.opts.url} in ${this.opts.idleProbeMs + this.opts.probeTimeoutMs} ms`);
    if (this.closed) return;
    this.setLink('down', this.lastMessageAt);
    this.scheduleReconnect();
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
      return Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'no link to the station', i18n: { key: 'error.noLink' } } });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, error: { code: 'unavailable', message: `no response in ${this.opts.callTimeoutMs} ms`, i18n: { key: 'error.noResponse', params: { seconds: Math.ceil(this.opts.callTimeoutMs / 1000) } } } });
      }, this.opts.callTimeoutMs);
      this.pending.set(id, { resolve, timer });
      socket.send(JSON.stringify({ type: 'call', id, method, params }));
    });
  }

  /** Calls the link can no longer answer: said in the console's words (i18n), the English for the log. */
  private failPending(message: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, error: { code: 'unavailable', message, i18n: { key: 'error.linkClosed' } } });
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
