/**
 * The common causes of a failed or broken OPC UA connection in the console's words (catalog
 * acquisition.cause.*: what happened and what to check), for an error the station has no words of
 * its own for (session.ts wordedOf). node-opcua and Node say them in English ("The connection
 * cannot be established … Err = (connect ECONNREFUSED 127.0.0.1:4840)", "BadTimeout (0x800A0000)",
 * "socket hang up"): shown as they were, they stood in English inside a Russian or Chinese sentence.
 * The English stays the server state's lastError (the log's words, the console's technical
 * detail); an error not known here keeps no words and is shown as that technical detail.
 *
 * Status codes are read by their names as node-opcua writes them in its messages (the codes'
 * table is historian/status.ts and node-opcua's own; nothing here reads a number).
 */
import type { MessageRef } from '../../shared/api.js';
import type { MessageKey } from '../../shared/i18n/index.js';
import { failedLevelCause } from './failover.js';

type CauseKey = Extract<MessageKey, `acquisition.cause.${string}`>;

/** OPC UA status names (Part 4 §7.39 / Part 6 §7.1.5) a server or node-opcua gives a failed connection with. */
const STATUS_CAUSES: readonly [RegExp, CauseKey][] = [
  [/\bBad(?:SecurityChecksFailed|CertificateUntrusted|CertificateInvalid)\b/, 'acquisition.cause.securityChecks'],
  [/\bBad(?:SecurityPolicyRejected|SecurityModeRejected)\b/, 'acquisition.cause.securityRejected'],
  [/\bBad(?:IdentityTokenRejected|IdentityTokenInvalid|UserAccessDenied)\b/, 'acquisition.cause.identity'],
  [/\bBad(?:TooManySessions|ServerTooBusy|TcpServerTooBusy|ResourceUnavailable|MaxConnectionsReached)\b/, 'acquisition.cause.busy'],
  [/\bBad(?:ServerHalted|Shutdown)\b/, 'acquisition.cause.shuttingDown'],
  [/\bBad(?:SessionClosed|SessionIdInvalid|SessionNotActivated)\b/, 'acquisition.cause.sessionClosed'],
  [/\bBad(?:Timeout|RequestTimeout)\b/, 'acquisition.cause.timedOut'],
  [/\bBad(?:CommunicationError|ConnectionClosed|SecureChannelClosed|ConnectionRejected|NotConnected)\b/, 'acquisition.cause.communication'],
];

/** Node's socket error codes (errno names), as node-opcua passes them on in its message, and its own words for the same. */
const NETWORK_CAUSES: readonly [RegExp, CauseKey][] = [
  [/\bECONNREFUSED\b|\bconnection refused\b/i, 'acquisition.cause.refused'],
  [/\bE(?:HOSTUNREACH|NETUNREACH)\b/, 'acquisition.cause.unreachable'],
  [/\bETIMEDOUT\b/, 'acquisition.cause.connectTimedOut'],
  [/\bECONNRESET\b|\bEPIPE\b|socket hang up|premature disconnection|Connection aborted|Secure Channel Closed|Connection Break/i, 'acquisition.cause.reset'],
  [/Transaction has timed out|Timeout\(A\) in waiting for data|Timeout waiting for OpenChannelRequest/, 'acquisition.cause.timedOut'],
];

/**
 * Any other Bad status as node-opcua writes one ("BadTooManyOperations (0x80100000)", "serviceResult =
 * BadNotSupported (0x803D0000)"): no cause of its own here, but the server's answer in a sentence of
 * the console's language, its name as the standard spells it, not a line of the library's English.
 */
const OTHER_STATUS = /\b(Bad[A-Z][A-Za-z]*) \(0x[0-9A-Fa-f]{8}\)/;

/** `getaddrinfo ENOTFOUND plc-7.site` (or EAI_AGAIN while the name service does not answer): the host name. */
const UNKNOWN_HOST = /\b(?:ENOTFOUND|EAI_AGAIN)\s+(\S+?)\)?$/m;

/** The console's words for a common cause of `err`; null when it is none of them. */
export function causeOf(err: unknown): MessageRef | null {
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  if (!message) return null;
  const host = UNKNOWN_HOST.exec(message);
  if (host) return { key: 'acquisition.cause.unknownHost', params: { host: host[1]! } };
  // A status the server answered with says more than the socket's end that followed it.
  for (const [pattern, key] of STATUS_CAUSES) if (pattern.test(message)) return { key, params: {} };
  const status = OTHER_STATUS.exec(message);
  if (status) return { key: 'acquisition.cause.serverStatus', params: { status: status[1]! } };
  for (const [pattern, key] of NETWORK_CAUSES) if (pattern.test(message)) return { key, params: {} };
  return null;
}


/** The stable loss causes (server-link.ts, session.ts) a connection that never published can end with, by the words the catalog has for each. */
const LOSS_CAUSES: Record<string, string> = {
  'connection lost': 'connectionLost',
  'connection closed': 'connectionClosed',
  'no data or keep-alive from the server': 'noEvidence',
  'server certificate rejected by an engineer': 'certificateRejected',
  [failedLevelCause(0)]: 'maintenance',
  [failedLevelCause(1)]: 'noData',
};

/**
 * A connection dropped before its first publish (server-link.ts neverPublished): its message is the
 * log's English (the server state's lastError, the console's technical detail), `worded` the
 * console's, with the loss's cause in words where it is a stable one (else said without it).
 */
export class NeverPublishedError extends Error {
  readonly worded: MessageRef;
  constructor(readonly reason: string) {
    super(`${reason} (nothing published since subscribing)`);
    this.worded = { key: 'acquisition.cause.neverPublished', params: { cause: Object.hasOwn(LOSS_CAUSES, reason) ? LOSS_CAUSES[reason]! : 'other' } };
  }
}
