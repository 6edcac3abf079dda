/**
 * One logical OPC UA server (a primary endpoint and its backups): connect,
 * check the tags' types, subscribe, and keep at it. The parts that do each
 * job live beside this file (session.ts, subscription.ts, failover.ts,
 * backfill.ts, gap-ledger.ts); this one decides when.
 *
 * Loss is detected two ways: the socket closing, and a watchdog on the last
 * evidence of the server (a publish response: data or keep-alive). Every tag
 * is then marked BadNoCommunication *at the last evidence*, never at the
 * moment the loss was noticed: the archive claims nothing good for time no
 * data came. The gap goes to the ledger; on reconnection it is closed and
 * backfilled from the server's history where the server keeps one. One
 * subscription the server drops while the others go on is lost the same way,
 * for its tags only, and made again on the same session.
 *
 * Per tag, the times handed on only go forward (emit): a value not newer than
 * the tag's last one is placed 1 ms after it, in the order it came.
 */
import { AttributeIds, coerceNodeId, ServerState as UaState, StatusCodes, VariableIds, type ClientSession } from 'node-opcua-client';
import type { ServerConfig, TagConfigEntry } from '../../shared/config.js';
import type { NegotiatedSecurity, ServerState } from '../../shared/api.js';
import type { TagSampling, TagSource } from '../../shared/api/acquisition.js';
import type { Logger } from '../log.js';
import { BadConfigurationError, BadNoCommunication, SemanticsChanged } from '../../../historian/status.js';
import { historyStartsAfter, readArchiveStarts } from './archive-start.js';
import { readGap } from './backfill.js';
import { BackfillRefused } from './backfill-refused.js';
import { GapRuns } from './backfill-put-off.js';
import { backfillRetry, transientHistoryFailure } from './backfill-retry.js';
import { HeldForUnits, UnitWatch, unitsIssue, unitsText, unitsWatched, type ServerUnits } from './engineering-units.js';
import { clockSkew, Seam, seamWaitMs } from './failover-seam.js';
import { connectOrder, failedLevel, failedLevelCause, FailedLevelError, switchTarget, type EndpointHealth, type FailoverPolicy } from './failover.js';
import type { GapLedger } from './gap-ledger.js';
import type { NamespaceMemory } from './namespace-memory.js';
import type { StampMemory } from './stamp-memory.js';
import { readNamespaces } from './namespaces.js';
import { readOperationLimits, type OperationLimits } from './operation-limits.js';
import type { StationPki } from './pki.js';
import { EndpointProbe, isoOrNull, maintenanceWaitMs, noteMaintenance, observe, readEstimatedReturn, readServiceLevel } from './probe.js';
import { watchServiceLevel, type LevelWatch } from './level-watch.js';
import { pollRetry } from './poll.js';
import { NeverPublishedError } from './error-cause.js';
import { CLOCK_OFF_NOTE, CLOCK_UNCHECKED_NOTE } from './gap-note.js';
import { locatePartner, readServerUris, sameUrl, type Partner } from './partners.js';
import { givenStampOf, type AcquiredSample } from './sample.js';
import { clockOff, measureServerClock, type ServerClock } from './server-clock.js';
import { noData, NotRunningError, readRunState, runStateCause, stateCheck, stateName, type RunState } from './server-run-state.js';
import { CertificateRefusedError, IdentityRefusedError, NoAnswerError, openSession, wordedOf, type OpenSession } from './session.js';
import { credentialOf, identityRetry } from './identity-retry.js';
import { askAgain, checkTags, serverRefusal, statusOfFailure, TagSources, typeUnread, type CheckedTags, type TagRefusal } from './sources.js';
import { nodeGone, releaseLeftOver, SUBSCRIPTION_TERMINATED, SubscriptionEndedError, TagSubscriptions, type DroppedSubscription, type Sub, type SubscriptionCause } from './subscription.js';
import { TagNodes } from './tag-nodes.js';
import { TypeReader } from './type-reader.js';
import { readServerUnits } from './units-read.js';
import { deadbandMisapplied, readBuildInfo, type BuildInfo } from './build-info.js';
import { readCommittedMark } from '../station/committed-mark.js';
import { CAPACITY_REFUSED, inHoles, overflowLedger, QUEUE_OVERFLOW, QueueHoles, type Holes } from './lost-values.js';

/** How long a clock fault seen before a gap keeps its backfill from being trusted (ms). */
const CLOCK_FAULT_MEMORY_MS = 15 * 60_000;

/**
 * How often (ms) the tags whose node the server does not know (BadNodeIdUnknown/BadNodeIdInvalid:
 * deleted by an online change of TwinCAT or Kepware, a PLC download, or not made yet at connection)
 * are asked for again while the connection lasts: a monitored item whose node was deleted stays dead
 * on the server even when the node comes back. 30 s: a node back after a download is archived again
 * within half a minute, and one gone for good costs the server one small read per tag that often.
 * Read when a link starts; tests shorten it.
 */
export const reacquire = { everyMs: 30_000 };

/**
 * When (ms) tags the server refused for its capacity (BadTooManyMonitoredItems: its monitored items
 * or subscriptions all taken) are asked for again while the connection lasts, the wait doubling up
 * to maxMs while it still refuses. What holds them is often ours: a session cut from the network
 * keeps its items on the server until its session timeout and its subscriptions' lifetime run out
 * (two minutes). Before, those tags stayed refused until the next reconnection, days on a link that
 * stays up. Read when used; tests shorten it.
 */
export const capacityRetry = { firstMs: 30_000, maxMs: 600_000 };
const TOO_MANY_ITEMS = StatusCodes.BadTooManyMonitoredItems.value >>> 0;

/**
 * When (ms) the type read of tags the server did not answer for a moment (a busy server's
 * BadTooManyOperations, a timeout: sources.ts askAgain) is made again while the connection lasts,
 * the wait doubling up to maxMs while it still fails. Before, such a tag (added or edited in the
 * config while connected) waited for the next reconnection, days on a stable link. Read when
 * used; tests shorten it.
 */
export const typeRetry = { firstMs: 2_000, maxMs: 120_000 };

/**
 * How soon a subscription the server ended (while the session lives) is made again: at once, unless
 * its group's was made again less than stableMs ago; then after firstMs, doubling up to maxMs. A
 * server that kept ending one (a gateway flapping with its field side, a server short of memory)
 * had it made again at once every time: five CreateSubscription and CreateMonitoredItems calls a
 * second, a gap and a warning each. Read when used; tests shorten it.
 */
export const resubscribe = { firstMs: 1000, maxMs: 60_000, stableMs: 60_000 };

/**
 * How long (ms) a new connection waits for the server to hand over the subscriptions the lost one
 * left (releaseLeftOver) before it goes on without: a courtesy to a server short of capacity, not
 * worth node-opcua's transaction timeout (15 s) of every tag lost when the server takes the call and
 * never answers. An answer that comes later still has what it hands over deleted. Read when used; tests shorten it.
 */
export const leftOverRelease = { answerMs: 5000 };

/**
 * How often (ms) the server's clock is measured again while a connection lasts (server-clock.ts; it
 * is measured at every connection too): a clock set or stepped meanwhile (NTP, an engineer) is
 * followed within a minute, for one small read per minute.
 */
export const CLOCK_CHECK_MS = 60_000;

/**
 * A read of engineering units that fails (a timeout, not a node without units) is tried again
 * after retryMs, doubling, while the tags' values stay held; after `attempts` failures in a row the
 * connection is given up and made again (a session that cannot answer a read is no usable one, and
 * values held longer would pile up). Read when used; tests shorten it.
 */
export const unitsRead = { attempts: 4, retryMs: 1000 };

export interface LinkContext {
  dataDir: string;
  logger: Logger;
  pki: StationPki;
  ledger: GapLedger;
  /** The URIs of the namespace indexes that tags configured by index were first acquired with. */
  namespaces: NamespaceMemory;
  /** The tags whose own source stamps were found wrong (stamp-memory.ts): their backfill is dated as their live values are. */
  stamps: StampMemory;
  onSamples(samples: AcquiredSample[]): void;
  /** Values read from the server's history for a gap: for the archive only; resolves once they are committed. */
  onBackfill(samples: AcquiredSample[]): void | Promise<void>;
  onState(state: ServerState): void;
  /** How often (ms) each tag's changes can reach the station as the server granted its item (deliveredEvery), before the values the grant brings. */
  onGranted(granted: ReadonlyMap<string, number>): void;
  onSources(changed: TagSource[]): void;
  /** The live session after each (re)connection or switch; null when it is gone. */
  onSession(session: ClientSession | null): void;
  onCertificateRefused(): void;
  /** Delay between reconnection attempts (ms), doubling up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
}

interface Conn {
  index: number;
  endpoint: string;
  /** buffering: subscribing, values held until it goes live; dead: ignored from now on. */
  state: 'buffering' | 'live' | 'dead';
  /** Held values, each batch with when it was received (a value re-dated after a loss takes that time). */
  buffer: { samples: AcquiredSample[]; at: number }[];
  /** Type checks and refusals made while subscribing: published when it goes live, not while another connection still serves. */
  checks: CheckedTags[];
  open: OpenSession | null;
  subs: TagSubscriptions | null;
  types: TypeReader | null;
  /** The tags' nodes against this server's NamespaceArray as read at this connection. */
  nodes: TagNodes | null;
  /** Tags acquired on this connection, by name, nodeId in this connection's index form. */
  acquired: Map<string, TagConfigEntry>;
  limits: OperationLimits | null;
  lastEvidence: number;
  /**
   * The server published on this connection (data or a keep-alive): only then is it connected. A
   * server that takes the subscription and never publishes was "connected" for the seconds until
   * it went stale, its communication alarm returned and came back every cycle (a P1 chattering),
   * the gap closed at each subscribe, and the reconnection never backed off.
   */
  published: boolean;
  /** Tags whose node the server does not know now (configured names): asked for again every reacquire.everyMs. */
  missing: Set<string>;
  /** Tags the server refused for its capacity (configured names): asked for again after fullDelay (capacityRetry). */
  full: Set<string>;
  fullTimer: NodeJS.Timeout | null;
  fullDelay: number;
  /** Tags whose type read the server did not answer for a moment (configured names): asked again after uncheckedDelay (typeRetry). */
  unchecked: Set<string>;
  uncheckedTimer: NodeJS.Timeout | null;
  uncheckedDelay: number;
  /** The wait before enumeration names whose read failed after SemanticsChanged are read again (typeRetry). */
  statesDelay: number;
  /** Tags being asked for again now: a refusal that did not change is not told (logged, archived) again. */
  retrying: Set<string>;
  /** What the server granted the items of those, published once they are acquired. */
  regranted: Map<string, TagSampling>;
  /** Values held until their tag's engineering units are read (at subscription, or again after SemanticsChanged). */
  unitHold: HeldForUnits;
  /** A switch's new endpoint: its values the old one handed on already are not handed on again (failover-seam.ts). */
  seam?: Seam;
  /** The live endpoint's ServiceLevel monitored (level-watch.ts): a drop switches at once, not at the next probe. */
  levelWatch?: LevelWatch | null;
  /** The level watch was given up for the tags' subscriptions (yieldLevelWatch): not made again on this connection. */
  levelYielded?: boolean;
  /** The level watch's subscription the server ended, made again (levelWatchEnded): when, after what wait, and the timer. */
  levelRemade?: { at: number; waitMs: number; timer: NodeJS.Timeout | null };
  /** Polled (the session gave no subscription): when a subscription is asked for again, and the wait before that (pollRetry). */
  pollTimer?: NodeJS.Timeout | null;
  pollWaitMs?: number;
  /** When a read of ServerStatus/State last began that found the server serving (server-run-state.ts): a loss for its state is dated there. */
  runningAt?: number;
  /** The last ServerState said in the log (a state other than Running is said once as it comes). */
  toldState?: number | null;
}

const REDUNDANCY = ['None', 'Cold', 'Warm', 'Hot', 'Transparent', 'HotAndMirrored'];
const HEARTBEAT_MS = 1000;
/** The least wait before a first attempt without an answer is said (noAnswerAfter). */
export const NO_ANSWER_MIN_MS = 10_000;
/** The floor in use: NO_ANSWER_MIN_MS; a test lowers it (testing/fast-no-answer.ts), a station never does. */
export const noAnswerFloor = { ms: NO_ANSWER_MIN_MS };
/**
 * After a crash that left no archive commit mark (a data directory from before it,
 * station/committed-mark.ts), how far before the last heartbeat each tag's history is read: what
 * the station received in its last moments died with it uncommitted (the archive commits each
 * second, station/archive.ts flushIntervalMs).
 */
const CRASH_EDGE_MS = 5000;

/**
 * How often (ms) an item's changes can reach the station, for the archive's cyclic record: its
 * granted sampling interval, or, with a queue the server revised below one publishing interval of
 * samples, the publish over what the queue holds (a queue of one brings one value per publish, the
 * changes between lost). By the sampling interval, the archive stored the previous value as held,
 * Good, for nearly the whole publish before each change, while the plant moved all along.
 */
export function deliveredEvery(s: TagSampling): number {
  // A revised queue of 0 is one value (Part 4 §7.21: 0 or 1 is no queue), not a queue without limit.
  const queue = Math.max(1, s.queueSize);
  if (queue >= s.perPublish) return s.samplingIntervalMs;
  // perPublish counts a sampling 0 ("as fast as it can") as 50 ms (subscription.ts checkQueues).
  return (Math.max(s.samplingIntervalMs, 50) * s.perPublish) / queue;
}

/** A refused monitored item's refusal: one refused for the server's capacity says it is asked for again (capacityRetry). */
function itemRefusal(tag: TagConfigEntry, status: number, statusName: string): TagRefusal {
  const refusal = serverRefusal(tag, status, statusName);
  if (status >>> 0 !== TOO_MANY_ITEMS) return refusal;
  return {
    ...refusal,
    issue: { key: 'acquisition.issue.serverFull', params: { status: statusName, nodeId: tag.nodeId } },
    detail: `the server has no room for another monitored item (${statusName}) for ${tag.nodeId}: asked for again, waiting longer each time`,
  };
}

