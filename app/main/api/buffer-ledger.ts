/**
 * The bytes the station holds for all consoles' sockets together, kept under a total: many sockets
 * that never read (a local process can open many) would each be held up to the console limit. Past
 * the total, the consoles held most for are dropped, largest first, until it is kept again; a
 * console that reads holds next to nothing and is never the largest.
 *
 * Kept as a running sum of what each socket held when last looked at (after each send to it: O(1)),
 * not by walking every socket at every send. A socket's buffer only grows by what is sent to it,
 * and every send is noted, so the sum is never below what is held (control frames aside: a few
 * bytes each), only above it by what drained since: it can find the total passed early, never
 * late. Then, and only then, every socket is looked at afresh, and the largest are dropped if the
 * exact sum is still past the total.
 */
import type { WebSocket } from 'ws';
import type { Logger } from '../log.js';

export class BufferLedger {
  private held = 0;
  private readonly seen = new Map<WebSocket, number>();

  constructor(
    private readonly total: number,
    private readonly logger: Logger,
  ) {}

  /** After something was sent to the socket: its buffer as it is now goes into the sum. */
  note(ws: WebSocket): void {
    const now = bufferOf(ws);
    this.held += now - (this.seen.get(ws) ?? 0);
    this.seen.set(ws, now);
    if (this.held > this.total) this.keepWithin();
  }

  /** The socket closed: nothing is held for it any more. */
  forget(ws: WebSocket): void {
    this.held -= this.seen.get(ws) ?? 0;
    this.seen.delete(ws);
  }

  private keepWithin(): void {
    let held = 0;
    for (const ws of this.seen.keys()) {
      const now = bufferOf(ws);
      this.seen.set(ws, now);
      held += now;
    }
    this.held = held;
    if (held <= this.total) return;
    const largestFirst = [...this.seen].sort((a, b) => b[1] - a[1]);
    for (const [ws, bytes] of largestFirst) {
      if (this.held <= this.total) break;
      this.logger.warn({ buffered: bytes, held: this.held, limit: this.total }, 'consoles not reading their sockets hold more than the station keeps for all; dropping the one held most for');
      this.forget(ws);
      ws.terminate();
    }
  }
}

/** What the station holds for a socket; nothing once it is no longer open (its buffer is let go). */
function bufferOf(ws: WebSocket): number {
  return ws.readyState === ws.OPEN ? ws.bufferedAmount : 0;
}
