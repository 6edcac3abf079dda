/**
 * What an engineer and the header see of an upstream, and when it is a sync
 * alarm: a backlog older than the threshold, a paused upstream, a secret that
 * cannot be read, lines quarantined since an engineer last retried them, data
 * missing upstream (aged out of the archive unsent, or lost by the upstream).
 */
import type { Flavour } from '../../shared/config/sync.js';
import type { WorkerStatus } from './deliver/worker.js';
import type { Loss, SyncStore, UnseenQuarantine } from './store/sync-store.js';
import type { Backlog, OutboxStream } from './streams/stream.js';
import { english, text, type SyncText } from '../../shared/sync-text.js';

export interface StreamBacklog extends Backlog {
  stream: string;
}

export interface UpstreamStatus extends Omit<WorkerStatus, 'state' | 'lastError'> {
  id: string;
  /** `said`: the error as a catalog message where the station words it itself (a secret that cannot be read). */
  lastError: (NonNullable<WorkerStatus['lastError']> & { said?: SyncText }) | null;
  url: string;
  flavour: Flavour;
  state: WorkerStatus['state'] | 'disabled' | 'error';
  /** The last request reached the upstream and was taken. */
  connected: boolean;
  backlog: { records: number; oldestWrittenAt: number | null; streams: StreamBacklog[] };
  quarantined: number;
  replaysPending: number;
  alarm: SyncAlarm | null;
}

export interface SyncAlarm {
  kind: 'backlog' | 'paused' | 'credentials' | 'stopped' | 'quarantined';
  message: string;
  /**
   * A backlog's cause now: the error the sends still meet, if any (its message says it, beside counts
   * that change all the time); a quarantine's: the reason of the first line quarantined since the last retry.
   */
  error?: string;
  /** Data missing upstream (reported as '*'): the upstream they are missing at. */
  upstream?: string;
  /**
   * `message` as a catalog message, said in the console's language (alarm text `nested.detail`, the
   * Sync page): a backlog's counts and age, a secret that cannot be read, data missing upstream.
   * Absent where the message is another party's own words (an upstream's answer the sync has no
   * words for, an engineer's reason for a pause).
   */
  said?: SyncText;
}

export interface SyncStatus {
  upstreams: UpstreamStatus[];
  /** Data missing upstream: aged out of the archive before it was sent, or lost by an upstream that had acknowledged it (never silent). */
  losses: Loss[];
  at: number;
}

/** The unsent records of a stream, counting the live lane's acknowledged range as sent. */
export function streamBacklog(store: SyncStore, upstream: string, s: OutboxStream): StreamBacklog {
  const wm = store.watermark(upstream, s.name);
  const all = s.backlog(wm.cursor);
  if (wm.split === null) return { stream: s.name, ...all };
  const afterSplit = s.backlog(wm.split);
  const afterLive = s.backlog(wm.live);
  const records = Math.max(0, all.records - afterSplit.records) + afterLive.records;
  const oldest = all.records > afterSplit.records ? all.oldestWrittenAt : afterLive.oldestWrittenAt;
  return { stream: s.name, records, oldestWrittenAt: records > 0 ? oldest : null };
}

/**
 * The age of a stream's oldest unsent record. Its write time is on the wall clock, which may have
 * stepped since: a step back made a record written before it read as written in the future (a
 * negative age, the backlog alarm hidden for as long as the step), a step forward made one read as
 * older than it is. So the same oldest record ages on the monotonic clock from its first look, and a
 * new oldest one (the drain moved on, or a backlog began) is taken as no older than the one before
 * it was by now, nor than the time since none waited.
 */
export class OldestAge {
  private last: { oldest: number | null; age: number; mono: number } | null = null;

  /** The age (ms, never negative) of the oldest record, written at `oldest` (wall ms); null when none waits. */
  of(oldest: number | null, now: number, mono: number): number | null {
    const last = this.last;
    const bound = last ? last.age + Math.max(0, mono - last.mono) : Infinity;
    const age = oldest === null ? null : last?.oldest === oldest ? bound : Math.min(Math.max(0, now - oldest), bound);
    this.last = { oldest, age: age ?? 0, mono };
    return age;
  }
}

