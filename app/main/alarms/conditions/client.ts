/**
 * OPC UA Alarms & Conditions client (Part 9): an event monitored item on the
 * Server object selecting the condition fields, ConditionRefresh at every
 * (re)connection (Part 9 §4.5: conditions not returned by a refresh no
 * longer apply), and acknowledge / confirm sent back with the comment. Needs
 * only a session: the server link hands it one on each connection.
 */
import {
  AttributeIds, DataType, LocalizedText, ObjectTypeIds, TimestampsToReturn, Variant, acknowledgeCondition, callConditionRefresh, confirmCondition, constructEventFilter, makeBrowsePath,
  type ClientSession, type ClientSubscription, type NodeId,
} from 'node-opcua-client';
import { ApiFailure } from '../../api/dispatcher.js';
import type { Logger } from '../../log.js';
import type { TagConfigEntry } from '../../../shared/config.js';
import { NamespaceUnknownError, NodeIdTextError, portableText, readNamespaces, toServerNodeId } from '../../acquisition/namespaces.js';
import { releaseLeftOver } from '../../acquisition/subscription.js';
import { newSubscription } from '../../acquisition/new-subscription.js';
import { priorityOfSeverity, type ServerCondition } from '../engine/server-condition.js';
import type { ConditionLink, ServerShelveAsk } from '../module.js';
import { Translator } from '../../../shared/i18n/index.js';
import { readConditionInstances } from './address-space.js';

const FIELDS = [
  'EventId', 'EventType', 'SourceNode', 'SourceName', 'Time', 'Message', 'Severity', 'ConditionId', 'ConditionName', 'Retain',
  'ActiveState.Id', 'AckedState.Id', 'ConfirmedState.Id', 'SuppressedState.Id', 'InputNode', 'Comment', 'ClientUserId', 'BranchId',
  'ShelvingState.CurrentState.Id', 'ShelvingState.UnshelveTime',
] as const;
type Field = (typeof FIELDS)[number];

/** An Acknowledge or Confirm answered so: the condition object is gone from the server. */
const CONDITION_GONE = new Set(['BadNodeIdUnknown', 'BadNodeIdInvalid']);

/**
 * A ConditionRefresh (or a read of the address space) thrown out with one of these (a service fault:
 * the server has no Call service, no such method) is the server's no; any other error (a timeout, the
 * connection lost) fails the attach, which is tried again.
 */
const REFUSED = /\b(BadServiceUnsupported|BadNotSupported|BadNotImplemented|BadMethodInvalid|BadNodeIdUnknown|BadNodeIdInvalid|BadUserAccessDenied|BadNotExecutable|BadInternalError)\b/;

/**
 * The station's own row telling the operator that the server's conditions could not be refreshed
 * (conditions active before the connection may be missing from the list). Not a node id (none
 * starts with '#'), so it names no condition of the server; acknowledged at the station.
 */
export const refreshNoticeId = (server: string): string => `server/${server}/#ConditionRefresh`;
const NOTICE_KEY = 'alarms.server.notRefreshed';
const NOTICE_PRIORITY = 2;
const english = new Translator('en');

/** The states of Part 9's ShelvedStateMachineType (standard node ids), as its CurrentState.Id names them. */
const UNSHELVED = 2930;
const TIMED_SHELVED = 2932;
const ONE_SHOT_SHELVED = 2933;

/**
 * A condition its server has shelved is read back (ShelvingState CurrentState and UnshelveTime) this
 * often (ms), and just after the UnshelveTime the server gave: a server need raise no event when its
 * shelve ends (node-opcua's timer, and its Unshelve method, raise none), and the alarm stayed hidden
 * here. One read of two values per shelved condition: shelved conditions are few.
 */
export const SHELVING_READ_MS = 5_000;
/** Past the server's UnshelveTime, the read waits this much more for the server's own timer to have run. */
const SHELVING_END_MARGIN_MS = 500;

/** A standard (namespace 0) numeric node id's number, else -1. */
function standardId(v: Variant | undefined): number {
  const n = v?.value as NodeId | null | undefined;
  return n && n.namespace === 0 && typeof n.value === 'number' ? n.value : -1;
}

