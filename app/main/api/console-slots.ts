/**
 * How many console sockets browser mode keeps open: per source address and in total. Each socket
 * holds its session state, subscriptions and a file descriptor, so a local program opening
 * thousands would exhaust the station's memory and descriptors while the control room watches.
 *
 * A control room's consoles never come near the limits. When a new socket would pass one, a place
 * is made first by closing a socket nobody signed in on, the one idle longest (at the total limit,
 * of the source holding the most places): a flood of sockets that never sign in makes room for a
 * signed-in console's reconnect (it resumes its session on a new socket) instead of shutting it
 * out. Sockets someone is signed in on are never closed to make room; only when every place is
 * theirs is the new socket refused. Refusals and closings (these, and those of socket-liveness.ts:
 * silent or gone) are logged once per burst.
 */
import type { Duplex } from 'node:stream';
import type { Logger } from '../log.js';

/** Console sockets from one address (a station PC's browser tabs, or one console behind a proxy). */
export const MAX_CONSOLES_PER_SOURCE = 32;
/** Console sockets from all addresses together. */
export const MAX_CONSOLES = 128;
/** Time a socket closed to make room has to answer the close before it is cut. */
export const MAKE_ROOM_GRACE_MS = 1000;
/** Refusals and closings within this time of the first are logged as one line when it ends. */
export const BURST_LOG_MS = 10_000;

export interface ConsoleLimits {
  perSource: number;
  total: number;
}

/** What the slots need of an open console socket. */
export interface SlotHolder {
  /** Whether someone is signed in on it now: it is then never closed to make room. */
  signedIn(): boolean;
  /** Closes it with a reason its client reads (WebSocket close 1013, try again later). */
  close(code: number, reason: string): void;
}

interface Slot {
  readonly source: string;
  /** When its client last sent anything (or connected). */
  heard: number;
  holder: SlotHolder | null;
}

/** Why a socket was refused or closed: the limits (refused, closed to make room) or its liveness. */
type Closing = 'refused' | 'closed' | 'silent' | 'gone';

const firstLine: Record<Closing, string> = {
  refused: 'console socket refused: the connection limit is reached',
  closed: 'console socket nobody signed in on closed to make room under the connection limit',
  silent: 'console socket closed: no request since it connected',
  gone: 'console socket cut: it answered no ping',
};

export interface Refusal {
  /** Said to the client in its close (1013) and logged. */
  reason: string;
}

export class ConsoleSlots {
  private readonly slots = new Map<Duplex, Slot>();
  private readonly bySource = new Map<string, number>();
  private burst: ({ first: number; timer: ReturnType<typeof setTimeout> } & Record<Closing, number>) | null = null;

  constructor(
    private readonly limits: ConsoleLimits,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  /**
   * A place for a new socket from this source before its upgrade, made by closing an idle socket
   * nobody signed in on if the limits are reached; null when there is one, else why not.
   * The place is the socket's until release().
   */
  admit(socket: Duplex, source: string): Refusal | null {
    if ((this.bySource.get(source) ?? 0) >= this.limits.perSource && !this.makeRoom((s) => s.source === source, 'source')) {
      return this.refused(source, `refused: ${this.limits.perSource} consoles are connected from this address already, each signed in; try again later`);
    }
    if (this.slots.size >= this.limits.total && !this.makeRoom(() => true, 'total')) {
      return this.refused(source, `refused: ${this.limits.total} consoles are connected already, each signed in; try again later`);
    }
    this.slots.set(socket, { source, heard: this.now(), holder: null });
    this.bySource.set(source, (this.bySource.get(source) ?? 0) + 1);
    return null;
  }

  /** The socket's console is attached: from now on it can be asked whether someone is signed in on it. */
  bind(socket: Duplex, holder: SlotHolder): void {
    const slot = this.slots.get(socket);
    if (slot) slot.holder = holder;
  }

  /** Its client sent something: it is not idle. */
  heard(socket: Duplex): void {
    const slot = this.slots.get(socket);
    if (slot) slot.heard = this.now();
  }

  /** The socket is gone (or was closed to make room): its place is free. */
  release(socket: Duplex): void {
    const slot = this.slots.get(socket);
    if (!slot) return;
    this.slots.delete(socket);
    const left = (this.bySource.get(slot.source) ?? 1) - 1;
    if (left > 0) this.bySource.set(slot.source, left);
    else this.bySource.delete(slot.source);
  }

  /** A socket closed by its liveness checks (socket-liveness.ts): logged with the limits' refusals and closings. */
  closedBy(why: 'silent' | 'gone', source: string): void {
    this.count(why, source, why === 'silent' ? 'no request within the first-call time' : 'no answer to a ping');
  }

  /** Writes the count of a burst still open; the server calls it when it closes. */
  stop(): void {
    this.endBurst();
  }

  /**
   * Closes the socket idle longest among those nobody is signed in on that `among` admits, of the
   * source holding the most places first (one flooding source makes room from its own sockets);
   * false when someone is signed in on every one of them.
   */
  private makeRoom(among: (s: Slot) => boolean, limit: 'source' | 'total'): boolean {
    const counts = this.bySource;
    const candidates = [...this.slots].filter(([, s]) => s.holder !== null && among(s))
      .sort(([, a], [, b]) => (counts.get(b.source) ?? 0) - (counts.get(a.source) ?? 0) || a.heard - b.heard);
    for (const [socket, slot] of candidates) {
      if (slot.holder!.signedIn()) continue;
      this.release(socket);
      slot.holder!.close(1013, limit === 'source'
        ? 'closed to make room: too many consoles from this address; sign in to keep a place'
        : 'closed to make room: too many consoles connected; sign in to keep a place');
      this.count('closed', slot.source, limit);
      return true;
    }
    return false;
  }

  private refused(source: string, reason: string): Refusal {
    this.count('refused', source, reason);
    return { reason };
  }

  /** The first of a burst logged at once with its reason; the rest counted into one line when the burst ends. */
  private count(what: Closing, source: string, why: string): void {
    if (this.burst) {
      this.burst[what]++;
      return;
    }
    this.logger.warn({ source, consoles: this.slots.size, limits: this.limits, why }, firstLine[what]);
    const timer = setTimeout(() => this.endBurst(), BURST_LOG_MS);
    timer.unref?.();
    this.burst = { first: this.now(), refused: 0, closed: 0, silent: 0, gone: 0, timer };
  }

  private endBurst(): void {
    const burst = this.burst;
    if (!burst) return;
    this.burst = null;
    clearTimeout(burst.timer);
    if (burst.refused + burst.closed + burst.silent + burst.gone === 0) return;
    const { refused, closed, silent, gone } = burst;
    this.logger.warn({ refused, closed, silent, gone, withinMs: this.now() - burst.first, consoles: this.slots.size, limits: this.limits },
      'more console sockets refused, closed to make room under the connection limit, or closed by their liveness checks');
  }
}
