/**
 * An upstream's error as a catalog message (sync.fault.*), made where the error is met, beside
 * its English (the log's and the CLI's words, unchanged): the Sync page and the sync alarm say it
 * in the console's language, a timeout's duration in its words ("5 s", "5 с", "5 秒"). Found by an
 * exploratory run: "Передача отстаёт: … (последняя ошибка: no answer within 5000 ms)". The common
 * causes (a refused or reset connection, an expired or untrusted TLS certificate, HTTP 401, 403, 404,
 * 413, 429, 500, 502-504) are said with what to check, without the upstream's or Node's English,
 * which the English message keeps (the log, the CLI, the Sync page's tooltip). What else the
 * upstream or the network library says (a 400's reason for a line, a rare TLS alert) stays as it
 * is, a parameter of the message.
 */
import { text, type SyncText } from '../../../shared/sync-text.js';

/** Our own timeout: no answer within `timeoutMs`, the connection made or not. */
export function noAnswer(timeoutMs: number, connected: boolean): SyncText {
  return text(connected ? 'sync.fault.noAnswer' : 'sync.fault.noAnswerNoConnection', { timeoutMs });
}

/** The answer ended before its end (Node's words for it, "aborted", are the English message's). */
export function cutOff(): SyncText {
  return text('sync.fault.cutOff');
}

/** Node's TLS certificate errors (OpenSSL's verify codes, RFC 5280 path validation) the sync words. */
const TLS_CAUSES: Record<string, SyncText['key']> = {
  CERT_HAS_EXPIRED: 'sync.fault.tlsExpired',
  CERT_NOT_YET_VALID: 'sync.fault.tlsNotYetValid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'sync.fault.tlsUntrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'sync.fault.tlsUntrusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'sync.fault.tlsUntrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'sync.fault.tlsUntrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'sync.fault.tlsUntrusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'sync.fault.tlsWrongHost',
};

/** A request that failed on the network, by its error code; `english`: the log's words for it. */
export function networkFault(err: NodeJS.ErrnoException & { hostname?: string }, english: string): SyncText {
  switch (err.code) {
    case 'ECONNREFUSED': return text('sync.fault.refused');
    case 'ECONNRESET': case 'EPIPE': return text('sync.fault.reset');
    case 'ENOTFOUND': case 'EAI_AGAIN': return text('sync.fault.unknownHost', { host: err.hostname ?? '?' });
    case 'ENETUNREACH': case 'EHOSTUNREACH': return text('sync.fault.unreachable');
    case 'ETIMEDOUT': return text('sync.fault.connectTimedOut');
  }
  const tls = err.code ? TLS_CAUSES[err.code] : undefined;
  if (tls) return text(tls);
  if (err.code && /TLS|SSL|CERT|SIGNATURE|SELF_SIGNED/.test(err.code)) return text('sync.fault.tls', { detail: english });
  return text('sync.fault.network', { detail: english });
}

/**
 * VictoriaMetrics' answer once its free disk space is below -storage.minFreeDiskSpaceBytes (measured,
 * v1.x single-node: 503, "…cannot store metrics: the storage is in read-only mode; check
 * -storage.minFreeDiskSpaceBytes command-line flag value", after the client's address).
 */
const READ_ONLY_STORAGE = /storage is in read-only mode/;

/** InfluxDB 1.x's 400 for points older than its retention policy (deliver/outcome.ts reads the count too). */
const BEYOND_RETENTION = /points beyond retention policy dropped=(\d+)/;

/**
 * A 5xx the upstream says it stored nothing of: VictoriaMetrics' read-only storage refuses the
 * request's rows before it adds any. Counted as a possible copy (as other 5xx are), every try of a
 * disk full for an hour made each line "sent again" some 60 times: 750 for 250 lines after 3 tries.
 */
export function storedNothing(status: number, body: string): boolean {
  return status === 503 && READ_ONLY_STORAGE.test(body);
}

/** InfluxDB's `{"error":"…"}`: the error; any other body as it is. */
function errorOf(body: string): string {
  try {
    const json = JSON.parse(body) as { error?: unknown };
    return typeof json.error === 'string' ? json.error : body;
  } catch {
    return body;
  }
}

/** HTTP statuses (RFC 9110 §15) the sync words by their meaning. A 400's body says which line and why: kept. */
const HTTP_CAUSES: Record<number, SyncText['key']> = {
  401: 'sync.fault.httpDenied',
  403: 'sync.fault.httpDenied',
  404: 'sync.fault.httpNotFound',
  413: 'sync.fault.httpTooLarge',
  429: 'sync.fault.httpTooMany',
  500: 'sync.fault.httpServerError',
  502: 'sync.fault.httpUnavailable',
  503: 'sync.fault.httpUnavailable',
  504: 'sync.fault.httpUnavailable',
};

/** An HTTP status with the start of its body (`body` as the log keeps it: trimmed, cut). */
export function httpFault(status: number, body: string): SyncText {
  // A full disk upstream, said as one: its own line (the client's address, a flag) told an operator nothing.
  if (storedNothing(status, body)) return text('sync.fault.upstreamReadOnly', { status: String(status) });
  // Its JSON in English stood alone as the quarantine's reason on a Russian or Chinese Sync page;
  // its own words follow (`answer`, the JSON's error), as InfluxDB's documentation and log name it.
  const beyond = status === 400 ? BEYOND_RETENTION.exec(body) : null;
  if (beyond) return text('sync.fault.beyondRetention', { status: String(status), dropped: Number(beyond[1]), answer: errorOf(body) });
  // The common statuses by what they mean and what to check: their English bodies ("unauthorized",
  // "overloaded") stood alone in a Russian or Chinese sentence. The body stays the English message's.
  const common = HTTP_CAUSES[status];
  if (common) return text(common, { status: String(status) });
  return body ? text('sync.fault.http', { status: String(status), body }) : text('sync.fault.httpStatus', { status: String(status) });
}

/** What a content type header said, or that there was none. */
function contentTypeOf(contentType: string | null): string | SyncText {
  return contentType ?? text('sync.fault.noContentType');
}

/** A 2xx to a write with a body: someone else's answer (a captive portal, a misrouted proxy). */
export function notUpstreamFault(status: number, contentType: string | null, body: string): SyncText {
  return text('sync.fault.notUpstream', { status: String(status), contentType: contentTypeOf(contentType), body });
}

/** A restart probe answered 200 with what is not the upstream's. */
export function probeUnreadableFault(path: string, contentType: string | null, body: string): SyncText {
  return text('sync.fault.probeUnreadable', { path, contentType: contentTypeOf(contentType), body });
}
