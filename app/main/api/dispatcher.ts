/**
 * The one dispatcher behind both transports (IPC and WebSocket). For each
 * call it validates params against the shared schema, refuses a caller that
 * lacks the request's permission before the handler runs, runs the handler
 * registered by the module that owns the request, writes one audit entry for
 * every action, and turns failures into error values with a code, so a
 * console never sees an exception.
 *
 * Refusals that come before a handler runs (not signed in, no permission, bad
 * params) cost a caller nothing, so a console could write the trail full of
 * them: the first of a kind from one source is written at once, the same
 * refusals that follow within a window are counted and written as one entry
 * ("N more refused") when the window ends. An action is refused before it
 * runs when the audit trail cannot take its entry (see dispatch()).
 */
import type { z } from 'zod';
import {
  requests, type ApiError, type RequestDef, type ApiErrorCode, type ApiErrorText, type ApiResponse, type EventData, type EventName,
  type RequestName, type Result,
} from '../../shared/api.js';
import { can } from '../../shared/permissions.js';
import type { Logger } from '../log.js';
import type { AuditDetails, AuditRecord, AuditResult, AuditSink } from './audit-sink.js';
import type { Connection, Session, SessionAuthority } from './connection.js';

export interface CallContext {
  readonly connection: Connection;
  /** The caller's session; null when nobody is signed in on this connection. */
  readonly session: Session | null;
  /**
   * Adds target, old and new value, comment to the audit entry of this call. Its detail says what a call
   * that succeeded did: a refused or failed call's entry says why instead (the error's message, or its
   * auditDetail), so a detail set before the checks never stands in a refusal's entry.
   */
  setAudit(details: AuditDetails): void;
  /** Nothing happened worth a trace (a sign-out where nobody was signed in): no entry, so a flood of them writes none. */
  skipAudit(): void;
}

export type Handler<N extends RequestName> = (
  params: z.output<(typeof requests)[N]['params']>,
  ctx: CallContext,
) => Promise<Result<N>> | Result<N>;
export type Handlers = { [N in RequestName]: Handler<N> };

/** A failure that keeps its meaning at the edge: thrown by handlers, answered with its code. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** What the console shows, in its language: every refusal an operator reads has one. */
    readonly i18n: ApiErrorText,
    /**
     * A refusal that says nothing new when repeated (a second sign-in while one is checked):
     * audited like the refusals before a handler runs, the repeats counted into one entry.
     */
    readonly repeatable = false,
    /** What the audit entry says of this refusal instead of the message (it may say more than the caller is told). */
    readonly auditDetail?: string,
  ) {
    super(message);
  }
}

export class UnavailableError extends ApiFailure {
  constructor(message: string, i18n: ApiErrorText = { key: 'error.unavailable' }) {
    super('unavailable', message, i18n);
  }
}

const noSessions: SessionAuthority = { sessionOf: () => null };

/** How long repeats of a refusal are counted before their one entry is written. */
export const REFUSAL_WINDOW_MS = 10_000;

/** Refusals of one kind from one source, counted since the first was written. */
interface RefusalCount {
  record: AuditRecord;
  count: number;
  timer: ReturnType<typeof setTimeout>;
}

export class Dispatcher {
  private readonly handlers = new Map<RequestName, { owner: string; handler: (params: unknown, ctx: CallContext) => unknown }>();
  private sessions: SessionAuthority = noSessions;
  private audit: AuditSink | null = null;
  private readonly refusals = new Map<string, RefusalCount>();
  /** Why the last audit entry could not be written; null once one was. */
  private auditFailure: string | null = null;

  /** defs: the API's requests; tests may pass their own. refusalWindowMs: see REFUSAL_WINDOW_MS. */
  constructor(
    private readonly logger: Logger,
    private readonly defs: Readonly<Record<string, RequestDef>> = requests,
    private readonly refusalWindowMs = REFUSAL_WINDOW_MS,
  ) {}

  /** A module registers the handlers of the requests it owns; a request has exactly one owner. */
  register(owner: string, handlers: Partial<Handlers>): void {
    for (const [method, handler] of Object.entries(handlers)) {
      if (!Object.hasOwn(this.defs, method)) throw new Error(`${owner}: "${method}" is not a request of the console API`);
      const existing = this.handlers.get(method as RequestName);
      if (existing) throw new Error(`${owner}: "${method}" is already handled by ${existing.owner}`);
      this.handlers.set(method as RequestName, { owner, handler: handler as (params: unknown, ctx: CallContext) => unknown });
    }
  }

  /** Requests of the API no module handles in this station (answered `unavailable`). */
  unhandled(): RequestName[] {
    return (Object.keys(this.defs) as RequestName[]).filter((m) => !this.handlers.has(m));
  }

  useSessions(authority: SessionAuthority): void {
    this.sessions = authority;
  }

  useAudit(sink: AuditSink): void {
    this.audit = sink;
  }

