/**
 * Why the station lost a server, switched its endpoint or put off a backfill: the station stores
 * these as stable English strings (app/main/acquisition: server-link.ts, session.ts,
 * subscription.ts, failover.ts), kept as they are in the ledger; some gap notes by catalog key and
 * parameters instead (gap-note.ts). The console words the ones it knows in its language; anything
 * else (a library's error text) shows as stored. A cause with a part that varies comes with its
 * own words (ServerState.lastErrorText), never parsed back here.
 */
import { isMessageKey, type Formats, type MessageKey, type MessageParams } from '../../shared/i18n/index.js';
import type { ServerState } from '../../shared/api.js';
import { keyedNote, type GapNoteParam } from '../../shared/gap-note.js';
import { joined } from './joined.js';

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
  "values lost in the server's queue": 'gaps.cause.queueOverflow',
  "tags refused for the server's capacity": 'gaps.cause.capacityRefused',
  'the server is in maintenance (ServiceLevel 0)': 'gaps.cause.serviceLevelMaintenance',
  'the server has no data (ServiceLevel 1)': 'gaps.cause.serviceLevelNoData',
  // ServerState (app/main/acquisition/server-run-state.ts runStateCause).
  'the server reports ServerState Failed: it transfers no data': 'gaps.cause.serverFailed',
  'the server reports ServerState NoConfiguration: it transfers no data': 'gaps.cause.serverNoConfiguration',
  'the server reports ServerState Suspended: it transfers no data': 'gaps.cause.serverSuspended',
};

const SWITCHES: Record<string, MessageKey> = {
  lost: 'gaps.switch.lost',
  serviceLevel: 'gaps.switch.serviceLevel',
  failback: 'gaps.switch.failback',
  shutdown: 'gaps.switch.shutdown',
};

/** A gap note by key: its parameters are numbers, a duration's name ending in `Ms`, or names (app/main/acquisition/gap-note.ts). */
interface KeyedNote {
  key: string;
  params: Record<string, GapNoteParam>;
}

/** Notes the station stores as English text (and ledgers written before it stored some by key): the key they stand for. */
const NOTES: Record<string, KeyedNote> = {
  'station stopped during the backfill: retried at the next connection': { key: 'gaps.note.retryStopped', params: {} },
  'connection lost during the backfill: retried at the next connection': { key: 'gaps.note.retryLost', params: {} },
  'not archived: the archive did not take the values: backfilled again at the next connection or start': { key: 'gaps.note.notArchived', params: {} },
  // Ledgers written before notes were stored by key: their words said 10 minutes.
  'not archived: the archive did not take the values: retried every 10 minutes at most while connected, and at the next connection or start': { key: 'gaps.note.notArchivedRetried', params: { intervalMs: 600_000 } },
  'not filled yet: the server did not answer the history read: retried every 10 minutes at most while connected, and at the next connection or start': { key: 'gaps.note.historyNotAnswered', params: { intervalMs: 600_000 } },
  'not filled: the server clock is off, its history would be dated wrong': { key: 'gaps.note.clockOff', params: {} },
};

/** The keys the station stores its notes by, with the parameters each takes. */
const KEYED: Record<string, Record<string, 'number' | 'names'>> = {
  'gaps.note.notArchivedRetried': { intervalMs: 'number' },
  'gaps.note.historyNotAnswered': { intervalMs: 'number' },
  'gaps.note.archiveStopped': {},
  'gaps.note.clockUnchecked': {},
  // `tags`: the first few of `count` (gap-note.ts NOTE_TAGS_MAX).
  'gaps.note.deviceAhead': { tags: 'names', count: 'number' },
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

/**
 * The English of a server's last error where the station words a common cause of it
 * (acquisition.cause.*: a refused connection, a timeout): the library's own text, kept as the
 * technical detail beside the words (a tooltip, the log). Null where the words say all there is.
 */
export function serverErrorDetail(state: Pick<ServerState, 'lastError' | 'lastErrorText'>): string | null {
  return state.lastError && state.lastErrorText?.key.startsWith('acquisition.cause.') ? state.lastError : null;
}

/** Why the station switched a server's endpoint. */
export function failoverReasonText(reason: string, t: Translate): string {
  const key = SWITCHES[reason];
  return key ? t(key) : reason;
}

/** The note of a gap the server's history reaches only partly (archive-start.ts historyFromNote): its one varying part is a time. */
const HISTORY_FROM = /^partly filled: the server's history begins at (\S+Z); before that the gap stays without communication$/;

/** How the console writes a note's times and spans (i18n.fmt). */
export type NoteFormats = Pick<Formats, 'dateTime' | 'duration' | 'age'>;

/**
 * A backfill's note (the ledger row's note): stored by key and parameters (JSON), or as English
 * text. Its time is written as the ledger's own columns write theirs (one format in one row); a
 * span in its largest unit when whole ("10 min"), else exactly ("1 min 30 s").
 */
export function noteText(note: string | null, t: Translate, fmt: NoteFormats): string {
  if (!note) return '';
  const keyed = wordedNote(note) ?? (Object.hasOwn(NOTES, note) ? NOTES[note]! : null);
  if (keyed) return t(keyed.key as MessageKey, paramsOf(keyed, t, fmt));
  const from = HISTORY_FROM.exec(note);
  const at = from ? Date.parse(from[1]!) : NaN;
  return Number.isNaN(at) ? note : t('gaps.note.historyFrom', { from: fmt.dateTime(at) });
}

/** A note stored by a key the console words, with the parameters that key takes; null otherwise (shown as stored). */
function wordedNote(note: string): KeyedNote | null {
  const v = keyedNote(note);
  const kinds = v && Object.hasOwn(KEYED, v.key) && isMessageKey(v.key) ? Object.entries(KEYED[v.key]!) : null;
  if (!v || !kinds || !kinds.every(([n, kind]) => (kind === 'names') === Array.isArray(v.params[n]) && v.params[n] !== undefined)) return null;
  return { key: v.key, params: Object.fromEntries(kinds.map(([n]) => [n, v.params[n]!])) };
}

function paramsOf(note: KeyedNote, t: Translate, fmt: NoteFormats): MessageParams {
  return Object.fromEntries(Object.entries(note.params).map(([name, value]) =>
    Array.isArray(value) ? [name, namesText(value, note.params.count, t)]
      : name.endsWith('Ms') ? [name.slice(0, -2), span(value, fmt)] : [name, value]));
}

/** Names in the language's enumeration ("a, b", "a、b"); the count of those left out said after them. */
function namesText(names: readonly string[], count: GapNoteParam | undefined, t: Translate): string {
  const listed = joined(t, 'common.enumerated', names);
  const total = typeof count === 'number' ? count : names.length;
  return total > names.length ? t('gaps.note.tagsMore', { names: listed, more: total - names.length }) : listed;
}

const UNITS_MS = [86_400_000, 3_600_000, 60_000, 1000];

function span(ms: number, fmt: NoteFormats): string {
  const unit = UNITS_MS.find((u) => ms >= u) ?? 1000;
  return ms % unit === 0 ? fmt.age(ms) : fmt.duration(ms);
}
