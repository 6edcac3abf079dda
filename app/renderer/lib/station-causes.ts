/**
 * Why the station lost a server, switched its endpoint or put off a backfill: the station stores
 * these as stable English strings (app/main/acquisition: server-link.ts, session.ts,
 * subscription.ts, failover.ts), kept as they are in the ledger. The console words the ones it
 * knows in its language; anything else (a library's error text) shows as stored.
 */
import type { MessageKey, MessageParams } from '../../shared/i18n/index.js';

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
};

/** Causes with a part that varies, as session.ts words them (EndpointPathError). */
const PATTERNS: { re: RegExp; key: MessageKey; params: (m: RegExpExecArray) => MessageParams }[] = [
  {
    re: /^the server at (\S+) has no endpoint at this path; it offers (.*)$/,
    key: 'acquisition.error.endpointPath',
    params: (m) => ({ url: m[1]!, offered: m[2]! }),
  },
];

/** A gap's cause (or a server's last error) in the console's language, if it is one the station words the same every time. */
export function causeText(cause: string, t: Translate): string {
  const key = CAUSES[cause];
  if (key) return t(key);
  for (const p of PATTERNS) {
    const m = p.re.exec(cause);
    if (m) return t(p.key, p.params(m));
  }
  return cause;
}

/** True when the console has words for this cause (else it is a library's text: a technical detail). */
export function isKnownCause(cause: string): boolean {
  return Object.hasOwn(CAUSES, cause) || PATTERNS.some((p) => p.re.test(cause));
}

/** Why the station switched a server's endpoint. */
export function failoverReasonText(reason: string, t: Translate): string {
  const key = SWITCHES[reason];
  return key ? t(key) : reason;
}

/** A backfill's note (the ledger cell's title). */
export function noteText(note: string | null, t: Translate): string {
  if (!note) return '';
  const key = NOTES[note];
  return key ? t(key) : note;
}