  /** Whether station-wide events may go to this connection (browser mode beyond loopback: only once signed in). */
  receivesEvents(connection: Connection): boolean {
    return this.sessions.receivesEvents?.(connection) ?? true;
  }

  /** Whether someone is signed in on this connection now (browser mode keeps such consoles' sockets when it makes room). */
  signedIn(connection: Connection): boolean {
    return this.sessions.sessionOf(connection) !== null;
  }

  async dispatch(method: string, params: unknown, connection: Connection): Promise<ApiResponse<unknown>> {
    try {
      return await this.run(method, params, connection);
    } catch (err) {
      // Only a fault outside the handler gets here (the sessions, the audit trail): still an answer, never an exception.
      this.logger.error({ method, err }, 'request failed before its handler');
      return failure('internal', `${method} failed`, { key: 'error.internal' });
    }
  }

  /**
   * A call its transport will not run now (more than `limit` in flight on its connection):
   * answered at once and counted into the trail like any refusal, so a flood is on record.
   */
  busy(method: string, connection: Connection, limit: number): ApiResponse<never> {
    const error: ApiError = {
      code: 'unavailable',
      message: `${method}: refused: more than ${limit} calls in flight on this console`,
      i18n: { key: 'error.busy', params: { limit } },
    };
    try {
      if (Object.hasOwn(this.defs, method)) {
        const session = this.sessions.sessionOf(connection);
        this.refused(this.recordOf(method as RequestName, connection, session, {}, 'failed', error.message), 'error.busy');
      }
    } catch (err) {
      this.logger.error({ method, err }, 'busy refusal could not be recorded');
    }
    return { ok: false, error };
  }

  /**
   * A refusal decided outside a handler's answer (a resume token nobody holds): written and counted
   * like the refusals before a request runs, so a caller repeating it cannot fill the trail.
   * kind: what makes two refusals the same beyond source, user, action and result.
   */
  countRefusal(record: AuditRecord, kind: string): void {
    this.refused(record, kind);
  }

  /** Writes the counts of repeated refusals still open; the station calls it before the trail closes. */
  flushRefusals(): void {
    for (const key of [...this.refusals.keys()]) this.closeRefusals(key);
  }

