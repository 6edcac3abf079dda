/**
 * The tags of one server as OPC UA subscriptions: one subscription per tag
 * group (its publishing interval), several when the server caps items per
 * subscription; monitored items created in calls of at most
 * MaxMonitoredItemsPerCall, each with its sampling interval, a queue deep
 * enough that no sample is dropped between two publishes, and the server-side
 * deadband (DataChangeFilter) where configured. Tags come and go at run time
 * without touching the others.
 *
 * Every publish response (data or keep-alive) is evidence that the server
 * answers, and that its subscription lives: the link uses both to date a loss
 * (outlived() finds a subscription the server dropped while others still
 * publish; drop() lets it go so its tags can be subscribed again). The server
 * may revise what was asked (a slower publishing interval, fewer keep-alives,
 * a shorter queue): the revised values are what the watchdogs and the queue
 * check use.
 */
import {
  AttributeIds, ClientMonitoredItemGroup, DataChangeFilter, DataChangeNotification, DataChangeTrigger, DeadbandType, StatusChangeNotification, StatusCodes, TimestampsToReturn,
  type ClientMonitoredItemBase, type ClientSession, type ClientSessionRawSubscriptionService, type ClientSubscription, type DataValue,
  coerceNodeId, type NotificationMessage, type StatusCode, type TransferSubscriptionsResponse,
} from 'node-opcua-client';
import type { ServerConfig, TagConfigEntry, TagGroupConfig } from '../../shared/config.js';
import { samplingIntervalMs } from '../../shared/config/station-checks.js';
import type { Logger } from '../log.js';
import { isBad } from '../../../historian/status.js';
import { chunks, tooMany, type OperationLimits } from './operation-limits.js';
import {
  aheadBy, AHEAD_TOLERANCE_MS, behindTolerance, dateBehind, restamp, stampedBehind, fromDataValue, givenTime, misfit, serverTime, type AcquiredSample, type Behind,
} from './sample.js';
import type { TagSampling } from '../../shared/api/acquisition.js';
import type { ServerClock } from './server-clock.js';
import { overflowed, overflowLost, valuesPerItem } from './lost-values.js';
import { moreNotificationsAfter, watchMoreNotifications } from './more-notifications.js';
import { newSubscription } from './new-subscription.js';
import { changed, MIN_POLL_MS, NoSubscriptionError, Poller, subscriptionRefusal } from './poll.js';
import { readServerUnits } from './units-read.js';

export interface SubscriptionEvents {
  onSamples(samples: AcquiredSample[]): void;
  /** A publish response (data or keep-alive) arrived at t (ms, station clock). */
  /** The server answered: `published` when with a publish response (data or a keep-alive), not another request's answer. */
  onEvidence(t: number, published: boolean): void;
  /** The server refused a monitored item: its own status for it. */
  onItemRefused(tag: TagConfigEntry, status: number, statusName: string): void;
  /**
   * A monitored item reported that the server no longer knows its node (BadNodeIdUnknown,
   * BadNodeIdInvalid: deleted by an online change or a PLC download); the value with that status
   * is handed on as any other. The item stays dead on the server even when the node comes back.
   */
  onItemFailed(tag: TagConfigEntry, status: number, statusName: string): void;
  /** What the server granted for the monitored items it created, by tag name. */
  onItemsGranted(granted: Map<string, TagSampling>): void;
  /**
   * One subscription died on the server (a StatusChangeNotification: BadTimeout, transferred away;
   * or terminated): cause is one of the stable causes below, detail what the server said.
   */
  onSubscriptionLost(sub: Sub, cause: SubscriptionCause, detail: string): void;
  /**
   * A value's source timestamp (or a publishTime) was ahead of the station clock, or a value's
   * behind it beyond a publish's hold, by ms, at t (station clock). `proven`: the clock is off for
   * sure (a stamp ahead, which delay cannot make; behind with the clock measured behind, or stepped
   * back); false: behind while the server gave no time to measure its clock by, which a slow link
   * or a late backlog looks like too. `seenIn`: a publishTime (the server's own clock, which a
   * measure of it checks) or a value's source stamp (the device's too, which no measure of the
   * server's clock checks).
   */
  onClockFault(kind: 'ahead' | 'behind', byMs: number, t: number, proven: boolean, seenIn: 'publishTime' | 'sourceTime'): void;
  /**
   * A value's source stamp was ahead of the station clock by ms, at t, while the server's clock was
   * measured right and its ServerTimestamp was not ahead: the field device's clock, not the server's
   * (the tag's stamps are judged wrong, onStampsJudged). Not a clock fault of the server.
   */
  onDeviceAhead(tag: string, byMs: number, t: number): void;
  /** A value was stamped before its tag's last one by more than a publish can hold: the server's clock stepped back, to be measured again now (clockMeasured). */
  onClockStepBack(): void;
  /**
   * The item's own source stamps judged anew while the server's clock is right, at t (station
   * clock): wrong (restamped, stale), or right (close to their ServerTimestamps). Told when the
   * judgement of this monitored item changes, its first included.
   */
  onStampsJudged(tag: string, wrong: boolean, t: number): void;
  /**
   * The server refused a tags' subscription for its limit (BadTooManySubscriptions): a subscription
   * of the link's own in the session (the ServiceLevel watch, level-watch.ts) is given up for it.
   * True: one was deleted, the subscription is asked for once more.
   */
  onSubscriptionLimit?(): Promise<boolean>;
  /**
   * The session holds no subscription at all (`reason`: the server's refusal, BadTooManySubscriptions,
   * BadServiceUnsupported, BadNotSupported): its tags are read instead (poll.ts). Null: a
   * subscription was had again (subscribeAgain), the tags are subscribed.
   */
  onPolled(reason: string | null): void;
  /** A read of the polled tags failed (a Bad service result, the session gone): a loss of the server. */
  onPollFailed(detail: string): void;
}

/** Gap causes of one subscription, stored as they are in the ledger: the console words them (app/renderer/lib/station-causes.ts). */
export const SUBSCRIPTION_TIMED_OUT = 'subscription timed out on the server';
export const SUBSCRIPTION_TERMINATED = 'subscription terminated';
export type SubscriptionCause = typeof SUBSCRIPTION_TIMED_OUT | typeof SUBSCRIPTION_TERMINATED;

interface Entry {
  tag: TagConfigEntry;
  item: ClientMonitoredItemBase | null;
  removed: boolean;
  /** Its first value came (the item's current value, which may be old without any clock fault). */
  seen: boolean;
  /** It reported its node gone (onItemFailed told once). */
  failed: boolean;
  /** When the tag was first asked for (station clock): the archive claims nothing before it. */
  since: number;
  /** When this monitored item was asked for (station clock): its first value, if stamped before `since`, is dated then. */
  askedAt: number;
  /** How much older than its receipt a later value may be (sample.ts behindTolerance). */
  behindMs: number;
  /** The time the server gave its last value (null: none yet): a later value stamped well before it shows the clock stepped back. */
  lastGiven: number | null;
  /** The time its last value was dated by (null: none yet): a value stamped no later is out of order (sample.ts restamp). */
  lastDated: number | null;
  /** Its source stamps as last judged (onStampsJudged): null before the first judgement. */
  stampsWrong: boolean | null;
  /** It delivered a value: a Good status without one after that is a value gone, not one awaited (sample.ts convert). */
  valued: boolean;
  /**
   * Where the station judges changes itself (polled, poll.ts; or a server that misapplies deadbands,
   * deadbandByStation): the last value handed on; one that has not changed from it is not handed on again.
   */
  lastHanded?: DataValue;
  /** Such a tag with a percent deadband: the node's EURange as its server gives it (readRanges), which a monitored item's filter would use. */
  serverRange?: readonly [number, number];
}