/** A tag by namespace URI (nsu=) or by index, keyed as this session's events name its node; one it cannot resolve names none. */
function tagsByNode(tags: readonly TagConfigEntry[], namespaces: readonly string[]): Map<string, TagConfigEntry> {
  const out = new Map<string, TagConfigEntry>();
  for (const t of tags) {
    try {
      out.set(toServerNodeId(t.nodeId, namespaces).toString(), t);
    } catch (err) {
      // The acquisition refuses such a tag and says why; its conditions keep the server's SourceName.
      if (!(err instanceof NamespaceUnknownError || err instanceof NodeIdTextError)) throw err;
    }
  }
  return out;
}

export interface ConditionClientOptions {
  /** The station's id of the server. */
  server: string;
  /** The server's tags: a condition whose input or source node is a tag takes its name and area. */
  tags: readonly TagConfigEntry[];
  onCondition(c: ServerCondition): void;
  /** Conditions of this server the station still lists (from an earlier session): a refresh that omits them drops them. */
  listed?: readonly ServerCondition[];
  /**
   * The event subscription an earlier session to this endpoint made and may have left on the server (a
   * network cut: the server keeps it until its lifetime runs out): taken over and deleted first, as the
   * acquisition does with its own, so a server with a tight subscription limit has room for this one.
   */
  leftOver?: number | null;
  /** Told the id of the event subscription once the server made it (before the refresh): what this session may leave. */
  onSubscribed?(subscriptionId: number): void;
  logger: Logger;
}

/** What acknowledging or confirming a condition needs: its node and the event being answered (null: its events name none). */
interface Handle {
  conditionId: NodeId;
  eventId: Buffer | null;
}

/** An EventId that names an event: a ByteString with something in it (a null or empty one names none). */
const namesEvent = (v: unknown): v is Buffer => Buffer.isBuffer(v) && v.length > 0;

export class ConditionClient implements ConditionLink {
  private readonly known = new Map<string, ServerCondition>();
  private readonly handles = new Map<string, Handle>();
  private refreshing: Set<string> | null = null;
  /** Conditions a live event reported while the address space was being read: the read is older news for them. */
  private live: Set<string> | null = null;
  /** Refused, nothing in the address space, and no sign yet of conditions: the first condition event raises the notice. */
  private noticeOnEvent: string | null = null;
  private readonly noticeId: string;
  private subscription: ClientSubscription | null = null;
  /** Closed (its session replaced or gone): later events of it are not this station's news any more. */
  private closed = false;
  /** Conditions shelved at the server (or by a call of this station's), read back on these timers (readShelving). */
  private readonly shelvingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Per condition, its ShelvingState's CurrentState/Id and UnshelveTime nodes (null: it has no ShelvingState to read). */
  private readonly shelvingNodes = new Map<string, { state: NodeId; left: NodeId | null } | null>();
  /**
   * Shelved at the server by this station's call, not yet read back unshelved: a read finding it
   * unshelved is news even when the last event (one sent before the call) also said unshelved.
   */
  private readonly shelvedByCall = new Set<string>();
  private constructor(
    private readonly session: ClientSession,
    private readonly opts: ConditionClientOptions,
    /** Tags by their node in this session's index form (events name nodes by index). */
    private readonly byNode: Map<string, TagConfigEntry>,
    /** The server's NamespaceArray for this session: a condition's id names its namespace by URI. */
    private readonly namespaces: readonly string[],
  ) {
    for (const c of opts.listed ?? []) this.known.set(c.id, c);
    this.noticeId = refreshNoticeId(opts.server);
  }

  /** Subscribes to the server's events and asks for the conditions in effect. */
  static async attach(session: ClientSession, opts: ConditionClientOptions): Promise<ConditionClient> {
    const namespaces = await readNamespaces(session);
    const c = new ConditionClient(session, opts, tagsByNode(opts.tags, namespaces), namespaces);
    if (opts.leftOver != null) await c.releaseLeftOver(opts.leftOver);
    const subscription = await newSubscription(session, {
      requestedPublishingInterval: 100, requestedMaxKeepAliveCount: 20, requestedLifetimeCount: 200, maxNotificationsPerPublish: 0, publishingEnabled: true, priority: 20,
    });
    c.subscription = subscription;
    opts.onSubscribed?.(subscription.subscriptionId);
    try {
      const item = await subscription.monitor(
        { nodeId: 'i=2253', attributeId: AttributeIds.EventNotifier },
        { samplingInterval: 0, queueSize: 1000, discardOldest: false, filter: constructEventFilter([...FIELDS]) },
        TimestampsToReturn.Both,
      );
      item.on('changed', (fields: unknown) => c.guard(() => c.onEvent(fields as Variant[])));
      await c.refresh();
    } catch (err) {
      // Not left holding one of the server's subscriptions for an attach that is tried again.
      await c.close().catch(() => undefined);
      throw err;
    }
    return c;
  }

