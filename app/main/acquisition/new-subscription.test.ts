/**
 * A session closed just as the server's answer to CreateSubscription arrives: node-opcua's
 * createSubscription2 threw "expecting a valid session" from a timer (an uncaught exception, the
 * station's process ended; seen in a CI run under load, a failover test closing a connection as its
 * ServiceLevel watch subscribed). The close is made at that instant here by wrapping the session's
 * CreateSubscription call: the server answers, then the station closes the session, as a failover does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPCUAClient, type ClientSession } from 'node-opcua';
import { newSubscription } from './new-subscription.js';
import { startTestServer, type TestServer } from './testing/test-server.js';

const OPTIONS = { requestedPublishingInterval: 100, requestedMaxKeepAliveCount: 10, requestedLifetimeCount: 100, maxNotificationsPerPublish: 0, publishingEnabled: true, priority: 1 };

type Answer = (err: Error | null, response?: unknown) => void;

describe('a subscription whose session is closed as the server answers its creation', () => {
  let dir: string;
  let server: TestServer;
  let client: OPCUAClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-new-subscription-'));
    server = await startTestServer({ role: 'new-subscription', dir, build: () => undefined });
    client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
    await client.connect(server.endpoint);
  }, 120_000);

  afterAll(async () => {
    await client?.disconnect();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A session whose next CreateSubscription answer is followed at once by its close. */
  async function closingSession(): Promise<{ session: ClientSession; closed: Promise<void> }> {
    const session = await client.createSession();
    let closed!: Promise<void>;
    const s = session as unknown as { createSubscription(request: unknown, answer: Answer): void };
    const original = s.createSubscription.bind(session);
    s.createSubscription = (request, answer) => original(request, (err, response) => {
      answer(err, response);
      closed = session.close();
    });
    return { session, closed: new Promise((resolve) => setImmediate(() => resolve(closed))) };
  }

  it('resolves with the subscription, throws nothing from a timer; using it then fails as an ordinary error', async () => {
    const { session, closed } = await closingSession();
    const subscription = await newSubscription(session, OPTIONS);
    await closed;
    expect(subscription.subscriptionId).toBeGreaterThan(0);
    await expect(subscription.monitor({ nodeId: 'i=2258', attributeId: 13 }, { samplingInterval: 100, queueSize: 1 }, 0)).rejects.toThrow();
  });

  it('is rejected with the server\'s refusal when the server creates none', async () => {
    const session = await client.createSession();
    await session.close();
    await expect(newSubscription(session, OPTIONS)).rejects.toThrow();
  });
});