/** One subscription: its group, the tags placed in it, and its own evidence of life. */
export interface Sub {
  readonly group: string;
  readonly subscription: ClientSubscription;
  /** The server's id of it (the client's turns into a marker once it is terminated). */
  readonly id: number;
  readonly names: Set<string>;
  /** When its last publish response (data or keep-alive) arrived. */
  lastEvidence: number;
  /** The keep-alive period the server granted it (revised publishing interval × revised MaxKeepAliveCount). */
  keepAliveMs: number;
  /** Let go (dropped or closed): its events are ignored. */
  gone: boolean;
  /** Calls creating monitored items in it, in flight: an end the server tells meanwhile waits for them (lostOnServer). */
  filling: number;
  /** The server ended it while items were being made in it: told once they settle. */
  ended: { cause: SubscriptionCause; detail: string } | null;
  /**
   * Receipt minus the server's publishTime of its last publish responses (keep-alives too). Delay
   * only adds to it, so the smallest is the server clock's lag: a republished backlog after a
   * network glitch carries old stamps from a clock that is right, and is not taken for one behind.
   */
  lags: number[];
  /**
   * Per item (client handle), its values in the messages of a harvest the server is still sending
   * (moreNotifications): one queue over several messages is counted whole (lost-values.ts valuesPerItem).
   */
  harvest: Map<number, number> | null;
}

/** Publish responses over which the server clock's lag is the smallest (a minute at 500 ms). */
const LAG_WINDOW = 128;

/** How far the server's clock is behind the station's, as its publishes show; null when they do not say (or none: values read, poll.ts). */
export function clockLag(sub: Sub | null): number | null {
  return sub === null || sub.lags.length === 0 ? null : Math.min(...sub.lags);
}

/**
 * clockLag for judging a late value: null (they do not say) when a publishTime came ahead of its
 * receipt, since a clock ahead or garbled vouches for no lateness; the value is judged as from a
 * server that gives no time.
 */
function publishLag(sub: Sub | null): number | null {
  const lag = clockLag(sub);
  return lag !== null && lag < -AHEAD_TOLERANCE_MS ? null : lag;
}

/** 2000-01-01: a publishTime before it is one the server left unset (node-opcua's servers send 1601). */
const SET_AFTER = Date.UTC(2000, 0, 1);

/** A subscription let go: what it carried, to be subscribed again. */
export interface DroppedSubscription {
  group: string;
  tags: TagConfigEntry[];
  lastEvidence: number;
}

/** The server does not know the node (now): it may be made later (an online change, a PLC download), the item made again then. */
export function nodeGone(status: number): boolean {
  const code = (status & 0xffff0000) >>> 0;
  return code === StatusCodes.BadNodeIdUnknown.value >>> 0 || code === StatusCodes.BadNodeIdInvalid.value >>> 0;
}

/** The server refused an item's DataChangeFilter (e.g. a percent deadband on a variable without EURange, as TwinCAT's). */
const FILTER_REFUSED = new Set([
  StatusCodes.BadMonitoredItemFilterUnsupported, StatusCodes.BadFilterNotAllowed, StatusCodes.BadDeadbandFilterInvalid,
].map((c) => c.value >>> 0));

type Deadband = NonNullable<TagConfigEntry['deadband']>;

/**
 * Subscriptions a lost connection left on the server (by their ids): taken over by this session
 * (TransferSubscriptions, no initial values) and deleted. A server keeps a session cut from the
 * network until its timeout and its subscriptions until their lifetime runs out (two minutes with
 * the station's requests): meanwhile they hold its subscription and monitored-item capacity, and a
 * server with little of it refused the new connection's (BadTooManySubscriptions, failing every
 * attempt; BadTooManyMonitoredItems). Resolves to the ids deleted and the statuses of those the
 * server did not hand over (BadSubscriptionIdInvalid: gone already).
 */
export async function releaseLeftOver(session: ClientSession, ids: readonly number[]): Promise<{ deleted: number[]; refused: string[] }> {
  const raw = session as ClientSession & ClientSessionRawSubscriptionService;
  const transfer = raw.transferSubscriptions.bind(raw) as (options: { subscriptionIds: number[]; sendInitialValues: boolean }) => Promise<TransferSubscriptionsResponse>;
  const response = await transfer({ subscriptionIds: [...ids], sendInitialValues: false });
  const results = response.results ?? [];
  const taken = ids.filter((_, i) => results[i]?.statusCode.isGood() ?? false);
  const refused = results.filter((r) => !r.statusCode.isGood()).map((r) => r.statusCode.name);
  if (taken.length > 0) await raw.deleteSubscriptions({ subscriptionIds: taken });
  return { deleted: taken, refused };
}

/**
 * The server ended a subscription while monitored items were being made in it (its lifetime ran
 * out, a gateway dropped it): these tags of the group are to be subscribed again, the session lives.
 */
export class SubscriptionEndedError extends Error {
  constructor(readonly group: string, readonly tags: readonly string[], readonly lossCause: SubscriptionCause, readonly detail: string) {
    super(`the server ended the subscription of group "${group}" while its monitored items were being made (${detail})`);
    this.name = 'SubscriptionEndedError';
  }
}


export class TagSubscriptions {
  private readonly subs: Sub[] = [];
  private readonly entries = new Map<string, Entry>();
  private pending: { sample: AcquiredSample; behind: Behind | null }[] = [];
  private overflows = 0;
  /** Overflow bits judged noise (lost-values.ts overflowLost): said once per connection, not per value. */
  private overflowNoise = 0;
  /** Per DataValue of a publish, how many values its item has in that publish (counted at raw_notification, read when it is handed on). */
  private readonly inPublish = new WeakMap<object, number>();
  private aheads = 0;
  private behinds = 0;
  private publishAheads = 0;
  private keepAliveMs = 0;
  private closed = false;
  /** Monitored items per call and per subscription: the advertised limits, or less as the server shows it takes less. */
  private perCall: number;
  private perSubscription: number;
  /** The server refused items in an empty subscription: its item limit is on the whole server (or session). */
  private serverCapped = false;
  /** Subscriptions the session may hold: unlimited until the server refuses one (BadTooManySubscriptions). */
  private maxSubscriptions = Infinity;
  /** The session holds no subscription: its tags are read (poll.ts); null while subscribed. */
  private poller: Poller | null = null;
  /** Why they are read: the server's refusal of the first subscription. */
  private pollReason: string | null = null;
  /**
   * The server's clock as last measured (server-clock.ts; the link measures it at connection and
   * periodically): whether a late value is from a clock behind or from a slow link. Null: not
   * measured, its publishTimes decide (clockLag).
   */
  serverClock: ServerClock | null = null;
  /**
   * Why the server's deadband is not to be trusted (build-info.ts deadbandMisapplied), or null. Set,
   * monitored items are made without a DataChangeFilter and each tag's deadband is applied here,
   * as Part 4 has the server apply it: against the last value handed on, a status change always on.
   */
  deadbandByStation: string | null = null;
  /**
   * When a value's stamp went back past its tag's last one (the server's clock stepped back: an
   * engineer, an NTP step) and no measure begun since has settled it; null otherwise. Meanwhile the
   * last measure speaks for the clock as it was: trusted, every value after the step was placed 1 ms
   * after the last one until the next periodic measure (a minute of process squeezed into 100 ms).
   */
  private steppedBackAt: number | null = null;
  /** Groups whose items went into another group's subscription (said once each). */
  private readonly sharing = new Set<string>();
  /** Per tag, the deadband used instead of its configured one the server refused (null: none). */
  private readonly fallbacks = new Map<string, Deadband | null>();
  /** Tags whose percent deadband was refused and that have no configured range: their node's EURange to be read (rangedFallbacks). */
  private readonly unranged = new Map<string, { refused: Deadband; status: string }>();

  constructor(
    private readonly session: ClientSession,
    private readonly server: ServerConfig,
    private readonly limits: OperationLimits,
    private readonly logger: Logger,
    private readonly events: SubscriptionEvents,
    /**
     * Per tag, when it was first asked for (station clock); kept by the link across connections, a
     * reconnection's first values being the loss marker's business (server-link.ts afterLoss).
     */
    private readonly acquiredSince = new Map<string, number>(),
    /**
     * What is said once per run, kept by the link: deadband fallbacks (per tag, configured deadband
     * and fallback) and tags whose source stamps are wrong (noteRestamped).
     */
    private readonly toldOnce = new Set<string>(),
  ) {
    this.perCall = limits.maxMonitoredItemsPerCall;
    this.perSubscription = limits.maxMonitoredItemsPerSubscription || Infinity;
    watchMoreNotifications(session);
  }

