/**
 * The one dispatcher behind both transports (IPC and WebSocket): validates
 * params against the shared schema, runs the handler, and turns failures into
 * error values with a code, so a console never sees an exception.
 */
import type { z } from 'zod';
import { requests, type ApiResponse, type EventName, type EventData, type RequestName, type Result } from '../../shared/api.js';
import type { Logger } from '../log.js';

export type Handlers = {
  [N in RequestName]: (params: z.output<(typeof requests)[N]['params']>) => Promise<Result<N>> | Result<N>;
};

export class UnavailableError extends Error {}

export class Dispatcher {
  constructor(
    private readonly handlers: Handlers,
    private readonly logger: Logger,
  ) {}

  async dispatch(method: string, params: unknown): Promise<ApiResponse<unknown>> {
    if (!Object.hasOwn(requests, method)) return { ok: false, error: { code: 'unknown_method', message: `unknown method "${method}"` } };
    const name = method as RequestName;
    const parsed = requests[name].params.safeParse(params ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ');
      return { ok: false, error: { code: 'bad_request', message: `${method}: ${issues}` } };
    }
    try {
      const handler = this.handlers[name] as (p: unknown) => unknown;
      return { ok: true, result: await handler(parsed.data) };
    } catch (err) {
      if (err instanceof UnavailableError) return { ok: false, error: { code: 'unavailable', message: err.message } };
      this.logger.error({ method, err }, 'request failed');
      return { ok: false, error: { code: 'internal', message: `${method} failed: ${(err as Error).message}` } };
    }
  }
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