  /** Conditions known to this client (as last reported). */
  conditions(): ServerCondition[] {
    return [...this.known.values()];
  }

  /**
   * Asks for the conditions in effect. A server that refuses ConditionRefresh has them read from its
   * address space instead; one that shows none there while it has conditions (earlier listed, an event
   * source hierarchy, or a condition event later) has the operator told by the notice row.
   */
  async refresh(): Promise<void> {
    const server = this.opts.server;
    const refused = await this.askRefresh();
    if (refused === null) return this.noticeOver();
    this.live = new Set();
    let found: Awaited<ReturnType<typeof readConditionInstances>> | null = null;
    try {
      found = await readConditionInstances(this.session, [...FIELDS, 'EnabledState.Id']);
    } catch (err) {
      // A server that refuses browsing too shows no conditions; anything else (the connection) fails the attach.
      if (!REFUSED.test((err as Error).message)) throw err;
    } finally {
      if (!found?.conditions.length) this.live = null;
    }
    if (this.closed) return;
    if (found && found.conditions.length > 0) {
      this.opts.logger.warn({ server, status: refused, conditions: found.conditions.length }, 'ConditionRefresh refused: the conditions were read from the address space instead');
      this.applyRead(found.conditions);
      return this.noticeOver();
    }
    this.opts.logger.warn({ server, status: refused }, 'ConditionRefresh refused and no condition in the address space: conditions active before the connection may be missing');
    const listedBefore = [...this.known.keys()].some((id) => id !== this.noticeId);
    if (listedBefore || (found?.sources ?? 0) > 0) this.raiseNotice(refused);
    else this.noticeOnEvent = refused;
  }

  async acknowledge(alarmId: string, comment: string): Promise<void> {
    if (alarmId === this.noticeId && this.known.has(alarmId)) return this.ackNotice();
    const k = this.find(alarmId);
    this.check(await acknowledgeCondition(this.session, k.conditionId, await this.eventIdOf(alarmId, k), comment), alarmId);
  }

  async confirm(alarmId: string, comment: string): Promise<void> {
    const k = this.find(alarmId);
    this.check(await confirmCondition(this.session, k.conditionId, await this.eventIdOf(alarmId, k), comment), alarmId);
  }

  /**
   * Shelves the condition at its server (Part 9 §5.8.10 ShelvedStateMachine, on the instance's
   * ShelvingState: TimedShelve with the time in ms, or OneShotShelve), so the server, and every client
   * of it (the DCS's own display), has it shelved. A server with the v1.05 TimedShelve2 / OneShotShelve2
   * on the condition gets those, with the comment (who, and why) for its own record. Any Bad answer is
   * refused in the operator's words: the station shelves nothing then.
   */
  async shelve(alarmId: string, ask: ServerShelveAsk, comment: string): Promise<number | null> {
    const k = this.find(alarmId);
    const timed = ask.oneShot ? [] : [new Variant({ dataType: DataType.Double, value: ask.ms })];
    const status = await this.callShelving(alarmId, k, ask.oneShot ? 'OneShotShelve' : 'TimedShelve', timed, comment);
    if (status === 'BadShelvingTimeOutOfRange') {
      const max = await this.maxTimeShelved(k);
      const params = { alarm: alarmId, server: this.opts.server };
      throw new ApiFailure('conflict', `${alarmId}: server ${this.opts.server} refused the shelving time${max === null ? '' : `: at most ${max} ms`}`,
        // Said in whole minutes, as the operator asks for them: a maximum under one says no number.
        max === null || max < 60_000 ? { key: 'alarms.refused.serverShelveTime', params } : { key: 'alarms.refused.serverShelveTooLong', params: { ...params, max: Math.floor(max / 60_000) } });
    }
    this.checkShelving(status, alarmId);
    const left = await this.unshelveTime(k);
    this.shelvedByCall.add(alarmId);
    // Read back until it is unshelved there: the server may end it (its timer, its operator) and say nothing.
    this.watchShelving(alarmId, left);
    return left;
  }

