/**
 * What the audit trail takes. The accounts module keeps the trail (append-only,
 * hash-chained); the dispatcher writes one entry per action request, and
 * modules write entries for what is not a request (lockouts, shelve expiry).
 */

export type AuditResult = 'ok' | 'refused' | 'failed';

export interface AuditRecord {
  /** ms UTC; the trail stamps it when absent. */
  at?: number;
  /** Who: null for the station itself or a caller not signed in. */
  user: string | null;
  /** The roles the user held, joined with "+"; null when nobody is signed in. */
  role: string | null;
  /** What was done: the request name (e.g. "alarms.acknowledge") or an event name. */
  action: string;
  /** What it was done to: a tag, an alarm, an account, a certificate. */
  target?: string | null;
  oldValue?: unknown;
  newValue?: unknown;
  comment?: string | null;
  result: AuditResult;
  /** Why it was refused or failed; never a password. */
  detail?: string | null;
  /** Where the call came from (IPC window, WebSocket peer). */
  source?: string | null;
}

export interface AuditSink {
  /** Commits the entry before it returns; throws when it cannot. */
  record(entry: AuditRecord): void;
  /**
   * Throws, saying why, when an entry could not be written now (the trail closed, its file
   * gone or replaced): the dispatcher then refuses an action before it runs. Absent: assumed writable.
   */
  assertWritable?(): void;
}

/** What a handler adds to the one entry the dispatcher writes for its call. */
export type AuditDetails = Pick<AuditRecord, 'target' | 'oldValue' | 'newValue' | 'comment' | 'detail'> & {
  /** Overrides the user for calls that establish who the caller is (sign-in). */
  user?: string | null;
  role?: string | null;
};
