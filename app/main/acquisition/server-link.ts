/**
 * One OPC UA server: connect, subscribe to its tags, and keep at it.
 *
 * Reconnection is ours, not node-opcua's session repair: on any loss the
 * client is thrown away and a fresh one connects, creates a session and
 * re-subscribes. A server that restarted (new session ids, new
 * subscriptions) is then no different from a first connection.
 *
 * Loss is detected two ways: the socket closing (immediate) and a watchdog
 * on subscription activity (data or keep-alive) for a server that hangs
 * without closing. Either way every tag of the server is marked
 * BadNoCommunication at once, so no stale value is shown as good.
 */
import {
  AttributeIds,
  ClientMonitoredItemGroup,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAClient,
  SecurityPolicy,
  TimestampsToReturn,
  type ClientSession,
  type ClientSubscription,
  type DataValue,
} from 'node-opcua';
import type { Logger } from '../log.js';
import type { ServerConfig, TagConfigEntry } from '../../shared/config.js';
import type { ServerState } from '../../shared/api.js';
import { fromDataValue, type AcquiredSample } from './sample.js';
import { BadNoCommunication } from '../../../historian/status.js';

export { BadNoCommunication, BadWaitingForInitialData } from '../../../historian/status.js';

export interface ServerLinkOptions {
  server: ServerConfig;
  tags: TagConfigEntry[];
  pkiDir: string;
  logger: Logger;
  onSamples(samples: AcquiredSample[]): void;
  onState(state: ServerState): void;
  /** The session of each connection once subscribed, and null when it goes (for OPC UA A&C, app/main/alarms/conditions). */
  onSession?(session: ClientSession | null): void;
  /** Delay between reconnection attempts (ms), doubling up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
}

export class ServerLink {
  private client: OPCUAClient | null = null;
  private session: ClientSession | null = null;
  private subscription: ClientSubscription | null = null;
  private lastActivity = 0;
  private watchdog: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelay: number;
  private stopped = false;
  private generation = 0;
  private pending: AcquiredSample[] = [];
  private state: ServerState;

  constructor(private readonly opts: ServerLinkOptions) {
    this.retryDelay = opts.retryMs ?? 500;
    this.state = { id: opts.server.id, endpoint: opts.server.endpoint, state: 'connecting', since: Date.now(), lastError: null };
  }

  get current(): ServerState {
    return this.state;
  }

  start(): void {
    this.opts.onState(this.state);
    void this.connect();
    this.watchdog = setInterval(() => this.checkActivity(), Math.min(500, this.opts.server.staleAfterMs / 4));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.teardown();
  }

  private async connect(): Promise<void> {
    const gen = ++this.generation;
    const { server, tags, logger } = this.opts;
    try {
      const client = OPCUAClient.create({
        applicationName: 'Vigil',
        endpointMustExist: false,
        securityMode: MessageSecurityMode.None,
        securityPolicy: SecurityPolicy.None,
        connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
        keepSessionAlive: false,
        requestedSessionTimeout: 60_000,
        clientCertificateManager: new OPCUACertificateManager({ rootFolder: this.opts.pkiDir, automaticallyAcceptUnknownCertificate: true }),
      });
      this.client = client;
      client.on('connection_lost', () => this.lost('connection lost', gen));
      client.on('close', () => this.lost('connection closed', gen));
      await client.connect(server.endpoint);
      if (gen !== this.generation || this.stopped) return void (await client.disconnect());
      const session = await client.createSession();
      this.session = session;
      const subscription = await session.createSubscription2({
        requestedPublishingInterval: server.publishingIntervalMs,
        // Keep-alives at least every second, so the watchdog can tell a silent server from a quiet one.
        requestedMaxKeepAliveCount: Math.max(1, Math.ceil(1000 / server.publishingIntervalMs)),
        requestedLifetimeCount: 100,
        maxNotificationsPerPublish: 0,
        publishingEnabled: true,
        priority: 10,
      });
      this.subscription = subscription;
      this.lastActivity = Date.now();
      subscription.on('keepalive', () => (this.lastActivity = Date.now()));
      subscription.on('received_notifications', () => (this.lastActivity = Date.now()));
      const group = ClientMonitoredItemGroup.create(
        subscription,
        tags.map((t) => ({ nodeId: t.nodeId, attributeId: AttributeIds.Value })),
        { samplingInterval: server.samplingIntervalMs, queueSize: 10, discardOldest: true },
        TimestampsToReturn.Both,
      );
      group.on('changed', (_item, dv: DataValue, index: number) => {
        const tag = tags[index];
        if (tag) this.queue(fromDataValue(tag.name, dv, Date.now()));
      });
      group.on('err', (message: string) => logger.warn({ server: server.id, message }, 'monitored item error'));
      this.retryDelay = this.opts.retryMs ?? 500;
      this.setState('connected', null);
      logger.info({ server: server.id, endpoint: server.endpoint, tags: tags.length }, 'subscribed');
      this.opts.onSession?.(session);
    } catch (err) {
      this.lost((err as Error).message, gen);
    }
  }

  /** One publish response notifies many items in one go: hand them on as one batch. */
  private queue(sample: AcquiredSample): void {
    this.pending.push(sample);
    if (this.pending.length === 1) setImmediate(() => this.flushPending());
  }

  private flushPending(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.opts.onSamples(batch);
  }

  private checkActivity(): void {
    if (this.state.state !== 'connected') return;
    if (Date.now() - this.lastActivity > this.opts.server.staleAfterMs) this.lost('no data or keep-alive from server', this.generation);
  }

  /** Marks every tag bad now, then retries with backoff. Idempotent per connection generation. */
  private lost(reason: string, gen: number): void {
    if (gen !== this.generation || this.stopped) return;
    this.generation++;
    const wasConnected = this.state.state === 'connected';
    this.setState(wasConnected ? 'lost' : this.state.state === 'lost' ? 'lost' : 'connecting', reason);
    if (wasConnected) {
      // What arrived before the loss goes first, so nothing good lands after the loss marker.
      this.flushPending();
      const t = Date.now();
      this.opts.onSamples(this.opts.tags.map((tag) => ({ tag: tag.name, t, value: null, status: BadNoCommunication })));
      this.opts.logger.warn({ server: this.opts.server.id, reason }, 'server lost');
    }
    void this.teardown().then(() => {
      if (this.stopped) return;
      this.retryTimer = setTimeout(() => void this.connect(), this.retryDelay);
      this.retryDelay = Math.min(this.retryDelay * 2, this.opts.maxRetryMs ?? 4000);
    });
  }

  private async teardown(): Promise<void> {
    const { client, session, subscription } = this;
    this.client = this.session = this.subscription = null;
    if (session) this.opts.onSession?.(null);
    // A dead peer makes these calls fail; that is expected while tearing down, so errors are logged at debug.
    const quietly = async (what: string, p: Promise<unknown> | undefined) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        // A half-open channel can make close() wait for its transport timeout: bound it.
        await Promise.race([p, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), 2000)))]);
      } catch (err) {
        this.opts.logger.debug({ server: this.opts.server.id, what, err: (err as Error).message }, 'teardown');
      } finally {
        clearTimeout(timer);
      }
    };
    await quietly('subscription', subscription?.terminate());
    await quietly('session', session?.close(false));
    await quietly('client', client?.disconnect());
  }

  private setState(state: ServerState['state'], lastError: string | null): void {
    if (this.state.state === state && this.state.lastError === lastError) return;
    this.state = { ...this.state, state, since: this.state.state === state ? this.state.since : Date.now(), lastError };
    this.opts.onState(this.state);
  }
}