  /** Reads the condition's shelving at the server after `leftMs` (its UnshelveTime, when known) or SHELVING_READ_MS, whichever is sooner. */
  private watchShelving(id: string, leftMs: number | null): void {
    this.unwatchShelving(id);
    if (this.closed) return;
    const wait = leftMs === null ? SHELVING_READ_MS : Math.min(SHELVING_READ_MS, leftMs + SHELVING_END_MARGIN_MS);
    const timer = setTimeout(() => {
      this.shelvingTimers.delete(id);
      this.readShelving(id).catch((err: unknown) => {
        if (this.closed) return;
        this.opts.logger.warn({ err, server: this.opts.server, alarm: id }, 'the shelving of a condition shelved at the server could not be read: read again later');
        if (!this.shelvingTimers.has(id) && this.known.get(id)?.shelving != null) this.watchShelving(id, null);
      });
    }, wait);
    timer.unref?.();
    this.shelvingTimers.set(id, timer);
  }

  private unwatchShelving(id: string): void {
    clearTimeout(this.shelvingTimers.get(id));
    this.shelvingTimers.delete(id);
  }

  /**
   * The condition's shelving as the server has it now: a change from what it last reported (unshelved
   * with no event, or shelved by this station's call with no event yet) is reported as the server's
   * (shelvingRead: read after any call of this station's, so not an event older than it). Read again
   * while it stays shelved there.
   */
  private async readShelving(id: string): Promise<void> {
    const k = this.handles.get(id);
    const c = this.known.get(id);
    if (!k || !c || this.closed) return;
    const nodes = await this.shelvingNodesOf(id, k);
    if (nodes === null) return; // no ShelvingState to read: its events alone say its shelving
    const [state, left] = await this.session.read([
      { nodeId: nodes.state, attributeId: AttributeIds.Value },
      ...(nodes.left ? [{ nodeId: nodes.left, attributeId: AttributeIds.Value }] : []),
    ]);
    // Closed, or an event reported the condition meanwhile (and set its own watch): the read is not the news.
    if (this.closed || this.known.get(id) !== c) return;
    const stateId = state?.statusCode.isGood() ? standardId(state.value) : -1;
    const value: unknown = left?.statusCode.isGood() ? left.value.value : null;
    const leftMs = typeof value === 'number' && value > 0 && value < 2 ** 31 ? value : null;
    const shelving = stateId === UNSHELVED ? null
      : stateId === TIMED_SHELVED || stateId === ONE_SHOT_SHELVED ? { oneShot: stateId === ONE_SHOT_SHELVED, leftMs }
      : undefined;
    if (shelving === undefined) return this.watchShelving(id, null); // not said this time (a Bad read): asked again
    const was = c.shelving ?? null;
    const byCall = this.shelvedByCall.has(id);
    if (shelving === null) this.shelvedByCall.delete(id);
    if ((was === null) !== (shelving === null) || (was && shelving && was.oneShot !== shelving.oneShot) || (byCall && shelving === null)) {
      this.opts.logger.info({ server: this.opts.server, alarm: id, shelving }, 'the server\'s shelving of the condition changed without an event: followed');
      const next: ServerCondition = { ...c, shelving };
      this.known.set(id, next);
      this.opts.onCondition({ ...next, shelvingRead: true });
    }
    if (shelving !== null) this.watchShelving(id, shelving.leftMs);
  }

  private async shelvingNodesOf(id: string, k: Handle): Promise<{ state: NodeId; left: NodeId | null } | null> {
    const cached = this.shelvingNodes.get(id);
    if (cached !== undefined) return cached;
    const [state, left] = await this.session.translateBrowsePath([
      makeBrowsePath(k.conditionId, '/ShelvingState/CurrentState/Id'), makeBrowsePath(k.conditionId, '/ShelvingState/UnshelveTime'),
    ]);
    const target = (r: typeof state) => (r?.statusCode.isGood() ? r.targets?.[0]?.targetId ?? null : null);
    const stateNode = target(state);
    const nodes = stateNode ? { state: stateNode, left: target(left) } : null;
    this.shelvingNodes.set(id, nodes);
    return nodes;
  }