export class ServerLink {
  private tags: TagConfigEntry[];
  private conn: Conn | null = null;
  private readonly sourceState: TagSources;
  private readonly health: EndpointHealth[];
  private readonly policy: FailoverPolicy;
  private probes: EndpointProbe[] = [];
  private lastEvidence = 0;
  private lastBeat = 0;
  /** Per tag: time of the last value handed on, and of a loss marker not yet followed by data. */
  private readonly lastT = new Map<string, number>();
  /** Per tag: the status of the last value handed on (failover-seam.ts: a switch's first values against it). */
  private readonly lastStatus = new Map<string, number>();
  /** Per tag: the stamp its server gave the last value handed on (sample.ts givenStampOf; none for the station's own markers). */
  private readonly lastGiven = new Map<string, number>();
  /** Per tag: the last value handed on. */
  private readonly lastValue = new Map<string, AcquiredSample['value']>();
  /** The last values handed on, as a switch's seam compares the new endpoint's first values with them. */
  private readonly handedOn = { t: this.lastT, value: this.lastValue, status: this.lastStatus, given: this.lastGiven };
  private readonly lossAt = new Map<string, number>();
  /** Per tag: the first value after a loss; history from then on came live and is not backfilled. */
  private readonly resumedAt = new Map<string, number>();
  /** Per tag: when it was first subscribed; no value is dated before (subscription.ts). */
  private readonly acquiredSince = new Map<string, number>();
  /** Deadband fallbacks logged (subscription.ts fallBack): once per tag for the run, not per connection. */
  private readonly toldFallbacks = new Set<string>();
  /** Other hosts the server advertises (session.ts otherHosts), logged once per endpoint and URLs for the run. */
  private readonly toldHosts = new Set<string>();
  /** Products whose misapplied deadband was said (deadbandByStation): once per run, not per connection. */
  private readonly toldProducts = new Set<string>();
  /** Tags whose server's engineering units contradict their config: their values marked, kept across connections. */
  private readonly units = new UnitWatch();
  /** Tags whose enumeration names are to be read again (rereadStates): a read is queued while this is not empty. */
  private readonly statesToReread = new Set<string>();
  /** A run of reacquire is queued or running: the next period does not queue another. */
  private reacquiring = false;
  /** A read of the server's clock is running (checkClock). */
  private checkingClock = false;
  private checkingState = false;
  /** A step back of the clock was seen while a read ran: another read follows it (that one may predate the step). */
  private clockCheckAgain = false;
  /** The last time a value's source timestamp showed the server's clock off (subscription.ts onClockFault, proven). */
  private clockFault: { kind: 'ahead' | 'behind'; byMs: number; at: number } | null = null;
  /**
   * The last time a publishTime came ahead of its receipt (a clock fast, or one garbled stamp):
   * apart from clockFault, since a measure of the clock at the backfill overrides it (backfill).
   */
  private publishTimeFault: { kind: 'ahead' | 'behind'; byMs: number; at: number } | null = null;
  /**
   * Per tag, the last time its field device stamped a value ahead while the server's clock was
   * measured right (subscription.ts onDeviceAhead): that tag's fault, dated by server timestamps, not
   * the server's; its gaps are filled only while the server's clock is measured right (backfill).
   */
  private readonly devicesAhead = new Map<string, { byMs: number; at: number }>();
  /**
   * The last time values came later than a publish can hold while the server gave no time to
   * measure its clock by (onClockFault, not proven): a slow link, a late backlog or a clock behind.
   */
  private clockUnchecked: { byMs: number; at: number } | null = null;
  /**
   * Per gap (ledger id), per tag: its last value before the loss. History is read from there, not
   * only from the gap's start: values the server stamped before the last evidence but had not
   * published yet (in its queue when the link died, or stamped by a clock a little behind) are not
   * in the archive either.
   */
  private readonly gapAfter = new Map<number, Map<string, number>>();
  /** Gaps of one subscription, or whose other tags' history is read (by ledger id): only these tags are backfilled; other gaps take every tag. */
  private readonly gapTags = new Map<number, Set<string>>();
  /** What a gap's runs found, while the server puts off some of its tags (backfill-put-off.ts). */
  private readonly gapRuns: GapRuns;
  /** Gaps of values lost while the server stayed up (lost-values.ts), by ledger id: only these holes are filled, what came live is not. */
  private readonly gapHoles = new Map<number, Holes>();
  /** Queue holes (Overflow InfoBit) gathered for the next ledger entry, and the timer that writes it. */
  private readonly queueHoles = new QueueHoles();
  private holesTimer: NodeJS.Timeout | null = null;
  /** Tags refused for the server's capacity on the live connection since `from`, each with its last value before (lost-values.ts). */
  private capacityLoss: { from: number; after: Map<string, number> } | null = null;
  private state: ServerState;
  private attempt = 0;
  private retryDelay: number;
  /** The last wait after the server refused the user identity (identity-retry.ts); null since a connection or before any refusal. */
  private identityDelay: number | null = null;
  private timers: NodeJS.Timeout[] = [];
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private switching = false;
  private work: Promise<void> = Promise.resolve();
  /** The backfill in flight: stop() waits for it, so it never writes to a ledger already closed. */
  private backfilling: Promise<void> = Promise.resolve();
  /** The next run for gaps a run left pending on a live connection (scheduleBackfillRetry); null when none waits. */
  private backfillRetryTimer: NodeJS.Timeout | null = null;
  private backfillRetryDelay = backfillRetry.firstMs;
  private redundancy: string | null = null;
  /** Redundant partners the server names that the config does not list (partners.ts), and the last set logged. */
  private partners: Partner[] = [];
  private partnersTold = '';
  /** The partners the server last named (other than itself), each with the endpoints found for it (partners.ts). */
  private partnerCandidates: Partner[] = [];
  /** Per group: when its subscription was last made again after the server ended it, and the wait before (resubscribe). */
  private readonly remade = new Map<string, { at: number; waitMs: number }>();
  private readonly resubscribeTimers = new Set<NodeJS.Timeout>();
  /** The subscriptions an ended connection may have left on its endpoint's server: released by the next connection there. */
  private leftOnServer: { index: number; ids: number[] } | null = null;
  /** The endpoint of the last live connection: a reconnection elsewhere is a failover, journaled as such. */
  private lastEndpoint: string | null = null;
  /** When the endpoint was last switched (failover.ts switchTarget: Degraded to Degraded not more often than failbackAfterMs). */
  private lastSwitchAt: number | null = null;
  /** Reconnection held back because every endpoint is in maintenance (awaitMaintenance); what the log said of it, so it says it once. */
  private maintenanceWaiting = false;
  private maintenanceTold: string | null = null;

  constructor(readonly server: ServerConfig, tags: readonly TagConfigEntry[], private readonly ctx: LinkContext) {
    this.gapRuns = new GapRuns(ctx.ledger);
    this.tags = [...tags];
    this.retryDelay = ctx.retryMs ?? 500;
    this.policy = server.redundancy;
    this.health = [server.endpoint, ...server.backupEndpoints].map((url) => ({ url, reachable: null, serviceLevel: null, healthySince: null }));
    this.sourceState = new TagSources(server.id, (changed) => ctx.onSources(changed));
    for (const [tag, since] of ctx.stamps.wrong(server.id)) this.sourceState.stamps(tag, since);
    this.state = { id: server.id, endpoint: server.endpoint, state: 'connecting', since: Date.now(), lastError: null, lastErrorText: null, security: null, endpoints: this.endpointStates(), redundancy: null };
  }

  get current(): ServerState {
    return this.state;
  }

  get session(): ClientSession | null {
    return this.conn?.open?.session ?? null;
  }

  sources(): TagSource[] {
    return this.sourceState.all();
  }

  start(): void {
    this.sourceState.expect(this.tags);
    this.resumeGaps();
    this.ctx.onState(this.state);
    void this.connect();
    this.every(Math.min(500, this.server.staleAfterMs / 4), () => this.watch());
    this.every(reacquire.everyMs, () => this.reacquire());
    this.every(CLOCK_CHECK_MS, () => void this.checkClock());
    this.every(stateCheck.everyMs, () => void this.checkRunState());
    if (this.health.length > 1) {
      this.every(this.policy.probeIntervalMs, () => void this.checkActiveLevel());
      this.restartProbes(0);
    }
  }

  /** Stops acquiring: the loss is archived at the last evidence and the gap stays open for the next start to backfill. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    for (const t of this.resubscribeTimers) clearTimeout(t);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.cancelBackfillRetry();
    await Promise.all(this.probes.map((p) => p.stop()));
    const conn = this.conn;
    if (conn) {
      conn.subs?.flush();
      this.dropUnconfirmed(conn);
      this.markLoss(conn, 'station stopped');
    }
    this.ctx.ledger.clearHeartbeat(this.server.id);
    this.conn = null;
    if (conn) this.ctx.onSession(null);
    await this.dispose(conn);
    await this.backfilling;
  }

  /** Follows the config: tags added, removed or changed are subscribed or dropped without touching the others. */
  updateTags(next: readonly TagConfigEntry[]): Promise<void> {
    this.work = this.work.then(() => this.applyTags([...next])).catch((err: Error) => {
      this.ctx.logger.error({ server: this.server.id, err }, 'could not apply the changed tags; they apply at the next reconnection');
    });
    return this.work;
  }

  private async applyTags(next: TagConfigEntry[]): Promise<void> {
    const key = (t: TagConfigEntry) => JSON.stringify([t.nodeId, t.kind, t.group, t.samplingIntervalMs, t.deadband]);
    const before = new Map(this.tags.map((t) => [t.name, key(t)]));
    const after = new Map(next.map((t) => [t.name, key(t)]));
    const dropped = [...before.keys()].filter((n) => after.get(n) !== before.get(n));
    const added = next.filter((t) => before.get(t.name) !== after.get(t.name));
    // Another node (or none) under the name: what its old node's units said no longer applies.
    const nodeOf = new Map(next.map((t) => [t.name, t.nodeId]));
    const renoded = this.tags.filter((t) => nodeOf.get(t.name) !== t.nodeId).map((t) => t.name);
    const previous = this.tags;
    this.tags = next;
    this.sourceState.remove(dropped);
    for (const n of dropped) {
      this.lossAt.delete(n);
      this.conn?.acquired.delete(n);
      this.conn?.missing.delete(n);
      this.conn?.full.delete(n);
      this.conn?.unchecked.delete(n);
    }
    this.sourceState.expect(added);
    this.reconsiderUnits(renoded);
    const conn = this.conn;
    // The tags refused for capacity that are left were removed: their gap ends.
    if (conn?.state === 'live' && conn.full.size === 0) this.capacityRegained(conn, Date.now());
    if (!conn?.subs || !conn.types || !conn.nodes) return;
    // A unit or range edited on a tag kept subscribed: checked against the server's as a new tag is.
    const unitsOf = (t: TagConfigEntry) => JSON.stringify([t.unit ?? null, t.range ?? null]);
    const unitsBefore = new Map(previous.map((t) => [t.name, unitsOf(t)]));
    this.confirmUnits(conn, next.filter((t) => conn.acquired.has(t.name) && unitsBefore.get(t.name) !== unitsOf(t)));
    await conn.subs.remove(dropped);
    let checked: TagConfigEntry[];
    try {
      checked = await this.check(conn, added);
    } catch (err) {
      if (conn.state !== 'live' || this.stopped) throw err;
      // The server did not answer the type read (busy, a timeout): the Tags page says so, and it is asked again, not left to the next reconnection.
      const { status, name } = statusOfFailure(err);
      this.ctx.logger.warn({ server: this.server.id, tags: added.length, err: (err as Error).message }, 'could not read the types of the changed tags: asked again, waiting longer each time');
      this.publishCheck(conn, { accepted: [], refused: added.map((t) => typeUnread(t, status, name)), types: new Map() });
      this.typeUnreadLater(conn, added.map((t) => t.name));
      return;
    }
    this.confirmUnits(conn, checked);
    await this.addOrLater(conn, checked, 0);
    this.ctx.logger.info({ server: this.server.id, subscribed: added.length, dropped: dropped.length }, 'tags changed');
  }

  /**
   * Adds tags to the live connection's subscriptions; when the server ends the new subscription
   * while their items are being made (SubscriptionEndedError), they are added again after the
   * doubling wait of `resubscribe` (they had no values on it yet: no gap). Else they waited for the
   * next reconnection.
   */
  private async addOrLater(conn: Conn, tags: readonly TagConfigEntry[], waitMs: number): Promise<void> {
    try {
      await conn.subs!.add(tags);
    } catch (err) {
      if (!(err instanceof SubscriptionEndedError) || conn.state !== 'live' || this.stopped) throw err;
      const next = Math.min(Math.max(2 * waitMs, resubscribe.firstMs), resubscribe.maxMs);
      this.ctx.logger.warn({ server: this.server.id, endpoint: conn.endpoint, group: err.group, cause: err.lossCause, reason: err.detail, tags: err.tags.length, resubscribeInMs: next },
        'subscription ended by the server while its monitored items were being made: made again');
      const names = new Set(err.tags);
      const timer = setTimeout(() => {
        this.resubscribeTimers.delete(timer);
        this.work = this.work.then(async () => {
          if (conn.state !== 'live' || this.stopped) return;
          // As acquired now: a config change meanwhile may have removed or replaced some.
          await this.addOrLater(conn, [...names].flatMap((n) => (conn.subs!.has(n) ? [] : (conn.acquired.get(n) ?? []))), next);
        }).catch((e: Error) => this.ctx.logger.error({ server: this.server.id, err: e.message }, 'could not apply the changed tags; they apply at the next reconnection'));
      }, next);
      this.resubscribeTimers.add(timer);
    }
  }

