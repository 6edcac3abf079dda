/**
 * A value as acquired, and how an OPC UA DataValue becomes one for a tag of a
 * given kind. The kind decides what is usable: a value whose Variant does not
 * fit (an array, a String for an analog tag) or a number that is not a number
 * (NaN, ±Infinity) keeps its time and gets a bad status with no value, so
 * nothing wrong reaches the archive or the screen as if it were good.
 */
import { DataType, VariantArrayType, type DataValue, type Variant } from 'node-opcua-client';
import { Bad, BadOutOfRange, BadTypeMismatch, BadWaitingForInitialData, UncertainInitialValue, codeOf, isBad, isGood } from '../../../historian/status.js';
import { fits, type TagKind } from './data-types.js';

/** A value as acquired: quality (OPC UA status) travels with it everywhere. */
export interface AcquiredSample {
  tag: string;
  /** Source timestamp, ms UTC (server timestamp or receive time when the source gives none); live, per tag always increasing (server-link.ts emit). */
  t: number;
  value: number | boolean | string | null;
  status: number;
  /**
   * A loss marker the station made (its server lost or the station stopped), not a status the
   * source reported: the alarm engine tells a lost server (its COMM alarm) from a source that says
   * its own device does not communicate (the tag's quality alarm).
   */
  marker?: true;
  /** Its Overflow bit follows values the server's queue discarded (lost-values.ts overflowLost), not noise: a hole before it. */
  overflow?: true;
}

export type PlainValue = AcquiredSample['value'];

/** A value and the status it should carry (the server's, or a bad one when the value is unusable). */
export interface Converted {
  value: PlainValue;
  status: number;
}

const TWO_32 = 4294967296n;

/** node-opcua keeps Int64/UInt64 as [high, low] uint32 words. */
function bigOf(words: unknown, signed: boolean): bigint | null {
  if (typeof words === 'number') return BigInt(Math.trunc(words));
  if (typeof words === 'bigint') return words;
  if (!Array.isArray(words) || words.length !== 2) return null;
  const [hi, lo] = words as [number, number];
  const u = (BigInt(hi >>> 0) * TWO_32) + BigInt(lo >>> 0);
  return signed && hi >>> 0 >= 0x80000000 ? u - (1n << 64n) : u;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The Variant's value as the tag's kind holds it. Int64/UInt64: an analog tag takes the nearest
 * double (exact up to 2^53, then rounded to 53 significant bits, as any double is); a discrete tag
 * only an exact integer; a text tag all the digits.
 */
/** 1601-01-01T00:00:00Z, OPC UA's DateTime minimum. */
const MIN_DATE_TIME_MS = Date.UTC(1601, 0, 1);

/**
 * `valued`: the value's monitored item has already delivered a value. A good status with none after
 * that is no variable awaiting its first write but a value gone (a gateway that sends Null, Good,
 * when its field device dropped): plain Bad, so the tag's quality alarm is raised, as for an
 * Uncertain status without a value. Left false (history, an item's first values), Good without a
 * value is waiting.
 */
export function convert(kind: TagKind, variant: Variant | null | undefined, status: number, valued = false): Converted {
  status = status >>> 0;
  // A null String is a value (OPC UA Part 6 §5.2.2.4: null and empty alike to a text), not one still awaited: the empty text.
  if (variant && variant.dataType === DataType.String && variant.value === null && kind === 'text' && !isBad(status)) return { value: '', status };
  if (!variant || variant.dataType === DataType.Null || variant.value === null || variant.value === undefined) {
    // No value: fine for a bad status (the server has nothing). A good one with none is a variable
    // not written yet (a server just restarted), and so is UncertainInitialValue: waiting, not a wrong
    // type or node. Any other uncertain status qualifies a value there is not (a gateway whose field
    // bus dropped): plain Bad, so the tag's quality alarm is raised; BadWaitingForInitialData is
    // "no live data" to the alarm engine (isNoLiveData), which would leave it suspect and silent
    // while its server, connected, raises no communication alarm either. The archive takes a
    // sample with no value only with a Bad status.
    if (isBad(status)) return { value: null, status };
    return { value: null, status: !valued && (isGood(status) || codeOf(status) === UncertainInitialValue) ? BadWaitingForInitialData : Bad };
  }
  if (variant.arrayType !== VariantArrayType.Scalar) return { value: null, status: isBad(status) ? status : BadTypeMismatch };
  const type = variant.dataType;
  // A value of another kind is not archived as this one (a Boolean is not a level).
  if (!fits(kind, type, false)) return { value: null, status: isBad(status) ? status : BadTypeMismatch };
  const v: unknown = variant.value;
  if (type === DataType.Int64 || type === DataType.UInt64) {
    const big = bigOf(v, type === DataType.Int64);
    if (big === null) return { value: null, status: BadTypeMismatch };
    if (kind === 'text') return { value: big.toString(), status };
    if (kind === 'discrete' && (big > SAFE || big < -SAFE)) return { value: null, status: isBad(status) ? status : BadOutOfRange };
    return { value: Number(big), status };
  }
  if (type === DataType.Boolean) return { value: Boolean(v), status };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return { value: null, status: isBad(status) ? status : BadOutOfRange };
    return { value: v, status };
  }
  if (type === DataType.DateTime) {
    const ms = v instanceof Date ? v.getTime() : NaN;
    // 1601-01-01 (and before) is DateTime's minimum, which OPC UA reads as unset (Part 6 §5.2.2.5): no date, the empty text.
    if (ms <= MIN_DATE_TIME_MS && !isBad(status)) return { value: '', status };
    return Number.isFinite(ms) ? { value: new Date(ms).toISOString(), status } : { value: null, status: isBad(status) ? status : BadOutOfRange };
  }
  if (type === DataType.LocalizedText) {
    const text = (v as { text?: unknown }).text;
    return { value: typeof text === 'string' ? text : '', status };
  }
  if (typeof v === 'string') return { value: v, status };
  return { value: null, status: isBad(status) ? status : BadTypeMismatch };
}

