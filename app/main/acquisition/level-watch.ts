/**
 * The active endpoint's ServiceLevel (Server_ServiceLevel, i=2267) monitored in a subscription of
 * its own, beside the tags' (Part 4 §6.6.2.4.2: a Client monitors it to know when to fail over).
 * Read every probe period only, a drop to 0 (maintenance) or 1 (no data) was seen up to a period
 * late, the failed server's values taken meanwhile; a change is reported as the server samples it.
 * Its own subscription: the tags' groups are made, ended and remade apart from it, and a server that
 * refuses it still has the probe period's read (server-link.ts checkActiveLevel) as before. A
 * server that then refuses a subscription for the tags has this one closed for them
 * (server-link.ts yieldLevelWatch): the tags first, the level read each probe period again.
 */
import { AttributeIds, TimestampsToReturn, type ClientSession, type ClientSubscription, type DataValue } from 'node-opcua-client';
import { levelOf, SERVICE_LEVEL } from './probe.js';
import { newSubscription } from './new-subscription.js';

export interface LevelWatch {
  close(): Promise<void>;
}

/** How often the server samples the level (ms): a switch follows a drop within about this and a publish. */
export const LEVEL_SAMPLING_MS = 250;

/**
 * Monitors the ServiceLevel on `session`; `onLevel` gets each value the server reports (null: an
 * unknown level, probe.ts levelOf). A failed request throws (the caller keeps to the probe's reads).
 */
export async function watchServiceLevel(session: ClientSession, publishingIntervalMs: number, onLevel: (level: number | null) => void): Promise<LevelWatch> {
  const publishing = Math.max(LEVEL_SAMPLING_MS, Math.min(publishingIntervalMs, 1000));
  const keepAlive = Math.max(1, Math.floor(5000 / publishing));
  const subscription: ClientSubscription = await newSubscription(session, {
    requestedPublishingInterval: publishing,
    requestedMaxKeepAliveCount: keepAlive,
    requestedLifetimeCount: Math.max(3 * keepAlive, Math.ceil(60_000 / publishing)),
    maxNotificationsPerPublish: 0,
    publishingEnabled: true,
    // Before the tags' (priority 10): a server short of publish requests tells the level first.
    priority: 200,
  });
  try {
    const item = await subscription.monitor(
      { nodeId: SERVICE_LEVEL, attributeId: AttributeIds.Value },
      { samplingInterval: LEVEL_SAMPLING_MS, queueSize: 1, discardOldest: true },
      TimestampsToReturn.Neither,
    );
    item.on('changed', (dv: DataValue) => onLevel(levelOf(dv)));
  } catch (err) {
    await subscription.terminate().catch(() => undefined);
    throw err;
  }
  return { close: () => subscription.terminate() };
}
