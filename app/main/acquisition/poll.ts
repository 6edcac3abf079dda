/**
 * The tags of a server whose session can hold no subscription at all, read instead: an OPC UA
 * Nano Embedded Device (no subscription service: BadServiceUnsupported, BadNotSupported), a PLC or
 * gateway whose subscription slots other clients took (BadTooManySubscriptions for the first one).
 * Before, such a server failed the connection and was retried forever, no value ever shown.
 *
 * Tags are read (Read service, maxAge 0: the device's value now, both timestamps) at their sampling
 * interval, one group per interval, in requests within MaxNodesPerRead (operation-limits.ts
 * readChunked). A group is read again only once its last read answered, `intervalMs` after that
 * read began: a read slower than the interval delays the next, reads never stack on a slow server.
 * What the reads bring is handed to subscription.ts, which takes each value as a monitored item's
 * (the same sample, clock and loss handling); a failed read ends the polling and is told, as a loss.
 * With no tag, the server's CurrentTime is read instead: its answers are the evidence a subscription's
 * keep-alives are.
 */
import { AttributeIds, StatusCodes, VariableIds, type ClientSession, type DataValue, type NodeIdLike } from 'node-opcua-client';
import type { TagConfigEntry } from '../../shared/config.js';
import { readChunked } from './operation-limits.js';

/**
 * When a subscription is asked for again while polling (ms): firstMs after polling began, the wait
 * doubling up to everyMs; every connection asks first anyway. Soon at first: slots other clients
 * or a cut session of the station's held (BadTooManySubscriptions) are often freed within minutes.
 * Tests shorten both.
 */
export const pollRetry = { firstMs: 30_000, everyMs: 10 * 60_000 };

/** The least interval a tag is read at: "as fast as the server can" (sampling 0) is not a loop of reads. */
export const MIN_POLL_MS = 50;

/** CreateSubscription's answers that say the session may hold no (more) subscription: the reason polling is for. */
const REFUSALS = [StatusCodes.BadTooManySubscriptions, StatusCodes.BadServiceUnsupported, StatusCodes.BadNotSupported];

/** The status name of a CreateSubscription refusal that says the session holds no (more) subscription; null for another failure. */
export function subscriptionRefusal(err: unknown): string | null {
  const result = (err as { response?: { responseHeader?: { serviceResult?: { value?: number } } } }).response?.responseHeader?.serviceResult?.value;
  const message = (err as Error).message ?? '';
  return REFUSALS.find((c) => c.value === result || message.includes(c.name))?.name ?? null;
}

/** Thrown when the session gave no subscription at all: its tags are polled (subscription.ts). */
export class NoSubscriptionError extends Error {
  constructor(readonly reason: string, cause: unknown) {
    super(`the server gives this session no subscription (${reason}): ${(cause as Error).message ?? String(cause)}`);
    this.name = 'NoSubscriptionError';
  }
}

/**
 * Whether a value read differs from the last one handed on as a subscription's DataChangeFilter
 * (StatusValue, the tag's deadband) would say: a read brings the value whether or not it changed,
 * and an unchanged value handed on again would be archived again with the same stamp.
 */
