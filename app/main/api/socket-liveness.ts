/**
 * Whether a console socket's client is still there. A socket holds a place among the consoles
 * (ConsoleSlots) until it closes, and TCP alone never tells: a console PC gone to sleep, a cable
 * pulled, or a local program that opened a socket and does nothing more leaves it open for ever.
 *
 * - A socket that sends no request within FIRST_CALL_MS of connecting is closed (1008). The
 *   console sends its first request as soon as it connects (it asks for its session), so only a
 *   socket that is not a console meets this deadline. It does not apply once a socket has sent
 *   anything: a view-only console on the station itself, or a sign-in page left idle, is kept.
 * - Every socket is pinged every PING_INTERVAL_MS (RFC 6455 §5.5.2); one that has answered
 *   neither the last ping nor sent anything since is gone, and cut. A browser answers pings
 *   itself, whatever its page is doing (a hidden tab, a modal dialog, an operator typing slowly).
 *
 * A late timer (the station stalled by a long task) is not held against a console: the verdict waits
 * until the station has read what arrived meanwhile (setImmediate runs after the poll for I/O).
 */
import type { WebSocket } from 'ws';

/** Time a new socket has to send its first request. */
export const FIRST_CALL_MS = 30_000;
/** Time between pings; a console that answers none is seen gone within twice this. */
export const PING_INTERVAL_MS = 15_000;

export interface LivenessLimits {
  firstCallMs: number;
  pingMs: number;
}

export interface LivenessVerdicts {
  /** No request within firstCallMs of connecting. */
  silent(): void;
  /** Neither the last ping answered nor anything sent since. */
  gone(): void;
}

/** Watches a socket until it closes; heard() is called on every message from its client. */
export function watchLiveness(ws: WebSocket, limits: LivenessLimits, on: LivenessVerdicts): { heard(): void } {
  let sentAnything = false;
  let answered = true;
  const firstCall = setTimeout(() => setImmediate(() => {
    if (!sentAnything && ws.readyState === ws.OPEN) on.silent();
  }), limits.firstCallMs);
  const pinger = setInterval(() => {
    if (answered) {
      answered = false;
      if (ws.readyState === ws.OPEN) ws.ping();
      return;
    }
    setImmediate(() => {
      if (!answered && ws.readyState === ws.OPEN) on.gone();
    });
  }, limits.pingMs);
  firstCall.unref?.();
  pinger.unref?.();
  ws.on('pong', () => { answered = true; });
  ws.once('close', () => {
    clearTimeout(firstCall);
    clearInterval(pinger);
  });
  return {
    heard() {
      sentAnything = true;
      answered = true;
      clearTimeout(firstCall);
    },
  };
}