export function sumBacklog(list: StreamBacklog[]): UpstreamStatus['backlog'] {
  let records = 0;
  let oldest: number | null = null;
  for (const b of list) {
    records += b.records;
    if (b.oldestWrittenAt !== null && (oldest === null || b.oldestWrittenAt < oldest)) oldest = b.oldestWrittenAt;
  }
  return { records, oldestWrittenAt: oldest, streams: list };
}

/**
 * An upstream's sync alarm, the most pressing first. `unseen`: the lines quarantined since an engineer
 * last asked to retry them (SyncStore.quarantineUnseen): none is refused silently, a station whose
 * clock is days fast quarantining every live line included.
 */
export function alarmOf(s: Omit<UpstreamStatus, 'alarm'>, backlogAlarmAfterMs: number, now: number, unseen?: UnseenQuarantine): SyncAlarm | null {
  if (s.state === 'error') return { kind: 'credentials', message: s.lastError?.message ?? 'the upstream cannot start', ...(s.lastError?.said && { said: s.lastError.said }) };
  if (s.state === 'stopped') return { kind: 'stopped', message: s.lastError?.message ?? 'the sync of this upstream stopped' };
  // A pause for the upstream's answer (HTTP 401, 404) is said as the last error met with it was; an engineer's reason as it is.
  if (s.paused) return { kind: 'paused', message: s.paused.reason, ...(s.lastError?.said && s.lastError.message === s.paused.reason && { said: s.lastError.said }) };
  const oldest = s.backlog.oldestWrittenAt;
  if (oldest !== null && now - oldest > backlogAlarmAfterMs) {
    const minutes = Math.round((now - oldest) / 60_000);
    const age = oldest === 0 ? 'written before this version kept write times' : `for ${minutes} min`;
    // An error a later send got past is history (still the last error, with its time), not the cause.
    const current = s.lastError && (s.lastSuccessAt === null || s.lastError.at > s.lastSuccessAt) ? s.lastError : null;
    const waits = oldest === 0 ? text('sync.cause.backlogUntimed', { records: s.backlog.records }) : text('sync.cause.backlog', { records: s.backlog.records, minutes });
    return {
      kind: 'backlog', message: `${s.backlog.records} records wait, the oldest ${age}${current ? ` (last error: ${current.message})` : ''}`,
      ...(current && { error: current.message }),
      said: current ? text('sync.cause.withError', { detail: waits, error: current.said ?? current.message }) : waits,
    };
  }
  if (unseen && unseen.lines > 0 && s.state !== 'disabled') {
    // The reason in the console's language where the station words it; an upstream's answer stays as it is.
    // Lines only the station refused cannot go again: a retry only marks them seen, so it is not advised as a cure.
    const key = unseen.station === unseen.lines ? 'sync.cause.quarantinedStation' : 'sync.cause.quarantined';
    const said = text(key, { lines: unseen.lines, at: unseen.first.at, reason: unseen.first.said ?? unseen.first.reason });
    return { kind: 'quarantined', message: english(said), error: unseen.first.reason, said };
  }
  return null;
}

/**
 * Whether an upstream's alarm says something new to the operator: another kind, or another cause (a
 * backlog's error now, a quarantine's first reason; another kind's message is its cause). A backlog's
 * or a quarantine's counts and age alone are no news: passed on, each would change the alarm under an
 * operator about to acknowledge it (a station clock days fast quarantines every live line).
 */
export function alarmNews(a: SyncAlarm | null, was: SyncAlarm | null | undefined): boolean {
  if (was === undefined || a === null || was === null) return a !== was;
  if (a.kind !== was.kind) return true;
  return a.kind === 'backlog' || a.kind === 'quarantined' ? a.error !== was.error : a.message !== was.message;
}
