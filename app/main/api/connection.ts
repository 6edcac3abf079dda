/**
 * Who is calling: every console-API request runs on a connection (an
 * Electron window's IPC, or one WebSocket in browser mode) and, once someone
 * signed in on it, with that connection's session. The accounts module owns
 * sessions; the dispatcher only asks it whose session a connection carries.
 */
import { randomUUID } from 'node:crypto';
import type { ApiError, EventName, RequestName } from '../../shared/api.js';
import type { Role } from '../../shared/permissions.js';

export interface Session {
  readonly id: string;
  readonly user: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  /** When the user signed in (ms UTC). */
  readonly since: number;
}

export interface Connection {
  readonly id: string;
  readonly transport: 'ipc' | 'ws' | 'internal';
  /** The peer as the transport saw it: an address, or the window for IPC. */
  readonly remote: string;
  /** True when the peer is this machine (IPC, or a WebSocket from 127.0.0.1 / ::1). */
  readonly loopback: boolean;
  /** Pushes an event to this console only (e.g. its session ended). */
  send(name: EventName, data: unknown): void;
  /** Runs once when the connection closes. */
  onClose(listener: () => void): void;
}

/** Answers whose session a connection carries; null: view-only. Provided by the accounts module. */
export interface SessionAuthority {
  sessionOf(connection: Connection): Session | null;
  /**
   * Whether the connection may make this request at all (checked before the
   * permission): browser mode beyond loopback answers nothing but sign-in
   * until someone signs in. null: admitted; otherwise the refusal, audited.
   * session: what sessionOf answered for this call, so it is not asked twice.
   */
  admit?(connection: Connection, method: RequestName, session?: Session | null): ApiError | null;
  /** Whether station-wide events (live values, server states) go to this connection; absent: all do. */
  receivesEvents?(connection: Connection): boolean;
}

/** A connection whose transport calls close() when it goes away. */
export class TransportConnection implements Connection {
  readonly id = randomUUID();
  private readonly closeListeners: (() => void)[] = [];
  private closed = false;

  constructor(
    readonly transport: Connection['transport'],
    readonly remote: string,
    readonly loopback: boolean,
    private readonly push: (name: EventName, data: unknown) => void,
  ) {}

  send(name: EventName, data: unknown): void {
    if (!this.closed) this.push(name, data);
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.closeListeners.splice(0)) l();
  }
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** A connection for calls the station makes itself (CLIs, tests): no events, loopback. */
export function internalConnection(name = 'internal'): TransportConnection {
  return new TransportConnection('internal', name, true, () => {});
}