/**
 * How far ahead of the station's clock a source timestamp is still believed (ms). A device clock a
 * little ahead is common and its stamps order a burst better than one receive time; a stamp further
 * ahead is a clock fault, and one value dated in the future would date the next loss marker and the
 * values after it there. 2 s stays below the watchdog's shortest usual limit (staleAfterMs, 3 s by
 * default), so a value kept is still no later than a loss the watchdog notices.
 */
export const AHEAD_TOLERANCE_MS = 2000;

/**
 * How much older than its receipt a value (not an item's first: that is its current value, however
 * old) may be before its stamp is taken for a clock behind the station's. One publish legitimately
 * carries values up to one publishing interval old, or as old as the item's queue reaches (queue
 * size × sampling interval), plus one sampling interval (the change came before the server sampled
 * it); AHEAD_TOLERANCE_MS on top covers the network and a late publish, as it does ahead. With the
 * defaults (500 ms, 500 ms, queue 3) that is 4 s. Backfill (HistoryRead) does not come this way.
 */
export function behindTolerance(publishingMs: number, samplingMs: number, queueSize: number): number {
  return Math.max(publishingMs, queueSize * samplingMs) + samplingMs + AHEAD_TOLERANCE_MS;
}

/**
 * Whether a value `ageMs` old at its receipt (not an item's first) comes from a clock behind the
 * station's: older than a publish can hold it (toleranceMs), and the server's clock measured behind
 * by more than AHEAD_TOLERANCE_MS even allowing for the whole round trip of the measure (clock:
 * server-clock.ts; its upper bound). A value late only for a slow link, or a backlog republished
 * after a network glitch, comes from a clock that is right: it keeps its own time. Without a
 * measure (the server leaves its CurrentTime unset or Bad), its publishTimes decide (lag: how far
 * behind they are at least; null when the server leaves them unset), which a slow link makes lag too.
 */
export function stampedBehind(ageMs: number, toleranceMs: number, lag: () => number | null, clock: { highMs: number } | null = null): boolean {
  if (ageMs <= toleranceMs) return false;
  if (clock) return clock.highMs < -AHEAD_TOLERANCE_MS;
  const l = lag();
  return l === null || l > AHEAD_TOLERANCE_MS;
}

/**
 * When a value's own source stamp is wrong while its server's clock is right (clockRight), the time
 * to date it by instead; null when its stamp stands. Wrong: the stamp does not advance past the
 * item's last one (lastGiven: frozen while the value changes, a source that gives none and gets a
 * fixed one from its server), or it lies before the time the item's last value was dated
 * (lastDated) by more than a publish can hold (toleranceMs: a field device's clock behind its
 * gateway's; its first value, older than the tag's request, was dated when the tag was asked for).
 * Kept, such values were placed 1 ms apart after the last. Then the value is dated by its
 * ServerTimestamp (when the server vouched for it later than the last value's time) or by its
 * receipt. A stamp that advances and keeps up stands however late it arrives: a device's event
 * buffer delivered after its link was down, a queue republished after a short outage, a slow link
 * keep their own times, and a server clock a little behind keeps its stamps. Not for an item's
 * first value (its current one, however old), nor a clock in doubt: the caller checks both.
 */
