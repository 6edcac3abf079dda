/**
 * The server's clock against the station's, measured apart from the network's delay: its
 * CurrentTime (Server_ServerStatus_CurrentTime, i=2258) read with the round trip timed. A stamp
 * older than its receipt says nothing by itself: a slow link and a clock behind look the same
 * (as do publishTimes: delay only adds to now − publishTime). The time T the server read lies
 * between the request's start t0 and the response's receipt t1 when its clock is right, so its
 * offset lies in [T − t1, T − t0] whatever the delay.
 *
 * A server that leaves CurrentTime unset or Bad still stamps what it reads: the ServerTimestamp of a
 * read with maxAge 0 is the time it read the value or knew it accurate (Part 4 5.10.2, 7.7.4), its
 * clock during the same round trip. A server that answers "best effort" from a cache (or a Bad
 * result, stamped when it last tried) gives an older stamp, which only lowers both bounds: of the
 * stamps it gave, the one with the highest lower bound is kept, and a stale one can only make a
 * clock look behind when none was fresh.
 */
import { AttributeIds, VariableIds, type ClientSession, type DataValue } from 'node-opcua-client';
import { AHEAD_TOLERANCE_MS } from './sample.js';

/** What the measure was taken from: the server's CurrentTime, or the ServerTimestamp of a read (`node`). */
export type ClockSource = 'CurrentTime' | 'ServerTimestamp';

/** The server's clock offset (server minus station, ms) as one read bounds it. */
export interface ServerClock {
  /** At least this (T − t1). */
  lowMs: number;
  /** At most this (T − t0): a clock behind by more, even allowing for the whole round trip, is behind. */
  highMs: number;
  roundTripMs: number;
  /** When it was measured (t1, station clock). */
  at: number;
  source: ClockSource;
  /** The node read (its value, or its ServerTimestamp). */
  node: string;
}

const CURRENT_TIME = `ns=0;i=${VariableIds.Server_ServerStatus_CurrentTime}`;
/** ServerStatus/State (i=2259): mandatory in every server, read for its ServerTimestamp. */
const STATE = `ns=0;i=${VariableIds.Server_ServerStatus_State}`;

/** 2000-01-01: a time before it is one the server left unset (OPC UA's DateTime minimum, 1601, or 0). */
const SET_AFTER = Date.UTC(2000, 0, 1);

/** A time the server set (not its minimum or null), in ms; null otherwise. */
function setTime(v: unknown): number | null {
  if (!(v instanceof Date)) return null;
  const T = v.getTime();
  return Number.isFinite(T) && T > SET_AFTER ? T : null;
}

/** Reads `nodeId`'s value (maxAge 0: the server's now, not a cache; ServerTimestamp asked: node-opcua asks Both) with the round trip timed. */
async function timedRead(session: ClientSession, nodeId: string): Promise<{ dv: DataValue; t0: number; t1: number }> {
  const t0 = Date.now();
  const dv = await session.read({ nodeId, attributeId: AttributeIds.Value }, 0);
  return { dv, t0, t1: Date.now() };
}

const bounds = (T: number, t0: number, t1: number, source: ClockSource, node: string): ServerClock =>
  ({ lowMs: T - t1, highMs: T - t0, roundTripMs: t1 - t0, at: t1, source, node });

/**
 * Reads the server's CurrentTime with the round trip timed; when it is unusable (a Bad status,
 * unset, not a DateTime), the ServerTimestamps of that read and of a read of ServerStatus/State
 * (Good only: a Bad one is stamped when the server last tried) take its place. Null when the server
 * gives no usable time at all. One node per read: within any MaxNodesPerRead. A failed request
 * throws, as other reads do.
 */
export async function measureServerClock(session: ClientSession): Promise<ServerClock | null> {
  const current = await timedRead(session, CURRENT_TIME);
  const T = current.dv.statusCode.isGood() ? setTime(current.dv.value?.value) : null;
  if (T !== null) return bounds(T, current.t0, current.t1, 'CurrentTime', 'i=2258');
  const candidates: ServerClock[] = [];
  const stampOfCurrent = setTime(current.dv.serverTimestamp);
  if (stampOfCurrent !== null) candidates.push(bounds(stampOfCurrent, current.t0, current.t1, 'ServerTimestamp', 'i=2258'));
  const state = await timedRead(session, STATE);
  const stampOfState = state.dv.statusCode.isGood() ? setTime(state.dv.serverTimestamp) : null;
  if (stampOfState !== null) candidates.push(bounds(stampOfState, state.t0, state.t1, 'ServerTimestamp', 'i=2259'));
  // The freshest: the highest lower bound (a stale stamp lowers both of its bounds).
  return candidates.reduce<ServerClock | null>((best, c) => (best === null || c.lowMs > best.lowMs ? c : best), null);
}

/**
 * Which way a measure shows the clock off beyond AHEAD_TOLERANCE_MS even allowing for the whole
 * round trip (its bounds both beyond it); null when the clock may be right (a measure whose round
 * trip cannot tell counts as right, as in stampedBehind and clockRight).
 */
export function clockOff(c: Pick<ServerClock, 'lowMs' | 'highMs'>): 'ahead' | 'behind' | null {
  if (c.highMs < -AHEAD_TOLERANCE_MS) return 'behind';
  if (c.lowMs > AHEAD_TOLERANCE_MS) return 'ahead';
  return null;
}