  // --- connecting ----------------------------------------------------------

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.maintenanceWaiting = false;
    const now = Date.now();
    // An endpoint in maintenance is not reconnected to before its next look (probe.ts maintenanceWaitMs), whoever looked last.
    const order = connectOrder(this.health, this.policy).filter((i) => !((this.health[i]!.maintenanceNextAt ?? 0) > now));
    if (order.length === 0) return this.awaitMaintenance(now);
    const index = order[this.attempt++ % order.length]!;
    const endpoint = this.health[index]!.url;
    this.setState(this.state.state === 'lost' ? 'lost' : 'connecting', this.state.lastError, { endpoint });
    const conn = this.newConn(index);
    const silent = this.noAnswerAfter(endpoint);
    try {
      await this.prepare(conn);
      clearTimeout(silent);
      this.goLive(conn);
    } catch (err) {
      clearTimeout(silent);
      await this.dispose(conn);
      if (err instanceof CertificateRefusedError) this.ctx.onCertificateRefused();
      if (this.stopped) return;
      // A Failed ServiceLevel was read: the endpoint answers, its level says why it is not used.
      if (this.health.length > 1 && !(err instanceof FailedLevelError)) observe(this.health[index]!, false, null, this.policy, Date.now(), err as Error);
      this.ctx.logger.warn({ server: this.server.id, endpoint, err: (err as Error).message }, 'connection failed');
      this.setState(this.state.state === 'lost' ? 'lost' : 'connecting', err as Error);
      this.retry(err);
    }
  }

  /**
   * A first connection still without an answer after staleAfterMs (at least NO_ANSWER_MIN_MS, so a
   * slow but working session with many tags is not alarmed at every start) is not connected:
   * said while the attempt goes on. A lost server is said so already.
   */
  private noAnswerAfter(endpoint: string): NodeJS.Timeout {
    const ms = Math.max(this.server.staleAfterMs, noAnswerFloor.ms);
    return setTimeout(() => {
      if (this.stopped || this.conn !== null || this.state.state !== 'connecting' || this.state.lastError !== null) return;
      this.setState('connecting', new NoAnswerError(endpoint, ms / 1000));
    }, ms);
  }

  private newConn(index: number): Conn {
    return {
      index, endpoint: this.health[index]!.url, state: 'buffering', buffer: [], checks: [], open: null, subs: null, types: null, nodes: null,
      acquired: new Map(), limits: null, lastEvidence: Date.now(), published: false, missing: new Set(), retrying: new Set(), regranted: new Map(),
      full: new Set(), fullTimer: null, fullDelay: capacityRetry.firstMs,
      unchecked: new Set(), uncheckedTimer: null, uncheckedDelay: typeRetry.firstMs, statesDelay: typeRetry.firstMs,
      unitHold: new HeldForUnits(),
    };
  }

  /**
   * A server advertising only URLs of another host than the configured one: said once per run, not
   * at every reconnection (the server's own name does not change with the network); a standby's by
   * its probe's session (probe.ts), before a failover to it, and not again once it is in use.
   */
  private tellHosts(endpoint: string, advertised: readonly string[]): void {
    const key = `${endpoint} ${advertised.join(' ')}`;
    if (advertised.length === 0 || this.toldHosts.has(key)) return;
    this.toldHosts.add(key);
    this.ctx.logger.info({ server: this.server.id, endpoint, advertised },
      'the server advertises another host than the one configured: connected to the one configured; a client that follows the server\'s own URLs needs that name resolvable');
  }

  /** Session, limits, types, subscriptions; values are held in the buffer until the connection goes live. */
  private async prepare(conn: Conn): Promise<void> {
    conn.open = await openSession(
      { server: this.server, endpoint: conn.endpoint, pki: this.ctx.pki, dataDir: this.ctx.dataDir, logger: this.ctx.logger },
      (reason) => this.lost(conn, reason),
    );
    const session = conn.open.session;
    this.tellHosts(conn.endpoint, conn.open.advertised);
    await this.releaseLeftOver(conn);
    conn.limits = await readOperationLimits(session);
    // Read at every connection: a restarted server may list its namespaces in another order.
    const namespaces = await readNamespaces(session);
    this.ctx.logger.debug({ server: this.server.id, endpoint: conn.endpoint, namespaces }, 'namespace array');
    conn.nodes = new TagNodes(this.server.id, namespaces, this.ctx.namespaces);
    await this.connectRunState(conn);
    await this.readRedundancy(conn);
    const clock = await this.measureClock(conn);
    conn.types = new TypeReader(session, conn.limits.maxNodesPerRead, conn.limits.maxNodesPerBrowse);
    conn.subs = new TagSubscriptions(session, this.server, conn.limits, this.ctx.logger, {
      onSamples: (samples) => this.deliver(conn, samples),
      onEvidence: (t, published) => this.evidence(conn, t, published),
      onItemRefused: (acquired, status, name) => {
        // Told with the node id as configured, as every other refusal is.
        const tag = this.tags.find((t) => t.name === acquired.name) ?? acquired;
        if (nodeGone(status)) conn.missing.add(tag.name);
        if (status >>> 0 === TOO_MANY_ITEMS) this.refusedForCapacity(conn, tag.name);
        // Asked for again and refused as before: said already, its refusal stands.
        if (conn.retrying.has(tag.name) && this.refusedAlready(tag.name, status)) return;
        this.publishCheck(conn, { accepted: [], refused: [itemRefusal(tag, status, name)], types: new Map() });
      },
      onItemFailed: (acquired, status, name) => this.itemFailed(conn, acquired, status, name),
      onItemsGranted: (sampling) => {
        for (const [name, granted] of sampling) if (conn.retrying.has(name)) conn.regranted.set(name, granted);
        this.publishCheck(conn, { accepted: [], refused: [], types: new Map(), sampling });
      },
      onSubscriptionLost: (sub, cause, detail) => this.subscriptionLost(conn, sub, cause, detail),
      onClockFault: (kind, byMs, at, proven, seenIn) => {
        if (proven && seenIn === 'publishTime') this.publishTimeFault = { kind, byMs, at };
        else if (proven) this.clockFault = { kind, byMs, at };
        else this.clockUnchecked = { byMs, at };
      },
      onDeviceAhead: (tag, byMs, at) => this.devicesAhead.set(tag, { byMs, at }),
      onClockStepBack: () => void this.checkClock(conn),
      onStampsJudged: (tag, wrong, at) => this.stampsJudged(tag, wrong, at),
      onSubscriptionLimit: () => this.yieldLevelWatch(conn),
      onPolled: (reason) => this.polled(conn, reason),
      onPollFailed: (detail) => {
        this.ctx.logger.warn({ server: this.server.id, endpoint: conn.endpoint, err: detail }, 'a read of the polled tags failed');
        this.lost(conn, 'connection lost');
      },
    }, this.acquiredSince, this.toldFallbacks);
    conn.subs.serverClock = clock;
    conn.subs.deadbandByStation = await this.deadbandByStation(conn, conn.limits.maxNodesPerRead);
    const accepted = await this.check(conn, this.tags);
    // Before the first value: a restarted server, or a standby, sends no SemanticsChanged for units
    // that changed while no session watched (read alongside the subscribing, see confirmUnits).
    this.confirmUnits(conn, accepted);
    await conn.subs.add(accepted);
    await conn.subs.keepAlive();
    if (conn.state === 'dead') throw new Error('connection lost while subscribing');
    if (this.stopped) throw new Error('station stopping');
    // The server answered every request so far: that is evidence too.
    conn.lastEvidence = Date.now();
  }

  /**
   * Why this server's deadband is applied by the station (configured, or build-info.ts), or null:
   * said once per run and product. A BuildInfo that cannot be read is a server taken to follow the standard.
   */
  private async deadbandByStation(conn: Conn, maxNodesPerRead: number): Promise<string | null> {
    if (this.server.deadbandBy === 'server') return null;
    if (this.server.deadbandBy === 'station') {
      if (!this.toldProducts.has('')) {
        this.toldProducts.add('');
        this.ctx.logger.info({ server: this.server.id }, 'deadbandBy: station: the server is asked for every change and the tags\' deadbands are applied by the station');
      }
      return 'deadbandBy: station in the configuration';
    }
    let info: BuildInfo;
    try {
      info = await readBuildInfo(conn.open!.session, maxNodesPerRead);
    } catch (err) {
      this.ctx.logger.debug({ server: this.server.id, err: (err as Error).message }, 'BuildInfo unreadable');
      return null;
    }
    const why = deadbandMisapplied(info);
    const key = `${info.productUri} ${info.softwareVersion}`;
    if (why !== null && !this.toldProducts.has(key)) {
      this.toldProducts.add(key);
      this.ctx.logger.warn({ server: this.server.id, endpoint: conn.endpoint, product: info.productName, productUri: info.productUri, version: info.softwareVersion, why },
        'the server misapplies deadbands (a slow drift or a status change within the band would never be sent): its tags are asked for every change and their deadbands applied by the station');
    }
    return why;
  }

  /**
   * The subscriptions the last connection to this endpoint may have left (subscription.ts
   * releaseLeftOver), once: none of this fails the connection; a server that does not hand them
   * over keeps them until their lifetime runs out, as before.
   */
  private async releaseLeftOver(conn: Conn): Promise<void> {
    const left = this.leftOnServer;
    this.leftOnServer = null;
    if (!left || left.index !== conn.index || left.ids.length === 0) return;
    const where = { server: this.server.id, endpoint: conn.endpoint, subscriptions: left.ids.length };
    try {
      const release = releaseLeftOver(conn.open!.session, left.ids);
      let timer: NodeJS.Timeout | undefined;
      const answered = await Promise.race([release, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), leftOverRelease.answerMs)))])
        .finally(() => clearTimeout(timer));
      if (answered === null) {
        this.ctx.logger.info({ ...where, waitedMs: leftOverRelease.answerMs },
          'the server did not answer the takeover of the subscriptions the lost connection left: the connection goes on without it; they hold its subscriptions and monitored items until their lifetime runs out');
        // Handed over late: deleted all the same (releaseLeftOver does), said so.
        void release.then(({ deleted }) => {
          if (deleted.length > 0) this.ctx.logger.info({ ...where, deleted: deleted.length }, 'the server answered the takeover late: the subscriptions it handed over were deleted');
        }, () => undefined);
        return;
      }
      const { deleted, refused } = answered;
      const withheld = refused.filter((r) => r !== 'BadSubscriptionIdInvalid');
      if (deleted.length > 0) {
        this.ctx.logger.info({ ...where, deleted: deleted.length }, 'subscriptions the lost connection left on the server were taken over and deleted: what they held is free at once');
      }
      if (withheld.length > 0) {
        this.ctx.logger.info({ ...where, refused: withheld },
          'the server did not hand over the subscriptions the lost connection left (TransferSubscriptions refused): they hold its subscriptions and monitored items until their lifetime runs out');
      }
    } catch (err) {
      this.ctx.logger.info({ ...where, err: (err as Error).message },
        'the subscriptions the lost connection left on the server could not be taken over: they hold its subscriptions and monitored items until their lifetime runs out');
    }
  }

  private async check(conn: Conn, tags: readonly TagConfigEntry[]): Promise<TagConfigEntry[]> {
    const checked = await checkTags(conn.types!, conn.nodes!, tags);
    for (const t of checked.accepted) conn.acquired.set(t.name, t);
    for (const r of checked.refused) if (nodeGone(r.status)) conn.missing.add(r.tag.name);
    this.typeUnreadLater(conn, checked.refused.filter((r) => askAgain(r.status)).map((r) => r.tag.name));
    this.publishCheck(conn, checked);
    return checked.accepted;
  }

  /**
   * A monitored item said the server no longer knows its node: its value with that status is
   * archived and shown as it came; the Tags page says why (as for a refused item), and the tag is
   * asked for again every reacquire.everyMs until the node is back (reacquire).
   */
  private itemFailed(conn: Conn, acquired: TagConfigEntry, status: number, statusName: string): void {
    if (conn.state === 'dead' || this.stopped) return;
    const tag = this.tags.find((t) => t.name === acquired.name) ?? acquired;
    conn.missing.add(tag.name);
    this.ctx.logger.warn({ server: this.server.id, tag: tag.name, nodeId: tag.nodeId, status: statusName, retryEveryMs: reacquire.everyMs },
      'the server no longer knows the node of a monitored tag: asked for again periodically until it is back');
    if (conn.state === 'live') this.sourceState.apply({ accepted: [], refused: [serverRefusal(tag, status, statusName)], types: new Map() });
  }

  /** The tag stands refused for this already: its node unknown (whichever of the two codes said it), or the same status. */
  private refusedAlready(name: string, status: number): boolean {
    const now = this.sourceState.statusOf(name);
    return now === status || (nodeGone(now) && nodeGone(status));
  }

  /** Asks again for the tags whose node the server did not know (itemFailed, check): one run at a time, after other work. */
  private reacquire(): void {
    const conn = this.conn;
    if (!conn || conn.state !== 'live' || conn.missing.size === 0 || this.stopped || this.reacquiring) return;
    const names = [...conn.missing];
    this.reacquiring = true;
    this.work = this.work.then(() => this.acquireAgain(conn, conn.missing, 'asking again for tags whose node the server did not know', 'the server knows the tags\' nodes again: acquired')).catch((err: Error) => {
      // Those not acquired meanwhile are asked for again at the next period.
      for (const n of names) if (!conn.subs?.has(n)) conn.missing.add(n);
      this.ctx.logger.warn({ server: this.server.id, err: err.message }, 'could not ask again for tags whose node the server did not know; tried again later');
    }).finally(() => (this.reacquiring = false));
  }

  /**
   * Deletes a dead item, checks the node again (it may be back with another type), and makes the
   * item anew. Still unknown: nothing said again, the refusal or the item's Bad value stands in the
   * archive and on screen. Back: its values flow, the Tags page clears. Its first value, if stamped
   * before it was asked for again, is dated at its receipt (subscription.ts, acquiredSince).
   */
  private async acquireAgain(conn: Conn, names: Set<string>, asking: string, back: string): Promise<void> {
    if (conn.state !== 'live' || this.stopped || !conn.subs || !conn.types || !conn.nodes) return;
    const tags = this.tags.filter((t) => names.has(t.name));
    names.clear();
    if (tags.length === 0) return;
    this.ctx.logger.debug({ server: this.server.id, tags: tags.map((t) => t.name) }, asking);
    await conn.subs.remove(tags.filter((t) => conn.subs!.has(t.name)).map((t) => t.name));
    for (const t of tags) {
      conn.acquired.delete(t.name);
      this.acquiredSince.delete(t.name);
    }
    const checked = await checkTags(conn.types, conn.nodes, tags);
    if (conn.state !== 'live' || this.stopped) return;
    for (const r of checked.refused) if (nodeGone(r.status)) conn.missing.add(r.tag.name);
    this.typeUnreadLater(conn, checked.refused.filter((r) => askAgain(r.status)).map((r) => r.tag.name));
    for (const t of checked.accepted) conn.acquired.set(t.name, t);
    conn.retrying = new Set(checked.accepted.map((t) => t.name));
    conn.regranted.clear();
    // A node made again (a PLC download) may come with other units.
    this.confirmUnits(conn, checked.accepted);
    try {
      await conn.subs.add(checked.accepted);
    } finally {
      conn.retrying = new Set();
    }
    if (conn.state !== 'live' || this.stopped) return;
    const acquired = checked.accepted.filter((t) => conn.subs!.has(t.name));
    const changed = checked.refused.filter((r) => !this.refusedAlready(r.tag.name, r.status));
    this.publishCheck(conn, { accepted: acquired, refused: changed, types: checked.types, sampling: new Map(conn.regranted) });
    conn.regranted.clear();
    if (acquired.length > 0) this.ctx.logger.info({ server: this.server.id, tags: acquired.map((t) => t.name) }, back);
  }

  /**
   * The server refused a tag's item for its capacity: asked for again after conn.fullDelay, one
   * timer for all of them; the wait doubles while refusals go on (no loop against a full server),
   * and starts again short once all are acquired.
   */
  private refusedForCapacity(conn: Conn, name: string): void {
    conn.full.add(name);
    if (conn.fullTimer !== null || conn.state === 'dead' || this.stopped) return;
    const delay = conn.fullDelay;
    conn.fullDelay = Math.min(delay * 2, capacityRetry.maxMs);
    this.ctx.logger.info({ server: this.server.id, retryInMs: delay },
      'the server refused monitored items for its capacity (BadTooManyMonitoredItems): those tags are asked for again after this wait');
    conn.fullTimer = setTimeout(() => {
      conn.fullTimer = null;
      if (conn.state === 'dead' || this.stopped) return;
      const names = new Set(conn.full);
      this.work = this.work.then(async () => {
        // Still subscribing: asked for at the next wait.
        if (conn.state !== 'live') return names.forEach((n) => this.refusedForCapacity(conn, n));
        // A subscription the server refused before may be had now (it is told again if not).
        conn.subs?.forgetSubscriptionLimit();
        await this.acquireAgain(conn, conn.full, 'asking again for tags the server refused for its capacity',
          'the server took the monitored items it had refused for its capacity: acquired');
        if (conn.full.size === 0 && conn.fullTimer === null) conn.fullDelay = capacityRetry.firstMs;
        if (conn.full.size === 0 && conn.state === 'live') this.capacityRegained(conn, Date.now());
      }).catch((err: Error) => {
        for (const n of names) if (!conn.subs?.has(n)) this.refusedForCapacity(conn, n);
        this.ctx.logger.warn({ server: this.server.id, err: err.message }, 'could not ask again for tags the server refused for its capacity; tried again later');
      });
    }, delay);
  }

  /**
   * Tags whose type read the server did not answer for a moment (a busy server, a timeout): their
   * types are read again after conn.uncheckedDelay, one timer for all of them, the wait doubling
   * while it still fails (typeRetry) and starting short again once all are read.
   */
  private typeUnreadLater(conn: Conn, names: readonly string[]): void {
    for (const n of names) conn.unchecked.add(n);
    if (conn.unchecked.size === 0 || conn.uncheckedTimer !== null || conn.state === 'dead' || this.stopped) return;
    const delay = conn.uncheckedDelay;
    conn.uncheckedDelay = Math.min(delay * 2, typeRetry.maxMs);
    this.ctx.logger.info({ server: this.server.id, tags: conn.unchecked.size, retryInMs: delay },
      'the server did not answer the type read of tags for a moment: their types are read again after this wait');
    conn.uncheckedTimer = setTimeout(() => {
      conn.uncheckedTimer = null;
      if (conn.state === 'dead' || this.stopped) return;
      const names = [...conn.unchecked];
      this.work = this.work.then(async () => {
        // Still subscribing: read at the next wait.
        if (conn.state !== 'live') return this.typeUnreadLater(conn, []);
        await this.acquireAgain(conn, conn.unchecked, 'reading again the types of tags the server did not answer',
          'the server answered the tags\' type read: acquired');
        if (conn.unchecked.size === 0 && conn.uncheckedTimer === null) conn.uncheckedDelay = typeRetry.firstMs;
      }).catch((err: Error) => {
        // Those still configured and not acquired meanwhile.
        const configured = new Set(this.tags.map((t) => t.name));
        this.typeUnreadLater(conn, names.filter((n) => configured.has(n) && !conn.subs?.has(n)));
        this.ctx.logger.warn({ server: this.server.id, err: err.message }, 'could not read again the types of tags the server did not answer; tried again later');
      });
    }, delay);
  }

  /**
   * What a connection found of the tags' sources. While it subscribes (a switch of endpoint, make
   * before break) the old connection still serves: its refusals would be overwritten by the old
   * one's good values, so they wait until it goes live. A dead connection's findings are moot.
   */
  private publishCheck(conn: Conn, checked: CheckedTags): void {
    if (conn.state === 'buffering') conn.checks.push(checked);
    else if (conn.state === 'live') {
      this.granted(checked);
      this.sourceState.apply(checked);
      this.refuse(checked.refused);
    }
  }

  /** A tag's source stamps judged wrong or right again: kept across restarts (a gap the last run left is backfilled before any live value shows it). */
  private stampsJudged(tag: string, wrong: boolean, at: number): void {
    if (wrong === this.sourceState.stampsWrong.has(tag)) return;
    this.ctx.stamps.note(this.server.id, tag, wrong, at);
    this.sourceState.stamps(tag, wrong ? at : null);
    if (!wrong) this.ctx.logger.info({ server: this.server.id, tag }, 'source timestamps right again: the tag\'s values are dated by their own stamps');
  }

  private granted(checked: CheckedTags): void {
    if (checked.sampling && checked.sampling.size > 0) {
      this.ctx.onGranted(new Map([...checked.sampling].map(([tag, s]) => [tag, deliveredEvery(s)])));
    }
  }

  /** A refused tag: its status says why, on screen and in the archive; the reason goes to the log. */
  private refuse(refused: readonly TagRefusal[]): void {
    if (refused.length === 0) return;
    const now = Date.now();
    for (const r of refused) this.ctx.logger.warn({ server: this.server.id, tag: r.tag.name, nodeId: r.tag.nodeId, reason: r.detail }, 'tag not acquired');
    this.sourceState.apply({ accepted: [], refused: [...refused], types: new Map() });
    const samples = refused.map((r) => ({ tag: r.tag.name, t: now, value: null, status: r.status }));
    const full = refused.filter((r) => r.status >>> 0 === TOO_MANY_ITEMS).map((r) => r.tag);
    const before = this.lastValues(full);
    this.emit(samples);
    if (full.length > 0) this.capacityRefused(full.map((t) => t.name), now, before);
    // From its refusal no server delivers the tag: the refusal stands as its loss marker does. The
    // first value a connection delivers later (another endpoint, a changed config) that predates it
    // was read again, not changed, and is dated at its receipt (afterLoss), not 1 ms after the
    // refusal, which would archive it Good for the time nobody delivered it.
    for (const s of samples) this.lossAt.set(s.tag, s.t);
  }

  private goLive(conn: Conn, switchReason: string | null = null): void {
    const reason = switchReason ?? (this.lastEndpoint !== null && this.lastEndpoint !== conn.endpoint ? 'lost' : null);
    if (reason) {
      this.ctx.ledger.failover(this.server.id, Date.now(), this.lastEndpoint, conn.endpoint, reason);
      this.lastSwitchAt = Date.now();
      this.ctx.logger.warn({ server: this.server.id, from: this.lastEndpoint, to: conn.endpoint, reason }, 'switched endpoint');
    }
    this.lastEndpoint = conn.endpoint;
    conn.state = 'live';
    const previous = this.conn;
    this.conn = conn;
    this.lastEvidence = Math.max(this.lastEvidence, conn.lastEvidence);
    const held = conn.buffer;
    conn.buffer = [];
    // The new connection's grants before its values: the archive's cyclic record goes by them.
    for (const c of conn.checks) this.granted(c);
    // A switch: what the old endpoint handed on already is not handed on again (failover-seam.ts),
    // the new one's stamps compared across the two servers' clocks.
    if (switchReason !== null) this.openSeam(conn, previous, held.flatMap((b) => b.samples));
    for (const b of held) this.emit(conn.seam ? conn.seam.take(b.samples, this.handedOn) : b.samples, b.at);
    for (const c of conn.checks.splice(0)) this.publishCheck(conn, c);
    // A switch of endpoint to one with room for the tags the old one refused for its capacity: their gap ends.
    if (conn.full.size === 0) this.capacityRegained(conn, Date.now());
    // Units read while subscribing are judged now: before, the connection that still served would have had its values judged by them.
    if (conn.unitHold.early.size > 0) {
      const early = new Map(conn.unitHold.early);
      conn.unitHold.early.clear();
      this.settleUnits(conn, early);
    }
    void this.rereadUnits(conn);
    this.ctx.logger.info({ server: this.server.id, endpoint: conn.endpoint, security: conn.open!.security, tags: conn.subs!.size }, 'subscribed');
    this.ctx.onSession(conn.open!.session);
    this.restartProbes(conn.index);
    void this.watchLevel(conn);
    void this.checkPartners(conn);
    // A switch of endpoint goes on from a connected server (make before break): connected at once.
    if (switchReason !== null) conn.published = true;
    if (conn.published) this.proven(conn, switchReason === null);
  }

  /** The seam of a switch from `previous` (failover-seam.ts), judged first on all the values the new endpoint brought while subscribing. */
  private openSeam(conn: Conn, previous: Conn | null, held: readonly AcquiredSample[]): void {
    const skew = clockSkew(previous?.subs?.serverClock, conn.subs?.serverClock);
    const seam = new Seam(this.tags.map((t) => t.name), skew);
    seam.notice(held, this.handedOn);
    conn.seam = seam;
    if (skew.ms === 0) return;
    this.ctx.logger.info({ server: this.server.id, from: previous?.endpoint, to: conn.endpoint, skewMs: skew.ms, marginMs: skew.marginMs, shiftMs: seam.shiftMs },
      seam.shiftMs === 0
        ? 'switched between endpoints whose clocks differ; their stamps are one source\'s (a value repeated exactly): compared as they are at the seam'
        : 'switched between endpoints whose clocks differ: the new one\'s stamps are compared shifted by the difference at the seam, so that no value is lost or handed on twice');
  }

  /**
   * The connection's first publish (data or keep-alive): the server is connected now, and a new
   * connection (not a switch) closes the open gaps, fills them and resets the reconnection's backoff.
   */
  private proven(conn: Conn, connected: boolean): void {
    this.setState('connected', null, { endpoint: conn.endpoint, security: conn.open!.security as NegotiatedSecurity });
    if (!connected) return;
    this.maintenanceTold = null;
    this.retryDelay = this.ctx.retryMs ?? 500;
    this.identityDelay = null;
    this.backfillRetryDelay = backfillRetry.firstMs;
    this.startBackfill(conn, true);
  }

  /** An engineer rejected this certificate: a connection made with it ends now, and the next attempt is refused. */
  certificateRejected(thumbprint: string): void {
    const conn = this.conn;
    if (conn?.open?.serverThumbprint === thumbprint) this.lost(conn, 'server certificate rejected by an engineer');
  }

  /** Tries at once instead of waiting out the backoff (e.g. a certificate was just trusted). */
  retryNow(): void {
    if (this.conn || this.stopped || !this.retryTimer) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryDelay = this.ctx.retryMs ?? 500;
    void this.connect();
  }

  /**
   * Every endpoint is in maintenance (ServiceLevel 0, Part 4 §6.6.2.4.2: not to be reconnected to
   * often): the next attempt waits for the first one's next look (its EstimatedReturnTime, bounded),
   * the server shown lost (or connecting) with its cause meanwhile; said in the log once per return
   * time. A standby a probe sees usable meanwhile ends the wait (restartProbes).
   */
  private awaitMaintenance(now: number): void {
    const next = Math.min(...this.health.map((h) => h.maintenanceNextAt ?? Infinity));
    const told = JSON.stringify(this.health.map((h) => h.estimatedReturn ?? null));
    if (told !== this.maintenanceTold) {
      this.maintenanceTold = told;
      this.ctx.logger.warn({
        server: this.server.id, reconnectInMs: next - now,
        estimatedReturn: this.health.map((h) => ({ endpoint: h.url, at: isoOrNull(h.estimatedReturn) })),
      }, 'every endpoint of the server is in maintenance (ServiceLevel 0): reconnecting less often, not before its EstimatedReturnTime; the server stays lost meanwhile');
    }
    this.maintenanceWaiting = true;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, next - now);
  }

  private retry(err?: unknown): void {
    if (this.stopped) return;
    if (err instanceof IdentityRefusedError) return this.retryIdentity(err);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, this.ctx.maxRetryMs ?? 4000);
  }

  /**
   * The server refused the user identity: the same credential again only after identityRetry's
   * wait (each attempt is a failed login towards the account's lockout), another one at once: the
   * credential is read again (hashed) every ordinary retry period meanwhile.
   */
  private retryIdentity(err: IdentityRefusedError): void {
    const delay = this.identityDelay === null ? identityRetry.firstMs : Math.min(this.identityDelay * 2, identityRetry.maxMs);
    this.identityDelay = delay;
    const at = Date.now() + delay;
    const checkMs = this.ctx.maxRetryMs ?? 4000;
    this.ctx.logger.warn({ server: this.server.id, status: err.status, retryInS: delay / 1000 },
      'the server refused the user identity: the same one is tried again only after this wait, so that the account is not locked; a changed password or certificate is tried at once');
    const tick = (): void => {
      const self = this.retryTimer;
      if (this.stopped) return;
      if (Date.now() >= at) {
        this.retryTimer = null;
        return void this.connect();
      }
      void credentialOf(this.server.identity, this.ctx.dataDir).then((now) => {
        // Stopped, or retryNow took over meanwhile.
        if (this.stopped || this.retryTimer !== self) return;
        if (now !== null && now !== err.credential) {
          this.retryTimer = null;
          this.ctx.logger.info({ server: this.server.id }, 'the user identity\'s password or certificate changed: trying it now');
          return void this.connect();
        }
        this.retryTimer = setTimeout(tick, Math.max(0, Math.min(checkMs, at - Date.now())));
      });
    };
    this.retryTimer = setTimeout(tick, Math.min(checkMs, delay));
  }

  // --- data ------------------------------------------------------------------

  /** Called a tick after a publish response arrived (subscription.ts flush): now is its receipt time. */
  private deliver(conn: Conn, samples: AcquiredSample[]): void {
    this.pass(conn, this.units.vet(conn.unitHold, samples, (name) => this.tagNamed(name)));
    const changed = samples.filter((x) => (x.status & SemanticsChanged) !== 0 && this.sourceState.hasStates(x.tag));
    if (changed.length) this.rereadStates(conn, changed.map((x) => x.tag));
    void this.rereadUnits(conn);
  }

  /** Values received now: held while the connection subscribes, handed on once it is live. */
  private pass(conn: Conn, samples: AcquiredSample[]): void {
    if (conn.state === 'buffering') conn.buffer.push({ samples, at: Date.now() });
    else if (conn.state === 'live') this.emit(conn.seam ? conn.seam.take(samples, this.handedOn) : samples);
  }

  private tagNamed(name: string): TagConfigEntry | undefined {
    return this.tags.find((t) => t.name === name);
  }

  /**
   * The watched tags among these (analog, a unit or range configured) have their values held from
   * now until their units are read; the read starts at once, beside whatever the connection does
   * next (subscribing): only these tags wait for it, and only as long as the read takes. Until then
   * they show what they showed (the loss marker after a reconnection, nothing yet at start), never a
   * value of units not confirmed. The other tags are not held.
   */
  private confirmUnits(conn: Conn, tags: readonly TagConfigEntry[]): void {
    const names = tags.filter(unitsWatched).map((t) => t.name);
    if (names.length === 0) return;
    conn.unitHold.confirm(names);
    void this.rereadUnits(conn);
  }

  /**
   * Reads the EngineeringUnits and EURange of the tags held for it (confirmUnits, or a value that
   * came with SemanticsChanged), one batched read at a time per connection; their held values then
   * go on, marked when the units contradict the config (engineering-units.ts). A read that fails
   * keeps them held and is tried again (unitsRead); while the connection still subscribes, what is
   * read waits for it to go live (goLive).
   */
  private async rereadUnits(conn: Conn): Promise<void> {
    const hold = conn.unitHold;
    if (hold.reading || hold.toRead.size === 0) return;
    hold.reading = true;
    try {
      while (hold.toRead.size > 0 && conn.state !== 'dead' && conn.open) {
        const names = [...hold.toRead];
        hold.toRead.clear();
        let read: Map<string, ServerUnits | null>;
        try {
          read = await this.readUnits(conn, names);
        } catch (err) {
          for (const n of names) hold.toRead.add(n);
          const pauseMs = this.unitsReadFailed(conn, err as Error);
          if (pauseMs === null) return;
          await new Promise((resolve) => setTimeout(resolve, pauseMs).unref());
          continue;
        }
        hold.failures = 0;
        if (conn.state === 'buffering') for (const [name, units] of read) hold.early.set(name, units);
        else if (conn.state === 'live') this.settleUnits(conn, read);
      }
    } catch (err) {
      this.ctx.logger.error({ server: this.server.id, err: (err as Error).message }, 'could not settle the engineering units read');
    } finally {
      hold.reading = false;
    }
  }

  /** After a failed read: the pause before reading again, or null when the connection is gone or given up. */
  private unitsReadFailed(conn: Conn, err: Error): number | null {
    if (conn.state === 'dead' || this.stopped) return null;
    const hold = conn.unitHold;
    hold.failures++;
    const where = { server: this.server.id, endpoint: conn.endpoint, tags: hold.toRead.size, attempt: hold.failures, err: err.message };
    if (hold.failures >= unitsRead.attempts) {
      this.ctx.logger.warn(where, 'could not read the tags\' engineering units: the connection is made again (their values were held, never shown in units not confirmed)');
      this.lost(conn, 'connection lost');
      return null;
    }
    this.ctx.logger.warn(where, 'could not read the tags\' engineering units: their values are held and the read is tried again');
    return unitsRead.retryMs * 2 ** (hold.failures - 1);
  }

  /** Per tag, its server's units now (null: not acquired on this connection); a failed request throws. */
  private async readUnits(conn: Conn, names: readonly string[]): Promise<Map<string, ServerUnits | null>> {
    const out = new Map<string, ServerUnits | null>(names.map((n) => [n, null]));
    const tags = names.flatMap((n) => conn.acquired.get(n) ?? []);
    if (tags.length === 0 || !conn.open || !conn.limits) return out;
    const units = await readServerUnits(conn.open.session, tags.map((t) => coerceNodeId(t.nodeId)), conn.limits);
    tags.forEach((t, i) => out.set(t.name, units[i]!));
    return out;
  }

  /** The connection (or one subscription of it) ended: values held for their units are not handed on (discard). */
  private dropUnconfirmed(conn: Conn, only?: ReadonlySet<string>): void {
    const dropped = this.units.discard(conn.unitHold, only);
    if (dropped > 0) {
      this.ctx.logger.info({ server: this.server.id, endpoint: conn.endpoint, values: dropped },
        'values not handed on: their connection ended before their engineering units were read (backfill reads them again after the next check)');
    }
  }

  private settleUnits(conn: Conn, read: Map<string, ServerUnits | null>): void {
    // By name once: a connection settles every analog tag at once, 10,000 of them on a large server.
    const byName = new Map(this.tags.map((t) => [t.name, t]));
    const { released, differ, match } = this.units.settle(conn.unitHold, read, (name) => byName.get(name));
    this.pass(conn, released);
    // A tag found differing with no value to carry it (its config edited, its value steady): marked
    // now, so neither the screen nor the archive goes on showing its last value as good.
    const carried = new Set(released.map((s) => s.tag));
    const now = Date.now();
    this.pass(conn, differ.filter((n) => !carried.has(n)).map((tag) => ({ tag, t: now, value: null, status: BadConfigurationError })));
    for (const name of differ) {
      const tag = this.tagNamed(name)!;
      const units = this.units.differs(name)!;
      this.sourceState.mark(name, unitsIssue(tag, units));
      this.ctx.logger.warn({ server: this.server.id, tag: name, nodeId: tag.nodeId, serverUnits: unitsText(units), configured: unitsText(tag) },
        'the server changed a tag\'s engineering units or range: its values are marked BadConfigurationError until its unit and range in the config match the server\'s again');
    }
    for (const name of match) this.unitsMatch(name, 'the server\'s engineering units match the tag\'s config again: its values are acquired as good');
  }

  /** The config changed: tags whose units differed judged again against what their server said. */
  private reconsiderUnits(renoded: readonly string[]): void {
    const { match, differ } = this.units.reconsider(this.tags, renoded);
    for (const name of differ) this.sourceState.mark(name, unitsIssue(this.tagNamed(name)!, this.units.differs(name)!));
    for (const name of match) this.unitsMatch(name, 'the tag\'s config now matches its server\'s engineering units: its values are acquired as good');
  }

  private unitsMatch(name: string, message: string): void {
    this.sourceState.unmark(name);
    this.ctx.logger.info({ server: this.server.id, tag: name }, message);
  }

  /**
   * A value came with SemanticsChanged: the names of its enumeration may have changed (an online
   * change renumbered a valve's states). They are read again and the console shows the new ones;
   * kept from the connection, 0 went on reading "Open" while the server's 0 had become "Closed".
   */
  private rereadStates(conn: Conn, names: readonly string[]): void {
    // One read queued at a time: a server setting the bit on every value is not asked at every publish.
    const queued = this.statesToReread.size > 0;
    for (const n of names) this.statesToReread.add(n);
    if (queued) return;
    let pending: string[] = [];
    this.work = this.work.then(async () => {
      pending = [...this.statesToReread];
      this.statesToReread.clear();
      if (conn.state !== 'live' || !conn.types) return;
      const tags = pending.flatMap((n) => conn.acquired.get(n) ?? []);
      conn.types.forgetStates();
      const results = await conn.types.read(tags.map((t) => coerceNodeId(t.nodeId)));
      const checked: CheckedTags = { accepted: [], refused: [], types: new Map() };
      tags.forEach((t, i) => {
        const r = results[i]!;
        if (!r.ok) return;
        checked.types.set(t.name, r.type);
        checked.accepted.push(t);
      });
      this.ctx.logger.info({ server: this.server.id, tags: checked.accepted.map((t) => t.name) }, 'a value came with SemanticsChanged: its enumeration names read again');
      this.publishCheck(conn, checked);
      conn.statesDelay = typeRetry.firstMs;
    }).catch((err: Error) => {
      // Read again after a wait that doubles (typeRetry): else the old names stood until the next SemanticsChanged or reconnection.
      const delay = conn.statesDelay;
      conn.statesDelay = Math.min(delay * 2, typeRetry.maxMs);
      this.ctx.logger.warn({ server: this.server.id, err: err.message, retryInMs: delay }, 'could not read the enumeration names again after SemanticsChanged: read again after this wait');
      setTimeout(() => {
        if (conn.state === 'live' && !this.stopped && this.conn === conn) this.rereadStates(conn, pending.filter((n) => conn.acquired.has(n)));
      }, delay).unref();
    });
  }

  /**
   * Hands samples on, received at receivedAt; after a loss, see afterLoss. Per tag, times only go
   * forward: a value not newer than the tag's last one (no timestamps or coarse ones, several
   * queued values of one publish; a status change stamped at or before the last value; a server
   * clock a little behind after a re-dated value) is placed 1 ms after it, in arrival order. A
   * value dated before the last would leave the newest one (a failure) hidden in the archive, and
   * two at one time would lose one.
   */
  private emit(samples: AcquiredSample[], receivedAt = Date.now()): void {
    if (samples.length === 0) return;
    // After a loss only: one lookup a sample saved in steady state.
    const recovering = this.lossAt.size > 0;
    for (const s of samples) {
      // The first value after a loss: what its queue lost lies in the loss's gap.
      const resuming = recovering && this.lossAt.has(s.tag);
      if (recovering && s.status !== BadNoCommunication) this.afterLoss(s, receivedAt);
      const last = this.lastT.get(s.tag);
      if (last !== undefined && s.t <= last) s.t = last + 1;
      this.lastT.set(s.tag, s.t);
      this.lastStatus.set(s.tag, s.status);
      this.lastValue.set(s.tag, s.value);
      const given = givenStampOf(s);
      if (given === undefined) this.lastGiven.delete(s.tag);
      else this.lastGiven.set(s.tag, given);
      if (last !== undefined && !resuming && !s.marker && s.overflow === true) this.queueHole(s.tag, last, s.t);
    }
    this.ctx.onSamples(samples);
  }

  // --- values lost while the server stayed up (lost-values.ts) -------------------

  /** The server's queue discarded values of this tag between its value at `from` and the one at `to` (which carries the Overflow bit). */
  private queueHole(tag: string, from: number, to: number): void {
    this.queueHoles.add(tag, from, to, Date.now());
    if (this.holesTimer !== null) return;
    const check = (): void => {
      this.holesTimer = null;
      if (this.queueHoles.due(Date.now())) return this.writeHoles(this.conn);
      this.holesTimer = setTimeout(check, overflowLedger.settleMs);
    };
    this.holesTimer = setTimeout(check, overflowLedger.settleMs);
  }

  /** The queue holes gathered, as one closed gap of the ledger, backfilled now when the connection is live (else at the next one). */
  private writeHoles(conn: Conn | null): void {
    if (this.holesTimer !== null) clearTimeout(this.holesTimer);
    this.holesTimer = null;
    const got = this.queueHoles.take();
    if (!got) return;
    const tags = new Set(got.holes.keys());
    const gap = this.recordLoss(got.from, got.to, QUEUE_OVERFLOW, conn, tags, got.after, got.holes);
    this.ctx.logger.warn({ server: this.server.id, gap: gap.id, tags: [...tags].slice(0, 10), count: tags.size, from: new Date(got.from).toISOString(), to: new Date(got.to).toISOString() },
      'values lost in the server\'s queue (Overflow bit): the hole is in the gap ledger, filled from the server\'s history where it keeps one');
    if (conn?.state === 'live' && !this.stopped && this.server.backfill) this.startBackfill(conn, false);
  }

  /**
   * A closed gap of some tags (the server stayed up): in the ledger, to be backfilled for those tags
   * only (inside `holes` when given). Written with its scope in one transaction (and, with
   * `capacityWritten`, the capacity refusal it writes forgotten in it too).
   */
  private recordLoss(from: number, to: number, cause: string, conn: Conn | null, tags: Set<string>, after: Map<string, number>, holes: Holes | null, capacityWritten = false) {
    const scope = this.server.backfill ? { tags, after, holes } : null;
    const gap = this.ctx.ledger.recordGap(this.server.id, from, to, cause, conn?.endpoint ?? this.lastEndpoint, this.server.backfill ? 'pending' : 'off', scope, capacityWritten);
    if (scope) {
      this.gapTags.set(gap.id, tags);
      this.gapAfter.set(gap.id, after);
      if (holes) this.gapHoles.set(gap.id, holes);
    }
    return gap;
  }

  /** Tags refused for the server's capacity now (their refusal archived at `at`): no value of theirs comes until the retry takes them. */
  private capacityRefused(names: readonly string[], at: number, before: ReadonlyMap<string, number>): void {
    const loss = (this.capacityLoss ??= { from: at, after: new Map() });
    const added = new Map<string, number>();
    for (const n of names) {
      if (loss.after.has(n)) continue;
      loss.after.set(n, before.get(n) ?? -Infinity);
      added.set(n, loss.after.get(n)!);
    }
    // Kept on disk until its gap is written: a station killed meanwhile writes it at the next start (resumeGaps).
    if (added.size > 0) this.ctx.ledger.noteCapacityRefused(this.server.id, loss.from, added);
  }

  /**
   * The tags refused for capacity are all acquired (`to`: now), or the connection ends (`to`: the
   * loss's start, its own gap follows): their time without values goes to the ledger, backfilled
   * for them alone (now on a live connection, else at the next one).
   */
  private capacityRegained(conn: Conn, to: number): void {
    const loss = this.capacityLoss;
    if (!loss) return;
    this.capacityLoss = null;
    const tags = new Set(loss.after.keys());
    const after = new Map([...loss.after].filter(([, t]) => Number.isFinite(t)));
    const gap = this.recordLoss(loss.from, to, CAPACITY_REFUSED, conn, tags, after, null, true);
    this.ctx.logger.info({ server: this.server.id, gap: gap.id, tags: [...tags].slice(0, 10), count: tags.size },
      'tags the server had refused for its capacity: their time without values is in the gap ledger, filled from the server\'s history where it keeps one');
    if (conn.state === 'live' && !this.stopped && this.server.backfill) this.startBackfill(conn, false);
  }

  /**
   * A value that predates its tag's loss marker was read again, not changed: it is dated when it
   * arrived (after the marker, never later than its receipt). The values after it follow emit's rule.
   */
  private afterLoss(s: AcquiredSample, receivedAt: number): void {
    const marker = this.lossAt.get(s.tag);
    if (marker === undefined) return;
    if (s.t <= marker) s.t = Math.max(marker + 1, receivedAt);
    this.lossAt.delete(s.tag);
    this.resumedAt.set(s.tag, s.t);
  }

  /** `published`: a publish response (data or a keep-alive), not another answer of the server. */
  private evidence(conn: Conn, t: number, published: boolean): void {
    conn.lastEvidence = t;
    if (published && !conn.published) {
      conn.published = true;
      if (conn.state === 'live') this.proven(conn, true);
    }
    // Before its first publish a connection proves nothing: no heartbeat claims the server's data.
    if (conn.state !== 'live' || !conn.published) return;
    this.lastEvidence = t;
    if (t - this.lastBeat >= HEARTBEAT_MS) {
      this.lastBeat = t;
      this.ctx.ledger.heartbeat(this.server.id, t);
    }
  }

  private watch(): void {
    const conn = this.conn;
    if (!conn) return;
    if (Date.now() - this.lastEvidence > this.staleLimit(conn)) {
      this.lost(conn, 'no data or keep-alive from the server');
      return;
    }
    // Another subscription published when this one had been silent past its limit: the server lives, this subscription does not.
    for (const sub of conn.subs?.outlived(this.lastEvidence) ?? []) {
      this.subscriptionLost(conn, sub, SUBSCRIPTION_TERMINATED, 'no data or keep-alive on this subscription while the server answered on another');
    }
  }

  /**
   * staleAfterMs, or three of the keep-alive periods the server granted when it revised them longer
   * (a 2 s minimum publishing interval): a quiet server is not a lost one (subscription.ts warns).
   */
  private staleLimit(conn: Conn): number {
    return Math.max(this.server.staleAfterMs, 3 * (conn.subs?.longestKeepAliveMs ?? 0));
  }

  // --- loss ------------------------------------------------------------------

  /**
   * One subscription died while the session lives (the server deleted it, its lifetime expired,
   * it was transferred away): its tags are marked lost at its last evidence, the gap goes to the
   * ledger (with a cause the console words; the group and the server's detail go to the log), and
   * the tags are subscribed again on this session. A failure to do so is a loss of the connection
   * (reconnection subscribes everything again).
   */
  private subscriptionLost(conn: Conn, sub: Sub, cause: SubscriptionCause, detail: string): void {
    if (conn.state === 'dead' || this.stopped || sub.gone) return;
    // A connection still subscribing: its connect() sees the failure and starts again.
    if (conn.state === 'buffering') return this.lost(conn, cause);
    conn.subs!.flush();
    const dropped = conn.subs!.drop(sub);
    const from = Math.min(dropped.lastEvidence, Date.now());
    const names = new Set(dropped.tags.map((t) => t.name));
    this.dropUnconfirmed(conn, names);
    const lost = this.tags.filter((t) => names.has(t.name));
    const after = this.lastValues(lost);
    this.emit(this.markers(lost, from));
    const gap = this.ctx.ledger.openGap(this.server.id, from, cause, conn.endpoint, { tags: names, after, holes: null });
    this.gapTags.set(gap.id, names);
    this.gapAfter.set(gap.id, after);
    const last = this.remade.get(dropped.group);
    const waitMs = last && Date.now() - last.at < resubscribe.stableMs ? Math.min(Math.max(2 * last.waitMs, resubscribe.firstMs), resubscribe.maxMs) : 0;
    this.ctx.logger.warn({
      server: this.server.id, endpoint: conn.endpoint, group: dropped.group, cause, reason: detail, tags: names.size, gap: gap.id, lastEvidence: new Date(from).toISOString(),
      resubscribeInMs: waitMs,
    }, 'subscription lost');
    this.resubscribeAfter(conn, dropped, gap.id, names, waitMs);
  }

  private resubscribeAfter(conn: Conn, dropped: DroppedSubscription, gapId: number, names: ReadonlySet<string>, waitMs: number): void {
    if (waitMs === 0) return this.subscribeAgain(conn, dropped, gapId, names, waitMs);
    const timer = setTimeout(() => {
      this.resubscribeTimers.delete(timer);
      this.subscribeAgain(conn, dropped, gapId, names, waitMs);
    }, waitMs);
    this.resubscribeTimers.add(timer);
  }

  /** The tags of a subscription the server ended, subscribed again on the same connection (subscriptionLost). */
  private subscribeAgain(conn: Conn, dropped: DroppedSubscription, gapId: number, names: ReadonlySet<string>, waitMs: number): void {
    this.work = this.work.then(async () => {
      // A reconnection meanwhile closes the gap and subscribes everything again.
      if (conn.state !== 'live' || this.stopped) return;
      // As acquired now: a config change meanwhile may have removed or replaced some.
      const again = dropped.tags.flatMap((t) => conn.acquired.get(t.name) ?? []);
      // New items get no SemanticsChanged for units changed while none watched (an online change that ended the subscription).
      this.confirmUnits(conn, again);
      // Made again from here: a server ending it again once its items are made, or while the keep-alive
      // is asked for, waits longer (subscriptionLost reads this). Set after the items, a loss told in the
      // turn between their answer and this code found the wait before (the same wait twice, a CI run).
      // Ended before its items were made, the catch below sets the longer wait itself.
      this.remade.set(dropped.group, { at: Date.now(), waitMs });
      await conn.subs!.add(again);
      await conn.subs!.keepAlive();
      if (conn.state !== 'live' || this.stopped) return;
      this.ctx.ledger.closeGap(gapId, Date.now(), this.server.backfill ? 'pending' : 'off');
      if (!this.server.backfill) this.gapTags.delete(gapId);
      this.ctx.logger.info({ server: this.server.id, group: dropped.group, tags: names.size }, 'subscription made again');
      this.startBackfill(conn, false);
    }).catch((err: Error) => {
      // The server ended the new subscription before its items were made: the session lives, so that
      // subscription alone is made again, after a wait that doubles; its gap stays open meanwhile.
      // Before, the whole server was made again: every group's tags lost, the session thrown away.
      if (err instanceof SubscriptionEndedError && conn.state === 'live' && !this.stopped) {
        const next = Math.min(Math.max(2 * waitMs, resubscribe.firstMs), resubscribe.maxMs);
        this.remade.set(dropped.group, { at: Date.now(), waitMs: next });
        this.ctx.logger.warn({ server: this.server.id, endpoint: conn.endpoint, group: dropped.group, cause: err.lossCause, reason: err.detail, gap: gapId, resubscribeInMs: next },
          'subscription ended by the server while its monitored items were being made: made again');
        return this.resubscribeAfter(conn, dropped, gapId, names, next);
      }
      this.ctx.logger.warn({ server: this.server.id, group: dropped.group, err: err.message }, 'could not subscribe the group again: reconnecting');
      this.lost(conn, 'connection lost');
    });
  }

  private lost(conn: Conn, reason: string): void {
    if (conn.state === 'dead' || this.stopped) return;
    const wasLive = conn.state === 'live';
    // What arrived before the loss goes first, so nothing good lands after the loss marker.
    if (wasLive) {
      conn.subs?.flush();
      this.dropUnconfirmed(conn);
    }
    conn.state = 'dead';
    if (!wasLive) return; // a connection still subscribing: its connect() sees the failure
    this.conn = null;
    if (!conn.published) return this.neverPublished(conn, reason);
    // The next connection reads every unfinished gap anyway.
    this.cancelBackfillRetry();
    this.markLoss(conn, reason);
    this.ctx.logger.warn({ server: this.server.id, endpoint: conn.endpoint, reason, lastEvidence: new Date(this.lastEvidence).toISOString() }, 'server lost');
    this.setState('lost', reason, { security: null });
    this.ctx.onSession(null);
    if (this.health.length > 1 && !this.leftForLevel(conn, reason)) observe(this.health[conn.index]!, false, null, this.policy, Date.now());
    void this.dispose(conn).then(() => this.retry());
  }

  /**
   * A connection lost before its first publish: the loss its server was in goes on (no second
   * marker, no new gap: the open one was never closed), and the next attempt waits longer.
   */
  private neverPublished(conn: Conn, reason: string): void {
    this.ctx.logger.warn({ server: this.server.id, endpoint: conn.endpoint, reason }, 'server lost before it published anything since subscribing');
    this.setState(this.state.state === 'lost' ? 'lost' : 'connecting', new NeverPublishedError(reason), { security: null });
    this.ctx.onSession(null);
    if (this.health.length > 1 && !this.leftForLevel(conn, reason)) observe(this.health[conn.index]!, false, null, this.policy, Date.now());
    void this.dispose(conn).then(() => this.retry());
  }

  /** Left for its Failed level (considerSwitch): it answers, and what it said (maintenance, its return time) stays shown. */
  private leftForLevel(conn: Conn, reason: string): boolean {
    const level = this.health[conn.index]!.serviceLevel;
    return level !== null && failedLevel(level) && reason === failedLevelCause(level);
  }

  /** Every acquired tag bad from the last evidence of the server; the gap opens in the ledger. */
  private markLoss(conn: Conn, cause: string): void {
    const now = Date.now();
    const from = Math.min(this.lastEvidence || now, now);
    // Values lost before it, on the connection that ends: their own entries, filled at the next connection.
    this.writeHoles(conn);
    this.capacityRegained(conn, from);
    const after = this.lastValues(this.tags);
    this.emit(this.markers(this.tags, from));
    // The scope (each tag's last value before) in the gap's own transaction: a run killed before its
    // backfill would leave the next one reading every tag from the gap's start.
    const gap = this.ctx.ledger.openGap(this.server.id, from, cause, conn.endpoint, { tags: null, after, holes: null });
    this.gapAfter.set(gap.id, after);
  }

  /** Per tag, the time of its last value handed on (before a loss marker follows it). */
  private lastValues(tags: readonly TagConfigEntry[]): Map<string, number> {
    const out = new Map<string, number>();
    for (const t of tags) {
      const last = this.lastT.get(t.name);
      if (last !== undefined) out.set(t.name, last);
    }
    return out;
  }

  /**
   * Loss markers for these tags from `from`, each kept for the tag's first value after it (afterLoss).
   * A tag the lost connection refused is marked too: another endpoint may serve it after the loss,
   * and the outage is no more its refusal's than any other tag's; a reconnection that refuses it
   * again archives the refusal again (refuse).
   */
  private markers(tags: readonly TagConfigEntry[], from: number): AcquiredSample[] {
    const markers: AcquiredSample[] = [];
    for (const tag of tags) {
      // After the tag's last value, which sourceTime keeps within AHEAD_TOLERANCE_MS of the station's
      // clock: a marker before a value stamped a little ahead would leave that value Good through the outage.
      const t = Math.max(from, (this.lastT.get(tag.name) ?? -Infinity) + 1);
      markers.push({ tag: tag.name, t, value: null, status: BadNoCommunication, marker: true });
      this.lossAt.set(tag.name, t);
    }
    return markers;
  }

  /**
   * At start: gaps left open by the last run (the station stopped) are backfilled at the first
   * connection. A run that ended without stopping (killed, power cut) left only its heartbeat and
   * the archive's commit mark: the loss is archived from what the archive last committed (not
   * after the last heartbeat), and each tag's history read from its newest committed value.
   */
  private resumeGaps(): void {
    const { ledger } = this.ctx;
    // What the last run knew of its gaps not yet backfilled: which tags, from when, which holes.
    for (const [id, scope] of ledger.scopes(this.server.id)) {
      if (scope.tags) this.gapTags.set(id, scope.tags);
      if (scope.after.size > 0) this.gapAfter.set(id, scope.after);
      if (scope.holes) this.gapHoles.set(id, scope.holes);
    }
    const open = ledger.openGaps(this.server.id);
    const beat = ledger.lastHeartbeat(this.server.id);
    // Tags refused for the server's capacity when the last run was killed: their gap was never written.
    const refusedLeft = ledger.capacityRefusedLeft(this.server.id);
    if (open.length === 0 && beat !== null) {
      // The last time the station is known to have seen the server: a later start would hold its
      // last values Good over time it may not have lived through (its archive's cyclic records too).
      // What was received and not committed died with the station: minutes of it when the disk was full.
      const mark = readCommittedMark(this.ctx.dataDir, this.ctx.logger);
      const from = Math.min(Date.now(), beat, mark?.at ?? beat);
      this.lastEvidence = from;
      // A tag never committed reads as far back as a gap ever does (backfill.ts EDGE_MS).
      // A tag refused for capacity before `from` is read from `from` on: before lies in its own gap (below).
      const refusedBefore = (tag: string) => refusedLeft !== null && refusedLeft.from < from && refusedLeft.after.has(tag);
      const after = (tag: string) => (refusedBefore(tag) ? from : mark ? (mark.tags[tag] ?? -Infinity) : from - CRASH_EDGE_MS);
      const starts = new Map(this.tags.map((t) => [t.name, after(t.name)]));
      const gap = ledger.openGap(this.server.id, from, 'station stopped without closing', null, { tags: null, after: starts, holes: null });
      open.push(gap);
      this.gapAfter.set(gap.id, starts);
      this.emit(this.tags.map((t) => ({ tag: t.name, t: from, value: null, status: BadNoCommunication, marker: true as const })));
    }
    const since = open[0]?.from;
    if (refusedLeft) this.capacityLeft(refusedLeft, since ?? Date.now());
    if (since === undefined) return;
    for (const t of this.tags) {
      this.lossAt.set(t.name, Math.max(since, this.lossAt.get(t.name) ?? since));
      // Watched up to the gap, which the backfill fills: a first value stamped in it keeps its
      // stamp (so the backfill, reading up to it, does not archive it a second time), not the
      // time of this run's subscription.
      if (!this.acquiredSince.has(t.name)) this.acquiredSince.set(t.name, since);
    }
  }

  /**
   * A capacity refusal the last run left unwritten (it was killed): the refused tags' time without
   * values, from their refusal to the loss that run's end opened (`to`), goes to the ledger as the
   * run would have written it, backfilled for those tags at the first connection.
   */
  private capacityLeft(left: { from: number; after: Map<string, number> }, to: number): void {
    const tags = new Set([...left.after.keys()].filter((n) => this.tags.some((t) => t.name === n)));
    if (to <= left.from || tags.size === 0) {
      this.ctx.ledger.clearCapacityRefused(this.server.id);
      return;
    }
    const after = new Map([...left.after].filter(([n, t]) => tags.has(n) && Number.isFinite(t)));
    const gap = this.recordLoss(left.from, to, CAPACITY_REFUSED, null, tags, after, null, true);
    this.ctx.logger.warn({ server: this.server.id, gap: gap.id, tags: [...tags].slice(0, 10), count: tags.size, from: new Date(left.from).toISOString(), to: new Date(to).toISOString() },
      'tags the server refused for its capacity when the station stopped without closing: their time without values is in the gap ledger, filled from the server\'s history where it keeps one');
  }

  /**
   * Closes the open gaps when a connection goes live (`closeOpen`), then fills what is unfinished;
   * one run after another, so two never read the same gap.
   */
  private startBackfill(conn: Conn, closeOpen: boolean): void {
    const { ledger } = this.ctx;
    if (closeOpen) {
      const now = Date.now();
      for (const gap of ledger.openGaps(this.server.id)) {
        ledger.closeGap(gap.id, now, this.server.backfill ? 'pending' : 'off');
        if (!this.server.backfill) this.gapTags.delete(gap.id);
      }
    }
    this.backfilling = this.backfilling.then(() => this.backfill(conn)).catch((err: Error) =>
      this.ctx.logger.error({ server: this.server.id, err: err.message }, 'backfill stopped by an error'))
      .then(() => this.scheduleBackfillRetry());
  }

  /**
   * After a run: gaps it left pending on a connection still up (the archive did not take their
   * values, or the server did not answer for now) are read again after backfillRetry.firstMs,
   * the wait doubling up to maxMs while some stay pending. The server still holds their history:
   * without this they waited for the next connection or start, days on a link that stays up.
   * The retry joins the chain of runs (startBackfill), so two never run at once.
   */
  private scheduleBackfillRetry(): void {
    this.cancelBackfillRetry();
    const conn = this.conn;
    if (this.stopped || !this.server.backfill || conn?.state !== 'live') return;
    const pending = this.ctx.ledger.unfinishedBackfills(this.server.id);
    if (pending.length === 0) {
      this.backfillRetryDelay = backfillRetry.firstMs;
      return;
    }
    const delay = this.backfillRetryDelay;
    this.backfillRetryDelay = Math.min(delay * 2, backfillRetry.maxMs);
    this.ctx.logger.info({ server: this.server.id, gaps: pending.map((g) => g.id), retryInMs: delay }, 'gaps left pending: their backfill is tried again');
    this.backfillRetryTimer = setTimeout(() => {
      this.backfillRetryTimer = null;
      // The connection now, not the one of the run: a switch of endpoint keeps the server up.
      const live = this.conn;
      if (!this.stopped && live?.state === 'live') this.startBackfill(live, false);
    }, delay);
  }

  private cancelBackfillRetry(): void {
    if (this.backfillRetryTimer) clearTimeout(this.backfillRetryTimer);
    this.backfillRetryTimer = null;
  }

  private async backfill(conn: Conn): Promise<void> {
    const { ledger, logger } = this.ctx;
    if (!this.server.backfill) return;
    for (const gap of ledger.unfinishedBackfills(this.server.id)) {
      if (conn.state !== 'live' || this.stopped) return;
      const only = this.gapTags.get(gap.id);
      const tags = this.tags
        .filter((t) => (!only || only.has(t.name)) && this.sourceState.historyReadable(t.name) && !this.sourceState.isRefused(t.name))
        .flatMap((t) => conn.acquired.get(t.name) ?? []);
      if (tags.length === 0) {
        ledger.setBackfill(gap.id, 'unsupported', 0, 'the server keeps no history of these variables');
        this.gapTags.delete(gap.id);
        continue;
      }
      ledger.setBackfill(gap.id, 'running', 0, null);
      try {
        await this.firstValues(conn, tags);
        await this.unitsConfirmed(conn);
        if (this.interrupted(conn, gap.id)) return;
        // History is dated by the server's clock, the gap by the station's: with the server's clock
        // seen off, its history would be archived at the wrong times (old values as good in the gap)
        // or missed. Not filled, and said so, rather than misdated. The clock as measured now decides
        // too: the first live value after a reconnection proves nothing (an item's current value)
        // and the backfill runs before the next, and values late while it was unmeasurable proved
        // nothing either. Not while a step back waits for a measure (the last one predates it).
        const measure = conn.subs && !conn.subs.clockInDoubt ? conn.subs.serverClock : null;
        const off = measure ? clockOff(measure) : null;
        const recent = (f: typeof this.clockFault) => (f !== null && f.at >= gap.from - CLOCK_FAULT_MEMORY_MS ? f : null);
        const published = await this.publishTimeFaultStands(conn, gap.id, recent(this.publishTimeFault));
        if (this.interrupted(conn, gap.id)) return;
        // A device's stamp ahead was its tag's while the server's clock was measured right; with no
        // measure now, or one in doubt, nothing tells it from the server's clock: refused as before.
        const devices = [...this.devicesAhead].filter(([, d]) => d.at >= gap.from - CLOCK_FAULT_MEMORY_MS);
        const device = devices.length > 0 && measure === null
          ? { kind: 'ahead' as const, byMs: Math.max(...devices.map(([, d]) => d.byMs)), at: Math.max(...devices.map(([, d]) => d.at)) } : null;
        const stamped = recent(this.clockFault) ?? device ?? published;
        const fault = stamped !== null ? { ...stamped, by: 'stamps' }
          : measure && off ? { kind: off, byMs: off === 'behind' ? -measure.highMs : measure.lowMs, at: measure.at, by: 'measure' } : null;
        if (fault !== null) {
          ledger.setBackfill(gap.id, 'failed', 0, CLOCK_OFF_NOTE);
          logger.warn({ server: this.server.id, gap: gap.id, clock: fault.kind, byMs: fault.byMs, seen: new Date(fault.at).toISOString(), by: fault.by },
            'gap not backfilled: the server clock is off, its history would be dated wrong (set the server\'s or the station\'s clock right)');
          this.gapTags.delete(gap.id);
          this.gapAfter.delete(gap.id);
          this.gapHoles.delete(gap.id);
          continue;
        }
        // Values came late while the server gave no time to check its clock by (and it gives none
        // now): a slow link or a late backlog as likely as a clock behind. Its history is read, not
        // thrown away, and the gap says it is dated by a clock nobody could check (README). A
        // measure since, within tolerance (off refused above), checked it: no note.
        const unchecked = this.clockUnchecked !== null && this.clockUnchecked.at >= gap.from - CLOCK_FAULT_MEMORY_MS && !measure ? this.clockUnchecked : null;
        if (unchecked) {
          logger.warn({ server: this.server.id, gap: gap.id, lateByMs: unchecked.byMs, seen: new Date(unchecked.at).toISOString() },
            'gap backfilled with the server clock unchecked: it gives no time to measure it by (CurrentTime unset or Bad, no ServerTimestamp) and its values came late, a slow link or a clock behind; its history is dated by its own clock');
        }
        if (devices.length > 0) {
          logger.warn({ server: this.server.id, gap: gap.id, tags: devices.map(([tag]) => tag), aheadMs: Math.max(...devices.map(([, d]) => d.byMs)) },
            'gap backfilled although a device stamped values ahead before it: the server clock is measured right, so the device\'s clock is off, not the server\'s; those tags\' history is dated by its server timestamps');
        }
        const r = await readGap(conn.open!.session, tags, gap.from, gap.to!, conn.limits!.maxNodesPerHistoryReadData, this.gapAfter.get(gap.id), new Set(this.sourceState.stampsWrong.keys()));
        if (this.interrupted(conn, gap.id)) return;
        // GoodNoData from a server whose history begins after the gap's start (restarted meanwhile, or
        // an archive that reaches back no further) is no "nothing changed": its own word says how far.
        const unread = new Set([...r.refused, ...r.putOff].map((x) => x.tag));
        const historyFrom = await this.historyStartsAfter(conn, tags.filter((t) => !unread.has(t.name)), gap.from);
        if (this.interrupted(conn, gap.id)) return;
        // What came live after the gap is archived already. A tag whose server's units contradict
        // its config has its history marked too: which of it predates the change, nobody can say.
        // A gap of values lost while the server stayed up: only its holes (the values around came live).
        const holes = this.gapHoles.get(gap.id);
        const samples = r.samples.filter((x) => (holes ? inHoles(holes, x.tag, x.t) : x.t < (this.resumedAt.get(x.tag) ?? Infinity))).map((x) => this.units.mark(x));
        // Filled only once the archive committed them (a second; minutes while its disk is full): a
        // crash before loses them, and a gap marked done is never read again. Re-read is harmless.
        await this.whileLive(this.ctx.onBackfill(samples), conn);
        if (this.interrupted(conn, gap.id)) return;
        // A device ahead stamps its tags' history of the gap after the gap: the read found none of it, their markers stand.
        const aheadTags = devices.map(([tag]) => tag).filter((tag) => tags.some((t) => t.name === tag));
        const { entry, again } = this.gapRuns.ended(gap.id, r, samples.length, historyFrom, aheadTags,
          (tags) => ({ tags, after: this.gapAfter.get(gap.id) ?? new Map(), holes: this.gapHoles.get(gap.id) ?? null }));
        if (again) {
          // The others' values are archived; these tags alone are read again (scheduleBackfillRetry), also after a restart.
          this.gapTags.set(gap.id, again);
          logger.warn({ server: this.server.id, gap: gap.id, samples: samples.length, putOff: r.putOff },
            'backfill put off for some tags: the server did not answer their history read; read again while connected and at the next connection or start');
          continue;
        }
        // A note of the run's own (tags refused, history from later) says more; the log says the clock.
        if (unchecked && entry.note === null && entry.backfill === 'done') ledger.setBackfill(gap.id, 'done', entry.backfilledSamples, CLOCK_UNCHECKED_NOTE);
        logger.info({ server: this.server.id, gap: gap.id, samples: samples.length, state: entry.backfill, historyFrom: historyFrom === null ? undefined : new Date(historyFrom).toISOString() },
          'gap backfilled from the server history');
      } catch (err) {
        // A session closed under the read by a stop or a loss is no failure of the server's history.
        if (this.interrupted(conn, gap.id)) return;
        // The archive did not store the values: the gap is pending already (GapLedger.notArchived),
        // and acquisition.ts logged it; it is tried again (scheduleBackfillRetry), its tags kept.
        if (err instanceof BackfillRefused) continue;
        const passing = transientHistoryFailure(err);
        if (passing !== null) {
          this.gapRuns.notAnswered(gap.id);
          logger.warn({ server: this.server.id, gap: gap.id, status: passing, err: (err as Error).message },
            'backfill put off: the server did not answer its history read; the gap stays pending, retried while connected and at the next connection or start');
          continue;
        }
        ledger.setBackfill(gap.id, 'failed', 0, (err as Error).message);
        logger.warn({ server: this.server.id, gap: gap.id, err: (err as Error).message }, 'backfill failed');
      }
      this.gapTags.delete(gap.id);
      this.gapAfter.delete(gap.id);
      this.gapHoles.delete(gap.id);
    }
  }

  /**
   * When the server's history of these tags begins after the gap's start, by its archive starts and
   * its start time (archive-start.ts); null when it reaches back, or the server says nothing (a read
   * that fails is no reason to fail the backfill).
   */
  private async historyStartsAfter(conn: Conn, tags: readonly TagConfigEntry[], gapFrom: number): Promise<number | null> {
    if (tags.length === 0) return null;
    try {
      const evidence = await readArchiveStarts(conn.open!.session, tags, conn.limits!);
      return historyStartsAfter(evidence, tags.map((t) => t.name), gapFrom, new Set(this.sourceState.stampsWrong.keys()));
    } catch (err) {
      this.ctx.logger.debug({ server: this.server.id, err: (err as Error).message }, 'archive start not read (HistoricalDataConfiguration, ServerStatus.StartTime)');
      return null;
    }
  }

  /** Waits for `work` to end, or for a stop or a loss (interrupted() then leaves the gap pending). */
  private async whileLive(work: void | Promise<void>, conn: Conn): Promise<void> {
    let ended = false;
    let failure: unknown = null;
    void Promise.resolve(work).then(() => { ended = true; }, (err: unknown) => { failure = err ?? new Error('backfill not archived'); });
    while (!ended && failure === null && conn.state === 'live' && !this.stopped) await new Promise((r) => setTimeout(r, 50));
    if (failure !== null) throw failure;
  }

  /** Waits for this connection's check of units (confirmUnits): history is judged by what it found. */
  private async unitsConfirmed(conn: Conn): Promise<void> {
    while (conn.state === 'live' && !this.stopped && conn.unitHold.confirming.size > 0) await new Promise((r) => setTimeout(r, 50));
  }

  /** After a wait: a stop or a loss meanwhile leaves the gap pending for the next connection, its samples unwritten. */
  private interrupted(conn: Conn, gapId: number): boolean {
    if (conn.state === 'live' && !this.stopped) return false;
    const why = this.stopped ? 'station stopped' : 'connection lost';
    this.ctx.ledger.setBackfill(gapId, 'pending', 0, `${why} during the backfill: retried at the next connection`);
    return true;
  }

  /** Waits (a few publishing intervals at most) for each tag's first live value: what came live is not backfilled. */
  private async firstValues(conn: Conn, tags: readonly TagConfigEntry[]): Promise<void> {
    const slowest = Math.max(this.server.publishingIntervalMs, ...this.server.groups.map((g) => g.publishingIntervalMs ?? 0));
    const deadline = Date.now() + 3 * slowest + 1000;
    while (conn.state === 'live' && !this.stopped && Date.now() < deadline && tags.some((t) => this.lossAt.has(t.name))) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  // --- the server's clock ------------------------------------------------------

  /**
   * A publishTime seen ahead before a gap (`fault`), weighed at its backfill: the server's clock
   * measured now (server-clock.ts) within tolerance, both bounds, overrides it (one garbled
   * publishTime, a server bug, had every gap of the next quarter hour refused while the history the
   * server holds was dated right); a measure off, none the server gives, or a read that fails leaves
   * it standing (README "A server clock behind"). Null: no fault stands.
   */
  private async publishTimeFaultStands<F extends { at: number }>(conn: Conn, gapId: number, fault: F | null): Promise<F | null> {
    if (fault === null || !conn.open) return fault;
    let clock: ServerClock | null;
    try {
      clock = await measureServerClock(conn.open.session);
    } catch {
      return fault;
    }
    if (clock === null || clockOff(clock) !== null || conn.subs?.clockInDoubt) return fault;
    this.ctx.logger.warn({
      server: this.server.id, gap: gapId, seen: new Date(fault.at).toISOString(), offsetLowMs: clock.lowMs, offsetHighMs: clock.highMs, source: clock.source, node: clock.node,
    }, 'a publish time was ahead of the station clock before this gap, but the server clock measured now is right: the gap is backfilled (a garbled publish time, not a clock off)');
    return null;
  }

  /**
   * At connection: the server's clock against the station's, logged once with what it was measured
   * by (subscription.ts tells a slow link from a clock behind by it). A server that gives no usable
   * time (server-clock.ts), or a read that fails, leaves it unmeasured (its publishTimes decide):
   * not a reason to fail the connection.
   */
  private async measureClock(conn: Conn): Promise<ServerClock | null> {
    const where = { server: this.server.id, endpoint: conn.endpoint };
    try {
      const clock = await measureServerClock(conn.open!.session);
      if (clock) {
        this.ctx.logger.info({
          ...where, offsetMs: Math.round((clock.lowMs + clock.highMs) / 2), offsetLowMs: clock.lowMs, offsetHighMs: clock.highMs, roundTripMs: clock.roundTripMs,
          source: clock.source, node: clock.node,
        }, clock.source === 'CurrentTime' ? 'server clock measured (its CurrentTime, read with the round trip timed)'
          : 'server clock measured (its CurrentTime is unset or Bad: by the ServerTimestamp of a read, with the round trip timed)');
      } else {
        this.ctx.logger.warn(where, 'server clock not measured: it gives no usable time (CurrentTime unset or Bad, no ServerTimestamp on its reads); values late beyond a publish are judged by its publish times, and a gap after them is backfilled with its clock unchecked');
      }
      return clock;
    } catch (err) {
      this.ctx.logger.info({ ...where, err: (err as Error).message }, 'server clock not measured: reading its CurrentTime failed (values late beyond a publish are judged by its publish times)');
      return null;
    }
  }

  /**
   * Every CLOCK_CHECK_MS, and at once when a value's stamp went back (subscription.ts
   * onClockStepBack): measured again, one read at a time. A failed read keeps the last measure, and
   * a step back in doubt until a read succeeds (the next period, or the next step).
   */
  private async checkClock(conn: Conn | null = this.conn): Promise<void> {
    if (!conn?.open || !conn.subs || conn.state === 'dead') return;
    if (this.checkingClock) {
      this.clockCheckAgain ||= conn.subs.clockInDoubt;
      return;
    }
    this.checkingClock = true;
    const stepped = conn.subs.clockInDoubt;
    try {
      const startedAt = Date.now();
      const clock = await measureServerClock(conn.open.session);
      // A connection gone meanwhile takes it harmlessly: its subscriptions judge nothing more.
      conn.subs.clockMeasured(clock, startedAt);
      if (stepped && clock) {
        this.ctx.logger.info({ server: this.server.id, offsetMs: Math.round((clock.lowMs + clock.highMs) / 2), offsetLowMs: clock.lowMs, offsetHighMs: clock.highMs, roundTripMs: clock.roundTripMs, source: clock.source, node: clock.node },
          'server clock measured again after its stamps went back');
      }
    } catch (err) {
      this.ctx.logger.debug({ server: this.server.id, err: (err as Error).message }, 'server clock read failed');
    } finally {
      this.checkingClock = false;
    }
    if (this.clockCheckAgain) {
      this.clockCheckAgain = false;
      await this.checkClock(conn);
    }
  }

  // --- the server's own state ------------------------------------------------------

  /**
   * At connection: a server whose ServerStatus/State says it transfers no data (Failed,
   * NoConfiguration, Suspended) is refused as a failed connection, tried again as any. A read that
   * fails or gives no usable state does not fail the connection (the State is mandatory, but a
   * server that botches it still serves its values).
   */
  private async connectRunState(conn: Conn): Promise<void> {
    const askedAt = Date.now();
    let run: RunState;
    try {
      run = await readRunState(conn.open!.session);
    } catch (err) {
      this.ctx.logger.debug({ server: this.server.id, endpoint: conn.endpoint, err: (err as Error).message }, 'ServerStatus/State read failed');
      return;
    }
    if (noData(run.state)) throw new NotRunningError(conn.endpoint, run.state!);
    conn.runningAt = askedAt;
    this.tellRunState(conn, run);
  }

  /**
   * Every stateCheck.everyMs while live, one read at a time: a server that goes Failed,
   * NoConfiguration or Suspended keeps answering publishes with keep-alives, so only its State
   * tells that its values stopped being the plant's. It is lost then, dated when it left serving:
   * the State's SourceTimestamp when it lies between the last read that found it serving and now,
   * else that read's start (the values since are not the plant's either way).
   */
  private async checkRunState(): Promise<void> {
    const conn = this.conn;
    if (!conn?.open || conn.state !== 'live' || this.checkingState || this.stopped) return;
    this.checkingState = true;
    const askedAt = Date.now();
    try {
      const run = await readRunState(conn.open.session);
      // A switch under way goes on: the next period reads the endpoint it leaves for, if still needed.
      if (conn !== this.conn || conn.state !== 'live' || this.stopped || this.switching) return;
      if (!noData(run.state)) {
        conn.runningAt = askedAt;
        this.tellRunState(conn, run);
        if (run.state === UaState.Shutdown) this.leaveShuttingDown(conn);
        return;
      }
      const since = conn.runningAt ?? askedAt;
      const now = Date.now();
      const from = run.changedAt !== null && run.changedAt > since && run.changedAt <= now ? run.changedAt : since;
      this.lastEvidence = Math.min(this.lastEvidence, from);
      this.ctx.logger.error({ server: this.server.id, endpoint: conn.endpoint, state: stateName(run.state!), since: new Date(from).toISOString() },
        'the server reports a ServerState in which it transfers no data: lost from when it left serving, until it runs again');
      this.lost(conn, runStateCause(run.state!));
    } catch (err) {
      this.ctx.logger.debug({ server: this.server.id, err: (err as Error).message }, 'ServerStatus/State read failed');
    } finally {
      this.checkingState = false;
    }
  }

  /**
   * The endpoint in use is shutting down: on a redundant server, switched (make before break) to the
   * best other endpoint that serves, before the shutdown makes it a loss and a gap. That endpoint is
   * counted not usable first, so no failback goes back to it while its probe still knows it healthy;
   * its probe finds it so while it shuts down, and usable again once it runs (probe.ts). Tried every
   * stateCheck period while none is ready.
   */
  private leaveShuttingDown(conn: Conn): void {
    if (this.health.length < 2 || this.switching) return;
    const now = Date.now();
    const target = connectOrder(this.health, this.policy).find((i) => {
      const h = this.health[i]!;
      return i !== conn.index && h.reachable === true && !failedLevel(h.serviceLevel) && !((h.maintenanceNextAt ?? 0) > now);
    });
    // None to go to: it serves until it goes (said once, tellRunState), its loss then as any.
    if (target === undefined) return;
    observe(this.health[conn.index]!, false, null, this.policy, now, new NotRunningError(conn.endpoint, UaState.Shutdown));
    this.ctx.logger.warn({ server: this.server.id, from: conn.endpoint, to: this.health[target]!.url }, 'the endpoint in use is shutting down: switching to another before it goes');
    void this.switchTo(conn, target, 'shutdown');
  }

  /** A state other than Running that still delivers values (Shutdown, CommunicationFault, Test, Unknown): said once as it comes, and its end. */
  private tellRunState(conn: Conn, run: RunState): void {
    if (run.state === conn.toldState) return;
    const was = conn.toldState;
    conn.toldState = run.state;
    const where = { server: this.server.id, endpoint: conn.endpoint };
    if (run.state === null || run.state === UaState.Running) {
      if (was !== undefined && was !== null && was !== UaState.Running) this.ctx.logger.info({ ...where, was: stateName(was) }, 'the server reports ServerState Running again');
      return;
    }
    if (run.state === UaState.Shutdown) {
      this.ctx.logger.warn({ ...where, secondsTillShutdown: run.secondsTillShutdown },
        'the server is shutting down (ServerState Shutdown): its loss is to come, its values are acquired until then');
      return;
    }
    this.ctx.logger.warn({ ...where, state: stateName(run.state) },
      'the server reports a ServerState other than Running: its values are still acquired, each with the status the server gives it');
  }

  // --- redundancy --------------------------------------------------------------

  private async readRedundancy(conn: Conn): Promise<void> {
    const session = conn.open!.session;
    const dv = await session.read({ nodeId: `ns=0;i=${VariableIds.Server_ServerRedundancy_RedundancySupport}`, attributeId: AttributeIds.Value });
    this.redundancy = dv.statusCode.isGood() ? (REDUNDANCY[dv.value.value as number] ?? String(dv.value.value)) : null;
    if (this.health.length < 2) return;
    const level = await readServiceLevel(session);
    if (level === null) {
      this.ctx.logger.warn({ server: this.server.id, endpoint: conn.endpoint },
        'the server gives no usable ServiceLevel (absent, Bad or not a Byte): its level is unknown, ranked below a healthy endpoint, not counted healthy');
    }
    observe(this.health[conn.index]!, true, level, this.policy, Date.now());
    // In maintenance: not tried again before its next look (connect), its return time read for it.
    if (level === 0) await noteMaintenance(this.health[conn.index]!, session, this.policy.probeIntervalMs, this.ctx.logger, this.server.id);
    if (level !== null && failedLevel(level)) throw new FailedLevelError(conn.endpoint, level);
  }

  /**
   * The live endpoint's ServiceLevel monitored (level-watch.ts) while it serves: a drop to Failed or
   * below the healthy level switches (or loses the server) as soon as the server reports it. Without
   * it (the server refused the subscription) the probe period's read still does.
   */
  private async watchLevel(conn: Conn): Promise<void> {
    if (this.health.length < 2 || !conn.open || this.stopped || conn.levelYielded) return;
    // Polled: the server gives no subscription (the level is read each probe period); made once it gives one (polled).
    if (conn.subs?.polled) {
      this.ctx.logger.info({ server: this.server.id, endpoint: conn.endpoint, probeIntervalMs: this.policy.probeIntervalMs },
        'ServiceLevel not monitored while the tags are polled: a drop of it is seen at the next probe period');
      return;
    }
    try {
      const watch = await watchServiceLevel(conn.open.session, this.server.publishingIntervalMs, (level) => this.levelReported(conn, level),
        (detail) => this.levelWatchEnded(conn, detail));
      if (conn.state === 'dead' || this.stopped || conn.levelYielded) return void watch.close().catch(() => undefined);
      conn.levelWatch = watch;
    } catch (err) {
      if (conn.state === 'dead' || this.stopped) return;
      this.ctx.logger.warn({ server: this.server.id, endpoint: conn.endpoint, err: (err as Error).message, probeIntervalMs: this.policy.probeIntervalMs },
        'ServiceLevel not monitored: a drop of it is seen at the next probe period');
    }
  }

  /**
   * The server ended the level watch's subscription (level-watch.ts: its lifetime expired, deleted,
   * silent): the level is read at once (a drop while it was gone) and the watch made again on the
   * same session, at once, or after a doubling wait (resubscribe) when it was made again less than
   * resubscribe.stableMs ago: a server that keeps ending it is not asked for one every second.
   * Before, the watch waited for notifications that never came: a server going into maintenance was
   * seen only at the probe period's read. Warned once per connection, then at debug level.
   */
  private levelWatchEnded(conn: Conn, detail: string): void {
    conn.levelWatch = null;
    if (conn.state === 'dead' || this.stopped || conn.levelYielded) return;
    const last = conn.levelRemade;
    const waitMs = last && Date.now() - last.at < resubscribe.stableMs ? Math.min(Math.max(2 * last.waitMs, resubscribe.firstMs), resubscribe.maxMs) : 0;
    const fields = { server: this.server.id, endpoint: conn.endpoint, reason: detail, remakeInMs: waitMs };
    const said = 'the server ended the ServiceLevel watch\'s subscription: made again (the level read meanwhile)';
    if (last) this.ctx.logger.debug(fields, said);
    else this.ctx.logger.warn(fields, said);
    conn.levelRemade = { at: Date.now() + waitMs, waitMs, timer: setTimeout(() => void this.watchLevel(conn), waitMs) };
    void this.checkActiveLevel();
  }

  /**
   * The session gave no subscription (reason) and its tags are polled, or gave one again (null):
   * said in the server's state; while polled, a subscription is asked for again after
   * pollRetry.firstMs, the wait doubling up to everyMs (every connection asks first anyway), and the
   * level watch made once it is had.
   */
  private polled(conn: Conn, reason: string | null): void {
    if (conn.pollTimer) clearTimeout(conn.pollTimer);
    conn.pollTimer = null;
    if (conn.state === 'dead' || this.stopped) return;
    conn.pollWaitMs = pollRetry.firstMs;
    if (reason !== null) this.pollRetryLater(conn);
    if (conn.state === 'live') {
      this.setState(this.state.state, this.state.lastError);
      if (reason === null) void this.watchLevel(conn);
    }
  }

  private pollRetryLater(conn: Conn): void {
    const waitMs = conn.pollWaitMs ?? pollRetry.firstMs;
    conn.pollWaitMs = Math.min(2 * waitMs, pollRetry.everyMs);
    conn.pollTimer = setTimeout(() => {
      conn.pollTimer = null;
      this.work = this.work.then(async () => {
        if (conn.state === 'dead' || this.stopped) return;
        // Still subscribing: asked at the next period.
        if (conn.state !== 'live') return this.pollRetryLater(conn);
        if (conn.subs?.polled && !(await conn.subs.subscribeAgain())) this.pollRetryLater(conn);
      }).catch((err: Error) => {
        this.ctx.logger.warn({ server: this.server.id, endpoint: conn.endpoint, err: err.message }, 'could not subscribe the polled tags: reconnecting');
        this.lost(conn, 'connection lost');
      });
    }, waitMs);
  }

  /**
   * The server refused a tags' subscription for its limit while the level watch holds one (an
   * S7-1200 allows few per session; a server-wide cap another client took the slot of): the watch
   * is given up for the tags, a drop of the level seen at the probe period's read again. Before, a
   * group remade after the server ended it was refused, the connection thrown away. Not made again
   * on this connection (it would take the slot back).
   */
  private async yieldLevelWatch(conn: Conn): Promise<boolean> {
    const watch = conn.levelWatch;
    // Ended by the server and to be made again: not made again (it would take the slot the tags need), no slot to free now.
    if (!watch && conn.levelRemade?.timer) {
      clearTimeout(conn.levelRemade.timer);
      conn.levelYielded = true;
    }
    if (!watch) return false;
    conn.levelWatch = null;
    conn.levelYielded = true;
    // Gone already on the server (its slot free all the same), or the session ended: said, not thrown.
    await watch.close().catch((err: Error) => this.ctx.logger.debug({ server: this.server.id, endpoint: conn.endpoint, err: err.message }, 'ServiceLevel watch close failed'));
    this.ctx.logger.warn({ server: this.server.id, endpoint: conn.endpoint, probeIntervalMs: this.policy.probeIntervalMs },
      'ServiceLevel no longer monitored: the server allows no more subscriptions (BadTooManySubscriptions) and the tags need its slot; a drop of it is seen at the next probe period');
    return true;
  }

  /**
   * The partners the server names in its redundant set (partners.ts) that no configured endpoint
   * serves: said in the log (once per set) and in the server's state, with their endpoints where
   * the server can tell them; never connected to (README "Redundancy"). Read at each connection,
   * beside it: nothing here fails or holds it up.
   */
  private async checkPartners(conn: Conn): Promise<void> {
    const open = conn.open;
    if (!open) return;
    try {
      const own = open.session.endpoint?.server?.applicationUri ?? null;
      this.health[conn.index]!.applicationUri = own;
      const named = (await readServerUris(open.session)).filter((u) => u !== own);
      const candidates: Partner[] = [];
      for (const uri of named) {
        // Where the server can tell it: a partner at a configured endpoint is that endpoint, even before a session to it said its URI.
        const known = this.health.some((h) => h.applicationUri === uri);
        candidates.push({ uri, endpoints: known ? [] : await locatePartner(open.client, uri, this.ctx.pki.manager, Math.max(this.server.staleAfterMs, 2000)) });
      }
      if (conn.state === 'dead' || this.stopped) return;
      this.partnerCandidates = candidates;
      this.reviewPartners();
    } catch (err) {
      this.ctx.logger.debug({ server: this.server.id, err: (err as Error).message }, 'ServerUriArray read failed');
    }
  }

  /**
   * The partners named that no configured endpoint serves, as far as the sessions so far tell (each
   * endpoint's ServerUri, probe.ts): in the state at once; in the log once every configured endpoint
   * was tried (a standby not probed yet may be one of them), once per set.
   */
  private reviewPartners(): void {
    const found = this.partnerCandidates.filter((p) => !this.health.some((h) => h.applicationUri === p.uri || p.endpoints.some((e) => sameUrl(e, h.url))));
    const told = JSON.stringify(found);
    if (told !== JSON.stringify(this.partners)) {
      this.partners = found;
      this.setState(this.state.state, this.state.lastError);
    }
    if (found.length === 0 || told === this.partnersTold || this.health.some((h, i) => i !== this.conn?.index && h.reachable === null)) return;
    this.partnersTold = told;
    this.ctx.logger.warn({
      server: this.server.id, endpoint: this.conn?.endpoint, partners: found,
      configuredNotReached: this.health.filter((h) => !h.applicationUri).map((h) => h.url),
    }, 'the server names redundant partners that are not configured: no failover to them (add their endpoints to backupEndpoints)');
  }

  private levelReported(conn: Conn, level: number | null): void {
    if (conn !== this.conn || conn.state !== 'live' || this.stopped) return;
    if (observe(this.health[conn.index]!, true, level, this.policy, Date.now())) this.setState(this.state.state, this.state.lastError);
    this.considerSwitch();
  }

  private async checkActiveLevel(): Promise<void> {
    const conn = this.conn;
    if (!conn?.open) return;
    try {
      const level = await readServiceLevel(conn.open.session);
      if (conn.state === 'live' && observe(this.health[conn.index]!, true, level, this.policy, Date.now())) this.setState(this.state.state, this.state.lastError);
    } catch (err) {
      this.ctx.logger.debug({ server: this.server.id, err: (err as Error).message }, 'ServiceLevel read failed');
    }
    this.considerSwitch();
  }

  private considerSwitch(): void {
    const conn = this.conn;
    if (!conn || this.switching || this.stopped) return;
    const target = switchTarget(this.health, conn.index, this.policy, Date.now(), this.lastSwitchAt);
    if (target) return void this.switchTo(conn, target.index, target.reason);
    // A Failed active endpoint and none usable to go to: lost (its values are not the plant's) until one is.
    const level = this.health[conn.index]!.serviceLevel;
    if (level === null || !failedLevel(level) || conn.state !== 'live') return;
    if (level === 0) this.leftForMaintenance(conn);
    this.lost(conn, failedLevelCause(level));
  }

  /**
   * The live endpoint went into maintenance: not reconnected to before the maintenance rate's wait
   * (connect), or its EstimatedReturnTime, read on the session as it closes (the loss does not wait
   * for it: what a Failed server publishes is not the plant's).
   */
  private leftForMaintenance(conn: Conn): void {
    const health = this.health[conn.index]!;
    const now = Date.now();
    health.maintenanceNextAt = now + maintenanceWaitMs(this.policy.probeIntervalMs);
    const session = conn.open?.session;
    if (!session) return;
    void readEstimatedReturn(session, now, { logger: this.ctx.logger, server: this.server.id, endpoint: conn.endpoint }).then((at) => {
      if (this.stopped || health.serviceLevel !== 0 || at === null) return;
      health.estimatedReturn = at;
      health.maintenanceNextAt = now + maintenanceWaitMs(this.policy.probeIntervalMs, now, at);
      this.setState(this.state.state, this.state.lastError);
    }, (err: Error) => this.ctx.logger.debug({ server: this.server.id, endpoint: conn.endpoint, err: err.message }, 'EstimatedReturnTime read failed'));
  }

  /** Make before break: the new endpoint is subscribed before the old one is let go, so no value is missed. */
  private async switchTo(old: Conn, index: number, reason: string): Promise<void> {
    this.switching = true;
    const incoming = this.newConn(index);
    try {
      await this.prepare(incoming);
      // The old endpoint's last values are in its queues until its next publish: let them come (failover-seam.ts);
      // not from a Failed one (ServiceLevel 0 or 1), whose values are not the plant's.
      if (!failedLevel(this.health[old.index]!.serviceLevel)) await new Promise((resolve) => setTimeout(resolve, seamWaitMs(this.server)));
      if (this.conn !== old || this.stopped) throw new Error('the active connection changed meanwhile');
      old.subs?.flush();
      this.dropUnconfirmed(old);
      old.state = 'dead';
      this.goLive(incoming, reason);
      await this.dispose(old);
    } catch (err) {
      this.ctx.logger.warn({ server: this.server.id, to: incoming.endpoint, err: (err as Error).message }, 'switch of endpoint failed');
      await this.dispose(incoming);
    } finally {
      this.switching = false;
    }
  }

  private restartProbes(active: number): void {
    if (this.health.length < 2 || this.stopped) return;
    const old = this.probes;
    this.probes = this.health
      .map((h, i) => ({ h, i }))
      .filter(({ i }) => i !== active || !this.conn)
      .map(({ h }) => new EndpointProbe(h, { server: this.server, endpoint: h.url, pki: this.ctx.pki, dataDir: this.ctx.dataDir, logger: this.ctx.logger },
        this.policy, this.policy.probeIntervalMs, () => {
          this.setState(this.state.state, this.state.lastError);
          this.reviewPartners();
          this.considerSwitch();
          // Lost, waiting for an endpoint in maintenance, and one is usable now: no need to wait for it.
          if (this.maintenanceWaiting && !this.conn && this.health.some((e) => !((e.maintenanceNextAt ?? 0) > Date.now()))) this.retryNow();
        }, () => this.ctx.onCertificateRefused(), (advertised) => this.tellHosts(h.url, advertised)));
    void Promise.all(old.map((p) => p.stop())).then(() => this.probes.forEach((p) => p.start()));
  }

  // --- plumbing ----------------------------------------------------------------

  private async dispose(conn: Conn | null): Promise<void> {
    if (!conn) return;
    conn.state = 'dead';
    if (conn.fullTimer) clearTimeout(conn.fullTimer);
    if (conn.uncheckedTimer) clearTimeout(conn.uncheckedTimer);
    // Deleted by close() when the session still answers; a lost one leaves them (releaseLeftOver).
    if (conn.subs && conn.subs.subscriptionIds.length > 0) this.leftOnServer = { index: conn.index, ids: conn.subs.subscriptionIds };
    if (conn.levelRemade?.timer) clearTimeout(conn.levelRemade.timer);
    if (conn.pollTimer) clearTimeout(conn.pollTimer);
    await conn.levelWatch?.close().catch(() => undefined);
    conn.levelWatch = null;
    await conn.subs?.close().catch(() => undefined);
    await conn.open?.close();
  }

  private every(ms: number, fn: () => void): void {
    this.timers.push(setInterval(fn, ms));
  }

  private endpointStates(): NonNullable<ServerState['endpoints']> {
    return this.health.map((h, i) => ({
      url: h.url, active: this.conn?.index === i, reachable: h.reachable, serviceLevel: h.serviceLevel, error: h.error ?? null, errorText: h.errorText ?? null,
      estimatedReturn: h.estimatedReturn ?? null,
    }));
  }

  /** `error`: an attempt's failure (its words for the console with it), a loss's cause, the current one kept, or none. */
  private setState(state: ServerState['state'], error: string | Error | null, extra: Partial<ServerState> = {}): void {
    const lastError = error instanceof Error ? error.message : error;
    const lastErrorText = error instanceof Error ? wordedOf(error) : error !== null && error === this.state.lastError ? (this.state.lastErrorText ?? null) : null;
    const next: ServerState = {
      ...this.state,
      ...extra,
      state,
      since: this.state.state === state ? this.state.since : Date.now(),
      lastError,
      lastErrorText,
      endpoints: this.endpointStates(),
      redundancy: this.redundancy,
      partners: this.partners.length > 0 ? this.partners : undefined,
      polled: state === 'connected' && this.conn?.subs?.polled ? { reason: this.conn.subs.polled } : null,
    };
    if (JSON.stringify(next) === JSON.stringify(this.state)) return;
    this.state = next;
    this.ctx.onState(next);
  }
}
