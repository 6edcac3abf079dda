/**
 * When a gap left pending on a live connection is read again, and which failures of a server's
 * history read leave it pending (tried again) rather than failed.
 *
 * A gap stays pending while the connection is up when the archive did not take its values
 * (BackfillRefused) or the server did not answer its history read for a reason that passes
 * (busy, timed out). Without a timer it would wait for the next connection or start: days, on a
 * link that stays up, though the server still holds the history.
 */
import { StatusCodes } from 'node-opcua-client';

/**
 * The first retry after a run that left gaps pending, doubling up to maxMs while they stay pending
 * (back to firstMs once none is, or at a new connection). 30 s: a HistoryRead is heavy for a busy
 * server and the archive's usual refusals (a full or locked volume, a volume being repaired) pass
 * on a person's time, not a second's. 10 min: well inside any server's history (hours to days), so
 * a retry comes long before the values roll out of it. Tests shorten it (like reacquire.everyMs).
 */
export const backfillRetry = { firstMs: 30_000, maxMs: 600_000 };

/** Service results that say the server could not answer now, not that its history is missing. */
const TRANSIENT = new Set<number>([
  StatusCodes.BadTimeout, StatusCodes.BadRequestTimeout, StatusCodes.BadCommunicationError, StatusCodes.BadTooManyOperations,
  StatusCodes.BadServerTooBusy, StatusCodes.BadTcpServerTooBusy, StatusCodes.BadResourceUnavailable, StatusCodes.BadOutOfMemory,
  StatusCodes.BadNoContinuationPoints, StatusCodes.BadContinuationPointInvalid, StatusCodes.BadRequestInterrupted,
  StatusCodes.BadShutdown, StatusCodes.BadServerHalted, StatusCodes.BadServerNotConnected, StatusCodes.BadNotConnected,
  StatusCodes.BadNoCommunication, StatusCodes.BadSecureChannelClosed, StatusCodes.BadConnectionClosed, StatusCodes.BadSessionClosed,
].map((s) => s.value));

interface StatusLike { value: number; name?: string }

/**
 * A status of one node's HistoryReadResult that says "not now" for that node alone (the server
 * timed out on it, ran out of resources or continuation points): its tag is read again later, the
 * others' values kept. Any other Bad status says the node has no history to give.
 */
export function transientNodeStatus(status: number): boolean {
  return TRANSIENT.has(status);
}

/** node-opcua's clock on a request the server never answered: it gives no status code, only this text. */
const NO_ANSWER = /^Transaction has timed out\b/;

/**
 * Why a history read failed for now (a status name, or 'no answer'), or null when the failure may
 * last (a service the server does not offer, a refused request, an error of the station's own).
 * node-opcua rejects a ServiceFault with the fault on the error (`response.responseHeader.serviceResult`).
 */
export function transientHistoryFailure(err: unknown): string | null {
  if (!(err instanceof Error)) return null;
  const e = err as Error & { statusCode?: StatusLike; response?: { responseHeader?: { serviceResult?: StatusLike } } };
  const status = e.response?.responseHeader?.serviceResult ?? e.statusCode;
  if (status && typeof status.value === 'number') return TRANSIENT.has(status.value) ? (status.name ?? `0x${status.value.toString(16)}`) : null;
  return NO_ANSWER.test(err.message.trim()) ? 'no answer' : null;
}
