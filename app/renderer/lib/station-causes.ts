/**
 * Why the station lost a server, switched its endpoint or put off a backfill: the station stores
 * these as stable English strings (app/main/acquisition: server-link.ts, session.ts,
 * subscription.ts, failover.ts), kept as they are in the ledger. The console words the ones it
 * knows in its language; anything else (a library's error text) shows as stored. A cause with a
 * part that varies comes with its own words (ServerState.lastErrorText), never parsed back here.
 */
import { isMessageKey, type MessageKey, type MessageParams } from '../../shared/i18n/index.js';
import type { ServerState } from '../../shared/api.js';

type Translate = (key: MessageKey, params?: MessageParams) => string;

const CAUSES: Record<string, MessageKey> = {
  'station stopped': 'gaps.cause.stationStopped',
  'station stopped without closing': 'gaps.cause.stationStoppedUnclean',
  'connection lost': 'gaps.cause.connectionLost',
  'connection closed': 'gaps.cause.connectionClosed',
  'no data or keep-alive from the server': 'gaps.cause.noEvidence',
  'server certificate rejected by an engineer': 'gaps.cause.certificateRejected',
  'subscription timed out on the server': 'gaps.cause.subscriptionTimedOut',
  'subscription terminated': 'gaps.cause.subscriptionTerminated',
};

const SWITCHES: Record<string, MessageKey> = {
  lost: 'gaps.switch.lost',
  serviceLevel: 'gaps.switch.serviceLevel',
  failback: 'gaps.switch.failback',
};

const NOTES: Record<string, MessageKey> = {
  'station stopped during the backfill: retried at the next connection': 'gaps.note.retryStopped',
  'connection lost during the backfill: retried at the next connection': 'gaps.note.retryLost',
  'not archived: the archive did not take the values: backfilled again at the next connection or start': 'gaps.note.notArchived',
  'not archived: the archive did not take the values: retried every 10 minutes at most while connected, and at the next connection or start': 'gaps.note.notArchivedRetried',
  'not filled yet: the server did not answer the history read: retried every 10 minutes at most while connected, and at the next connection or start': 'gaps.note.historyNotAnswered',
  'not filled: the server clock is off, its history would be dated wrong': 'gaps.note.clockOff',
};

/** A gap's cause (or a server's loss cause) in the console's language, if it is one the station words the same every time. */
export function causeText(cause: string, t: Translate): string {
  const key = CAUSES[cause];
  return key ? t(key) : cause;
}

/** True when the console has words for this cause (else it is a library's text: a technical detail). */
export function isKnownCause(cause: string): boolean {
  return Object.hasOwn(CAUSES, cause);
}

/**
 * A server's last error in the console's words: those the station sent with it (a wrong endpoint
 * path, a certificate not trusted), else a cause it words the same every time; null when it has
 * none of them (the English is then a technical detail).
 */
export function serverErrorText(state: Pick<ServerState, 'lastError' | 'lastErrorText'>, t: Translate): string | null {
  const worded = state.lastErrorText;
  // Without its full stop: the sentence it goes into ends it ("Cause: ….").
  if (worded && isMessageKey(worded.key)) return t(worded.key, worded.params).replace(/[.。]\s*$/u, '');
  return state.lastError !== null && isKnownCause(state.lastError) ? causeText(state.lastError, t) : null;
}

/** Why the station switched a server's endpoint. */
export function failoverReasonText(reason: string, t: Translate): string {
  const key = SWITCHES[reason];
  return key ? t(key) : reason;
}

/** The note of a gap the server's history reaches only partly (archive-start.ts historyFromNote): its one varying part is a time. */
const HISTORY_FROM = /^partly filled: the server's history begins at (\S+Z); before that the gap stays without communication$/;

/**
 * A backfill's note (the ledger row's note), its time written by `dateTime` as the ledger's own
 * columns write theirs (one format in one row).
 */
export function noteText(note: string | null, t: Translate, dateTime: (ms: number) => string): string {
  if (!note) return '';
  const key = NOTES[note];
  if (key) return t(key);
  const from = HISTORY_FROM.exec(note);
  const at = from ? Date.parse(from[1]!) : NaN;
  return Number.isNaN(at) ? note : t('gaps.note.historyFrom', { from: dateTime(at) });
}
