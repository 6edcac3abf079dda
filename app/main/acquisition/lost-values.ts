/**
 * Values a live connection lost while the server stayed up, which the gap ledger must name (the
 * engineer reads it, the backfill fills from it):
 * - a server queue that overflowed: the value after the discarded ones carries the Overflow InfoBit
 *   (Part 4 §7.39, §5.12.1.5); the hole lies between its tag's value before and that value. Holes
 *   are gathered into one ledger entry per server, written once no overflow came for settleMs (or
 *   maxMs after the first: a queue that keeps overflowing writes one entry a minute, not one per
 *   publish), and backfilled for those tags inside those holes only (what came live is not read twice);
 * - tags the server refused for its capacity (BadTooManyMonitoredItems): no value of theirs comes
 *   until the retry takes them; one entry from the first refusal, closed when all are acquired.
 */
import { StatusCodes } from 'node-opcua-client';

/** Gap causes, stored as they are in the ledger (a stable English text the console words: app/renderer/lib/station-causes.ts). */
export const QUEUE_OVERFLOW = 'values lost in the server\'s queue';
export const CAPACITY_REFUSED = 'tags refused for the server\'s capacity';

/** When gathered queue holes go to the ledger (ms). Read when used; tests may shorten it. */
export const overflowLedger = { settleMs: 2000, maxMs: 60_000 };

/** The value carries the Overflow InfoBit: InfoType DataValue (bits 10-11 = 01) and Overflow (bit 7). */
export const overflowed = (status: number): boolean => (status & 0xc00) === 0x400 && (status & 0x80) !== 0;

/**
 * Whether a value carrying the Overflow bit follows values its queue discarded. Part 4 §5.13.1.5: a
 * value is discarded only from a full queue, and the bit is set only when the queue is larger than
 * one. So a queue of one (revised 0 is one, §7.21) never lost anything by the bit, and a queue not
 * full in the publish that brought the value (fewer of the item's values than its size) did not
 * overflow: a server that sets the bit anyway (on every value after a first overflow, or on a queue
 * of one) is noise, and taken for holes it filled the ledger with gaps that hold nothing.
 * `queueSize` or `inPublish` unknown: taken for a loss (a real one is never dropped).
 */
export function overflowLost(queueSize: number | undefined, inPublish: number | undefined): boolean {
  if (queueSize === undefined) return true;
  const size = Math.max(1, queueSize);
  return size > 1 && (inPublish === undefined || inPublish >= size);
}

/**
 * Per DataValue of a publish's data changes, how many values its monitored item has in that publish.
 * `harvest`: the item's values in the earlier messages of the same harvest (the server sent it over
 * several, moreNotifications), counted on with this one's. `more`: messages of that harvest follow,
 * so no count is known yet (overflowLost then takes the bit for a loss). Before, a full queue split
 * over two messages was full in neither: its overflow taken for noise, its hole left out of the ledger.
 */
export function valuesPerItem(
  items: readonly { clientHandle: number; value: object }[], into: WeakMap<object, number>, harvest = new Map<number, number>(), more = false,
): void {
  for (const i of items) harvest.set(i.clientHandle, (harvest.get(i.clientHandle) ?? 0) + 1);
  if (more) return;
  for (const i of items) into.set(i.value, harvest.get(i.clientHandle)!);
}

export const TOO_MANY_ITEMS = StatusCodes.BadTooManyMonitoredItems.value >>> 0;

/** Per tag, intervals (from, to) whose values the station did not receive live; both ends came. */
export type Holes = Map<string, [number, number][]>;

/** A gap's holes: whether a history value at t of this tag lies in one (not a value that came live). */
export function inHoles(holes: Holes, tag: string, t: number): boolean {
  return (holes.get(tag) ?? []).some(([from, to]) => t > from && t < to);
}

/** Queue holes gathered for one ledger entry. */
export class QueueHoles {
  private holes: Holes = new Map();
  private firstAt = 0;
  private lastAt = 0;

  get empty(): boolean {
    return this.holes.size === 0;
  }

  add(tag: string, from: number, to: number, now: number): void {
    if (this.holes.size === 0) this.firstAt = now;
    this.lastAt = now;
    const list = this.holes.get(tag) ?? [];
    list.push([from, to]);
    this.holes.set(tag, list);
  }

  /** Ready to be written: quiet for settleMs, or gathering for maxMs. */
  due(now: number): boolean {
    return !this.empty && (now - this.lastAt >= overflowLedger.settleMs || now - this.firstAt >= overflowLedger.maxMs);
  }

  /** What was gathered (and forgotten here): the entry's span, per tag its history start (its value before the first hole), the holes. */
  take(): { from: number; to: number; after: Map<string, number>; holes: Holes } | null {
    if (this.empty) return null;
    const holes = this.holes;
    this.holes = new Map();
    const all = [...holes.values()].flat();
    const after = new Map([...holes].map(([tag, list]) => [tag, Math.min(...list.map(([from]) => from))]));
    return { from: Math.min(...all.map(([from]) => from)), to: Math.max(...all.map(([, to]) => to)), after, holes };
  }
}