export function changed(last: DataValue | null, dv: DataValue, deadband: TagConfigEntry['deadband'] | null, range: readonly [number, number] | undefined): boolean {
  if (last === null || last.statusCode.value !== dv.statusCode.value) return true;
  const a: unknown = last.value?.value, b: unknown = dv.value?.value;
  if (typeof a === 'number' && typeof b === 'number' && deadband) {
    const band = 'absolute' in deadband ? deadband.absolute : range ? (deadband.percent / 100) * (range[1] - range[0]) : 0;
    return Math.abs(b - a) > band || Number.isNaN(a) !== Number.isNaN(b);
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() !== b.getTime();
  if (typeof a === 'object' && a !== null) return JSON.stringify(a) !== JSON.stringify(b);
  return !Object.is(a, b);
}

export interface PollEvents {
  /** A read of `names` (begun at startedAt) answered at receivedAt: their values, in the order of names. */
  onRead(names: readonly string[], values: readonly DataValue[], startedAt: number, receivedAt: number): void;
  /** A read failed (a Bad service result, the session or channel gone): nothing is read any more. */
  onFailed(detail: string): void;
}

interface Group {
  readonly intervalMs: number;
  readonly items: Map<string, NodeIdLike>;
  timer: NodeJS.Timeout | null;
  reading: boolean;
}

/** The server's CurrentTime: read when no tag is, for the evidence that the server answers. */
const CURRENT_TIME = `ns=0;i=${VariableIds.Server_ServerStatus_CurrentTime}`;
const HEARTBEAT = '\u0000heartbeat';

export class Poller {
  private readonly groups = new Map<number, Group>();
  private closed = false;

  constructor(
    private readonly session: ClientSession,
    private readonly maxNodesPerRead: number,
    /** How often the server is read when no tag is (ms): within a third of the loss watchdog's limit. */
    private readonly heartbeatMs: number,
    private readonly events: PollEvents,
  ) {
    this.heartbeat();
  }

  /** The longest interval a group is read at (ms): the loss watchdog waits three of them (server-link.ts staleLimit). */
  get longestIntervalMs(): number {
    return Math.max(0, ...[...this.groups.values()].map((g) => g.intervalMs));
  }

  /** Reads these too, each at its interval: a new group at once, an existing one at its next read. */
  add(items: readonly { name: string; nodeId: NodeIdLike; intervalMs: number }[]): void {
    for (const item of items) {
      const ms = Math.max(MIN_POLL_MS, item.intervalMs);
      let g = this.groups.get(ms);
      if (!g) {
        g = { intervalMs: ms, items: new Map(), timer: null, reading: false };
        this.groups.set(ms, g);
        this.next(g, 0);
      }
      g.items.set(item.name, item.nodeId);
    }
    this.heartbeat();
  }

  remove(names: readonly string[]): void {
    for (const g of this.groups.values()) for (const n of names) g.items.delete(n);
    this.heartbeat();
  }

  close(): void {
    this.closed = true;
    for (const g of this.groups.values()) if (g.timer) clearTimeout(g.timer);
    this.groups.clear();
  }

  /** The CurrentTime read alone while no tag is read, not beside them. */
  private heartbeat(): void {
    const tagged = [...this.groups.values()].some((g) => [...g.items.keys()].some((k) => k !== HEARTBEAT));
    const beat = [...this.groups.values()].find((g) => g.items.has(HEARTBEAT));
    if (tagged && beat) beat.items.delete(HEARTBEAT);
    if (!tagged && !beat && !this.closed) this.add([{ name: HEARTBEAT, nodeId: CURRENT_TIME, intervalMs: this.heartbeatMs }]);
  }

  private next(g: Group, waitMs: number): void {
    g.timer = setTimeout(() => void this.read(g), waitMs);
  }

  private async read(g: Group): Promise<void> {
    g.timer = null;
    if (this.closed || g.reading) return;
    if (g.items.size === 0) {
      this.groups.delete(g.intervalMs);
      return;
    }
    g.reading = true;
    const names = [...g.items.keys()];
    const startedAt = Date.now();
    let values: DataValue[];
    try {
      values = await readChunked(this.session, names.map((n) => ({ nodeId: g.items.get(n)!, attributeId: AttributeIds.Value })), this.maxNodesPerRead, 0);
    } catch (err) {
      if (this.closed) return;
      this.close();
      this.events.onFailed((err as Error).message);
      return;
    } finally {
      g.reading = false;
    }
    if (this.closed) return;
    this.events.onRead(names, values, startedAt, Date.now());
    // Not before an interval after this read began, nor before it answered: a slow read delays the next.
    if (!this.closed && this.groups.get(g.intervalMs) === g) this.next(g, Math.max(0, startedAt + g.intervalMs - Date.now()));
  }
}