  private async run(method: string, params: unknown, connection: Connection): Promise<ApiResponse<unknown>> {
    if (!Object.hasOwn(this.defs, method)) return failure('unknown_method', `unknown method "${method}"`, { key: 'error.unknownMethod' });
    const name = method as RequestName;
    const def = this.defs[name]!;
    const session = this.sessions.sessionOf(connection);
    const audited = def.permission !== null || def.audit === true;
    let details: AuditDetails = {};
    let skipped = false;
    const finish = (result: AuditResult, detail?: string) => {
      if (audited && !skipped) this.writeAudit(this.recordOf(name, connection, session, details, result, detail));
    };
    /** A refusal before the handler runs: audited whatever the request, repeats counted. */
    const refuse = (error: ApiError): ApiResponse<never> => {
      this.refused(this.recordOf(name, connection, session, details, error.code === 'unavailable' ? 'failed' : 'refused', error.message), error.i18n?.key ?? error.code);
      return { ok: false, error };
    };

    // Audited whatever the request: a connection probing before sign-in is worth a trace.
    const refusal = this.sessions.admit?.(connection, name, session) ?? null;
    if (refusal) return refuse(refusal);
    if (def.permission !== null && !(session && can(session.roles, def.permission))) return refuse(forbidden(name, def.permission, session));
    const parsed = def.params.safeParse(params ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ');
      const message = `${method}: ${issues}`;
      // The console says it in its language, naming the fields; the detail (the schema's words) stays as it is.
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || 'params'))];
      const i18n: ApiErrorText = { key: 'error.badRequest', params: { fields: fields.join(', '), count: fields.length, detail: parsed.error.issues.map((i) => i.message).join('; ') } };
      if (!audited) return failure('bad_request', message, i18n);
      return refuse({ code: 'bad_request', message, i18n });
    }
    const entry = this.handlers.get(name);
    if (!entry) {
      finish('failed', 'not available in this station');
      return failure('unavailable', `${method} is not available in this station`, { key: 'error.unavailable' });
    }
    // The action's entry is written after it runs (it records how it ended), so a trail that
    // cannot take entries is found out before: the action is refused and nothing is done.
    if (audited && def.whileTrailFails !== true) {
      const problem = this.auditProblem();
      if (problem) {
        return refuse({
          code: 'unavailable',
          message: `${method}: refused: the audit trail cannot be written (${problem}); no action is done until it can`,
          i18n: { key: 'error.auditUnavailable' },
        });
      }
    }
    const ctx: CallContext = { connection, session, setAudit: (d) => (details = { ...details, ...d }), skipAudit: () => (skipped = true) };
    try {
      const result = await entry.handler(parsed.data, ctx);
      finish('ok');
      return { ok: true, result };
    } catch (err) {
      if (err instanceof ApiFailure) {
        const error: ApiError = { code: err.code, message: err.message, i18n: err.i18n };
        const result = err.code === 'forbidden' || err.code === 'conflict' || err.code === 'bad_request' ? 'refused' : 'failed';
        const why = err.auditDetail ?? err.message;
        if (err.repeatable && audited) this.refused(this.recordOf(name, connection, session, details, result, why), err.i18n.key);
        else finish(result, why);
        return { ok: false, error };
      }
      this.logger.error({ method, err }, 'request failed');
      finish('failed', (err as Error).message);
      return failure('internal', `${method} failed: ${(err as Error).message}`, { key: 'error.internal' });
    }
  }

  /** detail: why a call was refused or failed; the handler's own detail (d.detail) is what a call that succeeded did. */
  private recordOf(action: RequestName, connection: Connection, session: Session | null, d: AuditDetails, result: AuditResult, detail?: string): AuditRecord {
    return {
      user: d.user !== undefined ? d.user : (session?.user ?? null),
      role: d.role !== undefined ? d.role : session ? session.roles.join('+') : null,
      action,
      target: d.target ?? null,
      oldValue: d.oldValue,
      newValue: d.newValue,
      comment: d.comment ?? null,
      result,
      // Never the handler's detail for a refusal: it may have been set before the check that refused
      // ("new password set" on a password too short), and the reason would be lost under it.
      detail: result === 'ok' ? (d.detail ?? null) : (detail ?? null),
      source: `${connection.transport}:${connection.remote}`,
    };
  }

  /**
   * A refusal: the first of its kind (action, why, who, from where) is written at once; the same
   * ones within the window after it are counted, and written as one entry when it ends.
   */
  private refused(record: AuditRecord, kind: string): void {
    // While the trail fails, each refusal is written (or tried): the first that is written again lets actions run again.
    if (this.auditFailure !== null) {
      this.writeAudit(record);
      return;
    }
    const key = JSON.stringify([record.source, record.user, record.action, record.result, kind]);
    const open = this.refusals.get(key);
    if (open) {
      open.count++;
      return;
    }
    this.writeAudit(record);
    const timer = setTimeout(() => this.closeRefusals(key), this.refusalWindowMs);
    timer.unref?.();
    this.refusals.set(key, { record, count: 0, timer });
  }

  private closeRefusals(key: string): void {
    const open = this.refusals.get(key);
    if (!open) return;
    this.refusals.delete(key);
    clearTimeout(open.timer);
    if (open.count === 0) return;
    const { record } = open;
    this.writeAudit({
      ...record,
      target: null,
      oldValue: undefined,
      newValue: undefined,
      comment: null,
      detail: `${open.count} more refused like this within ${Math.round(this.refusalWindowMs / 1000)} s of the first: ${record.detail ?? ''}`.trimEnd(),
    });
  }

  /**
   * Why the trail cannot take an entry now; null when it can (or no trail is kept: entries go to
   * the log). After a failed write, an entry saying so is the test that it can again.
   */
  private auditProblem(): string | null {
    if (!this.audit) return null;
    try {
      this.audit.assertWritable?.();
    } catch (err) {
      return (err as Error).message;
    }
    if (this.auditFailure !== null) {
      this.writeAudit({
        user: null, role: null, action: 'audit.resumed', result: 'ok', source: 'station',
        detail: `the audit trail takes entries again; before this entry at least one could not be written: ${this.auditFailure}`,
      });
    }
    return this.auditFailure;
  }

  private writeAudit(record: AuditRecord): void {
    if (!this.audit) {
      this.logger.info({ audit: record }, 'audit');
      return;
    }
    try {
      this.audit.record(record);
      if (this.auditFailure !== null) this.logger.warn({ was: this.auditFailure }, 'audit trail written again: actions run again');
      this.auditFailure = null;
    } catch (err) {
      // The action happened; losing its trace must be loud, but must not turn the answer into a lie.
      // Further actions are refused until an entry is written again.
      this.auditFailure = (err as Error).message;
      this.logger.error({ err, audit: record }, 'audit trail write failed: actions are refused until it is written again');
    }
  }
}

function failure(code: ApiErrorCode, message: string, i18n: ApiErrorText): ApiResponse<never> {
  return { ok: false, error: { code, message, i18n } };
}

function forbidden(method: string, permission: string, session: Session | null): ApiError {
  return session
    ? {
        code: 'forbidden',
        message: `${method}: ${session.user} (${session.roles.join(', ')}) lacks the permission "${permission}"`,
        i18n: { key: 'error.forbidden.permission', params: { permission, user: session.user } },
      }
    : {
        code: 'forbidden',
        message: `${method}: sign in first; this needs the permission "${permission}"`,
        i18n: { key: 'error.forbidden.signIn', params: { permission } },
      };
}

type Listener = (name: EventName, data: unknown) => void;

/** Fan-out of station events to every connected console. */
export class EventHub {
  private readonly listeners = new Set<Listener>();

  publish<N extends EventName>(name: N, data: EventData<N>): void {
    for (const l of this.listeners) l(name, data);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