  /** How long the server says its shelve lasts (UnshelveTime, ms), or null: not said, or no end (a one-shot one without a limit). */
  private async unshelveTime(k: Handle): Promise<number | null> {
    try {
      const [path] = await this.session.translateBrowsePath([makeBrowsePath(k.conditionId, '/ShelvingState/UnshelveTime')]);
      const target = path?.statusCode.isGood() ? path.targets?.[0]?.targetId : undefined;
      const read = target ? await this.session.read({ nodeId: target, attributeId: AttributeIds.Value }) : null;
      const value: unknown = read?.statusCode.isGood() ? read.value.value : null;
      // As an event's UnshelveTime is read (onEvent): 2^31 ms and beyond is no end.
      return typeof value === 'number' && value > 0 && value < 2 ** 31 ? value : null;
    } catch (err) {
      // Shelved there all the same: the station's own time limit holds.
      this.opts.logger.warn({ err, server: this.opts.server, alarm: k.conditionId.toString() }, 'the server shelved the condition; its UnshelveTime could not be read');
      return null;
    }
  }

  /**
   * Unshelves it at its server (Unshelve, or Unshelve2 with the comment). 'notShelved': the server says
   * it is not shelved there (BadConditionNotShelved): it is shown there, so the station shows it too.
   */
  async unshelve(alarmId: string, comment: string): Promise<'unshelved' | 'notShelved'> {
    const k = this.find(alarmId);
    const status = await this.callShelving(alarmId, k, 'Unshelve', [], comment);
    if (status === 'Good' || status === 'BadConditionNotShelved') this.shelvedByCall.delete(alarmId);
    if (status === 'BadConditionNotShelved') return 'notShelved';
    this.checkShelving(status, alarmId);
    return 'unshelved';
  }

  /** The session is going or replaced: stop, and delete the event subscription if the session still answers. */
  async close(): Promise<void> {
    this.closed = true;
    for (const id of [...this.shelvingTimers.keys()]) this.unwatchShelving(id);
    const s = this.subscription;
    this.subscription = null;
    await s?.terminate();
  }

  /** The refusal's status name, or null: refreshed (or nothing to refresh). */
  private async askRefresh(): Promise<string | null> {
    try {
      const status = await callConditionRefresh(this.session, this.subscription!.subscriptionId);
      return status.isNotGood() && status.name !== 'BadNothingToDo' ? status.name : null;
    } catch (err) {
      const refused = REFUSED.exec((err as Error).message)?.[1];
      if (!refused) throw err;
      return refused;
    }
  }

  /** Conditions read from the address space, taken as a refresh's: what they omit (or no longer retain) is dropped. */
  private applyRead(found: readonly Variant[][]): void {
    const live = this.live;
    this.live = null;
    this.refreshing = new Set();
    for (const values of found) {
      const fields = values.slice(0, FIELDS.length);
      const id = this.idOf(fields[FIELDS.indexOf('ConditionId')]!.value as NodeId);
      if (live?.has(id)) {
        this.refreshing.add(id);
        continue;
      }
      const enabled = values[FIELDS.length];
      const retain = fields[FIELDS.indexOf('Retain')];
      // Part 9 §5.5.2: a disabled condition, or one not retained, is not one a refresh sends.
      if ((enabled?.dataType === DataType.Boolean && enabled.value === false) || (retain?.dataType === DataType.Boolean && retain.value === false)) continue;
      // A server that keeps no EventId on the instance still has the condition listed (onEvent); an ack
      // of it is refused, saying why, until an event or the instance names one (eventIdOf).
      this.onEvent(fields);
    }
    this.endRefresh();
  }

  private idOf(conditionId: NodeId): string {
    return `server/${this.opts.server}/${portableText(conditionId, this.namespaces)}`;
  }

  private noticeRow(refused: string): ServerCondition {
    const params = { server: this.opts.server, status: refused };
    return {
      id: this.noticeId, server: this.opts.server, source: null, area: null, message: english.t(NOTICE_KEY, params), text: { key: NOTICE_KEY, params },
      priority: NOTICE_PRIORITY, active: true, acked: false, confirmed: null, suppressed: false, retain: true, value: null, time: Date.now(), user: null, comment: null,
    };
  }