  get size(): number {
    return this.entries.size;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The longest keep-alive period the server granted (revised publishing interval × revised MaxKeepAliveCount), ms. */
  get longestKeepAliveMs(): number {
    // Polled: a read answers each interval, the longest one's answer as late as a keep-alive.
    return Math.max(this.keepAliveMs, this.poller?.longestIntervalMs ?? 0);
  }

  /** Creates monitored items for these tags (their types already checked). */
  async add(tags: readonly TagConfigEntry[]): Promise<void> {
    const byGroup = new Map<string, TagConfigEntry[]>();
    for (const tag of tags) {
      if (this.entries.has(tag.name)) continue;
      const list = byGroup.get(tag.group ?? '') ?? [];
      list.push(tag);
      byGroup.set(tag.group ?? '', list);
    }
    for (const [group, list] of byGroup) {
      // Items with the same parameters go together, in calls the server accepts.
      const byParams = new Map<string, TagConfigEntry[]>();
      for (const tag of list) {
        const key = JSON.stringify(this.parameters(tag));
        const same = byParams.get(key);
        if (same) same.push(tag);
        else byParams.set(key, [tag]);
      }
      for (const same of byParams.values()) await this.monitorAll(group, same);
    }
  }

  /**
   * Monitors these tags (one group, the same parameters) in calls the server accepts. A limit it
   * enforces without advertising it (OperationLimits 0, as some servers do) is learned: a call
   * refused as too large (BadTooManyOperations) is made again in halves, items a subscription
   * refuses as full (BadTooManyMonitoredItems) go to another one. Before, the first kept the
   * server from ever connecting and the second left those tags refused for good.
   */
  private async monitorAll(group: string, tags: TagConfigEntry[]): Promise<void> {
    if (this.poller) return this.poll(tags);
    let todo = tags;
    // Items whose deadband the server refused: made again with the fallback (other parameters, so apart).
    const again: TagConfigEntry[] = [];
    while (todo.length > 0) {
      const batch = todo.slice(0, this.perCall);
      const settled = new Set<string>();
      try {
        const { placed, unplaced } = await this.place(group, batch);
        for (const [sub, part] of placed) {
          const { full, refiltered, serverFull } = await this.monitor(sub, part);
          again.push(...refiltered);
          if (serverFull) this.unlearnPerSubscription(sub);
          for (const t of part) if (!full.includes(t)) settled.add(t.name);
          if (full.length > 0) this.learnPerSubscription(sub.names.size, full.length);
        }
        // Every subscription full and no more to be had: refused, not tried forever against both limits.
        if (unplaced.length > 0) this.refuseUnplaced(unplaced);
        for (const t of unplaced) settled.add(t.name);
      } catch (err) {
        if (err instanceof NoSubscriptionError) {
          this.startPolling(err.reason);
          return this.poll(todo.filter((t) => !settled.has(t.name) && !this.entries.has(t.name)));
        }
        if (batch.length === 1 || !tooMany(err)) throw err;
        this.perCall = Math.ceil(batch.length / 2);
        this.logger.warn({ server: this.server.id, refused: batch.length, nextCalls: this.perCall },
          'the server refused a call creating monitored items as too large (a limit it does not advertise): smaller calls follow');
      }
      todo = todo.filter((t) => !settled.has(t.name) && !this.entries.has(t.name));
    }
    if (again.length === 0) return;
    await this.rangedFallbacks(again);
    await this.add(again);
  }

  private refuseUnplaced(tags: TagConfigEntry[]): void {
    this.logger.warn({ server: this.server.id, refused: tags.length, subscriptions: this.subs.length, perSubscription: this.perSubscription },
      'the server allows no more subscriptions and its subscriptions are full: these tags are not acquired');
    const code = StatusCodes.BadTooManyMonitoredItems;
    for (const t of tags) this.events.onItemRefused(t, code.value >>> 0, code.name);
  }

  private learnPerSubscription(took: number, refused: number): void {
    this.perSubscription = took;
    this.logger.warn({ server: this.server.id, perSubscription: took, refused },
      'a subscription of the server refused items as full (a limit it does not advertise): another subscription takes them');
  }

  /**
   * An empty subscription refused items as too many: the limit learned per subscription was the
   * whole server's (or the session's), met there by chance; kept, each attempt to place the items
   * again would spread them over one more subscription. Back to what the server advertised, and
   * from now on such a refusal is one (asked for again later: server-link.ts capacityRetry).
   */
  private unlearnPerSubscription(sub: Sub): void {
    if (this.serverCapped) return;
    this.serverCapped = true;
    this.perSubscription = this.limits.maxMonitoredItemsPerSubscription || Infinity;
    this.logger.warn({ server: this.server.id, group: sub.group },
      'a new subscription of the server refused monitored items as too many: its limit is on the whole server or session, not per subscription; the tags it refused are asked for again later');
  }

  /** Tags are to be asked for again (refused for the server's capacity): a subscription it refused may be had now. */
  forgetSubscriptionLimit(): void {
    this.maxSubscriptions = Infinity;
  }

  /** The server's ids of this connection's subscriptions: what a loss leaves on the server (releaseLeftOver). */
  get subscriptionIds(): number[] {
    return this.subs.map((s) => s.id);
  }

  /** At least one subscription, even without tags: its keep-alives are the evidence that the server answers (polled: its reads). */
  async keepAlive(): Promise<void> {
    if (this.subs.length > 0 || this.poller) return;
    try {
      await this.createSubscription('');
    } catch (err) {
      const refusal = subscriptionRefusal(err);
      if (refusal === null) throw err;
      this.startPolling(refusal);
    }
  }

  /** Why the tags are read rather than subscribed (the server's refusal of a subscription); null while subscribed. */
  get polled(): string | null {
    return this.pollReason;
  }

  /**
   * The session gave no subscription: its tags are read from now on (poll.ts), with the server's
   * CurrentTime while there is none, its answers the evidence a subscription's keep-alives were.
   */
  private startPolling(reason: string): void {
    if (this.poller || this.closed) return;
    this.pollReason = reason;
    const heartbeatMs = Math.min(1000, this.server.staleAfterMs / 3);
    this.poller = new Poller(this.session, this.limits.maxNodesPerRead, heartbeatMs, {
      onRead: (names, values, startedAt, receivedAt) => this.read(names, values, startedAt, receivedAt),
      onFailed: (detail) => {
        if (!this.closed) this.events.onPollFailed(detail);
      },
    });
    this.logger.warn({ server: this.server.id, reason, maxNodesPerRead: this.limits.maxNodesPerRead },
      'the server allows this session no subscription: its tags are polled (read at their sampling interval); a subscription is asked for again periodically');
    this.events.onPolled(reason);
  }

  /** Tags read rather than monitored: each at its sampling interval (its publishing interval when sampling is 0, "as fast as it can"). */
  private poll(tags: readonly TagConfigEntry[]): void {
    const poller = this.poller!;
    const now = Date.now();
    const granted = new Map<string, TagSampling>();
    const items: { name: string; nodeId: string; intervalMs: number }[] = [];
    for (const tag of tags) {
      if (this.entries.has(tag.name)) continue;
      const sampling = samplingIntervalMs(this.server, tag);
      const intervalMs = Math.max(MIN_POLL_MS, sampling || (this.groupOf(tag.group ?? '')?.publishingIntervalMs ?? this.server.publishingIntervalMs));
      const since = this.acquiredSince.get(tag.name) ?? (this.acquiredSince.set(tag.name, now), now);
      this.entries.set(tag.name, {
        tag, item: null, removed: false, seen: false, failed: false, since, askedAt: now, lastGiven: null, lastDated: null, stampsWrong: null, valued: false,
        // A read brings the value as it is now: late by at most the interval, the read's answer and the network.
        behindMs: behindTolerance(intervalMs, intervalMs, 1),
      });
      items.push({ name: tag.name, nodeId: tag.nodeId, intervalMs });
      // One value per read: the archive's cyclic record goes by the interval (server-link.ts deliveredEvery).
      granted.set(tag.name, { samplingIntervalMs: intervalMs, queueSize: 1, perPublish: 1 });
    }
    poller.add(items);
    if (granted.size > 0) this.events.onItemsGranted(granted);
    this.rangesFor(items.map((i) => this.entries.get(i.name)!), 'polled tags');
  }

  /** The entries with a percent deadband the station applies itself: their nodes' EURange is read. */
  private rangesFor(entries: readonly Entry[], who: string): void {
    const percent = entries.filter((e) => {
      const d = this.parameters(e.tag).deadband;
      return d != null && 'percent' in d;
    });
    if (percent.length > 0) void this.readRanges(percent, who);
  }

  /**
   * A percent deadband is of the node's EURange (Part 8, PercentDeadband), which the server applies to a
   * monitored item: read here for tags whose deadband the station applies (`who`: polled ones, or
   * a server's that misapplies it), so that they are handed on as the standard has them. Until it
   * is known, or without one, the configured range serves, or every change is handed on (never
   * fewer values than a subscription would bring).
   */
  private async readRanges(entries: readonly Entry[], who: string): Promise<void> {
    const server = this.server.id;
    try {
      const units = await readServerUnits(this.session, entries.map((e) => coerceNodeId(e.tag.nodeId)), this.limits);
      entries.forEach((e, i) => {
        const range = units[i]!.range;
        if (range) e.serverRange = range;
      });
      if (this.closed) return;
      const none = entries.filter((e, i) => !units[i]!.range && !e.tag.range).map((e) => e.tag.name);
      if (none.length === 0) this.logger.info({ server, count: entries.length }, `EURange read for ${who} with a percent deadband`);
      else {
        this.logger.warn({ server, count: none.length, tags: none.slice(0, 20) },
          `${who} with a percent deadband whose node gives no EURange and that have no configured range: every change of them is handed on`);
      }
    } catch (err) {
      if (this.closed) return;
      this.logger.warn({ server, count: entries.length, err: (err as Error).message },
        `the EURange of ${who} with a percent deadband could not be read: their configured range is used, or every change is handed on`);
    }
  }

  /**
   * What a read brought: evidence of the server, and each value that changed since the last one
   * handed on (as a monitored item's filter would say), taken as a monitored item's value. A tag
   * removed, or asked for again after the read began, takes nothing from it.
   */
  private read(names: readonly string[], values: readonly DataValue[], startedAt: number, receivedAt: number): void {
    if (this.closed) return;
    this.events.onEvidence(receivedAt, true);
    names.forEach((name, i) => {
      const e = this.entries.get(name);
      const dv = values[i];
      if (!e || !dv || e.removed || e.askedAt > startedAt) return;
      const p = this.parameters(e.tag);
      if (!changed(e.lastHanded ?? null, dv, p.deadband, e.serverRange ?? e.tag.range)) return;
      e.lastHanded = dv;
      this.take(e, dv, null, receivedAt);
    });
  }

  /**
   * Polled: a subscription asked for again (the link does, every pollRetry.everyMs). Given, the
   * reads stop and the tags are subscribed in it and as many more as the server gives, their first
   * values their current ones. False: refused again, the reads go on.
   */
  async subscribeAgain(): Promise<boolean> {
    if (!this.poller || this.closed) return false;
    const tags = [...this.entries.values()].map((e) => e.tag);
    try {
      await this.createSubscription(tags[0]?.group ?? '');
    } catch (err) {
      if (subscriptionRefusal(err) === null) throw err;
      return false;
    }
    this.poller.close();
    this.poller = null;
    this.pollReason = null;
    for (const e of this.entries.values()) e.removed = true;
    this.entries.clear();
    this.maxSubscriptions = Infinity;
    this.logger.info({ server: this.server.id, tags: tags.length }, 'the server gives a subscription again: its tags are subscribed again, no longer polled');
    this.events.onPolled(null);
    await this.add(tags);
    return true;
  }

  /** Stops acquiring these tags (deletes their monitored items); their later notifications are ignored. */
  async remove(names: readonly string[]): Promise<void> {
    this.poller?.remove(names);
    const bySub = new Map<ClientSubscription, number[]>();
    for (const name of names) {
      const e = this.entries.get(name);
      if (!e) continue;
      e.removed = true;
      this.entries.delete(name);
      // A changed tag asks for its configured deadband again.
      this.fallbacks.delete(name);
      this.unranged.delete(name);
      for (const s of this.subs) s.names.delete(name);
      const item = e.item;
      if (!item) continue;
      const ids = bySub.get(item.subscription);
      if (ids) ids.push(item.monitoredItemId as number);
      else bySub.set(item.subscription, [item.monitoredItemId as number]);
    }
    for (const [subscription, ids] of bySub) {
      for (const part of chunks(ids, this.perCall)) {
        // The raw service: node-opcua's ClientSession type leaves it out, its implementation has it.
        await (this.session as ClientSession & ClientSessionRawSubscriptionService).deleteMonitoredItems({ subscriptionId: subscription.subscriptionId, monitoredItemIds: part });
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.poller?.close();
    for (const s of this.subs.splice(0)) {
      s.gone = true;
      await s.subscription.terminate().catch((err: Error) => this.logger.debug({ server: this.server.id, err: err.message }, 'subscription terminate'));
    }
  }

  /**
   * Subscriptions silent (no publish response, data or keep-alive) for longer than their limit when
   * the server last answered on another one: the server lives, they do not. The limit is the loss
   * watchdog's (staleAfterMs), or three of the keep-alive periods the server granted them when
   * longer; one late response is no loss (publish requests are shared by all subscriptions). A
   * server silent on all of them is the link's server watchdog's business, not theirs.
   */
  outlived(serverEvidence: number): Sub[] {
    return this.subs.filter((s) => !s.gone && serverEvidence - s.lastEvidence > this.limitOf(s));
  }

  /** How long a subscription may stay silent before it is taken for lost (ms). */
  private limitOf(sub: Sub): number {
    return Math.max(this.server.staleAfterMs, 3 * sub.keepAliveMs);
  }

  /**
   * Lets a subscription go (the server no longer serves it): its tags' later notifications are
   * ignored, it is deleted on the server if still there, and its tags are handed back to be added again.
   */
  drop(sub: Sub): DroppedSubscription {
    sub.gone = true;
    const i = this.subs.indexOf(sub);
    if (i >= 0) this.subs.splice(i, 1);
    const tags: TagConfigEntry[] = [];
    for (const name of sub.names) {
      const e = this.entries.get(name);
      if (!e) continue;
      e.removed = true;
      this.entries.delete(name);
      tags.push(e.tag);
    }
    sub.names.clear();
    // The server may have forgotten it already (BadSubscriptionIdInvalid): nothing to do then.
    void sub.subscription.terminate().catch((err: Error) => this.logger.debug({ server: this.server.id, err: err.message }, 'dropped subscription terminate'));
    return { group: sub.group, tags, lastEvidence: sub.lastEvidence };
  }

  private groupOf(id: string): TagGroupConfig | undefined {
    return this.server.groups.find((g) => g.id === id);
  }

  /** Sampling interval, queue size and filter of a tag's monitored item. */
  parameters(tag: TagConfigEntry, revisedPublishingMs?: number): { samplingInterval: number; queueSize: number; deadband: TagConfigEntry['deadband'] | null } {
    const group = this.groupOf(tag.group ?? '');
    const sampling = samplingIntervalMs(this.server, tag);
    const publishing = revisedPublishingMs ?? group?.publishingIntervalMs ?? this.server.publishingIntervalMs;
    // Two publishing intervals' worth of samples: a publish that comes late loses nothing.
    // Sampling 0 means "as fast as the server can"; count a change every 50 ms then.
    let queueSize = group?.queueSize ?? Math.max(2, Math.ceil((2 * publishing) / Math.max(sampling, 50)) + 1);
    if (this.limits.maxMonitoredItemsQueueSize > 0) queueSize = Math.min(queueSize, this.limits.maxMonitoredItemsQueueSize);
    const fallback = this.fallbacks.get(tag.name);
    const deadband = tag.kind !== 'analog' ? null : fallback !== undefined ? fallback : (tag.deadband ?? group?.deadband ?? null);
    return { samplingInterval: sampling, queueSize, deadband };
  }

  /**
   * The subscriptions (existing or new) that take this batch, within MaxMonitoredItemsPerSubscription;
   * unplaced: what none can take (the server allows no more subscriptions and those it gave are full).
   */
  private async place(group: string, batch: TagConfigEntry[]): Promise<{ placed: [Sub, TagConfigEntry[]][]; unplaced: TagConfigEntry[] }> {
    const cap = this.perSubscription;
    const placed: [Sub, TagConfigEntry[]][] = [];
    let rest = batch;
    while (rest.length > 0) {
      const sub = this.subs.find((s) => s.group === group && s.names.size < cap) ?? (await this.newOrShared(group, cap));
      if (!sub) return { placed, unplaced: rest };
      const take = rest.slice(0, Math.min(rest.length, cap - sub.names.size));
      for (const t of take) sub.names.add(t.name);
      placed.push([sub, take]);
      rest = rest.slice(take.length);
    }
    return { placed, unplaced: [] };
  }

  /**
   * A new subscription for the group. A server that allows no more in a session (BadTooManySubscriptions:
   * small embedded servers allow one or two) keeps those it gave, and the group's items go into one of
   * them with room, published at its interval: before, the refusal failed the whole connection, retried
   * forever with no data at all. Only a server that gives no subscription at all fails the connection.
   * Null: none has room.
   */
  private async newOrShared(group: string, cap: number): Promise<Sub | null> {
    if (this.subs.length < this.maxSubscriptions) {
      try {
        return await this.createSubscription(group);
      } catch (err) {
        const refusal = subscriptionRefusal(err);
        if (refusal === null) throw err;
        // The tags before the level watch: its slot is theirs (the probe period reads the level).
        if (refusal === 'BadTooManySubscriptions' && (await this.events.onSubscriptionLimit?.())) return this.newOrShared(group, cap);
        // None at all: the tags are read instead (monitorAll).
        if (this.subs.length === 0) throw new NoSubscriptionError(refusal, err);
        this.maxSubscriptions = this.subs.length;
      }
    }
    const wanted = this.groupOf(group)?.publishingIntervalMs ?? this.server.publishingIntervalMs;
    // The closest publishing interval, the faster of two as close: values come no later than asked.
    const interval = (s: Sub) => s.subscription.publishingInterval;
    const distance = (s: Sub) => Math.abs(Math.log(interval(s) / wanted));
    const sub = this.subs.filter((s) => s.names.size < cap).sort((a, b) => distance(a) - distance(b) || interval(a) - interval(b))[0];
    if (!sub) return null;
    if (!this.sharing.has(group)) {
      this.sharing.add(group);
      this.logger.warn({
        server: this.server.id, group, into: sub.group, subscriptions: this.subs.length,
        requestedPublishingIntervalMs: wanted, publishingIntervalMs: sub.subscription.publishingInterval,
      }, 'the server allows no more subscriptions in a session (BadTooManySubscriptions): this group\'s items go into another group\'s subscription, published at its interval');
    }
    return sub;
  }

  private async createSubscription(groupId: string): Promise<Sub> {
    const group = this.groupOf(groupId);
    const publishing = group?.publishingIntervalMs ?? this.server.publishingIntervalMs;
    // Keep-alives at least every third of the stale limit (and every second): a silent server is told from a quiet one.
    const keepAliveMs = Math.min(1000, this.server.staleAfterMs / 3);
    const keepAlive = Math.max(1, Math.floor(keepAliveMs / publishing));
    const subscription = await newSubscription(this.session, {
      requestedPublishingInterval: publishing,
      requestedMaxKeepAliveCount: keepAlive,
      // Outlives a minute of missed publishes, and at least three keep-alive periods (Part 4 §5.13.2).
      requestedLifetimeCount: Math.max(3 * keepAlive, Math.ceil(60_000 / publishing)),
      maxNotificationsPerPublish: 0,
      publishingEnabled: true,
      priority: 10,
    });
    const sub: Sub = {
      group: groupId, subscription, id: subscription.subscriptionId, names: new Set(), lastEvidence: Date.now(), gone: false, filling: 0, ended: null, lags: [], harvest: null,
      keepAliveMs: this.checkKeepAlive(subscription, publishing, keepAlive),
    };
    subscription.on('raw_notification', (message: NotificationMessage) => {
      const now = Date.now();
      this.events.onEvidence(now, true);
      const published = message.publishTime?.getTime();
      if (published !== undefined && Number.isFinite(published) && published > SET_AFTER) {
        sub.lags.push(now - published);
        if (sub.lags.length > LAG_WINDOW) sub.lags.shift();
        // Delay only makes a publishTime older: one ahead is a clock off for sure (fast, or garbled).
        if (published - now > AHEAD_TOLERANCE_MS) this.notePublishAhead(published - now, now);
      }
      // A StatusChangeNotification says the subscription ended: the server answers, the subscription does not live.
      if (!(message.notificationData ?? []).some((n) => n instanceof StatusChangeNotification)) sub.lastEvidence = now;
      // Whether an item's queue was full in this publish: an Overflow bit on a queue not full is noise.
      // A harvest sent over several messages (moreNotifications) is counted over all of them.
      const more = moreNotificationsAfter(message);
      const harvest = (sub.harvest ??= new Map());
      for (const n of message.notificationData ?? []) if (n instanceof DataChangeNotification) valuesPerItem(n.monitoredItems ?? [], this.inPublish, harvest, more === true);
      if (more !== true) sub.harvest = null;
    });
    // BadTimeout (its lifetime expired), GoodSubscriptionTransferred (moved to another session): it publishes here no more.
    subscription.on('status_changed', (status: StatusCode) =>
      this.lostOnServer(sub, status.value === StatusCodes.BadTimeout.value ? SUBSCRIPTION_TIMED_OUT : SUBSCRIPTION_TERMINATED, status.name));
    subscription.on('terminated', () => this.lostOnServer(sub, SUBSCRIPTION_TERMINATED, 'terminated'));
    this.subs.push(sub);
    this.events.onEvidence(Date.now(), false);
    return sub;
  }

  private lostOnServer(sub: Sub, cause: SubscriptionCause, detail: string): void {
    if (this.closed || sub.gone) return;
    // Items being made in it: their call settles first (monitor), so the loss is told once, with the items it holds.
    if (sub.filling > 0) {
      sub.ended ??= { cause, detail };
      return;
    }
    this.events.onSubscriptionLost(sub, cause, detail);
  }

  /**
   * A call creating items in `sub` failed because the server had ended it (it said so, or answered
   * BadSubscriptionIdInvalid): the items it held before are lost as any subscription's are
   * (onSubscriptionLost); without any, it is let go here. The batch's tags are the caller's to
   * make again (SubscriptionEndedError), not a reason to give up the session.
   */
  private endedWhileFilling(sub: Sub, batch: readonly TagConfigEntry[], message: string): SubscriptionEndedError {
    const ended = sub.ended ?? { cause: SUBSCRIPTION_TERMINATED, detail: message.trim() };
    if (sub.gone || this.closed) return new SubscriptionEndedError(sub.group, batch.map((t) => t.name), ended.cause, ended.detail);
    if (sub.names.size > 0) this.events.onSubscriptionLost(sub, ended.cause, ended.detail);
    else {
      sub.gone = true;
      const i = this.subs.indexOf(sub);
      if (i >= 0) this.subs.splice(i, 1);
      void sub.subscription.terminate().catch(() => undefined);
    }
    return new SubscriptionEndedError(sub.group, batch.map((t) => t.name), ended.cause, ended.detail);
  }

  /** The keep-alive period the server granted; the watchdogs wait three of them (server-link.ts staleLimit, limitOf). */
  private checkKeepAlive(subscription: ClientSubscription, requestedPublishing: number, requestedCount: number): number {
    const period = subscription.publishingInterval * subscription.maxKeepAliveCount;
    this.keepAliveMs = Math.max(this.keepAliveMs, period);
    if (3 * period > this.server.staleAfterMs) {
      this.logger.warn({
        server: this.server.id, requestedPublishingIntervalMs: requestedPublishing, publishingIntervalMs: subscription.publishingInterval,
        requestedMaxKeepAliveCount: requestedCount, maxKeepAliveCount: subscription.maxKeepAliveCount, staleAfterMs: this.server.staleAfterMs,
        lossAfterMs: 3 * period,
      }, 'the server sends keep-alives less often than staleAfterMs allows: a silent server is declared lost after three keep-alive periods instead');
    }
    return period;
  }

  /**
   * Resolves to the tags the subscription refused as full (BadTooManyMonitoredItems while it holds
   * others): to be placed again; and those whose deadband it refused: to be made again with the fallback.
   */
  private monitor(sub: Sub, tags: TagConfigEntry[]): Promise<{ full: TagConfigEntry[]; refiltered: TagConfigEntry[]; serverFull: boolean }> {
    // The queue is sized for the publishing interval the server granted, not the one asked for.
    const p = this.parameters(tags[0]!, sub.subscription.publishingInterval);
    const publishing = sub.subscription.publishingInterval;
    // As asked until the server says what it granted (initialized).
    const behindMs = behindTolerance(publishing, p.samplingInterval, p.queueSize);
    const now = Date.now();
    const since = (name: string): number => this.acquiredSince.get(name) ?? (this.acquiredSince.set(name, now), now);
    const batch: Entry[] = tags.map((tag) => ({ tag, item: null, removed: false, seen: false, failed: false, behindMs, since: since(tag.name), askedAt: now, lastGiven: null, lastDated: null, stampsWrong: null, valued: false }));
    for (const e of batch) this.entries.set(e.tag.name, e);
    sub.filling++;
    const filter = p.deadband && this.deadbandByStation === null
      ? new DataChangeFilter({
          trigger: DataChangeTrigger.StatusValue,
          deadbandType: 'absolute' in p.deadband ? DeadbandType.Absolute : DeadbandType.Percent,
          deadbandValue: 'absolute' in p.deadband ? p.deadband.absolute : p.deadband.percent,
        })
      : null;
    const group = ClientMonitoredItemGroup.create(
      sub.subscription,
      tags.map((t) => ({ nodeId: t.nodeId, attributeId: AttributeIds.Value })),
      { samplingInterval: p.samplingInterval, queueSize: p.queueSize, discardOldest: true, filter },
      TimestampsToReturn.Both,
    );
    // The deadband the server was not asked to apply (deadbandByStation), applied as it would be.
    const band = filter === null ? p.deadband : null;
    if (band) this.rangesFor(batch, 'tags whose deadband the station applies');
    group.on('changed', (_item: ClientMonitoredItemBase, dv: DataValue, index: number) => {
      const e = batch[index];
      if (!e || e.removed || this.closed) return;
      if (band) {
        if (!changed(e.lastHanded ?? null, dv, band, e.serverRange ?? e.tag.range)) return;
        e.lastHanded = dv;
      }
      this.take(e, dv, sub, Date.now());
    });
    return new Promise((resolve, reject) => {
      group.once('initialized', () => {
        sub.filling--;
        // Ended by the server while they were made: told now, with them (drop() hands them back to be made again).
        if (sub.filling === 0 && sub.ended && !sub.gone) setImmediate(() => this.lostOnServer(sub, sub.ended!.cause, sub.ended!.detail));
        const refused: [Entry, StatusCode][] = [];
        group.monitoredItems.forEach((item, i) => {
          const e = batch[i]!;
          e.item = item;
          const r = item.result;
          if (r) e.behindMs = behindTolerance(publishing, r.revisedSamplingInterval, r.revisedQueueSize);
          if (isBad(item.statusCode.value)) {
            this.entries.delete(e.tag.name);
            sub.names.delete(e.tag.name);
            refused.push([e, item.statusCode]);
          }
        });
        // Full, not a refusal of the tag, while the subscription holds other items (a new one refusing it would loop).
        // Not once the limit is known to be the whole server's: no other subscription would take them.
        const isFull = (code: StatusCode) => code.value === StatusCodes.BadTooManyMonitoredItems.value && sub.names.size > 0 && !this.serverCapped;
        // The filter refused, not the tag: made again with a fallback (none after none, so this ends).
        const isFilter = (code: StatusCode) => filter !== null && FILTER_REFUSED.has(code.value >>> 0);
        const refiltered: TagConfigEntry[] = [];
        for (const [e, code] of refused) {
          if (isFilter(code)) {
            this.fallBack(e.tag, p.deadband!, code.name);
            refiltered.push(e.tag);
          } else if (!isFull(code)) this.events.onItemRefused(e.tag, code.value >>> 0, code.name);
        }
        this.checkQueues(sub, batch, p.queueSize);
        // A subscription holding nothing refused items as too many: the server's limit is not per subscription.
        const serverFull = sub.names.size === 0 && refused.some(([, code]) => code.value === StatusCodes.BadTooManyMonitoredItems.value);
        resolve({ full: refused.filter(([, code]) => isFull(code)).map(([e]) => e.tag), refiltered, serverFull });
      });
      group.once('err', (message: string) => {
        sub.filling--;
        for (const e of batch) {
          this.entries.delete(e.tag.name);
          sub.names.delete(e.tag.name);
        }
        if (sub.ended || /BadSubscriptionIdInvalid/.test(message)) return reject(this.endedWhileFilling(sub, tags, message));
        reject(new Error(`creating ${batch.length} monitored items failed: ${message}`));
      });
    });
  }

  /**
   * One value of a tag, from a publish (its monitored item) or a read (poll.ts, `sub` null): dated
   * and judged the same way whichever brought it (clock, stamps, first value, node gone), queued to
   * be handed on with the others of its publish or read.
   */
  private take(e: Entry, dv: DataValue, sub: Sub | null, receivedAt: number): void {
    const overflow = overflowed(dv.statusCode.value) && this.overflowJudged(e, dv);
    const ahead = aheadBy(dv, receivedAt);
    // A device's clock ahead (the server's measured right) is its tag's fault: judged below, not the server's.
    const deviceAhead = ahead > 0 && this.deviceAhead(dv, receivedAt);
    if (ahead > 0 && !deviceAhead) this.noteAhead(e.tag.name, ahead, receivedAt);
    const sample = fromDataValue(e.tag.name, e.tag.kind, dv, receivedAt, e.valued);
    if (sample.value !== null) e.valued = true;
    else this.noteMisfit(e.tag, dv);
    if (overflow) sample.overflow = true;
    const given = givenTime(dv);
    // The item's first value is its current one, legitimately as old as its last change, but the
    // station did not watch it then: stamped before the tag was first asked for, it is dated when
    // this item was asked for (its value then; else the archive invents history before acquisition;
    // later than a loss marker or refusal a config edit forgot). Not at its receipt: over a slow
    // link the values stamped between the request and the receipt would come after it, squeezed
    // 1 ms apart.
    const first = !e.seen;
    e.seen = true;
    if (nodeGone(dv.statusCode.value) && !e.failed) {
      e.failed = true;
      this.events.onItemFailed(e.tag, dv.statusCode.value >>> 0, dv.statusCode.name);
    }
    if (given !== null && !first && e.lastGiven !== null && e.lastGiven - given > e.behindMs) this.noteStepBack(e.tag.name, e.lastGiven - given, receivedAt);
    // An item's own stamp wrong (frozen, or well behind the time its last value was dated) while the server's clock is right.
    const restamped = first || deviceAhead || !this.clockRight(sub) ? null : restamp(dv, e.lastGiven, e.lastDated, receivedAt, e.behindMs);
    // A stamp ahead is not kept as the item's last: the device's clock set right would look like the server's stepped back.
    if (given !== null && !deviceAhead) e.lastGiven = given;
    if (deviceAhead) {
      // As a tag whose stamps are wrong (restamp): its ServerTimestamp (not ahead: deviceAhead), else its receipt.
      sample.t = serverTime(dv, receivedAt);
      this.noteDeviceAhead(e.tag.name, dv, ahead, sample.t, receivedAt);
      this.judgeStamps(e, true, receivedAt);
    } else if (restamped !== null) {
      sample.t = restamped;
      // Said when the stamp is stale, not for one merely coarse (whole seconds: a few values share it).
      const source = dv.sourceTimestamp?.getTime() ?? restamped;
      if (restamped - source > e.behindMs) {
        this.noteRestamped(e.tag.name, dv, restamped, receivedAt);
        this.judgeStamps(e, true, receivedAt);
      }
    } else if (!first && given !== null && this.clockRight(sub) && stampedRight(dv, e.behindMs)) this.judgeStamps(e, false, receivedAt);
    const skewed = given !== null && !first && restamped === null && this.isBehind(receivedAt - given, e.behindMs, sub);
    // Not logged as a clock fault: an old current value is no sign of one.
    if (given !== null && first && given < e.since) sample.t = e.askedAt;
    const behind = given !== null && skewed ? { sample, given, receivedAt } : null;
    if (skewed) this.noteBehind(e.tag.name, receivedAt - given, e.behindMs, receivedAt);
    e.lastDated = sample.t;
    this.queue(sample, behind);
  }

  /**
   * The server refused a tag's deadband: a percent one is made absolute from the tag's configured range
   * (Part 8: percent × (high − low) / 100, what the server would compute from an EURange it does not
   * have, as TwinCAT's variables), or, with none configured, from the node's own EURange, read before
   * the item is made again (rangedFallbacks: servers that have it but implement only the absolute
   * deadband, as open62541's); else the item goes without a filter. Before, the tag was not acquired.
   */
  private fallBack(tag: TagConfigEntry, refused: Deadband, status: string): void {
    if ('percent' in refused && !tag.range) {
      this.fallbacks.set(tag.name, null);
      this.unranged.set(tag.name, { refused, status });
      return;
    }
    const fallback: Deadband | null = 'percent' in refused && tag.range ? { absolute: (refused.percent / 100) * (tag.range[1] - tag.range[0]) } : null;
    this.fellBack(tag, refused, status, fallback, 'configured range');
  }

  private fellBack(tag: TagConfigEntry, refused: Deadband, status: string, fallback: Deadband | null, from: 'configured range' | 'node\'s EURange'): void {
    this.fallbacks.set(tag.name, fallback);
    const key = JSON.stringify([tag.name, refused, fallback]);
    if (this.toldOnce.has(key)) return;
    this.toldOnce.add(key);
    this.logger.warn({ server: this.server.id, tag: tag.name, status, deadband: refused, fallback },
      fallback ? `the server refused the tag's percent deadband: acquired with an absolute deadband from its ${from}`
        : 'the server refused the tag\'s deadband: acquired without one (every change is sent)');
  }

  /** The refused percent deadbands of tags without a configured range: made absolute from their nodes' EURange where they have one. */
  private async rangedFallbacks(tags: readonly TagConfigEntry[]): Promise<void> {
    const pending = tags.flatMap((t) => {
      const refusal = this.unranged.get(t.name);
      this.unranged.delete(t.name);
      return refusal ? [{ tag: t, ...refusal }] : [];
    });
    if (pending.length === 0) return;
    let ranges: (readonly [number, number] | null)[] = pending.map(() => null);
    try {
      ranges = (await readServerUnits(this.session, pending.map((p) => coerceNodeId(p.tag.nodeId)), this.limits)).map((u) => u.range);
    } catch (err) {
      this.logger.warn({ server: this.server.id, count: pending.length, err: (err as Error).message },
        'the EURange of tags whose percent deadband the server refused could not be read: they are acquired without a deadband');
    }
    pending.forEach(({ tag, refused, status }, i) => {
      const range = ranges[i];
      const fallback = range && 'percent' in refused ? { absolute: (refused.percent / 100) * (range[1] - range[0]) } : null;
      this.fellBack(tag, refused, status, fallback, 'node\'s EURange');
    });
  }

  /**
   * A queue the server revised below one publishing interval of samples drops values between
   * publishes with no overflow bit when it holds one value (Part 4 §5.12.1.5): said once per batch.
   */
  private checkQueues(sub: Sub, batch: Entry[], requested: number): void {
    const publishing = sub.subscription.publishingInterval;
    const short: { tag: string; queueSize: number; samplingIntervalMs: number; needed: number }[] = [];
    const granted = new Map<string, TagSampling>();
    for (const e of batch) {
      const r = e.item?.result;
      if (!r || isBad(r.statusCode.value)) continue;
      // Sampling 0 ("as fast as the server can") counted as a change every 50 ms, as in parameters().
      const needed = Math.max(1, Math.ceil(publishing / Math.max(r.revisedSamplingInterval, 50)));
      granted.set(e.tag.name, { samplingIntervalMs: r.revisedSamplingInterval, queueSize: r.revisedQueueSize, perPublish: needed });
      if (r.revisedQueueSize < Math.min(requested, needed)) {
        short.push({ tag: e.tag.name, queueSize: r.revisedQueueSize, samplingIntervalMs: r.revisedSamplingInterval, needed });
      }
    }
    if (granted.size > 0) this.events.onItemsGranted(granted);
    if (short.length === 0) return;
    this.logger.warn({ server: this.server.id, publishingIntervalMs: publishing, requestedQueueSize: requested, count: short.length, items: short.slice(0, 10) },
      'the server revised monitored item queues below one publishing interval of samples: changes between publishes can be lost');
  }

  /** One publish response notifies many items in one go: they are handed on as one batch. */
  private queue(sample: AcquiredSample, behind: Behind | null): void {
    this.pending.push({ sample, behind });
    if (this.pending.length === 1) setImmediate(() => this.flush());
  }

  /** Hands on what was received; called before a loss is declared, so nothing good lands after the loss marker. */
  flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    dateBehind(batch.flatMap((p) => p.behind ?? []));
    this.events.onSamples(batch.map((p) => p.sample));
  }

  /**
   * A measure of the server's clock (server-clock.ts; null: it gives none usable) begun at
   * startedAt: it settles a step back seen before it began. One begun earlier read the clock as it
   * was before the step: kept, the step stays in doubt (the link measures again).
   */
  clockMeasured(clock: ServerClock | null, startedAt: number): void {
    this.serverClock = clock;
    if (this.steppedBackAt !== null && startedAt >= this.steppedBackAt) this.steppedBackAt = null;
  }

  /** A step back of the server's clock is waiting for a measure (clockMeasured). */
  get clockInDoubt(): boolean {
    return this.steppedBackAt !== null;
  }

  /**
   * Whether a value `ageMs` old at its receipt is from a clock behind (sample.ts stampedBehind).
   * While a step back is in doubt, any value older than a publish can hold is: dated at its receipt
   * (keeping the server's spacing) rather than 1 ms after the tag's last value.
   */
  private isBehind(ageMs: number, toleranceMs: number, sub: Sub | null): boolean {
    if (this.steppedBackAt !== null) return ageMs > toleranceMs;
    return stampedBehind(ageMs, toleranceMs, () => publishLag(sub), this.serverClock);
  }

  /**
   * Whether the server's clock is right, so that its ServerTimestamps can date a value whose own
   * stamp is wrong (sample.ts restamp): measured within AHEAD_TOLERANCE_MS either way allowing for
   * the round trip, or, unmeasured, its publishTimes that close to their receipt; not while a step
   * back is in doubt. A clock behind keeps its own handling (isBehind, dateBehind).
   */
  private clockRight(sub: Sub | null): boolean {
    if (this.steppedBackAt !== null) return false;
    const c = this.serverClock;
    if (c) return c.highMs >= -AHEAD_TOLERANCE_MS && c.lowMs <= AHEAD_TOLERANCE_MS;
    // A publishTime ahead (a negative lag) shows the clock off, not right.
    const lag = clockLag(sub);
    return lag !== null && lag >= -AHEAD_TOLERANCE_MS && lag <= AHEAD_TOLERANCE_MS;
  }

  /**
   * Whether a value's source stamp ahead is its field device's clock, not the server's: the server's
   * clock measured right (both bounds within AHEAD_TOLERANCE_MS, no step back in doubt) and the
   * value's ServerTimestamp, if given, not ahead. Unmeasured (publishTimes only), a stamp ahead
   * stays the server's fault: a publishTime close to its receipt does not rule a fast clock out.
   */
  private deviceAhead(dv: DataValue, receivedAt: number): boolean {
    const c = this.serverClock;
    if (this.steppedBackAt !== null || c === null || c.highMs < -AHEAD_TOLERANCE_MS || c.lowMs > AHEAD_TOLERANCE_MS) return false;
    const source = dv.sourceTimestamp?.getTime();
    if (source === undefined || !Number.isFinite(source) || source <= receivedAt + AHEAD_TOLERANCE_MS) return false;
    const server = dv.serverTimestamp?.getTime();
    return server === undefined || !Number.isFinite(server) || server <= 0 || server <= receivedAt + AHEAD_TOLERANCE_MS;
  }

  private judgeStamps(e: Entry, wrong: boolean, at: number): void {
    if (e.stampsWrong === wrong) return;
    e.stampsWrong = wrong;
    this.events.onStampsJudged(e.tag.name, wrong, at);
  }

  /** A good value that does not fit its tag (sample.ts misfit): said once per tag per run, else nowhere but its CONFIG badge. */
  private noteMisfit(tag: TagConfigEntry, dv: DataValue): void {
    const found = misfit(tag.kind, dv.value, dv.statusCode.value);
    const key = `misfit\u0000${tag.name}`;
    if (found === null || this.toldOnce.has(key)) return;
    this.toldOnce.add(key);
    this.logger.warn({ server: this.server.id, tag: tag.name, kind: tag.kind, valueType: found.dataType, array: found.array },
      found.array ? 'the server sent an array for a tag of one value: its values are BadTypeMismatch, without a value'
        : 'the server sent a value of a type that does not fit the tag\'s kind: its values are BadTypeMismatch, without a value');
  }

  /** A tag whose own source stamp is wrong while its server's clock is right: said once per tag per run (a device clock to set right). */
  private noteRestamped(tag: string, dv: DataValue, at: number, receivedAt: number): void {
    const key = `restamped\u0000${tag}`;
    if (this.toldOnce.has(key)) return;
    this.toldOnce.add(key);
    const source = dv.sourceTimestamp?.getTime() ?? null;
    const server = dv.serverTimestamp?.getTime() ?? null;
    this.logger.warn({
      server: this.server.id, tag, sourceTime: source === null ? null : new Date(source).toISOString(),
      serverTime: server === null ? null : new Date(server).toISOString(), behindMs: source === null ? null : at - source,
      datedBy: at === server ? 'server timestamp' : 'receipt', receivedAt: new Date(receivedAt).toISOString(),
    }, 'source timestamp wrong (frozen, or behind the time its last value was dated) while the server clock is right: the tag\'s values are dated by their server timestamp, else when received (set the device clock right)');
  }

  /** A device's stamp ahead while the server's clock is right (deviceAhead): said once per tag per run, told to the link. */
  private noteDeviceAhead(tag: string, dv: DataValue, aheadMs: number, at: number, receivedAt: number): void {
    this.events.onDeviceAhead(tag, aheadMs, receivedAt);
    const key = `deviceAhead\u0000${tag}`;
    if (this.toldOnce.has(key)) return;
    this.toldOnce.add(key);
    const server = dv.serverTimestamp?.getTime() ?? null;
    this.logger.warn({
      server: this.server.id, tag, aheadMs, toleranceMs: AHEAD_TOLERANCE_MS, sourceTime: dv.sourceTimestamp!.toISOString(),
      serverTime: server === null ? null : new Date(server).toISOString(), datedBy: at === server ? 'server timestamp' : 'receipt',
      receivedAt: new Date(receivedAt).toISOString(),
    }, 'source timestamp ahead of the station clock while the server clock is right: the device\'s clock is off, not the server\'s; the tag\'s values and its history are dated by their server timestamps, else when received, and the server\'s other tags are backfilled (set the device clock right)');
  }

  /** A value stamped before its tag's last one beyond a publish's hold: the clock stepped back; said once per step, measured again. */
  private noteStepBack(tag: string, backMs: number, receivedAt: number): void {
    if (this.steppedBackAt !== null) return;
    this.steppedBackAt = receivedAt;
    // The publishTimes before the step speak for the clock as it was (the judge when it gives no CurrentTime).
    for (const s of this.subs) s.lags.length = 0;
    this.logger.warn({ server: this.server.id, tag, backMs, receivedAt: new Date(receivedAt).toISOString() },
      'a source timestamp went back: the server clock stepped back; it is measured again now, values older than a publish can hold are dated when received');
    this.events.onClockStepBack();
  }

  /** A source timestamp too far behind: the value is dated at its receipt (dateBehind), said as the ahead case is. */
  private noteBehind(tag: string, behindMs: number, toleranceMs: number, receivedAt: number): void {
    this.events.onClockFault('behind', behindMs, receivedAt, this.serverClock !== null || this.steppedBackAt !== null, 'sourceTime');
    this.behinds++;
    if ((this.behinds & (this.behinds - 1)) === 0) {
      this.logger.warn({ server: this.server.id, tag, behindMs, toleranceMs, receivedAt: new Date(receivedAt).toISOString(), count: this.behinds },
        'source timestamp behind the station clock beyond what a publish can hold: the value is dated when it was received');
    }
  }

  /** A publishTime too far in the future: the server's clock is off (told as a stamp ahead, logged the same way). */
  private notePublishAhead(aheadMs: number, receivedAt: number): void {
    this.events.onClockFault('ahead', aheadMs, receivedAt, true, 'publishTime');
    this.publishAheads++;
    if ((this.publishAheads & (this.publishAheads - 1)) === 0) {
      this.logger.warn({ server: this.server.id, aheadMs, toleranceMs: AHEAD_TOLERANCE_MS, receivedAt: new Date(receivedAt).toISOString(), count: this.publishAheads },
        'publish time ahead of the station clock: the server clock is off; its publish times judge nothing, a gap after it is not backfilled');
    }
  }

  /** A source timestamp too far in the future: the value is dated when it was received instead. */
  private noteAhead(tag: string, aheadMs: number, receivedAt: number): void {
    this.events.onClockFault('ahead', aheadMs, receivedAt, true, 'sourceTime');
    this.aheads++;
    // Once per power of two, as overflows: a clock that stays wrong is told without flooding the log.
    if ((this.aheads & (this.aheads - 1)) === 0) {
      this.logger.warn({ server: this.server.id, tag, aheadMs, toleranceMs: AHEAD_TOLERANCE_MS, receivedAt: new Date(receivedAt).toISOString(), count: this.aheads },
        'source timestamp ahead of the station clock: the value is dated when it was received');
    }
  }

  /** A value with the Overflow bit: a loss (told as such) or noise (told once per connection); lost-values.ts overflowLost. */
  private overflowJudged(e: Entry, dv: DataValue): boolean {
    const queueSize = e.item?.result?.revisedQueueSize;
    const inPublish = this.inPublish.get(dv);
    if (overflowLost(queueSize, inPublish)) {
      this.noteOverflow(e.tag.name);
      return true;
    }
    if (this.overflowNoise++ === 0) {
      this.logger.warn({ server: this.server.id, tag: e.tag.name, queueSize, valuesInPublish: inPublish },
        'the server set the Overflow bit where its queue cannot have discarded anything (a queue of one, or not full in that publish): not taken for lost values');
    }
    return false;
  }

  private noteOverflow(tag: string): void {
    this.overflows++;
    // Once per power of two: a dropping queue is reported without flooding the log.
    if ((this.overflows & (this.overflows - 1)) === 0) {
      this.logger.warn({ server: this.server.id, tag, overflows: this.overflows }, 'server queue overflowed: samples were dropped between publishes (raise queueSize or publish faster)');
    }
  }
}

/** A value's own source stamp within `toleranceMs` of its ServerTimestamp (both given): its device clock keeps time. */
function stampedRight(dv: DataValue, toleranceMs: number): boolean {
  const source = dv.sourceTimestamp?.getTime(), server = dv.serverTimestamp?.getTime();
  return source !== undefined && server !== undefined && Math.abs(server - source) <= toleranceMs;
}
