/**
 * The active endpoint's ServiceLevel (Server_ServiceLevel, i=2267) monitored in a subscription of
 * its own, beside the tags' (Part 4 §6.6.2.4.2: a Client monitors it to know when to fail over).
 * Read every probe period only, a drop to 0 (maintenance) or 1 (no data) was seen up to a period
 * late, the failed server's values taken meanwhile; a change is reported as the server samples it.
 * Its own subscription: the tags' groups are made, ended and remade apart from it, and a server that
 * refuses it still has the probe period's read (server-link.ts checkActiveLevel) as before. A
 * server that then refuses a subscription for the tags has this one closed for them
 * (server-link.ts yieldLevelWatch): the tags first, the level read each probe period again.
 * A subscription the server ends (its lifetime expired: StatusChangeNotification BadTimeout; deleted,
 * or its publishes answered BadNoSubscription: silent) is told (`onEnded`) for the link to make the
 * watch again: before, the watch waited for notifications that never came, and a drop of the level
 * (a server going into maintenance) was seen only at the probe period's read, or when the link failed.
 */
import {
  AttributeIds, StatusChangeNotification, TimestampsToReturn, type ClientSession, type ClientSubscription, type DataValue, type NotificationMessage, type StatusCode,
} from 'node-opcua-client';
import { levelOf, SERVICE_LEVEL } from './probe.js';
import { newSubscription } from './new-subscription.js';

export interface LevelWatch {
  close(): Promise<void>;
}

/** How often the server samples the level (ms): a switch follows a drop within about this and a publish. */
export const LEVEL_SAMPLING_MS = 250;

/** How many of its keep-alive periods the watch's subscription may stay silent before it is taken for ended (as the tags' are: subscription.ts). */
const SILENT_KEEP_ALIVES = 3;

/** The keep-alive period asked for (ms): a silent end is seen within three of them. Read when used; tests shorten it. */
export const levelWatchTiming = { keepAliveMs: 5000 };

/**
 * Monitors the ServiceLevel on `session`; `onLevel` gets each value the server reports (null: an
 * unknown level, probe.ts levelOf). `onEnded` is called once when the server ended the subscription
 * (`detail`: its status, `terminated`, or the silence), the watch closed by then; not after close().
 * A failed request throws (the caller keeps to the probe's reads).
 */
export async function watchServiceLevel(
  session: ClientSession, publishingIntervalMs: number, onLevel: (level: number | null) => void, onEnded: (detail: string) => void,
): Promise<LevelWatch> {
  const publishing = Math.max(LEVEL_SAMPLING_MS, Math.min(publishingIntervalMs, 1000));
  const keepAlive = Math.max(1, Math.floor(levelWatchTiming.keepAliveMs / publishing));
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
  let done = false;
  let lastEvidence = Date.now();
  // The keep-alive period the server granted: a live subscription publishes at least that often.
  const keepAliveMs = Math.max(LEVEL_SAMPLING_MS, subscription.publishingInterval * subscription.maxKeepAliveCount);
  const silence = setInterval(() => {
    const silentMs = Date.now() - lastEvidence;
    if (silentMs > SILENT_KEEP_ALIVES * keepAliveMs) end(`no data or keep-alive for ${silentMs} ms (keep-alive period ${keepAliveMs} ms)`);
  }, keepAliveMs);
  const end = (detail: string): void => {
    if (done) return;
    done = true;
    clearInterval(silence);
    // Gone on the server already (deleted, timed out): the delete is answered with a refusal, nothing to keep.
    void subscription.terminate().catch(() => undefined);
    onEnded(detail);
  };
  subscription.on('raw_notification', (message: NotificationMessage) => {
    // A StatusChangeNotification says it ended: not evidence of its life.
    if (!(message.notificationData ?? []).some((n) => n instanceof StatusChangeNotification)) lastEvidence = Date.now();
  });
  // BadTimeout (its lifetime expired), GoodSubscriptionTransferred (moved to another session): it publishes here no more.
  subscription.on('status_changed', (status: StatusCode) => end(status.name));
  subscription.on('terminated', () => end('terminated'));
  return {
    close: () => {
      done = true;
      clearInterval(silence);
      return subscription.terminate();
    },
  };
}