  /** Raised, or said again (its text, the row no longer suspect after a restart) keeping the operator's ack of it. */
  private raiseNotice(refused: string): void {
    this.noticeOnEvent = null;
    const was = this.known.get(this.noticeId);
    const c = was?.active ? { ...this.noticeRow(refused), acked: was.acked, time: was.time, user: was.user, comment: was.comment } : this.noticeRow(refused);
    this.known.set(c.id, c);
    this.opts.onCondition(c);
  }

  /** Refreshed after all (another session, the conditions read): the notice returns, and stays until acknowledged. */
  private noticeOver(): void {
    this.noticeOnEvent = null;
    const was = this.known.get(this.noticeId);
    if (!was?.active) return;
    this.reportNotice({ ...was, active: false, retain: !was.acked, time: Date.now() });
  }

  /** The notice is the station's: its ack is taken here (the engine names the user who sent it). */
  private ackNotice(): void {
    const was = this.known.get(this.noticeId)!;
    this.reportNotice({ ...was, acked: true, retain: was.active, time: Date.now() });
  }

  private reportNotice(c: ServerCondition): void {
    if (c.retain) this.known.set(c.id, c);
    else this.known.delete(c.id);
    this.opts.onCondition(c);
  }

  /** Never fails the attach: a server that does not hand the subscription over keeps it until its lifetime ends. */
  private async releaseLeftOver(id: number): Promise<void> {
    const where = { server: this.opts.server, subscription: id };
    try {
      const { deleted, refused } = await releaseLeftOver(this.session, [id]);
      if (deleted.length > 0) this.opts.logger.info(where, 'the condition event subscription the lost connection left on the server was taken over and deleted');
      const withheld = refused.filter((r) => r !== 'BadSubscriptionIdInvalid');
      if (withheld.length > 0) this.opts.logger.info({ ...where, refused: withheld }, 'the server did not hand over the condition event subscription the lost connection left: it holds a subscription until its lifetime runs out');
    } catch (err) {
      this.opts.logger.info({ ...where, err: (err as Error).message }, 'the condition event subscription the lost connection left could not be taken over: it holds a subscription until its lifetime runs out');
    }
  }

  private find(alarmId: string): Handle {
    const k = this.handles.get(alarmId);
    if (!k) throw new ApiFailure('bad_request', `no condition "${alarmId}" on server ${this.opts.server}`, { key: 'alarms.refused.unknownAlarm', params: { alarm: alarmId } });
    return k;
  }

  /**
   * The EventId an ack or confirm answers (Part 9 §5.7.3: mandatory, the server refuses one it does
   * not know). Events that carried none: the instance's own EventId property, which a server keeps
   * as its last event's (§5.5.2); with none there either the request is refused here, saying why,
   * rather than sent for the server to answer BadEventIdUnknown.
   */
  private async eventIdOf(alarmId: string, k: Handle): Promise<Buffer> {
    if (namesEvent(k.eventId)) return k.eventId;
    const [path] = await this.session.translateBrowsePath([makeBrowsePath(k.conditionId, '/EventId')]);
    const target = path?.statusCode.isGood() ? path.targets?.[0]?.targetId : undefined;
    const read = target ? await this.session.read({ nodeId: target, attributeId: AttributeIds.Value }) : null;
    const value: unknown = read?.statusCode.isGood() ? read.value.value : null;
    if (namesEvent(value)) return value;
    const server = this.opts.server;
    this.opts.logger.warn({ server, alarm: alarmId }, 'the server names no EventId for the condition, in its events or on the instance: it cannot be acknowledged or confirmed from the station');
    throw new ApiFailure('conflict', `${alarmId}: server ${server} gives no EventId for it`, { key: 'alarms.refused.noEventId', params: { server } });
  }

  private check(status: { isNotGood(): boolean; name: string }, alarmId: string): void {
    if (!status.isNotGood()) return;
    const server = this.opts.server;
    if (CONDITION_GONE.has(status.name)) {
      // The server no longer knows the condition (removed by an online change, no last event said so): a
      // refresh drops it as it drops any it omits, and the operator's next ack is taken at the station.
      this.opts.logger.warn({ server, alarm: alarmId, status: status.name }, 'the server no longer knows a condition it reported: its conditions are refreshed');
      void this.refresh().catch((err: unknown) => this.opts.logger.error({ err, server }, 'ConditionRefresh failed'));
    }
    throw new ApiFailure('conflict', `${alarmId}: server ${server} refused: ${status.name}`, { key: 'alarms.refused.serverRefused', params: { server, status: status.name } });
  }

