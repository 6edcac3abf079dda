/**
 * What an upstream's answer means for the batch, and how long to wait before
 * trying again (exponential backoff with full jitter, at least Retry-After).
 */
import type { SyncText } from '../../../shared/sync-text.js';
import { httpFault, notUpstreamFault } from '../upstream/faults.js';
import type { HttpOutcome } from '../upstream/http.js';

/** `error` in English (the log, the CLI); `said`: the same as a catalog message, for the console's language. */
export type Verdict =
  | { kind: 'ok' }
  /** Transient: same request again after a delay. */
  | { kind: 'retry'; error: string; said?: SyncText; retryAfterMs: number | null }
  /**
   * Some lines are refused: split the request to find them. beyondRetention: InfluxDB dropped that
   * many points as older than its retention policy (stored nothing else of them; not a misconfiguration).
   */
  | { kind: 'bisect'; error: string; said?: SyncText; beyondRetention?: number }
  /** The request is too large: halve it. */
  | { kind: 'halve'; error: string; said?: SyncText }
  /** Credentials, database or configuration: stop sending until resumed, drop nothing. */
  | { kind: 'pause'; error: string; said?: SyncText };

export function verdict(o: HttpOutcome, now: number = Date.now()): Verdict {
  if (o.kind === 'network') return { kind: 'retry', error: o.error, ...(o.said && { said: o.said }), retryAfterMs: null };
  const { status } = o;
  const body = o.body ? o.body.trim().slice(0, 500) : '';
  const error = `HTTP ${status}${o.body ? `: ${body}` : ''}`;
  const said = httpFault(status, body);
  if (status >= 200 && status < 300) {
    if (isWriteAck(o)) return { kind: 'ok' };
    // A captive portal or a misrouted reverse proxy ("200 text/html: Please sign in"): taken as a
    // write, its answer had dropped the lines while the status stayed green.
    const what = `HTTP ${status} (${o.contentType ?? 'no content type'})`;
    const shown = o.body.replace(/\s+/g, ' ').trim().slice(0, 200);
    return {
      kind: 'retry', error: `${what} is not the upstream's answer to a write: a proxy or portal in the way? ${shown}`.trim(),
      said: notUpstreamFault(status, o.contentType, shown), retryAfterMs: null,
    };
  }
  // A Retry-After date is on the answerer's clock: read against its Date header (both whole seconds),
  // so an upstream or proxy whose clock is an hour off neither parks the sync for the longest wait nor hammers it.
  if (status === 408 || status === 429 || status >= 500) return { kind: 'retry', error, said, retryAfterMs: parseRetryAfter(o.retryAfter, o.date ?? now) };
  if (status === 400 || status === 422) {
    const beyond = BEYOND_RETENTION.exec(o.body);
    return beyond ? { kind: 'bisect', error, said, beyondRetention: Number(beyond[1]) } : { kind: 'bisect', error, said };
  }
  if (status === 413) return { kind: 'halve', error, said };
  // 401/403/404 and anything else unexpected (3xx, 405, 415, ...) is not fixed by sending again.
  return { kind: 'pause', error, said };
}

/**
 * A successful write's answer: InfluxDB (1.x, 2.x, 3.x) and VictoriaMetrics answer 204 No Content
 * (measured: InfluxDB 1.6.7 and VictoriaMetrics 204 with an empty body); any 2xx with an empty body
 * is taken too. A 2xx with a body is someone else's answer.
 */
function isWriteAck(o: { status: number; body: string }): boolean {
  return o.status === 204 || o.body.trim() === '';
}

/** InfluxDB 1.x's 400 for points older than the retention policy: `partial write: points beyond retention policy dropped=N`. */
const BEYOND_RETENTION = /points beyond retention policy dropped=(\d+)/;

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms; null when absent or unreadable. */
export function parseRetryAfter(h: string | null, now: number): number | null {
  if (h === null) return null;
  const text = h.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  /** Longest Retry-After honoured (a misconfigured proxy must not park the sync for a day). */
  maxRetryAfterMs: number;
}

export const defaultBackoff: BackoffOptions = { baseMs: 500, capMs: 60_000, maxRetryAfterMs: 15 * 60_000 };

/** Full jitter: uniform in [0, min(cap, base * 2^attempt)], then at least Retry-After. */
export function backoffDelay(attempt: number, retryAfterMs: number | null, o: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(o.capMs, o.baseMs * 2 ** Math.min(attempt, 30));
  const jitter = Math.floor(random() * ceiling);
  return retryAfterMs === null ? jitter : Math.max(jitter, Math.min(retryAfterMs, o.maxRetryAfterMs));
}
