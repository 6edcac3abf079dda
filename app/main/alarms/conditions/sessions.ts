/**
 * One A&C client per server session, through reconnections. A lost session leaves its event
 * subscription on the server until the subscription's lifetime runs out; the next session to the
 * same endpoint takes it over and deletes it (ConditionClient leftOver), as the acquisition does
 * with its data subscriptions: a server with a tight subscription limit refused the new one
 * otherwise, and every condition it raised after a network cut was missed. An attach that fails
 * (the server refused the subscription all the same, or a call timed out) is tried again while the
 * session lasts, each wait longer, so the conditions come once the server has room.
 */
import type { ClientSession } from 'node-opcua-client';
import type { Logger } from '../../log.js';
import { ConditionClient, type ConditionClientOptions } from './client.js';

/** Waits between attempts at the event subscription on one session (ms), the last repeated. */
export const ATTACH_RETRY_MS = [2_000, 5_000, 15_000, 30_000, 60_000] as const;

type ClientOptions = Omit<ConditionClientOptions, 'server' | 'logger' | 'leftOver' | 'onSubscribed'>;

interface PerServer {
  session: ClientSession | null;
  client: ConditionClient | null;
  retry: NodeJS.Timeout | null;
  /** The event subscription the last session made, and the endpoint it is on (an id names nothing elsewhere). */
  made: { endpoint: string; id: number } | null;
  /** Why the last attach failed: a repeat of it is logged at debug only. */
  failed?: string;
}

const endpointOf = (session: ClientSession): string => session.endpoint?.endpointUrl ?? '';

export class ConditionSessions {
  private readonly servers = new Map<string, PerServer>();
  private stopped = false;

  constructor(
    private readonly logger: Logger,
    /** What a new session's client needs (tags, the conditions listed, onCondition), read at each attach. */
    private readonly optionsFor: (server: string) => ClientOptions,
    /** The client of a session, once subscribed (null: none now). */
    private readonly onLink: (server: string, client: ConditionClient | null) => void,
  ) {}

  /** The server's session changed (null: none). */
  onSession(server: string, session: ClientSession | null): void {
    const s = this.servers.get(server) ?? { session: null, client: null, retry: null, made: null };
    this.servers.set(server, s);
    if (s.retry) clearTimeout(s.retry);
    s.retry = null;
    this.drop(server, s);
    s.session = session;
    if (session && !this.stopped) this.attach(server, s, session, 0);
  }

  /** No more attaching; the clients are closed (their subscriptions deleted where the sessions still answer). */
  stop(): void {
    this.stopped = true;
    for (const [server, s] of this.servers) {
      if (s.retry) clearTimeout(s.retry);
      s.retry = null;
      this.drop(server, s);
      s.session = null;
    }
  }

  private drop(server: string, s: PerServer): void {
    const old = s.client;
    s.client = null;
    if (!old) return;
    this.onLink(server, null);
    // A session that still answers (an endpoint switch, the station stopping) deletes it now; a lost one cannot: the next session takes it over.
    void old.close().catch((err: unknown) => this.logger.debug({ server, err: (err as Error).message }, 'condition event subscription not deleted'));
  }

  private attach(server: string, s: PerServer, session: ClientSession, attempt: number): void {
    const endpoint = endpointOf(session);
    const leftOver = s.made && s.made.endpoint === endpoint ? s.made.id : null;
    const current = () => s.session === session && !this.stopped;
    ConditionClient.attach(session, {
      ...this.optionsFor(server), server, logger: this.logger, leftOver,
      onSubscribed: (id) => (s.made = { endpoint, id }),
    }).then(
      (client) => {
        if (!current()) return void client.close().catch(() => undefined);
        s.client = client;
        this.onLink(server, client);
      },
      (err: unknown) => {
        if (!current()) return;
        const waitMs = ATTACH_RETRY_MS[Math.min(attempt, ATTACH_RETRY_MS.length - 1)]!;
        // Said once per session and reason: a server without events is asked every minute for as long as it runs.
        const reason = err instanceof Error ? err.message : String(err);
        const level = attempt > 0 && reason === s.failed ? 'debug' : 'warn';
        s.failed = reason;
        this.logger[level]({ err, server, retryInMs: waitMs }, 'no Alarms & Conditions from this server (event subscription failed): asked for again');
        s.retry = setTimeout(() => {
          s.retry = null;
          if (current()) this.attach(server, s, session, attempt + 1);
        }, waitMs);
      },
    );
  }
}