  /**
   * Calls a shelving method: the v1.05 one on the condition (name + '2', with the comment) where the
   * server has it, else the ShelvingState's own. Returns the status name ('Good' when done).
   */
  private async callShelving(alarmId: string, k: Handle, method: 'TimedShelve' | 'OneShotShelve' | 'Unshelve', args: Variant[], comment: string): Promise<string> {
    const [v2, state, v1] = await this.session.translateBrowsePath([
      makeBrowsePath(k.conditionId, `/${method}2`), makeBrowsePath(k.conditionId, '/ShelvingState'), makeBrowsePath(k.conditionId, `/ShelvingState/${method}`),
    ]);
    const target = (r: typeof v2) => (r?.statusCode.isGood() ? r.targets?.[0]?.targetId ?? null : null);
    const [withComment, machine, plain] = [target(v2), target(state), target(v1)];
    let call: { objectId: NodeId; methodId: NodeId; inputArguments: Variant[] };
    if (withComment) call = { objectId: k.conditionId, methodId: withComment, inputArguments: [...args, new Variant({ dataType: DataType.LocalizedText, value: new LocalizedText({ text: comment }) })] };
    else if (machine && plain) call = { objectId: machine, methodId: plain, inputArguments: args };
    else return this.noShelving(alarmId);
    const result = await this.session.call(call);
    // A method the server does not have after all (its type has no ShelvingState methods bound).
    if (result.statusCode.name === 'BadMethodInvalid' || result.statusCode.name === 'BadNotImplemented') return this.noShelving(alarmId);
    return result.statusCode.isNotGood() ? result.statusCode.name : 'Good';
  }

  private noShelving(alarmId: string): never {
    const server = this.opts.server;
    throw new ApiFailure('bad_request', `${alarmId}: server ${server} has no shelving for the condition (no ShelvingState)`, { key: 'alarms.refused.serverNoShelving', params: { alarm: alarmId, server } });
  }

  /** The condition's MaxTimeShelved (ms, Part 9 §5.8.2: optional), or null when the server has none. */
  private async maxTimeShelved(k: Handle): Promise<number | null> {
    const [path] = await this.session.translateBrowsePath([makeBrowsePath(k.conditionId, '/MaxTimeShelved')]);
    const target = path?.statusCode.isGood() ? path.targets?.[0]?.targetId : undefined;
    const read = target ? await this.session.read({ nodeId: target, attributeId: AttributeIds.Value }) : null;
    const value: unknown = read?.statusCode.isGood() ? read.value.value : null;
    return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
  }

  /** A shelving call's answer: the statuses an operator can act on said in their words, any other as the server's refusal. */
  private checkShelving(status: string, alarmId: string): void {
    if (status === 'Good') return;
    const server = this.opts.server;
    const params = { alarm: alarmId, server };
    if (status === 'BadConditionAlreadyShelved') throw new ApiFailure('conflict', `${alarmId}: server ${server} has it shelved already`, { key: 'alarms.refused.serverAlreadyShelved', params });
    if (status === 'BadUserAccessDenied') throw new ApiFailure('forbidden', `${alarmId}: server ${server} does not let the station's OPC UA user shelve it`, { key: 'alarms.refused.serverAccessDenied', params });
    this.check({ isNotGood: () => true, name: status }, alarmId);
  }

