/**
 * The one dispatcher behind both transports (IPC and WebSocket). For each
 * call it validates params against the shared schema, refuses a caller that
 * lacks the request's permission before the handler runs, runs the handler
 * registered by the module that owns the request, writes one audit entry for
 * every action, and turns failures into error values with a code, so a
 * console never sees an exception.
 */
import type { z } from 'zod';
import {
  requests, type ApiError, type RequestDef, type ApiErrorCode, type ApiErrorText, type ApiResponse, type EventData, type EventName,
  type RequestName, type Result,
} from '../../shared/api.js';
import { can } from '../../shared/permissions.js';
import type { Logger } from '../log.js';
import type { AuditDetails, AuditResult, AuditSink } from './audit-sink.js';
import type { Connection, Session, SessionAuthority } from './connection.js';

export interface CallContext {
  readonly connection: Connection;
  /** The caller's session; null when nobody is signed in on this connection. */
  readonly session: Session | null;
  /** Adds target, old and new value, comment to the audit entry of this call. */
  setAudit(details: AuditDetails): void;
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
    readonly i18n?: ApiErrorText,
  ) {
    super(message);
  }
}

export class UnavailableError extends ApiFailure {
  constructor(message: string, i18n?: ApiErrorText) {
    super('unavailable', message, i18n);
  }
}

const noSessions: SessionAuthority = { sessionOf: () => null };

export class Dispatcher {
  private readonly handlers = new Map<RequestName, { owner: string; handler: (params: unknown, ctx: CallContext) => unknown }>();
  private sessions: SessionAuthority = noSessions;
  private audit: AuditSink | null = null;

  /** defs: the API's requests; tests may pass their own. */
  constructor(
    private readonly logger: Logger,
    private readonly defs: Readonly<Record<string, RequestDef>> = requests,
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

  async dispatch(method: string, params: unknown, connection: Connection): Promise<ApiResponse<unknown>> {
    if (!Object.hasOwn(this.defs, method)) return failure('unknown_method', `unknown method "${method}"`);
    const name = method as RequestName;
    const def = this.defs[name]!;
    const session = this.sessions.sessionOf(connection);
    const audited = def.permission !== null || def.audit === true;
    let details: AuditDetails = {};
    const finish = (result: AuditResult, detail?: string) => {
      if (audited) this.writeAudit(name, connection, session, details, result, detail);
    };

    const refusal = this.sessions.admit?.(connection, name) ?? null;
    if (refusal) {
      // Audited whatever the request: a connection probing before sign-in is worth a trace.
      this.writeAudit(name, connection, session, details, 'refused', refusal.message);
      return { ok: false, error: refusal };
    }
    if (def.permission !== null && !(session && can(session.roles, def.permission))) {
      const error = forbidden(name, def.permission, session);
      finish('refused', error.message);
      return { ok: false, error };
    }
    const parsed = def.params.safeParse(params ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ');
      const message = `${method}: ${issues}`;
      finish('refused', message);
      return failure('bad_request', message);
    }
    const entry = this.handlers.get(name);
    if (!entry) {
      finish('failed', 'not available in this station');
      return failure('unavailable', `${method} is not available in this station`);
    }
    const ctx: CallContext = { connection, session, setAudit: (d) => (details = { ...details, ...d }) };
    try {
      const result = await entry.handler(parsed.data, ctx);
      finish('ok');
      return { ok: true, result };
    } catch (err) {
      if (err instanceof ApiFailure) {
        finish(err.code === 'forbidden' || err.code === 'conflict' || err.code === 'bad_request' ? 'refused' : 'failed', err.message);
        return { ok: false, error: { code: err.code, message: err.message, ...(err.i18n ? { i18n: err.i18n } : {}) } };
      }
      this.logger.error({ method, err }, 'request failed');
      finish('failed', (err as Error).message);
      return failure('internal', `${method} failed: ${(err as Error).message}`);
    }
  }

  private writeAudit(action: RequestName, connection: Connection, session: Session | null, d: AuditDetails, result: AuditResult, detail?: string): void {
    const record = {
      user: d.user !== undefined ? d.user : (session?.user ?? null),
      role: d.role !== undefined ? d.role : session ? session.roles.join('+') : null,
      action,
      target: d.target ?? null,
      oldValue: d.oldValue,
      newValue: d.newValue,
      comment: d.comment ?? null,
      result,
      detail: d.detail ?? detail ?? null,
      source: `${connection.transport}:${connection.remote}`,
    };
    if (!this.audit) {
      this.logger.info({ audit: record }, 'audit');
      return;
    }
    try {
      this.audit.record(record);
    } catch (err) {
      // The action happened; losing its trace must be loud, but must not turn the answer into a lie.
      this.logger.error({ err, audit: record }, 'audit trail write failed');
    }
  }
}

function failure(code: ApiErrorCode, message: string, i18n?: ApiErrorText): ApiResponse<never> {
  const error: ApiError = { code, message };
  if (i18n) error.i18n = i18n;
  return { ok: false, error };
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