export function restamp(dv: DataValue, lastGiven: number | null, lastDated: number | null, receivedAt: number, toleranceMs: number): number | null {
  const source = dv.sourceTimestamp?.getTime();
  if (source === undefined || !Number.isFinite(source) || source <= 0 || lastDated === null) return null;
  const frozen = lastGiven !== null && source <= lastGiven;
  if (!frozen && source >= lastDated - toleranceMs) return null;
  const server = dv.serverTimestamp?.getTime();
  const at = server !== undefined && Number.isFinite(server) && server > lastDated ? server : receivedAt > lastDated ? receivedAt : null;
  if (at === null) return null;
  // A ServerTimestamp ahead of receipt is no better than a source stamp ahead (sourceTime).
  return at <= receivedAt + AHEAD_TOLERANCE_MS ? at : receivedAt;
}

/** A value from a clock behind the station's: the time the server gave it, and when it was received. */
export interface Behind {
  sample: AcquiredSample;
  given: number;
  receivedAt: number;
}

/**
 * Dates values from a clock behind at their receipt, keeping the spacing the server gave them: per
 * tag, the newest of the batch (one publish) at its receipt, each other one as far before it as
 * the server's stamps set them apart.
 */
export function dateBehind(values: readonly Behind[]): void {
  const newest = new Map<string, Behind>();
  for (const b of values) {
    const n = newest.get(b.sample.tag);
    if (!n || b.given >= n.given) newest.set(b.sample.tag, b);
  }
  for (const b of values) {
    const n = newest.get(b.sample.tag)!;
    b.sample.t = n.receivedAt - (n.given - b.given);
  }
}

/** The timestamp the server gave (source, else server), or null when it gave none usable. */
export function givenTime(dv: DataValue): number | null {
  const t = dv.sourceTimestamp?.getTime() ?? dv.serverTimestamp?.getTime();
  return t !== undefined && Number.isFinite(t) && t > 0 ? t : null;
}

/** Source time, else server time, else when it was received; a time beyond the tolerance ahead of receipt is replaced by the receipt; ms UTC. */
export function sourceTime(dv: DataValue, receivedAt: number): number {
  const t = givenTime(dv);
  return t !== null && t <= receivedAt + AHEAD_TOLERANCE_MS ? t : receivedAt;
}

/** How far the server's timestamp was ahead of receipt when sourceTime replaced it (ms), else 0. */
export function aheadBy(dv: DataValue, receivedAt: number): number {
  const t = givenTime(dv);
  return t !== null && t > receivedAt + AHEAD_TOLERANCE_MS ? t - receivedAt : 0;
}

/** When the server vouched for the value: its server timestamp, else the receive time. */
export function serverTime(dv: DataValue, receivedAt: number): number {
  const t = dv.serverTimestamp?.getTime();
  return t !== undefined && Number.isFinite(t) && t > 0 ? t : receivedAt;
}

/**
 * Why a value the server sent as good does not fit the tag's kind (convert made it BadTypeMismatch):
 * an array where the variable was said to be scalar, another type than its DataType said (changed
 * at run time, or a BaseDataType variable); null when it fits or the server's status is bad. For
 * the log: the screen shows only the tag's CONFIG badge, the Tags page nothing (the type check passed).
 */
export function misfit(kind: TagKind, variant: Variant | null | undefined, status: number): { dataType: string; array: boolean } | null {
  if (!variant || isBad(status >>> 0) || convert(kind, variant, status).status !== BadTypeMismatch) return null;
  return { dataType: DataType[variant.dataType] ?? String(variant.dataType), array: variant.arrayType !== VariantArrayType.Scalar };
}

/** `valued`: its monitored item delivered a value before (convert). */
export function fromDataValue(tag: string, kind: TagKind, dv: DataValue, receivedAt: number, valued = false): AcquiredSample {
  const { value, status } = convert(kind, dv.value, dv.statusCode.value, valued);
  const sample: AcquiredSample = { tag, t: sourceTime(dv, receivedAt), value, status };
  const given = givenTime(dv);
  if (given !== null) givenStamps.set(sample, given);
  return sample;
}

/**
 * The stamp the server gave each value (givenTime), beside the time `t` it is dated by, which the
 * station may change (a clock behind, a stamp ahead or frozen): the seam of a switch of endpoint
 * compares the two servers' own stamps (failover-seam.ts). Beside the sample, not in it: it goes
 * nowhere else.
 */
const givenStamps = new WeakMap<AcquiredSample, number>();
export const givenStampOf = (s: AcquiredSample): number | undefined => givenStamps.get(s);