  private onEvent(values: Variant[]): void {
    const f = (name: Field): Variant | undefined => values[FIELDS.indexOf(name)];
    const type = standardId(f('EventType'));
    if (type === ObjectTypeIds.RefreshStartEventType) return void (this.refreshing = new Set());
    if (type === ObjectTypeIds.RefreshEndEventType) return this.endRefresh();
    if (type === ObjectTypeIds.RefreshRequiredEventType) return void this.refresh().catch((err: unknown) => this.opts.logger.error({ err, server: this.opts.server }, 'ConditionRefresh failed'));
    const conditionId = f('ConditionId')?.value as NodeId | null | undefined;
    if (!conditionId) return; // not a condition
    // An event without an EventId (a server that leaves the mandatory field out) still reports the
    // condition: listed all the same, an ack of it takes the instance's EventId (eventIdOf).
    const eventId = f('EventId')?.value;
    // A branch (Part 9 §5.5.3) is an earlier state of the condition the server keeps for an ack or
    // confirm, beside its current state (the trunk, BranchId null). The row is the condition as it
    // is now, as for the station's own alarms (one row per alarm, never one per episode): a branch
    // event must not overwrite it, nor its EventId the one an ack of the row answers.
    const branchId = f('BranchId')?.value as NodeId | null | undefined;
    if (branchId && !branchId.isEmpty()) return;
    // By URI, not index: a server that registers its namespaces in another order after a restart
    // still names the same condition, so a refresh does not clear it and raise it again as new.
    const id = this.idOf(conditionId);
    this.live?.add(id);
    const input = f('InputNode')?.value as NodeId | null | undefined;
    const source = f('SourceNode')?.value as NodeId | null | undefined;
    const tag = (input && this.byNode.get(input.toString())) || (source && this.byNode.get(source.toString())) || undefined;
    const state = (name: Field) => (f(name)?.dataType === DataType.Boolean ? Boolean(f(name)!.value) : null);
    const text = (name: Field) => {
      const v = f(name)?.value as { text?: string | null } | string | null | undefined;
      return typeof v === 'string' ? v : (v?.text ?? null);
    };
    const active = state('ActiveState.Id') ?? false;
    const acked = state('AckedState.Id') ?? true;
    const confirmed = state('ConfirmedState.Id');
    // A field the server left out (a null Variant) says nothing: Severity keeps the priority known; Retain
    // is what Part 9 §5.5.2 makes it (active, unacknowledged or unconfirmed), not "no longer reported".
    const severity = f('Severity')?.value as unknown;
    // Shelved at the server (its operators): a state the event does not name says nothing.
    const shelvingState = standardId(f('ShelvingState.CurrentState.Id'));
    const left = f('ShelvingState.UnshelveTime')?.value as unknown;
    const leftMs = typeof left === 'number' && left > 0 && left < 2 ** 31 ? left : null;
    const shelving = shelvingState === UNSHELVED ? { shelving: null }
      : shelvingState === TIMED_SHELVED || shelvingState === ONE_SHOT_SHELVED ? { shelving: { oneShot: shelvingState === ONE_SHOT_SHELVED, leftMs } }
      : {};
    const time = f('Time')?.value as unknown;
    const condition: ServerCondition = {
      id, server: this.opts.server, source: tag?.name ?? text('SourceName'), area: tag?.area ?? null,
      message: text('Message') ?? text('ConditionName') ?? id,
      priority: typeof severity === 'number' ? priorityOfSeverity(severity) : this.known.get(id)?.priority ?? priorityOfSeverity(500),
      active, acked, confirmed, suppressed: state('SuppressedState.Id') ?? false, retain: state('Retain') ?? (active || !acked || confirmed === false), value: null,
      time: time instanceof Date ? time.getTime() : Date.now(), user: text('ClientUserId') || null, comment: text('Comment') || null, ...shelving,
    };
    this.known.set(id, condition);
    this.handles.set(id, { conditionId, eventId: namesEvent(eventId) ? eventId : null });
    // Shelved there: read back until unshelved (the server may end it saying nothing). An event saying
    // unshelved leaves a watch running: it may be one sent before this station's shelve call; the read
    // that finds it unshelved ends the watch.
    if (condition.shelving) this.watchShelving(id, condition.shelving.leftMs);
    this.refreshing?.add(id);
    this.opts.onCondition(condition);
    // A server that refused the refresh and showed no conditions does raise them: earlier ones may be missing.
    if (this.noticeOnEvent !== null) this.raiseNotice(this.noticeOnEvent);
  }

  /** What a refresh did not return no longer applies. */
  private endRefresh(): void {
    const seen = this.refreshing;
    this.refreshing = null;
    if (!seen) return;
    for (const [id, c] of this.known) {
      if (seen.has(id) || id === this.noticeId) continue;
      this.known.delete(id);
      this.handles.delete(id);
      this.unwatchShelving(id);
      this.shelvingNodes.delete(id);
      this.shelvedByCall.delete(id);
      this.opts.onCondition({ ...c, active: false, retain: false });
    }
  }

  private guard(fn: () => void): void {
    if (this.closed) return;
    try {
      fn();
    } catch (err) {
      this.opts.logger.error({ err, server: this.opts.server }, 'condition event failed');
    }
  }
}
